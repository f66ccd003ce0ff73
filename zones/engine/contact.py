"""The contact line: the border between Russia's side and NATO's side, on land and optionally at sea.

Which border that is depends on the date of NATO membership and on the
reading of "Russia and its military allies"; custom sides (any two disjoint
lists of country codes) work too. Membership counts by sovereign state, so a
sovereign's code brings its dependent territories along (``FIN`` brings
Åland).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import alliance_members, load_borders, load_countries, load_sea_borders
from zones._validate import validate_allies, validate_codes, validate_date, validate_flag
from zones.errors import ArgumentError, NoBorderError
from zones.settings import DEFAULT_ALLIES

CONTACT_COLUMNS = ("russia_side", "nato_side", "russia_name", "nato_name", "length_km")


@dataclasses.dataclass(frozen=True)
class Sides:
    """The two sides of the border line, as sovereign ``ADM0_A3`` codes.

    Attributes
    ----------
    russia : tuple of str
        Russia and its allies (sorted codes).
    nato : tuple of str
        NATO members (sorted codes).
    """

    russia: tuple[str, ...]
    nato: tuple[str, ...]

    def features(self, side: str) -> tuple[str, ...]:
        """Return the Natural Earth features of ``side`` ("russia" or "nato").

        A code that names a sovereign state brings every feature of that
        state; any other code stands for its own feature only.
        """
        return _features_of(getattr(self, side))


@functools.lru_cache(maxsize=256)
def _features_of(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Return :func:`expand_sovereign` of ``codes``, kept (asked for several times per analysis)."""
    return expand_sovereign(codes)


def expand_sovereign(codes: Iterable[str]) -> tuple[str, ...]:
    """Return the features of the given states, dependent territories included.

    Parameters
    ----------
    codes : iterable of str
        Validated ``ADM0_A3`` codes.

    Returns
    -------
    tuple of str
        Sorted feature codes.
    """
    countries = load_countries()
    codes = set(codes)
    by_sovereign = countries.index[countries["sov_adm0"].isin(codes)]
    return tuple(sorted(codes | set(by_sovereign)))


def resolve_sides(
    date: dt.date | str | None = None,
    *,
    allies: str = DEFAULT_ALLIES,
    russia_side: Iterable[str] | str | None = None,
    nato_side: Iterable[str] | str | None = None,
) -> Sides:
    """Return the two sides for a date and a reading, or custom lists.

    Parameters
    ----------
    date : datetime.date or str, optional
        Day of membership (ISO ``YYYY-MM-DD``) of NATO and of Russia's allies,
        from 1991-12-26 to today; defaults to today. Borders are today's.
    allies : {"union-state", "csto"}
        Reading of Russia's side: the Union State (RUS, BLR) or the CSTO.
    russia_side, nato_side : iterable of str, optional
        Custom ``ADM0_A3`` codes that replace the reading or NATO's members.

    Returns
    -------
    Sides

    Raises
    ------
    ArgumentError
        For a bad date, reading or code, or sides that overlap.
    """
    date = validate_date(date)
    allies = validate_allies(allies)
    russia = validate_codes(russia_side, argument="russia_side") if russia_side is not None else None
    nato = validate_codes(nato_side, argument="nato_side") if nato_side is not None else None
    sides = Sides(
        russia=russia if russia is not None else alliance_members(allies, date),
        nato=nato if nato is not None else alliance_members("nato", date),
    )
    overlap = sorted(set(sides.features("russia")) & set(sides.features("nato")))
    if overlap:
        raise ArgumentError(
            "nato_side",
            list(sides.nato),
            "a list of countries disjoint from 'russia_side'",
            f"Both sides contain {', '.join(overlap)}.",
        )
    return sides


