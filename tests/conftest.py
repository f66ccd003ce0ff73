"""Shared test setup: the installed wheel, Chromium, a page in it and the app server.

The disk cache is the run's temporary folder (``ZONES_CACHE_DIR``, never the user's), set by the root
``conftest.py`` before collection; under pytest-xdist both workers share it, and their servers too. Every
worker runs its own session otherwise: its own wheel, Chromium and servers (each server on a free port of
its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests import browser, installed


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, one per test module (a failure, not a skip, under ``CI=true`` when missing)."""
    with browser.chromium_or_skip() as chrome:
        yield chrome


@pytest.fixture(scope="module")
def tabs(chromium: Browser) -> Iterator[browser.Tab]:
    """One offline page for a test module's tests, each opening its link in it (:class:`tests.browser.Tab`)."""
    shared = browser.Tab.new(chromium)
    yield shared
    shared.close()


@pytest.fixture
def tab(tabs: browser.Tab, request: pytest.FixtureRequest) -> Iterator[browser.Tab]:
    """The module's :func:`tabs`, tidied after the test (its routes dropped; a new context if it failed)."""
    failed = request.session.testsfailed
    yield tabs
    tabs.tidy(renew=request.session.testsfailed > failed)


@pytest.fixture(scope="module")
def server() -> Iterator[browser.Server]:
    """The app on a free loopback port, one per test module, queueing no preset's ladder (none is looked at)."""
    with browser.streamlit_server(browser.REPO / "app.py", preset_ladders=False) as running:
        yield running


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once per session from the clone's files (tests/installed.py)."""
    return installed.build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def environment(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh environment with only :func:`wheel` installed, shared by the session."""
    return installed.fresh_environment(tmp_path_factory.mktemp("env") / "venv", wheel)
