"""Time the engine of an older git revision side by side with the working tree's, in one run.

Each revision runs in a worker process of its own: the revision's files are
exported with ``git archive`` into a temporary folder, and a small Python loop
there answers timing requests read from its standard input, one JSON object a
line. The benchmark asks the workers in turn, repeat by repeat, so every
revision sees the same load on a shared machine; only the ratios of one run
mean anything there.

The tasks use only what every revision since the strip engine's first release
offers: ``zones.geodesic_buffer`` (``width_km=`` before commit 27c6073,
``distance_km`` after) and ``zones.analyse(Scenario(...), regions=...)``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

#: The working tree, as a revision name.
WORKTREE: Final = "worktree"

_WORKER: Final = r"""
import inspect, json, sys, time
out = sys.stdout
sys.stdout = sys.stderr  # anything the engine prints stays off the answers
import shapely
from zones import geodesic_buffer
line = None
keyword = "distance_km" if "distance_km" in inspect.signature(geodesic_buffer).parameters else "width_km"
for request in sys.stdin:
    task = json.loads(request)
    answer = {}
    if task["task"] == "line":
        line = shapely.from_wkb(bytes.fromhex(task["wkb"]))
        geodesic_buffer(line, **{keyword: 1.0})  # the width-free tables, once per line
    elif task["task"] == "strip":
        start = time.perf_counter()
        shape = geodesic_buffer(line, **{keyword: task["width_km"]})
        answer["ms"] = 1000.0 * (time.perf_counter() - start)
    elif task["task"] == "analyse":
        import datetime
        from zones import Scenario, analyse
        scenario = Scenario(width_km=task["width_km"], date=datetime.date.fromisoformat(task["date"]))
        start, cpu = time.perf_counter(), time.process_time()
        result = analyse(scenario, regions=task["regions"])
        answer["ms"] = 1000.0 * (time.perf_counter() - start)
        answer["cpu_ms"] = 1000.0 * (time.process_time() - cpu)
        shape = result.zone
    if task.get("shape"):
        answer["wkb"] = shapely.to_wkb(shape).hex()
    out.write(json.dumps(answer) + "\n")
    out.flush()
"""


class Worker:
    """A Python process running the engine of one revision; ask it with :meth:`ask`."""

    def __init__(self, revision: str, root: Path) -> None:
        self.revision = revision
        env = {**os.environ, "PYTHONPATH": str(root)}
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WORKER],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, task: str, **arguments: object) -> dict[str, object]:
        """Send one request and wait for its answer (``ms``; ``cpu_ms`` for ``analyse``; ``wkb`` when ``shape=True``).

        ``cpu_ms`` is the worker's CPU time: on a shared machine it moves far
        less with the other jobs than the wall time ``ms``.
        """
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps({"task": task, **arguments}) + "\n")
        self._process.stdin.flush()
        reply = self._process.stdout.readline()
        if not reply:
            raise RuntimeError(f"the worker of {self.revision} stopped (see its messages above)")
        answer: dict[str, object] = json.loads(reply)
        return answer

    def close(self) -> None:
        """End the worker."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)


@contextlib.contextmanager
def exported(revisions: tuple[str, ...]) -> Iterator[dict[str, Path]]:
    """Each revision's files in a temporary folder (:data:`WORKTREE`: the working tree itself), by revision."""
    folder = Path(tempfile.mkdtemp(prefix="bench-revisions-"))
    roots: dict[str, Path] = {}
    try:
        for revision in revisions:
            if revision == WORKTREE:
                roots[revision] = Path.cwd()
                continue
            root = roots[revision] = folder / revision
            root.mkdir()
            archive = subprocess.run(["git", "archive", revision], capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
        yield roots
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def workers(revisions: tuple[str, ...]) -> Iterator[list[Worker]]:
    """One worker per revision (:data:`WORKTREE` is the working tree), in the given order."""
    started: list[Worker] = []
    with exported(revisions) as roots:
        try:
            for revision in revisions:
                started.append(Worker(revision, roots[revision]))
            yield started
        finally:
            for worker in started:
                worker.close()


def short(revision: str) -> str:
    """The revision's abbreviated commit hash, or ``worktree``."""
    if revision == WORKTREE:
        return WORKTREE
    found = subprocess.run(["git", "rev-parse", "--short", revision], capture_output=True, text=True, check=True)
    return found.stdout.strip()
