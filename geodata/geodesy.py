"""The data's ellipsoid and its geodesic measures: a WGS84 :class:`pyproj.Geod`, areas, the mean radius.

The data are lon/lat on WGS84 (EPSG:4326), and their area columns are
geodesic areas on it. Every geodesic distance, azimuth, area and length, in
the ``geodata`` build scripts and in the engine (:mod:`zones.engine`), goes
through :data:`GEOD`; the spherical radius is used only for rough reach
checks and bounds, never for a reported number.

It lives here, at the bottom, because the data are built with it: ``zones``
imports ``geodata``, and ``geodata`` imports nothing from ``zones``.

>>> round(geodesic_area_km2([shapely.box(0, 0, 1, 1)])[0])  # a 1° cell at the equator, km²
12309
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Final

import numpy as np
import pyproj
import shapely

#: The WGS84 ellipsoid's geodesic solver (Karney's algorithms, exact to nanometres).
GEOD: Final = pyproj.Geod(ellps="WGS84")
#: Mean Earth radius R1 = (2a + b) / 3 of WGS84, in metres (IUGG).
EARTH_RADIUS_M: Final = 6_371_008.8
#: The same radius in km.
EARTH_RADIUS_KM: Final = EARTH_RADIUS_M / 1000.0

#: Geometry types that hold parts (multi-part types and collections).
COLLECTION_TYPES: Final = (
    shapely.GeometryType.MULTIPOINT,
    shapely.GeometryType.MULTILINESTRING,
    shapely.GeometryType.MULTIPOLYGON,
    shapely.GeometryType.GEOMETRYCOLLECTION,
)


#: Ring areas kept (:class:`_RingAreas`): at most this many bytes of coordinates in each of its two generations.
_RING_MEMO_BYTES: Final = 4_000_000


class _RingAreas:
    """Geodesic areas of rings (m², unsigned) by their coordinates' bytes, the last ones asked for.

    A zone at a new width cuts the countries and regions it crosses anew, but
    the islands and lakes wholly inside come out of the overlay unchanged, ring
    for ring: a fifth of the vertices at 500–1,000 km. The same bytes give the
    same area, so a ring seen before is looked up. Two generations: when the
    newer holds :data:`_RING_MEMO_BYTES`, it becomes the older and the oldest
    goes. Threads may share it: a lost race only misses.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._new: dict[bytes, float] = {}
        self._old: dict[bytes, float] = {}
        self._new_bytes = 0

    def get(self, key: bytes) -> float | None:
        """Return the area of the ring ``key``, or ``None`` if not kept."""
        found = self._new.get(key)
        return self._old.get(key) if found is None else found

    def put(self, key: bytes, area_m2: float) -> None:
        """Keep ``area_m2`` as the area of the ring ``key``."""
        with self._lock:
            if self._new_bytes + len(key) > _RING_MEMO_BYTES:
                self._old, self._new, self._new_bytes = self._new, {}, 0
            self._new[key] = area_m2
            self._new_bytes += len(key)


_RING_AREAS: Final = _RingAreas()


def _ring_area_m2(coords: np.ndarray) -> float:
    """Return the unsigned geodesic area of one ring, ``(n, 2)`` lon/lat degrees, in m² (kept: :class:`_RingAreas`)."""
    key = coords.tobytes()
    area_m2 = _RING_AREAS.get(key)
    if area_m2 is None:
        area_m2 = abs(GEOD.polygon_area_perimeter(coords[:, 0], coords[:, 1])[0])
        _RING_AREAS.put(key, area_m2)
    return area_m2


def geodesic_area_km2(geometries: Iterable[shapely.Geometry]) -> np.ndarray:
    """Return the geodesic area on WGS84 of each lon/lat geometry, in km².

    Edges are read as geodesics; for the short edges of our data (a few km at
    most) that equals the lon/lat-straight edges drawn on maps to well under
    0.01 %.

    Parameters
    ----------
    geometries : iterable of shapely geometry
        Polygons or MultiPolygons in EPSG:4326; empty or non-areal ones give 0.

    Returns
    -------
    numpy.ndarray
        Areas in km² (always ≥ 0).
    """
    geoms = np.array(list(geometries), dtype=object)
    area_m2 = np.zeros(len(geoms))
    parts, owner = shapely.get_parts(geoms, return_index=True)  # None and empty give no parts
    nested = np.isin(shapely.get_type_id(parts), COLLECTION_TYPES)
    while nested.any():  # a collection may hold multi-parts
        inner, index = shapely.get_parts(parts[nested], return_index=True)
        parts, owner = np.r_[parts[~nested], inner], np.r_[owner[~nested], owner[nested][index]]
        nested = np.isin(shapely.get_type_id(parts), COLLECTION_TYPES)
    areal = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    polygons, owner = parts[areal], owner[areal]
    rings, ring_polygon = shapely.get_rings(polygons, return_index=True)  # exterior first, then holes
    exterior = np.r_[True, ring_polygon[1:] != ring_polygon[:-1]] if len(rings) else np.zeros(0, dtype=bool)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    starts = np.searchsorted(ring_of, np.arange(len(rings) + 1))
    for i in range(len(rings)):  # pyproj's polygon area takes one ring at a time
        ring_m2 = _ring_area_m2(coords[starts[i] : starts[i + 1]])
        area_m2[owner[ring_polygon[i]]] += ring_m2 if exterior[i] else -ring_m2
    return np.maximum(area_m2, 0.0) / 1e6


def polygonal(geometry: shapely.Geometry) -> shapely.MultiPolygon:
    """Return the polygon parts of ``geometry`` as a MultiPolygon (drops lines and points)."""
    parts = shapely.get_parts(shapely.get_parts(geometry))  # collections may nest multi-parts
    return shapely.MultiPolygon([p for p in parts if p.geom_type == "Polygon" and not p.is_empty])


def polygonal_each(geometries: np.ndarray) -> np.ndarray:
    """Return :func:`polygonal` of each geometry, in one vectorised pass (the same MultiPolygons).

    >>> [g.wkt for g in polygonal_each(np.array([shapely.box(0, 0, 1, 1), shapely.Point(0, 0)]))]
    ['MULTIPOLYGON (((1 0, 1 1, 0 1, 0 0, 1 0)))', 'MULTIPOLYGON EMPTY']
    """
    out = np.empty(len(geometries), dtype=object)
    out[:] = [shapely.MultiPolygon()] * len(geometries)  # one empty geometry, shared (geometries are immutable)
    parts, owner = shapely.get_parts(np.asarray(geometries, dtype=object), return_index=True)
    parts, inner = shapely.get_parts(parts, return_index=True)  # collections may nest multi-parts
    owner = owner[inner]
    keep = (shapely.get_type_id(parts) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(parts)
    if keep.any():
        shapely.multipolygons(parts[keep], indices=owner[keep], out=out)
    return out
