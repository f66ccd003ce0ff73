"""Validation at the edges: turn raw user values into checked ones.

Every function raises :class:`zones.errors.ArgumentError` with a message that
names the argument, what arrived and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from geodata import RUSSIA_SIDE_READINGS, load_countries, load_regions
from zones.errors import ArgumentError
from zones.settings import EARLIEST_DATE, MAX_WIDTH_KM, MIN_WIDTH_KM


def validate_width_km(value: Any, *, argument: str = "width_km", maximum_km: float = MAX_WIDTH_KM) -> float:
    """Return ``value`` as a width in km: 0, or from 0.1 km to ``maximum_km``.

    Widths between 0 and 0.1 km are refused: they are below the strip's
    accuracy floor (50 m) and would need absurdly fine outlines.

    Parameters
    ----------
    value : Any
        A number, or a string holding one.
    argument : str
        Name used in the error message.
    maximum_km : float
        Largest width allowed, in km.

    Returns
    -------
    float
        The width in km.

    Raises
    ------
    ArgumentError
        If ``value`` is not 0 or a finite number from 0.1 to ``maximum_km``.
    """
    allowed = f"0 or a number of km from {MIN_WIDTH_KM:g} to {maximum_km:,.0f}"
    if isinstance(value, bool | np.bool_):
        raise ArgumentError(argument, value, allowed)
    try:
        width_km = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ArgumentError(argument, value, allowed) from None
    if not math.isfinite(width_km) or not (width_km == 0 or MIN_WIDTH_KM <= width_km <= maximum_km):
        raise ArgumentError(argument, value, allowed)
    return width_km


def validate_date(value: Any, *, argument: str = "date", today: dt.date | None = None) -> dt.date:
    """Return ``value`` as a date from 1991-12-26 (the day the USSR was dissolved) to today.

    Parameters
    ----------
    value : datetime.date, str or None
        A date, or an ISO string ``YYYY-MM-DD``; ``None`` means today.
    argument : str
        Name used in the error message.
    today : datetime.date, optional
        Latest date allowed; defaults to the current day.

    Returns
    -------
    datetime.date

    Raises
    ------
    ArgumentError
        If ``value`` is not a date from 1991-12-26 to today.
    """
    today = today or dt.date.today()
    allowed = (
        f"a date YYYY-MM-DD from {EARLIEST_DATE.isoformat()} (the day the USSR was dissolved) to {today.isoformat()} "
        "(today)"
    )
    if value is None:
        return today
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ArgumentError(argument, value, allowed) from None
    else:
        raise ArgumentError(argument, value, allowed)
    if not EARLIEST_DATE <= date <= today:
        raise ArgumentError(argument, value if isinstance(value, str) else date.isoformat(), allowed)
    return date


def validate_allies(value: Any, *, argument: str = "allies") -> str:
    """Return ``value`` if it is a known reading of Russia's side.

    Raises
    ------
    ArgumentError
        If ``value`` is not one of ``union-state`` or ``csto``.
    """
    if not isinstance(value, str) or value.strip().lower() not in RUSSIA_SIDE_READINGS:
        raise ArgumentError(argument, value, "one of " + ", ".join(repr(r) for r in RUSSIA_SIDE_READINGS))
    return value.strip().lower()


def validate_codes(values: Any, *, argument: str) -> tuple[str, ...]:
    """Return Natural Earth ``ADM0_A3`` codes, upper-cased, sorted and unique.

    Parameters
    ----------
    values : str or iterable of str
        Codes such as ``"POL"``; a string may hold several, separated by
        commas or spaces.
    argument : str
        Name used in the error message.

    Raises
    ------
    ArgumentError
        If ``values`` is empty or holds an unknown code; the message lists
        close matches by code and by country name.
    """
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    if not isinstance(values, Iterable):
        raise ArgumentError(argument, values, "a list of Natural Earth ADM0_A3 country codes")
    items = list(values)
    if not items:
        raise ArgumentError(argument, items, "a non-empty list of Natural Earth ADM0_A3 country codes")
    countries = load_countries()
    known = set(countries.index)
    codes = []
    for item in items:
        code = str(item).strip().upper()
        if code not in known:
            raise ArgumentError(
                argument, item, "a Natural Earth ADM0_A3 country code such as 'POL'", _close_matches(str(item))
            )
        codes.append(code)
    return tuple(sorted(set(codes)))


def validate_region(value: Any, *, argument: str = "region") -> str:
    """Return the ``adm1_code`` of a region given by ISO 3166-2 code (``PL-20``) or ``adm1_code`` (``POL-3150``).

    Raises
    ------
    ArgumentError
        If no region within reach of the line has that code; close codes are listed.
    """
    regions = load_regions()
    text = str(value).strip().upper()
    by_adm1 = {code.upper(): code for code in regions["adm1_code"]}
    if text in by_adm1:
        return str(by_adm1[text])
    matches = regions.loc[regions["iso_3166_2"].str.upper() == text]
    if len(matches) == 1:
        return str(matches["adm1_code"].iloc[0])
    if len(matches) > 1:  # Natural Earth gives some codes to several regions (Ireland's, Bosnia's cantons)
        names = ", ".join(f"{a} ({n})" for a, n in zip(matches["adm1_code"], matches["name"], strict=True))
        raise ArgumentError(argument, value, "one region; this ISO code names several, give its adm1_code", names)
    by_code = {iso.upper(): iso for iso in regions["iso_3166_2"]} | by_adm1
    close = difflib.get_close_matches(text, list(by_code), n=3, cutoff=0.6)
    hint = f"Close matches: {', '.join(close)}." if close else "See the iso_3166_2 column of geodata/regions.parquet."
    raise ArgumentError(argument, value, "an ISO 3166-2 region code within reach of the line, such as 'PL-20'", hint)


def validate_choice(value: Any, *, argument: str, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed`` (after trimming and lower-casing).

    Raises
    ------
    ArgumentError
        Naming the allowed values.
    """
    text = str(value).strip().lower()
    if text not in allowed:
        raise ArgumentError(argument, value, "one of " + ", ".join(repr(a) for a in allowed))
    return text


def _close_matches(text: str) -> str:
    """Return a sentence listing codes whose code or name is close to ``text``."""
    countries = load_countries()
    by_name = {name.lower(): code for code, name in zip(countries.index, countries["name"], strict=True)}
    key = sorted(text.upper())
    found = [code for code in countries.index if sorted(code) == key]  # transposed letters
    found += difflib.get_close_matches(text.upper(), list(countries.index), n=3, cutoff=0.6)
    found += [by_name[n] for n in difflib.get_close_matches(text.lower(), list(by_name), n=3, cutoff=0.6)]
    found = list(dict.fromkeys(found))
    if not found:
        return "No close match; see the adm0_a3 column of geodata/countries.parquet."
    names = ", ".join(f"{c} ({countries.loc[c, 'name']})" for c in found)
    return f"Close matches: {names}."


def validate_flag(value: Any, *, argument: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (NumPy booleans included).

    Raises
    ------
    ArgumentError
        If ``value`` is anything else (``"yes"``, ``1``, ``None`` …).
    """
    if not isinstance(value, bool | np.bool_):
        raise ArgumentError(argument, value, "True or False")
    return bool(value)
