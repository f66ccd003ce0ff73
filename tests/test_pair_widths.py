"""Widths per border pair (issue 27, part 1): the zone, everything downstream, the CLI, the API and the link.

The zone is checked against the independent oracle (:mod:`tests.oracle`):
every point of its edge is at exactly its pair's width from that pair's part
of the line, and no nearer to any other pair than that pair's width.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geodata import load_countries
from tests.oracle import GEOD, densify_boundary, distance_to_line_m, equal_area_grid, geodesic_area_km2
from zones import ArgumentError, Scenario, analyse
from zones.cli.main import main
from zones.engine.analysis import border_pairs, scenario_contact
from zones.engine.contact import Sides
from zones.engine.pair_widths import pair_widths_from_table, pair_widths_text
from zones.engine.sweep import sweep_table
from zones.engine.zone import zone_by_side
from zones.export import affected_frame, cities_frame
from zones.web.ladder import ladder_json, ladder_key
from zones.web.pair_link import pair_widths_from_query, pair_widths_query
from zones.web.publish import check_scenario

DRAFT = dt.date(2021, 12, 17)
#: The report's example: 300 km, narrower along Norway and Lithuania.
PAIRS = {"RUS-NOR": 50, "LTU-RUS": 100}


#: The oracle measures an edge point's distance to a pair's line only up to the pair's width and this much (km):
#: farther, the pair cannot be the one whose width the point is at (the tolerance is at most 0.3 km here).
BEYOND_EDGE_KM = 10.0


def tolerance_m(width_km: np.ndarray | float) -> np.ndarray:
    """The strip's error bound, max(0.1 % of the width, 50 m), in metres."""
    return np.maximum(0.001 * np.asarray(width_km, dtype=float) * 1000.0, 50.0)


@functools.cache
def _analysis(width_km: float, pairs: tuple[tuple[str, float], ...], **options: object) -> object:
    return analyse(Scenario(width_km=width_km, date=DRAFT, pair_widths=dict(pairs), **options), regions=False)


def analysis_of(width_km: float, pairs: dict[str, float] | None = None, **options: object):
    return _analysis(width_km, tuple(sorted((pairs or {}).items())), **options)


def pair_lines(scenario: Scenario) -> tuple[list[tuple[str, str]], list[shapely.Geometry]]:
    _, contact, _ = scenario_contact(scenario)
    return list(zip(contact["russia_side"], contact["nato_side"], strict=True)), list(contact.geometry)


def widths_by_pair(scenario: Scenario, side: str) -> np.ndarray:
    """Each pair's width in effect on ``side``, read from the scenario's own fields (not from the engine)."""
    pairs, _ = pair_lines(scenario)
    own = dict(scenario.pair_widths)
    common = {"russia": scenario.russia_width_km, "nato": scenario.nato_width_km}.get(
        side, max(scenario.russia_width_km, scenario.nato_width_km)
    )
    return np.array([own.get(pair, common) for pair in pairs], dtype=float)


# ---------------------------------------------------------------- the zone against the oracle


def test_every_edge_point_is_at_its_pairs_width_by_the_oracle():
    """min over pairs of (distance to the pair's line − its width) = 0 on the edge, within max(0.1 % of W, 50 m)."""
    analysis = analysis_of(300, {**PAIRS, "POL-RUS": 0})
    scenario = analysis.scenario
    _, lines = pair_lines(scenario)
    widths_km = widths_by_pair(scenario, "all")
    lon, lat = densify_boundary(analysis.zone)
    assert len(lon) > 5000
    # a pair's line farther than its width and 10 km (inf: not measured) cannot be the nearest, at 0 ± 300 m
    margins = np.array(
        [
            distance_to_line_m(lon, lat, line, beyond_m=(w + BEYOND_EDGE_KM) * 1000.0) - w * 1000.0
            for line, w in zip(lines, widths_km, strict=True)
        ]
    )
    nearest = np.argmin(margins, axis=0)
    error_m = margins[nearest, np.arange(len(lon))]
    allowed_m = tolerance_m(widths_km[nearest])
    worst = int(np.argmax(np.abs(error_m) / allowed_m))
    assert np.all(np.abs(error_m) <= allowed_m), (
        f"edge point ({lon[worst]:.4f}, {lat[worst]:.4f}) is {error_m[worst]:+.1f} m from its pair's width, "
        f"allowed {allowed_m[worst]:.0f} m"
    )
    # every stretch forms part of the edge except the one at 0 km: each pair is the nearest somewhere
    pairs, _ = pair_lines(scenario)
    assert {pairs[i] for i in np.unique(nearest)} >= {("RUS", "NOR"), ("RUS", "LTU"), ("RUS", "EST")}


