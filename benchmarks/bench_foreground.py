"""Time a map download while the app's background job builds a ladder: giving way, and not, in one run.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_foreground [--rounds 3]

Issue 26's goal: no interaction on a preset scenario waits more than 2 s.
On a cold server the presets' ladders are built in the background, in the
server's process (and the worker process on the second core), and a map
PNG that takes about 1 s alone took 7 s beside them
(``bench_interactions``). Here, in one process as in the app, a
:class:`zones.web.jobs.LadderJobs` starts building a preset's ladder (an
empty disk cache each time), and 1.5 s later the map PNG of the draft at
300 km is made as the app's download button makes it
(:func:`zones.downloads.download_bytes`). Three cases take turns round by
round: the PNG alone (no ladder), beside a ladder that gives way
(:func:`zones.engine.foreground.give_way`, the code as it is), and beside
one that does not (``give_way`` replaced by a no-op, the code before).
Prints the median wall time of each, the load average, and whether the PNGs
are the same bytes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from zones import Scenario  # noqa: E402
from zones.downloads import download_bytes, warm_up  # noqa: E402
from zones.engine import foreground  # noqa: E402
from zones.web import jobs, ladder  # noqa: E402

MAP = Scenario(width_km=300.0, date="2021-12-17")
#: The ladders built in the background, one a round (each a preset of a cold server).
LADDERS = (Scenario(width_km=0.0, date="2021-12-17", allies="csto"), Scenario(width_km=0.0, date="2025-06-01"))
CASES = ("alone", "beside a ladder, giving way", "beside a ladder, not giving way")


def one(case: str, background: Scenario) -> tuple[float, bytes]:
    """Return the seconds the map PNG took in ``case``, and its bytes (a fresh cache folder each time)."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ZONES_CACHE_DIR"] = str(Path(folder) / "cache")
        ladder.clear_memory_cache()
        real = foreground.give_way
        if case.endswith("not giving way"):
            foreground.give_way = lambda max_wait_s=foreground.MAX_WAIT_S: 0.0  # type: ignore[assignment]
        try:
            job = None
            if case != "alone":
                _name, job = jobs.LadderJobs(Path(folder) / "files").job(background)
                time.sleep(1.5)  # the ladder under way, as a reader clicks
            start = time.perf_counter()
            data = download_bytes("map_png", MAP)
            seconds = time.perf_counter() - start
            if job is not None:
                job.result()
        finally:
            foreground.give_way = real  # type: ignore[assignment]
    return seconds, data


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default: 3)")
    args = parser.parse_args()
    warm_up()  # the drawing code loaded, as the app's background warm-up does
    download_bytes("map_png", MAP)
    times: dict[str, list[float]] = {case: [] for case in CASES}
    pngs: set[bytes] = set()
    loads = [os.getloadavg()[0]]
    for k in range(args.rounds):
        for case in CASES:
            seconds, data = one(case, LADDERS[k % len(LADDERS)])
            times[case].append(seconds)
            pngs.add(data)
            print(f"round {k + 1}, {case}: {seconds:.2f} s", file=sys.stderr)
    loads.append(os.getloadavg()[0])
    print(f"map PNG of the draft at 300 km, {args.rounds} rounds; load {loads[0]:.1f} → {loads[1]:.1f}")
    print()
    print("| case | median s | each s |")
    print("|---|---:|---|")
    for case in CASES:
        each = ", ".join(f"{s:.2f}" for s in times[case])
        print(f"| {case} | {statistics.median(times[case]):.2f} | {each} |")
    print()
    print(f"PNGs the same bytes in every case: {'yes' if len(pngs) == 1 else 'no'}")


if __name__ == "__main__":
    main()
