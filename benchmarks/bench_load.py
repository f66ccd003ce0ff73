"""Many simultaneous users on one app server: step latency, errors and the server's memory.

Run from the repository root (about 5–8 minutes on 2 cores)::

    .venv/bin/python -m benchmarks.bench_load                  # N = 1, 5, 10, then 10 again
    .venv/bin/python -m benchmarks.bench_load --users 1 5 --steps 10
    .venv/bin/python -m benchmarks.bench_load --shared         # everyone on the default link

One ``streamlit run app.py`` server starts on a free loopback port
(:func:`tests.browser.streamlit_server`). For each N, one Chromium opens N
browser contexts (separate Streamlit sessions, every non-loopback request
aborted) and all N press ArrowRight on the width slider ``--steps`` times at
once. A step's latency runs from the key press until the ``d`` attribute of
the zone's SVG path inside the ``st_folium`` iframe changes; then the
session waits for Streamlit to report the run finished before the next step.
A step that takes over 30 s, or any exception, counts as an error.

Every session starts on its own date and width (from the link), so users
do not share cache entries: each step is a cache miss unless the app's
prefetch of the next width got there first. A final round at the largest N,
on new dates and widths, shows whether memory stays flat once the bounded
caches are full.

Memory is read from ``/proc/<pid>/status`` of the server and its children
(no psutil): ``VmHWM`` (peak resident set) and ``VmRSS`` (current). CPU time
per step is read from ``/proc`` too: the server's process tree, every
Chromium process, and the whole machine (``/proc/stat``); the rest of the
machine's time is the benchmark itself (Playwright's driver and this
script). The browser runs on the same 2 cores, so latencies include its
rendering work. Waits use MutationObservers in the page, not polling, so
waiting sessions do not load the machine they measure.

Before each round, with no browser running, the benchmark times one fixed
computation (the analysis of a 300 km zone on the draft's date, median of
five) as a yardstick: this machine's speed drifts by up to a fifth from
minute to minute, so rounds are only comparable at a similar yardstick.

Options: ``--app`` (another Streamlit script, e.g. a trimmed copy to see
what a part of the page costs), ``--again 0`` (no repeat round), ``--raw
FILE`` (every latency as JSON, by round and session).
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


def chromium_cpu_s() -> float:
    """Return the CPU time used so far by every Chromium process on the machine, in seconds.

    The benchmark's browser is the only Chromium running (its processes are
    found by their executable, not by parentage: Playwright's driver starts it).
    Counts the children that ended and were reaped by a Chromium process
    (``cutime``/``cstime``), so closed tabs still count.
    """
    return cpu_s(chromium_pids(), reaped=True)


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


@dataclass
class Session:
    """One user's results: step latencies in ms and errors."""

    latency_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _offline(route) -> None:
    if browser.is_loopback(route.request.url):
        await route.continue_()
    else:
        await route.abort("internetdisconnected")


async def _map_frame(page: Page) -> Frame:
    handle = await page.wait_for_selector(browser.MAP_IFRAME, timeout=START_TIMEOUT_MS)
    frame = await handle.content_frame()
    assert frame is not None
    await frame.wait_for_selector("path.zone-strip", state="attached", timeout=START_TIMEOUT_MS)
    return frame


async def _wait_idle(page: Page, timeout_ms: float) -> None:
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)


