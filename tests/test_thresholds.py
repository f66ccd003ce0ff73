"""At what width: zones.thresholds against analyse's shares, distance quantiles of an equal-area grid, and the README.

Every row of the draft's thresholds CSV is checked against ``analyse``: the
share reaches the level at the width and falls short 0.5 km less (a width one
step too wide or too narrow fails). ``analyse`` is called once per width
needed (:class:`SharesByWidth`), a few hundred zones at about 0.1 s each.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import geodata
from tests import oracle
from tests.files import listing
from zones import ArgumentError, Scenario, analyse
from zones.cli.main import main
from zones.engine.analysis import affected_for
from zones.engine.denominators import country_area_km2
from zones.engine.share_thresholds import thresholds, thresholds_from_shares
from zones.settings import COUNTRY_PARTS
from zones.web.claims import CLAIM_COUNTRIES, CLAIMS

DRAFT = Scenario(date="2021-12-17", allies="union-state")
LEVELS = (0.1, 1 / 3, 0.5, 0.9)
#: Grid spacing per country, km: fine enough for 3 km, coarse enough to run in a few seconds.
GRID_STEP_KM = {"EST": 2.0, "LVA": 2.5, "LTU": 2.5, "POL": 4.0}
#: The share each CSV level stands for ("all" is a share of at least 0.9999, as documented).
LEVEL_OF = {0.1: 0.1, 0.3333: 1 / 3, 0.5: 0.5, 0.9: 0.9, 1.0: 0.9999}
#: Each width column with the column of ``analyse``'s affected table it is the width of.
WIDTH_AND_SHARE = (("width_km", "share"), ("width_whole_km", "share_whole_country"))
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


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


class SharesByWidth:
    """``analyse``'s shares of every country (stated part and whole), computed once per width."""

    def __init__(self):
        self._frames = {}

    def frame(self, width_km):
        """``affected_for``'s table at ``width_km``, by country code."""
        if width_km not in self._frames:
            if width_km <= 0:
                self._frames[width_km] = pd.DataFrame(columns=["share", "share_whole_country"])
            else:
                self._frames[width_km] = affected_for(DRAFT.replace(width_km=width_km)).set_index("adm0_a3")
        return self._frames[width_km]

    def at(self, width_km, code, column):
        frame = self.frame(width_km)
        return float(frame.at[code, column]) if code in frame.index else 0.0


@pytest.fixture(scope="module")
def shares():
    return SharesByWidth()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The thresholds CSV of the draft's date, as the command writes it."""
    out = tmp_path_factory.mktemp("thresholds") / "t.csv"
    assert main(["thresholds", "--date", "2021-12-17", "--out", str(out)]) == 0
    return pd.read_csv(out, keep_default_na=False, dtype={"width_km": str, "width_whole_km": str, "note": str})


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
def test_width_is_exact_to_half_a_km(table, shares, code, share, level):
    """Independent path: the affected share of zones.engine.impact at the width and 0.5 km less."""
    width = width_of(table, code, share)
    assert shares.at(width, code, "share") >= level
    assert shares.at(width - 0.5, code, "share") < level


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


def test_thresholds_command_writes_regions_of_the_countries_asked(by_regions, tmp_path):
    out = tmp_path / "t.csv"
    command = ["thresholds", "--date", "2021-12-17", "--by", "regions", "--country", "FIN,EST", "--out", str(out)]
    assert main(command) == 0
    written = pd.read_csv(out, keep_default_na=False, dtype={"width_km": str})
    assert {"adm0_a3", "iso_3166_2", "name", "side", "share", "width_km", "date", "allies"} <= set(written.columns)
    assert set(written["adm0_a3"]) == {"EST", "FIN"}
    assert set(written["share"]) == {0.1, 0.3333, 0.5, 0.9, 1.0}
    estonia = written[written["adm0_a3"] == "EST"]
    # every Estonian region lies within 400 km of the line (oracle), so every level is reached
    assert (estonia["width_km"] != "").all()
    assert estonia["width_km"].astype(float).max() < 400
    for code in ("EST", "FIN"):
        expected = by_regions[by_regions["adm0_a3"] == code]["width_km"].to_numpy(dtype=float)
        got = written[written["adm0_a3"] == code]["width_km"].replace("", "nan").astype(float).to_numpy()
        np.testing.assert_allclose(np.sort(got), np.sort(expected))


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


