"""Benchmark ``zones.analyse`` against a naive planar GeoPandas pipeline, side by side.

Run from the repository root::

    python -m benchmarks.bench_analyse [--revisions f969dcc] [--repeats 7]

For each width W it prints the median wall time of a *new* width (W plus a
small offset per repeat, so no cache answers) for

* ``analyse``: geodesic strip + affected countries (geodesic areas, shares,
  people) + affected admin-1 regions + cities in the strip with their
  distances; and the same without the regions (``regions=False``, the
  analysis as it was before regions existed: goal ≤ 1.3× with them), and
* the naive pipeline most notebooks use: ``to_crs(3035).buffer(W)``, then
  ``geopandas.overlay`` with the countries, planar areas in EPSG:3035, and a
  spatial join with the cities,

both for the working tree and for each older revision (default: f969dcc, the
code of issue 26), each in a worker process of its own
(:mod:`benchmarks.revisions`), asked in turn repeat by repeat so that all see
the same load; each with the largest error of the strip's edge against the independent oracle
(``tests/oracle.py``: exact WGS84 geodesic distance to the line densified to
0.5 km), as a share of W. It also times the first call in a fresh Python
process, imports and data loading included. The last columns give the median
CPU time of ``analyse`` (regions included) in each worker: on a shared machine
the wall times of one run move with the other jobs, the CPU times far less.
``analyse`` lends the regions' work to a helper thread
(:func:`zones.engine.cores.helper_thread`), so its wall time can be below its
CPU time; ``--serial`` also times the working tree with ``ZONES_WORKERS=0``
(one thread), and each row ends with the load average (1 minute) after it:
the helper thread gains only while the machine has a core to spare.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from benchmarks.revisions import WORKTREE, Worker, short, workers
from tests.oracle import edge_error_m
from zones.engine.cities import load_cities
from zones.engine.contact import contact_line, merged_line

WIDTHS_KM = (10, 50, 100, 300, 500, 1000)
REPEATS = 7
REVISIONS = ("f969dcc",)
DATE = "2021-12-17"
FIRST_CALL = (
    "import time; t = time.perf_counter(); from zones import Scenario, analyse; "
    f"analyse(Scenario(width_km=300, date='{DATE}')); print(time.perf_counter() - t)"
)


def naive(line: shapely.Geometry, width_km: float, countries: gpd.GeoDataFrame, cities: gpd.GeoDataFrame):
    """Planar buffer in EPSG:3035, overlay, planar areas and a spatial join."""
    strip = gpd.GeoDataFrame(geometry=[line], crs=4326).to_crs(3035).buffer(width_km * 1000)
    strip_frame = gpd.GeoDataFrame(geometry=strip, crs=3035)
    pieces = gpd.overlay(countries, strip_frame, how="intersection")
    share = pieces.area.to_numpy() / countries.set_index("adm0_a3").loc[pieces["adm0_a3"]].area.to_numpy()
    inside = gpd.sjoin(cities, strip_frame, predicate="within")
    return strip.to_crs(4326).iloc[0], share, inside


def max_error_m(strip: shapely.Geometry, line: shapely.Geometry, width_km: float) -> float:
    """Largest |distance − W| over the strip's edge, in metres, by the oracle."""
    return float(np.abs(edge_error_m(strip, line, width_km)).max())


