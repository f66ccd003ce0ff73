"""A pytest plugin that writes each test's CPU time, and each slow fixture's, to JSON lines; and a summary of them.

Wall times on a shared machine measure the neighbours as much as the tests. CPU time does not: it is
what the suite costs, and on an idle machine with two workers the run takes about half of it. Run the
suite with the plugin, then summarise::

    .venv/bin/python -m pytest -n 2 -p tools.cpu_times
    .venv/bin/python -m tools.cpu_times

Each worker appends to ``cpu-times-<worker>.jsonl`` in ``$ZONES_CPU_TIMES_DIR`` (default: the system's
temporary folder). A test's CPU time is its process's plus that of the child processes it has waited for
(a ``streamlit run`` server and its Chromium are counted when their module's last test tears them down).
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any, Final, TextIO

import pytest

#: Environment variable naming the folder of the JSON-lines files.
FOLDER_VARIABLE: Final = "ZONES_CPU_TIMES_DIR"
#: Fixtures that take less CPU and wall time than this, in seconds, are not written.
FIXTURE_MIN_S: Final = 0.5

_open: dict[str, TextIO] = {}


def folder() -> Path:
    """Return the folder of the JSON-lines files: ``$ZONES_CPU_TIMES_DIR``, else the temporary folder."""
    return Path(os.environ.get(FOLDER_VARIABLE) or tempfile.gettempdir())


def cpu_s() -> float:
    """Return the CPU seconds (user and system) of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _write(record: dict[str, Any]) -> None:
    """Append ``record`` to this worker's file."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if worker not in _open:
        _open[worker] = (folder() / f"cpu-times-{worker}.jsonl").open("a", encoding="utf-8")
    _open[worker].write(json.dumps(record) + "\n")
    _open[worker].flush()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, Any]:
    """Write a fixture's set-up time when it is slow."""
    cpu, wall = cpu_s(), time.perf_counter()
    result = yield
    cpu, wall = cpu_s() - cpu, time.perf_counter() - wall
    if max(cpu, wall) >= FIXTURE_MIN_S:
        _write({"fixture": fixturedef.argname, "scope": fixturedef.scope, "node": request.node.nodeid,
                "cpu_s": round(cpu, 3), "wall_s": round(wall, 3)})  # fmt: skip
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    """Write a test's time: set-up, call and tear-down together, with the machine's load average."""
    cpu, wall = cpu_s(), time.perf_counter()
    result = yield
    _write({"test": item.nodeid, "cpu_s": round(cpu_s() - cpu, 3), "wall_s": round(time.perf_counter() - wall, 3),
            "load": round(os.getloadavg()[0], 2)})  # fmt: skip
    return result


def summary(lines: Iterable[str], *, top: int = 20) -> str:
    """Return the total CPU time, the files by CPU time and the ``top`` tests, from the files' lines."""
    by_file: collections.Counter[str] = collections.Counter()
    tests: list[tuple[float, float, str]] = []
    for line in lines:
        record = json.loads(line)
        if "test" in record:
            by_file[record["test"].split("::")[0]] += record["cpu_s"]
            tests.append((record["cpu_s"], record["wall_s"], record["test"]))
    out = [f"{sum(by_file.values()):,.0f} CPU-s in {len(tests)} tests", "", "CPU-s  file"]
    out += [f"{cpu:6.1f}  {name}" for name, cpu in by_file.most_common()]
    out += ["", "CPU-s  wall-s  test"]
    out += [f"{cpu:6.1f}  {wall:6.1f}  {name}" for cpu, wall, name in sorted(tests, reverse=True)[:top]]
    return "\n".join(out)


def main() -> int:
    """Print :func:`summary` of every ``cpu-times-*.jsonl`` in :func:`folder`."""
    lines = [line for path in sorted(folder().glob("cpu-times-*.jsonl")) for line in path.read_text().splitlines()]
    print(summary(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
