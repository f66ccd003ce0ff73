"""Training areas where exercises above brigade level were held: ``geodata/sites.csv``, read and checked.

How the list was drawn up, and what each column means, is in
``geodata/README.md`` ("Training areas"). The coordinates are filled in from
the ``coordinate_source`` column by ``python -m geodata.build_sites``: a
cited centre (``cited <lat> N <lon> E: …``), or the named settlement's
GeoNames point in ``places.parquet`` moved by the stated offset
(``GeoNames <id> <name>, offset <km> km [<direction>]; …``).

The loader imports nothing from ``zones`` (see :mod:`geodata.geodesy`).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from types import MappingProxyType
from typing import Final

import geopandas as gpd
import pandas as pd

from geodata.loader import load_countries

SITES_PATH: Final = Path(__file__).resolve().parent / "sites.csv"

#: The columns of ``sites.csv``, in order.
SITE_COLUMNS: Final = ("name", "country", "lon", "lat", "coordinate_source", "exercises", "source_url")

#: A coordinate from the named settlement's GeoNames point, moved by an offset.
GEONAMES_SOURCE: Final = re.compile(
    r"^GeoNames (?P<geonameid>\d+) (?P<settlement>[^,]+), offset (?P<km>\d+(?:\.\d+)?) km"
    r"(?: (?P<direction>N|NE|E|SE|S|SW|W|NW))?(?:;|$)"
)
#: A coordinate cited from a source that gives the area's centre.
CITED_SOURCE: Final = re.compile(r"^cited (?P<lat>\d+(?:\.\d+)?) N (?P<lon>\d+(?:\.\d+)?) E\b")

#: Azimuth in degrees of each compass direction an offset may name.
DIRECTION_AZIMUTH_DEG: Final = MappingProxyType(
    {"N": 0.0, "NE": 45.0, "E": 90.0, "SE": 135.0, "S": 180.0, "SW": 225.0, "W": 270.0, "NW": 315.0}
)


def site_table_problems(table: pd.DataFrame) -> list[str]:
    """Return what is wrong with a raw ``sites.csv`` table, one message per fault (empty when it is valid).

    Parameters
    ----------
    table : pandas.DataFrame
        The file read as text (``dtype=str``, ``keep_default_na=False``).

    Returns
    -------
    list of str
        Each message names the line and the area, the column and what is
        allowed; a wrong set of columns gives one message only.
    """
    if tuple(table.columns) != SITE_COLUMNS:
        return [f"columns should be {list(SITE_COLUMNS)}, got {list(table.columns)}"]
    problems = []
    known = set(load_countries().index)
    rows = table.to_dict("records")
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        where = f"line {line} ({row['name']!r})"
        problems += [f"{where}: empty {column}" for column in SITE_COLUMNS if not str(row[column]).strip()]
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except ValueError:
            lon = lat = float("nan")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"{where}: lon/lat should be degrees within ±180/±90, got {row['lon']!r}, {row['lat']!r}")
        if row["country"] not in known:
            problems.append(f"{where}: unknown country {row['country']!r} (not a Natural Earth ADM0_A3 code)")
        if not (GEONAMES_SOURCE.match(row["coordinate_source"]) or CITED_SOURCE.match(row["coordinate_source"])):
            problems.append(
                f"{where}: coordinate_source should start 'GeoNames <id> <name>, offset <km> km' or "
                f"'cited <lat> N <lon> E', got {row['coordinate_source'][:40]!r}"
            )
        if not all(url.startswith(("http://", "https://")) for url in row["source_url"].split()):
            problems.append(f"{where}: source_url should be http(s) URLs separated by spaces")
    problems += [f"duplicate name {name!r}" for name in table.loc[table["name"].duplicated(), "name"]]
    return problems


@functools.cache
def _sites() -> gpd.GeoDataFrame:
    """Return the shared, validated sites frame (the public loader hands out copies)."""
    table = pd.read_csv(SITES_PATH, dtype=str, keep_default_na=False)
    problems = site_table_problems(table)
    if problems:
        msg = f"{SITES_PATH.name}: {'; '.join(problems[:5])}" + (
            f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        )
        raise ValueError(msg)
    table["lon"] = table["lon"].astype(float)
    table["lat"] = table["lat"].astype(float)
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326")


def load_sites() -> gpd.GeoDataFrame:
    """Return the training areas of ``geodata/sites.csv``, validated once.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per area: ``name`` (unique), ``country`` (Natural Earth
        ``ADM0_A3``), ``lon``, ``lat`` (degrees, EPSG:4326),
        ``coordinate_source``, ``exercises`` (``"; "``-separated, with years)
        and ``source_url`` (one or more http(s) URLs, space-separated), and
        Point geometry, EPSG:4326, in the file's order. A fresh copy on every
        call.

    Raises
    ------
    ValueError
        If the file has other columns, an empty field, a lon/lat out of range,
        an unknown country, a duplicate name, a coordinate source of another
        form or a source that is not an http(s) URL.
    """
    return _sites().copy()
