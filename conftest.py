"""Pytest set-up for the whole run: the tests and the doctests of ``zones`` and ``geodata``.

The README's test command runs them on two pytest-xdist workers (``-n 2``; ``pyproject.toml`` sets
``--dist loadgroup --no-loadscope-reorder``). :func:`pytest_xdist_make_scheduler` schedules that mode by
file (``tests/scheduling.py``: a file's module fixtures, a Chromium and a server among them, are made
once), and :func:`pytest_collection_modifyitems` hands out the slowest files first, so that neither
worker is left with a long file at the end.

The doctests run examples that compute and cache tables (:mod:`zones.engine.disk_cache`);
like the tests, they must never write into the user's cache, nor into the checkout
(Hypothesis keeps files of its own in ``.hypothesis/`` unless told otherwise, and
pytest's cache plugin is off in ``pyproject.toml``). ``ZONES_CACHE_DIR``
points at a fresh temporary folder from the start of the run (before modules are
collected) to its end, when the folder is removed.

``ZONES_WORKERS=0`` (:mod:`zones.engine.cores`) for the whole run, the app's servers included: the two
xdist workers already keep both cores busy, and a second process per worker (and per server) only made
them wait for each other (a cold server's first map took over 60 s in one CI run). ``tests/test_cores.py``
turns the worker on for its own tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from xdist.scheduler import LoadScopeScheduling

from tests.scheduling import FIRST, FileGroups

#: The variable zones.engine.disk_cache reads, and what it held before the run.
CACHE_VARIABLE = "ZONES_CACHE_DIR"
#: The variable that turns zones.engine.cores's worker process off, and what it held before the run.
WORKERS_VARIABLE = "ZONES_WORKERS"
_saved: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point the disk cache, and Hypothesis's own files, at a temporary folder for the whole run."""
    _saved["before"] = os.environ.get(CACHE_VARIABLE)
    _saved["workers_before"] = os.environ.get(WORKERS_VARIABLE)
    os.environ[WORKERS_VARIABLE] = "0"
    _saved["folder"] = tempfile.mkdtemp(prefix="zones-doctest-cache-")
    os.environ[CACHE_VARIABLE] = _saved["folder"]
    set_hypothesis_home_dir(Path(_saved["folder"]) / "hypothesis")  # not ./.hypothesis in the checkout


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the variables and remove the temporary cache."""
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
    """Put :data:`tests.scheduling.FIRST` first: xdist hands out the groups in the order of their first test."""
    rank = {name: index for index, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(FIRST)))  # stable: the rest keep their order
