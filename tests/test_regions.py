"""Admin-1 regions: the committed data, Analysis.regions and the ``regions`` command, checked independently."""

from __future__ import annotations

import hashlib
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pycountry
import pytest
import shapely

import geodata
from geodata.loader import HERE, PLACES_PATH, PROVENANCE_PATH, REGIONS_PATH
from tests import oracle
from tests.files import listing
from zones import Scenario, analyse
from zones.cli.main import main
from zones.engine.impact import Hulls, intersection_in_box, meeting_and_inside
from zones.engine.regions import affected_regions

#: Countries named in issue 12 whose regions must tile them; every other country in the file is tested too.
NAMED_COUNTRIES = (
    "POL", "LTU", "LVA", "EST", "FIN", "NOR", "SWE", "BLR", "TUR", "GEO", "ARM", "AZE", "UKR", "RUS", "KAZ",
)  # fmt: skip
REGION_CODES = tuple(sorted(set(pq.read_table(REGIONS_PATH, columns=["adm0_a3"]).column("adm0_a3").to_pylist())))
#: Largest share of a country's geodesic area by which its regions may differ from it.
TILING_TOLERANCE = 1e-4

SCENARIOS = {
    "draft-100": Scenario(width_km=100, date="2021-12-17"),
    "draft-300": Scenario(width_km=300, date="2021-12-17"),
    "per-side": Scenario(width_km=100, russia_width_km=100, nato_width_km=400),
    "clip-300": Scenario(width_km=300, clip=True),
    "csto-500": Scenario(width_km=500, allies="csto"),
    "arctic-1200": Scenario(width_km=1200, date="2024-03-07"),  # mainland Norway all in, Svalbard not
}


@pytest.fixture(scope="module")
def analyses():
    return {}


def analysis_of(analyses, key):
    if key not in analyses:
        analyses[key] = analyse(SCENARIOS[key])
    return analyses[key]


@pytest.fixture(scope="module")
def raw_regions():
    """The committed file read directly, not through the loader."""
    return gpd.read_parquet(REGIONS_PATH)


# --- the committed data ----------------------------------------------------------


@pytest.mark.parametrize("path", [REGIONS_PATH, PLACES_PATH], ids=lambda p: p.name)
def test_committed_file_matches_its_provenance_sha256(path):
    provenance = json.loads(PROVENANCE_PATH.read_text())
    assert hashlib.sha256(path.read_bytes()).hexdigest() == provenance[path.name]["sha256"]
    assert path.parent == HERE


def test_regions_are_valid_wgs84_and_uniquely_keyed(raw_regions):
    assert raw_regions.crs.to_epsg() == 4326
    assert shapely.is_valid(raw_regions.geometry.to_numpy()).all()
    assert raw_regions["adm1_code"].is_unique
    assert not raw_regions["adm1_code"].isna().any()
    assert set(NAMED_COUNTRIES) <= set(REGION_CODES)


@pytest.mark.parametrize("code", REGION_CODES)
def test_regions_tile_their_country(raw_regions, code):
    """Union equals the country (no gap) and areas add up (no overlap), measured geodesically."""
    country = geodata.load_countries().loc[code, "geometry"]
    regions = raw_regions.loc[raw_regions["adm0_a3"] == code].geometry.to_numpy()
    country_km2 = oracle.geodesic_area_km2(country)
    mismatch_km2 = oracle.geodesic_area_km2(shapely.symmetric_difference(shapely.union_all(regions), country))
    assert mismatch_km2 <= TILING_TOLERANCE * country_km2, (code, mismatch_km2 / country_km2)
    summed_km2 = sum(oracle.geodesic_area_km2(g) for g in regions)
    assert summed_km2 == pytest.approx(country_km2, rel=TILING_TOLERANCE)


@pytest.mark.parametrize(
    ("iso", "lon", "lat"),
    [("UA-43", 34.10, 44.95), ("UA-40", 33.52, 44.60)],  # Simferopol, Sevastopol
    ids=["Crimea", "Sevastopol"],
)
def test_crimea_and_sevastopol_belong_to_ukraine(raw_regions, iso, lon, lat):
    row = raw_regions.loc[raw_regions["iso_3166_2"] == iso].squeeze()
    assert row["adm0_a3"] == "UKR"
    assert row.geometry.contains(shapely.Point(lon, lat))
    countries = geodata.load_countries()
    assert countries.loc["UKR", "geometry"].buffer(1e-6).contains(row.geometry)


