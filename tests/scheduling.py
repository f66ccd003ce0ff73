"""How the test run shares its tests out over pytest-xdist's workers (used by the root ``conftest.py``).

A test file's tests run on one worker, in order, so its module-scoped fixtures (a Chromium, a
``streamlit run`` server, a thresholds table) are made once; the files of :data:`SPREAD` go test by
test to whichever worker is free; the files of :data:`SHARED` share a session fixture and one worker.
xdist's own ``--dist loadgroup`` would do this from ``xdist_group`` marks, but it reads them from an
``@group`` suffix it writes into each node id, which pytest 9.2 no longer takes (pytest-xdist issue
1386): every test went out on its own and both workers built every module fixture.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from xdist.scheduler import LoadScopeScheduling

#: Test files whose tests share no costly module fixture: xdist may run them on either worker, test by test.
SPREAD: Final = frozenset({"test_app.py", "test_snapshot.py"})
#: Test files that share a session fixture (the wheel and its fresh environment): one group, one worker.
SHARED: Final = MappingProxyType({"test_packaging.py": "installed-wheel", "test_readme.py": "installed-wheel"})
#: The slowest files, slowest first (CPU and wall time of a full run, 6 Dec 2026: ``tools/cpu_times.py``), handed
#: out first; the other files follow in their order, and the :data:`SPREAD` files' single tests come last, to
#: fill whichever worker is free at the end (a long file handed out last kept the other worker idle for minutes).
#: The two Chromium-and-server files lead on different workers, but not at once: their servers would compute the
#: draft's ladder side by side, where one now reads the other's from the shared disk cache.
FIRST: Final = (
    "test_browser.py",
    "test_thresholds.py",
    "test_strip.py",
    "test_browser_story.py",
    "test_report.py",
    "test_readme.py",
    "test_cli.py",
    "test_analysis.py",
    "test_sea_borders.py",
    "test_regions.py",
    "test_properties.py",
    "test_display_longitudes.py",
    "test_sweep.py",
)


def rank(name: str) -> int:
    """Return where the tests of file ``name`` go in the run: :data:`FIRST`'s order, then the rest, :data:`SPREAD` last.

    >>> rank("test_browser.py"), rank("test_strip.py"), rank("test_io.py"), rank("test_app.py")
    (0, 2, 13, 14)
    """
    if name in SPREAD:
        return len(FIRST) + 1
    return FIRST.index(name) if name in FIRST else len(FIRST)


def group_of(nodeid: str) -> str:
    """Return the group a test runs in: its file, or :data:`SHARED`'s group, or the test alone (:data:`SPREAD`).

    >>> group_of("tests/test_strip.py::test_area_grows_with_width")
    'tests/test_strip.py'
    >>> group_of("tests/test_readme.py::test_command_line_examples_run_as_written")
    'installed-wheel'
    >>> group_of("tests/test_app.py::test_default_run")
    'tests/test_app.py::test_default_run'
    """
    path = nodeid.split("::", 1)[0]
    name = path.rsplit("/", 1)[-1]
    return nodeid if name in SPREAD else SHARED.get(name, path)


class FileGroups(LoadScopeScheduling):
    """xdist's scope scheduling with :func:`group_of` as the scope: a group's tests run on one worker, in order."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)
