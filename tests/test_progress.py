"""Progress reports for the app's bars: the threshold ladder reports each rung it measures."""

from __future__ import annotations

import pytest

from zones import Scenario
from zones.engine import disk_cache, progress, share_thresholds
from zones.engine.share_thresholds import LADDER_STEP_KM, thresholds

thresholds_module = share_thresholds


def test_the_threshold_ladder_reports_each_rung(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measured afresh (no cache), the ladder calls step(k, rungs) for k = 1, 2, … in order, and nothing else."""
    monkeypatch.setattr(disk_cache, "load", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(disk_cache, "store", lambda *_args, **_kwargs: None)
    thresholds_module._thresholds.cache_clear()
    thresholds_module._ladder.cache_clear()
    steps: list[tuple[int, int]] = []
    with progress.reporting(lambda done, total: steps.append((done, total))):
        table = thresholds(Scenario(width_km=0, date="1997-05-27"), countries=("NOR",))
    assert len(table) > 0
    total = steps[0][1]
    assert total == round(2000 / LADDER_STEP_KM)  # every rung up to 2,000 km, Norway's short line can reach it
    assert steps == [(k, total) for k in range(1, len(steps) + 1)]  # in order, stopping early once all is in
    steps.clear()
    thresholds(Scenario(width_km=0, date="1997-05-27"), countries=("NOR",))
    assert steps == []  # kept in memory: nothing to measure, nothing reported
    thresholds_module._thresholds.cache_clear()
    thresholds_module._ladder.cache_clear()
