"""The contact line between Russia's side and NATO's side."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.ops
from pyproj import Geod

import geodata
from tests import oracle
from zones.engine.contact import Sides, contact_line, expand_sovereign, merged_line, resolve_sides
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
        # the Collective Security Treaty also bound Georgia and Azerbaijan (Nakhchivan) until April 1999
        ("1997-05-27", "csto", {("RUS", "NOR"), ("ARM", "TUR"), ("GEO", "TUR"), ("AZE", "TUR")}),
        ("2005-01-01", "csto", PAIRS_2021 | {("ARM", "TUR")}),
    ],
)
def test_country_pairs_by_date_and_reading(date, allies, expected):
    assert pairs_of(contact_line(date, allies=allies)) == expected


@pytest.mark.parametrize(("code", "expected_km"), [("GEO", 235.7), ("AZE", 7.6)])
def test_csto_line_of_1997_holds_the_south_caucasus_borders_with_turkey(code, expected_km):
    """The fact check's lengths in Natural Earth, and the shared boundary measured here from the polygons."""
    pairs = contact_line("1997-05-27", allies="csto").set_index(["russia_side", "nato_side"])
    countries = geodata.load_countries()
    shared = countries.loc[code, "geometry"].boundary.intersection(countries.loc["TUR", "geometry"].boundary)
    measured_km = GEOD.geometry_length(shared) / 1000
    assert measured_km == pytest.approx(expected_km, abs=0.05)
    assert pairs.loc[(code, "TUR"), "length_km"] == pytest.approx(measured_km, rel=1e-9)
    assert code not in set(contact_line("2005-01-01", allies="csto")["russia_side"])


# Published land-border lengths in km: the border agencies' figures where we have them (Finnish
# Border Guard, Latvia's State Border Guard, Lithuania's State Border Guard Service, Polish Border
# Guard, Norway's government), else the CIA World Factbook. Natural Earth 10m lines are
# generalised and leave out borders through lakes and lagoons, so every line comes out shorter,
# by 2 % (Poland–Russia, a straight surveyed line) to 29 % (Belarus–Lithuania).
# The test asserts that bracket: never longer, never less than 70 %.
PUBLISHED_KM = {
    ("RUS", "NOR"): 195.7,
    ("RUS", "FIN"): 1340,
    ("RUS", "EST"): 324,
    ("RUS", "LVA"): 283.6,
    ("RUS", "LTU"): 261,
    ("RUS", "POL"): 210,
    ("BLR", "LVA"): 161,
    ("BLR", "LTU"): 679,
    ("BLR", "POL"): 418,
    ("ARM", "TUR"): 311,
}


def test_lengths_against_published_figures():
    frame = contact_line(None, allies="csto").set_index(["russia_side", "nato_side"])
    assert set(frame.index) == set(PUBLISHED_KM)
    for pair, published_km in PUBLISHED_KM.items():
        ratio = frame.loc[pair, "length_km"] / published_km
        assert 0.7 <= ratio <= 0.99, f"{pair}: {frame.loc[pair, 'length_km']:.0f} km vs {published_km} km"


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
    for row in contact_line(None, allies="csto").itertuples():
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
    line = merged_line(frame)
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


TOMORROW = object()  # a CI run may cross midnight between collecting the tests and running them


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"russia_side": ["XYZ"]}, ArgumentError, r"'russia_side' should be a Natural Earth ADM0_A3 .*got 'XYZ'"),
        ({"nato_side": ["FNI"]}, ArgumentError, r"got 'FNI'.*Close matches: FIN \(Finland\)"),
        ({"nato_side": ["Polnd"]}, ArgumentError, r"Close matches: POL \(Poland\)"),
        ({"russia_side": []}, ArgumentError, r"'russia_side' should be a non-empty list"),
        ({"date": "1991-12-25"}, ArgumentError, r"'date' should be a date .* from 1991-12-26 .*got '1991-12-25'"),
        ({"date": "1066-10-14"}, ArgumentError, r"'date' should be .*got '1066-10-14'"),
        ({"date": "yesterday"}, ArgumentError, r"'date' should be .*got 'yesterday'"),
        ({"date": TOMORROW}, ArgumentError, r"to \d{4}-\d\d-\d\d \(today\)"),
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
    if kwargs.get("date") is TOMORROW:  # read the clock when the check runs, not when tests are collected
        kwargs = {**kwargs, "date": dt.date.today() + dt.timedelta(days=1)}
    with pytest.raises(error, match=pattern):
        contact_line(**kwargs)


