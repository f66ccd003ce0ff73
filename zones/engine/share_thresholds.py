"""At what width does a claim hold? The width at which each country's (or region's) share first reaches a level.

The zone of width W is every point within W of the contact line, so a
unit's affected area ``A(W)`` grows with W, and its rate of growth is the
length of the zone's edge inside the unit (``dA/dW = L(W)``, the coarea
formula: the edge is the curve at distance W). The thresholds are found in
two steps:

1. **Ladder.** Exact zones every :data:`LADDER_STEP_KM` from 0 to 2,000 km
   (:func:`zones.engine.strip.geodesic_buffer`), each cut with the admin-1 regions
   it crosses, give every region's exact area ``A`` and edge length ``L``
   at each rung; a country's are the sums over its regions (they tile it).
2. **Hermite, then exact, all units at once.** Between the two rungs
   around a level, ``A`` is a cubic with those end values and slopes; its
   crossing of the level is the first guess. The guess is rounded up to a
   multiple of :data:`RESOLUTION_KM` and checked on exact zones of the
   whole line, a country measured as :func:`zones.analyse` measures it (its
   land cut with the zone), a region as the ladder does: the width returned
   is the smallest multiple of 0.5 km at which that share reaches the level
   (the share at 0.5 km less does not). Every level needs those two exact
   measures at least; the next width after the guess comes from a Newton
   step (the ladder's edge length as slope), then secant steps through the
   exact measures, and, where the model misleads twice running (the last
   few islands of a country, "all"), steps that double and then halving.
   The searches of every unit and level run in rounds: each round's widths
   are drawn once each and measured in every unit that asked for them, on
   both cores (:func:`_solve_all`). The zone of a line clipped near the
   unit would be cheaper, but its edge differs from the whole line's by up
   to the strip's tolerance, enough to move a width by a step.

"All" means a share of at least :data:`ALL_SHARE` (a country's edge
vertices lie within metres of the line's far side only at the limit).
Widths apply on both sides alike; with ``clip`` third countries drop out.

**Denominators.** A country's share is of its stated part
(:func:`zones.engine.denominators.denominator`: mainland Norway without Svalbard,
Jan Mayen and Bouvet Island, metropolitan France …, else the whole country),
always the whole of it, wherever it lies: a region beyond the widest zone
counts in the denominator, never in the zone. ``width_whole_km`` gives the
width for the whole country alongside. A level the zone does not reach
within the widest width drawn (2,000 km) is left empty and said so in
``note``; it is never given a width at which the share is lower. To split
the stated part from the rest, a region that straddles a remote part (Nordland
holds Jan Mayen) is cut in two *cells*; the ladder measures cells.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
import shapely

from geodata import load_countries
from geodata.geodesy import GEOD, geodesic_area_km2
from zones._validate import validate_codes
from zones.engine import disk_cache, progress
from zones.engine.analysis import Scenario, scenario_contact
from zones.engine.contact import Sides
from zones.engine.cores import shared_map
from zones.engine.denominators import country_area_km2, denominator, remote_area_km2, remote_boxes, split_remote
from zones.engine.impact import land_pieces, side_of
from zones.engine.pair_widths import refuse_pair_widths
from zones.engine.regions import region_arrays
from zones.engine.strip import geodesic_buffer
from zones.errors import ArgumentError
from zones.settings import COUNTRY_PARTS
from zones.wording import format_km

LOG: Final = logging.getLogger("zones")

#: The levels reported, as shares of a unit's land, with their words.
LEVELS: Final = ((0.1, "a tenth"), (1 / 3, "a third"), (0.5, "half"), (0.9, "nine tenths"), (1.0, "all"))
#: Share counted as "all" of a unit.
ALL_SHARE: Final = 0.9999
#: Rounded share levels as written in the CSV's ``share`` column.
SHARE_LABELS: Final = {0.1: 0.1, 1 / 3: 0.3333, 0.5: 0.5, 0.9: 0.9, 1.0: 1.0}
#: Spacing of the exact zones of the ladder, in km.
LADDER_STEP_KM: Final = 25.0
#: Widest zone considered, in km (the API's limit).
MAX_THRESHOLD_KM: Final = 2000.0
#: Precision of the widths returned, in km.
RESOLUTION_KM: Final = 0.5
#: Bump when the method changes, so that results kept on disk are not reused (a change of the data needs none:
#: every cache file's name carries the data's fingerprint, :mod:`zones.engine.disk_cache`).
CACHE_VERSION: Final = 4
#: What ``by`` may be.
UNITS: Final = ("countries", "regions")

#: Zones kept in memory (each width's zone is drawn once and measured in every unit that needs it).
_STRIPS_KEPT: Final = 2
#: A bracket this short or shorter is halved once the model has misled twice running, in km.
_HALVING_KM: Final = 16.0
#: Step by which the ladder's widest zone shrinks when the line cannot be buffered 2,000 km, in km.
_FALLBACK_STEP_KM: Final = 250.0

THRESHOLD_COLUMNS: Final = (
    "adm0_a3",
    "iso_3166_2",
    "adm1_code",
    "name",
    "side",
    "share",
    "level",
    "denominator",
    "width_km",
    "width_whole_km",
    "note",
)
#: The stated part of a region: all of it.
WHOLE_REGION: Final = "whole region"


@dataclasses.dataclass(frozen=True)
class _Cells:
    """The regions, each cut in two where it straddles a remote part of its country (read-only arrays)."""

    geometry: np.ndarray
    area_km2: np.ndarray
    region: np.ndarray  # positions in zones.engine.regions.region_arrays()
    owner: np.ndarray  # the country it counts with (Åland with Finland)
    remote: np.ndarray  # in a remote part (zones.engine.denominators.REMOTE_PARTS)
    tree: shapely.STRtree


@functools.cache
def _cells() -> _Cells:
    """Return the cells of the regions (see the module docstring), made once per process."""
    arrays = region_arrays()
    geometry, area, region, owner, remote = [], [], [], [], []
    for i, (geom, code) in enumerate(zip(arrays["geometry"], arrays["adm0_a3"], strict=True)):
        code = COUNTRY_PARTS.get(code, code)
        stated, far = split_remote(geom, code) if remote_boxes(code) else (geom, shapely.MultiPolygon())
        if shapely.is_empty(far) or shapely.is_empty(stated):  # wholly one or the other: kept as it is
            pieces = [(geom, float(arrays["area_km2"][i]), not shapely.is_empty(far))]
        else:
            stated_km2, far_km2 = geodesic_area_km2([stated, far])
            pieces = [(stated, float(stated_km2), False), (far, float(far_km2), True)]
        for piece, piece_km2, is_remote in pieces:
            geometry.append(piece)
            area.append(piece_km2)
            region.append(i)
            owner.append(code)
            remote.append(is_remote)
    cells = _Cells(
        geometry=np.array(geometry, dtype=object),
        area_km2=np.array(area),
        region=np.array(region, dtype=np.intp),
        owner=np.array(owner, dtype=object),
        remote=np.array(remote, dtype=bool),
        tree=shapely.STRtree(np.array(geometry, dtype=object)),
    )
    for array in (cells.geometry, cells.area_km2, cells.region, cells.owner, cells.remote):
        array.flags.writeable = False
    return cells


#: A unit's part: its ladder columns and its whole area (km²).
_Part = tuple[np.ndarray, float]


@dataclasses.dataclass(frozen=True)
class _Ladder:
    """Exact areas and edge lengths of every cell within reach at every rung (rows: widths, columns: cells)."""

    widths_km: np.ndarray
    area_km2: np.ndarray
    edge_km: np.ndarray
    cells: np.ndarray  # positions in _cells()


def _cut(strip: shapely.Geometry, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the exact area (km²) of ``strip`` in each cell at ``positions`` and its edge's length there (km)."""
    cells = _cells()
    geoms = cells.geometry[positions]
    area = np.zeros(len(positions))
    edge = np.zeros(len(positions))
    if shapely.is_empty(strip) or len(positions) == 0:
        return area, edge
    shapely.prepare(strip)
    touching = shapely.intersects(strip, geoms)
    inside = touching & shapely.contains_properly(strip, geoms)
    area[inside] = cells.area_km2[positions[inside]]
    crossed = np.flatnonzero(touching & ~inside)
    if crossed.size:
        area[crossed] = geodesic_area_km2(shapely.intersection(geoms[crossed], strip))
        outline = shapely.boundary(strip)
        for i, piece in zip(crossed, shapely.intersection(geoms[crossed], outline), strict=True):
            edge[i] = GEOD.geometry_length(piece) / 1000.0 if not piece.is_empty else 0.0
    return area, edge


