"""A link's query string read into the app's settings, with a note for every value refused.

The app (``app.py``) keeps every setting in the URL, so a link reproduces a
view. A link is untrusted input: every value is validated by the same checks
as the API (:mod:`zones._validate`), a bad one falls back to the default, and
the reader gets a note that names the setting, what arrived (shortened and
escaped, so it renders as inert text) and what is allowed. Nothing here
needs Streamlit: the functions take and return plain values.

>>> state, notes = state_from_query({"width_km": "250", "allies": "nato"}, max_width_km=1000, step_km=10)
>>> state["width_km"], state["allies"]
(250.0, 'union-state')
>>> print(notes[0])
Ignored **allies** in the link: got “nato”, expected one of 'union-state', 'csto'. Using the default: union-state.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

from zones._validate import validate_allies, validate_date, validate_width_km
from zones.errors import ArgumentError
from zones.settings import DEFAULT_ALLIES, DEFAULT_WIDTH_KM, DRAFT_PUBLISHED
from zones.wording import day_in_words

#: Longest echo of a link's value in a note, in characters.
MAX_ECHO_CHARS: Final = 40
#: Unicode categories dropped from an echoed value: control and format characters (bidi overrides, zero widths).
DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf"})
#: Characters that mean something in Markdown, escaped in an echoed value.
MARKDOWN_SPECIALS: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>])")
#: Words a link may use for on and off.
TRUE_WORDS: Final = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS: Final = frozenset({"0", "false", "no", "off"})
#: The switches a link may set, with their default in words.
FLAGS: Final = (("clip", "not clipped"), ("sea_borders", "land borders only"))
#: The draft's other areas a link may show on the map (``areas=4,7.1``), each with its switch's state key.
AREAS: Final = ("4", "7.1")
#: The training areas' map layer, listed with the areas in a link (``areas=7.1,sites``), and its switch's state key.
SITES_AREA: Final = "sites"
SITES_KEY: Final = "layer_sites"
#: A day written day.month.year, as readers type it (``29.03.2004``); the link takes it as well as ISO.
DOTTED_DATE: Final = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*")
#: A country code as the regions filter takes it (Natural Earth's ``ADM0_A3``, e.g. ``POL``).
COUNTRY_CODE: Final = re.compile(r"[A-Z]{3}")


def area_key(article: str) -> str:
    """Return the state key of the switch of an area's map layer, e.g. ``layer_article_7_1``.

    >>> area_key("7.1")
    'layer_article_7_1'
    """
    return "layer_article_" + article.replace(".", "_")


def iso_date(raw: str) -> str:
    """Return a day typed as day.month.year in ISO form (``YYYY-MM-DD``); anything else as it came.

    >>> iso_date("29.03.2004"), iso_date("2004-03-29"), iso_date("1.4.2009")
    ('2004-03-29', '2004-03-29', '2009-04-01')
    """
    match = DOTTED_DATE.fullmatch(raw)
    if match is None:
        return raw
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def link_params(values: Mapping[str, Any]) -> dict[str, str]:
    """Return the query string that describes the settings ``values`` (the inverse of :func:`state_from_query`).

    Parameters
    ----------
    values : mapping
        The settings by state key, as :func:`state_from_query` returns them
        (the widths in km, ``date`` a :class:`datetime.date`); only what
        differs from "off" is written.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> link = link_params({"width_km": 300.0, "per_side": False, "date": dt.date(2004, 3, 29),
    ...     "allies": "csto", "clip": False, "sea_borders": True, "layer_article_7_1": True, "layer_sites": True,
    ...     "regions_country": "POL"})
    >>> link["areas"], link["sea_borders"], link["country"]
    ('7.1,sites', '1', 'POL')
    >>> state_from_query(link, max_width_km=1000, step_km=10).values["layer_article_7_1"]
    True
    """
    if values.get("per_side"):
        wanted = {name: f"{values[name]:g}" for name in ("russia_width_km", "nato_width_km")}
    else:
        wanted = {"width_km": f"{values['width_km']:g}"}
    wanted |= {"date": values["date"].isoformat(), "allies": str(values["allies"])}
    wanted |= {name: "1" for name, _ in FLAGS if values.get(name)}
    areas = [article for article in AREAS if values.get(area_key(article))] + [SITES_AREA] * bool(values.get(SITES_KEY))
    if areas:
        wanted["areas"] = ",".join(areas)
    if values.get("regions_country"):
        wanted["country"] = str(values["regions_country"])
    return wanted


class LinkState(NamedTuple):
    """The settings a link describes, and the notes for the values it refused."""

    values: dict[str, Any]
    """Widget values by session-state key: ``width_km``, ``per_side``, ``russia_width_km``,
    ``nato_width_km``, ``date``, ``allies``, ``clip``, ``sea_borders``, the areas' switches
    (:func:`area_key`), the training areas' (:data:`SITES_KEY`) and ``regions_country`` (the regions
    table's country, ``""`` for all)."""
    notes: list[str]
    """One Markdown sentence per refused or rounded value."""


def untrusted(value: Any, *, limit: int = MAX_ECHO_CHARS) -> str:
    r"""Return a value from the URL as inert Markdown text: shortened, HTML-escaped, Markdown-escaped.

    Parameters
    ----------
    value : Any
        What arrived (turned into text with :class:`str`).
    limit : int
        Most characters kept; a longer value ends with "…".

    Returns
    -------
    str

    Examples
    --------
    >>> untrusted("<b>**x**</b>")
    '&lt;b&gt;\\*\\*x\\*\\*&lt;/b&gt;'
    >>> untrusted("a\u202eb" + "c" * 50, limit=5)
    'abcc…'
    """
    text = "".join(ch for ch in str(value) if unicodedata.category(ch) not in DROPPED_CATEGORIES)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    text = html.escape(text, quote=True)
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def refused(name: str, raw: Any, allowed: str) -> str:
    """Return the note for a refused value: the setting, what arrived and what is allowed.

    >>> refused("clip", "maybe", "1 or 0")
    'Ignored **clip** in the link: got “maybe”, expected 1 or 0.'
    """
    return f"Ignored **{name}** in the link: got “{untrusted(raw)}”, expected {allowed}."


