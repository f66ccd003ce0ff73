"""Width sweeps (zones.engine.sweep) and the sweep command: table invariants, oracle, chart, errors."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from tests.in_process import run_in_process
from zones import ArgumentError, Scenario, analyse
from zones.engine import progress
from zones.engine.sweep import SWEEP_COLUMNS, first_width_reaching, sweep_table
from zones.report.sweep_chart import render_sweep

SCENARIO = Scenario(width_km=300, date="2021-12-17", allies="union-state")
WIDTHS_KM = (0, 50, 100, 200, 300)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zones", *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return sweep_table(SCENARIO, widths_km=WIDTHS_KM)


def test_table_is_long_and_complete(table):
    assert tuple(table.columns) == SWEEP_COLUMNS
    codes = table["adm0_a3"].unique()
    assert len(table) == len(WIDTHS_KM) * len(codes)
    assert sorted(table["width_km"].unique()) == list(map(float, WIDTHS_KM))
    zero = table[table["width_km"] == 0]
    assert (zero["area_km2"] == 0).all()
    assert (zero["share"] == 0).all()
    assert {"POL", "LTU", "BLR", "RUS"} <= set(codes)


def test_share_never_decreases_with_width(table):
    for _, rows in table.sort_values("width_km").groupby("adm0_a3"):
        assert (np.diff(rows["share"].to_numpy()) >= -1e-9).all()
        assert (np.diff(rows["area_km2"].to_numpy()) >= -1e-6).all()


@pytest.mark.parametrize("width_km", [50, 200])
def test_table_matches_analyse_exactly(table, width_km):
    affected = analyse(
        SCENARIO.replace(width_km=width_km, russia_width_km=None, nato_width_km=None)
    ).affected.set_index("adm0_a3")
    rows = table[table["width_km"] == width_km].set_index("adm0_a3")
    hit = rows[rows["area_km2"] > 0]
    assert set(hit.index) == set(affected.index)
    for code in affected.index:
        assert hit.loc[code, "area_km2"] == affected.loc[code, "area_km2"]
        assert hit.loc[code, "share"] == affected.loc[code, "share"]
        assert hit.loc[code, "side"] == affected.loc[code, "side"]


def test_sweep_ignores_per_side_widths_but_keeps_clip():
    scenario = SCENARIO.replace(russia_width_km=50, nato_width_km=400, clip=True)
    table = sweep_table(scenario, widths_km=[100])
    affected = analyse(
        SCENARIO.replace(width_km=100, russia_width_km=None, nato_width_km=None, clip=True)
    ).affected.set_index("adm0_a3")
    rows = table.set_index("adm0_a3")
    assert rows.loc[affected.index, "area_km2"].tolist() == affected["area_km2"].tolist()


def test_first_width_reaching(table):
    assert first_width_reaching(table, "LTU", 0) == 0.0
    polish = table[table["adm0_a3"] == "POL"].set_index("width_km")["share"]
    expected = min(w for w, s in polish.items() if s >= 1 / 3)
    assert first_width_reaching(table, "pol", 1 / 3) == expected
    assert first_width_reaching(table, "RUS", 1.0) is None
    assert first_width_reaching(table, "FRA", 0.1) is None
    with pytest.raises(ArgumentError, match="'share' should be a number from 0 to 1"):
        first_width_reaching(table, "POL", 33)


@pytest.mark.parametrize("widths", [[], [100, -5], "100", [3000]])
def test_bad_widths_raise(widths):
    with pytest.raises(ArgumentError):
        sweep_table(SCENARIO, widths_km=widths)


def test_render_sweep_formats(table):
    png = render_sweep(table, current_width_km=300, dpi=30)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    assert image.info["dpi"] == pytest.approx((30, 30), abs=0.01)
    assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 50
    svg = render_sweep(table, current_width_km=300, fmt="svg").decode("utf-8")
    for text in ("Share of each country's land in the Article 7 zone, by width", "Poland", "300 km", "one-third"):
        assert text in svg, text
    assert render_sweep(table, fmt="pdf", top=3)[:5] == b"%PDF-"
    with pytest.raises(ArgumentError, match="'top' should be"):
        render_sweep(table, top=0)


def test_cli_sweep_csv(tmp_path):
    out = tmp_path / "sweep.csv"
    result = run("sweep", "--date", "2021-12-17", "--max-width-km", "200", "--step-km", "100", "--out", str(out))
    assert result.returncode == 0, result.stderr
    csv = pd.read_csv(out)
    assert list(csv.columns) == list(SWEEP_COLUMNS)
    assert sorted(csv["width_km"].unique()) == [0, 100, 200]
    for _, rows in csv.sort_values("width_km").groupby("adm0_a3"):
        assert (np.diff(rows["share"].to_numpy()) >= 0).all()
    affected = analyse(SCENARIO.replace(width_km=100, russia_width_km=None, nato_width_km=None)).affected.set_index(
        "adm0_a3"
    )
    rows = csv[csv["width_km"] == 100].set_index("adm0_a3")
    for code in affected.index:  # the CSV keeps 6 significant digits
        assert rows.loc[code, "area_km2"] == float(f"{affected.loc[code, 'area_km2']:.6g}")
        assert rows.loc[code, "share"] == float(f"{affected.loc[code, 'share']:.6g}")
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]


def test_cli_sweep_chart_marks_a_width_only_when_given(tmp_path):
    """With --width-km the chart has one dashed line (and says what it is); with none, no dashed line at all."""
    args = ("sweep", "--date", "2021-12-17", "--max-width-km", "100", "--step-km", "50")
    plain, marked = tmp_path / "plain.svg", tmp_path / "marked.svg"
    assert run(*args, "--out", str(plain)).returncode == 0
    result = run(*args, "--width-km", "60", "--out", str(marked))
    assert result.returncode == 0, result.stderr
    assert "wrote a sweep of 3 widths, " in result.stdout
    assert plain.read_text().count("stroke-dasharray") == 0
    assert marked.read_text().count("stroke-dasharray") == 1
    assert "Dashed line" not in plain.read_text()
    assert "60 km" in marked.read_text()
    subtitle = "NATO's members on 17 December 2021 · Russia's side: the Union State (Belarus, Russia)"
    assert subtitle in marked.read_text()  # the page's words, not "union-state vs NATO on 2021-12-17"
    assert "union-state" not in marked.read_text()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--out", "sweep.geojson"], "--out"),
        (["--step-km", "0", "--out", "sweep.csv"], "--step-km"),
        (["--max-width-km", "5000", "--out", "sweep.csv"], "--max-width-km"),
        (["--russia-width-km", "50", "--out", "sweep.png"], "--russia-width-km"),
        (["--date", "tomorrow", "--out", "sweep.png"], "--date"),
    ],
)
def test_cli_sweep_bad_options_exit_2_and_write_nothing(tmp_path, args, option):
    args = [str(tmp_path / a) if a.startswith("sweep.") else a for a in args]
    result = run_in_process("sweep", *args)  # test_cli_sweep_csv starts the real process
    assert result.returncode == 2, result.stderr
    assert f"(option {option})" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_sweep_reports_each_width_done_and_the_same_table():
    """The sweep reports each width done (the app's progress bar), changing nothing else."""
    scenario = Scenario(width_km=0, date="1997-05-27")
    steps: list[tuple[int, int]] = []
    with progress.reporting(lambda done, total: steps.append((done, total))):
        followed = sweep_table(scenario, widths_km=[100, 0, 50, 50])
    assert steps == [(1, 3), (2, 3), (3, 3)]  # three distinct widths, one call each, in order
    pd.testing.assert_frame_equal(followed, sweep_table(scenario, widths_km=[0, 50, 100]))
