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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final, cast

import geopandas as gpd
import pandas as pd
import shapely

from zones._validate import validate_allies, validate_codes, validate_date, validate_flag, validate_width_km
from zones.cities import cities_in
from zones.contact import Sides, contact_pairs, merged_line, resolve_sides
from zones.impact import affected_countries, side_of, totals_by_side
from zones.regions import affected_regions
from zones.settings import DEFAULT_ALLIES, DEFAULT_WIDTH_KM
from zones.zone import zone_by_side

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

    @property
    def symmetric(self) -> bool:
        """Whether both sides have the same width."""
        return self.russia_width_km == self.nato_width_km

    @property
    def widths_label(self) -> str:
        """Plain-language widths, e.g. ``"300 km on each side"``."""
        if self.symmetric:
            return f"{self.russia_width_km:,.0f} km on each side"
        return f"{self.russia_width_km:,.0f} km on Russia's side, {self.nato_width_km:,.0f} km on NATO's side"

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
        ``width_km``, ``area_km2``), from :func:`zones.zone.zone_by_side`.
        (The attribute keeps its first name for the exports and the app;
        see the vocabulary in :mod:`zones`.)
    affected : geopandas.GeoDataFrame
        Affected countries (``adm0_a3``, ``name``, ``side``, ``area_km2``,
        ``country_area_km2``, ``share``, ``population``) with the affected
        land as geometry, largest first.
    regions : geopandas.GeoDataFrame
        Affected admin-1 regions (``adm0_a3``, ``iso_3166_2``, ``name``,
        ``side``, ``area_km2``, ``region_area_km2``, ``share``,
        ``population``, see :func:`zones.regions.affected_regions`) with the
        affected part as geometry, largest first.
    totals : pandas.DataFrame
        Affected land per side (see :func:`zones.impact.totals_by_side`).
    cities : geopandas.GeoDataFrame
        GeoNames cities (≥ 15,000 people) inside the zone, with ``side`` and
        ``distance_km`` to the line, largest first.
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


def _zone(scenario: Scenario) -> tuple[Sides, gpd.GeoDataFrame, shapely.MultiLineString, gpd.GeoDataFrame]:
    """Return the sides, contact pairs (a copy: callers may change it), merged line and zone of ``scenario``."""
    with _timed("contact line"):
        sides, contact, line = scenario_contact(scenario)
    with _timed("zone"):
        zone = zone_by_side(
            line,
            sides,
            russia_width_km=cast("float", scenario.russia_width_km),  # normalised to a float on construction
            nato_width_km=cast("float", scenario.nato_width_km),
            clip=scenario.clip,
        )
    return sides, contact.copy(), line, zone


def affected_for(scenario: Scenario) -> gpd.GeoDataFrame:
    """Return only the affected countries of ``scenario`` (as ``analyse(scenario).affected``).

    Skips the cities; for width sweeps.
    """
    sides, _, _, zone = _zone(scenario)
    return affected_countries(whole_zone(zone), sides)


def analyse(scenario: Scenario, *, regions: bool = True) -> Analysis:
    """Compute the contact line, the zone and what it covers.

    Parameters
    ----------
    scenario : Scenario
    regions : bool
        Measure the affected admin-1 regions too (``Analysis.regions``); with
        ``False`` that frame is empty, which saves about a third of the time.

    Returns
    -------
    Analysis

    Raises
    ------
    NoBorderError
        If the sides share no land border.
    """
    sides, contact, line, zone = _zone(scenario)
    whole = whole_zone(zone)
    with _timed("impact"):
        affected = affected_countries(whole, sides)
    with _timed("regions"):
        affected_regions_frame = affected_regions(whole if regions else shapely.MultiPolygon(), affected, sides)
    with _timed("cities"):
        cities = cities_in(whole, line)
        cities = cities.assign(side=side_of(cities["adm0_a3"].to_numpy(), sides))
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
