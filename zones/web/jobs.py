"""The app's background work, in plain Python: ladder files written by a worker thread, and runs with progress.

Two kinds of work run beside a Streamlit script, which only draws:

* **Ladder files** (:class:`LadderJobs`). The live slider reads a
  scenario's width ladder from a file (:mod:`zones.web.live`), written by
  one worker thread per process after the first paint; the ladders of the
  sidebar's date presets (:func:`preset_scenarios`) queue behind it, so a
  click on a preset finds its file ready. A job that fails is reported, once
  asked, as the reason the slider is not live: the page never breaks over it.
  Each job reports how far it has got (widths done of 101:
  :func:`zones.web.runtime_files.report_progress`), which the page shows
  under the slider while it waits for the file.
* **One ladder for the claims panel too** (:meth:`LadderJobs.awaited`). The
  panel's widths follow from the ladder in milliseconds
  (:func:`zones.web.claims.claim_widths`); computed without it they cost a
  ladder of exact zones of their own. So a panel shown before its line's
  ladder exists waits for the ladder's job, with a bar of its real progress,
  rather than compute the same widths beside it on the same cores
  (:class:`ReportedRun` with ``first``). While a reader waits on a ladder,
  the worker works for that reader: the ladder goes before the presets' and
  stops giving way to the reader's own page (a page run is work a reader
  waits for, :func:`zones.engine.foreground.waited_for`); it still lets the
  browser's requests go first, for at most :data:`PAGE_WAIT_BUDGET_S` in
  all, as a reported run does. The wait is not worth it for a ladder queued
  behind another job (:meth:`LadderWait.worth_waiting`): then the reader
  computes its own, as before.
* **Runs with progress** (:class:`ReportedRun`). A long computation (the
  sweep, the thresholds) runs in a thread of its own, in a copy of the
  caller's context, while the caller's thread polls how far it has got
  (:mod:`zones.engine.progress`) and draws a bar. A bar drawn inside a
  cached function would be replayed on every later hit; drawn by the caller
  it shows only while the work runs.

No Streamlit import: ``app.py`` keeps one :class:`LadderJobs` per process
(``st.cache_resource``) and draws what these return.
"""

from __future__ import annotations

import collections
import contextvars
import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, wait
from pathlib import Path
from types import TracebackType
from typing import Final, Generic, TypeVar

from geodata import RUSSIA_SIDE_READINGS
from zones.engine import foreground, progress
from zones.engine.analysis import Scenario
from zones.settings import DRAFT_PUBLISHED, FOUNDING_ACT
from zones.web import app_text, basemap, ladder, live, runtime_files
from zones.web.leaflet_offline import install_static

#: Environment variable that turns the live slider off (``0``): the plain slider that updates on release.
LIVE_SWITCH: Final = "ZONES_LIVE_SLIDER"
#: Environment variable that stops the presets' ladder files being queued (``0``): each line's file is written
#: when its scenario is first shown, and the sidebar has no note on them. The test servers set it: the six
#: ladders cost a cold server about 45 CPU-s (4 to 12 each), and each server computes only the lines its tests show.
PRESETS_SWITCH: Final = "ZONES_PRESET_LADDERS"

_T = TypeVar("_T")

#: What :meth:`LadderJobs.running` names while the worker runs the warm-up (no ladder file has this name).
WARM_UP: Final = "(warm-up)"


def live_switched_on(environ: Mapping[str, str] = os.environ) -> bool:
    """Return whether the live slider is on (it is unless :data:`LIVE_SWITCH` is ``0``).

    >>> live_switched_on({}), live_switched_on({LIVE_SWITCH: "0"})
    (True, False)
    """
    return environ.get(LIVE_SWITCH, "1") != "0"


def presets_switched_on(environ: Mapping[str, str] = os.environ) -> bool:
    """Return whether the presets' ladder files are queued (they are unless :data:`PRESETS_SWITCH` is ``0``).

    >>> presets_switched_on({}), presets_switched_on({PRESETS_SWITCH: "0"})
    (True, False)
    """
    return environ.get(PRESETS_SWITCH, "1") != "0"


