"""Shared test setup: computed tables are kept in a temporary disk cache, never in the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_disk_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point ``ZONES_CACHE_DIR`` (zones.disk_cache) at a temporary folder for the whole run."""
    before = os.environ.get("ZONES_CACHE_DIR")
    os.environ["ZONES_CACHE_DIR"] = str(tmp_path_factory.mktemp("zones-cache"))
    yield
    if before is None:
        os.environ.pop("ZONES_CACHE_DIR", None)
    else:
        os.environ["ZONES_CACHE_DIR"] = before
