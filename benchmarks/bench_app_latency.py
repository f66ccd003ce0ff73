"""Slider-to-map latency of the app in real Chromium, side by side with a bare st_folium page.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_app_latency            # 20 steps each
    .venv/bin/python -m benchmarks.bench_app_latency --steps 40

For each page (the app, then a baseline: a tiny Streamlit script with one
slider and ``st_folium`` drawing a single circle, written to a temporary
folder), a ``streamlit run`` server starts on a free loopback port and
Chromium opens it with every non-loopback request refused. Each step
focuses the slider and presses ArrowRight; the latency is the time from the
key press until the ``d`` attribute of the zone's SVG path inside the map's
iframe changes (seen by a MutationObserver, so waiting costs no CPU). Bytes per step
are the sizes of the websocket frames the page receives during that step,
until Streamlit reports the run finished. Prints p50, p95 and kB per step.

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
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import browser  # noqa: E402

BASELINE_APP = textwrap.dedent(
    '''
    """Baseline: one slider, st_folium with a fixed base map and one changing circle."""
    import sys

    import folium
    import streamlit as st

    sys.path.insert(0, {repo!r})
    from zones.web import runtime_files
    from zones.web.leaflet_offline import install_static, use_local_leaflet

    if __name__ == "__main__":  # a run: Leaflet served from the cache folder, as the app's (app.py)
        from streamlit_folium import st_folium

        install_static(runtime_files.files_dir())
        width_km = st.slider("Width", 0, 1000, 100, step=10, format="%d km")
        m = use_local_leaflet(folium.Map(location=[57, 31], zoom_start=4, tiles=None))
        group = folium.FeatureGroup(name="zone")
        folium.Circle([55.0, 28.0], radius=max(width_km, 1) * 1000, class_name="zone-strip").add_to(group)
        st_folium(m, key="map", height=580, use_container_width=True, feature_group_to_add=group, returned_objects=[])
    else:  # imported by the server, which serves the cache folder's files at app/files/
        app = st.App(__file__, routes=runtime_files.routes(st.get_option("server.baseUrlPath")))
    '''
)


@dataclass
class Result:
    """Latencies in ms and bytes received per step."""

    name: str
    latency_ms: list[float]
    bytes_per_step: list[int]

    def row(self) -> str:
        """Return one Markdown table row."""
        lat = sorted(self.latency_ms)
        p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
        return (
            f"| {self.name} | {len(lat)} | {statistics.median(lat):,.0f} | {p95:,.0f} | {max(lat):,.0f} | "
            f"{statistics.median(self.bytes_per_step) / 1000:,.1f} | {max(self.bytes_per_step) / 1000:,.1f} |"
        )


def measure(chromium: Browser, script: Path, name: str, steps: int) -> Result:
    """Open ``script`` in a fresh server and browser context; time ``steps`` slider steps."""
    with browser.streamlit_server(script) as server:
        context, offline = browser.offline_context(chromium)
        page = context.new_page()
        sizes = browser.frame_sizes(page)
        frame = browser.open_app(page, server.url)
        latency_ms: list[float] = []
        per_step: list[int] = []
        for _ in range(steps):
            first = len(sizes)
            latency_ms.append(browser.timed_step(page, frame))
            browser.wait_idle(page)
            time.sleep(0.15)  # late frames (the run-finished message) still count for this step
            per_step.append(sum(sizes[first:]))
        context.close()
        if offline.blocked:
            raise RuntimeError(f"requests left loopback: {offline.blocked}")
    return Result(name, latency_ms, per_step)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="slider steps per page (default: %(default)s)")
    args = parser.parse_args()
    os.environ.setdefault("ZONES_LIVE_SLIDER", "0")  # the server's path: see the module's docstring
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        baseline = Path(folder) / "baseline_app.py"
        baseline.write_text(BASELINE_APP.format(repo=str(REPO)))
        chromium = browser.launch_chromium(playwright)
        results = [
            measure(chromium, REPO / "app.py", "app.py", args.steps),
            measure(chromium, baseline, "baseline (bare st_folium)", args.steps),
        ]
        chromium.close()
    print("| page | steps | p50 ms | p95 ms | max ms | kB/step (median) | kB/step (max) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
