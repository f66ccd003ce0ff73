"""The live slider against today's slider and a bare ``st_folium`` page, in one run.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_live            # 20 steps each
    .venv/bin/python -m benchmarks.bench_live --steps 40

Three ``streamlit run`` servers, each with its own Chromium (so each browser's
CPU time is its own), all offline:

* **live**: ``app.py``. A step sets the slider one step further and fires its
  ``input`` event; the latency is from then until the map's iframe paints
  the step (``window.zonesLiveDrawnAt``, set by a task queued from the animation
  frame after the redraw, so once that frame is painted; on the same clock as
  the page: ``performance.timeOrigin + now()``).
* **today**: ``app.py`` with ``ZONES_LIVE_SLIDER=0`` (the plain slider, a rerun
  per step). ArrowRight; latency until the zone's path changes.
* **bare**: a Streamlit page with one slider and ``st_folium`` drawing one circle
  (:data:`benchmarks.bench_app_latency.BASELINE_APP`). ArrowRight, the same way.

Steps alternate between the three pages, so the machine's drift hits them
alike. Then, on the live page, a 12-move drag with the mouse held: the
websocket messages the browser sends to the server while held (each rerun is
one) and after the release, until the run finishes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_app_latency import BASELINE_APP  # noqa: E402
from benchmarks.bench_load import chromium_pids  # noqa: E402
from benchmarks.bench_pair import Side, browser_roots  # noqa: E402
from tests import browser  # noqa: E402

LINK = "?width_km=100&date=2021-12-17&allies=union-state"

#: One live step in the page: the next width, its input event; returns the clock at the event.
LIVE_STEP_JS = """(input) => {
    input.value = String(Math.min(1000, Number(input.value) + 10));
    const t0 = performance.timeOrigin + performance.now();
    input.dispatchEvent(new Event("input", {bubbles: true}));
    return t0;
}"""


#: The live view's draws so far (``data-live-draws`` on the map's container, live_map.js).
LIVE_DRAWS_JS = "() => Number(document.querySelector('.leaflet-container').dataset.liveDraws || 0)"


class LivePage(Side):
    """The live page: a step is the slider's ``input`` event until the map paints it (no server run)."""

    def press(self) -> float:
        """Move the live slider one step; return the ms until the map's iframe painted it."""
        draws = self.frame.evaluate(LIVE_DRAWS_JS)
        t0 = self.page.locator("#zones-width-input").evaluate(LIVE_STEP_JS)  # in the component's shadow root
        # zonesLiveDrawnAt is on window because the context asked for the test hooks (browser.offline_context)
        self.frame.wait_for_function(f"() => ({LIVE_DRAWS_JS})() > {draws} && window.zonesLiveDrawnAt > {t0}")
        return float(self.frame.evaluate("() => window.zonesLiveDrawnAt")) - t0


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


def drag_messages(page: Page) -> tuple[int, int]:
    """Drag the live slider's thumb over 12 moves; return the messages sent to the server while held and after."""
    box = page.locator("#zones-width-input").bounding_box()
    assert box is not None
    x0, y = box["x"] + 0.2 * box["width"], box["y"] + box["height"] / 2
    page.evaluate(browser.IDLE_JS)
    page.mouse.move(x0, y)
    page.mouse.down()
    page.evaluate(browser.COUNT_SENT_JS)
    for i in range(12):
        page.mouse.move(x0 + (i + 1) * 0.02 * box["width"], y)
        page.wait_for_timeout(100)
    held = page.evaluate("() => window.__sent")
    page.mouse.up()
    page.wait_for_timeout(1500)
    page.evaluate(browser.IDLE_JS)
    return held, page.evaluate("() => window.__sent") - held


def main() -> None:
    """Run the three pages side by side, then the drag, and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="steps per page (default: %(default)s)")
    args = parser.parse_args()
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "baseline_app.py"
        bare.write_text(BASELINE_APP.format(repo=str(REPO)))
        with contextlib.ExitStack() as stack:
            live_server = stack.enter_context(browser.streamlit_server(REPO / "app.py"))
            with _env("ZONES_LIVE_SLIDER", "0"):
                today_server = stack.enter_context(browser.streamlit_server(REPO / "app.py"))
            bare_server = stack.enter_context(browser.streamlit_server(bare, cwd=REPO))
            playwright = stack.enter_context(sync_playwright())
            pages = []
            for name, server, live, link in (
                ("live slider (app.py)", live_server, True, LINK),
                ("today's slider (ZONES_LIVE_SLIDER=0)", today_server, False, LINK),
                ("bare st_folium page", bare_server, False, ""),
            ):
                before = set(chromium_pids())
                chromium = browser.launch_chromium(playwright)
                roots = browser_roots(before)
                context, _offline = browser.offline_context(chromium, width=1280, height=900)
                page = context.new_page()
                frame = browser.open_app(page, server.url + link)
                if live:
                    page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=600_000)
                kind = LivePage if live else Side
                pages.append(kind(Path(name), server.process.pid, roots, page, frame))
            for side in pages:  # warm up
                for _ in range(3):
                    side.step()
                side.latency_ms.clear()
                side.browser_s = side.server_s = 0.0
            for _ in range(args.steps):
                for side in pages:
                    side.step()
            live_page = pages[0]
            browser.open_app(live_page.page, live_server.url + LINK)
            live_page.page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=600_000)
            held, after = drag_messages(live_page.page)
    print(f"\n{args.steps} steps each, alternating\n")
    print("| page | steps | p50 ms | p95 ms | browser CPU ms/step | server CPU ms/step |")
    print("|---|---:|---:|---:|---:|---:|")
    for side in pages:
        print(side.row())
    live, today, bare_page = pages
    bare_p50 = statistics.median(bare_page.latency_ms)
    live_p95 = sorted(live.latency_ms)[round(0.95 * (len(live.latency_ms) - 1))]
    print(f"\nlive p95 / bare p50: {live_p95 / bare_p50:.3f} (goal ≤ 0.5)")
    print(f"browser CPU per width change, live / today: {live.browser_s / today.browser_s:.3f} (goal ≤ 0.2)")
    print(f"messages to the server during a 12-move drag: {held} (goal 0); after the release: {after} (goal 1)")


if __name__ == "__main__":
    main()
