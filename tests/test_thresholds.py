"""At what width: zones.thresholds against distance quantiles of an equal-area grid, and the command."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import geodata
from tests import oracle
from tests.files import listing
from zones import ArgumentError, Scenario, analyse
from zones.analysis import affected_for
from zones.cli import main
from zones.settings import COUNTRY_PARTS
from zones.thresholds import thresholds

DRAFT = Scenario(date="2021-12-17", allies="union-state")
LEVELS = (0.1, 1 / 3, 0.5, 0.9)
#: Grid spacing per country, km: fine enough for 3 km, coarse enough to run in a few seconds.
GRID_STEP_KM = {"EST": 2.0, "LVA": 2.5, "LTU": 2.5, "POL": 4.0}


@pytest.fixture(scope="module")
def table():
    return thresholds(DRAFT)


@pytest.fixture(scope="module")
def line():
    return analyse(DRAFT.replace(width_km=0)).line  # a zero width: only the contact line is drawn


@pytest.fixture(scope="module")
def grid_distances(line):
    """Oracle distance (km) of every equal-area grid point of each country, plus its boundary's largest."""
    countries = geodata.load_countries()
    out = {}
    for code, step_km in GRID_STEP_KM.items():
        country = countries.loc[code, "geometry"]
        lon, lat = oracle.equal_area_grid(country, step_km)
        blon, blat = oracle.densify_boundary(country)
        out[code] = (
            oracle.distance_to_line_m(lon, lat, line) / 1000,
            oracle.distance_to_line_m(blon[::4], blat[::4], line).max() / 1000,
        )
    return out


def width_of(table, code, share):
    rows = table[(table["adm0_a3"] == code) & np.isclose(table["share"], round(share, 4))]
    assert len(rows) == 1
    return float(rows["width_km"].iloc[0])


@pytest.mark.parametrize("code", sorted(GRID_STEP_KM))
def test_widths_match_the_grid_distance_quantiles(table, grid_distances, code):
    distances, boundary_max = grid_distances[code]
    for level in LEVELS:
        expected = np.quantile(distances, level, method="inverted_cdf")
        got = width_of(table, code, level)
        print(f"{code} {level:.4f}: {got:.1f} km, grid {expected:.1f} km ({got - expected:+.1f})")
        assert got == pytest.approx(expected, abs=3.0), (code, level)
    farthest = max(distances.max(), boundary_max)
    got = width_of(table, code, 1.0)
    print(f"{code} all: {got:.1f} km, grid and boundary max {farthest:.1f} km ({got - farthest:+.1f})")
    assert got == pytest.approx(farthest, abs=3.0)


def test_widths_increase_with_level(table):
    assert set(table["side"]) <= {"russia", "nato", "third"}
    for _, unit in table.groupby(["adm0_a3", "iso_3166_2", "name"]):
        widths = unit.sort_values("share")["width_km"].dropna().to_numpy()
        assert all(a <= b for a, b in itertools.pairwise(widths)), unit
    for code in GRID_STEP_KM:
        widths = [width_of(table, code, share) for share in (*LEVELS, 1.0)]
        assert all(a < b for a, b in itertools.pairwise(widths)), (code, widths)


@pytest.mark.parametrize(("code", "share", "level"), [("POL", 1 / 3, 1 / 3), ("EST", 1.0, 0.9999)])
def test_width_is_exact_to_half_a_km(table, code, share, level):
    """Independent path: the affected share of zones.impact at the width and 0.5 km less."""
    width = width_of(table, code, share)

    def share_at(width_km):
        affected = affected_for(DRAFT.replace(width_km=width_km)).set_index("adm0_a3")
        return affected.loc[code, "share"] if code in affected.index else 0.0

    assert share_at(width) >= level
    assert share_at(width - 0.5) < level