def preset_scenarios(today: dt.date) -> tuple[Scenario, ...]:
    """Return the scenarios of the sidebar's date buttons (the Founding Act, the draft, ``today``), for each reading.

    >>> len(preset_scenarios(dt.date(2026, 1, 1)))
    6
    """
    days = (FOUNDING_ACT, DRAFT_PUBLISHED, today)
    return tuple(Scenario(width_km=0.0, date=day, allies=allies) for day in days for allies in RUSSIA_SIDE_READINGS)


def preset_ladders(folder: Path, today: dt.date) -> tuple[tuple[Scenario, Path], ...]:
    """Return the presets with their ladder files under ``folder`` (naming one resolves its sides, about 4 ms)."""
    return tuple((preset, live.ladder_path(folder, preset)) for preset in preset_scenarios(today))


class LadderJobs:
    """One worker thread that writes ladder files under ``folder``, and its jobs by file name.

    One per process: every session shares the files, and a file is written once. The jobs
    run one at a time in the order asked for, but a job a reader waits on
    (:meth:`awaited`) goes first.

    Parameters
    ----------
    folder : pathlib.Path
        The folder :func:`zones.web.live.ladder_path` names the files in.
    warm_up : callable, optional
        Work to run once in the background, after the first ladder asked for and before the presets' (the
        app's: :func:`zones.downloads.warm_up`, so the first map download finds its drawing code loaded).
    """

    def __init__(self, folder: Path, *, warm_up: Callable[[], object] | None = None) -> None:
        self.folder = folder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ladder")
        self._jobs: dict[str, Future[Path]] = {}
        self._queued: dict[str, tuple[Scenario, Path]] = {}  # the jobs not started yet, in the order asked for
        self._later: collections.deque[Callable[[], object]] = collections.deque()  # work handed on (later)
        self._awaited: collections.Counter[str] = collections.Counter()  # readers waiting on a job, by name
        self._running: str | None = None  # the job being written, by name
        self._lock = threading.Lock()
        self._presets: tuple[dt.date | None, tuple[tuple[Scenario, Path], ...]] = (None, ())
        self._warm_up = warm_up

    def presets(self, today: dt.date) -> tuple[tuple[Scenario, Path], ...]:
        """Return the presets with their ladder files (:func:`preset_ladders`), named once a day; none on failure.

        None either when :data:`PRESETS_SWITCH` is ``0``: then none is queued, and none counts as missing.
        """
        if not presets_switched_on():
            return ()
        day, presets = self._presets
        if day != today:
            try:
                presets = preset_ladders(self.folder, today)
            except Exception:  # never break the page over the live preview: the presets are simply not live
                presets = ()
            self._presets = (today, presets)
        return presets

    def presets_ready(self, today: dt.date) -> tuple[int, list[str]]:
        """Return how many of the presets' ladder files are written (now or by an earlier run), and all their URLs."""
        return presets_ready(self.presets(today))

    def job(self, scenario: Scenario, path: Path | None = None) -> tuple[str, Future[Path]]:
        """Return the name of ``scenario``'s ladder file and the job writing it (started if new).

        ``path`` is the file when already known (:func:`preset_ladders`).
        """
        path = path or live.ladder_path(self.folder, scenario)
        with self._lock:  # sessions run in threads of their own
            if path.name not in self._jobs:
                self._jobs[path.name] = Future()
                self._queued[path.name] = (scenario, path)
                self._pool.submit(self._next)  # one call per job: each runs the first job due
                _report(path, 0, len(ladder.widths_km()))  # queued: none done yet
            return path.name, self._jobs[path.name]

    def _next(self) -> None:
        """Write the ladder due next: the first one a reader waits on (:meth:`awaited`), else the first asked for.

        With no ladder due, run the first work handed on (:meth:`later`) instead.
        """
        with self._lock:
            work = self._later.popleft() if not self._queued else None
        if work is not None:
            self._warm(functools.partial(_giving_way, work))
            return
        with self._lock:
            name = next((name for name in self._queued if self._awaited[name]), next(iter(self._queued)))
            scenario, path = self._queued.pop(name)
            future = self._jobs[name]
            self._running = name
        try:
            if future.set_running_or_notify_cancel():
                future.set_result(self._write(path, scenario))
        except BaseException as exc:  # kept in the job, as an executor keeps it: asked for, never raised here
            future.set_exception(exc)
        finally:
            with self._lock:
                self._running = None

    def later(self, work: Callable[[], object]) -> None:
        """Run ``work`` on the worker once no ladder is due, as background work that gives way.

        For what a reader may ask for next but does not wait for: the claims' thresholds of every level, which
        the claims' download reads (:func:`zones.web.claims.claim_widths`). Every ladder asked for before it
        starts goes first, a line's new live slider among them. At each step ``work`` reports
        (:func:`zones.engine.progress.step`) it pauses while a reader waits for something else
        (:func:`zones.engine.foreground.give_way`). A failure is kept in the worker, never raised.
        """
        with self._lock:
            self._later.append(work)
            self._pool.submit(self._next)  # one call per piece of work, as per job

    def _warm(self, warm_up: Callable[[], object]) -> None:
        """Run ``warm_up`` (or :meth:`later`'s work) as the worker's job of the moment (:meth:`running`: WARM_UP)."""
        with self._lock:
            self._running = WARM_UP
        try:
            warm_up()
        finally:
            with self._lock:
                self._running = None

    def running(self) -> str | None:
        """Return the name of the ladder file being written now, :data:`WARM_UP`, or ``None`` (the worker is idle)."""
        return self._running

    def await_job(self, name: str, *, count: int) -> None:
        """Count a reader more (``count=1``) or fewer (``-1``) waiting on the job ``name`` (:class:`LadderWait`)."""
        with self._lock:
            self._awaited[name] += count
            if self._awaited[name] <= 0:
                del self._awaited[name]

    def _write(self, path: Path, scenario: Scenario) -> Path:
        """Write ``scenario``'s ladder file, as background work that reports how far it has got.

        A ladder reports each width (:func:`zones.engine.progress.step`); each report is kept for the page
        (:func:`zones.web.runtime_files.report_progress`). At each, the job gives way: while a reader waits for
        something else (:func:`zones.engine.foreground.waited_for`), it pauses there
        (:func:`zones.engine.foreground.give_way`). While a reader waits on a ladder (:meth:`awaited`), this one
        or one queued behind it, it only lets the browser's requests go first, for :data:`PAGE_WAIT_BUDGET_S` in
        all: the reader waiting is, most likely, the page run that would hold it.
        """
        page_wait_left_s = PAGE_WAIT_BUDGET_S

        def step(done: int, total: int) -> None:
            nonlocal page_wait_left_s
            _report(path, done, total)
            if not self._awaited.total():
                foreground.give_way()
            elif page_wait_left_s > 0:
                page_wait_left_s -= foreground.let_pages_load(min(foreground.MAX_PAGE_WAIT_S, page_wait_left_s))

        with progress.reporting(step):
            return live.write_ladder_file(self.folder, scenario)

    def awaited(self, scenario: Scenario, *, start: bool = True) -> LadderWait | None:
        """Return a wait on ``scenario``'s ladder for a reader (its job started if need be), or ``None``.

        ``None`` when there is nothing to wait for: the live slider is off (:data:`LIVE_SWITCH`), the ladder is
        stored already (:func:`zones.web.ladder.is_stored`), its job failed, or it cannot be named (e.g. widths
        per border pair); with ``start`` false, when it has no job yet. Then the caller computes what it needs
        another way.
        """
        if not live_switched_on():
            return None
        try:
            if ladder.is_stored(scenario):
                return None
            if start:
                name, job = self.job(scenario)
            else:
                name = live.ladder_path(self.folder, scenario).name
                with self._lock:
                    if name not in self._jobs:
                        return None
                    job = self._jobs[name]
        except Exception:  # never break the page over the live preview
            return None
        if job.done() and job.exception() is not None:
            return None
        return LadderWait(self, name, job, self.folder / live.STATIC_SUBDIR / name)

    def live_ladder(
        self, scenario: Scenario, *, today: dt.date | None = None, start: bool = True
    ) -> tuple[str | None, str | None]:
        """Return the URL (relative to the app) of ``scenario``'s ladder file, or ``None`` and why not.

        Starts writing the file if need be (the slider fetches it until it is
        there), then queues the warm-up (once per process) and the files of the
        presets of ``today`` behind it (none without ``today``). With ``start``
        false it only names the URL, or why not (a job that failed): the app asks
        so before it sends its map, and starts the job once the map is sent, so
        that a cold server's first map does not share the cores with the ladder.
        """
        if not live_switched_on():
            return None, f"{LIVE_SWITCH}=0 is set"
        job: Future[Path] | None = None
        try:
            if start:
                name, job = self.job(scenario)
            else:
                name = live.ladder_path(self.folder, scenario).name
                with self._lock:
                    job = self._jobs.get(name)
        except Exception as exc:  # never break the page over the live preview
            return None, f"its data could not be prepared ({type(exc).__name__})"
        if job is not None and job.done() and job.exception() is not None:
            return None, f"its data could not be prepared ({type(job.exception()).__name__})"
        if not start:
            return live.LADDER_URL_PREFIX + name, None
        with self._lock:
            warm_up, self._warm_up = self._warm_up, None
        if warm_up is not None:
            self._pool.submit(self._warm, warm_up)  # a failure only loses the head start: kept in its future
        for preset, path in () if today is None else self.presets(today):
            try:
                self.job(preset, path)
            except Exception:  # noqa: S112 - a preset that cannot be prepared is simply not live
                continue
        return live.LADDER_URL_PREFIX + name, None


