"""The Python API: Scenario validation, analyse invariants and independent checks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import math

import numpy as np
import pytest
import shapely
from pyproj import Transformer

import geodata
from tests import oracle
from zones import ArgumentError, NoBorderError, Scenario, analyse
from zones.engine import sweep
from zones.engine.analysis import affected_for
from zones.engine.cities import distance_to_line_km, load_cities


@pytest.fixture(scope="module")
def draft_300():
    return analyse(Scenario(width_km=300, date=dt.date(2021, 12, 17), allies="union-state"))


# --- Scenario -----------------------------------------------------------------


def test_scenario_is_frozen_and_normalised():
    scenario = Scenario(width_km="250", date="2021-12-17", allies=" CSTO ", russia_side=["blr", "rus"])
    assert scenario.width_km == 250.0
    assert scenario.date == dt.date(2021, 12, 17)
    assert scenario.allies == "csto"
    assert scenario.russia_side == ("BLR", "RUS")
    assert scenario.russia_width_km == scenario.nato_width_km == 250.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.width_km = 10  # type: ignore[misc]
    assert hash(scenario) == hash(
        Scenario(width_km=250, date=dt.date(2021, 12, 17), allies="csto", russia_side=("RUS", "BLR"))
    )


def test_scenario_is_keyword_only():
    with pytest.raises(TypeError):
        Scenario(300)  # type: ignore[misc]  # the point: a positional width is refused


def test_analyse_logs_its_steps_at_debug_level(caplog):
    with caplog.at_level(logging.DEBUG, logger="zones"):
        analyse(Scenario(width_km=50, date="2021-12-17"))
    steps = [record.getMessage().split(":")[0] for record in caplog.records if record.name == "zones"]
    assert steps == ["contact line", "zone", "impact", "regions", "cities"]
    assert not logging.getLogger("zones").handlers  # the library configures no handler


def test_scenario_defaults():
    scenario = Scenario()
    assert scenario.width_km == 100.0
    assert scenario.date == dt.date.today()
    assert scenario.allies == "union-state"
    assert scenario.widths_label == "100 km on each side"


def test_scenario_labels():
    scenario = Scenario(width_km=300, russia_width_km=500, nato_width_km=1000, date="2021-12-17")
    assert scenario.widths_label == "500 km on Russia's side, 1,000 km on NATO's side"
    assert scenario.sides_label == "union-state vs NATO on 2021-12-17"


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"width_km": -1}, r"'width_km' should be 0 or a number of km from 0.1 to 2,000, got -1"),
        ({"width_km": math.nan}, r"'width_km' should be .*got nan"),
        ({"width_km": math.inf}, r"'width_km' should be .*got inf"),
        ({"width_km": 2000.5}, r"'width_km' should be .*got 2000.5"),
        ({"width_km": "abc"}, r"'width_km' should be .*got 'abc'"),
        ({"width_km": True}, r"'width_km' should be .*got True"),
        ({"width_km": None}, r"'width_km' should be .*got None"),
        ({"russia_width_km": -5}, r"'russia_width_km' should be .*got -5"),
        ({"nato_width_km": "1e400"}, r"'nato_width_km' should be .*got '1e400'"),
        ({"clip": "yes"}, r"'clip' should be True or False, got 'yes'"),
        ({"date": "2021-02-30"}, r"'date' should be a date YYYY-MM-DD"),
        ({"allies": "warsaw"}, r"'allies' should be one of"),
        ({"nato_side": ["XXX"]}, r"'nato_side' should be a Natural Earth ADM0_A3"),
    ],
)
def test_scenario_refuses_bad_values(kwargs, pattern):
    with pytest.raises(ArgumentError, match=pattern):
        Scenario(**kwargs)


def test_replace_moves_widths_that_followed_width_km():
    assert Scenario(width_km=100).replace(width_km=300).widths_label == "300 km on each side"
    asymmetric = Scenario(width_km=100, russia_width_km=400).replace(width_km=300)
    assert (asymmetric.russia_width_km, asymmetric.nato_width_km) == (400, 300)


def test_replace_validates_again():
    with pytest.raises(ArgumentError, match="'width_km'"):
        Scenario().replace(width_km=-3)


def test_no_border_is_reported():
    with pytest.raises(NoBorderError, match="No land border"):
        analyse(Scenario(russia_side=["ESP"], nato_side=["FIN"]))


# --- analyse: structure and invariants ---------------------------------------


def test_frames_are_wgs84(draft_300):
    for frame in (draft_300.contact, draft_300.strip, draft_300.affected, draft_300.cities):
        assert frame.crs.to_epsg() == 4326


def test_symmetric_unclipped_strip_is_one_feature(draft_300):
    assert list(draft_300.strip["side"]) == ["all"]
    assert draft_300.strip["width_km"].item() == 300


def test_strip_contains_the_line(draft_300):
    assert draft_300.zone.buffer(1e-9).contains(draft_300.line)


def test_area_grows_with_width():
    areas = [analyse(Scenario(width_km=w, date="2021-12-17")).strip["area_km2"].sum() for w in (10, 50, 200, 600)]
    assert all(a < b for a, b in itertools.pairwise(areas))


def test_zero_width_gives_an_empty_zone():
    analysis = analyse(Scenario(width_km=0))
    assert analysis.strip.empty
    assert analysis.affected.empty
    assert analysis.cities.empty
    assert (analysis.totals["area_km2"] == 0).all()
    assert len(analysis.contact) == 9


def test_shares_and_areas_are_consistent(draft_300):
    affected = draft_300.affected
    assert ((affected["share"] >= 0) & (affected["share"] <= 1)).all()
    assert (affected["area_km2"] <= affected["country_area_km2"] * (1 + 1e-9)).all()
    assert affected["area_km2"].is_monotonic_decreasing
    assert affected["adm0_a3"].is_unique
    totals = draft_300.totals.set_index("side")
    assert totals["area_km2"].sum() == pytest.approx(affected["area_km2"].sum())
    for side, group in affected.groupby("side"):
        assert totals.loc[side, "countries"] == len(group)


def test_sides_of_affected_countries(draft_300):
    side = draft_300.affected.set_index("adm0_a3")["side"]
    assert side["RUS"] == "russia"
    assert side["BLR"] == "russia"
    assert side["POL"] == "nato"
    assert side["LTU"] == "nato"
    assert side["UKR"] == "third"
    assert side["FIN"] == "third"  # not yet a member on 2021-12-17


def test_affected_land_is_inside_the_strip_and_the_country(draft_300):
    zone = draft_300.zone.buffer(1e-7)
    countries = geodata.load_countries()
    for row in draft_300.affected.itertuples():
        assert zone.contains(row.geometry)
        assert countries.loc[row.adm0_a3, "geometry"].buffer(1e-7).contains(row.geometry)
        assert oracle.geodesic_area_km2(row.geometry) == pytest.approx(row.area_km2, rel=1e-6)


@pytest.mark.parametrize(("code", "width_km"), [("POL", 300), ("LVA", 100), ("FIN", 150), ("LTU", 300), ("BLR", 200)])
def test_share_against_an_equal_area_point_grid(code, width_km):
    """Second method: the share of an equal-area grid within W by exact geodesic distance."""
    analysis = analyse(Scenario(width_km=width_km))
    country = geodata.load_countries().loc[code, "geometry"]
    lon0, lat0 = country.centroid.x, country.centroid.y
    to_laea = Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={lat0} +lon_0={lon0} +units=m", always_xy=True)
    projected = shapely.transform(country, lambda xy: np.column_stack(to_laea.transform(xy[:, 0], xy[:, 1])))
    xmin, ymin, xmax, ymax = projected.bounds
    step_m = 6_000.0
    xs, ys = np.meshgrid(np.arange(xmin, xmax, step_m) + step_m / 2, np.arange(ymin, ymax, step_m) + step_m / 2)
    inside = shapely.contains_xy(projected, xs.ravel(), ys.ravel())
    lon, lat = to_laea.transform(xs.ravel()[inside], ys.ravel()[inside], direction="INVERSE")
    within = oracle.distance_to_line_m(lon, lat, analysis.line) <= width_km * 1000
    grid_share = within.mean()
    share = analysis.affected.set_index("adm0_a3").loc[code, "share"] if code in set(analysis.affected.adm0_a3) else 0
    # sampling error of a 6 km grid: ~ boundary cells / all cells
    assert share == pytest.approx(grid_share, abs=0.01), (share, grid_share, len(lon))


# --- cities --------------------------------------------------------------------


def test_cities_are_inside_and_distances_are_exact(draft_300):
    cities = draft_300.cities
    assert len(cities) > 50
    assert (cities["distance_km"] <= 300 * 1.001).all()
    xy = shapely.get_coordinates(cities.geometry.to_numpy())
    exact_km = oracle.distance_to_line_m(xy[:, 0], xy[:, 1], draft_300.line) / 1000
    np.testing.assert_allclose(cities["distance_km"], exact_km, atol=0.05)
    assert cities["population"].is_monotonic_decreasing
    names = set(cities["name"])
    assert {"Vilnius", "Minsk", "Riga", "Warsaw", "Kaliningrad"} <= names


def test_no_city_within_the_width_is_missed(draft_300):
    cities = load_cities()
    xy = shapely.get_coordinates(cities.geometry.to_numpy())
    near = (np.abs(xy[:, 0] - 25) < 15) & (np.abs(xy[:, 1] - 56) < 8)
    exact_km = oracle.distance_to_line_m(xy[near, 0], xy[near, 1], draft_300.line) / 1000
    expected = set(cities.loc[near, "geonameid"][exact_km < 300 * 0.999])
    assert expected <= set(draft_300.cities["geonameid"])


def test_distance_function_on_hand_built_line():
    line = shapely.LineString([(0, 0), (0, 1)])
    # a point 1° east of the equator end: exactly one degree of the equator away
    expected_km = 111.3195  # WGS84 equatorial degree of longitude
    assert distance_to_line_km(np.array([1.0]), np.array([0.0]), line)[0] == pytest.approx(expected_km, abs=0.01)


# --- per-side widths and clipping ----------------------------------------------


#: Accuracy of the zone's edge against the oracle: share of the width, and metres.
EDGE_SHARE = 0.001
EDGE_M = 50.0


def _boundary_distance_range_km(part: shapely.Geometry, line: shapely.Geometry, *, points: int) -> tuple[float, float]:
    """Nearest and farthest oracle distance (km) from ``line`` of about ``points`` points on the part's boundary."""
    lon, lat = oracle.densify_boundary(part)
    every = max(1, len(lon) // points)
    km = oracle.distance_to_line_m(lon[::every], lat[::every], line) / 1000.0
    return float(km.min()), float(km.max())


@pytest.mark.parametrize(
    ("kwargs", "widths_km"),
    [
        ({"width_km": 100, "russia_width_km": 400, "nato_width_km": 50}, {"russia": 400, "nato": 50, "third": 400}),
        ({"width_km": 100, "russia_width_km": 60, "nato_width_km": 250}, {"russia": 60, "nato": 250, "third": 250}),
        ({"width_km": 300, "nato_width_km": 100, "clip": True}, {"russia": 300, "nato": 100}),
    ],
    ids=["russia-wider", "nato-wider", "clipped"],
)
def test_each_part_of_the_zone_reaches_exactly_its_own_width(kwargs, widths_km):
    """Every part's edge is at its own side's width, measured with the oracle (not read from a label).

    Per side, the land of each side ends at that side's width, and the sea and
    third countries at the wider of the two; every part reaches its width
    (each side's land and the sea extend beyond it) and no point of a part is
    farther from the line than its width.
    """
    analysis = analyse(Scenario(**kwargs))
    zone = analysis.strip.set_index("side")
    assert set(zone.index) == set(widths_km)
    for side, width_km in widths_km.items():
        slack_km = EDGE_SHARE * width_km + EDGE_M / 1000.0
        _, farthest_km = _boundary_distance_range_km(zone.loc[side, "geometry"], analysis.line, points=1500)
        assert farthest_km == pytest.approx(width_km, abs=slack_km), side
        assert zone.loc[side, "width_km"] == width_km
    pieces = analysis.strip.geometry.to_numpy()
    for i in range(len(pieces)):
        for j in range(i + 1, len(pieces)):
            assert shapely.intersection(pieces[i], pieces[j]).area < 1e-9


def test_per_side_zone_gives_ukraine_the_wider_width():
    """Third countries get the wider width: Ukraine's land within 400 km of Belarus–Poland–Lithuania, not 50 km."""
    per_side = analyse(Scenario(width_km=100, russia_width_km=400, nato_width_km=50, date="2021-12-17"))
    symmetric = analyse(Scenario(width_km=400, date="2021-12-17"))
    area = per_side.affected.set_index("adm0_a3").loc["UKR", "area_km2"]
    assert area == pytest.approx(symmetric.affected.set_index("adm0_a3").loc["UKR", "area_km2"], rel=1e-6)


def test_clip_keeps_only_the_parties_land():
    clipped = analyse(Scenario(width_km=300, clip=True))
    assert set(clipped.strip["side"]) == {"russia", "nato"}
    assert set(clipped.affected["side"]) <= {"russia", "nato"}
    unclipped = analyse(Scenario(width_km=300))
    assert clipped.strip["area_km2"].sum() < unclipped.strip["area_km2"].sum()
    parties = unclipped.affected[unclipped.affected["side"] != "third"].set_index("adm0_a3")["area_km2"]
    got = clipped.affected.set_index("adm0_a3")["area_km2"]
    np.testing.assert_allclose(got.sort_index(), parties.sort_index(), rtol=1e-6)


@pytest.mark.parametrize("width_km", [150, 900])
def test_clipped_sides_to_draw_are_the_union_of_their_land(width_km):
    """``exact_shapes=False`` (the ladder's): the same points as the exact union, and every number the same."""
    scenario = Scenario(width_km=width_km, date="2021-12-17", clip=True)
    exact = analyse(scenario, regions=False)
    drawn = analyse(scenario, regions=False, exact_shapes=False)
    assert list(drawn.strip["side"]) == list(exact.strip["side"]) == ["russia", "nato"]
    for side, geometry in zip(drawn.strip["side"], drawn.strip.geometry, strict=True):
        assert shapely.is_valid(geometry)
        assert shapely.equals(geometry, exact.strip.set_index("side").geometry[side])
        land = exact.affected.geometry[exact.affected["side"] == side].to_numpy()
        assert shapely.equals(geometry, shapely.union_all(land))  # the oracle: GEOS's union of the land pieces
    columns = ["adm0_a3", "area_km2", "share", "population"]
    assert drawn.affected[columns].equals(exact.affected[columns])
    assert drawn.strip["area_km2"].equals(exact.strip["area_km2"])
    assert drawn.cities["geonameid"].tolist() == exact.cities["geonameid"].tolist()


def test_clipping_leaves_no_slivers_of_third_countries():
    clipped = analyse(Scenario(allies="csto", date="2024-06-01", width_km=200, nato_width_km=50, clip=True))
    assert set(clipped.affected["side"]) == {"russia", "nato"}
    assert (clipped.affected["area_km2"] > 0.001).all()


def test_custom_sides_along_a_border_no_alliance_draws_are_valid():
    # Ukraine–Poland: a pair of custom sides that no reading of the draft puts face to face
    analysis = analyse(Scenario(width_km=200, russia_side=["UKR"], nato_side=["POL"]))
    assert set(zip(analysis.contact.russia_side, analysis.contact.nato_side, strict=True)) == {("UKR", "POL")}
    assert analysis.strip.is_valid.all()
    length_km = geodata.load_borders().set_index(["a3_a", "a3_b"]).loc[("POL", "UKR"), "length_km"]
    assert analysis.contact["length_km"].sum() == pytest.approx(length_km, rel=1e-9)
    _, farthest_km = _boundary_distance_range_km(analysis.zone, analysis.line, points=1000)
    assert farthest_km == pytest.approx(200, abs=200 * EDGE_SHARE + EDGE_M / 1000.0)


def test_custom_sides_across_the_bering_strait_are_valid():
    # Russia and the United States meet only at sea (about 169° W); at 700 km the zone crosses ±180°
    analysis = analyse(Scenario(width_km=700, russia_side=["RUS"], nato_side=["USA"], sea_borders=True))
    assert set(zip(analysis.contact.russia_side, analysis.contact.nato_side, strict=True)) == {("RUS", "USA")}
    assert analysis.strip.is_valid.all()
    assert {"RUS", "USA"} <= set(analysis.affected["adm0_a3"])
    lon = shapely.get_coordinates(analysis.zone)[:, 0]
    assert lon.min() == pytest.approx(-180.0)
    assert lon.max() == pytest.approx(180.0)
    _, farthest_km = _boundary_distance_range_km(analysis.zone, analysis.line, points=1000)
    assert farthest_km == pytest.approx(700, abs=700 * EDGE_SHARE + EDGE_M / 1000.0)


def test_csto_reading_reaches_armenia_turkey():
    analysis = analyse(Scenario(width_km=50, allies="csto"))
    codes = set(analysis.affected["adm0_a3"])
    assert {"ARM", "TUR"} <= codes
    pairs = set(zip(analysis.contact.russia_side, analysis.contact.nato_side, strict=True))
    assert ("ARM", "TUR") in pairs
    # Turkey's land within 50 km of Armenia is in the zone, and only that
    turkey = analysis.affected.set_index("adm0_a3").loc["TUR", "geometry"]
    _, farthest_km = _boundary_distance_range_km(turkey, analysis.line, points=1000)
    assert farthest_km <= 50 * (1 + EDGE_SHARE) + EDGE_M / 1000.0


def test_aland_is_listed_with_finland_in_tables_counts_and_the_sweep():
    """Finland's row holds Åland's land too, measured here polygon by polygon with the oracle."""
    scenario = Scenario(width_km=500, date="2024-06-01")
    a = analyse(scenario)
    assert "ALD" not in set(a.affected["adm0_a3"])
    countries = geodata.load_countries()
    finland = a.affected.set_index("adm0_a3").loc["FIN"]
    whole_km2 = oracle.geodesic_area_km2(countries.loc["FIN", "geometry"]) + oracle.geodesic_area_km2(
        countries.loc["ALD", "geometry"]
    )
    assert finland["country_area_km2"] == pytest.approx(whole_km2, rel=1e-6)
    zone = a.zone
    in_zone_km2 = sum(oracle.geodesic_area_km2(countries.loc[c, "geometry"].intersection(zone)) for c in ("FIN", "ALD"))
    assert finland["area_km2"] == pytest.approx(in_zone_km2, rel=1e-6)
    nato = a.totals.set_index("side").loc["nato", "countries"]
    assert nato == len(set(a.affected.loc[a.affected["side"] == "nato", "adm0_a3"]) - {"ALD"})
    assert "ALD" not in set(affected_for(scenario)["adm0_a3"])
    assert "ALD" not in set(sweep.sweep_table(scenario, widths_km=[100, 500])["adm0_a3"])


def test_aland_put_on_another_side_than_finland_stays_apart():
    a = analyse(Scenario(width_km=1500, russia_side=("ALD", "RUS"), nato_side=("NOR",)))
    sides = a.affected.set_index("adm0_a3")["side"]
    assert sides["ALD"] == "russia"
    assert sides["FIN"] == "third"
