"""The second core: zones.engine.cores hands a list to this process and a worker process, results in order."""

from __future__ import annotations

import math
import time

import pytest

from zones import Scenario, analyse
from zones.engine import cores
from zones.engine.analysis import analyses_by_width


@pytest.fixture(autouse=True)
def _worker_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run turns the worker off (``conftest.py``); these tests are about it."""
    monkeypatch.delenv(cores.WORKERS_VARIABLE, raising=False)


def test_analyses_by_width_equal_analyse_in_order_with_the_worker_taking_a_share():
    base = Scenario(date="2021-12-17", width_km=0)
    widths = [25.0 * k for k in range(1, 25)]
    expected = [analyse(base.replace(width_km=w), regions=False).affected for w in widths]
    deadline = time.monotonic() + 90  # the worker's first answer waits for its imports and data
    while True:
        before = cores.worker_calls()
        got = [a.affected for a in analyses_by_width(base, widths, regions=False)]
        for want, have in zip(expected, got, strict=True):
            assert list(have["adm0_a3"]) == list(want["adm0_a3"])
            assert have["area_km2"].to_numpy() == pytest.approx(want["area_km2"].to_numpy(), rel=1e-12)
        if cores.worker_calls() > before or time.monotonic() > deadline:
            break
    assert cores.worker_calls() > before, "the worker computed none of the widths within 90 s"


def test_a_call_that_fails_raises_here():
    with pytest.raises(ValueError, match="negative"):
        list(cores.shared_map(math.factorial, [3, 2, 5, -1, 4, 6, 7, 8]))


def test_zones_workers_0_keeps_everything_here(monkeypatch):
    monkeypatch.setenv(cores.WORKERS_VARIABLE, "0")
    assert not cores.enabled()
    assert list(cores.shared_map(abs, [-1, -2, 3])) == [1, 2, 3]
