"""Ten users at once: the live slider against a bare ``st_folium`` page, and first paint with it on and off.

Run from the repository root (about 10–15 minutes on 2 busy cores)::

    .venv/bin/python -m benchmarks.bench_load                  # 10 + 10 sessions, two rounds, first paint
    .venv/bin/python -m benchmarks.bench_load --users 5 --steps 10 --paints 3
    .venv/bin/python -m benchmarks.bench_load --think-ms 1500  # a reader pausing at every step

**Load.** Two ``streamlit run`` servers on free loopback ports
(:func:`tests.browser.streamlit_server`): ``app.py`` with its live slider,
and the bare page (one slider, ``st_folium`` with one circle:
:data:`benchmarks.bench_app_latency.BASELINE_APP`). In each round one
Chromium opens N browser contexts on each (separate Streamlit sessions,
every non-loopback request aborted), and all 2N sessions press ArrowRight
on their width slider ``--steps`` times at once, so both pages run in the
same load. Latency runs from the key press to the map's change: on the app,
until the map's iframe has drawn the step from the ladder
(``data-live-draws`` on the map's container grows); on the bare page, until the ``d``
attribute of the circle's path changes. After the map changed, a session
looks at it for ``--think-ms`` (500 by default, the same on both pages) and
presses again; on the bare page the change is the end of the server's run,
while the live slider asks the server only once its keys have rested for a
second, so 500 ms is a reader tapping through the widths (one rerun per
session, after its last step) and ``--think-ms 1500`` one pausing at every
step (a rerun per step, in the background of the next). After its last
step a session waits until its server has drawn that width. A step that
takes over 30 s, or any exception, is an error. Each session counts the
messages its page sends to its server (a rerun is asked with one). Before
the round starts, the app's map has prepared its ladder file
(``data-live-ready``), as it does while a reader looks at the first view,
and the machine has been quiet (under 10 % busy) for two seconds: the last
pages to open finish their own work for a moment after they are drawn, and
the round measures the sessions' steps, not the tail of their page loads.

With ``--apart``, every round runs the live page's ten sessions alone and
then the bare page's ten alone: each page under the load its own readers
make, as when readers' browsers run on their own machines rather than on
the server's two cores (which the default, both pages at once, shares
between twenty browsers and both servers).
The app's sessions open the draft's date (one border line, so one ladder
file) at widths of their own, so their reruns do not share cache entries.
A second round, on other widths, shows whether the server's memory stays
flat once the bounded caches are full.

**First paint.** Before the load, ``app.py`` and ``app.py`` with
``ZONES_LIVE_SLIDER=0`` on two fresh servers, each in its own Chromium;
alternately on each, a click on a date preset (1997, Today, Draft, …) is
timed until the zone drawn by the server changes.

Memory is read from ``/proc/<pid>/status`` of the server and its children
(no psutil): ``VmHWM`` (peak resident set) and ``VmRSS`` (current). CPU time
is read from ``/proc`` too: each server's process tree and the whole
machine (``/proc/stat``). Waits use MutationObservers in the page, not
polling, so waiting sessions do not load the machine they measure.

Before each round, with no browser running, the benchmark times one fixed
computation (the analysis of a 300 km zone on the draft's date, median of
five) as a yardstick: this machine's speed drifts by up to a fifth from
minute to minute, so rounds are only comparable at a similar yardstick.

Options: ``--again 0`` (no second round), ``--paints 0`` (no first-paint
part), ``--apart``, ``--think-ms``, ``--raw FILE`` (every latency as JSON, by round, page and session).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Frame, Page, async_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import browser  # noqa: E402
from zones import Scenario, analyse  # noqa: E402

#: Dates (one per session) whose cache keys differ; every one has a land border.
ROUND_DATES = (
    "2021-12-17", "2024-06-01", "2023-05-01", "2020-06-01", "2017-07-01",
    "2009-05-01", "2004-05-01", "1999-04-01", "2022-06-01", "2019-01-01",
    "2021-01-01", "2018-01-01", "2016-01-01", "2012-01-01", "2006-01-01",
    "2005-01-01", "2001-01-01", "2000-01-01", "2010-01-01", "2015-01-01",
)  # fmt: skip
STEP_TIMEOUT_MS = 30_000
START_TIMEOUT_MS = 120_000
OPEN_AT_ONCE = 4  # sessions opening their page at the same time
#: Before a round: the machine's cores less than this busy (a fraction) for this long (s).
QUIET_BUSY = 0.10
QUIET_FOR_S = 2.0


# ---------------------------------------------------------------- server memory


def _status_kb(pid: int) -> dict[str, int]:
    """Return the ``Vm*`` lines of ``/proc/<pid>/status`` in kB (empty if the process is gone)."""
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _unit = line.split()
                values[name.rstrip(":")] = int(amount)
    return values


def process_tree(pid: int) -> list[int]:
    """Return ``pid`` and all its descendants (from ``/proc/<pid>/task/*/children``)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def server_memory_mb(pid: int) -> tuple[float, float]:
    """Return ``(current RSS, peak RSS)`` of a process tree in MB (peak: sum of each process's VmHWM)."""
    rss = hwm = 0
    for member in process_tree(pid):
        status = _status_kb(member)
        rss += status.get("VmRSS", 0)
        hwm += status.get("VmHWM", 0)
    return rss / 1024, hwm / 1024


def cpu_s(pids: list[int], *, reaped: bool = False) -> float:
    """Return the CPU time (user + system) of processes, in seconds; with ``reaped``, of their ended children too."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(f) for f in fields[11 : 15 if reaped else 13])  # utime, stime[, cutime, cstime]
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu_s(pid: int) -> float:
    """Return the CPU time (user + system) used so far by a process tree, in seconds."""
    return cpu_s(process_tree(pid))


def chromium_pids() -> list[int]:
    """Return the process ids of every Chromium process on the machine (found by their executable)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if "chromium" in str((entry / "exe").readlink()):
                    pids.append(int(entry.name))
    return pids


def machine_cpu_s() -> float:
    """Return the CPU time the whole machine has spent busy so far (all cores, from ``/proc/stat``), in seconds."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class MemorySampler:
    """Sample a process tree's RSS every ``interval_s`` in a thread; keep the largest."""

    def __init__(self, pid: int, interval_s: float = 0.25) -> None:
        self.pid, self.interval_s, self.peak_mb = pid, interval_s, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, server_memory_mb(self.pid)[0])
            self._stop.wait(self.interval_s)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def yardstick_ms(repeats: int = 5) -> float:
    """Return the median time in ms of one fixed analysis (300 km, the draft's date): the machine's speed now.

    Single-threaded and deterministic; the first call (which fills the
    process's caches) is not counted.
    """
    scenario = Scenario(width_km=300, date="2021-12-17")
    analyse(scenario)
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        analyse(scenario)
        times.append(1000 * (time.perf_counter() - begin))
    return statistics.median(times)


# ---------------------------------------------------------------- sessions

#: The pages under load: the app with its live slider, and the bare ``st_folium`` page.
PAGES = ("live", "bare")
LIVE_SLIDER = "#zones-width-input"  # the live slider's <input type=range>, in the component's shadow root
#: Arm a MutationObserver in the map's frame: ``window.__liveDraw`` resolves once the live zone is redrawn.
ARM_LIVE_DRAW_JS = """() => {
    const draws = () => Number(document.querySelector('.leaflet-container').dataset.liveDraws || 0);
    const before = draws();
    window.__liveDraw = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
            if (draws() > before) { observer.disconnect(); resolve(true); }
        });
        observer.observe(document.body, {subtree: true, childList: true, attributes: true});
    });
}"""
LIVE_DRAWN_JS = browser.STRIP_CHANGED_JS.replace("__stripChange", "__liveDraw")
SERVER_CAUGHT_UP = ".leaflet-container:not(.zones-live)"  # the server has drawn the slider's last width


@dataclass
class Session:
    """One user's results: step latencies in ms and errors."""

    page: str
    latency_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0  # messages to the server during the steps (a rerun is asked with one)


async def _offline(route) -> None:
    if browser.is_loopback(route.request.url):
        await route.continue_()
    else:
        await route.abort("internetdisconnected")


async def _open(chromium: Browser, url: str, *, live: bool = False) -> tuple[Page, Frame]:
    """Open ``url`` in a fresh offline context; return the page and the map's frame once drawn and idle."""
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    await context.route("**/*", _offline)
    page = await context.new_page()
    await page.goto(url, wait_until="domcontentloaded", timeout=START_TIMEOUT_MS)
    handle = await page.wait_for_selector(browser.MAP_IFRAME, timeout=START_TIMEOUT_MS)
    frame = await handle.content_frame()
    assert frame is not None
    await frame.wait_for_selector("path.zone-strip", state="attached", timeout=START_TIMEOUT_MS)
    if live:
        await page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=START_TIMEOUT_MS)
        await frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=START_TIMEOUT_MS)
    await _wait_idle(page, START_TIMEOUT_MS)
    return page, frame