def _giving_way(work: Callable[[], object]) -> None:
    """Run ``work`` as background work: at each step it reports, it gives way to a reader (:meth:`LadderJobs.later`)."""

    def give_way(_done: int, _total: int) -> None:
        foreground.give_way()

    with progress.reporting(give_way):
        work()


def _report(path: Path, done: int, total: int) -> None:
    """Keep how far the ladder file ``path`` has got, in numbers and in the reader's words, for the page."""
    runtime_files.report_progress(path, done=done, total=total, text=app_text.ladder_progress(done, total))


class _Watched(Generic[_T]):
    """A job a progress bar watches: how far it has got (``done_of_total``, by the subclass) and a wait on it."""

    _job: Future[_T]

    @property
    def done_of_total(self) -> tuple[int, int]:
        """How many steps are done, and of how many (at least 1)."""
        raise NotImplementedError

    @property
    def fraction(self) -> float:
        """The share of the steps done, 0–1."""
        done, total = self.done_of_total
        return min(done / total, 1.0)

    def wait(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` seconds; return whether the job is over (done, or failed)."""
        return bool(wait([self._job], timeout=timeout_s).done)


class LadderWait(_Watched[Path]):
    """A reader's wait on one ladder job (:meth:`LadderJobs.awaited`), with how far the job has got.

    Use it as a context manager: inside, the job is awaited (it goes first, and does not give way to this
    reader's page). It answers as :class:`ReportedRun` does (:meth:`wait`, :attr:`done_of_total`,
    :attr:`fraction`), so one progress bar draws either; :meth:`worth_waiting` says whether to go on waiting.
    """

    def __init__(self, jobs: LadderJobs, name: str, job: Future[Path], path: Path) -> None:
        self._jobs, self._name, self._job, self._path = jobs, name, job, path
        self._verdict: bool | None = None

    @property
    def done_of_total(self) -> tuple[int, int]:
        """How many widths of the ladder are done, and of how many (at least 1): the job's last report."""
        done, total = runtime_files.progress_of(self._path) or (0, len(ladder.widths_km()))
        return done, max(total, 1)

    def worth_waiting(self) -> bool:
        """Return whether to go on waiting: not while another job is being written (this one queued behind it).

        Its end is then out of sight (a preset's ladder takes 4–12 s, and more may be queued): the reader
        computes its answer beside it, as without the ladder. Judged once, at the first look that finds the
        worker busy with another job; a job that is over is always worth it.
        """
        if self._job.done():
            return True
        running = self._jobs.running()
        if self._verdict is None and running not in (None, self._name):  # None: about to start (the worker idle)
            self._verdict = False
        return self._verdict is not False

    def __enter__(self) -> LadderWait:
        self._jobs.await_job(self._name, count=1)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._jobs.await_job(self._name, count=-1)


def presets_ready(presets: Iterable[tuple[Scenario, Path]]) -> tuple[int, list[str]]:
    """Return how many of the presets' ladder files are written (now or by an earlier run), and all their URLs.

    The URLs come in the order the files are written (the page asks for one at a time, see ``page_keys.js``).
    """
    paths = list(dict.fromkeys(path for _, path in presets))
    return sum(1 for path in paths if path.is_file()), [live.LADDER_URL_PREFIX + path.name for path in paths]


#: The most a :class:`ReportedRun` waits in all for pages loading from the server, in seconds: a steady stream
#: of other readers' requests delays its result by this much at most, not a second at every step.
PAGE_WAIT_BUDGET_S: Final = 3.0


class ReportedRun(_Watched[_T]):
    """``compute()`` in a thread of its own (in a copy of this context), with how far it has got.

    Use it as a context manager; the thread is joined on leaving (at once if it still waits for ``first``).

    >>> def work():
    ...     progress.step(1, 2)
    ...     return 42
    >>> with ReportedRun(work) as run:
    ...     while not run.wait(0.05):
    ...         pass
    >>> run.result(), run.done_of_total
    (42, (1, 2))

    Parameters
    ----------
    compute : callable
        The work.
    first : LadderWait, optional
        A ladder job that ``compute`` reads (:meth:`LadderJobs.awaited`): the run waits for it first, and its
        progress is the run's meanwhile; ``compute()`` then reports its own (none, if it reads the ladder).
    """

    def __init__(self, compute: Callable[[], _T], *, first: LadderWait | None = None) -> None:
        self._done_of_total = (0, 1)
        self._page_wait_left_s = PAGE_WAIT_BUDGET_S
        self._first = first
        self._leaving = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reported-run")
        self._job = self._pool.submit(contextvars.copy_context().run, self._run, compute)

    def _run(self, compute: Callable[[], _T]) -> _T:
        if self._first is not None:
            with self._first:  # the ladder goes first, and does not give way to this reader's page
                while not self._first.wait(0.25) and self._first.worth_waiting():
                    if self._leaving.is_set():  # the caller left (a rerun): the ladder goes on, in the background
                        raise CancelledError
            self._first = None  # written, failed, or too slow to wait for: compute() answers (from it, if written)
        with progress.reporting(self._step), foreground.waited_for():  # a reader waits: background jobs pause
            return compute()

    def _step(self, done: int, total: int) -> None:
        self._done_of_total = (done, max(total, 1))
        if self._page_wait_left_s > 0:  # a page loading from this server goes first (its map among it), a while
            self._page_wait_left_s -= foreground.let_pages_load(min(foreground.MAX_PAGE_WAIT_S, self._page_wait_left_s))

    @property
    def done_of_total(self) -> tuple[int, int]:
        """How many steps are done, and of how many (at least 1): ``first``'s while the run waits for it."""
        first = self._first
        return self._done_of_total if first is None else first.done_of_total

    def result(self) -> _T:
        """Return what ``compute()`` returned (or raise what it raised), waiting for it."""
        return self._job.result()

    def __enter__(self) -> ReportedRun[_T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._leaving.set()
        self._pool.shutdown(wait=True)


def write_served_files(folder: Path) -> bool:
    """Write Leaflet and the base map's countries into ``folder``; return whether that worked.

    Parameters
    ----------
    folder : pathlib.Path
        The folder the app serves (:func:`zones.web.runtime_files.files_dir`).

    Returns
    -------
    bool
        ``False`` if the folder cannot be written (a read-only cache): the map then embeds them.
    """
    try:
        install_static(folder)
        basemap.write_basemap(folder)
    except OSError:
        return False
    return True
