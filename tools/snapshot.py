"""Fingerprint the outputs of a fixed set of scenarios, to prove a refactor changes no number.

Every scenario is analysed and its exports (affected countries, regions, zone, cities
and contact line as GeoJSON, totals as CSV) are fingerprinted: the text of every label
(names, codes, sides, dates, the static data's figures) exactly, and the numbers that are
measured (areas, shares, people, lengths, each shape's extent and size) to within
:data:`RELATIVE_TOLERANCE` and an absolute tolerance by unit (:func:`tolerance`). Bytes
would not do: CPUs' maths libraries differ in the last bits (numpy takes Intel's SVML
routines for ``sin`` and ``cos`` on CPUs with AVX-512, glibc's elsewhere), and the strip's
choice of vertices follows those bits, moving an area by up to 4e-7 of itself. The
fingerprints of the code as it is are committed in :data:`FINGERPRINTS`, which
``tests/test_snapshot.py`` compares on every test run. Run it before and after a change
and compare::

    .venv/bin/python -m tools.snapshot --out /tmp/before.json.gz  # on the old commit
    .venv/bin/python -m tools.snapshot --compare /tmp/before.json.gz  # on the new one

``--compare`` exits with 1 and names every scenario, output and number that differs by
more than its tolerance. When a change of numbers is meant, measure it, then write the
committed file again with ``--out tests/fingerprints.json.gz`` (no test writes it).

Where outputs differ, ``--dump DIR`` (with ``--out`` or ``--compare``) keeps the outputs
themselves, and ``--measure OLD_DIR NEW_DIR`` says by how much they differ: the
largest relative difference of any number, whether every label is the same, and
the largest shift of any geometry (Hausdorff distance, in degrees)::

    .venv/bin/python -m tools.snapshot --measure /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import itertools
import json
import re
import sys
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from zones import Scenario, analyse
from zones.export import (
    CSV_FLOAT_FORMAT,
    affected_frame,
    cities_frame,
    csv_bytes,
    geojson_bytes,
    regions_frame,
    strip_frame,
)

DATES = ("1997-05-27", "2004-03-29", "2021-12-17", "2024-03-07")
ALLIES = ("union-state", "csto")
#: Date of the custom sides' scenarios (it is exported with them): the day the first baseline was made.
CUSTOM_DATE = "2026-11-29"
WIDTHS_KM = (0.0, 12.5, 37.5, 150.0, 300.0, 500.0, 800.0, 1200.0)
#: The committed fingerprints of every export of :func:`scenarios` (``--out`` writes it; gzip-compressed JSON).
FINGERPRINTS: Final = Path(__file__).resolve().parents[1] / "tests" / "fingerprints.json.gz"
#: The measured numbers of each export, compared within tolerances; every other field is a label, compared
#: exactly (the static data's figures, such as a region's whole area or a city's distance to the line, which
#: pyproj computes from the data alone, are labels). Polygons and lines also give their extent and size.
MEASURES: Final = {
    "affected": frozenset({"area_km2", "share", "share_whole_country", "population"}),
    "regions": frozenset({"area_km2", "share", "population"}),
    "strip": frozenset({"area_km2"}),
    "cities": frozenset(),
    "contact": frozenset({"length_km"}),
    "totals": frozenset({"area_km2", "population", "share"}),
}
#: The exports whose shapes are fingerprinted (a region's piece is its area's, measured already).
SHAPES: Final = frozenset({"affected", "strip", "contact"})
#: Tolerance of every number, as a share of it.
RELATIVE_TOLERANCE: Final = 1e-6
#: Absolute tolerance by the end of a field's name (its unit), else :data:`DEFAULT_ABSOLUTE_TOLERANCE`.
ABSOLUTE_TOLERANCE: Final = (("_km2", 0.01), ("_km", 0.001), ("population", 1.0), ("deg", 1e-5))
DEFAULT_ABSOLUTE_TOLERANCE: Final = 1e-6
#: Significant digits kept of each fingerprinted number: well below the tolerances.
DIGITS: Final = 9
#: Significant digits of the CSV's numbers (:data:`zones.export.CSV_FLOAT_FORMAT`).
CSV_SIGNIFICANT_DIGITS: Final = int(CSV_FLOAT_FORMAT.strip("%.g"))
#: The exports written as CSV (:func:`exports`); the others are GeoJSON.
CSV_OUTPUTS: Final = frozenset({"totals"})


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


def _number(value: Any) -> Decimal | None:
    """Return ``value`` as a finite decimal as printed, or ``None`` if it is no number."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, str)):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _kept(number: Decimal) -> str:
    """Return ``number`` as text, rounded to :data:`DIGITS` significant digits if it has more."""
    if number and len(number.as_tuple().digits) > DIGITS:
        number = round(number, DIGITS - 1 - number.adjusted())
    return str(number)