def parse_width(raw: str, *, name: str, notes: list[str], max_width_km: float, step_km: float) -> float | None:
    """Return a width from the link, rounded to the slider's step, or None if it is refused.

    Parameters
    ----------
    raw : str
        The value in the link.
    name : str
        The setting's name (``width_km``, ``russia_width_km``, ``nato_width_km``).
    notes : list of str
        Receives a note when the width is refused or rounded.
    max_width_km : float
        Largest width the slider allows, in km.
    step_km : float
        The slider's step, in km.

    Returns
    -------
    float or None
        The width in km, a multiple of ``step_km``.

    Examples
    --------
    >>> notes = []
    >>> parse_width("104", name="width_km", notes=notes, max_width_km=1000, step_km=10)
    100.0
    >>> print(notes[0])
    Rounded **width_km** from 104 km to 100 km: the slider moves in 10 km steps.
    """
    try:
        width_km = validate_width_km(raw, argument=name, maximum_km=max_width_km)
    except ArgumentError as exc:
        notes.append(refused(name, raw, exc.allowed))
        return None
    rounded = float(step_km * round(width_km / step_km))
    if rounded != width_km:
        notes.append(
            f"Rounded **{name}** from {width_km:,g} km to {rounded:,.0f} km: the slider moves in {step_km:g} km steps."
        )
    return rounded


def state_from_query(
    params: Mapping[str, str],
    *,
    max_width_km: float,
    step_km: float,
    default_date: dt.date = DRAFT_PUBLISHED,
) -> LinkState:
    """Return the widget values a query string describes, and a note for every bad value.

    Parameters
    ----------
    params : mapping of str to str
        The query string's parameters (one value each).
    max_width_km : float
        Largest width the width sliders allow, in km.
    step_km : float
        Step of the width sliders, in km: widths are rounded to it.
    default_date : datetime.date
        Day of membership when the link names none or a bad one.

    Returns
    -------
    LinkState
        The values (the defaults where the link says nothing or something
        refused) and the notes. A per-side width in the link turns per-side
        widths on; the side the link does not name takes the common width.
    """
    notes: list[str] = []
    state: dict[str, Any] = {
        "width_km": DEFAULT_WIDTH_KM,
        "per_side": False,
        "russia_width_km": DEFAULT_WIDTH_KM,
        "nato_width_km": DEFAULT_WIDTH_KM,
        "date": default_date,
        "allies": DEFAULT_ALLIES,
        "clip": False,
        "sea_borders": False,
        **{area_key(article): False for article in AREAS},
        SITES_KEY: False,
        "regions_country": "",
    }
    if "width_km" in params:
        width = parse_width(
            params["width_km"], name="width_km", notes=notes, max_width_km=max_width_km, step_km=step_km
        )
        if width is None:
            notes[-1] += f" Using the default: {DEFAULT_WIDTH_KM:,.0f} km on each side."
        else:
            state["width_km"] = width
    for name in ("russia_width_km", "nato_width_km"):
        state[name] = state["width_km"]
        if name in params:
            state["per_side"] = True
            width = parse_width(params[name], name=name, notes=notes, max_width_km=max_width_km, step_km=step_km)
            if width is None:
                notes[-1] += f" Using {state['width_km']:,.0f} km."
            else:
                state[name] = width
    choices: tuple[tuple[str, Callable[[Any], Any], str], ...] = (
        ("date", validate_date, f"{day_in_words(default_date)} (draft published)"),
        ("allies", validate_allies, DEFAULT_ALLIES),
    )
    for name, validate, default in choices:
        if name in params:
            try:
                state[name] = validate(iso_date(params[name]) if name == "date" else params[name])
            except ArgumentError as exc:
                notes.append(f"{refused(name, params[name], exc.allowed)} Using the default: {default}.")
    for name, default in FLAGS:
        if name not in params:
            continue
        flag = params[name].strip().lower()
        if flag in TRUE_WORDS:
            state[name] = True
        elif flag not in FALSE_WORDS:
            notes.append(f"{refused(name, params[name], '1 or 0')} Using the default: {default}.")
    _areas_and_country(params, state, notes)
    return LinkState(state, notes)


def _areas_and_country(params: Mapping[str, str], state: dict[str, Any], notes: list[str]) -> None:
    """Read the areas shown on the map (``areas=4,7.1,sites``) and the regions table's country (``country=POL``)."""
    if "areas" in params:
        asked = [part.strip().lower() for part in params["areas"].split(",") if part.strip()]
        if all(article in (*AREAS, SITES_AREA) for article in asked):
            state |= {area_key(article): article in asked for article in AREAS}
            state[SITES_KEY] = SITES_AREA in asked
        else:
            allowed = ", ".join(AREAS) + f" or {SITES_AREA}"
            notes.append(f"{refused('areas', params['areas'], f'{allowed}, comma-separated')} Using none.")
    if "country" in params:
        code = params["country"].strip().upper()
        if COUNTRY_CODE.fullmatch(code):
            state["regions_country"] = code
        else:
            notes.append(
                f"{refused('country', params['country'], 'a three-letter country code such as POL')} "
                "Using every country."
            )
