"""GeoNames cities and their geodesic distance to the contact line.

Cities are the GeoNames places of 15,000 people or more in
``geodata/places.parquet`` (CC BY 4.0), city sections removed. Distances are exact geodesic
distances on WGS84 from each city to the contact line, measured the first
time a city falls inside a strip and kept for that contact line.
"""

from __future__ import annotations

import functools
from typing import Final

import geopandas as gpd
import numpy as np
import shapely

from geodata import load_places
from geodata.geodesy import EARTH_RADIUS_KM, GEOD
from zones.settings import MIN_CITY_POPULATION

#: Spacing of the points that stand for the line in distance queries, in km.
LINE_STEP_KM: Final = 0.5
#: Samples within this share of the nearest one by the sphere are measured on
#: the ellipsoid (the sphere's error against WGS84 stays below 0.6 %).
SPHERE_MARGIN: Final = 0.012
#: Points measured at once (memory: CHUNK × samples floats).
CHUNK: Final = 256


@functools.cache
def _cities() -> gpd.GeoDataFrame:
    """Return the shared cities frame (callers get copies)."""
    places = load_places()
    cities = places.loc[places["population"] >= MIN_CITY_POPULATION, ["geonameid", "name", "adm0_a3", "population"]]
    return gpd.GeoDataFrame(cities, geometry=places.geometry[cities.index], crs="EPSG:4326").reset_index(drop=True)


def load_cities() -> gpd.GeoDataFrame:
    """Return GeoNames places of at least 15,000 people, each counted once.

    City sections (Warsaw's districts, St Petersburg's municipal okrugs) are
    not listed: see ``geodata/build_places.py``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``geonameid``, ``name``, ``adm0_a3`` (the Natural Earth
        feature holding the place), ``population`` and Point geometry,
        EPSG:4326, largest first. A fresh copy on every call.
    """
    return _cities().copy()


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return unit vectors (n, 3) on the sphere for lon/lat in degrees."""
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)])


@functools.lru_cache(maxsize=16)
def _samples(line_wkb: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return the line's samples as lon/lat (n, 2) and unit vectors (n, 3), read-only."""
    samples = _line_points(shapely.from_wkb(line_wkb))
    samples_xyz = _unit_vectors(samples[:, 0], samples[:, 1])
    samples.flags.writeable = samples_xyz.flags.writeable = False
    return samples, samples_xyz


def _line_points(line: shapely.Geometry) -> np.ndarray:
    """Return (n, 2) lon/lat points along ``line``, at most LINE_STEP_KM apart."""
    points = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        length_m = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])[2]
        steps = np.maximum(1, np.ceil(length_m / (LINE_STEP_KM * 1000))).astype(int)
        for (x0, y0), (x1, y1), n in zip(xy[:-1], xy[1:], steps, strict=True):
            t = np.arange(n) / n  # straight in lon/lat, as the line is drawn
            points.append(np.column_stack([x0 + t * (x1 - x0), y0 + t * (y1 - y0)]))
        points.append(xy[-1:])
    return np.concatenate(points)


def distance_to_line_km(lon: np.ndarray, lat: np.ndarray, line: shapely.Geometry) -> np.ndarray:
    """Return the geodesic distance from points to a lon/lat line, in km.

    The line's edges are read as straight in lon/lat and sampled every
    :data:`LINE_STEP_KM`. Samples are first ranked by great-circle distance on
    a sphere; every sample within :data:`SPHERE_MARGIN` of the nearest (more
    than the sphere's largest error against the ellipsoid) is then measured
    exactly with :meth:`pyproj.Geod.inv`, so the nearest sample is never
    missed. The result exceeds the exact distance by at most a few metres
    (0.25 km for points on the line itself).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Points in degrees, EPSG:4326.
    line : shapely geometry
        LineString or MultiLineString in EPSG:4326.

    Returns
    -------
    numpy.ndarray
        Distances in km.
    """
    lon, lat = np.atleast_1d(np.asarray(lon, dtype=float)), np.atleast_1d(np.asarray(lat, dtype=float))
    samples, samples_xyz = _samples(shapely.to_wkb(line))
    out = np.empty(len(lon))
    for start in range(0, len(lon), CHUNK):  # bounded memory: CHUNK × samples
        stop = min(start + CHUNK, len(lon))
        dots = _unit_vectors(lon[start:stop], lat[start:stop]) @ samples_xyz.T
        sphere_km = np.arccos(np.clip(dots, -1.0, 1.0)) * EARTH_RADIUS_KM
        limit = sphere_km.min(axis=1, keepdims=True) * (1 + SPHERE_MARGIN) + 2 * LINE_STEP_KM
        rows, cols = np.nonzero(sphere_km <= limit)
        dist_m = GEOD.inv(lon[start:stop][rows], lat[start:stop][rows], samples[cols, 0], samples[cols, 1])[2]
        best = np.full(stop - start, np.inf)
        np.minimum.at(best, rows, dist_m)
        out[start:stop] = best / 1000.0
    return out


class _CityDistances:
    """Distances from every city to one line, measured lazily and kept."""

    def __init__(self, line: shapely.Geometry) -> None:
        self.line = line
        self.km = np.full(len(_cities()), np.nan)

    def get(self, index: np.ndarray) -> np.ndarray:
        """Return the distances in km of the cities at positions ``index``."""
        missing = index[np.isnan(self.km[index])]
        if missing.size:
            xy = _city_xy()[missing]
            self.km[missing] = distance_to_line_km(xy[:, 0], xy[:, 1], self.line)
        distances: np.ndarray = self.km[index]
        return distances


@functools.cache
def _city_xy() -> np.ndarray:
    """Return the cities' lon/lat as an ``(n, 2)`` array (read-only, made once per process)."""
    xy = shapely.get_coordinates(_cities().geometry.to_numpy())
    xy.flags.writeable = False
    return xy


@functools.lru_cache(maxsize=16)
def _distances_for(line_wkb: bytes) -> _CityDistances:
    """Return the (lazily filled) city distances for a line given as WKB."""
    return _CityDistances(shapely.from_wkb(line_wkb))


def cities_in(strip: shapely.Geometry | np.ndarray, line: shapely.Geometry) -> gpd.GeoDataFrame:
    """Return the cities inside ``strip`` with their distance to ``line``.

    Parameters
    ----------
    strip : shapely geometry or numpy.ndarray of them
        The strip, EPSG:4326; or its pieces (a clipped zone's sides), a city
        counting if it lies inside one of them (a point on the line between
        two pieces, where no city lies, would not count).
    line : shapely geometry
        The contact line, EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns as :func:`load_cities` plus ``distance_km``, the geodesic
        distance to ``line``; Point geometry, EPSG:4326, largest first.
    """
    cities = _cities()
    pieces = [g for g in np.atleast_1d(np.asarray(strip, dtype=object)) if not shapely.is_empty(g)]
    inside = np.zeros(0, dtype=np.intp)
    xy = _city_xy()
    for piece in pieces:
        xmin, ymin, xmax, ymax = shapely.bounds(piece)
        in_box = (xy[:, 0] >= xmin) & (xy[:, 0] <= xmax) & (xy[:, 1] >= ymin) & (xy[:, 1] <= ymax)
        index = np.flatnonzero(in_box)
        shapely.prepare(piece)
        inside = np.union1d(inside, index[shapely.contains_xy(piece, xy[index, 0], xy[index, 1])])
    distance_km = _distances_for(shapely.to_wkb(line)).get(inside)
    return cities.iloc[inside].assign(distance_km=distance_km)
