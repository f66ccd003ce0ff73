"""Benchmark the geodesic strip of the working tree against older revisions and a planar buffer, in one run.

Run from the repository root::

    python -m benchmarks.bench_strip [--revisions f969dcc e7df32a] [--repeats 15]

For each width it prints the median time of :func:`zones.engine.strip.geodesic_buffer`
for a new width (a tiny random offset per repeat, so no cache can answer) in
the working tree and in each revision (default: f969dcc, the code of issue 26,
and e7df32a, the hand-written frame and box query before ``query_nearest``),
each in a worker process of its own (:mod:`benchmarks.revisions`), asked in
turn repeat by repeat so that all see the same load; then the largest edge
error of each against the independent oracle in ``tests/oracle.py``, and the
same for ``GeoSeries.to_crs(3035).buffer(...)``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import numpy as np
import shapely

from benchmarks.revisions import WORKTREE, short, workers
from tests.oracle import edge_error_m
from zones.engine.contact import contact_line as _contact_line
from zones.engine.contact import merged_line

DATE = "2023-04-04"  # Finland joins: the 9-pair, 3,250 km line
WIDTHS_KM = (10, 50, 100, 300, 500, 1000)
REPEATS = 15
REVISIONS = ("f969dcc", "e7df32a")


def contact_line() -> shapely.MultiLineString:
    """Return the merged Russia/Belarus–NATO land border on :data:`DATE`."""
    return merged_line(_contact_line(DATE))


def planar_3035(line: shapely.Geometry, width_km: float) -> shapely.Geometry:
    series = gpd.GeoSeries([line], crs="EPSG:4326").to_crs(3035)
    return series.buffer(width_km * 1000.0).to_crs(4326).iloc[0]


def max_error_m(strip: shapely.Geometry, line: shapely.Geometry, width_km: float) -> float:
    return float(np.max(np.abs(edge_error_m(strip, line, width_km))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--revisions", nargs="*", default=list(REVISIONS), help="git revisions to time beside")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--widths", type=float, nargs="*", default=list(WIDTHS_KM))
    args = parser.parse_args()
    line = contact_line()
    rng = np.random.default_rng(7)
    names = [short(r) for r in args.revisions] + [WORKTREE]
    with workers((*args.revisions, WORKTREE)) as pool:
        for worker in pool:
            worker.ask("line", wkb=shapely.to_wkb(line).hex())
        print(f"contact line: {shapely.get_num_coordinates(line)} vertices, {args.repeats} repeats, median ms")
        print("each revision in its own process, asked in turn; the machine's load is shared alike\n")
        head = " | ".join(f"{n} ms" for n in names)
        ratio = " | ".join(f"÷ {n}" for n in names[:-1])
        errors = " | ".join(f"{n} error" for n in names)
        print(f"| W km | {head} | {ratio} | {errors} | bound | EPSG:3035 ms | EPSG:3035 error |")
        print("|---:" * (3 * len(names) + 3) + "|")
        for width_km in args.widths:
            times: list[list[float]] = [[] for _ in pool]
            planar: list[float] = []
            for k in range(args.repeats):
                width = width_km + float(rng.uniform(0.0, 1e-3))
                order = list(range(len(pool)))
                order = order[k % len(order) :] + order[: k % len(order)]  # who goes first rotates
                for i in order:
                    times[i].append(float(pool[i].ask("strip", width_km=width)["ms"]))  # type: ignore[arg-type]
                start = time.perf_counter()
                planar_3035(line, width)
                planar.append(1000.0 * (time.perf_counter() - start))
            medians = [statistics.median(t) for t in times]
            errs = []
            for worker in pool:
                wkb = str(worker.ask("strip", width_km=width_km, shape=True)["wkb"])
                errs.append(max_error_m(shapely.from_wkb(bytes.fromhex(wkb)), line, width_km))
            planar_err = max_error_m(planar_3035(line, width_km), line, width_km)
            bound = max(0.001 * width_km * 1000.0, 50.0)
            cells = [f"{m:.1f}" for m in medians]
            cells += [f"{medians[-1] / m:.2f}" for m in medians[:-1]]
            cells += [f"{e:,.0f} m ({e / width_km / 10:.3f} %)" for e in errs]
            cells += [f"{bound:,.0f} m", f"{statistics.median(planar):.1f}", f"{planar_err / 1000:,.1f} km"]
            print(f"| {width_km:,g} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