def test_baikonur_lies_in_kazakhstan(raw_regions):
    baikonur = raw_regions.loc[raw_regions["source_adm0_a3"] == "KAB"].squeeze()
    assert baikonur["adm0_a3"] == "KAZ"
    assert baikonur.geometry.contains(shapely.Point(63.31, 45.62))  # the town of Baikonur
    assert geodata.load_countries().loc["KAZ", "geometry"].buffer(1e-6).contains(baikonur.geometry)


def test_places_hold_no_sections_or_lost_places():
    places = gpd.read_parquet(PLACES_PATH)
    assert places.crs.to_epsg() == 4326
    assert places["geonameid"].is_unique
    assert not places["feature_code"].isin(["PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"]).any()
    assert places["feature_code"].str.startswith("PPL").all()


# --- current ISO 3166-2 codes (issue 23) -------------------------------------------------

#: The border countries' features and their ISO 3166-1 alpha-2 codes (Åland's regions are Finland's).
BORDER_COUNTRIES = {
    "EST": "EE", "LVA": "LV", "LTU": "LT", "POL": "PL", "NOR": "NO", "FIN": "FI", "ALD": "FI", "BLR": "BY",
    "RUS": "RU", "UKR": "UA",
}  # fmt: skip

#: Codes of these countries that pycountry 26.2.16 does not list, each with the reason.
CODE_EXCEPTIONS = {
    **dict.fromkeys(
        ("NO-31", "NO-32", "NO-33", "NO-39", "NO-40", "NO-55", "NO-56"),
        "Norway's counties since 1 January 2024 (Statistics Norway, KLASS 104); pycountry 26.2.16 still lists "
        "the 2020 counties Viken NO-30, Vestfold og Telemark NO-38 and Troms og Finnmark NO-54",
    ),
    "": "Bouvet Island: a dependency of Norway with its own ISO 3166-1 code BV and no ISO 3166-2 code",
}


@pytest.mark.parametrize("code", sorted(BORDER_COUNTRIES))
def test_region_codes_are_current_iso_3166_2(raw_regions, code):
    """Every region code is in pycountry's current list, or a documented exception."""
    current = {s.code for s in pycountry.subdivisions.get(country_code=BORDER_COUNTRIES[code])}
    codes = raw_regions.loc[raw_regions["adm0_a3"] == code, "iso_3166_2"]
    stale = sorted(set(codes) - current - set(CODE_EXCEPTIONS))
    assert not stale, stale
    assert codes.is_unique, codes[codes.duplicated()].tolist()


@pytest.mark.parametrize(("code", "count"), [("EST", 15), ("LVA", 43), ("POL", 16), ("LTU", 10), ("BLR", 7)])
def test_every_current_unit_is_present_once(raw_regions, code, count):
    """Latvia's 43 units of the 2021 reform, Estonia's 15 counties, Poland's 16 voivodeships (pycountry's lists)."""
    subdivisions = pycountry.subdivisions.get(country_code=BORDER_COUNTRIES[code])
    current = {s.code for s in subdivisions if s.parent_code is None}  # not Estonia's municipalities
    codes = raw_regions.loc[raw_regions["adm0_a3"] == code, "iso_3166_2"]
    assert len(current) == count
    assert sorted(codes) == sorted(current)


def test_norway_has_its_15_counties_of_2024_and_its_arctic_regions(raw_regions):
    norway = raw_regions.loc[raw_regions["adm0_a3"] == "NOR"].set_index("iso_3166_2")
    counties = norway.loc[norway["type"] == "County"]
    assert len(counties) == 15
    assert {"NO-21", "NO-22"} <= set(norway.index)
    jan_mayen, nordland = norway.loc["NO-22", "geometry"], norway.loc["NO-18", "geometry"]
    assert jan_mayen.contains(shapely.Point(-8.2, 71.08))  # Beerenberg, the volcano of its north-east
    assert 300 < oracle.geodesic_area_km2(jan_mayen) < 500  # 377 km² officially; Natural Earth's outline
    assert shapely.bounds(nordland)[0] > 5  # nothing of Nordland west of 5° E any more
    # Innlandet is Hedmark and Oppland: it holds both old county seats
    assert norway.loc["NO-34", "geometry"].contains(shapely.MultiPoint([(11.07, 60.79), (10.47, 61.11)]))


def test_aland_is_fi_01(raw_regions):
    aland = raw_regions.loc[raw_regions["adm0_a3"] == "ALD"]
    assert aland["iso_3166_2"].tolist() == ["FI-01"]
    assert aland.geometry.iloc[0].contains(shapely.Point(19.94, 60.10))  # Mariehamn


