"""The Python API: a :class:`Scenario` in, an :class:`Analysis` out.

>>> import datetime
>>> from zones import Scenario, analyse
>>> a = analyse(Scenario(width_km=300, date=datetime.date(2021, 12, 17), allies="union-state"))
>>> type(a.strip).__name__, list(a.strip["side"]), a.strip.crs.to_string()
('GeoDataFrame', ['all'], 'EPSG:4326')

Timings of each step go to the ``zones`` logger at DEBUG level; the library
configures no handler (``logging.basicConfig(level=logging.DEBUG)`` shows them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import load_countries
from zones._validate import validate_allies, validate_codes, validate_date, validate_flag, validate_width_km
from zones.engine.cities import cities_in, distance_to_line_km
from zones.engine.contact import Sides, contact_pairs, merged_line, resolve_sides
from zones.engine.cores import helper_thread, shared_map
from zones.engine.impact import affected_countries, side_of, totals_by_side
from zones.engine.pair_widths import PairWidth, normalise_pair_widths, pair_text, pair_widths_in_words
from zones.engine.regions import affected_regions, crossed_regions
from zones.engine.zone import Land, zone_and_land
from zones.settings import DEFAULT_ALLIES, DEFAULT_WIDTH_KM

LOGGER: Final = logging.getLogger("zones")


@contextmanager
def _timed(step: str) -> Iterator[None]:
    """Log the wall time of ``step`` at DEBUG level on the ``zones`` logger."""
    start = time.perf_counter()
    yield
    LOGGER.debug("%s: %.1f ms", step, 1000.0 * (time.perf_counter() - start))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Scenario:
    """One reading of Article 7: widths, date of membership and the two sides.

    Immutable and validated on construction; values are normalised (a date
    string becomes a :class:`datetime.date`, codes are upper-cased and sorted).

    Parameters
    ----------
    width_km : float
        Width of the zone on each side of the border line, in km (geodesic),
        from 0 to 2,000.
    date : datetime.date or str, optional
        Day of membership of both sides' alliances, 1991-12-26 (the day the USSR was dissolved)
        to today; ``None`` means today. Borders are today's on every date.
    allies : {"union-state", "csto"}
        Reading of Russia's side.
    russia_width_km, nato_width_km : float, optional
        Widths on Russia's and on NATO's side, in km, when they differ; each
        defaults to ``width_km``.
    clip : bool
        Keep only the parties' own land (drop the sea and third countries).
    sea_borders : bool
        Read "the border line" as the land border and the borders at sea along
        the territorial sea (Russia with Norway, Finland, Estonia, Lithuania,
        Poland and, in the Bering Strait, the United States). Default: land only.
    russia_side, nato_side : tuple of str, optional
        Custom sides as Natural Earth ``ADM0_A3`` codes, replacing the reading
        or NATO's members on ``date``.
    pair_widths : mapping or iterable, optional
        Widths per border pair, in km, e.g. ``{"RUS-NOR": 50, "LTU-RUS": 100}``:
        a pair's width replaces the common width, on both sides, along that
        pair's part of the line (0 removes it; see :mod:`zones.engine.zone`). A pair
        is two ``ADM0_A3`` codes in either order and must be on the line of
        this date and these sides, checked here. Normalised to a sorted tuple
        of ``((russia_code, nato_code), width_km)``.

    Raises
    ------
    ArgumentError
        If any value is not allowed; the message names it.
    """

    width_km: float = DEFAULT_WIDTH_KM
    date: dt.date | None = None
    allies: str = DEFAULT_ALLIES
    russia_width_km: float | None = None
    nato_width_km: float | None = None
    clip: bool = False
    russia_side: tuple[str, ...] | None = None
    nato_side: tuple[str, ...] | None = None
    sea_borders: bool = False
    pair_widths: tuple[PairWidth, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise once, here
        set_(self, "width_km", validate_width_km(self.width_km))
        set_(self, "date", validate_date(self.date))
        set_(self, "allies", validate_allies(self.allies))
        for name in ("russia_width_km", "nato_width_km"):
            value = getattr(self, name)
            set_(self, name, self.width_km if value is None else validate_width_km(value, argument=name))
        set_(self, "clip", validate_flag(self.clip, argument="clip"))
        set_(self, "sea_borders", validate_flag(self.sea_borders, argument="sea_borders"))
        for name in ("russia_side", "nato_side"):
            value = getattr(self, name)
            if value is not None:
                set_(self, name, validate_codes(value, argument=name))
        empty = isinstance(self.pair_widths, Mapping | tuple | list) and len(self.pair_widths) == 0
        if self.pair_widths is None or empty:
            set_(self, "pair_widths", ())
        else:  # checked against the line of this date and these sides (kept: cached_contact)
            _, contact, _ = scenario_contact(self)
            line_pairs = list(zip(contact["russia_side"], contact["nato_side"], strict=True))
            set_(self, "pair_widths", normalise_pair_widths(self.pair_widths, line_pairs=line_pairs))

    @property
    def symmetric(self) -> bool:
        """Whether both sides have the same width."""
        return self.russia_width_km == self.nato_width_km

    @property
    def widest_km(self) -> float:
        """The largest width anywhere along the line, in km (either side, any pair)."""
        widths = [cast("float", self.russia_width_km), cast("float", self.nato_width_km)]
        return max(widths + [width_km for _, width_km in self.pair_widths])

    @property
    def widths_label(self) -> str:
        """Plain-language widths, e.g. ``"300 km on each side"``.

        Widths per pair follow, by country name: ``"300 km on each side,
        except 50 km along Russia–Norway"``.
        """
        if self.pair_widths:
            return f"{self.common_widths_label}, except {self.pair_widths_words}"
        return self.common_widths_label

    @property
    def common_widths_label(self) -> str:
        """The common widths in words, without the widths per pair: ``"300 km on each side"``."""
        if self.symmetric:
            return f"{self.russia_width_km:,.0f} km on each side"
        return f"{self.russia_width_km:,.0f} km on Russia's side, {self.nato_width_km:,.0f} km on NATO's side"

    @property
    def pair_widths_words(self) -> str:
        """The widths per pair in words, e.g. ``"50 km along Russia–Norway"`` (``""`` without any)."""
        names = load_countries()["name"]
        return pair_widths_in_words(self.pair_widths, {str(code): str(name) for code, name in names.items()})

    @property
    def sides_label(self) -> str:
        """Plain-language reading of the sides, e.g. ``"NATO on 2021-12-17 vs union-state"``."""
        russia = "+".join(self.russia_side) if self.russia_side else self.allies
        nato = "+".join(self.nato_side) if self.nato_side else f"NATO on {cast('dt.date', self.date).isoformat()}"
        return f"{russia} vs {nato}"

    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with ``changes`` applied (validated again).

        A per-side width that only followed ``width_km`` (was not set apart
        from it) follows a new ``width_km`` too, so
        ``Scenario(width_km=100).replace(width_km=300)`` is 300 km on each side.
        """
        if "width_km" in changes:
            for name in ("russia_width_km", "nato_width_km"):
                if name not in changes and getattr(self, name) == self.width_km:
                    changes[name] = None
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class Analysis:
    """Everything computed for one :class:`Scenario`; all frames EPSG:4326.

    Attributes
    ----------
    scenario : Scenario
    sides : Sides
        The two sides as sovereign codes.
    contact : geopandas.GeoDataFrame
        The contact line, one feature per country pair (``length_km``).
    line : shapely.MultiLineString
        The contact line, merged.
    strip : geopandas.GeoDataFrame
        The zone by side, one feature per side present (``side``,
        ``width_km``, ``area_km2``), from :func:`zones.engine.zone.zone_by_side`.
        (The attribute keeps its first name for the exports and the app;
        see the vocabulary in :mod:`zones`.)
    affected : geopandas.GeoDataFrame
        Affected countries (``adm0_a3``, ``name``, ``side``, ``area_km2``,
        ``country_area_km2``, ``share``, ``population``) with the affected
        land as geometry, largest first.
    regions : geopandas.GeoDataFrame
        Affected admin-1 regions (``adm0_a3``, ``iso_3166_2``, ``name``,
        ``side``, ``area_km2``, ``region_area_km2``, ``share``,
        ``population``, see :func:`zones.engine.regions.affected_regions`) with the
        affected part as geometry, largest first.
    totals : pandas.DataFrame
        Affected land per side (see :func:`zones.engine.impact.totals_by_side`).
    cities : geopandas.GeoDataFrame
        GeoNames cities (≥ 15,000 people) inside the zone, with ``side`` and
        ``distance_km`` to the line, largest first. With widths per pair, also
        ``pair``, ``pair_distance_km`` and ``pair_width_km``: the pair whose
        strip holds the city (see :func:`pair_in_effect`), the distance to
        that pair's part of the line and the width in effect there.
    """

    scenario: Scenario
    sides: Sides
    contact: gpd.GeoDataFrame
    line: shapely.MultiLineString
    strip: gpd.GeoDataFrame
    affected: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    totals: pd.DataFrame
    cities: gpd.GeoDataFrame

    @property
    def zone(self) -> shapely.Geometry:
        """The whole zone, all sides together, as one geometry (EPSG:4326)."""
        return whole_zone(self.strip)


