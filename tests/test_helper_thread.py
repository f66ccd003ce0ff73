"""The helper thread (zones.engine.cores.helper_thread): the same analysis with and without it, and no deadlock."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
import shapely

from zones import Scenario, analyse
from zones.engine import analysis as analysis_module
from zones.engine import cores

SCENARIOS = (
    Scenario(width_km=1000, date="2021-12-17"),  # about 900 regions crossed
    Scenario(width_km=30, date="2021-12-17"),
    Scenario(width_km=400, date="2024-03-07", sea_borders=True),  # zones on both sides of the antimeridian
    Scenario(width_km=300, russia_width_km=100, nato_width_km=500, date="2024-03-07", clip=True),
    Scenario(width_km=200, date="2021-12-17", pair_widths={"RUS-NOR": 50}),
)
FRAMES = ("strip", "affected", "regions", "totals", "cities")
affected_countries_unwrapped = analysis_module.affected_countries


@pytest.fixture
def threads_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Let analyse use the helper thread (the run turns it off: ``conftest.py``); return where regions ran.

    The countries wait until the regions have begun, so that the thread (not
    this one, finding them not begun) measures them however loaded the machine.
    """
    monkeypatch.delenv(cores.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(cores, "enabled", lambda: True)  # also on a 1-core machine
    ran_on: list[str] = []
    begun = threading.Event()
    crossed_regions, affected_countries = analysis_module.crossed_regions, analysis_module.affected_countries

    def recorded(zone: shapely.Geometry) -> object:
        ran_on.append(threading.current_thread().name)
        begun.set()
        return crossed_regions(zone)

    def after_the_regions_begin(*args: object, **kwargs: object) -> object:
        if cores.enabled() and threading.current_thread() is threading.main_thread():  # not when nested
            assert begun.wait(60)
            begun.clear()
        return affected_countries(*args, **kwargs)

    monkeypatch.setattr(analysis_module, "crossed_regions", recorded)
    monkeypatch.setattr(analysis_module, "affected_countries", after_the_regions_begin)
    return ran_on


def assert_same_bytes(one: pd.DataFrame, other: pd.DataFrame) -> None:
    """Every column equal, numbers bit for bit and geometries by their WKB."""
    assert list(one.columns) == list(other.columns)
    assert len(one) == len(other)
    for column in one.columns:
        a, b = one[column].to_numpy(), other[column].to_numpy()
        if column == "geometry":
            assert list(shapely.to_wkb(a)) == list(shapely.to_wkb(b))
        elif a.dtype.kind == "f":
            assert a.tobytes() == b.tobytes(), column
        else:
            assert list(a) == list(b), column


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.widths_label} {s.sides_label} clip={s.clip}")
def test_analyse_on_two_threads_gives_the_same_bytes_as_on_one(scenario, threads_on, monkeypatch):
    threaded = analyse(scenario)
    assert threads_on == ["zones-helper_0"]  # the regions were measured on the helper thread
    monkeypatch.setenv(cores.WORKERS_VARIABLE, "0")
    monkeypatch.setattr(cores, "enabled", lambda: False)
    alone = analyse(scenario)
    assert threads_on == ["zones-helper_0", threading.current_thread().name]
    for name in FRAMES:
        assert_same_bytes(getattr(threaded, name), getattr(alone, name))
    assert len(alone.regions) > 0


def test_zones_workers_0_runs_every_call_here(monkeypatch):
    monkeypatch.setenv(cores.WORKERS_VARIABLE, "0")
    with cores.helper_thread() as helper:
        assert not helper.threaded
        later = helper.start(lambda: threading.current_thread().name)
        assert later.result() == threading.current_thread().name


def test_a_call_on_the_helper_thread_runs_its_own_calls_there_without_waiting(threads_on):
    """analyse called on the helper thread (a width ladder's item, say) finds the thread taken and does not wait."""
    begun = threading.Event()

    def nested() -> tuple[bool, str, int]:
        begun.set()
        with cores.helper_thread() as inner:
            name = inner.start(lambda: threading.current_thread().name).result()
            return inner.threaded, name, len(analyse(Scenario(width_km=150, date="2021-12-17")).regions)

    with cores.helper_thread() as helper:
        assert helper.threaded
        later = helper.start(nested)
        assert begun.wait(60)  # on the thread (not taken back by this one)
        threaded, name, regions = later.result()
    assert (threaded, name) == (False, "zones-helper_0")
    assert regions > 0
    assert threads_on == ["zones-helper_0"]


def test_a_call_the_thread_has_not_begun_is_computed_here(threads_on):
    release = threading.Event()
    with cores.helper_thread() as helper:
        busy = helper.start(release.wait, 60)
        waiting = helper.start(lambda: threading.current_thread().name)
        assert waiting.result() == threading.current_thread().name  # taken back: the thread is busy
        release.set()
        assert busy.result() is True


def test_a_second_caller_meanwhile_runs_here_and_the_first_gets_the_thread_back(threads_on):
    started, release = threading.Event(), threading.Event()
    with cores.helper_thread() as first:
        held = first.start(lambda: (started.set(), release.wait(30), threading.current_thread().name)[-1])
        assert started.wait(30)
        with cores.helper_thread() as second:  # another session while the first holds the thread
            assert not second.threaded
            assert second.start(np.sqrt, 16.0).result() == 4.0
        release.set()
        assert held.result() == "zones-helper_0"
    with cores.helper_thread() as again:  # leaving the block freed the thread
        assert again.threaded


def test_an_error_on_the_helper_thread_is_raised_where_the_result_is_asked_for(threads_on):
    with cores.helper_thread() as helper:
        later = helper.start(int, "not a number")
        with pytest.raises(ValueError, match="invalid literal"):
            later.result()
    with cores.helper_thread() as helper:  # and the thread is free again
        assert helper.threaded


def test_without_regions_everything_runs_here(threads_on, monkeypatch):
    """The cities alone are too little work for the thread."""
    ran_on: list[str] = []
    cities_in = analysis_module.cities_in

    def recorded(*args: object) -> object:
        ran_on.append(threading.current_thread().name)
        return cities_in(*args)

    monkeypatch.setattr(analysis_module, "cities_in", recorded)
    monkeypatch.setattr(analysis_module, "affected_countries", affected_countries_unwrapped)
    assert len(analyse(Scenario(width_km=300, date="2021-12-17"), regions=False).cities) > 0
    assert ran_on == [threading.current_thread().name]
    assert threads_on == []


def test_sessions_at_once_get_the_same_bytes(monkeypatch):
    """Three callers at once (sessions of the app): one has the helper thread, the others run alone; same bytes."""
    monkeypatch.delenv(cores.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(cores, "enabled", lambda: True)
    scenarios = [Scenario(width_km=w, date="2021-12-17") for w in (120.5, 480.5, 900.5)]
    results: dict[int, list[object]] = {}
    start = threading.Barrier(len(scenarios))

    def session(k: int) -> None:
        start.wait(30)
        results[k] = [analyse(scenarios[(k + i) % len(scenarios)]) for i in range(len(scenarios))]

    threads = [threading.Thread(target=session, args=(k,)) for k in range(len(scenarios))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    monkeypatch.setattr(cores, "enabled", lambda: False)
    alone = [analyse(scenario) for scenario in scenarios]
    for k, got in results.items():
        for i, analysis in enumerate(got):
            want = alone[(k + i) % len(scenarios)]
            for name in FRAMES:
                assert_same_bytes(getattr(analysis, name), getattr(want, name))
    assert sorted(results) == [0, 1, 2]