def test_minsk_oblast_and_city_are_typed_as_such(raw_regions):
    by_code = raw_regions.set_index("iso_3166_2")
    assert by_code.loc["BY-MI", "type"] == by_code.loc["BY-BR", "type"] == "Region"
    assert by_code.loc["BY-HM", "type"] == "City"
    assert by_code.loc["EE-74", "type"] == "County"  # Saare county was typed "Municipality" too


def test_region_code_table_gives_a_source_for_every_row():
    table = pd.read_csv(HERE / "region_codes.csv", dtype=str, keep_default_na=False)
    assert table["adm1_code"].is_unique
    assert (table["source"].str.contains("https://")).all()
    assert (table.loc[table["iso_3166_2"].str.startswith("LV-"), "source"].str.contains("likumi.lv")).all()


# --- Analysis.regions --------------------------------------------------------------


REGION_COLUMNS = ["adm0_a3", "iso_3166_2", "name", "side", "area_km2", "region_area_km2", "share", "population"]


@pytest.mark.parametrize("key", ["draft-300", "per-side", "clip-300", "csto-500"])
def test_regions_add_up_to_each_affected_country(analyses, key):
    analysis = analysis_of(analyses, key)
    regions = analysis.regions
    assert set(REGION_COLUMNS) <= set(regions.columns)
    assert regions.crs.to_epsg() == 4326
    summed = regions.groupby("adm0_a3")["area_km2"].sum()
    affected = analysis.affected.set_index("adm0_a3")["area_km2"]
    with_regions = affected[affected.index.isin(REGION_CODES)]
    assert set(summed.index) == set(with_regions.index)
    np.testing.assert_allclose(summed.reindex(with_regions.index), with_regions, rtol=1e-4)


@pytest.mark.parametrize("key", ["draft-300", "per-side", "clip-300", "csto-500"])
def test_every_piece_is_inside_the_zone_and_its_region(analyses, key, raw_regions):
    analysis = analysis_of(analyses, key)
    regions = analysis.regions
    zone = analysis.zone.buffer(1e-7)
    source = raw_regions.set_index("adm1_code")
    whole_km2 = source.loc[regions["adm1_code"], "geometry"].map(oracle.geodesic_area_km2).to_numpy()
    for row in regions.itertuples():
        assert zone.contains(row.geometry), row.adm1_code
        assert source.loc[row.adm1_code, "geometry"].buffer(1e-7).contains(row.geometry), row.adm1_code
    areas = np.array([oracle.geodesic_area_km2(g) for g in regions.geometry])
    np.testing.assert_allclose(regions["area_km2"], areas, rtol=1e-6)
    np.testing.assert_allclose(regions["region_area_km2"], whole_km2, rtol=1e-6)
    np.testing.assert_allclose(regions["share"], areas / whole_km2, atol=1e-6)


def test_clipped_regions_have_no_third_countries(analyses):
    clipped = analysis_of(analyses, "clip-300").regions
    assert set(clipped["side"]) == {"russia", "nato"}
    unclipped = analysis_of(analyses, "draft-300").regions
    assert "third" in set(unclipped["side"])  # the check above can fail


@pytest.mark.parametrize(
    ("key", "iso", "width_km"),
    [
        ("draft-100", "PL-20", 100),
        ("draft-100", "PL-28", 100),
        ("draft-100", "LT-PN", 100),
        ("draft-100", "LV-059", 100),
        ("draft-100", "EE-84", 100),
        ("draft-100", "RU-PSK", 100),
        ("draft-100", "BY-VI", 100),
        ("per-side", "RU-LEN", 100),  # Russia's side: 100 km
        ("per-side", "PL-08", 400),  # NATO's side: 400 km
        ("per-side", "UA-18", 400),  # a third country: the larger width
        ("clip-300", "PL-30", 300),
        ("clip-300", "EE-74", 300),
        ("csto-500", "RU-TVE", 500),
        ("csto-500", "TR-58", 500),
        ("arctic-1200", "NO-21", 1200),  # Svalbard, a remote part of Norway
    ],
)
def test_region_share_against_an_equal_area_point_grid(analyses, raw_regions, key, iso, width_km):
    """Second method: the share of an equal-area grid inside the region within the width by the oracle."""
    analysis = analysis_of(analyses, key)
    region = raw_regions.loc[raw_regions["iso_3166_2"] == iso].squeeze()
    step_km = max(0.5, np.sqrt(oracle.geodesic_area_km2(region.geometry) / 3000))
    lon, lat = oracle.equal_area_grid(region.geometry, step_km)
    assert len(lon) > 2000
    within_m = width_km * 1000  # a point beyond is inf: not measured
    grid_share = (oracle.distance_to_line_m(lon, lat, analysis.line, beyond_m=within_m) <= within_m).mean()
    rows = analysis.regions.set_index("adm1_code")
    share = rows.loc[region["adm1_code"], "share"] if region["adm1_code"] in rows.index else 0.0
    assert 0.02 < grid_share < 0.98, "choose a partly covered region"
    assert share == pytest.approx(grid_share, abs=0.01), (iso, share, grid_share)


