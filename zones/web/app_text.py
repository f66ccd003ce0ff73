"""The app's words: its sentences about one scenario, its captions, help texts and file names.

Pure functions of an :class:`zones.Analysis` (or its scenario) returning
Markdown or plain text, and the page's fixed texts; ``app.py`` only draws
them. No Streamlit here, so they are tested without a browser.

Why this is not part of :mod:`zones.wording`: everything here is said by the
app alone (its headline, the clicked point, the claims panel, the widgets'
help, the download file names), and is composed from :mod:`zones.wording`'s
pieces, which every surface shares: numbers (:func:`~zones.wording.format_km`,
:func:`~zones.wording.format_people` …), days (:func:`~zones.wording.day_in_words`),
the readings' names (:data:`~zones.wording.READING_LONG_NAMES`), the line
(:func:`~zones.wording.line_in_words`), the sides (:func:`~zones.wording.sides_in_words`)
and the totals (:func:`~zones.wording.summary_parts`, the headline cards'
lines). A phrase that a second surface needs (the CLI, the report, the
published page, the browser's live line) moves to :mod:`zones.wording`.

>>> from zones import Scenario
>>> download_name(Scenario(width_km=300, date="2021-12-17"), "zone.geojson")
'article7-300km-2021-12-17-union-state-zone.geojson'
>>> download_name(Scenario(width_km=300, russia_width_km=300, nato_width_km=100, date="2021-12-17"), "zone.geojson")
'article7-russia300km-nato100km-2021-12-17-union-state-zone.geojson'
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Hashable, Sequence
from types import MappingProxyType
from typing import Any, Final

import pandas as pd

from geodata import alliance_flags, load_countries
from zones import draft
from zones.engine.analysis import Analysis, Scenario
from zones.engine.at_point import PointAnswer
from zones.engine.denominators import WHOLE_COUNTRY
from zones.engine.pair_widths import PairWidth, pair_text, pair_widths_in_words
from zones.engine.population import POPULATION_METHOD
from zones.settings import DRAFT_PUBLISHED, FOUNDING_ACT, SIDE_NAMES, SLIDER_STEP_KM
from zones.wording import (
    LABELS,
    READING_LONG_NAMES,
    day_in_words,
    format_km,
    format_km2,
    format_people,
    line_in_words,
    parties_delta,
    side_delta,
    side_widths_in_words,
    sides_in_words,
    third_delta,
    totals_of,
)

#: The claims panel's progress bar, while its widths are measured.
CLAIMS_PROGRESS: Final = "Measuring the zone width by width to find where each claim holds"

#: The progress bar's words while an every-width download's table is prepared (:data:`EVERY_WIDTH`), by command.
PREPARING: Final = MappingProxyType(
    {
        "sweep": "Sweeping the widths from 0 to 1,000 km",
        "thresholds": "Finding the width at which each claim's country reaches each share",
    }
)

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
        words = side_widths_in_words(russia_km, nato_km)
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
        f"A zone **{widths_in_words(scenario)}** between NATO and **{READING_LONG_NAMES[scenario.allies]}**, alliances "
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


def point_words(found: PointAnswer, scenario: Scenario) -> str:
    """Return a clicked point's answer in words: distance, inside or outside, and which side's width applies.

    ``found`` is :func:`zones.engine.at_point.at_point`'s answer.
    """
    russia_km, nato_km = _widths(scenario)
    distance = f"{found.distance_km:,.1f} km from the border between the sides (geodesic)"
    place = f"In {found.country}" if found.country else "At sea"
    if scenario.pair_widths:  # the common width does not hold along every stretch
        rule = f"the zone reaches {widths_in_words(scenario)}"
    elif scenario.symmetric:
        rule = f"the zone reaches {format_km(russia_km)} on each side"
    else:
        rule = f"the zone reaches {format_km(russia_km)} on Russia's side and {format_km(nato_km)} on NATO's side"
    if not found.inside:
        return f"{place}, {distance}: outside the zone; {rule}."
    piece = found.piece
    if piece == "all":
        which = "the same width applies on both sides"
    elif piece == "third":
        which = "the land of a third country, on neither side"
    else:
        which = (
            f"the width of {SIDE_NAMES[str(piece)]} applies, {format_km(russia_km if piece == 'russia' else nato_km)}"
        )
    return f"{place}, {distance}: inside the zone; {which}."


#: A claim about a third country when the zone is clipped to the two sides' own land.
CLAIM_OFF_SIDES: Final = "never: a country on neither side, and the zone shown holds only the two sides' own land"


def claim_parts(claims: Sequence[tuple[str, float, str]], table: pd.DataFrame, analysis: Analysis) -> list[str]:
    """Return each claim with the width at which it holds (Markdown), ticked where the zone shown reaches it.

    Parameters
    ----------
    claims : sequence of (str, float, str)
        Country code, share of its land (0–1), the claim in words (:data:`zones.web.claims.CLAIMS`).
    table : pandas.DataFrame
        :func:`zones.thresholds` of the claims' countries, its rows looked up by (code, share rounded to 4 places):
        ``width_km`` (the smallest width, the same on both sides, at which the
        share of the stated part reaches the claim; NaN when out of reach),
        ``width_whole_km`` (the same for the whole country) and ``denominator``.
        Claims missing from it are left out, but for a country on neither side of a clipped
        zone, which never holds any of it (:data:`CLAIM_OFF_SIDES`).
    analysis : Analysis
        The scenario shown. With the same width on both sides a claim is
        ticked when its width is at most the scenario's; with a width per
        side, when the share of the country in the zone shown (the affected
        countries' table) reaches the claim, as no single width answers.

    Returns
    -------
    list of str
    """
    rows: dict[tuple[str, float], dict[Hashable, Any]] = {
        (str(row["adm0_a3"]), round(float(row["share"]), 4)): row for row in table.to_dict("records")
    }
    scenario = analysis.scenario
    shown: pd.Series = analysis.affected.set_index("adm0_a3")["share"]
    current_km = _widths(scenario)[0]
    parts = []
    for code, share, words in claims:
        row = rows.get((code, round(share, 4)))
        if row is None:  # a third country under clip is said so; a claim not computed is left out
            if scenario.clip and code not in (*analysis.sides.russia, *analysis.sides.nato):
                parts.append(f"{words}: {CLAIM_OFF_SIDES}")
            continue
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
        "These claims' countries: the “At what width” CSV in Downloads (`zones thresholds --country` with their "
        "codes writes the same file); every country and region: `zones thresholds`."
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


#: One line on each of the draft's other areas, shown with its map layer (by article: ``4``, ``7.1``).
TERRITORY_EXPLANATIONS: Final = MappingProxyType(
    {
        "4": "Article 4: no deployments beyond those of 27 May 1997 on the territory of the NATO members that "
        "joined after that day (outlined in purple, as of the chosen date).",
        "7.1": "Article 7(1): no NATO military activity in Ukraine and other states of Eastern Europe, the South "
        "Caucasus and Central Asia (outlined in green). Read narrowly, as the post-Soviet states outside NATO and "
        "the Union State: Ukraine, Moldova, Georgia, Armenia, Azerbaijan, Kazakhstan, Kyrgyzstan, Tajikistan, "
        "Turkmenistan, Uzbekistan.",
    }
)
#: How the page writes each article (``7.1`` is Article 7(1)).
ARTICLE_LABELS: Final = MappingProxyType({"4": "4", "7.1": "7(1)"})

#: The widgets' help texts, by widget.
HELP: Final = MappingProxyType(
    {
        "date": "NATO's members and Russia's allies on this day (from 26 December 1991, the day the USSR was "
        "dissolved). Borders are today's on every date. Type a date as day.month.year (29.03.2004) and press "
        "Enter, or pick one from the calendar.",
        "clip": "Clip the zone to the territory of Russia's side and NATO's side (drops the sea and third countries).",
        "sea_borders": "Add Russia's borders at sea along the territorial sea (12 nm) to the land border: with "
        "Norway, Finland, Estonia, Lithuania, Poland and, in the Bering Strait, the United States. Off: land only.",
        "sites": "The training areas and ranges where exercises above brigade level were held (geodata/sites.csv): "
        "a circle per area in its side's colour, outlined in black when the zone covers it.",
        "width": "Distance from the border line to the edge of the zone, measured on the ellipsoid.",
        "pair_width": "This stretch's width on both sides, replacing the common width; empty: the common width.",
        "parties": "NATO's side and Russia's side together; third countries are counted apart. ",
        "side": "The share is of the land of this side's countries that the zone reaches, not of all the side's "
        "land; of mainland Norway and metropolitan France, as in the table. ",
        "third": "Land of countries on neither side that the zone reaches; not part of the parties' total.",
        "regions_country": "Provinces, oblasts, voivodeships, counties: Natural Earth's first-level divisions.",
        "share": "Of mainland Norway and metropolitan France (the claims' reading)",
        "whole_country": "Share of the whole country, its remote territories included",
        "distance": "Geodesic distance to the border between the sides",
    }
)

#: The width slider's label.
WIDTH_LABEL: Final = "Width of the zone on each side of the border"

#: Under the map when the live slider is off, and why.
PAIRS_NOT_LIVE: Final = (
    "The map follows the slider when it is released: the live map draws one width along the whole line, not the "
    "widths per border stretch."
)
PER_SIDE_NOT_LIVE: Final = (
    "With a width per side the map follows a slider when it is released (the live map has one width)."
)
#: Under the table of widths per border stretch.
PAIRS_CAPTION: Final = (
    "A stretch's width replaces the common width on both sides along it (0: no zone there); empty: the common width."
)
#: When the sides share no border on the day.
NO_BORDER: Final = (
    "On this date Russia's side and NATO's side share no land border, so there is no zone. "
    "Pick a later date or another reading of Russia's side."
)

#: The sources, under the page.
SOURCES: Final = (
    "Borders and regions: Natural Earth 10m v5.1.1 (public domain; Crimea drawn as Ukraine); sea borders © "
    "OpenStreetMap contributors (ODbL). Cities: GeoNames (CC BY 4.0), 2019, city districts removed. "
    f"People: {POPULATION_METHOD}. "
    "Distances and areas are geodesic, on the WGS84 ellipsoid. The map's shapes are simplified for display; "
    "downloads keep the full geometry."
)


#: The live slider's notes (``width_slider.js``): while its ladder is fetched (until its first report of progress,
#: :func:`ladder_progress`), and when it has none (the map follows the slider on release).
LIVE_NOTES: Final = MappingProxyType(
    {
        "preparing": "Live preview while dragging: preparing (once per line); until then the map follows on release.",
        "released": "The map follows the slider when it is released.",
    }
)


def ladder_progress(done: int, total: int) -> str:
    """Return the live slider's note while its ladder is written: ``done`` of ``total`` widths.

    >>> ladder_progress(40, 101)
    'Live preview while dragging: preparing, 40 of 101 widths; until then the map follows on release.'
    """
    widths = f"{done:,} of {total:,} widths"
    return f"Live preview while dragging: preparing, {widths}; until then the map follows on release."


def not_live(problem: str) -> str:
    """Return the note under the slider when the live map is off, with ``problem``, why."""
    return f"The map follows the slider when it is released: the live map is off, because {problem}."


def presets(today: dt.date) -> tuple[tuple[str, str, dt.date, str], ...]:
    """Return the sidebar's date buttons: label, key, day and tooltip (the Founding Act, the draft, ``today``)."""
    return (
        ("1997", "preset_founding", FOUNDING_ACT, f"NATO–Russia Founding Act, {day_in_words(FOUNDING_ACT)}"),
        ("Draft", "preset_draft", DRAFT_PUBLISHED, f"Draft agreement published, {day_in_words(DRAFT_PUBLISHED)}"),
        ("Today", "preset_today", today, f"NATO's members today, {day_in_words(today)}"),
    )


def presets_note(ready: int, urls: Sequence[str]) -> str:
    """Return the sidebar's note on the presets' live maps (HTML; ``page_keys.js`` counts on as files arrive)."""
    return (
        f"<p class='zones-presets' data-urls='{html.escape(json.dumps(list(urls)))}'>Preparing the live map for the "
        f"presets' border lines: <span>{ready}</span> of {len(urls)} ready.</p>"
    )


def progress_words(words: str, done: int, total: int) -> str:
    """Return a progress bar's text, e.g. ``"Sweeping the widths: 3 of 101 done…"``."""
    return f"{words}: {done:,} of {total:,} done…"


def flags_sentence(analysis: Analysis) -> str:
    """Return the caveats on Russia's side on the day (Armenia's frozen participation), as one sentence."""
    names = load_countries()["name"]
    flags = alliance_flags(analysis.scenario.allies, _day(analysis.scenario))
    return " ".join(f"{names[code]} {flag}: it counts as a member here." for code, flag in flags.items())


def cities_caption(found: pd.DataFrame, *, shown: int, on_map: int) -> str:
    """Return the sentence under the cities table: how many, how many people, which the map marks (``on_map``)."""
    if found.empty:
        return "No city of 15,000 people or more (GeoNames) lies in the zone."
    count = f"{len(found):,} cities" if len(found) > 1 else "1 city"
    table = f"the {shown:,} largest of {count}" if len(found) > shown else count
    marked = f"the {on_map} largest" if len(found) > on_map else "every one"
    return (
        f"Showing {table} of 15,000 people or more (GeoNames) in the zone, "
        f"{int(found['population'].sum()):,} people in all. The map marks {marked}."
    )


def regions_caption(regions: pd.DataFrame, *, shown: int) -> str:
    """Return the sentence under the regions table: how many, how many people, by which method."""
    if len(regions) == 0:
        return "No region lies in the zone."
    largest = f"the {shown:,} largest of " if len(regions) > shown else ""
    return (
        f"Showing {largest}{len(regions):,} regions, {format_people(regions['population'].sum())} in all "
        f"({POPULATION_METHOD})."
    )


def where_words(lat: float, lon: float) -> str:
    """Return a point as ``"54.90° N, 23.90° E"``.

    >>> where_words(54.9, -23.9)
    '54.90° N, 23.90° W'
    """
    return f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"


def sweep_heading(analysis: Analysis, *, countries: int) -> str:
    """Return the chart's heading (Markdown): what it shows, for which sides, which countries."""
    scenario = analysis.scenario
    clip = ", on the parties' own land only" if scenario.clip else ""
    return (
        "**Share of each country's land in the zone, by width**  \n"
        f"{sides_in_words(scenario, analysis.sides)}{clip}; the {countries} countries covered soonest "
        "and every country a claim above names."
    )


def sweep_caption(scenario: Scenario) -> str:
    """Return the sentence under the chart: its steps and what the dashed line marks."""
    wider = "" if scenario.symmetric else "the wider side, "
    return (
        f"Every {SLIDER_STEP_KM} km, the same width on both sides; the dashed line marks the current width "
        f"({wider}{format_km(scenario.width_km)}). Point at a line for its figures."
    )


def about_markdown() -> tuple[str, str]:
    """Return what the draft says and how the app reads it, then Articles 4 to 7 in full (Markdown)."""
    return (
        f"Article 7 of Russia's draft agreement with NATO ({draft.SOURCE_LABEL}): “{draft.ARTICLE_7_ZONE}” "
        "The width was never published: pick one. A constant width on each side (or one per side) is this "
        "app's reading of “width and configuration”.",
        draft.articles_markdown(),
    )


def summary_cards(analysis: Analysis) -> tuple[tuple[str, str, str, str], ...]:
    """Return the headline numbers in :mod:`zones.wording`'s words: label, figure, the line under it and its help.

    The parties' land, NATO's side's, Russia's side's, and third countries' apart.
    """
    totals = totals_of(analysis)
    shares = analysis.totals.set_index("side")["share"]
    people = f"People: {POPULATION_METHOD}."
    return (
        (LABELS["parties"], format_km2(totals.parties_km2), parties_delta(totals), HELP["parties"] + people),
        *(
            (LABELS[side], format_km2(totals.km2[side]), side_delta(totals, side, share=float(shares[side])),
             HELP["side"] + people)
            for side in ("nato", "russia")
        ),
        (LABELS["third"], format_km2(totals.km2["third"]), third_delta(totals), HELP["third"]),
    )  # fmt: skip