def test_inside_means_within_some_pairs_width_on_that_side_by_the_oracle():
    """Per-side widths with pair widths: a point is inside iff some pair's width on its side reaches it."""
    scenario = Scenario(width_km=150, russia_width_km=100, nato_width_km=200, date=DRAFT, pair_widths={"RUS-NOR": 60})
    zone = analyse(scenario, regions=False).zone
    sides = scenario_contact(scenario)[0]
    xs, ys = np.meshgrid(np.arange(18.0, 36.0, 0.4), np.arange(50.0, 71.0, 0.3))
    lon, lat = xs.ravel(), ys.ravel()
    countries = load_countries()
    owner = np.full(len(lon), "", dtype=object)
    for code in sides.features("russia") + sides.features("nato"):
        if code in countries.index:
            owner[shapely.contains_xy(countries.geometry[code], lon, lat)] = code
    side = np.where(np.isin(owner, sides.features("russia")), "russia", "")
    side = np.where(np.isin(owner, sides.features("nato")), "nato", side)
    on_land = side != ""
    lon, lat, side = lon[on_land], lat[on_land], side[on_land]
    _, lines = pair_lines(scenario)
    distance_m = np.array([distance_to_line_m(lon, lat, line) for line in lines])
    widths_km = np.where(side == "russia", widths_by_pair(scenario, "russia")[:, None], 0.0)
    widths_km = np.where(side == "nato", widths_by_pair(scenario, "nato")[:, None], widths_km)
    margin_m = (distance_m - widths_km * 1000.0).min(axis=0)
    clear = np.abs(margin_m) > 1000.0  # not on the edge (or on a country's border, drawn at 1:10m)
    inside = shapely.contains_xy(zone, lon, lat)
    assert (clear & (margin_m < 0)).sum() > 100
    assert (clear & (margin_m > 0)).sum() > 100
    assert np.array_equal(inside[clear], margin_m[clear] < 0)


def test_a_pair_at_zero_removes_its_stretch():
    """With RUS-NOR at 0 the zone is the uniform zone less that pair's own strip (it is far from the rest)."""
    uniform = analysis_of(100)
    without = analysis_of(100, {"NOR-RUS": 0})
    pairs, lines = pair_lines(uniform.scenario)
    norway = lines[pairs.index(("RUS", "NOR"))]
    lon, lat = shapely.get_coordinates(norway).T
    assert not shapely.intersects(without.zone, norway)
    assert shapely.contains_xy(uniform.zone, lon, lat).all()
    # what went is RUS-NOR's own 100 km strip: counted on the oracle's equal-area grid of 3 km
    xmin, ymin, xmax, ymax = norway.bounds
    box = shapely.box(xmin - 3.2, ymin - 1.0, xmax + 3.2, ymax + 1.0)  # 100 km and more around it at 69-70° N
    grid_lon, grid_lat = equal_area_grid(box, 3.0)
    strip_km2 = float((distance_to_line_m(grid_lon, grid_lat, norway) <= 100_000.0).sum()) * 9.0
    gone_km2 = float(uniform.strip["area_km2"].sum() - without.strip["area_km2"].sum())
    assert gone_km2 == pytest.approx(strip_km2, rel=0.01)
    affected = without.affected.set_index("adm0_a3")
    assert "NOR" not in affected.index
    assert affected.loc["EST", "area_km2"] == pytest.approx(
        uniform.affected.set_index("adm0_a3").loc["EST", "area_km2"]
    )


def test_equal_pair_widths_reproduce_the_uniform_zone():
    """Every pair at 300 km, the common width 100 km: the zone of 300 km, within 0.1 % (area and per country)."""
    pairs = {"-".join(pair): 300.0 for pair in pair_lines(Scenario(date=DRAFT))[0]}
    every = analysis_of(100, pairs)
    uniform = analysis_of(300)
    assert geodesic_area_km2(every.zone) == pytest.approx(geodesic_area_km2(uniform.zone), rel=1e-3)
    left = every.affected.set_index("adm0_a3")["area_km2"]
    right = uniform.affected.set_index("adm0_a3")["area_km2"]
    assert set(left.index) == set(right.index)
    for code in right.index:
        assert left[code] == pytest.approx(right[code], rel=1e-3, abs=1.0), code