def whole_zone(zone: gpd.GeoDataFrame) -> shapely.Geometry:
    """Return the union of the pieces of a zone by side (they never overlap)."""
    if len(zone) == 0:
        return shapely.MultiPolygon()
    if len(zone) == 1:
        return cast("shapely.Geometry", zone.geometry.iloc[0])
    return shapely.union_all(zone.geometry.to_numpy())


@functools.lru_cache(maxsize=32)
def cached_contact(
    date: dt.date,
    *,
    allies: str,
    russia_side: tuple[str, ...] | None,
    nato_side: tuple[str, ...] | None,
    sea_borders: bool,
) -> tuple[Sides, gpd.GeoDataFrame, shapely.MultiLineString]:
    """Return the sides, contact pairs and merged line of a line (width-free, so cached; shared: do not edit)."""
    sides = resolve_sides(date, allies=allies, russia_side=russia_side, nato_side=nato_side)
    contact = contact_pairs(sides, sea_borders=sea_borders)
    return sides, contact, merged_line(contact)


def scenario_contact(scenario: Scenario) -> tuple[Sides, gpd.GeoDataFrame, shapely.MultiLineString]:
    """Return :func:`cached_contact` for ``scenario``'s line (its date, sides and sea borders; shared: do not edit)."""
    return cached_contact(
        scenario.date,
        allies=scenario.allies,
        russia_side=scenario.russia_side,
        nato_side=scenario.nato_side,
        sea_borders=scenario.sea_borders,
    )


