"""Benchmark the width ladder and the published HTML page, against the app's own map data in the same run.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_publish

For each scenario: the ladder's build time cold (computed: 101 analyses,
data already loaded), warm from disk and warm from memory, its size raw and
gzip (goal ≤ 600 kB gzip), the HTML page's size (goal ≤ 3 MB) and its load
time in Chromium from ``file://`` with no network, until the page is drawn
(median of 5 loads, goal ≤ 2 s), and the time of one slider step in the
page, from the input event to the next frame drawn (20 steps from 300 km).
The baseline, run on the draft's scenario:
the app's per-step map data (``zones.web.map_layers.layers_json``) for all 101 steps,
raw and gzip, and a folium map of one width saved with ``Map.save`` (Leaflet
and the base map inlined), loaded the same way. The disk cache is a
temporary folder, so "cold" is cold.
"""

from __future__ import annotations

import gzip
import os
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests import browser
from zones import Scenario, analyse
from zones.web.basemap import base_map
from zones.web.ladder import clear_memory_cache, ladder_json, widths_km
from zones.web.map_layers import layers_json, zone_collections, zone_layers
from zones.web.publish import write_page

SCENARIOS = (
    ("draft, union-state", Scenario(width_km=300, date="2021-12-17", allies="union-state")),
    ("today, csto", Scenario(width_km=300, allies="csto")),
    ("draft, clipped", Scenario(width_km=300, date="2021-12-17", allies="union-state", clip=True)),
)
LOADS = 5
STEPS = 20
#: One slider step in the page: set the value, fire ``input``, and wait until the next frame is drawn.
STEP_JS = """() => new Promise((resolve) => {
    const slider = document.getElementById("width");
    const start = performance.now();
    slider.value = String(Number(slider.value) + 10);
    slider.dispatchEvent(new Event("input"));
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
})"""


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def load_ms(chromium: Browser, path: Path, ready: str) -> float:
    """Return the median ms from navigation start until ``ready`` (a JS condition) holds, offline."""
    times = []
    for _ in range(LOADS):
        context, offline = browser.offline_context(chromium, width=1280, height=900)
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function(ready, timeout=30_000)
        times.append(page.evaluate("() => performance.now()"))
        assert not offline.blocked, offline.blocked
        context.close()
    return statistics.median(times)


def step_ms(chromium: Browser, path: Path) -> tuple[float, float]:
    """Return the median and 95th percentile ms of :data:`STEPS` slider steps in the page, drawn."""
    context, _ = browser.offline_context(chromium, width=1280, height=900)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=30_000)
    times = sorted(page.evaluate(STEP_JS) for _ in range(STEPS))
    context.close()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as cache, tempfile.TemporaryDirectory() as out:
        os.environ["ZONES_CACHE_DIR"] = cache
        run(Path(out))


def run(folder: Path) -> None:
    """Run the benchmark, writing its pages into ``folder``; print the table."""
    analyse(SCENARIOS[0][1])  # warm-up: data loaded once, not counted
    rows = []
    with sync_playwright() as playwright:
        chromium = browser.launch_chromium(playwright)
        for name, scenario in SCENARIOS:
            cold_s, text = timed(ladder_json, scenario)
            clear_memory_cache()
            disk_s, _ = timed(ladder_json, scenario)
            memory_s, _ = timed(ladder_json, scenario)
            page = write_page(scenario, folder / "zone.html")
            page_ms = load_ms(chromium, page, "() => document.body.dataset.ready === 'true'")
            p50, p95 = step_ms(chromium, page)
            raw, packed = len(text.encode()), len(gzip.compress(text.encode()))
            rows.append(
                f"| {name}: ladder + page | {cold_s:.1f} | {1000 * disk_s:.0f} | {1000 * memory_s:.2f} "
                f"| {raw / 1e3:,.0f} | {packed / 1e3:,.0f} | {page.stat().st_size / 1e6:.2f} | {page_ms:,.0f} "
                f"| {p50:.0f} / {p95:.0f} |"
            )

        scenario = SCENARIOS[0][1]
        start = time.perf_counter()
        steps = [layers_json(zone_collections(analyse(scenario.replace(width_km=w)))) for w in widths_km()]
        app_s = time.perf_counter() - start
        joined = "".join(steps).encode()
        folium_map = base_map(served=False)
        zone_layers(analyse(scenario)).add_to(folium_map)
        saved = folder / "folium.html"
        folium_map.save(str(saved))
        folium_ms = load_ms(chromium, saved, "() => document.querySelector('path.zone-strip') !== null")
        rows.append(
            f"| baseline: the app's map data × 101 steps; a folium map of one width (`Map.save`) "
            f"| {app_s:.1f} | | | {len(joined) / 1e3:,.0f} | {len(gzip.compress(joined)) / 1e3:,.0f} "
            f"| {saved.stat().st_size / 1e6:.2f} | {folium_ms:,.0f} | |"
        )
        chromium.close()
    print(
        "| scenario | ladder cold s | warm from disk ms | warm from memory ms | ladder kB | ladder kB gzip "
        "| HTML MB | HTML load ms | slider step p50 / p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