async def _wait_idle(page: Page, timeout_ms: float) -> None:
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)


async def _step(page: Page, frame: Frame, *, live: bool, think_s: float) -> float:
    """Press ArrowRight on the page's width slider; return the ms until the map changed; then wait ``think_s``."""
    await frame.evaluate(ARM_LIVE_DRAW_JS if live else browser.ARM_STRIP_CHANGE_JS)
    await (page.locator(LIVE_SLIDER) if live else page.get_by_role("slider").first).focus()
    begin = time.perf_counter()
    await page.keyboard.press("ArrowRight")
    await frame.evaluate(LIVE_DRAWN_JS if live else browser.STRIP_CHANGED_JS, STEP_TIMEOUT_MS)
    latency_ms = 1000 * (time.perf_counter() - begin)
    if not live:  # the map changed at the end of the server's run; let it finish
        await asyncio.wait_for(page.evaluate(browser.IDLE_JS), STEP_TIMEOUT_MS / 1000)
    await asyncio.sleep(think_s)
    return latency_ms


async def _caught_up(page: Page, frame: Frame) -> None:
    """Wait until the server has drawn the live slider's last width and finished its run."""
    await frame.wait_for_selector(SERVER_CAUGHT_UP, state="attached", timeout=STEP_TIMEOUT_MS)
    await asyncio.wait_for(page.evaluate(browser.IDLE_JS), STEP_TIMEOUT_MS / 1000)