# --- every row against analyse, Russia and mainland Norway against a grid, the README ---------------


def exact_to_half_a_km(shares, code, share_label, width, column):
    """Return what is wrong with ``width`` (a CSV cell) as the width of level ``share_label``, or ``None``."""
    level = LEVEL_OF[share_label]
    if width == "":
        reached = shares.at(2000.0, code, column)
        return None if reached < level else f"{code} {share_label} {column}: empty, but {reached:.5f} at 2,000 km"
    width_km = float(width)
    if width_km % 0.5 != 0 or not 0 < width_km <= 2000:
        return f"{code} {share_label} {column}: {width_km} km is not a multiple of 0.5 km up to 2,000"
    at, before = shares.at(width_km, code, column), shares.at(width_km - 0.5, code, column)
    if at >= level > before:
        return None
    return f"{code} {share_label} {column}: {at:.6f} at {width_km} km, {before:.6f} at 0.5 km less"


def test_every_row_is_the_first_half_km_at_which_analyse_reaches_the_level(written, shares):
    """Every country and level of the CSV, for the stated part and the whole country."""
    at_2000 = shares.frame(2000.0)  # the same analysis as the empty cells' check
    assert set(written["adm0_a3"]) == set(at_2000.index)  # every country with land within 2,000 km
    assert len(written) == 5 * len(at_2000)
    wrong = []
    for row in written.itertuples():
        for width_column, share_column in WIDTH_AND_SHARE:
            wrong.append(exact_to_half_a_km(shares, row.adm0_a3, row.share, getattr(row, width_column), share_column))
        unreached = "not within 2,000 km" in row.note
        assert unreached == (row.width_km == "" or row.width_whole_km == ""), row
        assert row.denominator == at_2000.at[row.adm0_a3, "denominator"]
    assert [w for w in wrong if w] == []


def test_far_levels_are_measured_against_the_whole_country(written):
    """Russia's tenth lies near 970 km (grid below); a third and half of it are not within 2,000 km."""
    russia = written[written["adm0_a3"] == "RUS"].set_index("share")
    assert float(russia.at[0.1, "width_km"]) > 900
    assert (russia.loc[[0.3333, 0.5, 0.9, 1.0], "width_km"] == "").all()
    assert (russia.loc[[0.3333, 0.5, 0.9, 1.0], "note"] == "not within 2,000 km").all()


@pytest.mark.parametrize(("code", "step_km"), [("RUS", 30.0), ("NOR", 4.0)])
def test_russia_and_mainland_norway_match_the_grid(written, line, code, step_km):
    """Distance quantiles of an equal-area grid over the whole of Russia and over mainland Norway."""
    countries = geodata.load_countries()
    land = countries.loc[code, "geometry"]
    if code == "NOR":
        land = oracle.mainland_norway(land)
    if code == "NOR":  # the stated part is mainland Norway: Svalbard, Jan Mayen and Bouvet Island left out
        assert oracle.geodesic_area_km2(land) == pytest.approx(country_area_km2("NOR", stated=True), rel=1e-6)
    lon, lat = oracle.equal_area_grid(land, step_km)
    # a point beyond 2,000 km (most of Russia) is inf: no level there has a width, and quantiles pick, not interpolate
    distances = oracle.distance_to_line_m(lon, lat, line, beyond_m=2_000_000) / 1000
    rows = written[written["adm0_a3"] == code].set_index("share")
    for share in (0.1, 0.3333, 0.5, 0.9):
        expected = np.quantile(distances, LEVEL_OF[share], method="inverted_cdf")
        got = rows.at[share, "width_km"]
        print(f"{code} {share}: {got} km, grid {expected:.1f} km")
        if expected > 2000:
            assert got == ""
        else:
            assert float(got) == pytest.approx(expected, abs=3.0), (code, share)
    if code == "NOR":  # all but 0.01 %: between the grid's 99.9th percentile and the farthest boundary point
        blon, blat = oracle.densify_boundary(land)
        farthest = oracle.distance_to_line_m(blon[::4], blat[::4], line).max() / 1000
        assert np.quantile(distances, 0.999) <= float(rows.at[1.0, "width_km"]) <= farthest + 0.5


