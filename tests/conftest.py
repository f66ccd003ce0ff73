"""Shared test setup: a temporary disk cache (never the user's), and the browser tests' Chromium and app server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests import browser


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