async def run_session(
    chromium: Browser,
    url: str,
    steps: int,
    start: asyncio.Event,
    ready: list[int],
    opening: asyncio.Semaphore,
    *,
    live: bool,
    think_s: float,
) -> Session:
    """Open ``url`` in a fresh context, wait for ``start``, then step the slider ``steps`` times.

    Pages open a few at a time (``opening``): twenty at once on two cores time out.
    Appends to ``ready`` once the page is drawn, just before waiting for ``start``. A step waits on a
    MutationObserver, not on polling, so waiting pages do not load the machine they measure. The
    context is left open: closing the browser (:func:`run_round`) closes it once the round's CPU is read.
    """
    result = Session("live" if live else "bare")
    try:
        async with opening:
            page, frame = await _open(chromium, url, live=live)
        ready.append(1)
        await start.wait()
        await page.evaluate(browser.COUNT_SENT_JS)
        for _ in range(steps):
            try:
                result.latency_ms.append(await _step(page, frame, live=live, think_s=think_s))
            except Exception as exc:  # every failure is counted, the round goes on
                result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        if live:
            try:
                await _caught_up(page, frame)
            except Exception as exc:
                result.errors.append(f"last step: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        result.sent = await page.evaluate("() => window.__sent")
    except Exception as exc:  # a session that never started is an error too
        result.errors.append(f"start: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    return result


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """Return ``(p50, p95, max)`` of ``values`` (nearest rank), or NaNs when empty."""
    if not values:
        return (float("nan"),) * 3
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], ordered[-1]


@dataclass
class Round:
    """One round of N simultaneous sessions on each page."""

    label: str
    users: int
    steps: int
    sessions: list[Session]
    wall_s: float
    sampled_peak_mb: float
    rss_after_mb: float
    hwm_after_mb: float
    server_cpu_s: dict[str, float]
    machine_cpu_s: float
    yardstick_ms: float

    def latency(self, page: str) -> list[float]:
        """Return every step latency in ms on ``page``."""
        return [x for s in self.sessions if s.page == page for x in s.latency_ms]

    def sent(self, page: str) -> int:
        """Return how many messages the sessions on ``page`` sent to their server (a rerun is asked with one)."""
        return sum(s.sent for s in self.sessions if s.page == page)

    def errors(self, page: str) -> int:
        """Return how many errors the sessions on ``page`` had."""
        return sum(len(s.errors) for s in self.sessions if s.page == page)

    def rows(self) -> list[str]:
        """Return one Markdown table row per page."""
        rows = []
        for page in (p for p in PAGES if any(s.page == p for s in self.sessions)):
            latency = self.latency(page)
            p50, p95, top = percentiles(latency)
            cpu_ms = 1000 * self.server_cpu_s[page] / max(1, self.users * self.steps)
            rows.append(
                f"| {self.label} | {page} | {self.users} | {len(latency)} | {p50:,.0f} | {p95:,.0f} | {top:,.0f} | "
                f"{self.errors(page)} | {self.sent(page):,} | {cpu_ms:,.0f} | {self.wall_s:,.0f} | "
                f"{1000 * self.machine_cpu_s / max(1, 2 * self.users * self.steps):,.0f} | "
                f"{self.sampled_peak_mb:,.0f} | {self.rss_after_mb:,.0f} | {self.yardstick_ms:,.0f} |"
            )
        return rows


def _urls(base: str, users: int, steps: int, round_index: int) -> list[str]:
    """Return one app link per session: the draft's date, a start width of its own that leaves room for ``steps``."""
    span = 1000 - 10 * steps - 10  # highest start width in km
    return [
        f"{base}?width_km={10 + (10 * (37 * i + 53 * round_index) % (span // 10 * 10))}"
        "&date=2021-12-17&allies=union-state"
        for i in range(users)
    ]


async def run_round(
    urls: dict[str, str],
    users: int,
    steps: int,
    round_index: int,
    pids: dict[str, int],
    *,
    think_s: float,
    pages: tuple[str, ...] = PAGES,
) -> Round:
    """Run ``users`` simultaneous sessions on each of ``pages`` (``urls``: the servers' addresses, by page)."""
    yardstick = yardstick_ms()
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(browser.CHROMIUM), args=list(browser.CHROMIUM_ARGS), headless=True
        )
        start, ready, opening = asyncio.Event(), [], asyncio.Semaphore(OPEN_AT_ONCE)
        links = [(link, True) for link in _urls(urls["live"], users, steps, round_index)] if "live" in pages else []
        links += [(urls["bare"], False)] * users if "bare" in pages else []
        with MemorySampler(pids["live"]) as sampler:
            tasks = [
                asyncio.create_task(
                    run_session(chromium, link, steps, start, ready, opening, live=live, think_s=think_s)
                )
                for link, live in links
            ]
            await _all_ready(tasks, start, ready)
            begin = (time.perf_counter(), machine_cpu_s(), *(server_cpu_s(pids[p]) for p in PAGES))
            sessions = await asyncio.gather(*tasks)
            end = (time.perf_counter(), machine_cpu_s(), *(server_cpu_s(pids[p]) for p in PAGES))
            wall_s, machine_s, *servers_s = (b - a for a, b in zip(begin, end, strict=True))
        await chromium.close()
    rss, hwm = server_memory_mb(pids["live"])
    label = f"{round_index + 1}"
    server_s = dict(zip(PAGES, servers_s, strict=True))
    return Round(label, users, steps, list(sessions), wall_s, sampler.peak_mb, rss, hwm, server_s, machine_s, yardstick)


