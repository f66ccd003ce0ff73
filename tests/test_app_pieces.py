"""The pieces app.py draws, tested without Streamlit: a clicked point, the background jobs, the cache key, the page."""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.oracle import GEOD, distance_to_line_m
from zones import Scenario, analyse, downloads
from zones.engine import progress
from zones.engine.at_point import at_point
from zones.errors import ArgumentError
from zones.web import app_layout, jobs, live
from zones.web.scenario_key import ScenarioKey

SCENARIO = Scenario(width_km=60, date="1997-05-27", allies="union-state")  # Russia–Norway only


@pytest.fixture(scope="module")
def analysis():
    return analyse(SCENARIO, regions=False)


def _west_of_the_border(analysis, km: float) -> tuple[float, float]:
    """Return (lat, lon) ``km`` west of the middle of the Russia–Norway border, by the oracle's geodesic."""
    middle = analysis.line.interpolate(0.5, normalized=True)
    lon, lat, _ = GEOD.fwd(middle.x, middle.y, 270, km * 1000)
    return lat, lon


@pytest.mark.parametrize(
    ("where", "inside"),
    [("30 km west of the border", True), ("Kautokeino", False)],
)
def test_a_point_gets_its_geodesic_distance_side_and_country(analysis, where, inside):
    lat, lon = _west_of_the_border(analysis, 30.0) if inside else (69.0125, 23.0417)  # Kautokeino (GeoNames)
    answer = at_point(analysis, lat=lat, lon=lon)
    exact_km = float(distance_to_line_m(np.array([lon]), np.array([lat]), analysis.line)[0]) / 1000
    assert answer.distance_km == pytest.approx(exact_km, abs=0.05)
    assert exact_km <= 30.01 if inside else exact_km > 100  # the line bends: the nearest point may be nearer
    assert answer.inside is inside
    assert answer.piece == ("all" if inside else None)
    assert answer.country == "Norway"


def test_a_point_at_sea_has_no_country(analysis):
    answer = at_point(analysis, lat=71.0, lon=32.0)  # the Barents Sea, north of the border
    assert answer.country is None
    assert not answer.inside


@pytest.mark.parametrize(("lat", "lon", "argument"), [(91.0, 0.0, "lat"), (0.0, -180.5, "lon"), (np.nan, 0, "lat")])
def test_a_point_off_the_globe_is_refused_by_name(analysis, lat, lon, argument):
    with pytest.raises(ArgumentError, match=f"'{argument}' should be degrees"):
        at_point(analysis, lat=lat, lon=lon)


def test_a_reported_run_gives_its_progress_and_result():
    release = threading.Event()

    def work() -> int:
        progress.step(3, 4)
        release.wait(5)
        return 7

    with jobs.ReportedRun(work) as run:
        assert not run.wait(0.01)
        for _ in range(200):  # the worker reports before it waits
            if run.done_of_total == (3, 4):
                break
            run.wait(0.01)
        assert run.done_of_total == (3, 4)
        assert run.fraction == 0.75
        release.set()
        assert run.wait(5)
    assert run.result() == 7


def test_a_reported_run_raises_what_the_work_raised():
    def work() -> None:
        raise ArgumentError("width_km", -1, "a number of km from 0 to 2,000")

    with jobs.ReportedRun(work) as run, pytest.raises(ArgumentError, match="width_km"):
        run.result()


def test_ladder_jobs_write_a_file_once_and_name_its_url(tmp_path: Path):
    ladders = jobs.LadderJobs(tmp_path)
    name, job = ladders.job(SCENARIO)
    assert ladders.job(SCENARIO.replace(width_km=300))[1] is job  # one ladder for every width
    path = job.result(timeout=600)
    assert path == live.ladder_path(tmp_path, SCENARIO)
    assert path.name == name
    assert path.stat().st_size > 1000
    assert str(path).startswith(str(tmp_path))
    url, problem = ladders.live_ladder(SCENARIO)
    assert (url, problem) == (live.LADDER_URL_PREFIX + name, None)
    assert jobs.presets_ready([(SCENARIO, path)]) == (1, [live.LADDER_URL_PREFIX + name])
    ready, urls = ladders.presets_ready(dt.date(2026, 12, 5))
    # the Founding Act's Union State line is this scenario's (Russia–Norway): written; the other five were not asked for
    assert (ready, len(urls)) == (1, 6)


