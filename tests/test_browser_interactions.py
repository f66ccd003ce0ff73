"""The reader's interactions on a preset scenario in real Chromium: what arrives, and how a wait is shown.

How long each takes is measured by ``benchmarks/bench_interactions.py``, not here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser

from tests import browser
from zones import Scenario, analyse

DRAFT = "?width_km=200&date=2021-12-17&allies=union-state"
SWEEP_CSV = "Share by width, 0–1,000 km (CSV)"


def test_the_share_by_width_csv_needs_no_preparing_once_the_ladder_exists(
    server: browser.Server, chromium: Browser, tmp_path: Path
) -> None:
    """Once the line's ladder is written (the live slider is ready), the share-by-width CSV is saved at once, with
    no "prepare" step (a minute of work, before: the ladder holds every country's share at every step); each
    width's rows are the analysis of that width.
    """
    context, offline = browser.offline_context(chromium, width=1280, height=900)
    page = context.new_page()
    browser.open_app(page, server.url + DRAFT)
    page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=300_000)
    browser.open_app(page, server.url + DRAFT)  # a reader coming back: the ladder is on the server now
    page.get_by_role("button", name="Downloads").click()
    page.get_by_role("button", name=SWEEP_CSV, exact=True).wait_for(state="visible")
    assert page.get_by_role("button", name=f"{SWEEP_CSV}: prepare (up to a minute)").count() == 0
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=SWEEP_CSV, exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    context.close()
    table = pd.read_csv(path)
    assert sorted(set(table["width_km"])) == list(range(0, 1001, 10))
    for width_km in (100, 550):
        affected = analyse(Scenario(width_km=width_km, date="2021-12-17", allies="union-state"), regions=False)
        expected = affected.affected.set_index("adm0_a3")
        rows = table[table["width_km"] == width_km].set_index("adm0_a3")
        assert set(rows.index[rows["area_km2"] > 0]) == set(expected.index)
        for code in expected.index:  # the CSV keeps 6 significant digits
            assert rows.at[code, "area_km2"] == pytest.approx(expected.at[code, "area_km2"], rel=5e-6)
            assert rows.at[code, "share"] == pytest.approx(expected.at[code, "share"], rel=5e-6)
    assert offline.blocked == []
