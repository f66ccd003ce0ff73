"""One dispatcher: each download of the app is the file of a ``zones`` command, byte for byte; app.py stays small."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from zones import Scenario, analyse
from zones.cli import report as report_cli
from zones.cli.main import main
from zones.downloads import BY_KIND, DOWNLOADS, SWEEP_WIDTHS_KM, download_bytes
from zones.errors import ArgumentError
from zones.settings import SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web import ladder
from zones.web.claims import CLAIM_COUNTRIES

REPO: Final = Path(__file__).resolve().parents[1]

#: Russia and Norway, the one land border of 27 May 1997 (Poland joined in 1999): a short line, fast files.
OPTIONS: Final = ("--width-km", "60", "--date", "1997-05-27", "--allies", "union-state")
SCENARIO: Final = Scenario(width_km=60, date="1997-05-27", allies="union-state")

#: The command line of each download, besides the scenario's options and ``--out``.
COMMANDS: Final = {
    "affected": ["affected"],
    "strip": ["strip"],
    "table": ["affected"],
    "regions": ["regions"],
    "regions_table": ["regions"],
    "cities": ["cities"],
    "sites": ["sites"],
    "map_png": ["report"],
    "map_pdf": ["report"],
    "sweep": ["sweep"],
    "thresholds": ["thresholds", "--country", ",".join(CLAIM_COUNTRIES)],
    "html": ["html"],
}


def test_app_py_is_widgets_and_layout_in_at_most_640_lines():
    """600 until the page sent its map before its sliders and sidebar (issue 26): reading a widget's value and
    drawing it became two steps, and the server's start prepares the first page (``warm_up``)."""
    lines = (REPO / "app.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 640


def test_every_download_names_the_command_that_writes_it():
    assert set(COMMANDS) == set(BY_KIND)
    for download in DOWNLOADS:
        assert COMMANDS[download.kind][0] == download.command
        assert download.file_name.endswith(download.suffix)


@pytest.fixture(scope="module")
def analysis():
    return analyse(SCENARIO)


@pytest.mark.parametrize("kind", list(COMMANDS))
def test_a_download_is_the_cli_files_bytes(kind, analysis, tmp_path):
    download = BY_KIND[kind]
    out = tmp_path / download.file_name
    command = COMMANDS[kind]
    # thresholds and sweep take no width (sweep's --width-km only marks a chart); html refuses none
    options = OPTIONS[2:] if download.command in ("thresholds", "sweep") else OPTIONS
    assert main([command[0], *options, *command[1:], "--out", str(out)]) == 0
    made = download_bytes(kind, SCENARIO, analysis=analysis if download.command != "sweep" else None)
    assert made == out.read_bytes()
    assert len(made) > 100


def test_the_slider_the_ladder_the_sweep_and_the_cli_share_one_set_of_steps():
    """The app's slider, the live ladder, the sweep download and ``zones sweep``'s defaults: 0 to 1,000 km by 10."""
    assert (SLIDER_MAX_KM, SLIDER_STEP_KM) == (1000, 10)
    assert (SWEEP_WIDTHS_KM[0], SWEEP_WIDTHS_KM[-1], len(SWEEP_WIDTHS_KM)) == (0, 1000, 101)
    assert ladder.widths_km() == SWEEP_WIDTHS_KM
    assert (report_cli.DEFAULT_MAX_WIDTH_KM, report_cli.DEFAULT_STEP_KM) == (1000.0, 10.0)


def test_an_unknown_download_is_refused_by_name():
    with pytest.raises(ArgumentError, match=r"'kind' should be one of affected.*got 'zone\.kml'"):
        download_bytes("zone.kml", SCENARIO)
