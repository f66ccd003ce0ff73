"""Benchmark ``zones.thresholds`` against the width sweep it replaces, side by side.

Run from the repository root::

    python -m benchmarks.bench_thresholds

Each row runs in a fresh Python process with an empty disk cache (cold:
imports, data, ladder and exact search included), then again in the same
process (warm: the memory cache). The baseline is what the app did before:
:func:`zones.engine.sweep.sweep_table` every 10 km from 0 to 2,000 km, which only
brackets each threshold within 10 km. Goal: one scenario in ≤ 10 s cold.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

DATE = "2021-12-17"
CLAIM_COUNTRIES = ("BLR", "EST", "FIN", "LTU", "LVA", "NOR", "POL", "SWE", "UKR")
BALTIC_POLAND = ("EST", "LTU", "LVA", "POL")
CASES = (
    (
        "thresholds, the app's 8 claim countries",
        "thresholds(s, countries=('EST','FIN','LTU','LVA','NOR','POL','SWE','UKR','BLR'))",
    ),
    ("thresholds, every country within 2,000 km", "thresholds(s)"),
    ("thresholds, the regions of the Baltic states and Poland", "thresholds(s, by='regions', countries=BALTIC_POLAND)"),
    ("baseline: sweep every 10 km, 0-2,000 km", "sweep_table(s, range(0, 2001, 10))"),
)
SCRIPT = """
import time
t = time.perf_counter()
from zones import Scenario
from zones.engine.sweep import sweep_table
from zones.engine.share_thresholds import thresholds
s = Scenario(date="{date}")
BALTIC_POLAND = {baltic!r}
result = {call}
cold = time.perf_counter() - t
t = time.perf_counter()
again = {call}
print(cold, time.perf_counter() - t, len(result))
"""


def main() -> None:
    """Print the benchmark table."""
    print(f"NATO on {DATE}, union-state; fresh process and empty disk cache per row")
    print()
    print("| computation | cold s | warm s | rows |")
    print("|---|---:|---:|---:|")
    for label, call in CASES:
        with tempfile.TemporaryDirectory() as cache:
            done = subprocess.run(
                [sys.executable, "-c", SCRIPT.format(date=DATE, call=call, baltic=BALTIC_POLAND)],
                capture_output=True,
                text=True,
                check=True,
                env={"ZONES_CACHE_DIR": cache, "PATH": "/usr/bin:/bin"},
            )
        cold, warm, rows = done.stdout.split()
        print(f"| {label} | {float(cold):.1f} | {float(warm):.3f} | {int(rows):,} |")


if __name__ == "__main__":
    main()