def test_the_warm_up_runs_once_after_the_first_ladder_and_before_the_presets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    done: list[object] = []

    def write(folder: Path, scenario: Scenario) -> Path:
        done.append((scenario.date, scenario.allies))
        return live.ladder_path(folder, scenario)

    monkeypatch.setattr(live, "write_ladder_file", write)
    ladders = jobs.LadderJobs(tmp_path, warm_up=lambda: done.append("warm-up"))
    today = dt.date(2026, 12, 5)
    for width_km in (100, 300):  # two runs of the page
        assert ladders.live_ladder(SCENARIO.replace(width_km=width_km), today=today)[1] is None
    for preset, path in jobs.preset_ladders(tmp_path, today):  # one worker: the last preset's file comes last
        ladders.job(preset, path)[1].result(timeout=60)
    assert done[0] == (SCENARIO.date, SCENARIO.allies)
    assert done[1] == "warm-up"
    assert done.count("warm-up") == 1
    assert len(done) > 2  # the presets' files, behind it


def test_a_ladder_named_before_the_map_is_started_only_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``start=False`` names the URL and starts nothing; a failed job is reported either way."""
    written: list[Scenario] = []

    def write(folder: Path, scenario: Scenario) -> Path:
        written.append(scenario)
        raise OSError("read-only")

    monkeypatch.setattr(live, "write_ladder_file", write)
    ladders = jobs.LadderJobs(tmp_path)
    name = live.ladder_path(tmp_path, SCENARIO).name
    assert ladders.live_ladder(SCENARIO, start=False) == (live.LADDER_URL_PREFIX + name, None)
    assert ladders.presets_ready(dt.date(2026, 12, 5))[0] == 0
    assert written == []  # nothing started: not this ladder, nor the presets'
    url, problem = ladders.live_ladder(SCENARIO)  # the map is sent: now it starts
    assert url is not None or problem is not None
    ladders.job(SCENARIO)[1].exception(timeout=60)
    assert written == [SCENARIO]
    failed = (None, "its data could not be prepared (OSError)")
    assert ladders.live_ladder(SCENARIO, start=False) == failed  # the next run draws the plain slider


def test_the_downloads_warm_up_draws_a_map():
    downloads.warm_up()  # loads the map's drawing code; raises if it cannot draw
    assert "zones.report.map_figure" in sys.modules


def test_a_ladder_that_cannot_be_made_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def fail(folder: Path, scenario: Scenario) -> Path:
        raise OSError("read-only")

    monkeypatch.setattr(live, "write_ladder_file", fail)
    ladders = jobs.LadderJobs(tmp_path)
    ladders.job(SCENARIO)[1].exception(timeout=60)
    assert ladders.live_ladder(SCENARIO) == (None, "its data could not be prepared (OSError)")
    monkeypatch.setenv(jobs.LIVE_SWITCH, "0")
    assert ladders.live_ladder(SCENARIO) == (None, f"{jobs.LIVE_SWITCH}=0 is set")


def test_the_presets_ladders_queue_behind_the_first_unless_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The first page's ladder, then each preset's line once: the files a click on a preset finds ready.

    The writer is recorded, not run; the first job waits until the page's call has returned, so every later
    file was queued by that call alone.
    """
    today = dt.date(2026, 12, 5)
    first = Scenario(width_km=300, date="2010-01-01", allies="csto")  # no preset's line
    presets = list(dict.fromkeys(path.name for _, path in jobs.preset_ladders(tmp_path, today)))
    written: list[str] = []
    returned, finished = threading.Event(), threading.Event()

    def record(folder: Path, scenario: Scenario) -> Path:
        returned.wait(60)
        path = live.ladder_path(folder, scenario)
        written.append(path.name)
        if len(written) == 1 + len(presets):
            finished.set()
        return path

    monkeypatch.setattr(live, "write_ladder_file", record)
    ladders = jobs.LadderJobs(tmp_path)
    url, problem = ladders.live_ladder(first, today=today)
    returned.set()
    assert finished.wait(60), written
    assert (url, problem) == (live.LADDER_URL_PREFIX + live.ladder_path(tmp_path, first).name, None)
    assert written == [live.ladder_path(tmp_path, first).name, *presets]  # the page's first, then the presets in order
    assert ladders.presets_ready(today) == (0, [live.LADDER_URL_PREFIX + name for name in presets])  # none on disk

    monkeypatch.setenv(jobs.PRESETS_SWITCH, "0")  # the test servers' setting: the page's ladder only
    written.clear()
    quiet = jobs.LadderJobs(tmp_path / "quiet")
    url, problem = quiet.live_ladder(first, today=today)
    assert (url, problem) == (live.LADDER_URL_PREFIX + live.ladder_path(tmp_path / "quiet", first).name, None)
    last = Scenario(width_km=300, date="2000-01-01", allies="union-state")  # before the Baltic states: another line
    quiet.job(last)[1].result(timeout=60)
    assert written == [live.ladder_path(tmp_path / "quiet", s).name for s in (first, last)]  # nothing in between
    assert quiet.presets_ready(today) == (0, [])  # and the sidebar has no note on them