@functools.lru_cache(maxsize=8)
def _ladder(line_wkb: bytes, countries: tuple[str, ...] | None) -> _Ladder:
    """Return the ladder of one contact line (see the module docstring), kept per line and countries."""
    line = shapely.from_wkb(line_wkb)
    widest_km, widest = _widest_zone(line)
    widths_km = np.arange(0.0, widest_km + LADDER_STEP_KM / 2, LADDER_STEP_KM)
    cells = _cells()
    reach = np.sort(cells.tree.query(widest, predicate="intersects"))
    if countries is not None:
        reach = reach[np.isin(cells.owner[reach], countries)]
    area = np.zeros((len(widths_km), len(reach)))
    edge = np.zeros_like(area)
    totals = cells.area_km2[reach]
    # The rungs below the widest, on both cores (zones.engine.cores); the widest zone is drawn already.
    rungs = shared_map(_rung, [(line_wkb, float(width_km), reach) for width_km in widths_km[1:-1]])
    try:
        for k, width_km in enumerate(widths_km[1:], start=1):
            if (area[k - 1] >= totals * ALL_SHARE).all():  # every region is in: the rest of the ladder is the same
                area[k:], edge[k:] = area[k - 1], 0.0
                break
            area[k], edge[k] = _cut(widest, reach) if width_km == widest_km else next(rungs)
            progress.step(k, len(widths_km) - 1)  # the app's progress bar (zones.engine.progress); nothing elsewhere
    finally:
        rungs.close()
    LOG.debug("threshold ladder: %d rungs, %d cells", len(widths_km), len(reach))
    for array in (widths_km, area, edge, reach):
        array.flags.writeable = False
    return _Ladder(widths_km=widths_km, area_km2=area, edge_km=edge, cells=reach)


