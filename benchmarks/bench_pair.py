"""Two versions of the page, step for step: what a change costs per slider step, with the machine's drift cancelled.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_pair app.py _variant.py             # 20 steps each
    .venv/bin/python -m benchmarks.bench_pair app.py _variant.py --steps 40

This machine's speed drifts by up to a fifth from minute to minute, so two
runs of ``bench_app_latency`` or ``bench_load`` one after the other cannot
show a change worth 10 %. Here each script gets its own ``streamlit run``
server and its own Chromium (so each browser's CPU time is its own), both
open the same link, and the steps alternate: one ArrowRight on A, one on B,
and so on. Each step's CPU time is read from ``/proc`` around it, from the
key press until Streamlit reports the run finished: that browser's
processes, and that server's process tree. Drift hits both pages alike.

A variant is a copy of ``app.py`` with one part changed or left out; keep
it in the repository root (the app imports ``zones`` and ``geodata`` from
its own folder and reads ``.streamlit/config.toml`` there), under a name
starting with ``_`` so that it is not committed by accident.

The app runs with ``ZONES_LIVE_SLIDER=0`` (unless set otherwise): this
times the server's path, a rerun per step, which per-side widths and the
fallback slider use. The live slider, which asks the server only once a
drag ends or the keys rest, is timed by ``bench_live`` and ``bench_load``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Frame, Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import chromium_pids, cpu_s, process_tree, server_cpu_s  # noqa: E402
from tests import browser  # noqa: E402

DEFAULT_LINK = "?width_km=300&date=2021-12-17&allies=union-state"


def browser_cpu_s(roots: set[int]) -> float:
    """Return the CPU time of the processes descended from ``roots`` (one browser's), in seconds.

    Counts the children that ended and were reaped (closed renderers still count).
    """
    return cpu_s([pid for root in roots for pid in process_tree(root)], reaped=True)


def browser_roots(before: set[int]) -> set[int]:
    """Return the Chromium processes started since ``before`` whose parent is not one of them.

    The new browser's main process (its renderers descend from it), and the
    crash handlers it detaches.
    """
    new = set(chromium_pids()) - before
    return new - {child for pid in new for child in process_tree(pid)[1:]}


@dataclass
class Side:
    """One script's server, page and results."""

    script: Path
    pid: int
    roots: set[int]
    page: Page
    frame: Frame
    latency_ms: list[float] = field(default_factory=list)
    browser_s: float = 0.0
    server_s: float = 0.0

    def press(self) -> float:
        """Press ArrowRight once and wait until the run is over; return the ms until the zone changed."""
        latency_ms = browser.timed_step(self.page, self.frame)
        self.page.evaluate(browser.IDLE_JS)
        return latency_ms

    def step(self) -> None:
        """Take one step (:meth:`press`); add its latency and CPU time."""
        browser_before, server_before = browser_cpu_s(self.roots), server_cpu_s(self.pid)
        self.latency_ms.append(self.press())
        time.sleep(0.1)  # the last frames of the run are drawn
        self.browser_s += browser_cpu_s(self.roots) - browser_before
        self.server_s += server_cpu_s(self.pid) - server_before

    def row(self) -> str:
        """Return one Markdown table row."""
        steps = len(self.latency_ms)
        latency = sorted(self.latency_ms)
        p95 = latency[min(steps - 1, round(0.95 * (steps - 1)))]
        return (
            f"| {self.script.name} | {steps} | {statistics.median(latency):,.0f} | {p95:,.0f} | "
            f"{1000 * self.browser_s / steps:,.1f} | {1000 * self.server_s / steps:,.1f} |"
        )


def main() -> None:
    """Run both scripts side by side and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="the first Streamlit script (e.g. app.py)")
    parser.add_argument("b", type=Path, help="the second Streamlit script (a variant in the repository root)")
    parser.add_argument("--steps", type=int, default=20, help="slider steps per page (default: %(default)s)")
    parser.add_argument("--link", default=DEFAULT_LINK, help="query string both pages open (default: %(default)s)")
    args = parser.parse_args()
    os.environ.setdefault("ZONES_LIVE_SLIDER", "0")  # the server's path: see the module's docstring
    for script in (args.a, args.b):
        if not script.is_file():
            parser.error(f"argument {script}: no such file")
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    with (
        browser.streamlit_server(args.a.resolve()) as server_a,
        browser.streamlit_server(args.b.resolve()) as server_b,
        sync_playwright() as playwright,
    ):
        sides = []
        for script, server in ((args.a, server_a), (args.b, server_b)):
            before = set(chromium_pids())
            chromium = browser.launch_chromium(playwright)
            roots = browser_roots(before)
            context, _offline = browser.offline_context(chromium, width=1280, height=900)
            page = context.new_page()
            frame = browser.open_app(page, server.url + args.link)
            for _ in range(3):  # warm up: first steps load code and fill caches
                browser.timed_step(page, frame)
                browser.wait_idle(page)
            sides.append(Side(script, server.process.pid, roots, page, frame))
        for _ in range(args.steps):
            for side in sides:
                side.step()
    print(f"\n{args.steps} steps each, alternating, from {args.link}\n")
    print("| script | steps | p50 ms | p95 ms | browser CPU ms/step | server CPU ms/step |")
    print("|---|---:|---:|---:|---:|---:|")
    for side in sides:
        print(side.row())
    a, b = sides
    print(
        f"\n{b.script.name} − {a.script.name}: browser {1000 * (b.browser_s - a.browser_s) / args.steps:+,.1f}"
        f" ms/step, server {1000 * (b.server_s - a.server_s) / args.steps:+,.1f} ms/step"
    )


if __name__ == "__main__":
    main()