def test_the_presets_are_the_three_days_for_each_reading():
    today = dt.date(2026, 12, 5)
    presets = jobs.preset_scenarios(today)
    assert {(p.date, p.allies) for p in presets} == {
        (day, allies)
        for day in (dt.date(1997, 5, 27), dt.date(2021, 12, 17), today)
        for allies in ("union-state", "csto")
    }


def test_a_scenario_key_gives_back_the_scenario():
    scenario = Scenario(
        width_km=300, russia_width_km=300, nato_width_km=120, date="2024-06-01", allies="csto", clip=True,
        pair_widths={"RUS-NOR": 50},
    )  # fmt: skip
    key = ScenarioKey.of(scenario)
    assert key.scenario() == scenario
    assert hash(key) == hash(ScenarioKey.of(key.scenario()))
    assert key.widthless() == ("2024-06-01", "csto", True, False)


def test_the_page_css_names_the_containers_the_app_draws():
    css = app_layout.page_css()
    assert "${" not in css
    for key in (*app_layout.FOLLOWS_KEYS, app_layout.WIDTHS_KEY):
        assert f".st-key-{key}" in css
    assert css.count("{") == css.count("}")
    assert re.search(r'content: "Scenario: date, sides"', css)
    # Streamlit's st.html sanitises with DOMPurify, which drops a <style> whose text holds "<" and a letter or "/"
    # (a comment naming <body> once removed the whole page style): only the element's own tags may hold one.
    assert re.findall(r"<[/\w]", css) == ["<s", "</"]


def test_a_claim_about_a_third_country_under_clip_says_it_never_holds() -> None:
    """Clipped to the two sides' land, Ukraine (on neither side in 2025) is never in the zone: the claim says so.

    A claim on one of the sides missing from the table (not computed) is still left out, and unclipped a
    missing claim is left out too.
    """
    from zones.web.app_text import CLAIM_OFF_SIDES, claim_parts
    from zones.web.claims import CLAIMS

    clipped = analyse(Scenario(width_km=50, date="2025-06-01", allies="csto", clip=True))
    assert "UKR" not in (*clipped.sides.russia, *clipped.sides.nato)
    assert "UKR" not in set(clipped.affected["adm0_a3"])  # the independent fact: no Ukrainian land in the zone
    empty = pd.DataFrame(columns=["adm0_a3", "share", "width_km", "width_whole_km", "denominator"])
    parts = claim_parts(CLAIMS, empty, clipped)
    ukraine = [claim.words for claim in CLAIMS if claim.code == "UKR"]
    assert parts == [f"{words}: {CLAIM_OFF_SIDES}" for words in ukraine]
    unclipped = analyse(Scenario(width_km=50, date="2025-06-01", allies="csto"))
    assert claim_parts(CLAIMS, empty, unclipped) == []
