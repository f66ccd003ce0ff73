"""The app's sentences about one scenario: the headline, a clicked point, the claims and the file names.

Pure functions of an :class:`zones.Analysis` (or its scenario) returning
Markdown or plain text; ``app.py`` only draws them. No Streamlit here, so
they are tested without a browser.

>>> from zones import Scenario
>>> download_name(Scenario(width_km=300, date="2021-12-17"), "zone.geojson")
'article7-300km-2021-12-17-union-state-zone.geojson'
>>> download_name(Scenario(width_km=300, russia_width_km=300, nato_width_km=100, date="2021-12-17"), "zone.geojson")
'article7-russia300km-nato100km-2021-12-17-union-state-zone.geojson'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Final

import pandas as pd

from geodata import load_countries
from zones.engine.analysis import Analysis, Scenario
from zones.engine.denominators import WHOLE_COUNTRY
from zones.engine.pair_widths import PairWidth, pair_text, pair_widths_in_words
from zones.settings import SIDE_NAMES
from zones.web.link import day_in_words
from zones.wording import format_km, line_in_words

#: How the headline names each reading of Russia's side.
READING_NAMES: Final = {"union-state": "Russia with Belarus (the Union State)", "csto": "Russia with the CSTO"}

#: Downloads that cover every width (no width in their file name).
EVERY_WIDTH: Final = frozenset({"sweep", "thresholds"})


def _widths(scenario: Scenario) -> tuple[float, float]:
    """Return the widths on Russia's side and on NATO's side, in km (a validated scenario has both)."""
    russia_km, nato_km = scenario.russia_width_km, scenario.nato_width_km
    if russia_km is None or nato_km is None:
        raise ValueError("a Scenario has its widths and date set once validated")
    return float(russia_km), float(nato_km)


def _day(scenario: Scenario) -> dt.date:
    """Return the scenario's day of membership (a validated scenario has one)."""
    if scenario.date is None:
        raise ValueError("a Scenario has its date set once validated")
    return scenario.date


def widths_in_words(scenario: Scenario) -> str:
    """Return the zone's width in words, the same on both sides or one per side.

    >>> from zones import Scenario
    >>> widths_in_words(Scenario(width_km=250, russia_width_km=400, nato_width_km=150, date="2021-12-17"))
    "400 km on Russia's side and 150 km on NATO's side"
    """
    russia_km, nato_km = _widths(scenario)
    if scenario.symmetric:
        words = f"{format_km(russia_km)} on each side of the border"
    else:
        words = f"{format_km(russia_km)} on Russia's side and {format_km(nato_km)} on NATO's side"
    return f"{words}, except {scenario.pair_widths_words}" if scenario.pair_widths else words


#: Under a panel or chart that reads one width along the whole line, when the reader set widths per pair.
ONE_WIDTH_CAVEAT: Final = "These use one width along the whole line; the widths per pair are not reflected."


def dropped_pairs_note(dropped: Sequence[PairWidth]) -> str:
    """Return the note when widths per pair leave with their pairs (another date or other sides).

    >>> dropped_pairs_note([(("RUS", "FIN"), 40.0)])
    'Dropped 40 km along Russia–Finland (RUS-FIN): that pair is not on the border line of this date and these sides.'
    """
    names = {str(code): str(name) for code, name in load_countries()["name"].items()}
    codes = ", ".join(pair_text(pair) for pair, _ in dropped)
    these = "that pair is" if len(dropped) == 1 else "those pairs are"
    return (
        f"Dropped {pair_widths_in_words(dropped, names)} ({codes}): {these} not on the border line of this date "
        "and these sides."
    )


def headline(analysis: Analysis) -> str:
    """Return the headline sentence (Markdown): widths, sides, day, line, and the border's length."""
    scenario = analysis.scenario
    text = (
        f"A zone **{widths_in_words(scenario)}** between NATO and **{READING_NAMES[scenario.allies]}**, alliances "
        f"as on **{day_in_words(_day(scenario))}** (today's borders), along "
        f"{line_in_words(scenario.sea_borders)}" + (", on the parties' own land only." if scenario.clip else ".")
    )
    length_km = float(analysis.contact["length_km"].sum())
    text += f" The border between the sides is **{format_km(length_km)}** long"
    if max(_widths(scenario)) == 0:
        return text + ": at 0 km the zone is that line alone, and covers no land and no city."
    return text + "."


def border_pairs(analysis: Analysis) -> str:
    """Return the border's length per pair of countries, longest first, one per line (Markdown)."""
    pairs = analysis.contact.sort_values("length_km", ascending=False)
    return "  \n".join(
        f"{russia}–{nato}: {format_km(length_km)}"
        for russia, nato, length_km in zip(pairs["russia_name"], pairs["nato_name"], pairs["length_km"], strict=True)
    )


