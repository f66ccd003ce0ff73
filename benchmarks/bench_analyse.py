"""Benchmark ``zones.analyse`` against a naive planar GeoPandas pipeline, side by side.

Run from the repository root::

    python -m benchmarks.bench_analyse

For each width W it prints the median wall time of a *new* width (W plus a
small offset per repeat, so no cache answers) for

* ``analyse``: geodesic strip + affected countries (geodesic areas, shares,
  people) + affected admin-1 regions + cities in the strip with their
  distances; and the same without the regions (``regions=False``, the
  analysis as it was before regions existed: goal ≤ 1.3× with them), and
* the naive pipeline most notebooks use: ``to_crs(3035).buffer(W)``, then
  ``geopandas.overlay`` with the countries, planar areas in EPSG:3035, and a
  spatial join with the cities,

each with the largest error of the strip's edge against the independent oracle
(``tests/oracle.py``: exact WGS84 geodesic distance to the line densified to
0.5 km), as a share of W. It also times the first call in a fresh Python
process, imports and data loading included.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import geopandas as gpd
import numpy as np
import shapely

from tests.oracle import edge_error_m
from zones import Scenario, analyse
from zones.cities import load_cities
from zones.contact import contact_line, merged_line

WIDTHS_KM = (10, 50, 100, 300, 500, 1000)
REPEATS = 7
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


def main() -> None:
    """Print the benchmark table."""
    first = sorted(
        float(subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    )
    line = merged_line(contact_line(DATE))
    countries_3035 = gpd.read_parquet("geodata/countries.parquet")[["adm0_a3", "geometry"]].to_crs(3035)
    countries_3035 = countries_3035[countries_3035.intersects(shapely.box(2e6, 1e6, 8e6, 6e6))]
    cities_3035 = load_cities().to_crs(3035)
    analyse(Scenario(width_km=1, date=DATE))  # warm the caches that do not depend on the width

    print(f"contact line on {DATE} (union-state): {shapely.get_num_coordinates(line)} vertices; median of {REPEATS}")
    print(f"first call in a fresh process (imports + data + analyse at 300 km): median {first[1]:.2f} s")
    print()
    print("target: edge error within max(0.1 % of W, 50 m); ≤ 100 ms per new width; ≥ 4× faster than naive")
    print()
    print(
        "| W km | analyse ms | without regions ms | regions cost | edge error | within target "
        "| naive 3035 ms | edge error | speed-up |"
    )
    print("|---:|---:|---:|---:|---:|:---:|---:|---:|---:|")
    for width_km in WIDTHS_KM:
        ours, bare, theirs = [], [], []
        for k in range(REPEATS):
            w = width_km + 0.013 * (k + 1)
            t0 = time.perf_counter()
            result = analyse(Scenario(width_km=w, date=DATE))
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            analyse(Scenario(width_km=w + 0.0047, date=DATE), regions=False)
            bare.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            naive_strip, _, _ = naive(line, w, countries_3035, cities_3035)
            theirs.append(time.perf_counter() - t0)
        ours_ms, theirs_ms = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
        bare_ms = statistics.median(bare) * 1000
        err_ours, err_naive = max_error_m(result.zone, line, w), max_error_m(naive_strip, line, w)
        ok = "yes" if err_ours <= max(0.001 * w * 1000, 50.0) else "NO"
        print(
            f"| {width_km:,} | {ours_ms:.0f} | {bare_ms:.0f} | {ours_ms / bare_ms:.2f}× "
            f"| {err_ours:,.0f} m ({err_ours / w / 10:.3f} %) | {ok} "
            f"| {theirs_ms:.0f} | {err_naive / 1000:,.1f} km ({err_naive / w / 10:.2f} %) "
            f"| {theirs_ms / ours_ms:.1f}× |"
        )


if __name__ == "__main__":
    main()