def _records(output: str, data: bytes) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Yield each row of an export as ``(fields, GeoJSON geometry or None)``, numbers as printed (decimals)."""
    if output in CSV_OUTPUTS:
        for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
            yield dict(row), None
        return
    for feature in json.loads(data, parse_float=Decimal, parse_int=Decimal)["features"]:
        yield feature["properties"], feature["geometry"]


def fingerprint(output: str, data: bytes) -> dict[str, Any]:
    """Return the fingerprint of one export (``output`` names it: a key of :data:`MEASURES`).

    The rows are sorted by their labels' text, so that two rows whose measured
    order is a near tie may swap. ``labels`` is the SHA-256 of that text (field
    names in order, and every label's value); ``numbers`` holds each measured
    field's values in that order, ``shape_deg`` each row's extent and area
    (or length) in degrees.
    """
    lines, numbers, shapes = [], [], []
    for fields, geometry in _records(output, data):
        text, measured = [], {}
        for name, value in fields.items():
            number = _number(value) if name in MEASURES[output] else None
            if number is None:
                text.append(f"{name}={value}")
            else:
                text.append(name)
                measured[name] = number
        lines.append("\x1f".join(text))
        numbers.append(measured)
        if output in SHAPES:  # a row without a shape has no extent: an empty list
            shape = shapely.from_geojson(json.dumps(geometry, default=float)) if geometry is not None else None
            size = (shapely.area(shape) or shapely.length(shape)) if shape is not None else None
            extent = [*shapely.bounds(shape), size] if shape is not None else []
            shapes.append([Decimal(repr(float(x))) for x in extent])
    order = sorted(range(len(lines)), key=lines.__getitem__)
    names = sorted({name for row in numbers for name in row})
    out: dict[str, Any] = {
        "rows": len(lines),
        "labels": hashlib.sha256("\n".join(lines[i] for i in order).encode("utf-8")).hexdigest(),
        "numbers": {name: [_kept(numbers[i][name]) for i in order if name in numbers[i]] for name in names},
    }
    if output in SHAPES:
        out["shape_deg"] = [[_kept(x) for x in shapes[i]] for i in order]
    return out


def significant_digits(output: str) -> int | None:
    """Return the significant digits export ``output`` keeps of its numbers, if it rounds them (the CSV's)."""
    return CSV_SIGNIFICANT_DIGITS if output in CSV_OUTPUTS else None


def tolerance(name: str, old: str, new: str, *, significant: int | None = None) -> float:
    """Return how far field ``name`` may move from ``old`` to ``new`` (both as printed): see the constants.

    With ``significant``, the number of significant digits the file keeps (the CSV's), never less than
    one unit of the last of them, so that a rounding that fell the other way passes.
    """
    absolute = next((tol for end, tol in ABSOLUTE_TOLERANCE if name.endswith(end)), DEFAULT_ABSOLUTE_TOLERANCE)
    if significant is not None:
        last = max(Decimal(text).adjusted() for text in (old, new)) - significant + 1
        absolute = max(absolute, 10.0**last)
    return RELATIVE_TOLERANCE * abs(float(old)) + absolute


def differences(old: dict[str, Any], new: dict[str, Any], *, significant: int | None = None) -> list[str]:
    """Return what differs between two fingerprints of one export beyond the tolerances, one line each.

    ``significant`` is the number of significant digits of the export's numbers, if it rounds them
    (:func:`significant_digits`).
    """
    if (old["rows"], old["labels"]) != (new["rows"], new["labels"]):
        return [f"rows or labels differ ({old['rows']} rows before, {new['rows']} now)"]
    found = []
    pairs = [(name, old["numbers"][name], new["numbers"].get(name, [])) for name in old["numbers"]]
    if "shape_deg" in old:
        had, has = [bool(row) for row in old["shape_deg"]], [bool(row) for row in new.get("shape_deg", [])]
        if had != has:
            return ["the rows with a shape differ"]
        shaped_old, shaped_new = [row for row in old["shape_deg"] if row], [row for row in new["shape_deg"] if row]
        for k, field in enumerate(("min_lon_deg", "min_lat_deg", "max_lon_deg", "max_lat_deg", "size_deg")):
            pairs.append((field, [row[k] for row in shaped_old], [row[k] for row in shaped_new]))
    for name, before, now in pairs:
        if len(before) != len(now):
            found.append(f"{name}: {len(before)} values before, {len(now)} now")
            continue
        for row, (a, b) in enumerate(zip(before, now, strict=True)):
            if abs(float(a) - float(b)) > tolerance(name, a, b, significant=significant):
                found.append(f"{name} of row {row} (in label order): {a} before, {b} now")
    return found


def read_fingerprints(path: Path) -> dict[str, dict[str, Any]]:
    """Return the fingerprints written by ``--out`` (gzip-compressed if the name ends in ``.gz``)."""
    data = path.read_bytes()
    return json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)  # type: ignore[no-any-return]


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
    group.add_argument("--out", type=Path, help="write the fingerprints to this JSON file (.json.gz: compressed)")
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
        prints[name] = {output: fingerprint(output, data) for output, data in outputs.items()}
        if args.dump:
            for output, data in outputs.items():
                (args.dump / _file_name(name, output)).write_bytes(data)
        print(name, file=sys.stderr)
    if args.out:
        text = json.dumps(prints, indent=0, sort_keys=True).encode("utf-8")
        args.out.write_bytes(gzip.compress(text, mtime=0) if args.out.suffix == ".gz" else text)
        print(f"{len(prints)} scenarios fingerprinted into {args.out}")
        return 0
    before = read_fingerprints(args.compare)
    differ = []
    for name in sorted(set(before) | set(prints)):
        old, new = before.get(name, {}), prints.get(name, {})
        for output in sorted(set(old) | set(new)):
            if output not in old or output not in new:
                differ.append(f"{name}: {output}: only {'now' if output in new else 'before'}")
                continue
            lines = differences(old[output], new[output], significant=significant_digits(output))
            differ.extend(f"{name}: {output}: {line}" for line in lines)
    print("\n".join(differ) or f"all {len(prints)} scenarios within tolerance ({len(prints) * 6} outputs)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
