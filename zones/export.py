"""Exports of an analysis: the frames as shared by the CLI and the app, as RFC 7946 GeoJSON and CSV.

The ``*_frame`` functions shape an :class:`~zones.engine.analysis.Analysis` into the
columns every export carries; the ``write_*`` functions write them through
:func:`zones.output.atomic_output`, so an interrupted export never leaves a
partial file, and the ``*_bytes`` functions give the same content in memory.
File handling itself (checked paths, temporary files, renames) lives in
:mod:`zones.output`.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from zones.engine.impact import AFFECTED_COLUMNS
from zones.engine.pair_widths import pair_widths_text
from zones.engine.population import POPULATION_METHOD
from zones.engine.sites import side_widths_km, sites_table
from zones.output import atomic_output
from zones.settings import GEOJSON_DECIMALS

if TYPE_CHECKING:
    from zones.engine.analysis import Analysis, Scenario

__all__ = [
    "CSV_SUFFIXES",
    "GEOJSON_SUFFIXES",
    "affected_frame",
    "cities_frame",
    "csv_bytes",
    "geojson_bytes",
    "reading_columns",
    "regions_frame",
    "sites_frame",
    "strip_frame",
    "table_frame",
    "write_by_suffix",
    "write_csv",
    "write_geojson",
]

#: Output suffixes of GeoJSON and CSV files.
GEOJSON_SUFFIXES: Final = (".geojson", ".json")
CSV_SUFFIXES: Final = (".csv",)
#: How the CSV files print their decimals: six significant digits.
CSV_FLOAT_FORMAT: Final = "%.6g"


def _rfc7946_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` in EPSG:4326 on a 10⁻⁶° grid with valid geometries, text dates."""
    out = frame.to_crs(4326) if frame.crs is not None and frame.crs.to_epsg() != 4326 else frame.copy()
    grid = 10.0**-GEOJSON_DECIMALS
    geoms = shapely.set_precision(out.geometry.to_numpy(), grid, mode="valid_output")
    out = out.set_geometry(shapely.orient_polygons(geoms), crs="EPSG:4326")
    for column in out.columns:
        if column != out.geometry.name and out[column].dtype == object:
            out[column] = [v.isoformat() if hasattr(v, "isoformat") else v for v in out[column]]
    return out


