"""Benchmark the geodesic strip against a planar GeoPandas buffer in EPSG:3035.

Run from the repository root::

    python -m benchmarks.bench_strip

For each width it prints the median time of :func:`zones.strip.geodesic_buffer`
for a new width (a tiny random offset per repeat, so no cache can answer) and
its largest edge error against the independent oracle in ``tests/oracle.py``,
then the same for ``GeoSeries.to_crs(3035).buffer(...)``.
"""

from __future__ import annotations

import statistics
import time

import geopandas as gpd
import numpy as np
import shapely

from tests.oracle import edge_error_m
from zones.contact import contact_line as _contact_line
from zones.contact import merged_line
from zones.strip import geodesic_buffer

DATE = "2023-04-04"  # Finland joins: the 9-pair, 3,250 km line
WIDTHS_KM = (10, 50, 100, 300, 500, 1000)
REPEATS = 15


def contact_line() -> shapely.MultiLineString:
    """Return the merged Russia/Belarus–NATO land border on :data:`DATE`."""
    return merged_line(_contact_line(DATE))


def planar_3035(line: shapely.Geometry, width_km: float) -> shapely.Geometry:
    series = gpd.GeoSeries([line], crs="EPSG:4326").to_crs(3035)
    return series.buffer(width_km * 1000.0).to_crs(4326).iloc[0]


def median_ms(func, line, width_km: float, rng: np.random.Generator) -> float:
    times = []
    for _ in range(REPEATS):
        width = width_km + float(rng.uniform(0.0, 1e-3))
        start = time.perf_counter()
        func(line, width)
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def max_error_pct(strip: shapely.Geometry, line: shapely.Geometry, width_km: float) -> float:
    return 100.0 * float(np.max(np.abs(edge_error_m(strip, line, width_km)))) / (width_km * 1000.0)


def main() -> None:
    line = contact_line()
    rng = np.random.default_rng(7)
    geodesic = lambda ln, w: geodesic_buffer(ln, distance_km=w)  # noqa: E731
    geodesic(line, 1.0)  # warm the width-free cache, as the app does once per line
    print(f"contact line: {shapely.get_num_coordinates(line)} vertices, {REPEATS} repeats, median")
    print(f"{'W km':>6} | {'geodesic ms':>11} | {'max err %':>9} | {'EPSG:3035 ms':>12} | {'max err %':>9}")
    print(f"{'-' * 6}-+-{'-' * 11}-+-{'-' * 9}-+-{'-' * 12}-+-{'-' * 9}")
    for width_km in WIDTHS_KM:
        ms = median_ms(geodesic, line, width_km, rng)
        err = max_error_pct(geodesic(line, width_km), line, width_km)
        planar_ms = median_ms(planar_3035, line, width_km, rng)
        planar_err = max_error_pct(planar_3035(line, width_km), line, width_km)
        print(f"{width_km:>6} | {ms:>11.1f} | {err:>9.3f} | {planar_ms:>12.1f} | {planar_err:>9.3f}", flush=True)


if __name__ == "__main__":
    main()
