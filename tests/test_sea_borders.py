"""Borders at sea (territorial sea): the committed data, its derivation, and the zone they give."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

import geodata
from geodata.build_sea_borders import shared_sea_borders
from tests.oracle import GEOD, distance_to_line_m, edge_error_m
from zones import ArgumentError, Scenario, analyse, contact_line

#: Lengths measured on the two npm snapshots of OSM's territorial-sea polygons (the issue's fact check,
#: not this code): Norway ≈ 35 km, Finland ≈ 54, Estonia 110 in the 2017 snapshot used here,
#: Lithuania ≈ 37, Poland ≈ 20, the United States 52–57.
PUBLISHED_SEA_KM = {
    ("NOR", "RUS"): (30, 42),
    ("FIN", "RUS"): (50, 58),
    ("EST", "RUS"): (105, 115),
    ("LTU", "RUS"): (34, 40),
    ("POL", "RUS"): (18, 23),
    ("RUS", "USA"): (52, 57),
}
#: The 1867 Convention line through the Bering Strait: 168° 58′ 37″ W.
BERING_1867_LON = -(168 + 58 / 60 + 37 / 3600)


def tolerance_m(width_km: float) -> float:
    return max(0.001 * width_km * 1000.0, 50.0)


def test_shared_boundary_off_land_from_hand_built_squares():
    """Two 1° squares share the meridian 10°E from 0° to 1°N; land covers its southern half."""
    west = shapely.box(9.0, 0.0, 10.0, 1.0)
    east = shapely.box(10.0, 0.0, 11.0, 1.0)
    land = shapely.box(9.5, -1.0, 10.5, 0.5)
    frame = shared_sea_borders(
        {"AAA": west, "BBB": east, "CCC": shapely.box(50, 50, 51, 51)}, [("BBB", "AAA"), ("AAA", "CCC")], land=land
    )
    assert list(zip(frame["a3_a"], frame["a3_b"], strict=True)) == [("AAA", "BBB")]
    _, _, expected_m = GEOD.inv(10.0, 0.5, 10.0, 1.0)
    assert frame.loc[0, "length_km"] == pytest.approx(expected_m / 1000, rel=1e-9)
    assert shapely.equals(frame.geometry[0], shapely.MultiLineString([[(10.0, 0.5), (10.0, 1.0)]]))


def test_committed_sea_borders_match_the_measured_lengths():
    frame = geodata.load_sea_borders().set_index(["a3_a", "a3_b"])
    assert set(PUBLISHED_SEA_KM) <= set(frame.index)
    for pair, (low, high) in PUBLISHED_SEA_KM.items():
        km = frame.loc[pair, "length_km"]
        assert low <= km <= high, f"{pair}: {km:.1f} km"
        assert km == pytest.approx(GEOD.geometry_length(frame.loc[pair, "geometry"]) / 1000, rel=1e-9)
    assert ("LVA", "RUS") not in frame.index  # Latvia and Russia meet on land only
    assert (frame["source"] == "@geo-maps/countries-maritime-10m@0.6.0").all()


def test_sea_borders_lie_off_natural_earth_land():
    countries = geodata.load_countries()
    land = shapely.union_all(countries.geometry.to_numpy())
    for line in geodata.load_sea_borders().geometry:
        assert GEOD.geometry_length(shapely.intersection(line, land)) < 1.0  # metres: touching the coast at most


def test_bering_strait_line_follows_the_1867_convention_meridian():
    frame = geodata.load_sea_borders().set_index(["a3_a", "a3_b"])
    xy = shapely.get_coordinates(frame.loc[("RUS", "USA"), "geometry"])
    assert np.abs(xy[:, 0] - BERING_1867_LON).max() < 0.06  # within ~3 km of the meridian
    assert 65.4 < xy[:, 1].min() < xy[:, 1].max() < 66.1  # between the two 12 nm circles around the Diomedes


def test_without_sea_borders_nothing_changes():
    land = contact_line(None, allies="union-state")
    assert "USA" not in set(land["nato_side"])
    sea = contact_line(None, allies="union-state", sea_borders=True)
    assert set(zip(sea["russia_side"], sea["nato_side"], strict=True)) == set(
        zip(land["russia_side"], land["nato_side"], strict=True)
    ) | {("RUS", "USA")}
    merged_sea = shapely.union_all(sea.geometry.to_numpy())
    for geometry in land.geometry:
        assert merged_sea.buffer(1e-9).covers(geometry)  # the land border is all still there
    assert Scenario().sea_borders is False


def test_the_line_with_sea_borders_is_longer_by_the_sea_borders():
    land = contact_line(None, allies="union-state").set_index("nato_side")["length_km"]
    sea = contact_line(None, allies="union-state", sea_borders=True).set_index("nato_side")["length_km"]
    committed = geodata.load_sea_borders().set_index(["a3_a", "a3_b"])["length_km"]
    assert sea["EST"] - land["EST"] == pytest.approx(committed[("EST", "RUS")], rel=1e-9)
    assert sea["USA"] == pytest.approx(committed[("RUS", "USA")], rel=1e-9)


@pytest.mark.parametrize("width_km", [100, 600, 1000])
def test_strip_around_the_bering_strait_line_is_accurate_across_the_antimeridian(width_km):
    a = analyse(Scenario(width_km=width_km, russia_side=("RUS",), nato_side=("USA",), sea_borders=True))
    zone = a.zone
    assert shapely.is_valid(zone)
    if width_km >= 600:  # Chukotka: the zone reaches past 180°
        xmin, _, xmax, _ = zone.bounds
        assert xmin == -180.0
        assert xmax == 180.0
    err = edge_error_m(zone, a.line, width_km)
    assert np.abs(err).max() <= tolerance_m(width_km), f"{np.abs(err).max():.0f} m"


def test_alaska_in_the_300_km_zone_against_an_equal_area_point_grid():
    """A second method: the share of an equal-area grid over western Alaska within 300 km (oracle)."""
    a = analyse(Scenario(width_km=300, sea_borders=True))
    usa_km2 = a.affected.set_index("adm0_a3").loc["USA", "area_km2"]
    alaska = shapely.clip_by_rect(geodata.load_countries().loc["USA", "geometry"], -172.0, 60.0, -155.0, 72.0)
    to_laea = Transformer.from_crs("EPSG:4326", "+proj=laea +lat_0=65.5 +lon_0=-165 +units=m", always_xy=True)
    projected = shapely.transform(alaska, lambda xy: np.column_stack(to_laea.transform(xy[:, 0], xy[:, 1])))
    step_m = 3_000.0
    xmin, ymin, xmax, ymax = projected.bounds
    xs, ys = np.meshgrid(np.arange(xmin, xmax, step_m) + step_m / 2, np.arange(ymin, ymax, step_m) + step_m / 2)
    inside = shapely.contains_xy(projected, xs.ravel(), ys.ravel())
    lon, lat = to_laea.transform(xs.ravel()[inside], ys.ravel()[inside], direction="INVERSE")
    bering = geodata.load_sea_borders().set_index(["a3_a", "a3_b"]).loc[("RUS", "USA"), "geometry"]
    within = distance_to_line_m(lon, lat, bering, beyond_m=300_000) <= 300_000  # inf beyond: not measured
    grid_km2 = within.sum() * step_m**2 / 1e6
    assert usa_km2 == pytest.approx(grid_km2, rel=0.02)
    assert 45_000 < usa_km2 < 52_000


def test_bad_sea_borders_value_is_refused():
    with pytest.raises(ArgumentError, match=r"'sea_borders' should be True or False, got 'yes'"):
        Scenario(sea_borders="yes")


def test_cli_sea_borders_puts_the_usa_on_the_line(tmp_path):
    out = tmp_path / "contact.csv"
    cmd = [sys.executable, "-m", "zones", "contact", "--sea-borders", "--out", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert ",USA," in out.read_text()


def test_readme_states_the_alaska_figure_of_the_data():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*([\d,]+) km² of Alaska\*\*", readme)
    assert stated is not None
    usa_km2 = analyse(Scenario(width_km=300, sea_borders=True)).affected.set_index("adm0_a3").loc["USA", "area_km2"]
    assert int(stated.group(1).replace(",", "")) == round(usa_km2)
