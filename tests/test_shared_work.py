"""Work shared between this thread and the helper thread (zones.engine.cores.Shared): same answers, in any split."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod

from zones import Scenario, analyse
from zones.engine import cores, impact, population, regions
from zones.settings import COUNTRY_PARTS

GEOD = Geod(ellps="WGS84")  # an independent solver, not the engine's own


@pytest.fixture
def thread_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the helper thread run (the test run turns it off: ``conftest.py``)."""
    monkeypatch.delenv(cores.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(cores, "enabled", lambda: True)  # also on a 1-core machine


@pytest.fixture(scope="module")
def zone_1000() -> shapely.Geometry:
    """The draft's zone at 1,000 km: 15 countries inside, 15 cut; 74 regions cut."""
    return analyse(Scenario(width_km=1000, date="2021-12-17"), regions=False).zone


def two_threads(function: Any, items: list[tuple[Any, ...]]) -> list[Any]:
    """A Mapper that runs the calls on two threads of a pool (neither is this one)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda item: function(*item), items))


def geometry_copy(shape: Any) -> Any:
    return shapely.from_wkb(shapely.to_wkb(shape))


# --- Shared and PerThread --------------------------------------------------------------------------------------


def test_calls_not_begun_are_taken_here_in_rank_order_while_the_thread_is_busy(thread_on):
    release, begun = threading.Event(), threading.Event()
    ran: list[tuple[str, str]] = []

    def record(name: str) -> str:
        ran.append((name, threading.current_thread().name))
        return name

    with cores.helper_thread() as helper, cores.Shared(helper) as shared:
        assert helper.threaded
        busy = shared.add(lambda: (begun.set(), release.wait(60))[-1], rank=-5)
        assert begun.wait(60)  # the helper thread holds the first call
        last = shared.add(record, "cities", rank=2)
        shared.add(record, "regions", rank=1)
        first = shared.add(record, "countries", rank=0)
        assert shared.result(first) == "countries"
        assert shared.result(last) == "cities"  # takes the one before it too, in rank order
        release.set()
        assert shared.result(busy) is True
    here = threading.current_thread().name
    assert ran == [("countries", here), ("regions", here), ("cities", here)]


def test_calls_above_the_rank_asked_for_are_left_to_the_helper_thread(thread_on):
    release, begun = threading.Event(), threading.Event()
    with cores.helper_thread() as helper, cores.Shared(helper) as shared:
        busy = shared.add(lambda: (begun.set(), release.wait(60))[-1], rank=-5)
        assert begun.wait(60)
        late = shared.add(lambda: threading.current_thread().name, rank=2)
        mine = shared.add(lambda: threading.current_thread().name, rank=1)
        assert shared.result(mine, up_to_rank=1) == threading.current_thread().name
        assert late.done is False  # left in the list, not taken here
        release.set()
        assert shared.result(busy, up_to_rank=1) is True  # waits, leaving the later call to the thread
        for _ in range(600):  # up to 60 s for the thread to take it
            if late.done:
                break
            threading.Event().wait(0.1)
        assert shared.result(late) == "zones-helper_0"


def test_leaving_on_an_error_drops_the_calls_not_begun_and_frees_the_thread(thread_on):
    ran: list[int] = []
    release, begun = threading.Event(), threading.Event()

    def failing_work() -> None:
        with cores.helper_thread() as helper, cores.Shared(helper) as shared:
            shared.add(lambda: (begun.set(), release.wait(60))[-1], rank=-5)
            assert begun.wait(60)
            shared.add(ran.append, 1)
            threading.Timer(0.5, release.set).start()  # the thread stays busy until after the error
            raise KeyError("an error in the caller's work")

    with pytest.raises(KeyError, match="caller's work"):
        failing_work()
    assert ran == []  # dropped: neither run here nor by the thread
    with cores.helper_thread() as helper:
        assert helper.threaded


def test_the_helper_thread_takes_the_calls_nobody_here_asks_for(thread_on):
    with cores.helper_thread() as helper, cores.Shared(helper) as shared:
        names = [shared.add(lambda: threading.current_thread().name) for _ in range(3)]
        for _ in range(600):  # up to 60 s for the thread to take them all
            if all(task.done for task in names):
                break
            threading.Event().wait(0.1)
    assert [shared.result(task) for task in names] == ["zones-helper_0"] * 3


def test_without_the_thread_every_call_runs_here_when_asked(monkeypatch):
    monkeypatch.setenv(cores.WORKERS_VARIABLE, "0")
    order: list[int] = []
    with cores.helper_thread() as helper, cores.Shared(helper) as shared:
        assert not helper.threaded
        squares = shared.map(lambda k: (order.append(k), k * k)[-1], [(k,) for k in range(5)], rank=1)
        later = shared.add(order.append, 99, rank=0)
        assert later.done is False  # nothing runs before it is asked for (or the list is closed)
    assert squares == [0, 1, 4, 9, 16]
    assert order == [0, 1, 2, 3, 4, 99]


def test_an_error_in_a_shared_call_is_raised_where_its_result_is_asked_for(thread_on):
    with cores.helper_thread() as helper, cores.Shared(helper) as shared:
        bad, good = shared.add(int, "not a number"), shared.add(int, "12")
        with pytest.raises(ValueError, match="invalid literal"):
            shared.result(bad)
        assert shared.result(good) == 12
    with cores.helper_thread() as helper:  # the thread's loop ended: it is free again
        assert helper.threaded


def test_each_thread_gets_its_own_copy_of_the_zone():
    zone = shapely.buffer(shapely.Point(20, 55), 2.0)
    shapely.prepare(zone)
    per = cores.PerThread(zone, geometry_copy)
    assert per.get() is zone
    with ThreadPoolExecutor(max_workers=1) as pool:
        theirs, again = pool.submit(per.get).result(), pool.submit(per.get).result()
    assert theirs is again  # one copy for that thread
    assert theirs is not zone
    assert not shapely.is_prepared(theirs)
    assert shapely.to_wkb(theirs) == shapely.to_wkb(zone)


def test_chunks_hold_every_position_once_the_costliest_first():
    costs = np.array([5.0, 100.0, 1.0, 40.0, 40.0, 3.0, 60.0, 2.0])
    groups = impact.chunks(costs, 3)
    together = np.sort(np.concatenate(groups))
    assert together.tolist() == list(range(len(costs)))
    assert all(np.all(np.diff(group) > 0) for group in groups)
    assert groups[0].tolist() == [1]  # 100 ≥ the mean cost of a group (83.7)
    assert [float(costs[g].sum()) for g in groups] == [100.0, 100.0, 51.0]
    assert impact.chunks(np.zeros(0), 3) == []


# --- The countries' and regions' work in parts ------------------------------------------------------------------


def assert_same_land(one: impact.CountryLand, other: impact.CountryLand) -> None:
    assert one.positions.tolist() == other.positions.tolist()
    assert one.area_km2.tobytes() == other.area_km2.tobytes()
    assert list(shapely.to_wkb(one.pieces)) == list(shapely.to_wkb(other.pieces))
    assert one.known.tolist() == other.known.tolist()
    assert one.counted[one.known].tobytes() == other.counted[other.known].tobytes()


def test_the_countries_in_parts_on_two_threads_are_the_one_batch_to_the_byte(zone_1000):
    alone = impact.country_land(zone_1000, places=True)
    per = cores.PerThread(zone_1000, geometry_copy)
    parted = impact.country_land(zone_1000, places=True, share=two_threads, region_of=per.get)
    assert_same_land(parted, alone)
    codes = impact._country_arrays()[0][alone.positions]
    cut = alone.pieces != impact._country_arrays()[2][alone.positions]
    assert 10 <= cut.sum() < len(codes)  # some cut, some wholly inside
    assert alone.known.tolist() == (cut & ~np.isin(codes, [*COUNTRY_PARTS, *COUNTRY_PARTS.values()])).tolist()
    # The cut pieces' areas, by pyproj's own geometry area (an independent path to the same ellipsoid).
    oracle_km2 = np.array([abs(GEOD.geometry_area_perimeter(p)[0]) / 1e6 for p in alone.pieces[cut]])
    np.testing.assert_allclose(alone.area_km2[cut], oracle_km2, rtol=1e-9)


def test_a_failed_clipped_overlay_cuts_every_country_whole_as_the_batch_did(zone_1000, monkeypatch):
    """GEOS refusing one part's clipped overlay: every country is intersected whole, as one batch fell back."""
    intersection = shapely.intersection
    refused: list[int] = []

    def refuse_once(a: Any, b: Any, **kwargs: Any) -> Any:
        if not refused and sys._getframe(1).f_code.co_name == "_measure_cut":
            refused.append(1)
            raise shapely.errors.GEOSException("TopologyException: refused for the test")
        return intersection(a, b, **kwargs)

    monkeypatch.setattr(shapely, "intersection", refuse_once)
    per = cores.PerThread(zone_1000, geometry_copy)
    land = impact.country_land(zone_1000, share=impact.serial_map, region_of=per.get)  # one part: refused
    assert refused == [1]
    refused.clear()
    parted = impact.country_land(zone_1000, share=two_threads, region_of=per.get)
    assert refused == [1]
    monkeypatch.setattr(shapely, "intersection", intersection)
    geoms = impact._country_arrays()[2]
    cut = land.pieces != geoms[land.positions]
    whole_cut = impact.polygonal_each(shapely.intersection(geoms[land.positions[cut]], zone_1000))
    assert list(shapely.to_wkb(land.pieces[cut])) == list(shapely.to_wkb(whole_cut))
    assert list(shapely.to_wkb(parted.pieces)) == list(shapely.to_wkb(land.pieces))
    assert parted.area_km2.tobytes() == land.area_km2.tobytes()


def test_the_regions_in_parts_on_two_threads_are_the_one_batch_to_the_byte(zone_1000):
    alone = regions.crossed_regions(zone_1000)
    per = cores.PerThread(zone_1000, geometry_copy)
    parted = regions.crossed_regions(geometry_copy(zone_1000), share=two_threads, zone_of=per.get)
    assert parted.positions.tolist() == alone.positions.tolist()
    assert parted.inside.tolist() == alone.inside.tolist()
    cut = ~alone.inside
    assert cut.sum() > 50
    assert list(shapely.to_wkb(parted.pieces[cut])) == list(shapely.to_wkb(alone.pieces[cut]))
    assert parted.area_km2.tobytes() == alone.area_km2.tobytes()
    assert parted.counted.tobytes() == alone.counted.tobytes()


def test_people_counted_in_part_beforehand_are_the_same_people(zone_1000):
    land = impact.country_land(zone_1000, places=True)
    codes = impact._country_arrays()[0][land.positions]
    share = np.clip(land.area_km2 / impact._country_arrays()[3][land.positions], 0.0, 1.0)
    counted_here = population.people_in(land.pieces, codes, area_share=share, whole=share >= 1.0)
    given = population.people_in(
        land.pieces, codes, area_share=share, whole=share >= 1.0, counted=land.counted, known=land.known
    )
    assert given.tolist() == counted_here.tolist()
    assert land.known.any()
    assert not land.known.all()


def test_an_analysis_shares_the_countries_and_regions_between_both_threads(thread_on, monkeypatch):
    """The countries' and the regions' parts ran on this thread and on the helper thread: the same bytes."""
    ran: dict[str, set[str]] = {"countries": set(), "regions": set()}
    measure_cut, cut_regions = impact._measure_cut, regions._cut_regions
    slow = threading.Event()

    def countries(*args: Any) -> Any:
        ran["countries"].add(threading.current_thread().name)
        slow.wait(0.05)  # long enough for the other thread to take the next part
        return measure_cut(*args)

    def regions_part(*args: Any) -> Any:
        ran["regions"].add(threading.current_thread().name)
        slow.wait(0.05)
        return cut_regions(*args)

    monkeypatch.setattr(impact, "_measure_cut", countries)
    monkeypatch.setattr(regions, "_cut_regions", regions_part)
    scenario = Scenario(width_km=700, date="2021-12-17")
    threaded = analyse(scenario)
    assert ran["countries"] == ran["regions"] == {threading.current_thread().name, "zones-helper_0"}
    monkeypatch.setattr(cores, "enabled", lambda: False)
    alone = analyse(scenario)
    for name in ("affected", "regions", "totals", "cities"):
        one, other = getattr(threaded, name), getattr(alone, name)
        assert list(one.columns) == list(other.columns)
        for column in one.columns:
            a, b = one[column].to_numpy(), other[column].to_numpy()
            if column == "geometry":
                assert list(shapely.to_wkb(a)) == list(shapely.to_wkb(b))
            elif a.dtype.kind == "f":
                assert a.tobytes() == b.tobytes(), column
            else:
                assert list(a) == list(b), column
