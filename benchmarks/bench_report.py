"""Benchmark the static map and the width sweep.

Run from the repository root::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_report.py

Prints a Markdown table: time to render one A4 PNG at 300 dpi (target ≤ 5 s)
and to sweep 101 widths, 0–1,000 km every 10 km (target ≤ 30 s), for the
2021-12-17 union-state scenario. The analysis is computed (and cached data
loaded) once before timing the map.
"""

from __future__ import annotations

import time

from zones import Scenario, analyse
from zones.engine.sweep import sweep_table
from zones.report.map_figure import render_map

SCENARIO = Scenario(width_km=300, date="2021-12-17", allies="union-state")


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    analysis = analyse(SCENARIO)
    render_map(analysis, dpi=50)  # warm-up: fonts, data
    map_s, png = timed(render_map, analysis, dpi=300)
    sweep_s, table = timed(sweep_table, SCENARIO, widths_km=range(0, 1001, 10))
    print("| task | time (s) | target (s) | result |")
    print("|---|---:|---:|---|")
    print(f"| render one PNG, A4 at 300 dpi | {map_s:.2f} | 5 | {len(png) / 1e6:.1f} MB |")
    print(f"| sweep 101 widths, 0–1,000 km | {sweep_s:.2f} | 30 | {len(table):,} rows |")


if __name__ == "__main__":
    main()