def test_hand_built_stretches_add_up():
    """Two far-apart segments on the equator at 100 and 50 km: each a band 2·W·L plus two half discs."""
    a = shapely.LineString([(0.0, 0.0), (1.0, 0.0)])
    b = shapely.LineString([(10.0, 0.0), (11.0, 0.0)])
    sides = Sides(russia=("RUS",), nato=("NOR",))  # far away: the zone is unclipped and symmetric
    zone = zone_by_side(a, sides, russia_width_km=100, nato_width_km=100, stretches=[(b, 50.0)])
    assert list(zone["side"]) == ["all"]
    radius_km = 6371.0088

    def band_km2(length_km: float, width_km: float) -> float:  # on a sphere: a band and a cap
        return 2 * length_km * radius_km * math.sin(width_km / radius_km) + 2 * math.pi * radius_km**2 * (
            1 - math.cos(width_km / radius_km)
        )

    length_km = GEOD.line_length([0.0, 1.0], [0.0, 0.0]) / 1000
    expected = band_km2(length_km, 100) + band_km2(length_km, 50)
    assert geodesic_area_km2(zone.geometry.iloc[0]) == pytest.approx(expected, rel=5e-3)
    # a point 75 km north of each: inside A's strip, outside B's
    lon, lat, _ = GEOD.fwd([0.5, 10.5], [0.0, 0.0], [0.0, 0.0], [75_000.0, 75_000.0])
    assert shapely.contains_xy(zone.geometry.iloc[0], lon, lat).tolist() == [True, False]


# ---------------------------------------------------------------- downstream


def test_cities_name_the_pair_whose_strip_holds_them():
    analysis = analysis_of(300, PAIRS)
    cities = analysis.cities
    assert {"pair", "pair_distance_km", "pair_width_km"} <= set(cities.columns)
    pairs, lines = pair_lines(analysis.scenario)
    by_pair = dict(zip(["-".join(p) for p in pairs], lines, strict=True))
    xy = shapely.get_coordinates(cities.geometry.to_numpy())
    for (lon, lat), pair, km, width_km in zip(
        xy, cities["pair"], cities["pair_distance_km"], cities["pair_width_km"], strict=True
    ):
        exact_km = float(distance_to_line_m(np.array([lon]), np.array([lat]), by_pair[pair])[0]) / 1000
        assert km == pytest.approx(exact_km, abs=0.3)
        assert km <= width_km + 0.3
    kaliningrad = cities.set_index("name").loc["Kaliningrad"]
    assert kaliningrad["pair_width_km"] == 300.0  # Poland's stretch, 300 km, reaches it before Lithuania's 100
    names = set(cities["name"])
    uniform_names = set(analysis_of(300).cities["name"])
    assert "Murmansk" in uniform_names - names


def test_exports_and_words_carry_the_pair_widths(tmp_path):
    analysis = analysis_of(300, PAIRS)
    frame = affected_frame(analysis)
    assert set(frame["pair_widths"]) == {"RUS-LTU=100,RUS-NOR=50"}
    assert {"pair", "pair_distance_km", "pair_width_km"} <= set(cities_frame(analysis).columns)
    assert "pair_widths" not in affected_frame(analysis_of(300)).columns
    assert analysis.scenario.widths_label == (
        "300 km on each side, except 100 km along Russia–Lithuania and 50 km along Russia–Norway"
    )
    assert analysis.scenario.widest_km == 300
    assert Scenario(width_km=50, date=DRAFT, pair_widths={"RUS-NOR": 120}).widest_km == 120


def test_border_pairs_lists_lengths_and_the_widths_in_effect():
    scenario = Scenario(width_km=300, russia_width_km=200, date=DRAFT, pair_widths=PAIRS)
    table = border_pairs(scenario).set_index("pair")
    _, contact, _ = scenario_contact(scenario)
    assert table["length_km"].sum() == pytest.approx(contact["length_km"].sum())
    assert table.loc["RUS-NOR", ["russia_width_km", "nato_width_km"]].tolist() == [50.0, 50.0]
    assert table.loc["RUS-EST", ["russia_width_km", "nato_width_km"]].tolist() == [200.0, 300.0]
    assert math.isnan(table.loc["RUS-EST", "pair_width_km"])
    edited = border_pairs(scenario).assign(pair_width_km=[None, None, 80, None, None, None, None, None])
    assert pair_widths_from_table(edited) == {"BLR-POL": 80}


@pytest.mark.parametrize(
    ("refuse", "what"),
    [
        (lambda s: sweep_table(s, widths_km=[0, 50]), "the sweep"),
        (check_scenario, "the published page's slider"),
        (ladder_json, "the live slider's ladder"),
        (ladder_key, "the live slider's ladder"),
    ],
)
def test_what_draws_one_width_refuses_pair_widths(refuse, what):
    scenario = Scenario(width_km=100, date=DRAFT, pair_widths={"RUS-NOR": 50})
    with pytest.raises(ArgumentError, match=rf"'pair_widths' should be none for {what}, got 'RUS-NOR=50'"):
        refuse(scenario)


