"""Is the strip local? The zone of the line near a country, against the whole line's, inside that country.

Run from the repository root::

    python -m benchmarks.bench_subline [--scenario "Scenario(date='2021-12-17')"] [--countries EST FIN]

Issue 26 asked whether the thresholds' exact measures could draw, for each
country, the zone of only the part of the line near it instead of the zone
of the whole line: mathematically ``buffer(L, W) ∩ C = buffer(L', W) ∩ C``
where ``L'`` holds every part of ``L`` within ``W`` of ``C``. This script
draws that zone with everything the strip (:mod:`zones.engine.strip`) can
share with the whole line's: the same frame, scale, spacing and densified
vertices (the whole line's prepared tables), the whole line simplified as
the strip simplifies it, then only its segments within ``W`` (plus a margin)
of the country's boxes buffered by GEOS as the guide, and every guide vertex
snapped to the *whole* line's segments. It therefore reads the strip's
private steps on purpose (the experiment is about them) and is not part of
the package.

For every exact measure that :func:`zones.thresholds` makes (each width and
country its searches ask for), it compares the country's land in the two
zones (:func:`zones.engine.impact.land_pieces`): the same geometry point for
point, the relative difference of the areas, and the time to draw and cut
each; then it computes the thresholds again with every country measured on
its own near zone, and says whether any width moves. Times are of one
process with ``ZONES_WORKERS=0``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from typing import Any

import numpy as np
import shapely

from zones import Scenario
from zones.engine import share_thresholds, strip
from zones.engine.denominators import remote_area_km2, remote_boxes
from zones.engine.impact import _country_arrays as country_arrays
from zones.engine.impact import land_pieces

#: The country's boxes are grown by this much, in degrees, before they are clustered.
BOX_MARGIN_DEG = 1.0
#: Width bands of the summary, in km.
BANDS_KM = ((0, 150), (150, 400), (400, 800), (800, 1300), (1300, 2001))


def near_zone(line: shapely.Geometry, width_km: float, near: shapely.Geometry, *, share: float, margin_m: float) -> Any:
    """Return the zone at ``width_km`` of the segments of ``line`` near ``near``, drawn in the whole line's frame.

    The whole line is simplified as :func:`zones.engine.strip.geodesic_buffer`
    simplifies it; its segments within ``width × scale × (1 + share) +
    margin_m`` (frame metres) of ``near``'s boxes are buffered as the guide,
    with the whole line's spacing; the guide's vertices snap to the whole
    line's segments.
    """
    prep = strip._prepare(shapely.to_wkb(line, output_dimension=2))
    width_m = width_km * 1000.0
    strip._check_reach(prep, width_m)
    planar_m = width_m * prep.scale
    simplified = shapely.simplify(prep.planar, strip._SIMPLIFY_SHARE * planar_m, preserve_topology=False)
    b = shapely.bounds(shapely.get_parts(near))
    grown = shapely.box(
        b[:, 0] - BOX_MARGIN_DEG, b[:, 1] - BOX_MARGIN_DEG, b[:, 2] + BOX_MARGIN_DEG, b[:, 3] + BOX_MARGIN_DEG
    )
    frames = []
    for box in shapely.get_parts(shapely.union_all(grown)):
        lon, lat = shapely.get_coordinates(shapely.segmentize(box, 0.5)).T
        lon = prep.frame.lon0 + np.mod(lon + prep.shift_deg - prep.frame.lon0 + 180.0, 360.0) - 180.0
        frames.append(shapely.Polygon(np.column_stack(prep.frame.project(lon, lat))))
    region = shapely.union_all(frames)
    reach_m = planar_m * (1.0 + share) + margin_m
    kept = []
    for part in shapely.get_parts(simplified):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        near_segments = np.flatnonzero(
            shapely.dwithin(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)), region, reach_m)
        )
        for run in np.split(near_segments, np.flatnonzero(np.diff(near_segments) > 1) + 1):
            if run.size:
                kept.append(shapely.LineString(xy[run[0] : run[-1] + 2]))
    if not kept:
        return shapely.Polygon()
    guide = shapely.buffer(shapely.MultiLineString(kept), planar_m, quad_segs=strip._QUAD_SEGS)
    guide = shapely.segmentize(guide, strip._spacing_m(width_m, prep.lat_max_deg) * prep.scale)
    polygons = []
    for polygon in shapely.get_parts(guide):
        rings = [strip._snap_ring(prep, shapely.get_coordinates(r)[:-1], width_m) for r in shapely.get_rings(polygon)]
        rings = [ring for ring in rings if len(ring) >= 3]
        if rings:
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
    if not polygons:
        return shapely.Polygon()
    zone = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    if not shapely.is_valid(zone):
        parts = shapely.get_parts(shapely.make_valid(zone, method="structure"))
        zone = shapely.union_all(parts[shapely.area(parts) > strip._SLIVER_DEG2])
    return strip._finish(zone, prep.shift_deg)


def main() -> None:
    """Print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scenario", default="Scenario(date='2021-12-17')", help="Python, with Scenario")
    parser.add_argument("--countries", nargs="*", default=None, help="adm0_a3 codes (default: every country)")
    parser.add_argument("--share", type=float, default=0.05, help="reach beyond the width, as a share of it")
    parser.add_argument("--margin-km", type=float, default=20.0, help="reach beyond the width, in km")
    args = parser.parse_args()
    os.environ["ZONES_WORKERS"] = "0"
    scenario = eval(args.scenario, {"Scenario": Scenario})  # the user's own command line
    countries = tuple(args.countries) if args.countries else None
    codes, _names, geoms, _areas = country_arrays()
    near_of: dict[tuple[str, ...], shapely.Geometry] = {}

    def features(code: str) -> tuple[str, ...]:
        found = tuple(sorted(share_thresholds._features(code)))
        if found not in near_of:
            near_of[found] = shapely.union_all(geoms[np.isin(codes, found)])
        return found

    asked: list[tuple[bytes, float, tuple[Any, ...]]] = []
    measure = share_thresholds._measure_width

    def spy(task: tuple[bytes, float, tuple[Any, ...]]) -> list[tuple[float, float]]:
        asked.append(task)
        return measure(task)

    def near_measure(task: tuple[bytes, float, tuple[Any, ...]]) -> list[tuple[float, float]]:
        line_wkb, width_km, hows = task
        others = tuple(h for h in hows if h[0] != "country")
        answers = iter(measure((line_wkb, width_km, others)) if others else [])
        result = []
        for how in hows:
            if how[0] != "country" or width_km <= 0:
                result.append(next(answers) if how[0] != "country" else (0.0, 0.0))
                continue
            code = str(how[1])
            zone = near_zone(
                shapely.from_wkb(line_wkb),
                width_km,
                near_of[features(code)],
                share=args.share,
                margin_m=1e3 * args.margin_km,
            )
            found, area, pieces = land_pieces(zone, features(code))
            whole = float(area.sum())
            stated = whole - float(remote_area_km2(pieces, found).sum()) if remote_boxes(code) else whole
            result.append((stated, whole))
        return result

    tables = []
    for measured_by in (spy, near_measure):
        with tempfile.TemporaryDirectory(prefix="bench-subline-") as cache:
            os.environ["ZONES_CACHE_DIR"] = cache
            for kept in (share_thresholds._thresholds, share_thresholds._ladder, share_thresholds._strip):
                kept.cache_clear()  # both runs cold: ladder, zones and tables
            share_thresholds._measure_width = measured_by  # type: ignore[assignment]
            start = time.perf_counter()
            tables.append(share_thresholds.thresholds(scenario, countries=countries))
            print(f"thresholds measured by {measured_by.__name__}: {time.perf_counter() - start:.1f} s")
    share_thresholds._measure_width = measure
    rows = []
    for line_wkb, width_km, hows in asked:
        line = shapely.from_wkb(line_wkb)
        for how in hows:
            if how[0] != "country" or width_km <= 0:
                continue
            found = features(str(how[1]))
            start = time.perf_counter()
            whole_zone = strip.geodesic_buffer(line, width_km)
            draw_whole = time.perf_counter() - start
            start = time.perf_counter()
            _, area_whole, pieces_whole = land_pieces(whole_zone, found)
            cut_whole = time.perf_counter() - start
            start = time.perf_counter()
            zone = near_zone(line, width_km, near_of[found], share=args.share, margin_m=1e3 * args.margin_km)
            draw_near = time.perf_counter() - start
            start = time.perf_counter()
            _, area_near, pieces_near = land_pieces(zone, found)
            cut_near = time.perf_counter() - start
            same = len(pieces_whole) == len(pieces_near) and all(
                shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), 0.0)
                for a, b in zip(pieces_whole, pieces_near, strict=True)
            )
            a, b = float(area_whole.sum()), float(area_near.sum())
            rows.append((str(how[1]), width_km, a, b, same, draw_whole, cut_whole, draw_near, cut_near))
    print(
        "| width km | measures | same geometry | largest area difference | whole: draw + cut s | near: draw + cut s |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for low, high in BANDS_KM:
        band = [r for r in rows if low <= r[1] < high]
        if not band:
            continue
        worst = max(abs(r[2] - r[3]) / r[2] if r[2] > 0 else float(r[3] > 0) for r in band)
        print(
            f"| {low:,}–{high - 1:,} | {len(band)} | {sum(r[4] for r in band)} | {worst:.1e} | "
            f"{sum(r[5] + r[6] for r in band):.2f} | {sum(r[7] + r[8] for r in band):.2f} |"
        )
    differ = [r for r in rows if not r[4]]
    print(f"geometry differs in {len(differ)} of {len(rows)} measures; median draw whole/near ", end="")
    print(f"{statistics.median(r[5] for r in rows) * 1e3:.1f} / {statistics.median(r[7] for r in rows) * 1e3:.1f} ms")
    for r in sorted(differ, key=lambda r: -abs(r[2] - r[3]) / max(r[2], 1e-300))[:5]:
        print(f"  {r[0]} at {r[1]} km: {r[2]!r} km² whole, {r[3]!r} km² near")
    first, second = tables
    moved = (first["width_km"].fillna(-1) != second["width_km"].fillna(-1)) | (
        first["width_whole_km"].fillna(-1) != second["width_whole_km"].fillna(-1)
    )
    same_table = first.equals(second)
    print(f"thresholds: {len(first)} rows, {int(moved.sum())} widths move; tables identical: {same_table}")


if __name__ == "__main__":
    main()
