"""The contact line between Russia's side and NATO's side."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from pyproj import Geod

import geodata
from zones.contact import Sides, contact_line, dissolve, expand_sovereign, resolve_sides
from zones.errors import ArgumentError, NoBorderError

GEOD = Geod(ellps="WGS84")

PAIRS_2021 = {
    ("BLR", "LTU"),
    ("BLR", "LVA"),
    ("BLR", "POL"),
    ("RUS", "EST"),
    ("RUS", "LTU"),
    ("RUS", "LVA"),
    ("RUS", "NOR"),
    ("RUS", "POL"),
}


def pairs_of(frame):
    return set(zip(frame["russia_side"], frame["nato_side"], strict=True))


@pytest.mark.parametrize(
    ("date", "allies", "expected"),
    [
        ("1997-05-27", "union-state", {("RUS", "NOR")}),  # NATO touched Russia only in Norway
        ("2021-12-17", "union-state", PAIRS_2021),
        ("2023-04-03", "union-state", PAIRS_2021),
        ("2023-04-04", "union-state", PAIRS_2021 | {("RUS", "FIN")}),
        (None, "union-state", PAIRS_2021 | {("RUS", "FIN")}),
        (None, "csto", PAIRS_2021 | {("RUS", "FIN"), ("ARM", "TUR")}),
        ("2021-12-17", "csto", PAIRS_2021 | {("ARM", "TUR")}),
    ],
)
def test_country_pairs_by_date_and_reading(date, allies, expected):
    assert pairs_of(contact_line(date, allies)) == expected


# Published land-border lengths in km (CIA World Factbook; Finland–Russia from
# the Finnish Border Guard). Natural Earth 10m lines are generalised: wiggles
# below ~1 km are cut, so every line comes out shorter, by 2 % (Poland–Russia,
# a straight surveyed line) to 36 % (Latvia–Russia, which follows small rivers).
# The test asserts that bracket: never longer, never less than 60 %.
PUBLISHED_KM = {
    ("RUS", "NOR"): 191,
    ("RUS", "FIN"): 1340,
    ("RUS", "EST"): 324,
    ("RUS", "LVA"): 332,
    ("RUS", "LTU"): 261,
    ("RUS", "POL"): 210,
    ("BLR", "LVA"): 161,
    ("BLR", "LTU"): 640,
    ("BLR", "POL"): 375,
    ("ARM", "TUR"): 311,
}


def test_lengths_against_published_figures():
    frame = contact_line(None, "csto").set_index(["russia_side", "nato_side"])
    assert set(frame.index) == set(PUBLISHED_KM)
    for pair, published_km in PUBLISHED_KM.items():
        ratio = frame.loc[pair, "length_km"] / published_km
        assert 0.6 <= ratio <= 1.0, f"{pair}: {frame.loc[pair, 'length_km']:.0f} km vs {published_km} km"


def test_finland_russia_length():
    frame = contact_line(None).set_index("nato_side")
    assert frame.loc["FIN", "length_km"] == pytest.approx(1226, abs=1)


def test_length_is_geodesic_on_a_densified_line():
    frame = contact_line("2021-12-17")
    for geometry, length_km in zip(frame.geometry, frame["length_km"], strict=True):
        # an independent measure: sum of Geod.inv over consecutive vertices
        total_m = 0.0
        for part in shapely.get_parts(geometry):
            xy = shapely.get_coordinates(part)
            total_m += GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])[2].sum()
        assert length_km == pytest.approx(total_m / 1000, rel=1e-9)


def test_contact_lies_on_both_countries():
    countries = geodata.load_countries()
    for row in contact_line(None, "csto").itertuples():
        points = shapely.points(shapely.get_coordinates(row.geometry))
        for code in (row.russia_side, row.nato_side):
            assert shapely.distance(countries.loc[code, "geometry"].boundary, points).max() < 1e-9


def test_columns_and_crs():
    frame = contact_line("2021-12-17")
    assert list(frame.columns) == ["russia_side", "nato_side", "russia_name", "nato_name", "length_km", "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert frame.loc[frame.nato_side == "NOR", "nato_name"].item() == "Norway"


def test_dissolved_line_keeps_the_length():
    frame = contact_line(None)
    line = dissolve(frame)
    assert line.geom_type == "MultiLineString"
    assert GEOD.geometry_length(line) / 1000 == pytest.approx(frame["length_km"].sum(), rel=1e-6)


def test_sovereign_brings_its_territories():
    assert "ALD" in expand_sovereign(["FIN"])
    assert {"GRL", "FRO"} <= set(expand_sovereign(["DNK"]))
    assert expand_sovereign(["ALD"]) == ("ALD",)


def test_custom_sides():
    frame = contact_line(russia_side=["UKR"], nato_side="POL, SVK HUN ROU")
    assert pairs_of(frame) == {("UKR", "POL"), ("UKR", "SVK"), ("UKR", "HUN"), ("UKR", "ROU")}


def test_custom_side_replaces_one_side_only():
    sides = resolve_sides("2021-12-17", russia_side=["RUS"])
    assert sides.russia == ("RUS",)
    assert len(sides.nato) == 30


def test_custom_codes_are_case_insensitive():
    assert resolve_sides(russia_side=["rus"], nato_side=["fin"]) == Sides(russia=("RUS",), nato=("FIN",))


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"russia_side": ["XYZ"]}, ArgumentError, r"'russia_side' should be a Natural Earth ADM0_A3 .*got 'XYZ'"),
        ({"nato_side": ["FNI"]}, ArgumentError, r"got 'FNI'.*Close matches: FIN \(Finland\)"),
        ({"nato_side": ["Polnd"]}, ArgumentError, r"Close matches: POL \(Poland\)"),
        ({"russia_side": []}, ArgumentError, r"'russia_side' should be a non-empty list"),
        ({"date": "1949-04-03"}, ArgumentError, r"'date' should be a date .* from 1949-04-04 .*got '1949-04-03'"),
        ({"date": "1066-10-14"}, ArgumentError, r"'date' should be .*got '1066-10-14'"),
        ({"date": "yesterday"}, ArgumentError, r"'date' should be .*got 'yesterday'"),
        ({"date": dt.date.today() + dt.timedelta(days=1)}, ArgumentError, r"to \d{4}-\d\d-\d\d \(today\)"),
        ({"allies": "warsaw-pact"}, ArgumentError, r"'allies' should be one of 'union-state', 'csto'"),
        ({"russia_side": ["RUS"], "nato_side": ["RUS", "FIN"]}, ArgumentError, r"disjoint.*Both sides contain RUS"),
        ({"russia_side": ["FIN"], "nato_side": ["ALD"]}, ArgumentError, r"Both sides contain ALD"),
        (
            {"russia_side": ["ESP"], "nato_side": ["FIN"]},
            NoBorderError,
            r"No land border between Russia's side \[ESP \(Spain\)\] and NATO's side \[FIN \(Finland\)\]",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        contact_line(**kwargs)


def test_errors_are_value_errors():
    assert issubclass(ArgumentError, ValueError)
    assert issubclass(NoBorderError, ArgumentError)
