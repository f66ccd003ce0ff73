"""Fingerprint the outputs of a fixed set of scenarios, to prove a refactor changes no number.

Every scenario is analysed and its exports (affected countries, regions, zone, cities
and contact line as GeoJSON, totals as CSV) are hashed byte for byte. Run it before
and after a change and compare::

    .venv/bin/python -m tools.snapshot --out /tmp/before.json      # on the old commit
    .venv/bin/python -m tools.snapshot --compare /tmp/before.json  # on the new one

``--compare`` exits with 1 and names every scenario and output that differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def fingerprint(options: dict[str, Any]) -> dict[str, str]:
    """Return the SHA-256 of every export of one scenario."""
    analysis = analyse(Scenario(**options))
    outputs = {
        "affected": geojson_bytes(affected_frame(analysis)),
        "regions": geojson_bytes(regions_frame(analysis)),
        "strip": geojson_bytes(strip_frame(analysis)),
        "cities": geojson_bytes(cities_frame(analysis)),
        "contact": geojson_bytes(analysis.contact),
        "totals": csv_bytes(analysis.totals),
    }
    return {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}


def main(argv: list[str] | None = None) -> int:
    """Write or compare the fingerprints; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the fingerprints to this JSON file")
    group.add_argument("--compare", type=Path, help="compare with fingerprints written by --out")
    args = parser.parse_args(argv)
    prints = {}
    for name, options in scenarios():
        prints[name] = fingerprint(options)
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