def test_a_remote_part_is_cut_even_when_the_stated_part_is_all_in(analyses):
    """Mainland Norway's share at exactly 1 (as a machine's rounding may make it) must not take Svalbard whole.

    At 1,200 km all of mainland Norway lies in the zone, so its ``share`` (of the stated part) is 1 to the
    last digits, and a CPU's maths library decides which side of 1 it falls. Svalbard is not all in: an
    equal-area grid puts 95 % of it within 1,200 km (the grid test above). Only the whole country's share
    may take its regions whole.
    """
    analysis = analysis_of(analyses, "arctic-1200")
    affected = analysis.affected.copy()
    norway = affected["adm0_a3"] == "NOR"
    assert affected.loc[norway, "share"].item() == pytest.approx(1.0, abs=1e-9)
    assert affected.loc[norway, "share_whole_country"].item() < 0.995  # Svalbard's north-west and Jan Mayen lie beyond
    affected.loc[norway, "share"] = 1.0
    zone = shapely.union_all(analysis.strip.geometry.to_numpy())
    regions = affected_regions(zone, affected, analysis.sides).set_index("iso_3166_2")
    svalbard = regions.loc["NO-21"]
    assert svalbard["area_km2"] == pytest.approx(analysis.regions.set_index("iso_3166_2").loc["NO-21", "area_km2"])
    assert 0.9 < svalbard["share"] < 0.99


# --- python -m zones regions ------------------------------------------------------


EXPORT_COLUMNS = [*REGION_COLUMNS, "width_km", "date", "allies", "population_method"]
CLI_SCENARIO = ["--width-km", "300", "--date", "2021-12-17", "--allies", "union-state"]


def test_regions_command_writes_geojson_and_csv(analyses, tmp_path):
    expected = analysis_of(analyses, "draft-300").regions
    geojson, csv = tmp_path / "r.geojson", tmp_path / "r.csv"
    assert main(["regions", *CLI_SCENARIO, "--out", str(geojson)]) == 0
    assert main(["regions", *CLI_SCENARIO, "--out", str(csv)]) == 0
    features = gpd.read_file(geojson)
    table = pd.read_csv(csv, keep_default_na=False)
    for frame in (features, table):
        assert set(EXPORT_COLUMNS) <= set(frame.columns)
        assert len(frame) == len(expected)
        assert set(frame["width_km"]) == {300}
        assert {str(day)[:10] for day in frame["date"]} == {"2021-12-17"}
        assert set(frame["allies"]) == {"union-state"}
        assert frame["population_method"].str.contains("estimate").all()
    np.testing.assert_allclose(np.sort(features["area_km2"]), np.sort(expected["area_km2"]), rtol=1e-9)
    np.testing.assert_allclose(np.sort(table["area_km2"]), np.sort(expected["area_km2"]), rtol=1e-5)
    assert sorted(table["population"]) == sorted(expected["population"])
    # the written geometry is the affected part: its own geodesic area matches the property
    written_km2 = np.array([oracle.geodesic_area_km2(g) for g in features.geometry])
    np.testing.assert_allclose(written_km2, features["area_km2"], rtol=1e-3)


