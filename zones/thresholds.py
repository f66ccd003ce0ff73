"""At what width does a claim hold? The width at which each country's (or region's) share first reaches a level.

The zone of width W is every point within W of the contact line, so a
unit's affected area ``A(W)`` grows with W, and its rate of growth is the
length of the zone's edge inside the unit (``dA/dW = L(W)``, the coarea
formula: the edge is the curve at distance W). The thresholds are found in
two steps:

1. **Ladder.** Exact zones every :data:`LADDER_STEP_KM` from 0 to 2,000 km
   (:func:`zones.strip.geodesic_buffer`), each cut with the admin-1 regions
   it crosses, give every region's exact area ``A`` and edge length ``L``
   at each rung; a country's are the sums over its regions (they tile it).
2. **Hermite, then exact.** Between the two rungs around a level, ``A`` is
   a cubic with those end values and slopes; its crossing of the level is
   the first guess. The guess is rounded up to a multiple of
   :data:`RESOLUTION_KM` and checked on exact zones: the width returned is
   the smallest multiple of 0.5 km at which the exact share reaches the
   level (the share at 0.5 km less does not).

"All" means a share of at least :data:`ALL_SHARE` (a country's edge
vertices lie within metres of the line's far side only at the limit).
Widths apply on both sides alike; with ``clip`` third countries drop out.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import math
from typing import Final

import numpy as np
import pandas as pd
import shapely

from geodata import load_countries
from zones import disk_cache, progress
from zones._validate import validate_codes
from zones.analysis import Scenario, scenario_contact
from zones.contact import Sides
from zones.errors import ArgumentError
from zones.geodesy import GEOD
from zones.impact import side_of
from zones.measure import geodesic_area_km2
from zones.regions import region_arrays, region_tree
from zones.settings import COUNTRY_PARTS
from zones.strip import geodesic_buffer

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
#: Bump when the method changes, so that results kept on disk are not reused.
CACHE_VERSION: Final = 2
#: What ``by`` may be.
UNITS: Final = ("countries", "regions")

#: Fewest km in a degree of latitude (at the equator), so a box grown by W/this holds everything within W.
_KM_PER_DEG_LAT_MIN: Final = 110.5
_BOX_MARGIN_DEG: Final = 0.05
#: Above this latitude the grown box would wrap a pole: the whole line is used.
_MAX_CLIP_LAT: Final = 85.0
#: Step by which the ladder's widest zone shrinks when the line cannot be buffered 2,000 km, in km.
_FALLBACK_STEP_KM: Final = 250.0
#: Newton steps tried before falling back to bisection.
_NEWTON_STEPS: Final = 4

THRESHOLD_COLUMNS: Final = ("adm0_a3", "iso_3166_2", "adm1_code", "name", "side", "share", "level", "width_km")


@dataclasses.dataclass(frozen=True)
class _Ladder:
    """Exact areas and edge lengths of every region at every rung (rows: widths, columns: regions)."""

    widths_km: np.ndarray
    area_km2: np.ndarray
    edge_km: np.ndarray
    regions: np.ndarray  # positions in zones.regions.region_arrays()


def _cut(strip: shapely.Geometry, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the exact area (km²) of ``strip`` in each region at ``positions`` and its edge's length there (km)."""
    arrays = region_arrays()
    geoms = arrays["geometry"][positions]
    area = np.zeros(len(positions))
    edge = np.zeros(len(positions))
    if shapely.is_empty(strip) or len(positions) == 0:
        return area, edge
    shapely.prepare(strip)
    touching = shapely.intersects(strip, geoms)
    inside = touching & shapely.contains_properly(strip, geoms)
    area[inside] = arrays["area_km2"][positions[inside]]
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
    reach = np.sort(region_tree().query(widest, predicate="intersects"))
    if countries is not None:
        owners = [COUNTRY_PARTS.get(code, code) for code in region_arrays()["adm0_a3"][reach]]
        reach = reach[np.isin(owners, countries)]
    area = np.zeros((len(widths_km), len(reach)))
    edge = np.zeros_like(area)
    totals = region_arrays()["area_km2"][reach]
    for k, width_km in enumerate(widths_km[1:], start=1):
        if (area[k - 1] >= totals * ALL_SHARE).all():  # every region is in: the rest of the ladder is the same
            area[k:], edge[k:] = area[k - 1], 0.0
            break
        strip = widest if width_km == widest_km else geodesic_buffer(line, distance_km=float(width_km))
        area[k], edge[k] = _cut(strip, reach)
        progress.step(k, len(widths_km) - 1)  # the app's progress bar (zones.progress); nothing elsewhere
    LOG.debug("threshold ladder: %d rungs, %d regions", len(widths_km), len(reach))
    for array in (widths_km, area, edge, reach):
        array.flags.writeable = False
    return _Ladder(widths_km=widths_km, area_km2=area, edge_km=edge, regions=reach)


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


