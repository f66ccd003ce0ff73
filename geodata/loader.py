"""Load the committed border data once, validated, and cheaply again."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

import geopandas as gpd
import shapely

HERE: Final = Path(__file__).resolve().parent
COUNTRIES_PATH: Final = HERE / "countries.parquet"
BORDERS_PATH: Final = HERE / "borders.parquet"
SEA_BORDERS_PATH: Final = HERE / "sea_borders.parquet"
CRS: Final = "EPSG:4326"


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


@functools.cache
def load_countries() -> gpd.GeoDataFrame:
    """Return Natural Earth 10m admin-0 countries (v5.1.1), validated once.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, indexed by ``adm0_a3``, EPSG:4326. Columns are
        described in ``geodata/README.md``; ``area_km2`` is the geodesic land
        area on WGS84 and ``sov_adm0`` the ``adm0_a3`` of the sovereign state.
        The frame is cached and shared: copy it before modifying.
    """
    frame = gpd.read_parquet(COUNTRIES_PATH)
    _check(frame, name=COUNTRIES_PATH.name, key=["adm0_a3"])
    return frame.set_index("adm0_a3", drop=False)


@functools.cache
def load_borders() -> gpd.GeoDataFrame:
    """Return every shared land border between two Natural Earth features.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a3_a`` < ``a3_b`` (``adm0_a3`` codes), ``length_km``
        (geodesic, WGS84) and MultiLineString geometry, EPSG:4326. Cached
        and shared: copy it before modifying.
    """
    frame = gpd.read_parquet(BORDERS_PATH)
    _check(frame, name=BORDERS_PATH.name, key=["a3_a", "a3_b"])
    return frame


@functools.cache
def load_sea_borders() -> gpd.GeoDataFrame:
    """Return the territorial-sea borders between Russia-side and NATO states.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a3_a`` < ``a3_b`` (``adm0_a3`` codes), ``length_km``
        (geodesic, WGS84), ``source`` (the npm package) and MultiLineString
        geometry at sea (off Natural Earth's land), EPSG:4326. Rebuilt by
        ``python -m geodata.build_sea_borders``; see ``geodata/README.md``.
        Cached and shared: copy it before modifying.
    """
    frame = gpd.read_parquet(SEA_BORDERS_PATH)
    _check(frame, name=SEA_BORDERS_PATH.name, key=["a3_a", "a3_b"])
    return frame
