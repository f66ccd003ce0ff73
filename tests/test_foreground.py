"""Work a reader waits for goes first: the background ladders pause between widths while it runs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from zones import Scenario
from zones.downloads import download_bytes
from zones.engine import foreground, progress
from zones.web import jobs
from zones.web.ladder import clear_memory_cache, widths_km

#: The Founding Act's line (Norway and Russia only): the cheapest real ladder to build.
SHORT_LINE = Scenario(width_km=0.0, date="1997-05-27")


def background_is_held() -> bool:
    """Start a background job's :func:`foreground.give_way` in a thread; return whether it is still waiting 0.3 s on.

    The thread is left to finish on its own (it returns once the reader's work ends, or after 30 s).
    """
    waiting = threading.Thread(target=foreground.give_way, args=(30.0,), daemon=True)
    waiting.start()
    waiting.join(0.3)
    return waiting.is_alive()


def test_give_way_waits_for_the_readers_work_and_no_longer() -> None:
    """No wait with nothing running; held while a reader's work runs, free as soon as it ends."""
    assert foreground.give_way(5.0) == 0.0
    assert not background_is_held()
    waiting = threading.Thread(target=foreground.give_way, args=(30.0,), daemon=True)
    with foreground.waited_for():
        with foreground.waited_for():  # two at once: held until both end
            waiting.start()
            waiting.join(0.3)
            assert waiting.is_alive()
        waiting.join(0.3)
        assert waiting.is_alive()
    waiting.join(5.0)
    assert not waiting.is_alive()


def test_give_way_never_waits_longer_than_asked() -> None:
    """A server that is never idle still finishes its ladders: each pause ends after ``max_wait_s``."""
    with foreground.waited_for():
        waited_s = foreground.give_way(0.2)
    assert waited_s >= 0.2


def test_a_map_download_and_a_reported_run_hold_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    """The map image (the download a cold server was slowest at) and the panels' runs are a reader's work."""
    held: list[bool] = []

    def render_map(analysis: object, **_kwargs: object) -> bytes:
        held.append(background_is_held())
        return b"\x89PNG"

    monkeypatch.setattr("zones.report.map_figure.render_map", render_map)
    assert download_bytes("map_png", SHORT_LINE.replace(width_km=50.0)) == b"\x89PNG"
    with jobs.ReportedRun(background_is_held) as run:
        held.append(run.result())
    assert held == [True, True]
    assert not background_is_held()  # and free again once they ended


def test_a_background_ladder_gives_way_between_widths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A ladder written by :class:`jobs.LadderJobs` pauses after its first width while a reader's work runs.

    Then it goes on and stops once at every width, and its file is written whole.
    """
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path / "cache"))  # built here, not found in a cache
    clear_memory_cache()
    points: list[float] = []
    give_way = foreground.give_way

    def counted(max_wait_s: float = foreground.MAX_WAIT_S) -> float:
        points.append(time.monotonic())
        return give_way(max_wait_s)

    monkeypatch.setattr(foreground, "give_way", counted)
    ladders = jobs.LadderJobs(tmp_path / "files")
    with foreground.waited_for():
        name, job = ladders.job(SHORT_LINE)
        deadline = time.monotonic() + 120.0
        while not points and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        assert len(points) == 1  # held at its first width
        assert not job.done()
    path = job.result(timeout=300)
    assert path.name == name
    assert path.is_file()
    assert len(points) == len(widths_km())  # one point per width
    clear_memory_cache()


def test_every_run_of_the_page_holds_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session's run of ``app.py`` (its first paint, every rerun) is a reader's work too."""
    from streamlit.testing.v1 import AppTest

    from zones.web import app_layout

    held: list[bool] = []
    page_css = app_layout.page_css

    def css() -> str:  # drawn at the start of every run
        held.append(background_is_held())
        return page_css()

    monkeypatch.setattr(app_layout, "page_css", css)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert held == [True]
    assert not background_is_held()


def test_a_browsers_request_holds_background_work_and_a_readers_steps() -> None:
    """While a request is answered, background jobs and a reader's computation pause; a reader's work does not."""
    assert foreground.let_pages_load(5.0) == 0.0
    with foreground.waited_for():  # a reader's work holds background jobs, not another reader's steps
        assert foreground.let_pages_load(5.0) == 0.0
    stepping = threading.Thread(target=foreground.let_pages_load, args=(30.0,), daemon=True)
    with foreground.serving():
        assert background_is_held()
        stepping.start()
        stepping.join(0.3)
        assert stepping.is_alive()
    stepping.join(5.0)
    assert not stepping.is_alive()
    assert not background_is_held()


def test_a_reported_run_waits_for_loading_pages_a_few_seconds_in_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under a steady stream of other readers' requests, a panel's 80 steps wait 3 s in all, not a second each."""
    asked: list[float] = []

    def always_serving(max_wait_s: float) -> float:  # a request is always being answered: each wait runs out
        asked.append(max_wait_s)
        return max_wait_s

    monkeypatch.setattr(foreground, "let_pages_load", always_serving)

    def eighty_steps() -> int:
        for done in range(1, 81):
            progress.step(done, 80)
        return 80

    with jobs.ReportedRun(eighty_steps) as run:
        assert run.result() == 80
    assert sum(asked) == pytest.approx(jobs.PAGE_WAIT_BUDGET_S)
    assert all(wait <= foreground.MAX_PAGE_WAIT_S for wait in asked)