def _rung(ask: tuple[bytes, float, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`_cut` of the zone of ``ask = (line_wkb, width_km, positions)`` (a rung; a worker's task)."""
    line_wkb, width_km, positions = ask
    return _cut(_strip(line_wkb, width_km), positions)


@functools.lru_cache(maxsize=_STRIPS_KEPT)
def _strip(line_wkb: bytes, width_km: float) -> shapely.Geometry:
    """Return the zone of the line ``line_wkb`` at ``width_km``, the latest few kept (a solve asks twice)."""
    return geodesic_buffer(shapely.from_wkb(line_wkb), distance_km=width_km)


def _widest_zone(line: shapely.Geometry) -> tuple[float, shapely.Geometry]:
    """Return the widest width (≤ 2,000 km, in ladder steps) whose zone the engine can draw for ``line``, and the zone.

    A line that spans much of a hemisphere (the sea borders reach the Bering
    Strait) cannot be buffered by 2,000 km within the engine's 60° frame;
    its thresholds then stop at a narrower width.
    """
    width_km = MAX_THRESHOLD_KM
    while True:
        try:
            return width_km, geodesic_buffer(line, distance_km=width_km)
        except ArgumentError:
            if width_km <= _FALLBACK_STEP_KM:
                raise
            width_km -= _FALLBACK_STEP_KM
            LOG.debug("threshold ladder: the line cannot be buffered that far; trying %.0f km", width_km)


def _hermite_crossing(w0: float, w1: float, a0: float, a1: float, d0: float, d1: float, target: float) -> float:
    """Return where the cubic Hermite curve through ``(w0, a0, d0)`` and ``(w1, a1, d1)`` first reaches ``target``."""
    h = w1 - w0

    def value(w: float) -> float:
        t = (w - w0) / h
        return (
            (2 * t**3 - 3 * t**2 + 1) * a0
            + (t**3 - 2 * t**2 + t) * h * d0
            + (-2 * t**3 + 3 * t**2) * a1
            + (t**3 - t**2) * h * d1
        )

    low, high = w0, w1
    for _ in range(40):  # bisection on the cubic: to 20 km / 2^40
        mid = (low + high) / 2
        if value(mid) >= target:
            high = mid
        else:
            low = mid
    return high


#: How a unit is measured: ``("country", code)``, its features (Åland with Finland) cut with the zone as
#: ``analyse`` cuts them, or ``("cells", positions)``, its cells cut as the ladder cuts them (a region's).
_Measure = tuple[Any, ...]


def _features(code: str) -> tuple[str, ...]:
    """Return the features of country ``code``: its own and its listed parts (Åland with Finland)."""
    return (code, *(part for part, whole in COUNTRY_PARTS.items() if whole == code))


def _measure_width(task: tuple[bytes, float, tuple[_Measure, ...]]) -> list[tuple[float, float]]:
    """Return the exact area (km²) of one zone in each unit: ``(stated part, whole)`` per unit (a worker's task).

    ``task`` is ``(line_wkb, width_km, hows)``: the zone of the whole line at
    ``width_km``, drawn once for every unit measured at that width. A
    country is measured as :func:`zones.analyse` measures it: its features
    cut with the zone (:func:`zones.engine.impact.land_pieces`), its land in
    remote parts taken off for the stated part, as in the affected table's
    ``share``; cells (a region's) are cut as the ladder cuts them.
    """
    line_wkb, width_km, hows = task
    out = [(0.0, 0.0)] * len(hows)
    if width_km <= 0:
        return out
    strip = _strip(line_wkb, width_km)
    wanted = {i: _features(str(how[1])) for i, how in enumerate(hows) if how[0] == "country"}
    if wanted:
        found, area_km2, pieces = land_pieces(strip, tuple(sorted({f for fs in wanted.values() for f in fs})))
        for i, features in wanted.items():
            mine = np.isin(found, features)  # in load order, as a call with the country's features alone gives
            whole = float(area_km2[mine].sum())
            stated = whole
            if remote_boxes(str(hows[i][1])):
                stated = whole - float(remote_area_km2(pieces[mine], found[mine]).sum())
            out[i] = (stated, whole)
    for i, how in enumerate(hows):
        if how[0] == "cells":
            area = float(_cut(strip, how[1])[0].sum())
            out[i] = (area, area)
    return out


def _on_grid(width_km: float) -> float:
    """Return ``width_km`` rounded up to a multiple of RESOLUTION_KM, within 0 to MAX_THRESHOLD_KM."""
    return min(max(math.ceil(width_km / RESOLUTION_KM - 1e-9) * RESOLUTION_KM, RESOLUTION_KM), MAX_THRESHOLD_KM)


@dataclasses.dataclass
class _Search:
    """One level of one unit's part being solved (internal state of :func:`_solve_all`).

    ``guide_km`` and ``slope_km`` give the guide's slope ``dA/dW`` (km² per
    km) at its widths; ``short_km`` and ``reach_km`` are widths known
    exactly to fall short of and to reach ``target_km2`` before any measure
    (0 and none unless the guide's numbers are :func:`zones.analyse`'s).
    """

    unit: int
    part: int  # 0: the stated part, 1: the whole unit
    target_km2: float
    guess_km: float
    guide_km: np.ndarray
    slope_km: np.ndarray
    short_km: float = 0.0
    reach_km: float | None = None
    last_km: float | None = None
    last_side: int = 0
    same_side: int = 0
    step_km: float = 0.0  # the last doubling step (see _next_width)
    misled: bool = False  # two measures running fell on the same side of the target, or "all": halve short brackets


def _next_width(search: _Search, measured: dict[float, tuple[float, float]], widest_km: float) -> tuple[bool, Any]:
    """Return ``(True, width or None)`` once ``search`` is settled, else ``(False, the next width to measure)``.

    The answer is settled by a width that reaches the target and one 0.5 km
    less that falls short, both measured exactly (or known from the
    guide). The next width is the first guess, then a Newton step from the
    last measure with the guide's slope, then secant steps through the two
    measures nearest the target, always inside the bracket the measures
    give; a bracket that keeps shrinking on one side only is halved.
    """
    target = search.target_km2
    exact = {width: areas[search.part] for width, areas in measured.items()}
    low = max([search.short_km, *(w for w, a in exact.items() if a < target)])
    highs = [w for w, a in exact.items() if a >= target and w > low]
    if search.reach_km is not None and search.reach_km > low:
        highs.append(search.reach_km)
    high = min(highs, default=None)
    if high is not None and high - low <= RESOLUTION_KM:
        return True, high
    if high is None and low >= widest_km:
        return True, None
    if search.last_km is None:
        estimate = search.guess_km
        if search.misled and high is not None and high - low <= _HALVING_KM:
            estimate = (low + high) / 2
    else:
        last = search.last_km
        side = 1 if exact[last] >= target else -1
        search.same_side = search.same_side + 1 if side == search.last_side else 1
        search.last_side = side
        near = sorted((w for w in exact if w >= low and (high is None or w <= high)), key=lambda w: abs(w - last))
        other = next((w for w in near if w != last and exact[w] != exact[last]), None)
        search.misled |= search.same_side >= 2
        halving_km = max(2 * search.step_km, _HALVING_KM if search.misled else 0.0)
        if high is not None and high - low <= halving_km:
            estimate = (low + high) / 2  # the model misled twice running, in a short bracket (or one doubling found)
        elif search.same_side >= 2:  # the model misled twice running: steps that double, away from the last measure
            search.step_km = RESOLUTION_KM * 2.0 ** (search.same_side - 1)
            estimate = last - side * search.step_km
        elif other is not None:  # secant through the two measures nearest the last
            estimate = last + (target - exact[last]) * (last - other) / (exact[last] - exact[other])
        else:  # Newton with the guide's slope
            slope = float(np.interp(last, search.guide_km, search.slope_km))
            estimate = last + (target - exact[last]) / slope if slope > 0 else last - side * LADDER_STEP_KM
        if not low < estimate <= (widest_km if high is None else high) and search.same_side >= 2:
            estimate = (low + high) / 2 if high is not None else widest_km  # past the bracket: halve it
    width = max(_on_grid(estimate), low + RESOLUTION_KM)
    width = min(width, widest_km if high is None else high)
    if width == high:
        width = high - RESOLUTION_KM
    search.last_km = width
    return False, width


def _solve_all(
    line_wkb: bytes, searches: list[_Search], hows: list[_Measure], widest_km: float, *, report: bool = False
) -> list[float | None]:
    """Return the width of each search (a multiple of 0.5 km, ``None`` if not reached by ``widest_km``).

    With ``report``, each round reports how many searches are settled, of all (:mod:`zones.engine.progress`).

    Round by round, every unsettled search names the width it needs next
    (:func:`_next_width`); each width's zone is drawn once and every unit
    that needs it is measured on it (:func:`_measure_width`), the widths of
    a round on both cores (:mod:`zones.engine.cores`). A unit's measures
    serve all its levels and both its parts.
    """
    measured: list[dict[float, tuple[float, float]]] = [{} for _ in hows]
    answers: list[float | None] = [None] * len(searches)
    pending = list(range(len(searches)))
    rounds = measures = 0
    while pending:
        asks: dict[float, set[int]] = {}
        still = []
        for index in pending:
            search = searches[index]
            settled, width = _next_width(search, measured[search.unit], widest_km)
            if settled:
                answers[index] = width
            else:
                asks.setdefault(width, set()).add(search.unit)
                still.append(index)
        pending = still
        if report:
            progress.step(len(searches) - len(pending), len(searches))
        if not asks:
            break
        tasks = [(line_wkb, width, tuple(sorted(units))) for width, units in sorted(asks.items())]
        found = shared_map(_measure_width, [(wkb, width, tuple(hows[u] for u in units)) for wkb, width, units in tasks])
        for (_, width, units), areas in zip(tasks, found, strict=True):
            for unit, area in zip(units, areas, strict=True):
                measured[unit][width] = area
        rounds += 1
        measures += sum(len(units) for _, _, units in tasks)
    LOG.debug("thresholds: %d searches, %d rounds, %d measures", len(searches), rounds, measures)
    return answers


def thresholds(scenario: Scenario, *, by: str = "countries", countries: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return the width at which each unit's share of land in the zone first reaches each level.

    Parameters
    ----------
    scenario : Scenario
        Date, reading of Russia's side, custom sides and clipping; its widths
        are ignored (the width is what is sought, the same on both sides).
    by : {"countries", "regions"}
        Report per country or per admin-1 region.
    countries : tuple of str, optional
        Only these countries (``adm0_a3`` codes) or their regions; all within
        reach by default. Fewer countries take less time.

    Returns
    -------
    pandas.DataFrame
        One row per unit within 2,000 km and level: ``adm0_a3``,
        ``iso_3166_2`` and ``adm1_code`` (regions only, else empty), ``name``, ``side``,
        ``share`` (0.1, 0.3333, 0.5, 0.9, 1.0), ``level`` (words),
        ``denominator`` (what the share is of: ``"mainland Norway"``,
        ``"whole country"``, ``"whole region"``, see :mod:`zones.engine.denominators`),
        ``width_km`` (a multiple of 0.5 km at which the share of the
        denominator first reaches the level; NaN where no width up to
        2,000 km does), ``width_whole_km`` (the same for the whole country,
        remote parts included; equal to ``width_km`` where the denominator is
        the whole unit) and ``note`` (``"not within 2,000 km"`` where a width
        is NaN, else empty). Units are ordered by the width at which they
        reach a tenth.

    Raises
    ------
    ArgumentError
        If ``by`` or a country code is not allowed, or the scenario has widths per pair (one width is measured
        along the whole line).
    NoBorderError
        If the sides share no border.
    """
    refuse_pair_widths(scenario.pair_widths, what="the thresholds")
    if by not in UNITS:
        raise ArgumentError("by", by, "one of " + ", ".join(f"'{u}'" for u in UNITS))
    if countries is not None:
        countries = validate_codes(countries, argument="countries")
    sides, _contact_pairs, line = scenario_contact(scenario)
    return _thresholds(shapely.to_wkb(line), sides, by=by, clip=scenario.clip, countries=countries).copy()


def is_stored(scenario: Scenario, *, by: str = "countries", countries: tuple[str, ...] | None = None) -> bool:
    """Return whether :func:`thresholds` of ``scenario``'s line is on disk already (then it takes no time).

    The arguments are :func:`thresholds`'; ``countries`` as valid codes (not checked here).
    """
    _sides, _contact_pairs, line = scenario_contact(scenario)
    return disk_cache.is_stored(_cache_name(shapely.to_wkb(line), by=by, countries=countries), suffix=".parquet")


def _cache_name(line_wkb: bytes, *, by: str, countries: tuple[str, ...] | None) -> str:
    """Return the name of one line's thresholds in the disk cache."""
    return "thresholds-" + hashlib.sha256(line_wkb + repr((by, countries, CACHE_VERSION)).encode()).hexdigest()[:24]


@functools.lru_cache(maxsize=16)
def _thresholds(
    line_wkb: bytes, sides: Sides, *, by: str, clip: bool, countries: tuple[str, ...] | None
) -> pd.DataFrame:
    """Return :func:`thresholds` for one line, kept in memory and on disk (callers get copies)."""
    name = _cache_name(line_wkb, by=by, countries=countries)
    table = disk_cache.load(name)
    if table is None:
        table = _compute(line_wkb, by=by, countries=countries)
        disk_cache.store(name, table)
    labels = side_of(table["adm0_a3"].to_numpy(dtype=object), sides)
    table = table.assign(side=labels)
    if clip:
        table = table[table["side"] != "third"].reset_index(drop=True)
    return table


def _compute(line_wkb: bytes, *, by: str, countries: tuple[str, ...] | None) -> pd.DataFrame:
    """Return the thresholds of one line (``side`` left empty: it depends on the sides, not the line)."""
    ladder = _ladder(line_wkb, countries)
    cells, arrays = _cells(), region_arrays()
    owner, remote, region = cells.owner[ladder.cells], cells.remote[ladder.cells], cells.region[ladder.cells]
    # A unit: code, ISO and adm1 codes, name, denominator, how it is measured, then its parts (the stated part,
    # and the whole if it differs), each as (ladder columns, total km²).
    units: list[tuple[str, str, str, str, str, _Measure, tuple[_Part, ...]]] = []
    if by == "countries":
        features = load_countries()
        for code in np.unique(owner):
            columns = np.flatnonzero(owner == code)
            name = features["name"].get(code, code)
            if code not in features.index:  # a region coded apart from every country: measured by its cells
                total_km2 = float(arrays["area_km2"][np.unique(region[columns])].sum())
                units.append(
                    (code, "", "", name, denominator(code), ("cells", ladder.cells[columns]), ((columns, total_km2),))
                )
                continue
            whole: _Part = (columns, country_area_km2(code, stated=False))
            parts: tuple[_Part, ...] = (whole,)
            if remote_boxes(code):
                parts = ((columns[~remote[columns]], country_area_km2(code, stated=True)), whole)
            units.append((code, "", "", name, denominator(code), ("country", str(code)), parts))
    else:
        for position in np.unique(region):
            columns = np.flatnonzero(region == position)
            whole = (columns, float(arrays["area_km2"][position]))
            units.append(
                (
                    str(owner[columns[0]]),
                    arrays["iso_3166_2"][position],
                    arrays["adm1_code"][position],
                    arrays["name"][position],
                    WHOLE_REGION,
                    ("cells", ladder.cells[columns]),
                    (whole,),
                )
            )
    units = [unit for unit in units if ladder.area_km2[-1, unit[6][-1][0]].sum() > 0]
    searches: list[_Search] = []
    asked: dict[tuple[int, int, int], int] = {}  # (unit, level, part) -> search
    for u, (*_, parts) in enumerate(units):
        for p, (columns, total_km2) in enumerate(parts):
            area, edge = ladder.area_km2[:, columns].sum(axis=1), ladder.edge_km[:, columns].sum(axis=1)
            for lv, (share, _words) in enumerate(LEVELS):
                target_km2 = total_km2 * (ALL_SHARE if share == 1.0 else share)
                search = _ladder_search(u, p, target_km2, ladder, area, edge, all_share=share == 1.0)
                if search is not None:
                    asked[u, lv, p] = len(searches)
                    searches.append(search)
    hows = [unit[5] for unit in units]
    found = _solve_all(line_wkb, searches, hows, widest_km=float(ladder.widths_km[-1]))
    beyond = f"not within {format_km(float(ladder.widths_km[-1]))}"
    rows = []
    for u, (code, iso, adm1, name, part, _, parts) in enumerate(units):
        for lv, (share, words) in enumerate(LEVELS):
            width, width_whole = (found[asked[u, lv, p]] if (u, lv, p) in asked else None for p in (0, len(parts) - 1))
            note = beyond if width is None else (f"whole country {beyond}" if width_whole is None else "")
            rows.append((u, code, iso, adm1, name, "", SHARE_LABELS[share], words, part, width, width_whole, note))
    table = pd.DataFrame(rows, columns=["_unit", *THRESHOLD_COLUMNS])
    table["width_km"] = table["width_km"].astype(float)
    table["width_whole_km"] = table["width_whole_km"].astype(float)
    first = table[table["share"] == SHARE_LABELS[0.1]].set_index("_unit")["width_km"]
    table = table.assign(_order=table["_unit"].map(first))
    table = table.sort_values(["_order", "adm0_a3", "adm1_code", "share"], kind="stable")
    table = table.drop(columns=["_order", "_unit"]).reset_index(drop=True)
    return table


def _ladder_search(
    unit: int, part: int, target_km2: float, ladder: _Ladder, area: np.ndarray, edge: np.ndarray, *, all_share: bool
) -> _Search | None:
    """Return the search for the width at which a part's area reaches ``target_km2``, guided by the ladder.

    The first guess is where the cubic through the two rungs around the
    target (their areas and edge lengths) crosses it. ``None`` where the
    ladder's widest zone does not hold that much.
    """
    reached = np.flatnonzero(area >= target_km2)
    if not reached.size or target_km2 <= 0:
        return None
    k = int(reached[0])
    w = ladder.widths_km
    guess = _hermite_crossing(w[k - 1], w[k], area[k - 1], area[k], edge[k - 1], edge[k], target_km2)
    return _Search(
        unit=unit, part=part, target_km2=target_km2, guess_km=guess, guide_km=w, slope_km=edge, misled=all_share
    )


#: A country's shares as :func:`zones.analyse` gives them at some widths: ``(widths_km, share, share_whole_country)``.
ShareSteps = tuple[Sequence[float], Sequence[float], Sequence[float]]

#: A share this close to a level (either way) at a guide's width is measured again rather than trusted.
_GUIDE_MARGIN: Final = 1e-9


def thresholds_from_shares(
    scenario: Scenario, levels: Sequence[tuple[str, float]], *, shares: Mapping[str, ShareSteps]
) -> pd.DataFrame:
    """Return the rows of :func:`thresholds` for a few countries' levels, guided by shares already known.

    The app's claims need ten levels, not every level of every country, and
    the width ladder (:mod:`zones.web.ladder`) already holds ``analyse``'s
    share of every country at every 10 km step: each level is then
    bracketed between two steps, and a few exact zones inside the bracket
    settle it, as :func:`thresholds` does (the same answer: the smallest
    multiple of 0.5 km at which the share reaches the level).

    Parameters
    ----------
    scenario : Scenario
        As for :func:`thresholds` (its widths are ignored).
    levels : sequence of (str, float)
        Country code (``adm0_a3``) and level, one of 0.1, 0.3333 (a third), 0.5, 0.9 and 1.0 ("all").
    shares : mapping of str to (widths_km, share, share_whole_country)
        Exact shares of the countries, as :func:`zones.analyse`'s affected
        table gives them for this scenario's line (the stated part and the
        whole country), at some widths; a country missing there had no land
        in the zone at any of them. A level that no width given reaches is
        solved by :func:`thresholds` instead (slower).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`thresholds`, one row per level asked, in that
        order; with ``clip`` the third countries' rows are left out.

    Raises
    ------
    ArgumentError
        If a level is not one of those, a country code is unknown, or the scenario has widths per pair.
    NoBorderError
        If the sides share no border.
    """
    refuse_pair_widths(scenario.pair_widths, what="the thresholds")
    labels = {round(share, 4): (share, words) for share, words in LEVELS}
    asked: list[tuple[str, float, str]] = []
    for code, level in levels:
        if round(float(level), 4) not in labels:
            raise ArgumentError("levels", level, "one of " + ", ".join(f"{label:g}" for label in labels))
        share, words = labels[round(float(level), 4)]
        asked.append((validate_codes((code,), argument="levels")[0], share, words))
    sides, _contact_pairs, line = scenario_contact(scenario)
    if scenario.clip:  # third countries drop out: nothing to solve for them
        third = side_of(np.array([code for code, _, _ in asked], dtype=object), sides) == "third"
        asked = [level for level, is_third in zip(asked, third, strict=True) if not is_third]
    line_wkb = shapely.to_wkb(line)
    codes = sorted({code for code, _, _ in asked})
    guided: dict[tuple[str, float, int], _Search | None] = {}
    slow: set[str] = set()
    for code, share, _words in asked:
        for p, stated in enumerate((True, False) if remote_boxes(code) else (True,)):
            search = _guided_search(codes.index(code), p, share, country_area_km2(code, stated=stated), shares, code)
            if search is None:
                slow.add(code)  # not reached at any width given: solved the slow way, with its ladder
            guided[code, share, p] = search
    searches = {key: search for key, search in guided.items() if search is not None and key[0] not in slow}
    widths = dict(
        zip(
            searches,
            _solve_all(
                line_wkb,
                list(searches.values()),
                [("country", c) for c in codes],
                widest_km=MAX_THRESHOLD_KM,
                report=True,  # the claims panel's bar: the searches settled so far
            ),
            strict=True,
        )
    )
    others = thresholds(scenario.replace(clip=False), countries=tuple(sorted(slow))) if slow else None
    names = load_countries()["name"]
    beyond = f"not within {format_km(MAX_THRESHOLD_KM)}"
    rows = []
    for code, share, words in asked:
        if others is not None and code in slow:
            row = others[(others["adm0_a3"] == code) & (others["share"] == SHARE_LABELS[share])].iloc[0]
            rows.append(tuple(row[column] for column in THRESHOLD_COLUMNS))
            continue
        width = widths[code, share, 0]
        width_whole = widths[code, share, 1] if remote_boxes(code) else width
        note = beyond if width is None else (f"whole country {beyond}" if width_whole is None else "")
        name = names.get(code, code)
        rows.append((code, "", "", name, "", SHARE_LABELS[share], words, denominator(code), width, width_whole, note))
    table = pd.DataFrame(rows, columns=list(THRESHOLD_COLUMNS))
    table["width_km"] = table["width_km"].astype(float)
    table["width_whole_km"] = table["width_whole_km"].astype(float)
    table["side"] = side_of(table["adm0_a3"].to_numpy(dtype=object), sides)
    return table


def _guided_search(
    unit: int, part: int, share: float, total_km2: float, shares: Mapping[str, ShareSteps], code: str
) -> _Search | None:
    """Return the search for one level of one country's part (0: stated, 1: whole), bracketed by exact shares.

    ``None`` where no width of ``shares`` reaches the level (by more than
    :data:`_GUIDE_MARGIN`). The first guess is where the cubic through the
    two widths around the level (their areas, slopes by finite differences)
    crosses it.
    """
    level = ALL_SHARE if share == 1.0 else share
    if code not in shares or total_km2 <= 0:
        return None
    widths_km, stated, whole = (np.asarray(column, dtype=float) for column in shares[code])
    order = np.argsort(widths_km, kind="stable")
    widths_km, guide = widths_km[order], (stated if part == 0 else whole)[order]
    if len(widths_km) < 2:
        return None
    reach = np.flatnonzero(guide >= level + _GUIDE_MARGIN)
    if not reach.size or widths_km[reach[0]] <= 0:
        return None
    k = int(reach[0])
    short = widths_km[:k][guide[:k] < level - _GUIDE_MARGIN]
    area = guide * total_km2
    slope = np.gradient(area, widths_km)
    w0 = float(short[-1]) if short.size else 0.0
    a0 = float(np.interp(w0, widths_km, area))
    s0 = float(np.interp(w0, widths_km, slope))
    guess = _hermite_crossing(w0, float(widths_km[k]), a0, float(area[k]), s0, float(slope[k]), level * total_km2)
    return _Search(
        unit=unit,
        part=part,
        target_km2=level * total_km2,
        guess_km=guess,
        guide_km=widths_km,
        slope_km=np.maximum(slope, 0.0),
        short_km=w0,
        reach_km=float(widths_km[k]),
        misled=share == 1.0,  # the last islands: no curve through the steps foretells them
    )