def test_errors_are_value_errors():
    assert issubclass(ArgumentError, ValueError)
    assert issubclass(NoBorderError, ArgumentError)


def test_geodata_readme_table_of_lengths_matches_the_data():
    """Every Natural Earth length in geodata/README.md's table is the contact line's, and the share is right."""
    readme = (Path(geodata.__file__).parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+)–(\w+) \| ([\d,.]+) km \| ([\d,.]+) km \| (\d+) % \|", readme, flags=re.MULTILINE)
    assert len(rows) == 6
    names = geodata.load_countries().set_index("name")["adm0_a3"]
    frame = contact_line(None, allies="csto")
    pairs = zip(frame["russia_side"], frame["nato_side"], frame["length_km"], strict=True)
    lengths = {frozenset((a, b)): km for a, b, km in pairs}
    for a, b, ne_km, official_km, shorter in rows:
        measured = lengths[frozenset((names[a], names[b]))]
        assert measured == pytest.approx(float(ne_km.replace(",", "")), abs=0.05)
        assert round(100 * (1 - measured / float(official_km.replace(",", "")))) == int(shorter)


def _pieces_km(frame, russia, nato):
    """Return the geodesic lengths (km) of the connected pieces of one pair's border, longest first."""
    line = frame.set_index(["russia_side", "nato_side"]).geometry[(russia, nato)]
    merged = shapely.line_merge(line)
    return sorted((GEOD.geometry_length(part) / 1000 for part in getattr(merged, "geoms", [merged])), reverse=True)


def test_geodata_readme_statements_on_lakes_and_lagoons_hold():
    """Lake Peipus and the Vistula Lagoon lie inside the borders; only the Curonian Lagoon leaves a gap (~18 km)."""
    line = contact_line("2021-12-17")
    assert len(_pieces_km(line, "RUS", "EST")) == 1  # through Lake Peipus and Lake Pskov in one piece
    assert len(_pieces_km(line, "RUS", "POL")) == 1  # across the Vistula Lagoon
    land, spit = _pieces_km(line, "RUS", "LTU")
    assert land > 190
    assert 3 < spit < 6
    merged = shapely.line_merge(line.set_index(["russia_side", "nato_side"]).geometry[("RUS", "LTU")])
    gaps = [
        GEOD.inv(p.x, p.y, q.x, q.y)[2] / 1000
        for p in shapely.get_parts(shapely.boundary(merged.geoms[0]))
        for q in shapely.get_parts(shapely.boundary(merged.geoms[1]))
    ]
    assert 15 < min(gaps) < 21, gaps
    countries = geodata.load_countries()
    peipus, vistula = shapely.Point(27.5, 58.75), shapely.Point(19.8, 54.45)  # open water of each
    assert countries.geometry.contains(peipus).any()
    assert countries.geometry.contains(vistula).any()
    assert not countries.geometry.contains(shapely.Point(21.1, 55.3)).any()  # the Curonian Lagoon: no one's


def test_estonias_sea_border_does_not_meet_finlands():
    """The Estonia–Russia sea border ends at the high-seas corridor, not at a tripoint with Finland."""
    sea = geodata.load_sea_borders().set_index(["a3_a", "a3_b"]).geometry
    gap = shapely.ops.nearest_points(sea[("EST", "RUS")], sea[("FIN", "RUS")])
    assert GEOD.inv(gap[0].x, gap[0].y, gap[1].x, gap[1].y)[2] / 1000 > 50
    poland = sea[("POL", "RUS")]
    assert shapely.bounds(poland)[3] > 54.46  # north of the Vistula Spit, in the Gulf of Gdańsk
    assert not poland.intersects(shapely.box(19.6, 54.25, 20.5, 54.45))  # not in the lagoon


def test_yelnya_lies_about_246_km_from_ukraine_as_the_readme_says():
    """RUSSTRAT's yardstick: the README's distance from Yelnya to Ukraine, against the densified Geod oracle."""
    line = contact_line(russia_side="RUS", nato_side="UKR").union_all()
    lon, lat = np.array([33.18373]), np.array([54.57864])  # GeoNames 467753, Yel'nya
    exact_km = oracle.distance_to_line_m(lon, lat, line)[0] / 1000
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    stated_km = float(re.search(r"Yelnya lies \*\*([\d.]+) km\*\* from Ukraine", readme).group(1))
    assert stated_km == pytest.approx(exact_km, abs=0.05)
