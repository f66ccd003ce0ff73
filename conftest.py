"""Pytest set-up for the whole run: the tests and the doctests of ``zones`` and ``geodata``.

The README's test command runs them on two pytest-xdist workers (``-n 2``; ``pyproject.toml`` sets
``--dist loadgroup --no-loadscope-reorder``). :func:`pytest_xdist_make_scheduler` schedules that mode by
file (``tests/scheduling.py``: a file's module fixtures, a Chromium and a server among them, are made
once), and :func:`pytest_collection_modifyitems` hands out the slowest files first and the single tests of
the spread files last, so that neither worker is left with a long file at the end.

The doctests run examples that compute and cache tables (:mod:`zones.engine.disk_cache`);
like the tests, they must never write into the user's cache, nor into the checkout
(Hypothesis keeps files of its own in ``.hypothesis/`` unless told otherwise, and
pytest's cache plugin is off in ``pyproject.toml``). ``ZONES_CACHE_DIR``
points at a fresh temporary folder from the start of the run (before modules are
collected) to its end, when the folder is removed. Under pytest-xdist the controller makes that folder and
hands it to both workers (:func:`pytest_configure_node`): a ladder or a thresholds table one worker (or one
of its servers) has computed is read by the other, not computed again. The cache is safe for that: every
file is written under a temporary name and renamed into place (:func:`zones.output.atomic_output`), and a
file that vanishes under a reader is a miss. Each worker keeps its own Hypothesis folder inside it.

``ZONES_WORKERS=0`` (:mod:`zones.engine.cores`) for the whole run, the app's servers included: the two
xdist workers already keep both cores busy, and a second process per worker (and per server) only made
them wait for each other (a cold server's first map took over 60 s in one CI run). ``tests/test_cores.py``
turns the worker on for its own tests. ``OPENBLAS_NUM_THREADS=1`` for the same reason: numpy's OpenBLAS
otherwise runs each matrix product (``zones.engine.cities``, the oracle's chords) on every core, and its
threads spin while they wait: ``analyse`` at ten widths took 1.7 CPU-s with them, 1.0 without, in the same
wall time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Final

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

from tests.scheduling import FileGroups, rank

#: The variable zones.engine.disk_cache reads, and what it held before the run.
CACHE_VARIABLE = "ZONES_CACHE_DIR"
#: The variable that turns zones.engine.cores's worker process off, and what it held before the run.
WORKERS_VARIABLE = "ZONES_WORKERS"
#: The variable that holds numpy's OpenBLAS to one thread (read when numpy loads: the workers and servers start after).
BLAS_VARIABLE: Final = "OPENBLAS_NUM_THREADS"
#: The key under which an xdist worker receives the controller's cache folder (``config.workerinput``).
SHARED_CACHE_KEY: Final = "zones_cache_dir"
_saved: dict[str, str | None] = {"blas_before": os.environ.get(BLAS_VARIABLE)}
# Set on import, not in pytest_configure: in a run without workers, tests/conftest.py loads numpy before that
# hook runs (it imports zones), and OpenBLAS reads the variable once, when numpy loads.
os.environ[BLAS_VARIABLE] = "1"


def pytest_configure(config: pytest.Config) -> None:
    """Point the disk cache, and Hypothesis's own files, at a temporary folder for the whole run.

    An xdist worker takes the folder its controller made (:func:`pytest_configure_node`); the controller, or a
    run without workers, makes it and removes it at the end (:func:`pytest_unconfigure`).
    """
    _saved["before"] = os.environ.get(CACHE_VARIABLE)
    _saved["workers_before"] = os.environ.get(WORKERS_VARIABLE)
    os.environ[WORKERS_VARIABLE] = "0"
    workerinput = getattr(config, "workerinput", {})  # what an xdist worker receives from its controller
    shared = workerinput.get(SHARED_CACHE_KEY)
    _saved["folder"] = "" if shared else tempfile.mkdtemp(prefix="zones-doctest-cache-")  # "": not ours to remove
    folder = Path(shared or _saved["folder"])
    os.environ[CACHE_VARIABLE] = str(folder)
    set_hypothesis_home_dir(folder / f"hypothesis-{workerinput.get('workerid', 'main')}")  # not ./.hypothesis


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: WorkerController) -> None:
    """Hand the controller's cache folder to an xdist worker (pytest-xdist's hook, run in the controller)."""
    node.workerinput[SHARED_CACHE_KEY] = _saved["folder"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the variables and remove the temporary cache."""
    if _saved.get("blas_before") is None:
        os.environ.pop(BLAS_VARIABLE, None)
    else:
        os.environ[BLAS_VARIABLE] = str(_saved["blas_before"])
    if _saved.get("workers_before") is None:
        os.environ.pop(WORKERS_VARIABLE, None)
    else:
        os.environ[WORKERS_VARIABLE] = str(_saved["workers_before"])
    if _saved.get("before") is None:
        os.environ.pop(CACHE_VARIABLE, None)
    else:
        os.environ[CACHE_VARIABLE] = str(_saved["before"])
    set_hypothesis_home_dir(None)
    if _saved.get("folder"):
        shutil.rmtree(str(_saved["folder"]), ignore_errors=True)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> LoadScopeScheduling | None:
    """Schedule ``--dist loadgroup`` by file (:class:`tests.scheduling.FileGroups`); leave other modes to xdist."""
    return FileGroups(config, log) if config.getvalue("dist") == "loadgroup" else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the files by :func:`tests.scheduling.rank`: xdist hands out the groups in the order of their first test."""
    items.sort(key=lambda item: rank(item.path.name))  # stable: each file, and the unranked ones, keep their order
