"""Time the tables computed once per border line, cold, beside an older revision in the same run.

Run from the repository root::

    python -m benchmarks.bench_cold [--revisions 1b0dea5] [--rounds 1]

Issue 26's goals: each of these, cold, in at most a third of the time the
code of 1b0dea5 took, with the same widths to 0.5 km:

* the thresholds of every country within 2,000 km of the draft's line;
* the sweep (every 10 km, 0–1,000 km) of a clipped line with sea borders
  (the app's "Share by width" download);
* the width ladder of the draft's clipped line (what the one-file page and
  the live slider draw);

and, for the claims panel, the thresholds of the app's nine claim
countries. Each row runs in a fresh Python process with an empty disk cache
(``ZONES_CACHE_DIR``): imports, data loading and the computation are all
counted. The revisions take turns case by case (the baseline first), so
both see the same load on a shared machine; the load average is printed
beside each pair. The working tree uses its worker process
(:mod:`zones.engine.cores`); ``--serial`` also times it with
``ZONES_WORKERS=0``. Each run writes its result, and the table says whether
the working tree's equals the baseline's: the same widths (thresholds),
areas within 1e-6 of their value (sweep), the same numbers at every step
(ladder).
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

REVISIONS = ("1b0dea5",)
CLAIM_COUNTRIES = ("BLR", "EST", "FIN", "LTU", "LVA", "NOR", "POL", "SWE", "UKR")
#: Label, then the Python that computes it (``result``), for code of any revision since 1b0dea5.
CASES = (
    ("thresholds, every country (draft)", "thresholds(Scenario(date='2021-12-17'))"),
    (
        "thresholds, the 9 claim countries (draft)",
        f"thresholds(Scenario(date='2021-12-17'), countries={CLAIM_COUNTRIES!r})",
    ),
    (
        "sweep 0-1,000 km, clipped, sea borders (2025)",
        "sweep_table(Scenario(date='2025-01-01', clip=True, sea_borders=True))",
    ),
    ("ladder, draft clipped (one-file page)", "ladder_numbers(Scenario(date='2021-12-17', clip=True))"),
)
SCRIPT = """
import time
start = time.perf_counter()
import json, pickle, sys
from zones import Scenario
try:
    from zones.engine.share_thresholds import thresholds
    from zones.engine.sweep import sweep_table
    from zones.web.ladder import ladder_json
except ImportError:  # before the package was grouped by audience
    from zones import thresholds
    from zones.sweep import sweep_table
    from zones.ladder import ladder_json

def ladder_numbers(scenario):
    steps = json.loads(ladder_json(scenario))["steps"]
    return [[step["totals"], step["affected"]] for step in steps]

result = {call}
seconds = time.perf_counter() - start
if hasattr(result, "attrs"):
    result.attrs = {{}}  # a sweep's scenario is of this revision's classes: the benchmark reads plain tables
with open(sys.argv[1], "wb") as out:
    pickle.dump((seconds, result), out)
"""


def run(root: Path, call: str, *, serial: bool) -> tuple[float, object]:
    """Run ``call`` in a fresh process in ``root`` with an empty disk cache; return its seconds and result."""
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as cache:
        answer = Path(cache) / "answer.pickle"
        env = {**os.environ, "ZONES_CACHE_DIR": cache, "PYTHONPATH": str(root)}
        if serial:
            env["ZONES_WORKERS"] = "0"
        subprocess.run([sys.executable, "-c", SCRIPT.format(call=call), str(answer)], cwd=root, env=env, check=True)
        with answer.open("rb") as stream:
            seconds, result = pickle.load(stream)
    return float(seconds), result


def same(label: str, baseline: object, now: object) -> str:
    """Say whether two results of one case agree (see the module docstring)."""
    if label.startswith("thresholds"):  # before 6fb3c8b a width was of the whole country: width_whole_km now
        whole = "width_km" if "width_whole_km" in baseline.columns else "width_whole_km"  # the same quantity
        keys = ["adm0_a3", "share"]
        ours = now[[*keys, whole]].rename(columns={whole: "now_km"})
        merged = baseline[[*keys, "width_km"]].merge(ours, on=keys, how="outer").fillna(-1.0)
        differ = int((merged["width_km"] != merged["now_km"]).sum())
        return "same widths" if differ == 0 else f"{differ} of {len(merged)} widths differ"
    if label.startswith("sweep"):
        keys = ["width_km", "adm0_a3"]
        merged = baseline.merge(now, on=keys, how="outer", suffixes=("_a", "_b")).fillna(0.0)
        diff = (merged["area_km2_a"] - merged["area_km2_b"]).abs() / merged["area_km2_a"].clip(lower=1.0)
        return f"areas within {diff.max():.0e}"
    if baseline == now:
        return "same numbers"
    a, b = _numbers(baseline), _numbers(now)
    if len(a) != len(b):
        return "different"
    worst = max((abs(x - y) / max(abs(x), 1.0) for x, y in zip(a, b, strict=True)), default=0.0)
    return f"numbers within {worst:.0e}"


def _numbers(value: object) -> list[float]:
    """Return every number in nested lists and dicts, in order."""
    if isinstance(value, dict):
        return [x for key in sorted(value) for x in _numbers(value[key])]
    if isinstance(value, list | tuple):
        return [x for item in value for x in _numbers(item)]
    return [float(value)] if isinstance(value, int | float) else []


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--revisions", nargs="*", default=list(REVISIONS), help="baseline revisions")
    parser.add_argument("--rounds", type=int, default=1, help="runs per case and revision (the median is shown)")
    parser.add_argument("--serial", action="store_true", help="also time the working tree with ZONES_WORKERS=0")
    parser.add_argument("--cases", type=int, nargs="*", help="case numbers (from 1) to run; all by default")
    args = parser.parse_args()
    baselines = tuple(args.revisions)
    names = [*baselines, WORKTREE] + (["serial"] if args.serial else [])
    header = " | ".join(f"{short(n) if n in baselines else n} s" for n in names)
    ratio = f"now ÷ {short(baselines[0])}" if baselines else "ratio"
    print(f"| case | {header} | {ratio} | load | result |")
    print("|---|" + "---:|" * (len(names) + 2) + "---|")
    chosen = [CASES[i - 1] for i in args.cases] if args.cases else list(CASES)
    with exported((*baselines, WORKTREE)) as roots:
        for label, call in chosen:
            times: dict[str, list[float]] = {name: [] for name in names}
            results: dict[str, object] = {}
            for _ in range(args.rounds):
                for name in names:
                    root = roots[WORKTREE if name == "serial" else name]
                    seconds, results[name] = run(root, call, serial=name == "serial")
                    times[name].append(seconds)
            load = os.getloadavg()[0]
            median = {name: statistics.median(values) for name, values in times.items()}
            cells = " | ".join(f"{median[name]:.1f}" for name in names)
            share = f"{median[WORKTREE] / median[baselines[0]]:.2f}" if baselines else ""
            try:
                verdict = same(label, results[baselines[0]], results[WORKTREE]) if baselines else ""
            except (KeyError, ValueError, TypeError) as error:  # an older revision's table of another shape
                verdict = f"not compared ({error})"
            print(f"| {label} | {cells} | {share} | {load:.1f} | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
