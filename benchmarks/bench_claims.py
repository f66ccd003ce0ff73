"""Time the app's claims panel for a new scenario once its line's width ladder exists, beside an older revision.

Run from the repository root::

    python -m benchmarks.bench_claims [--revisions df32105] [--rounds 1]

Issue 26's goal: the claims panel ("At what width does a claim hold?") of a
new scenario appears at most 1 s after the map, once the line's ladder
exists. Each row is a fresh Python process with an empty disk cache
(``ZONES_CACHE_DIR``) that does what the app has done by then: it builds the
scenario's width ladder (:func:`zones.web.ladder.ladder_json`, written to
disk as the app's background job writes it; timed apart) and draws the map
(``analyse`` at 300 km); then it times the function the app calls for the
panel: :func:`zones.web.claims.claim_widths` where the revision has it, else
the thresholds of the claims' countries
(:func:`zones.downloads.claims_thresholds`, what the panel called before).
The revisions take turns scenario by scenario (the baseline first), so both
see the same load on a shared machine; the load average is printed beside
each row. The last column says whether the widths of the claims agree
between the revisions (``width_km`` and ``width_whole_km`` of every claim).
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.revisions import WORKTREE, exported, short

REVISIONS = ("df32105",)
#: Label, then the scenario (Python) of each case.
CASES = (
    ("draft, union-state (2021-12-17)", "Scenario(date='2021-12-17')"),
    ("NATO of 2025, CSTO, clipped", "Scenario(date='2025-01-01', allies='csto', clip=True)"),
)
SCRIPT = """
import pickle, sys, time
from zones import Scenario, analyse
from zones.web.ladder import ladder_json
from zones.web.claims import CLAIMS
try:
    from zones.web.claims import claim_widths as panel
except ImportError:  # before the panel read the ladder
    from zones.downloads import claims_thresholds as panel
scenario = {scenario}
start = time.perf_counter()
ladder_json(scenario)
ladder_s = time.perf_counter() - start
analyse(scenario.replace(width_km=300.0))  # the map
start = time.perf_counter()
table = panel(scenario)
panel_s = time.perf_counter() - start
rows = table.set_index(["adm0_a3", "share"])
widths = {{}}
for claim in CLAIMS:
    key = (claim.code, round(claim.share, 4))
    if key in rows.index:
        widths[key] = (float(rows.at[key, "width_km"]), float(rows.at[key, "width_whole_km"]))
with open(sys.argv[1], "wb") as out:
    pickle.dump((ladder_s, panel_s, widths), out)
"""


def run(root: Path, scenario: str) -> tuple[float, float, dict[tuple[str, float], tuple[float, float]]]:
    """Run one case in a fresh process in ``root`` with an empty disk cache; return its times and widths."""
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as cache:
        answer = Path(cache) / "answer.pickle"
        env = {**os.environ, "ZONES_CACHE_DIR": cache, "PYTHONPATH": str(root)}
        script = SCRIPT.format(scenario=scenario)
        subprocess.run([sys.executable, "-c", script, str(answer)], cwd=root, env=env, check=True)
        with answer.open("rb") as stream:
            ladder_s, panel_s, widths = pickle.load(stream)
    return float(ladder_s), float(panel_s), widths


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--revisions", nargs="*", default=list(REVISIONS), help="baseline revisions")
    parser.add_argument("--rounds", type=int, default=1, help="runs per case and revision (the median is shown)")
    args = parser.parse_args()
    names = [*args.revisions, WORKTREE]
    header = " | ".join(f"panel {short(n) if n != WORKTREE else 'now'} s" for n in names)
    print(f"| scenario | ladder s | {header} | load | claims' widths |")
    print("|---|---:|" + "---:|" * len(names) + "---:|---|")
    with exported(tuple(names)) as roots:
        for label, scenario in CASES:
            panel: dict[str, list[float]] = {name: [] for name in names}
            ladders: list[float] = []
            widths: dict[str, object] = {}
            for _ in range(args.rounds):
                for name in names:
                    ladder_s, panel_s, widths[name] = run(roots[name], scenario)
                    panel[name].append(panel_s)
                    ladders.append(ladder_s)
            cells = " | ".join(f"{statistics.median(panel[name]):.2f}" for name in names)
            agree = "same" if all(widths[name] == widths[WORKTREE] for name in names) else "differ"
            load = os.getloadavg()[0]
            print(f"| {label} | {statistics.median(ladders):.1f} | {cells} | {load:.1f} | {agree} |", flush=True)


if __name__ == "__main__":
    main()