def _pair_keys(contact: pd.DataFrame) -> list[tuple[str, str]]:
    """Return the pairs of a contact frame, Russia's side first, in its order."""
    return list(zip(contact["russia_side"].astype(str), contact["nato_side"].astype(str), strict=True))


def _zone(
    scenario: Scenario, *, exact_shapes: bool = True
) -> tuple[Sides, gpd.GeoDataFrame, shapely.MultiLineString, gpd.GeoDataFrame, Land | None]:
    """Return the sides, contact pairs (a copy: callers may change it), merged line and zone of ``scenario``.

    And, for a clipped zone, the parties' land in it (:func:`zones.engine.zone.zone_and_land`,
    which also takes ``exact_shapes``).
    """
    with _timed("contact line"):
        sides, contact, line = scenario_contact(scenario)
    common_line: shapely.Geometry = line
    stretches: list[tuple[shapely.Geometry, float]] = []
    if scenario.pair_widths:  # the pairs set apart take their own width; the rest of the line the common one
        own = dict(scenario.pair_widths)
        keys = _pair_keys(contact)
        apart = np.array([key in own for key in keys])
        stretches = [(geometry, own[key]) for key, geometry in zip(keys, contact.geometry, strict=True) if key in own]
        common_line = merged_line(contact[~apart]) if (~apart).any() else shapely.MultiLineString()
    with _timed("zone"):
        zone, land = zone_and_land(
            common_line,
            sides,
            russia_width_km=cast("float", scenario.russia_width_km),  # normalised to a float on construction
            nato_width_km=cast("float", scenario.nato_width_km),
            clip=scenario.clip,
            stretches=stretches,
            exact_shapes=exact_shapes,
        )
    return sides, contact.copy(), line, zone, land


