"""Mainland parts: zones.engine.denominators against boxes of our own around the mainlands, and published areas."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

import geodata
from tests import oracle
from zones.engine.analysis import Scenario, analyse
from zones.engine.denominators import PART_NAMES, REMOTE_PARTS, WHOLE_COUNTRY, country_area_km2, denominator

#: Spacing of the equal-area grid that checks a side's share, km (each point stands for 100 km²).
GRID_STEP_KM = 10.0

#: A box around each mainland (with its near islands), west, south, east, north in degrees: ours, not the code's.
MAINLAND_BOXES = {
    "NOR": (4.0, 57.0, 32.0, 72.0),
    "FRA": (-5.5, 41.0, 10.0, 51.5),  # with Corsica
    "ESP": (-9.5, 35.0, 4.5, 44.0),  # with the Balearics, Ceuta and Melilla
    "PRT": (-9.6, 36.9, -6.0, 42.2),
    "NLD": (3.0, 50.7, 7.3, 53.7),
}

#: Published land areas, km²: Statistics Norway, INSEE, ISTAC, INE Portugal, CBS.
PUBLISHED_KM2 = {
    "Svalbard": 61_022,
    "Jan Mayen": 377,
    "Bouvet Island": 49,
    "French Guiana": 83_534,
    "Guadeloupe": 1_628,
    "Martinique": 1_128,
    "Réunion": 2_512,
    "Mayotte": 374,
    "Canary Islands": 7_447,
    "Azores": 2_322,
    "Madeira": 801,
    "Caribbean Netherlands": 322,
}


@pytest.mark.parametrize("code", sorted(MAINLAND_BOXES))
def test_stated_part_is_the_land_in_the_mainland_box(code):
    """The denominator is the country's land within a box drawn around its mainland, and nothing else."""
    country = geodata.load_countries().loc[code, "geometry"]
    mainland_km2 = oracle.geodesic_area_km2(shapely.clip_by_rect(country, *MAINLAND_BOXES[code]))
    assert country_area_km2(code, stated=True) == pytest.approx(mainland_km2, rel=1e-6)
    assert country_area_km2(code, stated=False) == pytest.approx(oracle.geodesic_area_km2(country), rel=1e-6)
    assert country_area_km2(code, stated=False) - mainland_km2 > 290  # a remote part was taken off


@pytest.mark.parametrize("part", REMOTE_PARTS, ids=lambda part: part.name)
def test_each_remote_part_holds_its_territory(part):
    """Within a fifth of the published area (Natural Earth's small islands are generalised) and off the mainland."""
    country = geodata.load_countries().loc[part.country, "geometry"]
    land = shapely.clip_by_rect(country, *part.box)
    assert oracle.geodesic_area_km2(land) == pytest.approx(PUBLISHED_KM2[part.name], rel=0.25)
    assert not shapely.intersects(shapely.box(*part.box), shapely.box(*MAINLAND_BOXES[part.country]))


def test_denominator_names():
    assert denominator("NOR") == "mainland Norway" == PART_NAMES["NOR"]
    assert denominator("FRA") == "metropolitan France"
    assert denominator("POL") == WHOLE_COUNTRY == "whole country"
    assert country_area_km2("FIN", stated=True) == country_area_km2("FIN", stated=False)  # Åland counts with Finland


def test_each_sides_share_is_of_the_mainlands_like_each_countrys():
    """NATO's side at 300 km (17 Dec 2021) against an equal-area grid over its countries' mainlands.

    Norway is on that side and touched in the north; its share, and so the
    side's, is of mainland Norway: Svalbard's 61,000 km² would thin the side's
    share by about a twentieth.
    """
    analysis = analyse(Scenario(width_km=300, date=dt.date(2021, 12, 17), allies="union-state"))
    countries = geodata.load_countries()
    nato = analysis.affected.loc[analysis.affected["side"] == "nato", "adm0_a3"].tolist()
    assert "NOR" in nato
    inside = total = 0
    for code in nato:
        land = countries.loc[code, "geometry"]
        if code in MAINLAND_BOXES:
            land = shapely.clip_by_rect(land, *MAINLAND_BOXES[code])
        lon, lat = oracle.equal_area_grid(land, GRID_STEP_KM)
        inside += int((oracle.distance_to_line_m(lon, lat, analysis.line) <= 300_000).sum())
        total += len(lon)
    share = analysis.totals.set_index("side").at["nato", "share"]
    print(f"NATO's side at 300 km: {share:.4f}, grid {inside / total:.4f} ({total} points)")
    assert share == pytest.approx(inside / total, rel=0.01)
