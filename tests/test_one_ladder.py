"""One ladder for a new line: the claims panel waits on the live slider's ladder job, and its progress is shown.

The claims panel of a line whose ladder is not written yet once computed its own exact zones
(:func:`zones.engine.share_thresholds.thresholds`) beside the ladder's job, on the same cores. With the live
slider on it waits on that job (:meth:`zones.web.jobs.LadderJobs.awaited`) and reads the widths from the ladder.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.test_foreground import SHORT_LINE, background_is_held
from tests.test_runtime_files import _request
from zones import Scenario, downloads
from zones.engine import disk_cache, foreground, progress, share_thresholds
from zones.settings import SLIDER_MAX_KM
from zones.web import claims, jobs, ladder, live, runtime_files

#: A line no other scenario of these tests draws (the CSTO against NATO after its 1999 enlargement).
OTHER_LINE = Scenario(width_km=0.0, date="2001-06-01", allies="csto")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder: no ladder or thresholds table is stored, none is kept in memory."""
    monkeypatch.setenv(disk_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.delenv(jobs.LIVE_SWITCH, raising=False)
    ladder.clear_memory_cache()
    share_thresholds._thresholds.cache_clear()  # a table kept from another test's folder would not be stored here
    yield tmp_path / "cache"
    ladder.clear_memory_cache()


def _until(done: Callable[[], bool], what: str) -> None:
    """Wait until ``done()`` (a wait for another thread, not a timing: at most 120 s, then fail saying ``what``)."""
    deadline = time.monotonic() + 120.0
    while not done():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


class _Writer:
    """A stand-in for :func:`zones.web.live.write_ladder_file`: reports ``steps`` widths, each behind a gate.

    ``gates[name]`` (set by the test) holds a job before its first width; the written names are in ``order``.
    """

    def __init__(self, steps: int = 5) -> None:
        self.steps = steps
        self.gates: dict[str, threading.Event] = {}
        self.order: list[str] = []

    def gate(self, name: str) -> threading.Event:
        return self.gates.setdefault(name, threading.Event())

    def __call__(self, folder: Path, scenario: Scenario) -> Path:
        path = live.ladder_path(folder, scenario)
        assert self.gate(path.name).wait(120), path.name
        self.order.append(path.name)
        for done in range(1, self.steps + 1):
            progress.step(done, self.steps)
        return path


@pytest.fixture
def writer(monkeypatch: pytest.MonkeyPatch) -> _Writer:
    """A :class:`_Writer` in place of :func:`zones.web.live.write_ladder_file`."""
    stand_in = _Writer()
    monkeypatch.setattr(live, "write_ladder_file", stand_in)
    return stand_in


def _claim_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Return the claims' rows of a thresholds table (keyed by country and level), in the panel's order."""
    keyed = table.set_index(["adm0_a3", "share"])
    asked = [(claim.code, round(claim.share, 4)) for claim in claims.CLAIMS]
    return keyed.loc[[key for key in asked if key in keyed.index], ["width_km", "width_whole_km"]]


def test_the_panel_of_a_new_line_waits_on_its_ladder_and_has_the_widths_of_thresholds(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The panel's run follows the ladder job width by width, then reads the widths thresholds() gives.

    It measures no exact zones of its own for a claim the ladder reaches (every claim within its 1,000 km:
    here Finland's, Norway's and Sweden's, by the independent thresholds() below); the claims beyond are
    solved as before.
    """
    original = share_thresholds.thresholds
    asked: list[tuple[str, ...]] = []

    def counted(scenario: Scenario, **options: object) -> pd.DataFrame:
        asked.append(tuple(options.get("countries") or ()))
        return original(scenario, **options)

    monkeypatch.setattr(share_thresholds, "thresholds", counted)
    monkeypatch.setattr(claims, "thresholds", counted)
    reports: list[tuple[int, int]] = []
    report = runtime_files.report_progress

    def recorded(path: Path, *, done: int, total: int, text: str) -> None:
        reports.append((done, total))
        report(path, done=done, total=total, text=text)

    monkeypatch.setattr(runtime_files, "report_progress", recorded)
    ladders = jobs.LadderJobs(cache / "web")
    waited = claims.ladder_wait(ladders, SHORT_LINE)
    assert waited is not None
    seen: list[tuple[int, int]] = []
    with jobs.ReportedRun(lambda: claims.claim_widths(SHORT_LINE), first=waited) as run:
        while not run.wait(0.05):
            seen.append(run.done_of_total)
    panel = run.result()
    steps = len(ladder.widths_km())
    assert reports == [(done, steps) for done in range(steps + 1)]  # queued, then every width once, in order
    assert waited.done_of_total == (steps, steps)
    assert any(total == steps and 0 < done < steps for done, total in seen)  # the bar showed the ladder's widths
    assert claims.ladder_wait(ladders, SHORT_LINE) is None  # stored now: the next panel reads it at once
    assert ladder.is_stored(SHORT_LINE)

    monkeypatch.setattr(share_thresholds, "thresholds", original)
    expected = _claim_rows(original(SHORT_LINE, countries=claims.CLAIM_COUNTRIES))  # the independent path
    np.testing.assert_array_equal(_claim_rows(panel).to_numpy(float), expected.to_numpy(float))
    within = expected.groupby(level=0).max().max(axis=1) <= SLIDER_MAX_KM  # every claim of the country
    reached = set(within.index[within])
    assert reached == {"FIN", "NOR", "SWE"}
    assert not reached & {code for countries in asked for code in countries}

    clipped = SHORT_LINE.replace(clip=True)  # the parties' land only (Russia, NATO): of the claims, Norway's
    assert claims.ladder_wait(ladders, clipped) is None  # the unclipped ladder answers: nothing to wait for
    asked.clear()
    monkeypatch.setattr(share_thresholds, "thresholds", counted)
    panel = _claim_rows(claims.claim_widths(clipped))
    assert list(panel.index) == [("NOR", 0.1)]
    assert asked == []  # nothing left to thresholds()
    monkeypatch.setattr(share_thresholds, "thresholds", original)
    expected = _claim_rows(original(clipped, countries=claims.CLAIM_COUNTRIES))
    np.testing.assert_array_equal(panel.to_numpy(float), expected.to_numpy(float))
    assert list(panel.index) == list(expected.index)


def test_a_ladder_a_reader_waits_on_goes_first_and_does_not_give_way_to_that_reader(
    cache: Path, monkeypatch: pytest.MonkeyPatch, writer: _Writer
) -> None:
    """Awaited inside the reader's page run: no pause for it, and the job jumps the queue; later jobs give way."""
    paused: list[str] = []
    monkeypatch.setattr(foreground, "give_way", lambda max_wait_s=0.0: paused.append("paused") or 0.0)
    ladders = jobs.LadderJobs(cache / "web")
    today = dt.date(2026, 12, 5)
    first, *queued = dict.fromkeys(path.name for _, path in jobs.preset_ladders(cache / "web", today))
    for preset, path in jobs.preset_ladders(cache / "web", today):
        ladders.job(preset, path)
    last = next(s for s, path in jobs.preset_ladders(cache / "web", today) if path.name == queued[-1])
    with foreground.waited_for():  # the reader's run of the page
        waited = ladders.awaited(last)
        assert waited is not None
        with waited:
            writer.gate(first).set()
            writer.gate(queued[-1]).set()
            _until(lambda: waited.wait(0), "the awaited ladder")
            assert waited.done_of_total == (writer.steps, writer.steps)
    assert writer.order == [first, queued[-1]]  # the one waited on went before those queued earlier
    assert paused == []  # neither the job running nor the one awaited paused for the reader waiting on it
    for name in queued:
        writer.gate(name).set()
    last_job = ladders.job(last)[1]
    _until(lambda: all(ladders.job(s, p)[1].done() for s, p in jobs.preset_ladders(cache / "web", today)), "the rest")
    assert last_job.result() is not None
    assert writer.order == [first, queued[-1], *queued[:-1]]
    assert len(paused) == writer.steps * (len(queued) - 1)  # waited on by no one: they give way at every width


def test_the_progress_route_answers_the_jobs_last_report(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ladder/<key>.progress.json``: the widths done of the ladder being written, and the reader's words."""
    half, release = threading.Event(), threading.Event()

    def write(folder: Path, scenario: Scenario) -> Path:
        progress.step(40, 101)
        half.set()
        assert release.wait(120)
        progress.step(101, 101)
        return live.ladder_path(folder, scenario)

    monkeypatch.setattr(live, "write_ladder_file", write)
    ladders = jobs.LadderJobs(runtime_files.files_dir())
    url, problem = ladders.live_ladder(OTHER_LINE)
    assert problem is None
    assert url is not None
    relative = runtime_files.progress_url(url).removeprefix(runtime_files.URL_PATH + "/")

    def answer(path: str) -> tuple[dict[str, object], str]:
        response = asyncio.run(runtime_files._serve(_request(path)))
        assert response.status_code == 200
        return json.loads(bytes(response.body)), response.headers["cache-control"]

    assert half.wait(120)
    body, caching = answer(relative)
    assert (body["done"], body["total"]) == (40, 101)
    assert "40 of 101 widths" in str(body["text"])
    assert caching == "no-store"
    assert answer("ladder/0123456789abcdef01234567.progress.json")[0] == {}  # no such ladder here: nothing known
    release.set()
    ladders.job(OTHER_LINE)[1].result(timeout=120)
    assert answer(relative)[0]["done"] == 101


def test_asking_for_a_ladders_progress_pauses_no_computation() -> None:
    """The page asks every second while it waits: those requests are not a reader's page loading."""
    seen: list[bool] = []

    async def app(scope: object, receive: object, send: object) -> None:
        seen.append(background_is_held())

    middleware = runtime_files.ReaderRequests(app)
    path = "/app/files/ladder/0123456789abcdef01234567.progress.json"
    asyncio.run(middleware({"type": "http", "path": path}, None, None))
    assert seen == [False]


def test_a_panel_left_before_its_ladder_is_written_computes_nothing(cache: Path, writer: _Writer) -> None:
    """A rerun leaves the panel's run: it stops waiting at once; the ladder goes on, in the background."""
    ladders = jobs.LadderJobs(cache / "web")
    waited = ladders.awaited(OTHER_LINE)
    assert waited is not None
    computed: list[str] = []
    with jobs.ReportedRun(lambda: computed.append("claims"), first=waited) as run:
        assert not run.wait(0.05)
    assert computed == []
    writer.gate(live.ladder_path(cache / "web", OTHER_LINE).name).set()
    assert ladders.job(OTHER_LINE)[1].result(timeout=120).name == live.ladder_path(cache / "web", OTHER_LINE).name


def test_the_panel_computes_its_own_widths_when_the_live_slider_is_off_or_its_ladder_failed(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Scenario] = []

    def fail(folder: Path, scenario: Scenario) -> Path:
        written.append(scenario)
        raise OSError("read-only")

    monkeypatch.setattr(live, "write_ladder_file", fail)
    ladders = jobs.LadderJobs(cache / "web")
    monkeypatch.setenv(jobs.LIVE_SWITCH, "0")
    assert ladders.awaited(OTHER_LINE) is None
    assert isinstance(ladders.job(SHORT_LINE)[1].exception(timeout=120), OSError)
    assert written == [SHORT_LINE]  # the worker's first job: the panel started none
    monkeypatch.delenv(jobs.LIVE_SWITCH)
    waited = ladders.awaited(OTHER_LINE)
    assert waited is not None
    with jobs.ReportedRun(lambda: "computed", first=waited) as run:
        assert run.result() == "computed"  # the failed job is over: the panel computes as without a ladder
    assert ladders.awaited(OTHER_LINE) is None  # and the next run does not wait on it again
    pairs = OTHER_LINE.replace(pair_widths={"RUS-NOR": 50})
    assert ladders.awaited(pairs) is None  # a ladder has one width along the line


def test_a_clipped_or_sea_border_panel_starts_no_ladder_and_waits_only_on_the_unclipped_one(
    cache: Path, writer: _Writer
) -> None:
    """Their ladders cost several times the claims' own widths: the panel computes its own, unless the unclipped
    line's ladder (the same line, the same shares for the parties' countries) is under way."""
    ladders = jobs.LadderJobs(cache / "web")
    clipped, sea = OTHER_LINE.replace(clip=True), OTHER_LINE.replace(sea_borders=True)
    assert claims.ladder_wait(ladders, sea) is None
    assert claims.ladder_wait(ladders, clipped) is None  # no job for the unclipped line: none started
    assert ladders.running() is None
    name, job = ladders.job(OTHER_LINE)  # the unclipped line's, as its page starts it
    waited = claims.ladder_wait(ladders, clipped)
    assert waited is not None
    with waited:
        writer.gate(name).set()
        _until(lambda: waited.wait(0), "the unclipped ladder")
    assert job.result().name == name
    assert writer.order == [name]  # only the unclipped line's ladder was written


def test_the_panel_does_not_wait_on_a_ladder_queued_behind_another(cache: Path, writer: _Writer) -> None:
    """Its end is out of sight: the panel computes its widths at once, beside the job being written."""
    ladders = jobs.LadderJobs(cache / "web")
    busy, _job = ladders.job(SHORT_LINE)
    _until(lambda: ladders.running() == busy, "the first job")
    waited = claims.ladder_wait(ladders, OTHER_LINE)
    assert waited is not None
    with jobs.ReportedRun(lambda: "computed", first=waited) as run:
        assert run.result() == "computed"
    assert ladders.running() == busy  # still held: the panel did not wait for it
    for name in (busy, live.ladder_path(cache / "web", OTHER_LINE).name):
        writer.gate(name).set()
    ladders.job(OTHER_LINE)[1].result(timeout=120)


def test_a_panel_read_from_the_ladder_leaves_the_claims_download_to_the_background(cache: Path) -> None:
    """The panel's claims come from the ladder; every level of their countries, which the claims' CSV holds,
    is handed to the background, and once run the CSV is made at once, with the panel's widths."""
    ladder.ladder_json(SHORT_LINE)  # the line's ladder, stored
    assert not downloads.is_made_at_once("thresholds", SHORT_LINE)
    queued: list[Callable[[], object]] = []
    panel = claims.claim_widths(SHORT_LINE, later=queued.append)
    assert len(queued) == 1
    assert not downloads.is_made_at_once("thresholds", SHORT_LINE)  # handed on, not computed on the panel's way
    queued[0]()  # as the ladders' worker runs it (below)
    assert downloads.is_made_at_once("thresholds", SHORT_LINE)
    claims.claim_widths(SHORT_LINE, later=queued.append)
    assert len(queued) == 1  # stored: nothing more to hand on
    csv = _claim_rows(downloads.claims_thresholds(SHORT_LINE))  # the download's table, from the disk cache
    np.testing.assert_array_equal(csv.to_numpy(float), _claim_rows(panel).to_numpy(float))
    assert list(csv.index) == list(_claim_rows(panel).index)


def test_work_handed_on_waits_for_every_ladder_due_and_a_failure_stops_nothing(cache: Path, writer: _Writer) -> None:
    """A line's new live slider goes before the work handed on, even when asked for after it."""
    ladders = jobs.LadderJobs(cache / "web")
    first, _job = ladders.job(SHORT_LINE)  # held at its gate: the worker is busy
    done: list[str] = []

    def failing() -> None:
        done.append(threading.current_thread().name)
        raise OSError("disk full")

    ladders.later(failing)
    ladders.later(lambda: done.append(f"after {writer.order}"))
    second, job = ladders.job(OTHER_LINE)  # asked for after the work
    writer.gate(second).set()
    writer.gate(first).set()
    _until(lambda: len(done) == 2, "both pieces of work run")
    assert job.result().name == second
    assert writer.order == [first, second]
    assert done[0].startswith("ladder")  # the worker's thread, not the caller's
    assert done[1] == f"after {[first, second]}"  # after both ladders, and after the failure
