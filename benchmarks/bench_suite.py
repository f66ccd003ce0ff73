"""The README's test run (``pytest -n 2``) of revisions side by side in one run: its wall time and the machine's CPU.

Run from the repository root (about 6 minutes per revision and round on 2 cores)::

    .venv/bin/python -m benchmarks.bench_suite --revisions 5c6d25f worktree --rounds 1
    .venv/bin/python -m benchmarks.bench_suite --bytecode prefix-read-only prefix --rounds 2

Each revision other than ``worktree`` (this checkout, as it is) is checked out with ``git worktree add
--detach`` into a temporary folder, removed at the end: the suite reads its own clone (``git archive`` of
its ``HEAD``), which a ``git archive`` export would not have. The runs take turns, round by round (the
order reversed every other round), each with ``CI=true`` (every browser test runs) and this
``.venv``'s Python, as ``.ci/run`` runs the suite after its set-up. Per run:

* **wall**: from the start of pytest to its end;
* **machine CPU-s**: what both cores did meanwhile (:func:`benchmarks.bench_load.machine_cpu_s`: ``/proc/stat``,
  idle and I/O wait left out), and **busy**: that as a share of both cores' time over the wall time;
* **Chromium CPU-s**: of that, what the browser's processes used, read from ``/proc/<pid>/stat`` every
  0.3 s (a process that ends between two readings loses at most its last 0.3 s);
* **servers CPU-s**: the same for the app's ``streamlit run`` servers.

On this shared machine the same code's runs differ by up to a third from one hour to the next (another
guest's load); only revisions measured in the same run compare.

``--bytecode`` runs each revision once per way of finding Python's byte-code (:data:`BYTECODE`), taking turns
the same way: ``venv`` as a checkout runs (pip's compiled files in ``.venv``, this environment's
``PYTHONDONTWRITEBYTECODE`` as it is), ``prefix`` as ``.ci/run`` runs now (a new empty
``PYTHONPYCACHEPREFIX`` folder that Python writes to), ``prefix-read-only`` as it ran before (the same folder,
never written: every process compiles every module it imports).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_load import machine_cpu_s  # noqa: E402
from benchmarks.revisions import WORKTREE, short  # noqa: E402

#: The README's test command after its set-up (``.ci/run``), with this checkout's environment.
PYTEST: Final = (sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider")
#: Seconds between two readings of the processes' CPU times.
POLL_S: Final = 0.3
_TICKS_PER_S: Final = os.sysconf("SC_CLK_TCK")
#: Ways of finding byte-code, each with ``PYTHONDONTWRITEBYTECODE`` (None: as this environment has it) and whether
#: the run gets a new empty ``PYTHONPYCACHEPREFIX`` folder.
BYTECODE: Final = {"venv": (None, False), "prefix": ("", True), "prefix-read-only": ("1", True)}


class ProcessCpu:
    """Poll every process's CPU seconds, by kind (Chromium, the app's servers), from now until :meth:`stop`."""

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], float] = {}
        self._last: dict[tuple[str, str], tuple[float, str]] = {}
        self._done = threading.Event()
        self._read(first=True)
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _read(self, *, first: bool = False) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            key = (entry.name, fields[19])  # the pid and its start time: a pid used again is another process
            cpu_s = (int(fields[11]) + int(fields[12])) / _TICKS_PER_S
            self._first.setdefault(key, cpu_s if first else 0.0)
            kept = self._last.get(key, (0.0, ""))[1]
            self._last[key] = (cpu_s, kept or command)  # an ended process's command line reads empty

    def _poll(self) -> None:
        while not self._done.wait(POLL_S):
            self._read()

    def stop(self) -> dict[str, float]:
        """Stop polling; return the CPU seconds used since the start by Chromium and by the app's servers."""
        self._done.set()
        self._thread.join()
        self._read()
        used = {"chromium": 0.0, "servers": 0.0}
        for key, (cpu_s, command) in self._last.items():
            kind = "chromium" if "chromium" in command else "servers" if "streamlit run" in command else None
            if kind:
                used[kind] += cpu_s - self._first[key]
        return used