def point_words(found: Mapping[str, Any], scenario: Scenario) -> str:
    """Return a clicked point's answer in words: distance, inside or outside, and which side's width applies.

    ``found`` has ``distance_km``, ``inside``, ``piece`` (``all``, ``russia``,
    ``nato``, ``third`` or None) and ``country`` (a name or None, at sea).
    """
    russia_km, nato_km = _widths(scenario)
    distance = f"{found['distance_km']:,.1f} km from the border between the sides (geodesic)"
    place = f"In {found['country']}" if found["country"] else "At sea"
    if scenario.pair_widths:  # the common width does not hold along every stretch
        rule = f"the zone reaches {widths_in_words(scenario)}"
    elif scenario.symmetric:
        rule = f"the zone reaches {format_km(russia_km)} on each side"
    else:
        rule = f"the zone reaches {format_km(russia_km)} on Russia's side and {format_km(nato_km)} on NATO's side"
    if not found["inside"]:
        return f"{place}, {distance}: outside the zone; {rule}."
    piece = found["piece"]
    if piece == "all":
        which = "the same width applies on both sides"
    elif piece == "third":
        which = "the land of a third country, on neither side"
    else:
        which = f"the width of {SIDE_NAMES[piece]} applies, {format_km(russia_km if piece == 'russia' else nato_km)}"
    return f"{place}, {distance}: inside the zone; {which}."


def claim_parts(
    claims: tuple[tuple[str, float, str], ...],
    rows: Mapping[tuple[str, float], Mapping[Hashable, Any]],
    analysis: Analysis,
) -> list[str]:
    """Return each claim with the width at which it holds (Markdown), ticked where the zone shown reaches it.

    Parameters
    ----------
    claims : tuple of (str, float, str)
        Country code, share of its land (0–1), the claim in words.
    rows : mapping of (str, float) to mapping
        Rows of :func:`zones.thresholds` by (code, share rounded to 4 places):
        ``width_km`` (the smallest width, the same on both sides, at which the
        share of the stated part reaches the claim; NaN when out of reach),
        ``width_whole_km`` (the same for the whole country) and ``denominator``.
        Claims missing from it are left out.
    analysis : Analysis
        The scenario shown. With the same width on both sides a claim is
        ticked when its width is at most the scenario's; with a width per
        side, when the share of the country in the zone shown (the affected
        countries' table) reaches the claim, as no single width answers.

    Returns
    -------
    list of str
    """
    scenario = analysis.scenario
    shown: pd.Series = analysis.affected.set_index("adm0_a3")["share"]
    current_km = _widths(scenario)[0]
    parts = []
    for code, share, words in claims:
        row = rows.get((code, round(share, 4)))
        if row is None:
            continue  # clipped away (a third country) or out of reach
        width_km = float(row["width_km"])
        if scenario.symmetric:
            reached = not math.isnan(width_km) and width_km <= current_km
        else:
            reached = float(shown.get(code, 0.0)) >= share
        text = f"{words}: **{_claim_width(width_km)}** ✓" if reached else f"{words}: {_claim_width(width_km)}"
        if row.get("denominator", WHOLE_COUNTRY) != WHOLE_COUNTRY:  # the whole country's width alongside, labelled
            text += f" (whole country: {_claim_width(float(row['width_whole_km']))})"
        parts.append(text)
    return parts


def _claim_width(width_km: float) -> str:
    """Return a claim's width in words, or that no width up to 2,000 km reaches it."""
    return "not within 2,000 km" if math.isnan(width_km) else f"{width_km:,.1f} km"


def claims_caption(scenario: Scenario) -> str:
    """Return the sentence under the claims: what the widths are, what the shares are of, and what the ticks answer."""
    russia_km, _ = _widths(scenario)
    tick = (
        f"✓ where the current {format_km(russia_km)} already does"
        if scenario.symmetric
        else f"with {widths_in_words(scenario)}, ✓ where the share of the country in the zone shown "
        "(the affected countries' table) reaches the claim"
    )
    return (
        "The smallest width, the same on both sides and exact to 0.5 km, at which the share of the country's land "
        "in the zone reaches the claim; a share of Norway is of mainland Norway, without Svalbard, Jan Mayen and "
        f"Bouvet Island; {tick}. "
        "Every country and region: the “At what width” CSV in Downloads, or `zones thresholds`."
    )


def download_name(scenario: Scenario, suffix: str, *, kind: str = "") -> str:
    """Return a download's file name: the widths (both when they differ), the day, the reading, the options.

    ``kind`` in :data:`EVERY_WIDTH` (the sweep, the thresholds) leaves the
    width out: those files cover every width.
    """
    russia_km, nato_km = _widths(scenario)
    if kind in EVERY_WIDTH:
        width = ""
    elif scenario.symmetric:
        width = f"{russia_km:g}km-"
    else:
        width = f"russia{russia_km:g}km-nato{nato_km:g}km-"
    stem = (
        f"{_day(scenario).isoformat()}-{scenario.allies}"
        + ("-clipped" if scenario.clip else "")
        + ("-sea" if scenario.sea_borders else "")
    )
    return f"article7-{width}{stem}-{suffix}"