def border_pairs(scenario: Scenario) -> pd.DataFrame:
    """Return the pairs of ``scenario``'s line with their lengths and the widths in effect along each.

    For the app's table of widths per pair: every pair of the line, whether
    or not its width is set apart.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    pandas.DataFrame
        Columns ``pair`` (``"RUS-NOR"``, Russia's side first, as
        ``--pair-width`` takes it), ``russia_side``, ``nato_side``,
        ``russia_name``, ``nato_name``, ``length_km`` (geodesic),
        ``pair_width_km`` (the pair's own width, NaN where it takes the common
        one), and ``russia_width_km``, ``nato_width_km``: the widths in effect
        on each side along that pair. Sorted by the two codes.

    Raises
    ------
    NoBorderError
        If the sides share no border.
    """
    _, contact, _ = scenario_contact(scenario)
    keys = _pair_keys(contact)
    own = dict(scenario.pair_widths)
    pair_km = np.array([own.get(key, np.nan) for key in keys], dtype=float)
    table = pd.DataFrame(contact[["russia_side", "nato_side", "russia_name", "nato_name", "length_km"]]).copy()
    table.insert(0, "pair", [pair_text(key) for key in keys])
    return table.assign(
        pair_width_km=pair_km,
        russia_width_km=np.where(np.isnan(pair_km), cast("float", scenario.russia_width_km), pair_km),
        nato_width_km=np.where(np.isnan(pair_km), cast("float", scenario.nato_width_km), pair_km),
    ).reset_index(drop=True)


