"""The page's first map in real Chromium, and where its time goes, beside a bare ``st_folium`` page in one run.

Run from the repository root (about 2–4 minutes a round on 2 busy cores)::

    .venv/bin/python -m benchmarks.bench_first_map                               # the working tree
    .venv/bin/python -m benchmarks.bench_first_map --revisions 4b69cde worktree --sessions 4 --rounds 2

Each round starts, for each revision in turn (its files exported with
``git archive``, :func:`benchmarks.revisions.exported`; ``worktree`` is this
checkout), one ``streamlit run app.py`` on a free loopback port with an empty
``ZONES_CACHE_DIR`` (as :mod:`benchmarks.bench_interactions` does), then the
bare page of :mod:`benchmarks.bench_app_latency` (one slider, ``st_folium``
drawing one circle) in a server of its own. Chromium opens each in
``--sessions`` new browser sessions (1280×900, every non-loopback request
refused): the first on the cold server, the others warm. Each time is
from navigation until:

* **socket**: Streamlit's websocket opened (its scripts are loaded);
* **map sent**: the map's element (``st_folium``) arrived on the socket;
* **frame**: the map's iframe was put into the page;
* **first map**: the zone's path drawn in it (the time
  :mod:`benchmarks.bench_interactions` reports);
* **land**: the base map's countries drawn (the bare page has none);
* **live**: the live width slider has its ladder (the bare page has none).

Also the scripts and styles the page fetched before the map was sent and
until the first map (count and kB), and the page's long tasks (over 50 ms)
until the first map. Prints one Markdown table: per page the median of the
cold sessions and of the warm ones over the rounds, with the load average
before and after each round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Browser, WebSocket, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_app_latency import BASELINE_APP  # noqa: E402
from benchmarks.bench_interactions import app_server, load  # noqa: E402
from benchmarks.revisions import WORKTREE, exported, short  # noqa: E402
from tests import browser  # noqa: E402

TIMEOUT_MS: Final = 180_000
#: The base map's countries are drawn (the app's land pane holds its paths).
LAND_JS: Final = "() => document.querySelectorAll('.leaflet-basemapLand-pane path').length > 50"
#: Noted in every frame from its start: the long tasks (``PerformanceObserver``), page clock in ms.
LONG_TASKS_JS: Final = """(() => { window.__longTasks = []; try { new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true}); } catch (e) {} })();"""
#: What the page fetched: [name, start ms, end ms, bytes], page clock.
RESOURCES_JS: Final = """() => performance.getEntriesByType("resource").map(
    (e) => [e.name, e.startTime, e.responseEnd, e.encodedBodySize])"""
COLUMNS: Final = ("socket", "map sent", "frame", "first map", "land", "live")


def session(chromium: Browser, url: str, *, app: bool) -> dict[str, Any]:
    """Open ``url`` in a new browser session; return the times (ms from navigation) and what was fetched."""
    context, offline = browser.offline_context(chromium, width=1280, height=900)
    context.add_init_script(LONG_TASKS_JS)
    page = context.new_page()
    marks: dict[str, float] = {}
    begin = time.perf_counter()

    def mark(name: str) -> None:
        marks.setdefault(name, 1000 * (time.perf_counter() - begin))

    def on_frame(payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "component_instance":
                    mark("map sent")

    def on_socket(ws: WebSocket) -> None:
        mark("socket")
        ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    try:
        page.goto(url, wait_until="domcontentloaded")
        handle = page.wait_for_selector(browser.MAP_IFRAME, state="attached", timeout=TIMEOUT_MS)
        mark("frame")
        assert handle is not None
        frame = handle.content_frame()
        assert frame is not None
        frame.wait_for_selector("path.zone-strip", state="attached", timeout=TIMEOUT_MS)
        mark("first map")
        if app:
            frame.wait_for_function(LAND_JS, timeout=TIMEOUT_MS)
            mark("land")
        asked = 1000 * (time.perf_counter() - begin)
        drift = float(page.evaluate("() => performance.now()")) - asked  # page clock - this clock, within ~10 ms
        resources = page.evaluate(RESOURCES_JS) + frame.evaluate(RESOURCES_JS)
        long_tasks = page.evaluate("() => window.__longTasks")
        if app:
            page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=TIMEOUT_MS)
            frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=TIMEOUT_MS)
            mark("live")
    finally:
        context.close()
    if offline.blocked:
        raise RuntimeError(f"requests left loopback: {offline.blocked}")
    first = marks["first map"] + drift
    code = [r for r in resources if r[0].endswith((".js", ".css")) and r[1] < first]
    sent = marks.get("map sent", first) + drift
    return {
        **marks,
        "scripts before sent": sum(1 for r in code if r[1] < sent),
        "scripts": len(code),
        "kB": sum(r[3] for r in code) / 1000,
        "long tasks": sum(d for s, d in long_tasks if s < first),
    }


def measure(chromium: Browser, url: str, sessions: int, *, app: bool) -> list[dict[str, Any]]:
    """Open ``url`` ``sessions`` times, each in a new browser session; print and return each one's figures."""
    results = []
    for index in range(sessions):
        result = session(chromium, url, app=app)
        print(f"  session {index + 1}: " + ", ".join(f"{k} {v:,.0f}" for k, v in result.items()), flush=True)
        results.append(result)
    return results


