"""Independent geodesic oracle for the strip tests and the benchmark.

Written for clarity, not speed: the line's straight lon/lat edges are
densified to at most 0.5 km and the distance from a point to the line is the
smallest exact WGS84 geodesic distance (:meth:`pyproj.Geod.inv`) to one of
those vertices. Shares no code with :mod:`zones.strip`.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import pyproj
import shapely

GEOD: Final = pyproj.Geod(ellps="WGS84")

#: Largest spacing of densified vertices, in km.
STEP_KM: Final = 0.5

#: Sphere for the cheap prefilter, in km. On it, a WGS84 geodesic is never
#: shorter than this share of the great circle between the same lon/lat points
#: (the worst case is a meridian arc at the equator: a(1 - e²) / R = 0.9944).
_SPHERE_KM: Final = 6371.0088
_MIN_RATIO: Final = 0.994

_CHUNK: Final = 512


def _densify_edges(lon: np.ndarray, lat: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Densify a lon/lat path edge by edge as straight lon/lat segments of at most ``STEP_KM``.

    ``keep`` (one flag per edge) drops edges; both end vertices of every kept
    edge are returned.
    """
    if len(lon) < 2:
        return lon.copy(), lat.copy()
    _, _, length_m = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    pieces_lon, pieces_lat = [], []
    for i, length in enumerate(np.atleast_1d(length_m)):
        if keep is not None and not keep[i]:
            continue
        n = max(1, math.ceil(length / 1000.0 / STEP_KM))
        t = np.linspace(0.0, 1.0, n + 1)
        pieces_lon.append(lon[i] + t * (lon[i + 1] - lon[i]))
        pieces_lat.append(lat[i] + t * (lat[i + 1] - lat[i]))
    if not pieces_lon:
        return np.empty(0), np.empty(0)
    return np.concatenate(pieces_lon), np.concatenate(pieces_lat)


def densify_line(line: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a (multi)line densified to at most 0.5 km, lon/lat degrees."""
    parts = shapely.get_parts(line)
    lons, lats = [], []
    for part in parts:
        xy = shapely.get_coordinates(part)
        lo, la = _densify_edges(xy[:, 0], xy[:, 1])
        lons.append(lo)
        lats.append(la)
    return np.concatenate(lons), np.concatenate(lats)


def densify_boundary(polygon: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Points on a polygon's boundary, edges densified to at most 0.5 km (lon/lat degrees).

    Edges that lie on the antimeridian (both ends at lon = ±180) are artificial
    cuts, not strip edge, and are left out.
    """
    lons, lats = [], []
    for ring in shapely.get_rings(shapely.get_parts(polygon)):
        xy = shapely.get_coordinates(ring)
        on_cut = np.isclose(np.abs(xy[:, 0]), 180.0, rtol=0.0, atol=1e-9)
        keep = ~(on_cut[:-1] & on_cut[1:])
        lo, la = _densify_edges(xy[:, 0], xy[:, 1], keep)
        lons.append(lo)
        lats.append(la)
    return np.concatenate(lons), np.concatenate(lats)


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lam, phi = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def distance_to_line_m(lon: np.ndarray, lat: np.ndarray, line: shapely.Geometry) -> np.ndarray:
    """Exact WGS84 geodesic distance from points to a lon/lat (multi)line, in metres.

    The line's edges are straight lon/lat segments, densified to at most
    0.5 km; the result overestimates the true distance by at most a few metres.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    vlon, vlat = densify_line(line)
    vxyz = _unit_vectors(vlon, vlat)
    out = np.empty(len(lon))
    for start in range(0, len(lon), _CHUNK):
        stop = min(start + _CHUNK, len(lon))
        plon, plat = lon[start:stop], lat[start:stop]
        cosine = _unit_vectors(plon, plat) @ vxyz.T
        # exact distance to the vertex nearest on the sphere bounds the answer from above ...
        _, _, upper = GEOD.inv(plon, plat, vlon[np.argmax(cosine, axis=1)], vlat[np.argmax(cosine, axis=1)])
        # ... so only vertices within upper / _MIN_RATIO on the sphere can beat it
        reach = np.minimum(np.asarray(upper) / 1000.0 / _MIN_RATIO / _SPHERE_KM, np.pi)
        rows, cols = np.nonzero(cosine >= np.cos(reach)[:, None])
        _, _, dist = GEOD.inv(plon[rows], plat[rows], vlon[cols], vlat[cols])
        best = np.asarray(upper, dtype=float).copy()
        np.minimum.at(best, rows, dist)
        out[start:stop] = best
    return out


def edge_error_m(polygon: shapely.Geometry, line: shapely.Geometry, width_km: float) -> np.ndarray:
    """Signed error (distance to the line − width), in metres, at points along the strip edge."""
    lon, lat = densify_boundary(polygon)
    return distance_to_line_m(lon, lat, line) - width_km * 1000.0


def geodesic_area_km2(polygon: shapely.Geometry) -> float:
    """Area of a lon/lat polygon on the WGS84 ellipsoid, in km²."""
    area_m2, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(polygon))
    return abs(area_m2) / 1e6


def equal_area_grid(polygon: shapely.Geometry, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres of a square grid of ``step_km`` inside a lon/lat polygon, in an equal-area projection.

    The grid is laid in a Lambert azimuthal equal-area projection centred on
    the polygon, so every point stands for the same area (``step_km``²) and
    a share of points is a share of area. Returns lon/lat degrees.
    """
    centre = polygon.centroid
    laea = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={centre.y} +lon_0={centre.x} +units=m", always_xy=True
    )
    projected = shapely.transform(polygon, lambda xy: np.column_stack(laea.transform(xy[:, 0], xy[:, 1])))
    xmin, ymin, xmax, ymax = projected.bounds
    step_m = step_km * 1000.0
    xs, ys = np.meshgrid(np.arange(xmin, xmax, step_m) + step_m / 2, np.arange(ymin, ymax, step_m) + step_m / 2)
    inside = shapely.contains_xy(projected, xs.ravel(), ys.ravel())
    lon, lat = laea.transform(xs.ravel()[inside], ys.ravel()[inside], direction="INVERSE")
    return np.asarray(lon), np.asarray(lat)