# ---------------------------------------------------------------- the Python API


def test_pairs_are_normalised_russia_side_first_in_either_order():
    a = Scenario(width_km=300, date=DRAFT, pair_widths={"NOR-RUS": 50, ("RUS", "LTU"): "100"})
    b = Scenario(width_km=300, date=DRAFT, pair_widths=[("ltu–rus", 100.0), ("RUS/NOR", 50)])
    assert a.pair_widths == b.pair_widths == ((("RUS", "LTU"), 100.0), (("RUS", "NOR"), 50.0))
    assert a == b
    assert hash(a) == hash(b)
    assert Scenario(width_km=300, date=DRAFT, pair_widths=None).pair_widths == ()
    assert a.replace(width_km=100).pair_widths == a.pair_widths
    assert pair_widths_text(a.pair_widths) == "RUS-LTU=100,RUS-NOR=50"


@pytest.mark.parametrize(
    ("pair_widths", "pattern"),
    [
        ({"RUX-NOR": 50}, r"'pair_widths' should be a border pair .*'RUS-NOR', got 'RUX-NOR'\. Unknown code 'RUX'"),
        ({"RUS-FIN": 50}, r"'pair_widths' should be a border pair of the line \(in either order\): BLR-LTU, .*RUS-NOR"),
        ({"RUS-NOR": -5}, r"'pair_widths' should be widths that are 0 or a number of km from 0\.1 to 2,000, "),
        ({"RUS-NOR": "wide"}, r"got \{'RUS-NOR': 'wide'\}"),
        ({"RUS-NOR": 2500}, r"from 0\.1 to 2,000, got \{'RUS-NOR': 2500\}"),
        ({"RUS-NOR": math.nan}, r"'pair_widths' should be widths that are"),
        ({"RUS-NOR": True}, r"'pair_widths' should be widths that are"),
        ({"RUSNOR": 50}, r"'pair_widths' should be a border pair .*, got 'RUSNOR'"),
        ({"RUS-RUS": 50}, r"The two codes are the same"),
        ([("RUS-NOR", 50), ("NOR-RUS", 60)], r"should be each border pair once, got 'NOR-RUS'"),
        ("RUS-NOR=50", r"'pair_widths' should be a mapping of border pairs to widths in km"),
        ([("RUS-NOR", 50, 1)], r"'pair_widths' should be a mapping"),
    ],
)
def test_bad_pair_widths_raise_naming_the_argument(pair_widths, pattern):
    with pytest.raises(ArgumentError, match=pattern):
        Scenario(width_km=100, date=DRAFT, pair_widths=pair_widths)


def test_a_pair_is_checked_on_the_line_of_its_date():
    """Finland joined in 2023: RUS-FIN is on today's line, not on the draft's; replace() checks again."""
    today = Scenario(width_km=100, pair_widths={"FIN-RUS": 40})
    assert today.pair_widths == ((("RUS", "FIN"), 40.0),)
    with pytest.raises(ArgumentError, match=r"'pair_widths' should be a border pair of the line .*got 'RUS-FIN'"):
        today.replace(date=DRAFT)


# ---------------------------------------------------------------- the command line


def test_cli_affected_with_pair_widths(tmp_path):
    out = tmp_path / "affected.csv"
    argv = ["affected", "--date", "2021-12-17", "--width-km", "300", "--out", str(out)]
    assert main([*argv, "--pair-width", "RUS-NOR=50", "--pair-width", "LTU-RUS=100"]) == 0
    frame = pd.read_csv(out).set_index("adm0_a3")
    assert set(frame["pair_widths"]) == {"RUS-LTU=100,RUS-NOR=50"}
    expected = analysis_of(300, PAIRS).affected.set_index("adm0_a3")["area_km2"]
    assert frame.loc[expected.index, "area_km2"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-5)


def test_cli_contact_gives_each_pairs_width(tmp_path):
    out = tmp_path / "contact.geojson"
    assert main(["contact", "--date", "2021-12-17", "--pair-width", "NOR-RUS=0", "--out", str(out)]) == 0
    props = {
        f"{f['properties']['russia_side']}-{f['properties']['nato_side']}": f["properties"]
        for f in json.loads(out.read_text())["features"]
    }
    assert props["RUS-NOR"]["pair_width_km"] == 0
    assert props["RUS-EST"]["pair_width_km"] is None


