"""Pytest set-up for the whole run: the tests and the doctests of ``zones`` and ``geodata``.

The doctests run examples that compute and cache tables (:mod:`zones.engine.disk_cache`);
like the tests, they must never write into the user's cache, nor into the checkout
(Hypothesis keeps files of its own in ``.hypothesis/`` unless told otherwise, and
pytest's cache plugin is off in ``pyproject.toml``). ``ZONES_CACHE_DIR``
points at a fresh temporary folder from the start of the run (before modules are
collected) to its end, when the folder is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

#: The variable zones.engine.disk_cache reads, and what it held before the run.
CACHE_VARIABLE = "ZONES_CACHE_DIR"
_saved: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point the disk cache, and Hypothesis's own files, at a temporary folder for the whole run."""
    _saved["before"] = os.environ.get(CACHE_VARIABLE)
    _saved["folder"] = tempfile.mkdtemp(prefix="zones-doctest-cache-")
    os.environ[CACHE_VARIABLE] = _saved["folder"]
    set_hypothesis_home_dir(Path(_saved["folder"]) / "hypothesis")  # not ./.hypothesis in the checkout


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the variable and remove the temporary cache."""
    if _saved.get("before") is None:
        os.environ.pop(CACHE_VARIABLE, None)
    else:
        os.environ[CACHE_VARIABLE] = str(_saved["before"])
    set_hypothesis_home_dir(None)
    if _saved.get("folder"):
        shutil.rmtree(str(_saved["folder"]), ignore_errors=True)