def test_clip_drops_third_countries(table):
    clipped = thresholds(DRAFT.replace(clip=True))
    assert "third" in set(table["side"])
    assert set(clipped["side"]) == {"russia", "nato"}
    parties = table[table["side"] != "third"].set_index(["adm0_a3", "share"])["width_km"]
    clipped_widths = clipped.set_index(["adm0_a3", "share"])["width_km"]
    pd.testing.assert_series_equal(clipped_widths.sort_index(), parties.sort_index())


def test_bad_unit_is_refused():
    with pytest.raises(ArgumentError, match=r"'by' should be one of 'countries', 'regions', got 'provinces'"):
        thresholds(DRAFT, by="provinces")


# --- by region, and the command ---------------------------------------------------------


@pytest.fixture(scope="module")
def by_regions():
    return thresholds(DRAFT, by="regions", countries=("EST", "FIN"))  # every region takes many minutes


def test_region_rows_carry_their_iso_code(by_regions):
    regions = geodata.load_regions().set_index("adm1_code")
    assert set(by_regions["adm1_code"]) <= set(regions.index)
    for row in by_regions.drop_duplicates("adm1_code").itertuples():
        region = regions.loc[row.adm1_code]
        assert (row.iso_3166_2, row.name) == (region["iso_3166_2"], region["name"])
        assert row.adm0_a3 == COUNTRY_PARTS.get(region["adm0_a3"], region["adm0_a3"])  # Åland's go with Finland
    assert "ALD" in set(regions.loc[list(by_regions["adm1_code"]), "adm0_a3"])
    estonia = by_regions[by_regions["adm0_a3"] == "EST"]
    assert estonia["iso_3166_2"].str.startswith("EE-").all()
    assert estonia["iso_3166_2"].nunique() == 15


def test_thresholds_command_writes_regions_of_one_country(by_regions, tmp_path):
    out = tmp_path / "t.csv"
    assert main(["thresholds", "--date", "2021-12-17", "--by", "regions", "--country", "EST", "--out", str(out)]) == 0
    written = pd.read_csv(out, keep_default_na=False)
    assert {"adm0_a3", "iso_3166_2", "name", "side", "share", "width_km", "date", "allies"} <= set(written.columns)
    assert set(written["adm0_a3"]) == {"EST"}
    assert set(written["share"]) == {0.1, 0.3333, 0.5, 0.9, 1.0}
    # every Estonian region lies within 400 km of the line (oracle), so every level is reached
    assert (written["width_km"] != "").all()
    assert written["width_km"].astype(float).max() < 400
    expected = by_regions[by_regions["adm0_a3"] == "EST"]["width_km"].to_numpy()
    np.testing.assert_allclose(np.sort(written["width_km"].astype(float)), np.sort(expected))


def test_unreached_levels_are_left_empty(line, tmp_path):
    uelen = (-169.81, 66.16)  # Chukotka, on Russia's far side
    assert oracle.distance_to_line_m(np.array([uelen[0]]), np.array([uelen[1]]), line)[0] > 2_000_000
    out = tmp_path / "rus.csv"
    assert main(["thresholds", "--date", "2021-12-17", "--country", "RUS", "--out", str(out)]) == 0
    written = pd.read_csv(out, keep_default_na=False, dtype={"width_km": str}).set_index("share")["width_km"]
    assert written[1.0] == ""  # all of Russia is never reached
    assert float(written[0.1]) > 0


@pytest.mark.parametrize(
    ("args", "option", "received"),
    [
        (["--by", "provinces"], "--by", "provinces"),
        (["--country", "XYZ"], "--country", "XYZ"),
        (["--region", "EE-99"], "--region", "EE-99"),
    ],
)
def test_thresholds_command_refuses_bad_options(tmp_path, capsys, args, option, received):
    out = tmp_path / "t.csv"
    assert main(["thresholds", "--date", "2021-12-17", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert option in err[0]
    assert received in err[0]
    assert "should be" in err[0]
    assert listing(tmp_path) == []