class _Exact:
    """Exact area and edge length of the zone in a group of regions, at any width up to a bound.

    Only the part of the line that can be within ``max_width_km`` of the
    regions is buffered: the line clipped to their box grown by that width
    in every direction (generously, in degrees). The zone of that part holds
    every point of the regions that the whole line's zone holds, so the
    areas are the same for a fraction of the work; the clipped line is
    prepared once for all widths.
    """

    def __init__(self, line: shapely.Geometry, positions: np.ndarray, *, max_width_km: float) -> None:
        self.positions = positions
        xmin, ymin, xmax, ymax = shapely.total_bounds(region_arrays()["geometry"][positions])
        grow_lat = max_width_km / _KM_PER_DEG_LAT_MIN + _BOX_MARGIN_DEG
        top = max(abs(ymin - grow_lat), abs(ymax + grow_lat))
        if top < _MAX_CLIP_LAT:
            grow_lon = grow_lat / math.cos(math.radians(top))
            if xmin - grow_lon > -180 and xmax + grow_lon < 180:
                line = shapely.clip_by_rect(line, xmin - grow_lon, ymin - grow_lat, xmax + grow_lon, ymax + grow_lat)
        self.line = line

    def measure(self, width_km: float) -> tuple[float, float]:
        """Return the exact area (km²) of the zone of ``width_km`` in the regions and its edge length there (km)."""
        if width_km <= 0 or shapely.is_empty(self.line):
            return 0.0, 0.0
        area, edge = _cut(geodesic_buffer(self.line, distance_km=width_km), self.positions)
        return float(area.sum()), float(edge.sum())


def _on_grid(width_km: float) -> float:
    """Return ``width_km`` rounded up to a multiple of RESOLUTION_KM, within 0 to MAX_THRESHOLD_KM."""
    return min(max(math.ceil(width_km / RESOLUTION_KM - 1e-9) * RESOLUTION_KM, RESOLUTION_KM), MAX_THRESHOLD_KM)