async def run_session(chromium: Browser, url: str, steps: int, start: asyncio.Event, ready: list[int]) -> Session:
    """Open the app at ``url`` in a fresh context, wait for ``start``, then step the slider ``steps`` times.

    Appends to ``ready`` once the page is drawn, just before waiting for ``start``. A step waits on a
    MutationObserver (:data:`tests.browser.ARM_STRIP_CHANGE_JS`), not on polling, so
    ten waiting pages do not load the machine they measure. The context is left open:
    closing the browser (:func:`run_round`) closes it once the round's CPU time is read.
    """
    result = Session()
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    await context.route("**/*", _offline)
    try:
        page = await context.new_page()
        await page.goto(url, wait_until="domcontentloaded")
        frame = await _map_frame(page)
        await _wait_idle(page, START_TIMEOUT_MS)
        ready.append(1)
        await start.wait()
        for _ in range(steps):
            try:
                await frame.evaluate(browser.ARM_STRIP_CHANGE_JS)
                await page.get_by_role("slider").first.focus()
                begin = time.perf_counter()
                await page.keyboard.press("ArrowRight")
                await frame.evaluate(browser.STRIP_CHANGED_JS, STEP_TIMEOUT_MS)
                result.latency_ms.append(1000 * (time.perf_counter() - begin))
                await asyncio.wait_for(page.evaluate(browser.IDLE_JS), STEP_TIMEOUT_MS / 1000)
            except Exception as exc:  # every failure is counted, the round goes on
                result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    except Exception as exc:  # a session that never started is an error too
        result.errors.append(f"start: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    return result  # the context stays open until the round's CPU is read (closing it ends its renderer)


@dataclass
class Round:
    """One round of N simultaneous sessions."""

    label: str
    users: int
    steps: int
    sessions: list[Session]
    wall_s: float
    sampled_peak_mb: float
    rss_after_mb: float
    hwm_after_mb: float
    server_cpu_s: float
    browser_cpu_s: float
    machine_cpu_s: float
    yardstick_ms: float

    def row(self) -> str:
        """Return one Markdown table row."""
        latency = sorted(x for s in self.sessions for x in s.latency_ms)
        errors = sum(len(s.errors) for s in self.sessions)
        if latency:
            p50 = statistics.median(latency)
            p95 = latency[min(len(latency) - 1, round(0.95 * (len(latency) - 1)))]
            timing = f"{len(latency)} | {p50:,.0f} | {p95:,.0f} | {latency[-1]:,.0f}"
        else:
            timing = "0 | – | – | –"
        steps = max(1, self.users * self.steps)
        cpu_ms = 1000 * self.server_cpu_s / steps
        browser_ms = 1000 * self.browser_cpu_s / steps
        machine_ms = 1000 * self.machine_cpu_s / steps
        return (
            f"| {self.label} | {self.users} | {timing} | {errors} | {self.wall_s:,.0f} | {cpu_ms:,.0f} | "
            f"{browser_ms:,.0f} | {machine_ms:,.0f} | "
            f"{self.sampled_peak_mb:,.0f} | {self.hwm_after_mb:,.0f} | {self.rss_after_mb:,.0f} | "
            f"{self.yardstick_ms:,.0f} |"
        )


def _urls(base: str, users: int, steps: int, round_index: int, *, shared: bool = False) -> list[str]:
    """Return one link per session: its own date and a start width that leaves room for ``steps``.

    With ``shared``, every session opens the app's default link (the draft's
    date, 100 km) as most readers of a published link would, so they share
    cache entries.
    """
    if shared:
        return [f"{base}?width_km=100&date=2021-12-17&allies=union-state"] * users
    urls = []
    span = 1000 - 10 * steps - 10  # highest start width in km
    for i in range(users):
        date = ROUND_DATES[(i + 7 * round_index) % len(ROUND_DATES)]
        width = 10 + (10 * (37 * i + 53 * round_index) % (span // 10 * 10))
        urls.append(f"{base}?width_km={width}&date={date}&allies=union-state")
    return urls


async def run_round(
    url: str, users: int, steps: int, round_index: int, label: str, pid: int, *, shared: bool = False
) -> Round:
    """Run ``users`` simultaneous sessions against the server at ``url``."""
    yardstick = yardstick_ms()
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(browser.CHROMIUM), args=list(browser.CHROMIUM_ARGS), headless=True
        )
        start, ready = asyncio.Event(), []
        with MemorySampler(pid) as sampler:
            tasks = [
                asyncio.create_task(run_session(chromium, link, steps, start, ready))
                for link in _urls(url, users, steps, round_index, shared=shared)
            ]
            await _all_ready(tasks, start, ready)
            begin = (time.perf_counter(), server_cpu_s(pid), chromium_cpu_s(), machine_cpu_s())
            sessions = await asyncio.gather(*tasks)
            end = (time.perf_counter(), server_cpu_s(pid), chromium_cpu_s(), machine_cpu_s())
            wall_s, cpu_s, browser_s, machine_s = (b - a for a, b in zip(begin, end, strict=True))
        await chromium.close()
    rss, hwm = server_memory_mb(pid)
    return Round(
        label, users, steps, list(sessions), wall_s, sampler.peak_mb, rss, hwm, cpu_s, browser_s, machine_s, yardstick
    )


async def _all_ready(tasks: list[asyncio.Task], start: asyncio.Event, ready: list[int]) -> None:
    """Release ``start`` once every session has drawn its page (or ended), so all step at once."""
    deadline = time.monotonic() + START_TIMEOUT_MS / 1000 + 30
    while time.monotonic() < deadline and len(ready) + sum(t.done() for t in tasks) < len(tasks):
        await asyncio.sleep(0.2)
    start.set()


def main() -> None:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 10], help="N per round (default: 1 5 10)")
    parser.add_argument("--steps", type=int, default=20, help="slider steps per session (default: %(default)s)")
    parser.add_argument(
        "--shared", action="store_true", help="every session opens the same default link (cache shared)"
    )
    parser.add_argument("--again", type=int, choices=(0, 1), default=1, help="repeat the largest N (default: 1)")
    parser.add_argument("--raw", type=Path, help="also write every latency (ms), by round and session, as JSON")
    parser.add_argument("--app", type=Path, default=REPO / "app.py", help="Streamlit script (default: app.py)")
    args = parser.parse_args()
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    rounds: list[Round] = []
    started = time.perf_counter()
    with browser.streamlit_server(args.app.resolve()) as server:
        pid = server.process.pid
        print(f"server pid {pid}, RSS at start {server_memory_mb(pid)[0]:,.0f} MB", flush=True)
        plan = [(n, f"N={n}") for n in args.users] + [(max(args.users), f"N={max(args.users)} again")] * args.again
        for index, (users, label) in enumerate(plan):
            result = asyncio.run(run_round(server.url, users, args.steps, index, label, pid, shared=args.shared))
            rounds.append(result)
            print(result.row(), flush=True)
            for session in result.sessions:
                for error in session.errors[:3]:
                    print(f"    error: {error}", flush=True)
    if args.raw:
        args.raw.write_text(json.dumps({r.label: [s.latency_ms for s in r.sessions] for r in rounds}))
    print(f"\n{dt.datetime.now():%Y-%m-%d %H:%M}, {time.perf_counter() - started:,.0f} s in all\n")
    print(
        "| round | users | steps | p50 ms | p95 ms | max ms | errors | wall s | server CPU ms/step | "
        "browser CPU ms/step | machine CPU ms/step | "
        "peak RSS MB (sampled) | peak RSS MB (VmHWM) | RSS MB after | yardstick ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in rounds:
        print(result.row())
    if not args.again:
        return
    first, last = rounds[-2], rounds[-1]
    print(
        f"\nRSS after round N={first.users}: {first.rss_after_mb:,.0f} MB; "
        f"after the second round N={last.users}: {last.rss_after_mb:,.0f} MB "
        f"({last.rss_after_mb - first.rss_after_mb:+,.0f} MB)."
    )


if __name__ == "__main__":
    main()
