"""Time the command line's commands from start to exit, beside an older revision in the same run.

Run from the repository root::

    python -m benchmarks.bench_cli [--revisions 4b69cde] [--rounds 5]

Each run is a fresh ``python -m zones …`` process with an empty disk cache
(``ZONES_CACHE_DIR``) in an empty folder, as a reader runs the README's
commands: the interpreter's start, the imports, the data and the
computation are all counted. The revisions take turns run by run, so both
see the same load on a shared machine. The table gives the median wall time
and the median CPU time (user + system) of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.revisions import WORKTREE, exported, short

REVISIONS = ("4b69cde",)
#: Label, then the command's arguments (``{out}`` is a file in the run's empty folder).
COMMANDS = (
    ("zones --help", ["--help"]),
    ("zones contact (GeoJSON)", ["contact", "--date", "2021-12-17", "--out", "{out}/contact.geojson"]),
    ("zones affected 300 km (CSV)", ["affected", "--width-km", "300", "--date", "2021-12-17", "--out", "{out}/a.csv"]),
    ("zones report 300 km (PNG, 110 dpi)", ["report", "--width-km", "300", "--dpi", "110", "--out", "{out}/m.png"]),
)


def run_once(root: Path, arguments: list[str]) -> tuple[float, float]:
    """Run ``python -m zones arguments`` with ``root`` on the path; return (wall s, CPU s) of the process."""
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        env = {**os.environ, "PYTHONPATH": str(root), "ZONES_CACHE_DIR": str(Path(folder) / "cache")}
        command = [sys.executable, "-m", "zones", *(a.replace("{out}", folder) for a in arguments)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Print a Markdown table: each command's median wall and CPU seconds per revision."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", nargs="*", default=list(REVISIONS), help="baseline revisions")
    parser.add_argument("--rounds", type=int, default=5, help="runs per command and revision (the median is shown)")
    args = parser.parse_args()
    revisions = (*args.revisions, WORKTREE)
    names = [short(r) for r in revisions]
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    head = " | ".join(f"{n} s | {n} CPU s" for n in names)
    print(f"| command | {head} | now ÷ {names[0]} (CPU) | load |")
    print("|---|" + "---:|" * (2 * len(names) + 2))
    with exported(revisions) as roots:
        for label, arguments in COMMANDS:
            walls: dict[str, list[float]] = {r: [] for r in revisions}
            cpus: dict[str, list[float]] = {r: [] for r in revisions}
            for _ in range(args.rounds):
                for revision in revisions:
                    wall, cpu = run_once(roots[revision], arguments)
                    walls[revision].append(wall)
                    cpus[revision].append(cpu)
            cells = " | ".join(
                f"{statistics.median(walls[r]):.2f} | {statistics.median(cpus[r]):.2f}" for r in revisions
            )
            ratio = statistics.median(cpus[WORKTREE]) / statistics.median(cpus[revisions[0]])
            print(f"| {label} | {cells} | {ratio:.2f} | {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