def test_regions_command_narrows_to_one_country(analyses, tmp_path):
    expected = analysis_of(analyses, "draft-300").regions
    out = tmp_path / "pol.csv"
    assert main(["regions", *CLI_SCENARIO, "--country", "pol", "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert set(table["adm0_a3"]) == {"POL"}
    assert sorted(table["iso_3166_2"]) == sorted(expected.loc[expected["adm0_a3"] == "POL", "iso_3166_2"])


@pytest.mark.parametrize(
    ("args", "option"),
    [(["--country", "XYZ"], "--country"), (["--width-km", "-3"], "--width-km")],
)
def test_regions_command_refuses_bad_options(tmp_path, capsys, args, option):
    out = tmp_path / "r.geojson"
    assert main(["regions", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert option in err[0]
    assert "XYZ" in err[0] or "-3" in err[0]
    assert listing(tmp_path) == []


def test_transfer_parts_moves_a_places_cell_within_its_box():
    """Two 1° squares side by side; places at x = 0.5, 1.2 and 1.8: the cell of 1.2 within the box moves west."""
    from geodata.build_regions import read_region_transfers, transfer_parts

    regions = gpd.GeoDataFrame(
        {"iso_3166_2": ["XX-A", "XX-B"], "area_km2": [0.0, 0.0]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        {"geonameid": [1, 2, 3], "adm0_a3": ["XXX"] * 3},
        geometry=shapely.points([(0.5, 0.5), (1.2, 0.5), (1.8, 0.5)]),
        crs="EPSG:4326",
    )
    table = pd.DataFrame(
        [{"geonameid": 2, "place": "two", "from_iso": "XX-B", "to_iso": "XX-A", "west": 0.0, "south": 0.0,
          "east": 1.3, "north": 0.6, "what": "", "source": "hand-built"}]
    )  # fmt: skip
    moved = transfer_parts(regions, places, table)
    # The cell of 1.2 among 0.5, 1.2, 1.8 runs from x = 0.85 to 1.5; within the box and region B: x 1–1.3, y 0–0.6.
    expected_a = shapely.union(shapely.box(0, 0, 1, 1), shapely.box(1, 0, 1.3, 0.6))
    assert shapely.symmetric_difference(moved.geometry.iloc[0], expected_a).area < 1e-9
    expected_b = shapely.difference(shapely.box(1, 0, 2, 1), expected_a)
    assert shapely.symmetric_difference(moved.geometry.iloc[1], expected_b).area < 1e-9
    np.testing.assert_allclose(moved["area_km2"], [oracle.geodesic_area_km2(g) for g in moved.geometry], rtol=1e-9)
    again = transfer_parts(moved, places, table)
    assert all(a.equals(b) for a, b in zip(again.geometry, moved.geometry, strict=True))  # runs again to no change
    assert (read_region_transfers()["source"].str.len() > 20).all()


def test_meeting_and_inside_are_shapely_s_predicates():
    """The cheap tests first (boxes, hulls) give exactly intersects and contains_properly, on hand-built shapes."""
    ring = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(4, 4), (6, 4), (6, 6), (4, 6)]])
    shapes = np.array(
        [
            shapely.box(1, 1, 2, 2),  # inside: its hull too
            # inside, its hull over the hole
            shapely.Polygon([(1, 1), (9, 1), (9, 9), (1, 9), (1, 8), (8, 8), (8, 2), (1, 2)]),
            shapely.box(3, 3, 7, 7),  # over the hole: meets, not inside
            shapely.box(9, 9, 12, 12),  # across the edge
            shapely.box(10, 2, 11, 3),  # touches the edge from outside: meets, not inside
            shapely.box(0, 2, 1, 3),  # inside, touching the edge: not properly inside
            shapely.box(4.5, 4.5, 5.5, 5.5),  # in the hole: apart
            shapely.box(20, 20, 21, 21),  # far away
            # apart, round a corner: its hull crosses the ring
            shapely.Polygon([(-2, -2), (12, -2), (12, -1), (-1, -1), (-1, 12), (-2, 12)]),
        ],
        dtype=object,
    )
    meets, inside = meeting_and_inside(ring, shapes, Hulls(shapes).at(np.arange(len(shapes))))
    assert shapely.intersects(ring, shapely.convex_hull(shapes[-1]))
    assert meets.tolist() == shapely.intersects(ring, shapes).tolist() == [True] * 6 + [False] * 3
    assert inside.tolist() == shapely.contains_properly(ring, shapes).tolist() == [True, True] + [False] * 7


@pytest.mark.parametrize("clip_fails", [False, True])
def test_intersection_in_box_is_the_intersection(monkeypatch, clip_fails):
    """Each shape cut with the region in their common box: hand-built areas; also when GEOS refuses the cut."""
    if clip_fails:  # as GEOS does for a three-point ring: the whole shapes are intersected instead

        def refuse(*args: object, **kwargs: object) -> None:
            raise shapely.errors.GEOSException("IllegalArgumentException: Invalid number of points in LinearRing")

        monkeypatch.setattr(shapely.lib, "clip_by_rect", refuse)
    region = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(4, 4), (6, 4), (6, 6), (4, 6)]])
    shapes = np.array(
        [shapely.box(-1, -1, 2, 2), shapely.box(3, 3, 7, 7), shapely.box(20, 20, 21, 21), shapely.box(9, 5, 12, 6)],
        dtype=object,
    )
    got = intersection_in_box(shapes, region)
    assert shapely.area(got).tolist() == [4.0, 16.0 - 4.0, 0.0, 1.0]  # by hand: overlap minus the hole
    expected = shapely.intersection(shapes, region)
    assert all(shapely.equals(got[i], expected[i]) for i in (0, 1, 3))
    assert got[2].is_empty
