"""The draft's other areas: the territories of Article 4 and of Article 7's first sentence.

* **Article 4** bars Russia and the states that were NATO members on
  27 May 1997 from deploying forces "on the territory of any of the other
  States in Europe" beyond those of that day. The area read here is the
  territory of the NATO members that joined after 27 May 1997, as of the
  chosen date: 14 on the draft's date (CZE, HUN, POL, BGR, EST, LVA, LTU,
  ROU, SVK, SVN, ALB, HRV, MNE, MKD) and 16 from 7 March 2024 (FIN, SWE).
* **Article 7(1)** bars NATO's members from "any military activity on the
  territory of Ukraine as well as other States in the Eastern Europe, in the
  South Caucasus and in Central Asia". Read narrowly, as post-Soviet states
  outside NATO and outside the Union State with Russia: UKR, MDA (Eastern
  Europe), GEO, ARM, AZE (South Caucasus), KAZ, KGZ, TJK, TKM, UZB (Central
  Asia). Armenia, Kazakhstan, Kyrgyzstan and Tajikistan are Russia's CSTO
  allies but stay in: the sentence names whole regions. Belarus is left out:
  in the Union State it stands with Russia as a party's own side, not as one
  of the "other States". What is ambiguous: the UN's "Eastern Europe" also
  holds NATO members (BGR, CZE, HUN, POL, ROU, SVK) and Russia and Belarus;
  wider definitions of Central Asia add Afghanistan and Mongolia. A state
  that is a NATO member on the chosen date would leave the area (none has).

Borders are today's on every date (Natural Earth 10m, ``geodata``).
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any, Final

import geopandas as gpd
import shapely

from geodata import alliance_members, alliance_table, load_countries
from zones._validate import validate_date
from zones.engine.contact import expand_sovereign
from zones.errors import ArgumentError
from zones.settings import FOUNDING_ACT

#: The articles whose areas are drawn, as the CLI and the API spell them.
ARTICLES: Final = ("4", "7.1")

#: Article 7(1), narrow reading: each state with the region of the sentence it falls under.
ARTICLE_7_1_STATES: Final = MappingProxyType(
    {
        "UKR": "Ukraine, named in the sentence",
        "MDA": "Eastern Europe",
        "GEO": "South Caucasus",
        "ARM": "South Caucasus",
        "AZE": "South Caucasus",
        "KAZ": "Central Asia",
        "KGZ": "Central Asia",
        "TJK": "Central Asia",
        "TKM": "Central Asia",
        "UZB": "Central Asia",
    }
)

TERRITORY_COLUMNS: Final = ("adm0_a3", "name", "article", "basis", "area_km2")

#: How maps draw each area: outline colour and legend label (the web map and the report).
LAYER_STYLES: Final = MappingProxyType(
    {
        "4": ("#7b1fa2", "Article 4 area"),
        "7.1": ("#00796b", "Article 7(1) area"),
    }
)


def validate_article(value: Any, *, argument: str = "article") -> str:
    """Return ``value`` as one of :data:`ARTICLES` (``"4"`` or ``"7.1"``).

    Raises
    ------
    ArgumentError
        If ``value`` is not one of them.
    """
    if not isinstance(value, str) or value.strip() not in ARTICLES:
        raise ArgumentError(argument, value, "one of " + ", ".join(repr(a) for a in ARTICLES))
    return value.strip()


def _article_4_states(date: dt.date) -> dict[str, str]:
    """Return the NATO members on ``date`` that joined after the Founding Act, with their basis."""
    table = alliance_table()
    nato = table[table["alliance"] == "nato"]
    joined = dict(zip(nato["adm0_a3"], nato["joined"], strict=True))
    members = alliance_members("nato", date)
    return {code: f"joined NATO {joined[code].isoformat()}" for code in members if joined[code] > FOUNDING_ACT}


def _article_7_1_states(date: dt.date) -> dict[str, str]:
    """Return the narrow reading's states, less any that is a NATO member on ``date``."""
    nato = set(alliance_members("nato", date))
    return {code: basis for code, basis in ARTICLE_7_1_STATES.items() if code not in nato}


def territories(article: str, date: dt.date | str | None = None) -> gpd.GeoDataFrame:
    """Return the territories an article of the draft names, one feature per state.

    Parameters
    ----------
    article : {"4", "7.1"}
        Article 4 (NATO members that joined after 27 May 1997) or the first
        sentence of Article 7 (the narrow reading, see the module docstring).
    date : datetime.date or str, optional
        Day of NATO membership, 1991-12-26 to today; defaults to today.
        Borders are today's on every date.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adm0_a3``, ``name``, ``article``, ``basis`` (e.g.
        ``"joined NATO 2004-03-29"`` or ``"South Caucasus"``) and
        ``area_km2`` (geodesic land area on WGS84, dependent territories
        included), with the state's land as MultiPolygon geometry, EPSG:4326,
        sorted by code.

    Raises
    ------
    ArgumentError
        For an unknown article or a date outside 1991-12-26 to today.
    """
    article = validate_article(article)
    date = validate_date(date)
    states = _article_4_states(date) if article == "4" else _article_7_1_states(date)
    countries = load_countries()
    rows = []
    for code in sorted(states):
        features = countries.loc[list(expand_sovereign([code]))]
        geometry = shapely.MultiPolygon(list(shapely.get_parts(features.geometry.to_numpy())))
        rows.append(
            (code, countries.loc[code, "name"], article, states[code], float(features["area_km2"].sum()), geometry)
        )
    columns = list(TERRITORY_COLUMNS)
    frame = gpd.GeoDataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(columns)},
        geometry=[row[-1] for row in rows],
        crs="EPSG:4326",
    )
    return frame.astype({"area_km2": float}) if rows else frame
