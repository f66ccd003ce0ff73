"""Widths per border pair in a link: one query parameter per pair, read and written.

A pair's width travels as ``width_km_RUS-NOR=50`` (every character is safe
in a URL, so the link stays readable). Read like the rest of a link
(:mod:`zones.web.link`): every value is validated, a bad one is dropped with a
note that names the parameter, what arrived and what is allowed. Whether a
pair is on the line depends on the date and the sides, so the reader passes
the line's pairs (``zones.engine.analysis.border_pairs(scenario)``).

>>> widths, notes = pair_widths_from_query(
...     {"width_km": "300", "width_km_NOR-RUS": "50", "width_km_RUS-FIN": "80"},
...     line_pairs=[("RUS", "NOR"), ("RUS", "EST")],
...     max_width_km=1000,
... )
>>> widths
((('RUS', 'NOR'), 50.0),)
>>> pair_widths_query(widths)
{'width_km_RUS-NOR': '50'}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from zones.engine.analysis import Scenario, border_pairs
from zones.engine.pair_widths import PairWidth, normalise_pair_widths, pair_text, pair_widths_on_line
from zones.errors import ArgumentError, NoBorderError
from zones.settings import SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web.app_text import dropped_pairs_note
from zones.web.link import refused, state_from_query

#: Prefix of a pair's parameter: ``width_km_`` then the pair, ``width_km_RUS-NOR``.
PAIR_PARAM_PREFIX: Final = "width_km_"


def is_pair_param(name: str) -> bool:
    """Return whether a query parameter is a pair's width (``width_km_RUS-NOR``)."""
    return name.startswith(PAIR_PARAM_PREFIX)


def pair_widths_from_query(
    params: Mapping[str, str], *, line_pairs: Sequence[tuple[str, str]], max_width_km: float
) -> tuple[tuple[PairWidth, ...], list[str]]:
    """Return the widths per pair a query string gives, and a note for every value refused.

    Parameters
    ----------
    params : mapping of str to str
        The query string's parameters; only ``width_km_<PAIR>`` ones are read.
    line_pairs : sequence of (str, str)
        The pairs of the scenario's line, Russia's side first (columns
        ``russia_side`` and ``nato_side`` of ``zones.engine.analysis.border_pairs``).
    max_width_km : float
        Largest width allowed, in km (the app's slider's).

    Returns
    -------
    tuple
        The widths per pair, normalised as ``Scenario.pair_widths`` holds
        them, and the notes (Markdown, the value escaped).
    """
    notes: list[str] = []
    kept: list[PairWidth] = []
    for name, raw in params.items():
        if not is_pair_param(name):
            continue
        try:
            ((pair, width_km),) = normalise_pair_widths(
                {name[len(PAIR_PARAM_PREFIX) :]: raw}, line_pairs=line_pairs, argument=name
            )
            if width_km > max_width_km:
                raise ArgumentError(name, raw, f"a width of 0 to {max_width_km:,.0f} km")
        except ArgumentError as exc:
            notes.append(f"{refused(name, raw, exc.allowed)} Using the common width there.")
            continue
        if any(pair == other for other, _ in kept):
            notes.append(f"{refused(name, raw, 'each border pair once')} Using the first.")
            continue
        kept.append((pair, width_km))
    return tuple(sorted(kept)), notes


def pair_widths_query(pair_widths: Iterable[PairWidth]) -> dict[str, str]:
    """Return the query parameters of widths per pair, to merge into the link's (``{"width_km_RUS-NOR": "50"}``)."""
    return {f"{PAIR_PARAM_PREFIX}{pair_text(pair)}": f"{width_km:g}" for pair, width_km in pair_widths}


#: The session's key of the widths per pair in effect (a normalised tuple, as ``Scenario.pair_widths``).
PAIR_WIDTHS_KEY: Final = "pair_widths"


#: Columns of the app's table of widths per border stretch; all but the width are read-only.
PAIR_COLUMNS: Final = ("pair", "russia_name", "nato_name", "length_km", "pair_width_km")


def line_pairs_of(scenario: Scenario) -> tuple[tuple[str, str], ...]:
    """Return the pairs on ``scenario``'s line, Russia's side first; none when the sides share no border."""
    try:
        pairs = border_pairs(scenario)
    except NoBorderError:
        return ()
    return tuple(zip(pairs["russia_side"], pairs["nato_side"], strict=True))


def pair_table(state: MutableMapping[Any, Any], line: Scenario) -> pd.DataFrame | None:
    """Return the app's table of widths per border stretch of ``line`` (:data:`PAIR_COLUMNS`); None with no border.

    The table starts from the widths in effect when the line was last drawn
    (``state["_pair_base"]``). When the date or the sides change the line, the
    table starts again (``state["_pair_table"]`` counts its versions, a new
    editor each), and widths of pairs no longer on the line are dropped with a
    note (``state["_pair_note"]``).

    Parameters
    ----------
    state : mutable mapping
        The session's state; holds :data:`PAIR_WIDTHS_KEY`, and this function's keys.
    line : Scenario
        The line's scenario (date, sides, clipping, sea borders).

    Returns
    -------
    pandas.DataFrame or None
    """
    try:
        pairs = border_pairs(line)
    except NoBorderError:
        return None
    line_pairs = tuple(zip(pairs["russia_side"], pairs["nato_side"], strict=True))
    if state.get("_pair_line") != line_pairs:
        kept, dropped = pair_widths_on_line(state[PAIR_WIDTHS_KEY], line_pairs)
        state[PAIR_WIDTHS_KEY] = state["_pair_base"] = kept
        state["_pair_line"], state["_pair_table"] = line_pairs, state.get("_pair_table", 0) + 1
        state["_pair_note"] = dropped_pairs_note(dropped) if dropped else ""
    base = dict(state["_pair_base"])
    return pairs.assign(pair_width_km=[base.get(pair, np.nan) for pair in line_pairs])[list(PAIR_COLUMNS)]


def link_state(params: Mapping[str, str], *, default_date: dt.date) -> tuple[dict[str, Any], list[str]]:
    """Return the app's settings a link gives, and a note for every value refused.

    The settings are :func:`zones.web.link.state_from_query`'s, within the
    slider's limits, and the widths per pair on the link's line under
    :data:`PAIR_WIDTHS_KEY`.
    """
    values, notes = state_from_query(
        params, max_width_km=SLIDER_MAX_KM, step_km=SLIDER_STEP_KM, default_date=default_date
    )
    line = Scenario(
        width_km=0, date=values["date"], allies=values["allies"], clip=values["clip"], sea_borders=values["sea_borders"]
    )
    values[PAIR_WIDTHS_KEY], pair_notes = pair_widths_from_query(
        params, line_pairs=line_pairs_of(line), max_width_km=SLIDER_MAX_KM
    )
    return values, notes + pair_notes