def readme_table():
    """The README's table of widths under "What the numbers say": {(label, share): cell}."""
    section = README.split("## What the numbers say", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["country", "a tenth", "a third", "half", "90 %", "all"]
    cells = {}
    for line in lines[2:]:
        label, *widths = (cell.strip() for cell in line.strip("|").split("|"))
        for share, width in zip((0.1, 0.3333, 0.5, 0.9, 1.0), widths, strict=True):
            cells[label, share] = width
    return cells


def _code_of(label, table):
    names = table.drop_duplicates("adm0_a3").set_index("name")["adm0_a3"]
    matches = [code for name, code in names.items() if re.match(rf"{re.escape(name)}\b", label)]
    assert len(matches) == 1, label
    return matches[0]


def _km(cell):
    """``"1,187 km"`` -> ``"1187"``, ``"not within 2,000 km"`` -> ``""`` (as in the CSV)."""
    if cell == "not within 2,000 km":
        return ""
    number = re.fullmatch(r"([\d,]+(?:\.5)?) km", cell)
    assert number, cell
    return f"{float(number.group(1).replace(',', '')):g}"


def test_readme_table_is_what_thresholds_gives(written):
    """The 45 widths of the README's table are the CSV's, of the stated part its label names."""
    cells = readme_table()
    assert len(cells) == 45
    csv_widths = written.set_index(["adm0_a3", "share"])
    for (label, share), cell in cells.items():
        code = _code_of(label, written)
        row = csv_widths.loc[(code, share)]
        expected = row["width_km"]
        assert _km(cell) == ("" if expected == "" else f"{float(expected):g}"), (label, share)
        if row["denominator"] != "whole country":
            assert row["denominator"].split()[0] in label.lower(), label  # "Norway (mainland)"


def test_readme_widths_are_exact_to_half_a_km(written, shares):
    """The README's 45 claim widths, each against analyse at the width and 0.5 km less."""
    wrong = [
        exact_to_half_a_km(shares, _code_of(label, written), share, _km(cell), "share")
        for (label, share), cell in readme_table().items()
    ]
    assert [w for w in wrong if w] == []


#: Sentences of the README's claims with the CSV cell each figure is: (code, share, column).
README_FIGURES = {
    r"a tenth of mainland Norway from ([\d,.]+) km": ("NOR", 0.1, "width_km"),
    r"Norway's tenth comes at ([\d,.]+) km": ("NOR", 0.1, "width_whole_km"),
    r"its half at\s+([\d,.]+) km": ("NOR", 0.5, "width_whole_km"),
    r"a tenth of Russia from ([\d,.]+) km": ("RUS", 0.1, "width_km"),
    r"a tenth of\s+metropolitan France from ([\d,.]+) km": ("FRA", 0.1, "width_km"),
    r"of\s+Sweden from ([\d,.]+) km": ("SWE", 0.1, "width_km"),
    r"half of Finland from ([\d,.]+) km": ("FIN", 0.5, "width_km"),
}


def test_readme_claims_are_the_csv_widths(written):
    """The figures in the claims under the table, and the levels they say are not reached."""
    cells = written.set_index(["adm0_a3", "share"])
    for pattern, (code, share, column) in README_FIGURES.items():
        found = re.search(pattern, README)
        assert found, pattern
        assert float(found.group(1).replace(",", "")) == float(cells.at[(code, share), column]), pattern
    assert re.search(r"no third of it within 2,000 km", README)
    assert cells.at[("RUS", 0.3333), "width_km"] == ""
    assert re.search(r"all of it not within 2,000 km", README)
    assert cells.at[("NOR", 1.0), "width_whole_km"] == ""


# --- a few levels from shares already known (the claims panel, from the width ladder) ---------------


def guide(shares, widths_km, codes):
    """``analyse``'s shares of ``codes`` at ``widths_km``, as the width ladder holds them."""
    return {
        code: (
            list(widths_km),
            [shares.at(w, code, "share") for w in widths_km],
            [shares.at(w, code, "share_whole_country") for w in widths_km],
        )
        for code in codes
    }


def test_claims_from_known_shares_are_exact_to_half_a_km(shares):
    """Each claim, bracketed by analyse's shares every 50 km (the ladder has them every 10 km), then solved."""
    levels = [(claim.code, claim.share) for claim in CLAIMS]
    table = thresholds_from_shares(DRAFT, levels, shares=guide(shares, range(0, 551, 50), CLAIM_COUNTRIES))
    assert list(zip(table["adm0_a3"], table["share"], strict=True)) == [(c, round(s, 4)) for c, s in levels]
    assert set(table["side"]) == {"russia", "nato", "third"}
    wrong = []
    for row in table.itertuples():
        assert row.denominator == ("mainland Norway" if row.adm0_a3 == "NOR" else "whole country")
        for width_column, share_column in WIDTH_AND_SHARE:
            width = getattr(row, width_column)
            cell = "" if np.isnan(width) else f"{width:g}"
            wrong.append(exact_to_half_a_km(shares, row.adm0_a3, row.share, cell, share_column))
    assert [w for w in wrong if w] == []


def test_a_level_beyond_the_known_shares_is_solved_with_its_own_ladder(shares):
    """Estonia's half lies beyond 100 km: thresholds() answers it; Lithuania's half (60 km) the shares bracket."""
    table = thresholds_from_shares(
        DRAFT.replace(clip=True), [("EST", 0.5), ("LTU", 0.5)], shares=guide(shares, range(0, 101, 25), ["EST", "LTU"])
    )
    assert list(table["adm0_a3"]) == ["EST", "LTU"]
    for row in table.itertuples():
        assert exact_to_half_a_km(shares, row.adm0_a3, row.share, f"{row.width_km:g}", "share") is None
    assert table.loc[0, "width_km"] > 100 > table.loc[1, "width_km"]


@pytest.mark.parametrize(
    ("levels", "argument", "received"), [([("EST", 0.25)], "levels", "0.25"), ([("XYZ", 0.5)], "levels", "XYZ")]
)
def test_bad_levels_are_refused(levels, argument, received):
    with pytest.raises(ArgumentError, match=rf"'{argument}' should be .*got '?{received}"):
        thresholds_from_shares(DRAFT, levels, shares={})


def test_claim_widths_use_the_ladders_shares_when_it_exists(shares, table, monkeypatch):
    """The panel's claims: from the ladder's shares if stored (the claims' rows), else the claim countries' table."""
    from zones.web import claims, ladder

    # claim_widths imports stored_shares when it runs (the ladder needs folium): patched where it lives
    monkeypatch.setattr(ladder, "stored_shares", lambda scenario: guide(shares, range(0, 551, 50), CLAIM_COUNTRIES))
    fast = claims.claim_widths(DRAFT).set_index(["adm0_a3", "share"])
    assert list(fast.index) == [(claim.code, round(claim.share, 4)) for claim in CLAIMS]
    monkeypatch.setattr(ladder, "stored_shares", lambda scenario: None)
    slow = claims.claim_widths(DRAFT)
    assert set(slow["adm0_a3"]) == set(CLAIM_COUNTRIES)
    assert len(slow) == 5 * len(CLAIM_COUNTRIES)  # every level of the claims' countries
    every = table.set_index(["adm0_a3", "share"])
    for frame in (fast, slow.set_index(["adm0_a3", "share"])):
        for key, row in frame.iterrows():
            got, expected = row[["width_km", "width_whole_km"]], every.loc[key, ["width_km", "width_whole_km"]]
            np.testing.assert_array_equal(got.to_numpy(float), expected.to_numpy(float), err_msg=str(key))