@functools.cache
def _land_and_sea_borders() -> gpd.GeoDataFrame:
    """Return the land borders with the territorial-sea borders added, one row per pair (made once)."""
    both = pd.concat([load_borders(), load_sea_borders()[["a3_a", "a3_b", "length_km", "geometry"]]])
    rows = []
    for (a, b), group in both.groupby(["a3_a", "a3_b"], sort=True):
        parts = shapely.get_parts(shapely.get_parts(group.geometry.to_numpy()))
        merged = shapely.line_merge(shapely.MultiLineString(list(parts)))
        rows.append((a, b, float(group["length_km"].sum()), shapely.MultiLineString(list(shapely.get_parts(merged)))))
    frame = pd.DataFrame(rows, columns=["a3_a", "a3_b", "length_km", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=load_borders().crs)


def contact_pairs(sides: Sides, *, sea_borders: bool = False) -> gpd.GeoDataFrame:
    """Return the border between the sides, one feature per country pair.

    Parameters
    ----------
    sides : Sides
        The two sides.
    sea_borders : bool
        Add the borders at sea, along the territorial sea (12 nm), to the
        land borders (``geodata/sea_borders.parquet``: Russia with Norway,
        Finland, Estonia, Lithuania, Poland and the United States, Georgia
        with Turkey). Off by default: the land border only.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``russia_side``, ``nato_side`` (``ADM0_A3`` codes),
        ``russia_name``, ``nato_name``, ``length_km`` (geodesic on WGS84) and
        a MultiLineString geometry, EPSG:4326, sorted by the two codes.

    Raises
    ------
    NoBorderError
        If the sides share no land border; the message lists both sides.
    """
    russia, nato = set(sides.features("russia")), set(sides.features("nato"))
    borders = _land_and_sea_borders() if sea_borders else load_borders()
    a, b = borders["a3_a"].to_numpy(), borders["a3_b"].to_numpy()
    a_russia = np.isin(a, list(russia)) & np.isin(b, list(nato))
    b_russia = np.isin(b, list(russia)) & np.isin(a, list(nato))
    selected = borders[a_russia | b_russia]
    if selected.empty:
        names = load_countries()["name"]

        def listing(codes: tuple[str, ...]) -> str:
            return ", ".join(f"{c} ({names[c]})" for c in codes)

        raise NoBorderError(
            "nato_side",
            {"russia_side": list(sides.russia), "nato_side": list(sides.nato)},
            "two groups of countries that share a " + ("border" if sea_borders else "land border"),
            f"No {'' if sea_borders else 'land '}border between Russia's side [{listing(sides.russia)}] "
            f"and NATO's side [{listing(sides.nato)}].",
        )
    flip = b_russia[a_russia | b_russia]
    names = load_countries()["name"]
    russia_codes = np.where(flip, selected["a3_b"], selected["a3_a"])
    nato_codes = np.where(flip, selected["a3_a"], selected["a3_b"])
    pairs = gpd.GeoDataFrame(
        {
            "russia_side": russia_codes,
            "nato_side": nato_codes,
            "russia_name": names.loc[russia_codes].to_numpy(),
            "nato_name": names.loc[nato_codes].to_numpy(),
            "length_km": selected["length_km"].to_numpy(),
        },
        geometry=selected.geometry.to_numpy(),
        crs=borders.crs,
    )
    return pairs.sort_values(["russia_side", "nato_side"]).reset_index(drop=True)


def contact_line(
    date: dt.date | str | None = None,
    *,
    allies: str = DEFAULT_ALLIES,
    russia_side: Iterable[str] | str | None = None,
    nato_side: Iterable[str] | str | None = None,
    sea_borders: bool = False,
) -> gpd.GeoDataFrame:
    """Return the contact line for a date and a reading (see :func:`resolve_sides`).

    ``sea_borders=True`` adds the territorial-sea borders (see :func:`contact_pairs`).

    Returns
    -------
    geopandas.GeoDataFrame
        One feature per country pair, as :func:`contact_pairs`.

    Examples
    --------
    >>> pairs = contact_line("2021-12-17", allies="union-state")
    >>> len(pairs)
    8
    """
    sides = resolve_sides(date, allies=allies, russia_side=russia_side, nato_side=nato_side)
    return contact_pairs(sides, sea_borders=validate_flag(sea_borders, argument="sea_borders"))


def merged_line(pairs: gpd.GeoDataFrame) -> shapely.MultiLineString:
    """Return the whole contact line as one merged MultiLineString (EPSG:4326)."""
    merged = shapely.line_merge(shapely.union_all(pairs.geometry.to_numpy()))
    return shapely.MultiLineString(list(shapely.get_parts(merged)))