def pair_in_effect(
    scenario: Scenario, lon: np.ndarray, lat: np.ndarray, side: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return, for each point, the border pair whose strip reaches furthest past it, its distance and its width.

    With widths per pair a point is in the zone when it is within some
    pair's width (on its side) of that pair's part of the line; this names
    the pair with the largest margin (width − distance), the one that puts
    the point in the zone, or the nearest to doing so.

    Parameters
    ----------
    scenario : Scenario
    lon, lat : numpy.ndarray
        Points in degrees, EPSG:4326.
    side : numpy.ndarray
        Each point's side (``russia``, ``nato`` or ``third``; see
        :func:`zones.engine.impact.side_of`): the width in effect is that side's,
        the larger of the two for ``third``.

    Returns
    -------
    tuple of numpy.ndarray
        The pair (``"RUS-NOR"``), the geodesic distance to that pair's part of
        the line in km, and the width in effect there in km.
    """
    table = border_pairs(scenario)
    _, contact, _ = scenario_contact(scenario)
    lon, lat = np.atleast_1d(np.asarray(lon, dtype=float)), np.atleast_1d(np.asarray(lat, dtype=float))
    if len(lon) == 0:
        return np.zeros(0, dtype=object), np.zeros(0), np.zeros(0)
    distance = np.column_stack([distance_to_line_km(lon, lat, geometry) for geometry in contact.geometry])
    russia, nato = table["russia_width_km"].to_numpy(), table["nato_width_km"].to_numpy()
    side = np.asarray(side, dtype=object)[:, None]
    width = np.where(side == "russia", russia, np.where(side == "nato", nato, np.maximum(russia, nato)))
    best = np.argmax(width - distance, axis=1)
    rows = np.arange(len(lon))
    return table["pair"].to_numpy(dtype=object)[best], distance[rows, best], width[rows, best]


def affected_for(scenario: Scenario) -> gpd.GeoDataFrame:
    """Return only the affected countries of ``scenario`` (as ``analyse(scenario).affected``).

    Skips the cities; for width sweeps.
    """
    sides, _, _, zone, land = _zone(scenario, exact_shapes=False)  # a clipped zone's shapes are not read here
    if land is not None:  # clipped: the parties' land is the answer; the zone's union is not needed
        return affected_countries(shapely.MultiPolygon(), sides, land=land)
    return affected_countries(whole_zone(zone), sides)


def analyse(scenario: Scenario, *, regions: bool = True, exact_shapes: bool = True) -> Analysis:
    """Compute the contact line, the zone and what it covers.

    Parameters
    ----------
    scenario : Scenario
    regions : bool
        Measure the affected admin-1 regions too (``Analysis.regions``); with
        ``False`` that frame is empty, which saves about a third of the time.
    exact_shapes : bool
        With ``False`` (and ``regions=False``), a clipped zone's sides are
        shapes to draw: the same points, their vertices in another order
        than with ``True`` (see :func:`zones.engine.zone.zone_and_land`), and
        much faster at large widths. Every number is the same. For the
        width ladder, which only draws them.

    Returns
    -------
    Analysis

    Raises
    ------
    NoBorderError
        If the sides share no land border.

    Notes
    -----
    With the regions, their overlays, areas and places (and the cities) run
    on this process's helper thread while the countries' run here, when the
    second core is free (:func:`zones.engine.cores.helper_thread`; GEOS and
    PROJ release the GIL). Every answer is each shape's own, so the result
    is the same to the byte either way; ``ZONES_WORKERS=0`` keeps it on one
    thread.
    """
    sides, contact, line, zone, land = _zone(scenario, exact_shapes=exact_shapes or regions)
    # A clipped zone's sides are its parties' land, measured already: their union is needed only for the regions.
    whole = whole_zone(zone) if land is None or regions else None
    region_zone = whole if regions and whole is not None else shapely.MultiPolygon()
    # The regions' and the cities' work on the helper thread beside the countries' here (not the cities alone).
    with helper_thread(wanted=not shapely.is_empty(region_zone)) as helper:
        shape = zone.geometry.to_numpy() if whole is None else whole

        def own() -> Any:  # each call started gets a copy: GEOS's prepared geometries are not thread-safe
            return shapely.from_wkb(shapely.to_wkb(shape)) if helper.threaded else shape

        crossed = None if shapely.is_empty(region_zone) else helper.start(crossed_regions, own())
        inside = helper.start(cities_in, own(), line)
        with _timed("impact"):
            affected = affected_countries(shapely.MultiPolygon() if whole is None else whole, sides, land=land)
        with _timed("regions"):
            affected_regions_frame = affected_regions(
                region_zone, affected, sides, crossed=None if crossed is None else crossed.result()
            )
        with _timed("cities"):  # on the thread while the regions' frame is made here (or here if not begun)
            cities = inside.result()
            cities = cities.assign(side=side_of(cities["adm0_a3"].to_numpy(), sides))
    if scenario.pair_widths:
        xy = shapely.get_coordinates(cities.geometry.to_numpy())
        pair, pair_km, width_km = pair_in_effect(scenario, xy[:, 0], xy[:, 1], cities["side"].to_numpy())
        cities = cities.assign(pair=pair, pair_distance_km=pair_km, pair_width_km=width_km)
    return Analysis(
        scenario=scenario,
        sides=sides,
        contact=contact,
        line=line,
        strip=zone,
        affected=affected,
        regions=affected_regions_frame,
        totals=totals_by_side(affected),
        cities=cities,
    )


def analyses_by_width(
    scenario: Scenario, widths_km: Iterable[float], *, regions: bool = True, exact_shapes: bool = True
) -> Iterator[Analysis]:
    """Yield :func:`analyse` of ``scenario`` at each width in turn (the same width on both sides), on every core.

    The analyses are independent, so this process and the worker processes of
    :func:`zones.engine.cores.shared_map` share them; each equals
    ``analyse(scenario.replace(width_km=w, russia_width_km=None, nato_width_km=None), regions=regions,
    exact_shapes=exact_shapes)``.

    Parameters
    ----------
    scenario : Scenario
        Everything but the width.
    widths_km : iterable of float
        The widths, in km, in the order wanted.
    regions, exact_shapes : bool
        As for :func:`analyse`.

    Yields
    ------
    Analysis
        One per width, in the order of ``widths_km``.
    """
    asks = [
        (scenario.replace(width_km=float(width_km), russia_width_km=None, nato_width_km=None), regions, exact_shapes)
        for width_km in widths_km
    ]
    yield from shared_map(_analysed, asks)


def _analysed(ask: tuple[Scenario, bool, bool]) -> Analysis:
    """Return ``analyse(scenario, regions=regions, exact_shapes=exact_shapes)`` for ``ask`` (a worker's task).

    ``ask`` is ``(scenario, regions, exact_shapes)``.
    """
    scenario, regions, exact_shapes = ask
    return analyse(scenario, regions=regions, exact_shapes=exact_shapes)
