"""Shared test setup: a temporary disk cache (never the user's), the installed wheel, Chromium and the app server.

Under pytest-xdist every worker runs its own session: its own cache folder, wheel, Chromium and servers
(each server on a free port of its own).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests import browser, installed


@pytest.fixture(autouse=True, scope="session")
def _private_disk_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point ``ZONES_CACHE_DIR`` (zones.engine.disk_cache) at a temporary folder for the whole run."""
    before = os.environ.get("ZONES_CACHE_DIR")
    os.environ["ZONES_CACHE_DIR"] = str(tmp_path_factory.mktemp("zones-cache"))
    yield
    if before is None:
        os.environ.pop("ZONES_CACHE_DIR", None)
    else:
        os.environ["ZONES_CACHE_DIR"] = before


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, one per test module (a failure, not a skip, under ``CI=true`` when missing)."""
    with browser.chromium_or_skip() as chrome:
        yield chrome


@pytest.fixture(scope="module")
def server() -> Iterator[browser.Server]:
    """The app on a free loopback port, one per test module."""
    with browser.streamlit_server(browser.REPO / "app.py") as running:
        yield running


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once per session from the clone's files (tests/installed.py)."""
    return installed.build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def environment(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh environment with only :func:`wheel` installed, shared by the session."""
    return installed.fresh_environment(tmp_path_factory.mktemp("env") / "venv", wheel)