@dataclass(frozen=True)
class SuiteRun:
    """One run of the suite."""

    revision: str
    bytecode: str
    summary: str
    wall_s: float
    machine_cpu_s: float
    busy: float
    chromium_cpu_s: float
    servers_cpu_s: float


def run_suite(revision: str, folder: Path, bytecode: str = "venv") -> SuiteRun:
    """Run the suite in ``folder`` with ``CI=true``, finding byte-code as ``bytecode`` says; return its figures."""
    inherited = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "PYTHONPYCACHEPREFIX"}}
    env = inherited | {"CI": "true"}  # a prefix only where ``bytecode`` asks for one: "venv" reads pip's byte-code
    dont_write, prefixed = BYTECODE[bytecode]
    if dont_write is not None:
        env["PYTHONDONTWRITEBYTECODE"] = dont_write
    with tempfile.TemporaryDirectory(prefix="bench-suite-pycache-") as prefix:
        if prefixed:
            env["PYTHONPYCACHEPREFIX"] = prefix
        processes = ProcessCpu()
        busy_s, start = machine_cpu_s(), time.perf_counter()
        result = subprocess.run(PYTEST, cwd=folder, env=env, capture_output=True, text=True, check=False)
        wall_s, busy_s = time.perf_counter() - start, machine_cpu_s() - busy_s
        used = processes.stop()
    lines = result.stdout.strip().splitlines() or ["(no output)"]
    summary = re.sub(r" in [\d.]+s.*$", "", lines[-1].strip("= "))
    return SuiteRun(
        revision=revision,
        bytecode=bytecode,
        summary=summary if result.returncode == 0 else f"exit {result.returncode}: {summary}",
        wall_s=wall_s,
        machine_cpu_s=busy_s,
        busy=busy_s / (wall_s * (os.cpu_count() or 1)),
        chromium_cpu_s=used["chromium"],
        servers_cpu_s=used["servers"],
    )


@contextlib.contextmanager
def checkouts(revisions: tuple[str, ...]) -> Iterator[dict[str, Path]]:
    """Each revision checked out in a temporary git worktree (:data:`WORKTREE`: this checkout), by revision."""
    folder = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    added: list[Path] = []
    try:
        roots = {}
        for revision in revisions:
            if revision == WORKTREE:
                roots[revision] = REPO
                continue
            root = folder / short(revision)
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(root), revision], check=True
            )
            added.append(root)
            roots[revision] = root
        yield roots
    finally:
        for root in added:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(root)], check=False)
        subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


def main(argv: list[str] | None = None) -> int:
    """Run the suite of each revision in turn, ``--rounds`` times; print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", nargs="+", default=[WORKTREE], help="git revisions; 'worktree' is this checkout")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each revision, taking turns")
    parser.add_argument(
        "--bytecode", nargs="+", default=["venv"], choices=sorted(BYTECODE), help="ways of finding byte-code"
    )
    args = parser.parse_args(argv)
    revisions = tuple(args.revisions)
    variants = tuple((revision, bytecode) for revision in revisions for bytecode in args.bytecode)
    columns = (
        "round",
        "revision",
        "byte-code",
        "tests",
        "wall",
        "machine CPU-s",
        "both cores busy",
        "Chromium CPU-s",
        "servers CPU-s",
    )
    print("| " + " | ".join((*columns, "load before")) + " |")
    print("|---:|---|---|---|---:|---:|---:|---:|---:|---:|")
    with checkouts(revisions) as roots:
        for round_ in range(1, args.rounds + 1):
            order = variants if round_ % 2 else variants[::-1]
            for revision, bytecode in order:
                load = os.getloadavg()[0]
                run = run_suite(revision, roots[revision], bytecode)
                minutes, seconds = divmod(round(run.wall_s), 60)
                print(
                    f"| {round_} | {short(revision)} | {bytecode} | {run.summary} | {minutes} min {seconds:02d} s "
                    f"| {run.machine_cpu_s:.0f} | {run.busy:.0%} | {run.chromium_cpu_s:.0f} "
                    f"| {run.servers_cpu_s:.0f} | {load:.1f} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
