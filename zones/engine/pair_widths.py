"""Widths per border pair: a stretch of the line (one pair of countries) with its own width.

A pair is written as two Natural Earth ``ADM0_A3`` codes in either order,
``"RUS-NOR"`` or ``"NOR-RUS"`` (or a tuple ``("NOR", "RUS")``), and is kept
Russia's side first, as :func:`zones.engine.contact.contact_pairs` lists it. A
pair's width replaces the common width, on both sides, along that pair's part
of the line (see :mod:`zones.engine.zone`). Whether a pair is on the line depends on
the date and the sides, so :func:`normalise_pair_widths` checks it against
the line's pairs.

>>> parse_pair_width("LTU-RUS=100", argument="pair_width")
('LTU-RUS', '100')
>>> pair_widths_text(((("RUS", "NOR"), 50.0), (("RUS", "LTU"), 100.0)))
'RUS-NOR=50,RUS-LTU=100'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import pandas as pd

from zones._validate import validate_codes, validate_width_km
from zones.errors import ArgumentError

#: A pair as the user writes it: two codes separated by a hyphen, an en dash or a slash.
PAIR_PATTERN: Final = re.compile(r"^\s*([A-Za-z0-9]{3})\s*[-–/]\s*([A-Za-z0-9]{3})\s*$")

#: What a pair may be, in words.
PAIR_ALLOWED: Final = "a border pair written as two Natural Earth ADM0_A3 codes in either order, such as 'RUS-NOR'"

#: A pair of the line, Russia's side first, and its width in km.
PairWidth = tuple[tuple[str, str], float]


def pair_text(pair: tuple[str, str]) -> str:
    """Return a pair as written on the command line, e.g. ``"RUS-NOR"``."""
    return f"{pair[0]}-{pair[1]}"


def parse_pair(value: Any, *, argument: str = "pair_widths") -> tuple[str, str]:
    """Return the two codes of a pair, upper-cased, in the order written.

    Parameters
    ----------
    value : str or tuple of two str
        ``"RUS-NOR"``, ``"nor–rus"``, ``("RUS", "NOR")``.
    argument : str
        Name used in the error message.

    Raises
    ------
    ArgumentError
        If ``value`` is not two codes, or a code is unknown (close matches are listed).
    """
    if isinstance(value, str):
        match = PAIR_PATTERN.match(value)
        if match is None:
            raise ArgumentError(argument, value, PAIR_ALLOWED)
        codes = (match.group(1), match.group(2))
    elif isinstance(value, tuple | list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        codes = (value[0], value[1])
    else:
        raise ArgumentError(argument, value, PAIR_ALLOWED)
    checked = []
    for code in codes:
        try:
            checked.append(validate_codes([code], argument=argument)[0])
        except ArgumentError as exc:
            raise ArgumentError(argument, value, PAIR_ALLOWED, f"Unknown code {code!r}. {exc.hint}") from None
    if checked[0] == checked[1]:
        raise ArgumentError(argument, value, PAIR_ALLOWED, "The two codes are the same.")
    return checked[0], checked[1]


def parse_pair_width(text: str, *, argument: str) -> tuple[str, str]:
    """Split ``"RUS-NOR=50"`` (the command line's form) into the pair and the width, both as text.

    Raises
    ------
    ArgumentError
        If ``text`` has no ``=`` between a pair and a width.
    """
    pair, sep, width = str(text).partition("=")
    if not sep or not pair.strip() or not width.strip():
        raise ArgumentError(argument, text, "PAIR=KM, a border pair and a width in km, such as 'RUS-NOR=50'")
    return pair.strip(), width.strip()


def _items(value: Any, argument: str) -> list[tuple[Any, Any]]:
    """Return ``value``'s (pair, width) items: a mapping's, or an iterable of 2-item pairs'."""
    allowed = "a mapping of border pairs to widths in km, such as {'RUS-NOR': 50}"
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ArgumentError(argument, value, allowed)
    items = list(value)
    for item in items:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise ArgumentError(argument, item, allowed + " (or an iterable of (pair, width_km) items)")
    return [(item[0], item[1]) for item in items]


def normalise_pair_widths(
    value: Any, *, line_pairs: Sequence[tuple[str, str]], argument: str = "pair_widths"
) -> tuple[PairWidth, ...]:
    """Return widths per pair, checked against the line's pairs, as a sorted tuple.

    Parameters
    ----------
    value : mapping or iterable, optional
        ``{"RUS-NOR": 50, ("LTU", "RUS"): 100}``, or an iterable of
        ``(pair, width_km)`` items (this function's own result is accepted
        as it is). ``None`` means none.
    line_pairs : sequence of (str, str)
        The pairs of the line, Russia's side first (``russia_side`` and
        ``nato_side`` of :func:`zones.engine.contact.contact_pairs`).
    argument : str
        Name used in error messages.

    Returns
    -------
    tuple of ((str, str), float)
        ``((russia_code, nato_code), width_km)``, sorted by pair; widths
        from 0 to 2,000 km (0 removes that stretch from the zone).

    Raises
    ------
    ArgumentError
        If a pair is malformed, has an unknown code or is not on the line, is
        given twice, or its width is negative, not a number or too large.
    """
    if value is None:
        return ()
    order = {frozenset(pair): (str(pair[0]), str(pair[1])) for pair in line_pairs}
    on_line = ", ".join(pair_text(pair) for pair in order.values())
    out: dict[tuple[str, str], float] = {}
    for key, width in _items(value, argument):
        codes = parse_pair(key, argument=argument)
        shown = key if isinstance(key, str) else pair_text(codes)
        pair = order.get(frozenset(codes))
        if pair is None:
            raise ArgumentError(
                argument,
                shown,
                f"a border pair of the line (in either order): {on_line}",
                "The pairs on the line depend on the date, the sides and the sea borders.",
            )
        if pair in out:
            raise ArgumentError(argument, shown, "each border pair once", f"{pair_text(pair)} is given twice.")
        try:
            out[pair] = validate_width_km(width, argument=argument)
        except ArgumentError as exc:
            raise ArgumentError(argument, {shown: width}, f"widths that are {exc.allowed}") from None
    return tuple(sorted(out.items()))


def pair_widths_text(pair_widths: Iterable[PairWidth]) -> str:
    """Return widths per pair as text, ``"RUS-NOR=50,RUS-LTU=100"`` (exports; the CLI's form), or ``""``."""
    return ",".join(f"{pair_text(pair)}={width_km:g}" for pair, width_km in pair_widths)


def pair_widths_in_words(pair_widths: Iterable[PairWidth], names: Mapping[str, str]) -> str:
    """Return widths per pair in words, e.g. ``"50 km along Russia–Norway and 100 km along Russia–Lithuania"``.

    Parameters
    ----------
    pair_widths : iterable of ((str, str), float)
        Normalised widths per pair.
    names : mapping of str to str
        Country name by code (a code without one is shown as it is).

    Examples
    --------
    >>> pair_widths_in_words([(("RUS", "NOR"), 0.0)], {"RUS": "Russia", "NOR": "Norway"})
    'none along Russia–Norway'
    """
    parts = [
        f"{'none' if width_km == 0 else f'{width_km:,.0f} km'} along {names.get(a, a)}–{names.get(b, b)}"
        for (a, b), width_km in pair_widths
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def refuse_pair_widths(pair_widths: Sequence[PairWidth], *, what: str) -> None:
    """Raise if there are widths per pair: ``what`` draws one width along the whole line.

    Parameters
    ----------
    pair_widths : sequence of ((str, str), float)
        A scenario's widths per pair.
    what : str
        What cannot answer for them, e.g. ``"the sweep"``.

    Raises
    ------
    ArgumentError
        Naming ``pair_widths`` and what arrived, if there are any.
    """
    if pair_widths:
        raise ArgumentError(
            "pair_widths",
            pair_widths_text(pair_widths),
            f"none for {what}",
            f"{what[0].upper()}{what[1:]} uses one width along the whole line; drop the widths per pair.",
        )


def pair_widths_from_table(table: pd.DataFrame, *, column: str = "pair_width_km") -> dict[str, Any]:
    """Return the widths set in a table of pairs (as ``border_pairs`` gives, edited), for ``Scenario(pair_widths=)``.

    Rows whose ``column`` is empty (None or NaN) take the common width and
    are left out; the rest are passed on as they are, for the
    :class:`~zones.engine.analysis.Scenario` to validate.

    Examples
    --------
    >>> table = pd.DataFrame({"pair": ["RUS-NOR", "RUS-EST"], "pair_width_km": [50, None]})
    >>> pair_widths_from_table(table)
    {'RUS-NOR': 50.0}
    """
    widths = table[column].tolist()
    return {
        str(pair): width
        for pair, width in zip(table["pair"], widths, strict=True)
        if width is not None and not (isinstance(width, float) and math.isnan(width))
    }


def pair_widths_on_line(
    pair_widths: Iterable[PairWidth], line_pairs: Sequence[tuple[str, str]]
) -> tuple[tuple[PairWidth, ...], tuple[PairWidth, ...]]:
    """Split normalised widths per pair into those whose pair is on a line and those that are not.

    For the app: when the date or the sides change, a pair may leave the line
    (RUS-FIN before 2023); its width is dropped, with a word to the reader.

    Examples
    --------
    >>> pair_widths_on_line([(("RUS", "FIN"), 40.0), (("RUS", "NOR"), 50.0)], [("RUS", "NOR"), ("RUS", "EST")])
    (((('RUS', 'NOR'), 50.0),), ((('RUS', 'FIN'), 40.0),))
    """
    on_line = {frozenset(pair) for pair in line_pairs}
    items = list(pair_widths)
    kept = tuple(item for item in items if frozenset(item[0]) in on_line)
    dropped = tuple(item for item in items if frozenset(item[0]) not in on_line)
    return kept, dropped