async def _all_ready(tasks: list[asyncio.Task], start: asyncio.Event, ready: list[int]) -> None:
    """Release ``start`` once every session has drawn its page (or ended) and the machine is quiet."""
    deadline = time.monotonic() + len(tasks) * START_TIMEOUT_MS / 1000 / OPEN_AT_ONCE + 30
    while time.monotonic() < deadline and len(ready) + sum(t.done() for t in tasks) < len(tasks):
        await asyncio.sleep(0.2)
    await _quiet()
    start.set()


async def _quiet(*, busy_below: float = QUIET_BUSY, for_s: float = QUIET_FOR_S, at_most_s: float = 30.0) -> None:
    """Wait until the machine's cores have been less than ``busy_below`` busy for ``for_s``.

    The last pages to open finish their own work (painting, the browser's idle tasks) for a moment
    after they report ready; a round starts once that is over, so its first step measures the
    sessions' steps, not the tail of their page loads. Gives up after ``at_most_s``.
    """
    begin = time.monotonic()
    cores = os.cpu_count() or 1
    while time.monotonic() - begin < at_most_s:
        before = machine_cpu_s()
        await asyncio.sleep(for_s)
        if (machine_cpu_s() - before) / for_s / cores < busy_below:
            return


# ---------------------------------------------------------------- first paint

