"""Border data and alliance membership by date."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pyproj import Geod

import geodata
from geodata import build
from geodata.build_regions import REACH_CODES, REACH_KM, possible_line
from geodata.geodesy import polygonal, polygonal_each
from geodata.loader import lonlat_frame
from zones import geodesic_buffer

GEOD = Geod(ellps="WGS84")


def test_countries_are_valid_wgs84_and_uniquely_keyed():
    countries = geodata.load_countries()
    assert countries.crs.to_epsg() == 4326
    assert shapely.is_valid(countries.geometry.to_numpy()).all()
    assert countries["adm0_a3"].is_unique
    assert len(countries) == 250
    assert (countries.geometry.geom_type == "MultiPolygon").all()


def test_loader_reads_the_file_once(monkeypatch):
    geodata.load_countries()
    geodata.load_borders()
    monkeypatch.setattr(gpd, "read_parquet", lambda *args, **kwargs: pytest.fail("read again"))
    assert len(geodata.load_countries()) == 250
    assert len(geodata.load_borders()) > 0


def test_names_are_utf8_decoded():
    assert geodata.load_countries().loc["ALD", "name"] == "Åland"


@pytest.mark.parametrize(
    ("feature", "sovereign"),
    [("ALD", "FIN"), ("GRL", "DNK"), ("FRO", "DNK"), ("GIB", "GBR"), ("FIN", "FIN"), ("NOR", "NOR"), ("PRI", "USA")],
)
def test_dependent_territories_go_with_their_sovereign(feature, sovereign):
    assert geodata.load_countries().loc[feature, "sov_adm0"] == sovereign


def test_svalbard_is_inside_norway():
    svalbard = shapely.Point(15.6, 78.2)  # Longyearbyen
    assert geodata.load_countries().loc["NOR", "geometry"].contains(svalbard)


def test_crimea_is_drawn_as_ukraine():
    simferopol = shapely.Point(34.10, 44.95)
    countries = geodata.load_countries()
    assert countries.loc["UKR", "geometry"].contains(simferopol)
    assert not countries.loc["RUS", "geometry"].contains(simferopol)


def test_area_is_geodesic():
    countries = geodata.load_countries()
    poland = countries.loc["POL", "geometry"]
    expected = abs(GEOD.geometry_area_perimeter(poland)[0]) / 1e6
    assert countries.loc["POL", "area_km2"] == pytest.approx(expected, rel=1e-9)
    assert 300_000 < expected < 320_000  # Poland: 312,696 km² officially, incl. inland waters


def test_ring_areas_are_kept_and_stay_exact(monkeypatch):
    """A ring seen before is looked up (no new geodesic call), with the same area; the memo stays bounded."""
    from geodata import geodesy

    calls = []

    class Counting:
        def polygon_area_perimeter(self, lon, lat):
            calls.append(len(lon))
            return GEOD.polygon_area_perimeter(lon, lat)

    monkeypatch.setattr(geodesy, "GEOD", Counting())
    monkeypatch.setattr(geodesy, "_RING_AREAS", geodesy._RingAreas())
    countries = geodata.load_countries()
    shapes = [countries.loc[code, "geometry"] for code in ("POL", "EST", "LVA")]
    oracle_km2 = [abs(GEOD.geometry_area_perimeter(shape)[0]) / 1e6 for shape in shapes]  # pyproj on the whole shape
    first = geodesy.geodesic_area_km2(shapes)
    assert first == pytest.approx(oracle_km2, rel=1e-9)
    rings = len(calls)
    assert rings == len(shapely.get_rings(shapely.get_parts(shapes)))
    again = geodesy.geodesic_area_km2(shapes[::-1])
    assert len(calls) == rings  # every ring looked up
    assert again.tolist() == first[::-1].tolist()  # the same bits
    monkeypatch.setattr(geodesy, "_RING_MEMO_BYTES", 2_000)  # a ring or so per generation: two generations kept
    monkeypatch.setattr(geodesy, "_RING_AREAS", geodesy._RingAreas())
    small = geodesy.geodesic_area_km2(shapes)
    assert small.tolist() == first.tolist()
    kept = geodesy._RING_AREAS
    assert sum(len(key) for key in kept._new) <= 2_000 or len(kept._new) == 1
    assert len(kept._new) + len(kept._old) < rings


def test_borders_are_exactly_shared_lines():
    borders = geodata.load_borders()
    assert borders.crs.to_epsg() == 4326
    assert (borders["a3_a"] < borders["a3_b"]).all()
    countries = geodata.load_countries()
    row = borders[(borders.a3_a == "FIN") & (borders.a3_b == "RUS")].iloc[0]
    # every vertex of the shared border lies on both countries' boundaries
    points = shapely.points(shapely.get_coordinates(row.geometry))
    for code in ("FIN", "RUS"):
        assert shapely.distance(countries.loc[code, "geometry"].boundary, points).max() < 1e-9
    assert row.length_km == pytest.approx(GEOD.geometry_length(row.geometry) / 1000)


def test_rebuild_reproduces_committed_files(tmp_path):
    # The admin-0 files come from a package CI installs; regions and places need 110 MB of downloads,
    # so CI checks their committed bytes against provenance.json instead (tests/test_regions.py).
    assert build.main(["--out-dir", str(tmp_path), "--only", "countries"]) == 0
    committed_provenance = json.loads((build.HERE / "provenance.json").read_text())
    for name in ("countries.parquet", "borders.parquet"):
        rebuilt = gpd.read_parquet(tmp_path / name)
        committed = gpd.read_parquet(build.HERE / name)
        assert_geodataframe_equal(rebuilt, committed, check_less_precise=False)
        digest = hashlib.sha256((build.HERE / name).read_bytes()).hexdigest()
        assert committed_provenance[name]["sha256"] == digest  # the committed file is the one recorded


def test_current_units_step_reproduces_committed_regions_and_places(tmp_path):
    """``python -m geodata.build_regions`` on the committed files changes nothing (the step is re-runnable)."""
    from geodata import build_regions

    assert build_regions.main(["--out-dir", str(tmp_path)]) == 0
    for name in ("regions.parquet", "places.parquet"):
        rebuilt = gpd.read_parquet(tmp_path / name)
        assert_geodataframe_equal(rebuilt, gpd.read_parquet(build.HERE / name), check_less_precise=False)


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("1949-04-03", 0),
        ("1949-04-04", 12),
        ("1997-05-27", 16),  # NATO–Russia Founding Act
        ("1999-03-12", 19),
        ("2021-12-17", 30),  # the draft agreement
        ("2023-04-04", 31),  # Finland joins
        ("2024-03-07", 32),  # Sweden joins
    ],
)
def test_nato_membership_counts(day, count):
    assert len(geodata.alliance_members("nato", dt.date.fromisoformat(day))) == count


def test_nato_today_has_32_members():
    assert len(geodata.alliance_members("nato", dt.date.today())) == 32


def test_membership_day_boundaries():
    before, on = dt.date(2023, 4, 3), dt.date(2023, 4, 4)
    assert "FIN" not in geodata.alliance_members("nato", before)
    assert "FIN" in geodata.alliance_members("nato", on)


@pytest.mark.parametrize(
    ("reading", "day", "members"),
    [
        ("union-state", "1997-05-27", ("RUS",)),  # the Union State treaty is of 1999-12-08
        ("union-state", "1999-12-08", ("BLR", "RUS")),
        ("union-state", "today", ("BLR", "RUS")),
        ("csto", "1991-12-26", ("RUS",)),
        ("csto", "1992-05-15", ("ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB")),  # Tashkent, signed
        ("csto", "1993-09-24", ("ARM", "AZE", "KAZ", "KGZ", "RUS", "TJK", "UZB")),
        ("csto", "1997-05-27", ("ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB")),
        ("csto", "1999-04-19", ("ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB")),
        ("csto", "1999-04-20", ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")),  # AZE, GEO, UZB did not renew
        ("csto", "2005-01-01", ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")),
        ("csto", "2006-06-23", ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB")),
        ("csto", "2012-06-28", ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")),
        ("csto", "today", ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")),
    ],
)
def test_russia_side_readings_by_date(reading, day, members):
    date = dt.date.today() if day == "today" else dt.date.fromisoformat(day)
    assert geodata.alliance_members(reading, date) == members


def test_armenia_is_kept_and_flagged_from_february_2024():
    assert geodata.alliance_flags("csto", dt.date(2024, 2, 21)) == {}
    flags = geodata.alliance_flags("csto", dt.date(2024, 2, 22))
    assert list(flags) == ["ARM"]
    assert "froze its participation" in flags["ARM"]
    assert "ARM" in geodata.alliance_members("csto", dt.date.today())
    assert geodata.alliance_flags("union-state", dt.date.today()) == {}


def test_every_membership_row_has_a_source_and_a_start():
    table = geodata.alliance_table()
    assert table["source"].str.contains("https://").all()
    assert table["joined"].notna().all()
    spells = table.dropna(subset=["left"])
    assert (spells["left"] > spells["joined"]).all()


def test_alliance_codes_are_natural_earth_sovereigns():
    countries = geodata.load_countries()
    table = geodata.alliance_table()
    for code in table["adm0_a3"]:
        assert countries.loc[code, "sov_adm0"] == code


def test_unknown_alliance_is_refused():
    with pytest.raises(ValueError, match=r"'alliance' should be one of .*got 'warsaw-pact'"):
        geodata.alliance_members("warsaw-pact", dt.date(1990, 1, 1))


@pytest.mark.parametrize(
    "loader",
    [
        geodata.load_countries,
        geodata.load_borders,
        geodata.load_sea_borders,
        geodata.load_regions,
        geodata.load_places,
    ],
)
def test_a_callers_edit_does_not_reach_later_callers(loader):
    before = loader()
    mine = loader()
    assert mine is not before
    mine[mine.columns[0]] = None
    mine["added"] = 1
    mine.geometry.array[0] = shapely.Point(0, 0)
    after = loader()
    assert len(after) == len(before)
    assert "added" not in after.columns
    assert_geodataframe_equal(after, before)


def test_the_regions_kept_are_those_within_reach_of_any_possible_line():
    """``REACH_CODES`` (a constant, since geodata does not import zones) is what the engine measures today."""
    countries, borders = geodata.load_countries().reset_index(drop=True), geodata.load_borders()
    reach = geodesic_buffer(possible_line(countries, borders), distance_km=REACH_KM)
    hits = shapely.intersects(countries.geometry.to_numpy(), reach)
    assert tuple(sorted(countries.loc[hits, "adm0_a3"])) == REACH_CODES
    assert sorted(set(geodata.load_regions()["adm0_a3"])) == list(REACH_CODES)


def test_polygonal_each_is_polygonal_of_each():
    square, far = shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 7)
    mixed = shapely.GeometryCollection([shapely.Point(0, 0), square, shapely.MultiPolygon([far])])
    geometries = np.array(
        [square, mixed, shapely.LineString([(0, 0), (1, 1)]), shapely.Polygon(), None, square.intersection(far)],
        dtype=object,
    )
    got = polygonal_each(geometries)
    assert [g.geom_type for g in got] == ["MultiPolygon"] * len(geometries)
    assert [shapely.to_wkb(g) for g in got] == [shapely.to_wkb(polygonal(g)) for g in geometries]
    assert got[1].equals(shapely.MultiPolygon([square, far]))  # the hand-built answer
    assert all(g.is_empty for g in got[2:])
    assert len(polygonal_each(np.zeros(0, dtype=object))) == 0


def test_lonlat_frame_equals_the_geodataframe_constructor():
    columns = {"code": np.array(["FIN", "EST"], dtype=object), "area_km2": np.array([1.5, 2.0]), "n": [1, 2]}
    geometry = np.array([shapely.box(20, 60, 21, 61), shapely.Point(24, 59)], dtype=object)
    expected = gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")
    got = lonlat_frame(columns, geometry)
    assert_geodataframe_equal(got, expected)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got.crs.to_epsg() == 4326
    assert got.geometry.name == "geometry"