def write_geojson(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as an RFC 7946 FeatureCollection, atomically.

    Coordinates are WGS84 lon/lat with :data:`~zones.settings.GEOJSON_DECIMALS`
    decimals, outer rings counter-clockwise, geometries cut at the
    antimeridian (GDAL's ``RFC7946=YES`` mode).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Features to write; any CRS.
    path : str or os.PathLike
        Destination ``.geojson`` file.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    data = _rfc7946_frame(frame)
    with atomic_output(path) as tmp:
        pyogrio.write_dataframe(
            data,
            tmp,
            driver="GeoJSON",
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_DECIMALS), "WRITE_NAME": "NO"},
        )
    return path


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """Return the RFC 7946 GeoJSON of ``frame`` (as :func:`write_geojson`) as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_geojson(frame, Path(folder) / "export.geojson")
        return path.read_bytes()


def table_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` without geometry, for CSV output."""
    if isinstance(frame, gpd.GeoDataFrame):
        return pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return frame


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` (geometry dropped) as UTF-8 CSV, atomically."""
    path = Path(path)
    with atomic_output(path) as tmp:
        tmp.write_bytes(csv_bytes(frame))
    return path


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return the CSV of ``frame`` (geometry dropped) as UTF-8 bytes: the file :func:`write_csv` writes."""
    return table_frame(frame).to_csv(index=False, float_format=CSV_FLOAT_FORMAT).encode("utf-8")


def write_by_suffix(frame: gpd.GeoDataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as GeoJSON or CSV, as the suffix of ``path`` says."""
    path = Path(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        return write_csv(frame, path)
    return write_geojson(frame, path)


def _scenario_columns(analysis: Analysis) -> dict[str, object]:
    """Return the scenario's properties repeated on every exported feature."""
    scenario = analysis.scenario
    columns: dict[str, object] = {"width_km": scenario.width_km}
    if not scenario.symmetric:
        columns |= {"russia_width_km": scenario.russia_width_km, "nato_width_km": scenario.nato_width_km}
    if scenario.pair_widths:
        columns["pair_widths"] = pair_widths_text(scenario.pair_widths)
    return columns | reading_columns(scenario)


def reading_columns(scenario: Scenario) -> dict[str, object]:
    """Return the reading's columns of an export: ``date``, ``allies`` (or the custom sides), ``clip``, ``sea_borders``.

    ``clip`` and ``sea_borders`` are written only when set.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    dict of str to object
    """
    custom = scenario.russia_side is not None or scenario.nato_side is not None
    columns: dict[str, object] = {
        "date": cast(dt.date, scenario.date).isoformat(),  # a Scenario's date is validated: never None
        "allies": scenario.sides_label if custom else scenario.allies,
    }
    if scenario.clip:
        columns["clip"] = True
    if scenario.sea_borders:
        columns["sea_borders"] = True
    return columns


def affected_frame(analysis: Analysis) -> gpd.GeoDataFrame:
    """Return the affected countries as exported by ``python -m zones affected`` and the app.

    Properties: ``adm0_a3``, ``name``, ``side``, ``area_km2`` (land in the
    zone), ``country_area_km2`` (the country's whole land), ``share`` (0–1),
    ``population`` (an estimate, named by ``population_method``),
    ``width_km``, ``date``, ``allies`` (plus the per-side widths when they
    differ, and ``pair_widths``, ``"RUS-NOR=50,RUS-LTU=100"``, when some
    border pairs have their own width); geometry is the affected land.
    """
    affected = analysis.affected
    frame = affected[list(AFFECTED_COLUMNS)].assign(population_method=POPULATION_METHOD, **_scenario_columns(analysis))
    return gpd.GeoDataFrame(frame, geometry=affected.geometry.to_numpy(), crs=affected.crs)


def regions_frame(analysis: Analysis, *, country: str | None = None) -> gpd.GeoDataFrame:
    """Return the affected regions as exported by ``python -m zones regions`` and the app.

    Properties: ``adm0_a3``, ``iso_3166_2``, ``name``, ``type``, ``side``,
    ``area_km2``, ``region_area_km2``, ``share`` (0–1), ``population`` (an
    estimate, named by ``population_method``), ``width_km``, ``date``,
    ``allies``; geometry is the region's land in the zone. ``country``
    (an ``adm0_a3`` code, validated upstream) keeps one country's regions.
    """
    regions = analysis.regions
    if country is not None:
        regions = regions[regions["adm0_a3"] == country]
    columns = ["adm0_a3", "iso_3166_2", "name", "type", "side", "area_km2", "region_area_km2", "share", "population"]
    frame = regions[columns].assign(population_method=POPULATION_METHOD, **_scenario_columns(analysis))
    return gpd.GeoDataFrame(frame, geometry=regions.geometry.to_numpy(), crs=regions.crs)


def strip_frame(analysis: Analysis) -> gpd.GeoDataFrame:
    """Return the zone, one feature per side, as exported by ``python -m zones strip``."""
    strip = analysis.strip
    columns = _scenario_columns(analysis)
    columns.pop("width_km")
    frame = strip[["side", "width_km", "area_km2"]].assign(**columns)
    return gpd.GeoDataFrame(frame, geometry=strip.geometry.to_numpy(), crs=strip.crs)


def cities_frame(analysis: Analysis) -> gpd.GeoDataFrame:
    """Return the cities in the zone as exported by ``python -m zones cities``.

    Columns ``name``, ``adm0_a3``, ``population`` (GeoNames, 2019), ``distance_km``
    (geodesic, to the contact line), ``side``, ``geonameid``, ``lon``, ``lat`` and the scenario's.
    With widths per border pair, also ``pair``, ``pair_distance_km`` and
    ``pair_width_km``: the pair whose strip holds the city, the distance to
    that pair's part of the line and the width in effect there.
    """
    cities = analysis.cities
    xy = shapely.get_coordinates(cities.geometry.to_numpy())
    columns = ["name", "adm0_a3", "population", "distance_km", "side", "geonameid"]
    columns += [c for c in ("pair", "pair_distance_km", "pair_width_km") if c in cities.columns]
    frame = cities[columns].assign(
        lon=xy[:, 0].round(GEOJSON_DECIMALS), lat=xy[:, 1].round(GEOJSON_DECIMALS), **_scenario_columns(analysis)
    )
    return gpd.GeoDataFrame(frame, geometry=cities.geometry.to_numpy(), crs=cities.crs)


def sites_frame(scenario: Scenario, table: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Return the training areas as exported by ``zones sites``: :func:`sites_table` plus the scenario's columns.

    Columns :data:`SITE_TABLE_COLUMNS`, then ``russia_width_km`` and
    ``nato_width_km`` (the widths the ``inside`` column was read at), ``date``
    and ``allies`` (the reading, or the custom sides), and ``clip``,
    ``sea_borders`` and ``pair_widths`` (``"RUS-NOR=50"``) when set; Point
    geometry, EPSG:4326.
    """
    table = sites_table(scenario) if table is None else table
    russia_km, nato_km = side_widths_km(scenario)
    columns: dict[str, object] = {"russia_width_km": russia_km, "nato_width_km": nato_km}
    columns |= reading_columns(scenario)
    if scenario.pair_widths:
        columns["pair_widths"] = pair_widths_text(scenario.pair_widths)
    return gpd.GeoDataFrame(table.assign(**columns), geometry="geometry", crs="EPSG:4326")
