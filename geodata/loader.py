"""Load the committed border data once, validated, and cheaply again."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from geopandas.array import from_shapely

HERE: Final = Path(__file__).resolve().parent
COUNTRIES_PATH: Final = HERE / "countries.parquet"
BORDERS_PATH: Final = HERE / "borders.parquet"
SEA_BORDERS_PATH: Final = HERE / "sea_borders.parquet"
REGIONS_PATH: Final = HERE / "regions.parquet"
PLACES_PATH: Final = HERE / "places.parquet"
PROVENANCE_PATH: Final = HERE / "provenance.json"
CRS: Final = "EPSG:4326"
#: Column of ``places.parquet`` holding each place's neighbours: the places of its country within 50 km.
NEIGHBOURS_COLUMN: Final = "places_within_50_km"


@functools.cache
def _wgs84() -> pyproj.CRS:
    """Return the data's CRS as a :class:`pyproj.CRS`, made once (immutable)."""
    return pyproj.CRS(CRS)


def lonlat_frame(columns: Mapping[str, Any], geometry: np.ndarray) -> gpd.GeoDataFrame:
    """Return a GeoDataFrame of ``columns`` and ``geometry`` (lon/lat, EPSG:4326), made the quick way.

    Equal to ``gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")``
    (the same columns, dtypes and CRS) in half the time: the geometry comes as
    a ready geometry array, so geopandas looks for no CRS and converts no
    column. An analysis builds several frames; this took 1.3 ms a frame.

    >>> lonlat_frame({"n": [1]}, np.array([shapely.Point(0, 0)])).crs.to_epsg()
    4326
    """
    return gpd.GeoDataFrame({**columns, "geometry": from_shapely(geometry, crs=_wgs84())}, geometry="geometry")


def _check(frame: gpd.GeoDataFrame, *, name: str, key: list[str]) -> None:
    """Raise ``ValueError`` unless ``frame`` is EPSG:4326, valid and keyed uniquely."""
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        msg = f"{name}: CRS should be {CRS}, got {frame.crs}; rebuild with 'python -m geodata.build'"
        raise ValueError(msg)
    invalid = ~shapely.is_valid(frame.geometry.to_numpy())
    if invalid.any():
        msg = f"{name}: {int(invalid.sum())} invalid geometries; rebuild with 'python -m geodata.build'"
        raise ValueError(msg)
    if frame.duplicated(key).any():
        msg = f"{name}: duplicate keys {key}; rebuild with 'python -m geodata.build'"
        raise ValueError(msg)


def load_countries() -> gpd.GeoDataFrame:
    """Return Natural Earth 10m admin-0 countries (v5.1.1), validated once.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, indexed by ``adm0_a3``, EPSG:4326. Columns are
        described in ``geodata/README.md``; ``area_km2`` is the geodesic land
        area on WGS84 and ``sov_adm0`` the ``adm0_a3`` of the sovereign state.
        A fresh copy on every call (about 1 ms; the file is read once).
    """
    return _read(COUNTRIES_PATH, ("adm0_a3",), index="adm0_a3").copy()


def load_borders() -> gpd.GeoDataFrame:
    """Return every shared land border between two Natural Earth features.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a3_a`` < ``a3_b`` (``adm0_a3`` codes), ``length_km``
        (geodesic, WGS84) and MultiLineString geometry, EPSG:4326. A fresh
        copy on every call.
    """
    return _read(BORDERS_PATH, ("a3_a", "a3_b")).copy()


def load_sea_borders() -> gpd.GeoDataFrame:
    """Return the territorial-sea borders between Russia-side and NATO states.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a3_a`` < ``a3_b`` (``adm0_a3`` codes), ``length_km``
        (geodesic, WGS84), ``source`` (the npm package) and MultiLineString
        geometry at sea (off Natural Earth's land), EPSG:4326. Rebuilt by
        ``python -m geodata.build_sea_borders``; see ``geodata/README.md``.
        A fresh copy on every call.
    """
    return _read(SEA_BORDERS_PATH, ("a3_a", "a3_b")).copy()


@functools.cache
def _read(path: Path, key: tuple[str, ...], *, index: str | None = None) -> gpd.GeoDataFrame:
    """Return the shared, validated frame at ``path``, indexed by ``index`` (the public loaders hand out copies)."""
    frame = gpd.read_parquet(path)
    _check(frame, name=path.name, key=list(key))
    return frame.set_index(index, drop=False) if index else frame


def load_regions() -> gpd.GeoDataFrame:
    """Return Natural Earth 10m admin-1 regions of the countries within reach of the line.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adm1_code`` (key), ``adm0_a3`` (the admin-0 feature that
        holds the region), ``iso_3166_2``, ``name`` (English), ``name_local``,
        ``type``, ``source_adm0_a3``, ``area_km2`` (geodesic) and
        MultiPolygon geometry, EPSG:4326. A fresh copy on every call.
    """
    return _read(REGIONS_PATH, ("adm1_code",)).copy()


def load_places() -> gpd.GeoDataFrame:
    """Return GeoNames places of 1,000 people or more, each counted once (sections removed).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``geonameid`` (key), ``name``, ``feature_code``, ``adm0_a3``,
        ``adm1_code`` (``None`` outside the regions kept), ``population``,
        :data:`NEIGHBOURS_COLUMN` and Point geometry, EPSG:4326, most populous first. A fresh copy on every
        call.
    """
    return _read(PLACES_PATH, ("geonameid",)).copy()


@functools.cache
def data_fingerprint() -> str:
    """Return a short fingerprint of the committed data: the SHA-256 of ``provenance.json``, 12 hex digits.

    ``provenance.json`` records every data file's own SHA-256 (``tests/test_geodata.py`` checks them), so the
    fingerprint changes whenever any data file does. Results computed from the data and kept between runs
    (:mod:`zones.engine.disk_cache`) carry it, and are not reused once the data change.

    Returns
    -------
    str
    """
    return hashlib.sha256(PROVENANCE_PATH.read_bytes()).hexdigest()[:12]