def _solve(line: shapely.Geometry, positions: np.ndarray, target: float, guess_km: float) -> float | None:
    """Return the smallest multiple of RESOLUTION_KM at which the exact area reaches ``target``.

    Newton steps on the exact area (its slope is the edge length) from the
    Hermite guess, then a check that 0.5 km less falls short; a bracket and
    bisection if the steps do not settle.
    """
    exact = _Exact(line, positions, max_width_km=min(guess_km + 2 * LADDER_STEP_KM, MAX_THRESHOLD_KM))
    cache: dict[float, tuple[float, float]] = {}

    def measure(width_km: float) -> tuple[float, float]:
        if width_km not in cache:
            cache[width_km] = exact.measure(width_km)
        return cache[width_km]

    width = _on_grid(guess_km)
    for _ in range(_NEWTON_STEPS):
        area, edge = measure(width)
        if area >= target and (width <= RESOLUTION_KM or measure(width - RESOLUTION_KM)[0] < target):
            return width
        if edge <= 0:
            break
        step = (target - area) / edge
        nxt = _on_grid(width + step)
        if nxt == width:
            nxt = width + (RESOLUTION_KM if area < target else -RESOLUTION_KM)
        width = min(max(nxt, RESOLUTION_KM), MAX_THRESHOLD_KM)
    # bracket, then bisection on the grid
    low, high = 0.0, None
    probe = width
    for _ in range(12):
        if measure(probe)[0] >= target:
            high = probe
            break
        low = probe
        probe = min(probe + 2 * LADDER_STEP_KM, MAX_THRESHOLD_KM)
        if low == MAX_THRESHOLD_KM:
            return None
    if high is None:
        return None
    while high - low > RESOLUTION_KM:
        mid = _on_grid((low + high) / 2)
        if mid >= high:
            mid = high - RESOLUTION_KM
        if measure(mid)[0] >= target:
            high = mid
        else:
            low = mid
    return high


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
        ``share`` (0.1, 0.3333, 0.5, 0.9, 1.0), ``level`` (words) and
        ``width_km`` (a multiple of 0.5 km; NaN where no width up to
        2,000 km reaches the level). Units are ordered by the width at which
        they reach a tenth.

    Raises
    ------
    ArgumentError
        If ``by`` or a country code is not allowed.
    NoBorderError
        If the sides share no border.
    """
    if by not in UNITS:
        raise ArgumentError("by", by, "one of " + ", ".join(f"'{u}'" for u in UNITS))
    if countries is not None:
        countries = validate_codes(countries, argument="countries")
    sides, _contact_pairs, line = scenario_contact(scenario)
    return _thresholds(shapely.to_wkb(line), sides, by=by, clip=scenario.clip, countries=countries).copy()


@functools.lru_cache(maxsize=16)
def _thresholds(
    line_wkb: bytes, sides: Sides, *, by: str, clip: bool, countries: tuple[str, ...] | None
) -> pd.DataFrame:
    """Return :func:`thresholds` for one line, kept in memory and on disk (callers get copies)."""
    key = hashlib.sha256(line_wkb + repr((by, countries, CACHE_VERSION)).encode()).hexdigest()[:24]
    table = disk_cache.load(f"thresholds-{key}")
    if table is None:
        table = _compute(line_wkb, by=by, countries=countries)
        disk_cache.store(f"thresholds-{key}", table)
    labels = side_of(table["adm0_a3"].to_numpy(dtype=object), sides)
    table = table.assign(side=labels)
    if clip:
        table = table[table["side"] != "third"].reset_index(drop=True)
    return table


def _compute(line_wkb: bytes, *, by: str, countries: tuple[str, ...] | None) -> pd.DataFrame:
    """Return the thresholds of one line (``side`` left empty: it depends on the sides, not the line)."""
    ladder = _ladder(line_wkb, countries)
    line = shapely.from_wkb(line_wkb)
    arrays = region_arrays()
    # Parts listed with their country (Åland with Finland) count with it, as in the tables.
    region_codes = np.array([COUNTRY_PARTS.get(c, c) for c in arrays["adm0_a3"][ladder.regions]], dtype=object)
    if by == "countries":
        keys = np.unique(region_codes)
        members = [np.flatnonzero(region_codes == code) for code in keys]
        names = load_countries()["name"].reindex(keys).to_numpy()
        codes, iso = keys, np.full(len(keys), "", dtype=object)
        adm1 = iso
    else:
        members = [np.array([j]) for j in range(len(ladder.regions))]
        codes = region_codes
        names = arrays["name"][ladder.regions]
        iso = arrays["iso_3166_2"][ladder.regions]
        adm1 = arrays["adm1_code"][ladder.regions]
    rows = []
    for unit, columns in enumerate(members):
        total = float(arrays["area_km2"][ladder.regions[columns]].sum())
        area = ladder.area_km2[:, columns].sum(axis=1)
        slope = ladder.edge_km[:, columns].sum(axis=1)
        if area[-1] <= 0:
            continue
        for share, words in LEVELS:
            target = total * (ALL_SHARE if share == 1.0 else share)
            reached = np.flatnonzero(area >= target)
            width: float | None = None
            if reached.size:
                k = int(reached[0])
                guess = _hermite_crossing(
                    ladder.widths_km[k - 1], ladder.widths_km[k], area[k - 1], area[k], slope[k - 1], slope[k], target
                )
                width = _solve(line, ladder.regions[columns], target, guess)
                LOG.debug("threshold %s %.4f: guess %.2f km, exact %s km", codes[unit], share, guess, width)
            rows.append((unit, codes[unit], iso[unit], adm1[unit], names[unit], "", SHARE_LABELS[share], words, width))
    table = pd.DataFrame(rows, columns=["_unit", *THRESHOLD_COLUMNS])
    table["width_km"] = table["width_km"].astype(float)
    first = table[table["share"] == SHARE_LABELS[0.1]].set_index("_unit")["width_km"]
    table = table.assign(_order=table["_unit"].map(first))
    table = table.sort_values(["_order", "adm0_a3", "adm1_code", "share"], kind="stable")
    table = table.drop(columns=["_order", "_unit"]).reset_index(drop=True)
    return table