PRESETS = ("1997", "Today", "Draft")
PAINT_LINK = "?width_km=230&date=2021-12-17&allies=union-state"


async def first_paints(urls: dict[str, str], paints: int) -> dict[str, list[float]]:
    """Click date presets in turn on each server's page (``urls`` by name); return the ms until the zone changed."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    async with async_playwright() as playwright:
        pages = {}
        for name, url in urls.items():  # one Chromium each, so neither page's rendering queues behind the other's
            chromium = await playwright.chromium.launch(
                executable_path=str(browser.CHROMIUM), args=list(browser.CHROMIUM_ARGS), headless=True
            )
            pages[name] = await _open(chromium, url + PAINT_LINK)
        for i in range(paints):
            for name, (page, frame) in pages.items():
                await frame.evaluate(browser.ARM_STRIP_CHANGE_JS)
                begin = time.perf_counter()
                await page.get_by_role("button", name=PRESETS[i % len(PRESETS)], exact=True).click()
                await frame.evaluate(browser.STRIP_CHANGED_JS, START_TIMEOUT_MS)
                times[name].append(1000 * (time.perf_counter() - begin))
                await _wait_idle(page, START_TIMEOUT_MS)
    return times


def main() -> None:
    """Run first paint, then the rounds, and print the tables."""
    from benchmarks.bench_app_latency import BASELINE_APP  # here: bench_live and bench_pair import this module
    from benchmarks.bench_live import _env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="sessions per page (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=20, help="slider steps per session (default: %(default)s)")
    parser.add_argument("--again", type=int, choices=(0, 1), default=1, help="a second round (default: 1)")
    parser.add_argument("--paints", type=int, default=6, help="first paints per page (default: %(default)s)")
    parser.add_argument(
        "--think-ms", type=float, default=500, help="pause after each map change, both pages (default: %(default)s)"
    )
    parser.add_argument(
        "--apart", action="store_true", help="each page's sessions alone: live, then bare, in every round"
    )
    parser.add_argument("--raw", type=Path, help="also write every latency (ms), by round and session, as JSON")
    args = parser.parse_args()
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    rounds: list[Round] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        bare = Path(folder) / "baseline_app.py"
        bare.write_text(BASELINE_APP.format(repo=str(REPO)))
        live = stack.enter_context(browser.streamlit_server(REPO / "app.py"))
        paints: dict[str, list[float]] = {}
        if args.paints:
            with _env("ZONES_LIVE_SLIDER", "0"), browser.streamlit_server(REPO / "app.py") as off:
                paints = asyncio.run(first_paints({"live slider on": live.url, "off": off.url}, args.paints))
        server = stack.enter_context(browser.streamlit_server(bare, cwd=REPO))
        pids = {"live": live.process.pid, "bare": server.process.pid}
        urls = {"live": live.url, "bare": server.url}
        print(f"app server pid {pids['live']}, RSS {server_memory_mb(pids['live'])[0]:,.0f} MB", flush=True)
        for index in range(1 + args.again):
            for pages in ((page,) for page in PAGES) if args.apart else (PAGES,):
                result = asyncio.run(
                    run_round(urls, args.users, args.steps, index, pids, think_s=args.think_ms / 1000, pages=pages)
                )
                rounds.append(result)
                print("\n".join(result.rows()), flush=True)
                for session in result.sessions:
                    for error in session.errors[:3]:
                        print(f"    error ({session.page}): {error}", flush=True)
    labels = list(dict.fromkeys(r.label for r in rounds))
    if args.raw:
        by_label = {
            label: [{s.page: s.latency_ms} for r in rounds if r.label == label for s in r.sessions] for label in labels
        }
        args.raw.write_text(json.dumps(by_label | {"paint": paints}))
    print(f"\n{dt.datetime.now():%Y-%m-%d %H:%M}, {time.perf_counter() - started:,.0f} s in all\n")
    print(
        f"{args.users} sessions a page, {args.steps} steps each, {args.think_ms:,.0f} ms between a map change "
        "and the next key press\n\n"
        "| round | page | users | steps | p50 ms | p95 ms | max ms | errors | messages to the server | "
        "its server's CPU ms/step | wall s | "
        "machine CPU ms/step | app server peak RSS MB (sampled) | app server RSS MB after | yardstick ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in rounds:
        print("\n".join(result.rows()))
    for label in labels:
        same = [r for r in rounds if r.label == label]
        live, bare = ([x for r in same for x in r.latency(page)] for page in PAGES)
        ratio = percentiles(live)[1] / percentiles(bare)[1]
        errors = sum(r.errors(p) for r in same for p in PAGES)
        later = [x for r in same for s in r.sessions if s.page == "live" for x in s.latency_ms[1:]]
        print(
            f"round {label}: live p95 / bare p95 = {ratio:.3f} (goal ≤ 0.25); errors {errors} (goal 0); "
            f"live p95 without each session's first step: {percentiles(later)[1]:,.0f} ms"
        )
    if len(labels) > 1:  # a round's p95 is its 11th-slowest step of 200: the rounds together are a steadier figure
        live, bare = ([x for r in rounds for x in r.latency(page)] for page in PAGES)
        first = [s.latency_ms[0] for r in rounds for s in r.sessions if s.page == "live" and s.latency_ms]
        print(
            f"all rounds: live p95 / bare p95 = {percentiles(live)[1]:,.0f} / {percentiles(bare)[1]:,.0f} ms = "
            f"{percentiles(live)[1] / percentiles(bare)[1]:.3f} over {len(live)} and {len(bare)} steps; "
            f"each live session's first step p50 {percentiles(first)[0]:,.0f} ms, max {percentiles(first)[2]:,.0f}"
        )
    rss = ", ".join(f"{r.rss_after_mb:,.0f} MB after round {r.label}" for r in rounds)
    print(f"app server RSS: {rss} (goal ≤ 1,536 MB and flat)")
    if paints:
        print("\n| first paint (date preset) | clicks | p50 ms | max ms | all ms |\n|---|---:|---:|---:|---|")
        for name, values in paints.items():
            p50, _p95, top = percentiles(values)
            print(f"| {name} | {len(values)} | {p50:,.0f} | {top:,.0f} | {', '.join(f'{v:,.0f}' for v in values)} |")
        on, off = (statistics.median(v) for v in paints.values())
        print(f"first paint p50, on / off: {on / off:.2f} (goal ≤ 1, no slower)")


if __name__ == "__main__":
    main()