@contextlib.contextmanager
def serial_worker(wanted: bool) -> Iterator[list[Worker]]:
    """The working tree with ``ZONES_WORKERS=0`` (no helper thread), if ``wanted``."""
    if not wanted:
        yield []
        return
    before = os.environ.get("ZONES_WORKERS")
    os.environ["ZONES_WORKERS"] = "0"
    try:
        worker = Worker(WORKTREE, Path.cwd())
    finally:
        if before is None:
            del os.environ["ZONES_WORKERS"]
        else:
            os.environ["ZONES_WORKERS"] = before
    try:
        yield [worker]
    finally:
        worker.close()


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--revisions", nargs="*", default=list(REVISIONS), help="git revisions to time beside")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--widths", type=float, nargs="*", default=list(WIDTHS_KM))
    parser.add_argument("--serial", action="store_true", help="also time the working tree with ZONES_WORKERS=0")
    args = parser.parse_args()
    revisions, repeats, widths = tuple(args.revisions), args.repeats, args.widths
    first = sorted(
        float(subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    )
    line = merged_line(contact_line(DATE))
    countries_3035 = gpd.read_parquet("geodata/countries.parquet")[["adm0_a3", "geometry"]].to_crs(3035)
    countries_3035 = countries_3035[countries_3035.intersects(shapely.box(2e6, 1e6, 8e6, 6e6))]
    cities_3035 = load_cities().to_crs(3035)
    print(f"contact line on {DATE} (union-state): {shapely.get_num_coordinates(line)} vertices; median of {repeats}")
    print(f"first call in a fresh process (imports + data + analyse at 300 km): median {first[1]:.2f} s")
    print("each revision in its own process, asked in turn; the machine's load is shared alike")
    print()
    print("target: edge error within max(0.1 % of W, 50 m); ≤ 50 ms per new width (issue 26); ≥ 4× faster than naive")
    print()
    names = [short(r) for r in revisions] + [WORKTREE] + (["one thread"] if args.serial else [])
    head = " | ".join(f"{n} ms" for n in names)
    bare_head = " | ".join(f"{n} without regions ms" for n in names)
    me = len(revisions)  # the working tree's place; the ratios are of it to each other
    others = [i for i in range(len(names)) if i != me]
    ratio = " | ".join(f"÷ {names[i]}" for i in others)
    cpu_head = " | ".join(f"{n} CPU ms" for n in names)
    cpu_ratio = " | ".join(f"CPU ÷ {names[i]}" for i in others)
    parts = ["W km", head, ratio, bare_head, "regions cost", "edge error", "within target", "naive 3035 ms"]
    print("| " + " | ".join(part for part in (*parts, cpu_head, cpu_ratio, "load") if part) + " |")  # no ratios alone
    print("|---:" * (3 * len(names) + 2) + "|:---:|---:" + "|---:" * (2 * len(names)) + "|")
    with workers((*revisions, WORKTREE)) as pool, serial_worker(args.serial) as serial:
        pool = [*pool, *serial]
        for worker in pool:  # the width-free caches, as the app fills them once per line
            worker.ask("analyse", width_km=1.0, date=DATE, regions=True)
        for width_km in widths:
            ours: list[list[float]] = [[] for _ in pool]
            bare: list[list[float]] = [[] for _ in pool]
            cpu: list[list[float]] = [[] for _ in pool]
            theirs = []
            for k in range(repeats):
                w = width_km + 0.013 * (k + 1)
                order = list(range(len(pool)))
                order = order[k % len(order) :] + order[: k % len(order)]  # who goes first rotates
                for i in order:
                    answer = pool[i].ask("analyse", width_km=w, date=DATE, regions=True)
                    ours[i].append(float(answer["ms"]))  # type: ignore[arg-type]
                    cpu[i].append(float(answer["cpu_ms"]))  # type: ignore[arg-type]
                for i in order:
                    answer = pool[i].ask("analyse", width_km=w + 0.0047, date=DATE, regions=False)
                    bare[i].append(float(answer["ms"]))  # type: ignore[arg-type]
                t0 = time.perf_counter()
                naive(line, w, countries_3035, cities_3035)
                theirs.append(1000 * (time.perf_counter() - t0))
            ours_ms = [statistics.median(t) for t in ours]
            bare_ms = [statistics.median(t) for t in bare]
            wkb = str(pool[me].ask("analyse", width_km=width_km, date=DATE, regions=False, shape=True)["wkb"])
            err = max_error_m(shapely.from_wkb(bytes.fromhex(wkb)), line, width_km)
            ok = "yes" if err <= max(0.001 * width_km * 1000, 50.0) else "NO"
            cells = [f"{m:.0f}" for m in ours_ms] + [f"{ours_ms[me] / ours_ms[i]:.2f}" for i in others]
            cells += [f"{m:.0f}" for m in bare_ms]
            cells += [f"{ours_ms[me] / bare_ms[me]:.2f}×", f"{err:,.0f} m ({err / width_km / 10:.3f} %)", ok]
            cells.append(f"{statistics.median(theirs):.0f}")
            cpu_ms = [statistics.median(t) for t in cpu]
            cells += [f"{m:.1f}" for m in cpu_ms] + [f"{cpu_ms[me] / cpu_ms[i]:.2f}" for i in others]
            cells.append(f"{os.getloadavg()[0]:.1f}")
            print(f"| {width_km:,g} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
