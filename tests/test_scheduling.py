"""The test run's grouping (``tests/scheduling.py``): a test file's tests run on one xdist worker, in order.

Module fixtures (a Chromium, a ``streamlit run`` server, a thresholds table) are made once per worker
that runs a test of their file, so a file split over both workers made them twice. The first and the last
test of this file check that no split happens: the second finds what the first left in this module,
which only the same worker process can.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scheduling import SHARED, SPREAD, group_of

#: Which xdist worker ran this file's first test (``main`` without xdist); filled by that test.
_SEEN: dict[str, str] = {}


def test_first_of_the_file_notes_its_worker() -> None:
    _SEEN["worker"] = os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.mark.parametrize(
    ("nodeid", "group"),
    [
        ("tests/test_strip.py::test_area_grows_with_width", "tests/test_strip.py"),
        ("tests/test_strip.py::test_edge_is_at_width_on_the_contact_line[10]", "tests/test_strip.py"),
        ("zones/engine/strip.py::zones.engine.strip.geodesic_buffer", "zones/engine/strip.py"),
        ("tests/test_readme.py::test_command_line_examples_run_as_written", "installed-wheel"),
        ("tests/test_packaging.py::test_the_version_is_one_and_the_same_everywhere", "installed-wheel"),
        ("tests/test_app.py::test_default_run", "tests/test_app.py::test_default_run"),
        (
            "tests/test_snapshot.py::test_every_export_keeps_its_fingerprint[a@b]",
            "tests/test_snapshot.py::test_every_export_keeps_its_fingerprint[a@b]",
        ),
    ],
)
def test_each_test_has_its_files_group_but_the_spread_files(nodeid: str, group: str) -> None:
    assert group_of(nodeid) == group


def test_the_shared_and_spread_files_exist() -> None:
    assert all((Path(__file__).parent / name).is_file() for name in (*SHARED, *SPREAD))


def test_last_of_the_file_runs_on_the_same_worker() -> None:
    assert _SEEN.get("worker") == os.environ.get("PYTEST_XDIST_WORKER", "main")