@pytest.mark.parametrize(
    ("command", "args", "pattern"),
    [
        ("strip", ["--pair-width", "RUX-NOR=50"], r"'pair_width' should be a border pair .*Unknown code 'RUX'"),
        ("affected", ["--pair-width", "RUS-FIN=50"], r"a border pair of the line \(in either order\): BLR-LTU"),
        ("cities", ["--pair-width", "RUS-NOR=-5"], r"got 'RUS-NOR=-5'"),
        ("regions", ["--pair-width", "RUS-NOR=abc"], r"got 'RUS-NOR=abc'"),
        ("report", ["--pair-width", "RUS-NOR=5000"], r"from 0\.1 to 2,000, got 'RUS-NOR=5000'"),
        ("strip", ["--pair-width", "RUS-NOR"], r"'pair_width' should be PAIR=KM, .*got 'RUS-NOR'"),
        ("strip", ["--pair-width", "RUS-NOR=50", "--pair-width", "NOR-RUS=60"], r"each border pair once"),
        ("contact", ["--pair-width", "RUS-USA=50"], r"a border pair of the line"),
        ("sweep", ["--pair-width", "RUS-NOR=50"], r"'pair_widths' should be none for the sweep"),
        ("html", ["--pair-width", "RUS-NOR=50"], r"should be none for the published page's slider"),
        ("thresholds", ["--pair-width", "RUS-NOR=50"], r"should be none for the thresholds"),
    ],
)
def test_cli_bad_pair_width_exits_2_naming_the_option(tmp_path, capsys, command, args, pattern):
    suffix = {"report": ".png", "sweep": ".csv", "html": ".html", "thresholds": ".csv", "strip": ".geojson"}
    out = tmp_path / f"out{suffix.get(command, '.csv')}"
    assert main([command, "--date", "2021-12-17", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.strip().endswith("(option --pair-width)")
    assert re.search(pattern, err), err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the link


def test_link_round_trip_and_notes():
    line_pairs = [tuple(p) for p in border_pairs(Scenario(date=DRAFT))[["russia_side", "nato_side"]].to_numpy()]
    widths = ((("RUS", "LTU"), 100.0), (("RUS", "NOR"), 50.0))
    params = {"width_km": "300", **pair_widths_query(widths)}
    assert params == {"width_km": "300", "width_km_RUS-LTU": "100", "width_km_RUS-NOR": "50"}
    assert pair_widths_from_query(params, line_pairs=line_pairs, max_width_km=1000) == (widths, [])
    bad = {
        "width_km_RUS-FIN": "50",
        "width_km_RUX-NOR": "50",
        "width_km_RUS-EST": "<b>x</b>",
        "width_km_RUS-LVA": "1500",
        "width_km_NOR-RUS": "20",
        "width_km_RUS-NOR": "30",
    }
    found, notes = pair_widths_from_query(bad, line_pairs=line_pairs, max_width_km=1000)
    assert found == ((("RUS", "NOR"), 20.0),)
    assert len(notes) == 5
    assert notes[0].startswith("Ignored **width_km_RUS-FIN** in the link: got “50”, expected a border pair of the line")
    assert "&lt;b&gt;x&lt;/b&gt;" in notes[2]
    assert "a width of 0 to 1,000 km" in notes[3]
    assert "each border pair once" in notes[4]


def test_geojson_export_is_valid_with_pair_widths(tmp_path):
    out = tmp_path / "strip.geojson"
    argv = ["strip", "--date", "2021-12-17", "--width-km", "300", "--pair-width", "RUS-NOR=50", "--out", str(out)]
    assert main(argv) == 0
    frame = gpd.read_file(out)
    assert frame.loc[0, "pair_widths"] == "RUS-NOR=50"
    assert frame.loc[0, "area_km2"] == pytest.approx(
        geodesic_area_km2(analysis_of(300, {"RUS-NOR": 50}).zone), rel=1e-4
    )


def test_clipping_keeps_the_parties_land_of_the_per_pair_zone():
    """Clipped, the per-pair zone is the unclipped one cut to the two sides' land: same land per country."""
    clipped = analysis_of(300, PAIRS, clip=True)
    plain = analysis_of(300, PAIRS)
    assert set(clipped.strip["side"]) == {"russia", "nato"}
    inside = shapely.area(shapely.difference(clipped.zone, plain.zone)) / shapely.area(clipped.zone)
    assert inside < 1e-6
    parties = clipped.affected.set_index("adm0_a3")["area_km2"]
    unclipped = plain.affected.set_index("adm0_a3")
    unclipped = unclipped.loc[unclipped["side"] != "third", "area_km2"]
    assert set(parties.index) == set(unclipped.index)
    for code in parties.index:
        assert parties[code] == pytest.approx(unclipped[code], rel=1e-4), code
