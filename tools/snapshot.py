"""Fingerprint the outputs of a fixed set of scenarios, to prove a refactor changes no number.

Every scenario is analysed and its exports (affected countries, regions, zone, cities
and contact line as GeoJSON, totals as CSV) are hashed byte for byte. Run it before
and after a change and compare::

    .venv/bin/python -m tools.snapshot --out /tmp/before.json      # on the old commit
    .venv/bin/python -m tools.snapshot --compare /tmp/before.json  # on the new one

``--compare`` exits with 1 and names every scenario and output that differs.

Where bytes differ, ``--dump DIR`` (with ``--out`` or ``--compare``) keeps the outputs
themselves, and ``--measure OLD_DIR NEW_DIR`` says by how much they differ: the
largest relative difference of any number, whether every label is the same, and
the largest shift of any geometry (Hausdorff distance, in degrees)::

    .venv/bin/python -m tools.snapshot --measure /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zones import Scenario, analyse
from zones.export import affected_frame, cities_frame, csv_bytes, geojson_bytes, regions_frame, strip_frame

DATES = ("1997-05-27", "2004-03-29", "2021-12-17", "2024-03-07")
ALLIES = ("union-state", "csto")
#: Date of the custom sides' scenarios (it is exported with them): the day the first baseline was made.
CUSTOM_DATE = "2026-11-29"
WIDTHS_KM = (0.0, 12.5, 37.5, 150.0, 300.0, 500.0, 800.0, 1200.0)


def scenarios() -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield 81 named scenarios: symmetric, per side, clipped, sea borders and custom sides."""
    for date, allies, width_km in itertools.product(DATES, ALLIES, WIDTHS_KM):
        options: dict[str, Any] = {"width_km": width_km, "date": dt.date.fromisoformat(date), "allies": allies}
        yield f"{date} {allies} {width_km:g} km", options
    for date, (russia_km, nato_km) in itertools.product(DATES[2:], ((100.0, 300.0), (450.0, 25.0))):
        options = {"width_km": nato_km, "russia_width_km": russia_km, "nato_width_km": nato_km, "date": date}
        yield f"{date} per side {russia_km:g}/{nato_km:g} km", options
    for date, width_km in itertools.product(DATES[1:], (120.0, 500.0)):
        yield f"{date} clipped {width_km:g} km", {"width_km": width_km, "date": date, "clip": True}
    for date, width_km in itertools.product(DATES[2:], (60.0, 300.0)):
        yield f"{date} sea borders {width_km:g} km", {"width_km": width_km, "date": date, "sea_borders": True}
    for clip in (False, True):
        options = {"width_km": 250.0, "date": CUSTOM_DATE, "russia_side": ("RUS",), "nato_side": ("FIN", "NOR", "EST")}
        options["clip"] = clip
        yield f"custom RUS vs FIN+NOR+EST clip={clip}", options
    options = {"width_km": 200.0, "date": "2024-03-07", "russia_width_km": 50.0, "clip": True, "sea_borders": True}
    yield "2024-03-07 per side clipped sea borders", options


def exports(options: dict[str, Any]) -> dict[str, bytes]:
    """Return every export of one scenario, by name."""
    analysis = analyse(Scenario(**options))
    return {
        "affected": geojson_bytes(affected_frame(analysis)),
        "regions": geojson_bytes(regions_frame(analysis)),
        "strip": geojson_bytes(strip_frame(analysis)),
        "cities": geojson_bytes(cities_frame(analysis)),
        "contact": geojson_bytes(analysis.contact),
        "totals": csv_bytes(analysis.totals),
    }


def _file_name(scenario: str, output: str) -> str:
    """Return a file name for one output of one scenario."""
    suffix = ".csv" if output == "totals" else ".geojson"
    return re.sub(r"[^A-Za-z0-9.=+-]+", "_", f"{scenario} {output}") + suffix


def _relative_difference(old: pd.Series, new: pd.Series) -> float:
    """Return the largest ``|new - old| / max(|old|, 1e-9)`` of two numeric columns (inf if NaNs differ)."""
    a, b = old.to_numpy(dtype=float), new.to_numpy(dtype=float)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return float("inf")
    keep = ~np.isnan(a)
    return float((np.abs(b[keep] - a[keep]) / np.maximum(np.abs(a[keep]), 1e-9)).max(initial=0.0))


def measure(old_dir: Path, new_dir: Path) -> pd.DataFrame:
    """Compare two dumps output by output; return one row per kind of output.

    Columns: ``files``, ``identical`` (byte for byte), ``labels_equal`` (every
    non-numeric value and the row count), ``max_relative_difference`` of any
    number and ``max_shift_deg``, the largest Hausdorff distance between a
    geometry and its counterpart.
    """
    rows: dict[str, dict[str, Any]] = {}
    for old_path in sorted(old_dir.iterdir()):
        new_path = new_dir / old_path.name
        kind = old_path.stem.rsplit("_", 1)[-1]
        empty = {"files": 0, "identical": 0, "labels_equal": True, "max_relative_difference": 0.0}
        row = rows.setdefault(kind, empty | {"max_shift_deg": 0.0})
        row["files"] += 1
        if new_path.read_bytes() == old_path.read_bytes():
            row["identical"] += 1
            continue
        read = pd.read_csv if old_path.suffix == ".csv" else gpd.read_file
        old, new = read(old_path), read(new_path)
        if len(old) != len(new) or list(old.columns) != list(new.columns):
            row["labels_equal"] = False
            continue
        for column in old.columns:
            if column == "geometry":
                shift = shapely.hausdorff_distance(old.geometry.to_numpy(), new.geometry.to_numpy())
                row["max_shift_deg"] = max(row["max_shift_deg"], float(np.nanmax(shift, initial=0.0)))
            elif pd.api.types.is_numeric_dtype(old[column]) and pd.api.types.is_numeric_dtype(new[column]):
                difference = _relative_difference(old[column], new[column])
                row["max_relative_difference"] = max(row["max_relative_difference"], difference)
            elif not old[column].equals(new[column]):
                row["labels_equal"] = False
    return pd.DataFrame.from_dict(rows, orient="index")


def main(argv: list[str] | None = None) -> int:
    """Write or compare the fingerprints; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the fingerprints to this JSON file")
    group.add_argument("--compare", type=Path, help="compare with fingerprints written by --out")
    group.add_argument("--measure", type=Path, nargs=2, metavar=("OLD_DIR", "NEW_DIR"), help="compare two dumps")
    parser.add_argument("--dump", type=Path, help="also write every output into this (new) folder")
    args = parser.parse_args(argv)
    if args.measure:
        print(measure(*args.measure).to_string())
        return 0
    if args.dump:
        args.dump.mkdir(parents=True)
    prints = {}
    for name, options in scenarios():
        outputs = exports(options)
        prints[name] = {output: hashlib.sha256(data).hexdigest() for output, data in outputs.items()}
        if args.dump:
            for output, data in outputs.items():
                (args.dump / _file_name(name, output)).write_bytes(data)
        print(name, file=sys.stderr)
    if args.out:
        args.out.write_text(json.dumps(prints, indent=1, sort_keys=True))
        print(f"{len(prints)} scenarios fingerprinted into {args.out}")
        return 0
    before = json.loads(args.compare.read_text())
    differ = [
        f"{name}: {output}"
        for name in sorted(set(before) | set(prints))
        for output in sorted(set(before.get(name, {})) | set(prints.get(name, {})))
        if before.get(name, {}).get(output) != prints.get(name, {}).get(output)
    ]
    print("\n".join(differ) or f"all {len(prints)} scenarios identical ({len(prints) * 6} outputs)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
