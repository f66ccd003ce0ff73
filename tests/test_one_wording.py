"""Every word and number format is written once: days, the readings' names and the slider's limits have one home."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

from zones import wording
from zones.engine.analysis import Scenario
from zones.engine.contact import resolve_sides

REPO: Final = Path(__file__).resolve().parents[1]
SOURCES: Final = [REPO / "app.py", *sorted((REPO / "zones").rglob("*.py")), *sorted((REPO / "geodata").glob("*.py"))]


def _written_in(pattern: str) -> list[str]:
    """Return the source files (relative) whose text matches ``pattern``."""
    return [str(path.relative_to(REPO)) for path in SOURCES if re.search(pattern, path.read_text(encoding="utf-8"))]


def test_a_day_in_words_is_built_in_one_place():
    assert _written_in(r"%B|%b|strftime") == ["zones/wording.py"]
    assert wording.day_in_words(dt.date(2004, 3, 29)) == "29 March 2004"
    assert wording.day_in_words(dt.date(1991, 12, 26)) == "26 December 1991"


def test_the_readings_are_named_in_one_place():
    assert _written_in(r"\"the Union State\"|Russia with Belarus|Russia with the CSTO\"") == ["zones/wording.py"]
    assert set(wording.READING_NAMES) == set(wording.READING_LONG_NAMES) == {"union-state", "csto"}


def test_the_report_and_the_app_name_the_day_and_reading_alike():
    """The report's subtitle (sides_in_words) and the app's headline take the same day and reading names."""
    scenario = Scenario(width_km=100, date="2004-03-29", allies="csto")
    subtitle = wording.sides_in_words(scenario, resolve_sides(scenario.date, allies=scenario.allies))
    assert subtitle.startswith("NATO's members on 29 March 2004 · Russia's side: the CSTO (")


def test_the_slider_limits_are_set_once():
    assert _written_in(r"(MAX|STEP)_?(WIDTH_)?KM: Final = (1000|10)\b") == ["zones/settings.py"]


def test_side_colours_are_one_immutable_mapping():
    assert _written_in(r"SIDE_COLORS|_COLOR: Final") == []
