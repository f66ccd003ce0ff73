"""One story: the CLI's summary line, the report's subtitle and the width ladder say the same totals.

The figures are checked against the CLI's own files (the affected countries' table summed by side, the
cities list with each city's country looked up on the sides); the browser's surfaces (the app, its live
line, the HTML page) are compared in ``tests/test_browser_story.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

import pandas as pd
import pytest

from zones import Scenario, analyse
from zones.cli.main import main
from zones.engine.contact import resolve_sides
from zones.report import map_figure as report
from zones.web import ladder

SUMMARY: Final = re.compile(
    r"([\d,]+) km² of the parties' land in the zone \(NATO's side ([\d,]+) km², Russia's side ([\d,]+) km²\), "
    r"(about [\d.,]+ M people|about [\d,]+ people|0 people) and ([\d,]+) cit(?:y|ies) of 15,000 or more on it; "
    r"third countries apart: (none|([\d,]+) km² in ([\d,]+) countr(?:y|ies))"
)


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.mark.parametrize(
    ("options", "scenario"),
    [
        (
            ["--width-km", "300", "--date", "2021-12-17", "--allies", "union-state"],
            Scenario(width_km=300, date="2021-12-17", allies="union-state"),
        ),
        (
            ["--width-km", "200", "--date", "2021-12-17", "--allies", "csto", "--clip"],
            Scenario(width_km=200, date="2021-12-17", allies="csto", clip=True),
        ),
    ],
    ids=["union-state-300", "csto-200-clipped"],
)
def test_cli_line_report_and_ladder_tell_the_same_totals(
    options: list[str], scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["affected", *options, "--out", str(tmp_path / "affected.csv")]) == 0
    assert main(["cities", *options, "--out", str(tmp_path / "cities.csv")]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    found = SUMMARY.search(line)
    assert found is not None, line
    summary = found.group(0)

    table = pd.read_csv(tmp_path / "affected.csv")
    by_side = table.groupby("side")["area_km2"].sum()
    assert abs(_number(found.group(1)) - (by_side.get("nato", 0) + by_side.get("russia", 0))) <= 1
    assert abs(_number(found.group(2)) - by_side.get("nato", 0)) <= 1
    assert abs(_number(found.group(3)) - by_side.get("russia", 0)) <= 1
    third = table[table["side"] == "third"]
    if scenario.clip:
        assert found.group(6) == "none"  # clipped: the parties' own land only
    else:
        assert abs(_number(found.group(7)) - third["area_km2"].sum()) <= 1
        assert _number(found.group(8)) == len(third)
    sides = resolve_sides(scenario.date, allies=scenario.allies)
    cities = pd.read_csv(tmp_path / "cities.csv")
    assert _number(found.group(5)) == cities["adm0_a3"].isin([*sides.russia, *sides.nato]).sum()

    analysis = analyse(scenario)
    subtitle = " ".join(t.get_text().replace("\n", " ") for t in report.map_figure(analysis, dpi=20).texts)
    assert summary in subtitle

    data = json.loads(ladder.ladder_json(scenario))
    step = data["steps"][data["widths_km"].index(int(scenario.width_km))]
    assert "".join(step["summary"]) == summary
    assert step["live"] == f"At {int(scenario.width_km)} km: {summary}"