def row(name: str, rounds: list[list[dict[str, Any]]], loads: list[str]) -> str:
    """Return one Markdown row: the median of the cold sessions, then of the warm ones, then the loads."""
    cold = [sessions[0] for sessions in rounds]
    warm = [result for sessions in rounds for result in sessions[1:]] or cold

    def cell(key: str, of: list[dict[str, Any]]) -> str:
        values = [r[key] for r in of if key in r]
        return f"{statistics.median(values):,.0f}" if values else ""

    keys = (*COLUMNS, "scripts before sent", "scripts", "kB", "long tasks")
    cells = " | ".join(f"{cell(k, cold)} / {cell(k, warm)}" for k in keys)
    return f"| {name} | {cells} | {'; '.join(loads)} |"


def main() -> None:
    """Measure every revision and the bare page, round by round; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", nargs="+", default=[WORKTREE], help="git revisions, or worktree (default)")
    parser.add_argument("--sessions", type=int, default=4, help="browser sessions per server, the first cold")
    parser.add_argument("--rounds", type=int, default=2, help="fresh servers per page, taking turns (default: 2)")
    args = parser.parse_args()
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    pages = (*args.revisions, "bare")
    results: dict[str, list[list[dict[str, Any]]]] = {page: [] for page in pages}
    loads: dict[str, list[str]] = {page: [] for page in pages}
    with (
        exported(tuple(args.revisions)) as roots,
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory() as tmp,
    ):
        chromium = browser.launch_chromium(playwright)
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BASELINE_APP.format(repo=str(REPO)))
        for index in range(args.rounds):
            for page in pages:
                before = load()
                print(f"round {index + 1}, {page if page == 'bare' else short(page)}: load {before}", flush=True)
                if page == "bare":
                    with browser.streamlit_server(bare) as server:
                        results[page].append(measure(chromium, server.url, args.sessions, app=False))
                else:
                    cache = Path(tmp) / f"cache-{index}-{short(page)}"
                    cache.mkdir()
                    with app_server(roots[page], cache) as server:
                        results[page].append(measure(chromium, server.url, args.sessions, app=True))
                loads[page].append(f"{before} → {load()}")
        chromium.close()
    heads = (*COLUMNS, "scripts fetched before the map was sent", "scripts until the first map", "their kB",
             "long tasks ms")  # fmt: skip
    print(
        f"\nms from navigation, median of the cold sessions / of the warm ones ({args.rounds} rounds of "
        f"{args.sessions} sessions, a fresh server each round; 1280×900)\n"
    )
    print("| page | " + " | ".join(heads) + " | load 1/5/15 min |")
    print("|---|" + "---:|" * len(heads) + "---|")
    for page in pages:
        print(row("bare `st_folium` page" if page == "bare" else short(page), results[page], loads[page]))


if __name__ == "__main__":
    main()
