"""Options shared by every command of ``python -m zones``, and the scenario they describe.

Both :mod:`zones.cli.main` (the commands that write data) and
:mod:`zones.cli.report` (the commands that draw) build on these parent
parsers, so neither imports the other's internals.

>>> args = scenario_options().parse_args(["--date", "2021-12-17"])
>>> args.allies, args.sea_borders
('union-state', False)
>>> plural(1, "city", nouns="cities"), plural(1200, "city", nouns="cities")
('1 city', '1,200 cities')
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from types import MappingProxyType
from typing import Any, Final

from zones.engine.analysis import Scenario
from zones.engine.pair_widths import parse_pair_width
from zones.errors import ArgumentError
from zones.settings import DEFAULT_ALLIES, DEFAULT_WIDTH_KM

#: The program name shown in help and error messages.
PROG = "zones"

#: A command's handler: validated options in, the one-line summary it prints out.
Handler = Callable[[argparse.Namespace], str]

#: Arguments of the Python API whose command-line option has another name.
OPTION_NAMES: Final = MappingProxyType({"pair_widths": "pair_width"})


def option_name(argument: str) -> str:
    """Return the command-line option of an :class:`~zones.errors.ArgumentError`'s argument.

    >>> option_name("width_km"), option_name("pair_widths")
    ('--width-km', '--pair-width')
    """
    return "--" + OPTION_NAMES.get(argument, argument).replace("_", "-")


def _parent(title: str) -> tuple[argparse.ArgumentParser, argparse._ArgumentGroup]:
    """Return a parent parser without help, and its one group of options, titled ``title`` in the help."""
    parent = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    return parent, parent.add_argument_group(title)


def scenario_options() -> argparse.ArgumentParser:
    """Return the parent parser holding the options every command shares: date, sides, sea borders.

    Returns
    -------
    argparse.ArgumentParser
        A parser without help, to pass as ``parents=``.
    """
    parent, group = _parent("scenario")
    group.add_argument(
        "--date",
        default=None,
        help="day of membership of NATO and of Russia's allies, YYYY-MM-DD, from 1991-12-26; borders are "
        "today's on every date (default: today)",
    )
    group.add_argument(
        "--allies",
        default=DEFAULT_ALLIES,
        help="reading of Russia's side: 'union-state' (RUS, BLR) or 'csto' (the Collective Security Treaty's "
        "members on --date) (default: %(default)s)",
    )
    group.add_argument("--russia-side", nargs="+", metavar="CODE", help="custom Russia's side: ADM0_A3 codes")
    group.add_argument("--nato-side", nargs="+", metavar="CODE", help="custom NATO's side: ADM0_A3 codes")
    group.add_argument(
        "--sea-borders",
        action="store_true",
        help="add the borders at sea along the territorial sea (Russia-USA in the Bering Strait, the Baltic, "
        "Varangerfjord) to the land border (default: land only)",
    )
    group.add_argument(
        "--pair-width",
        action="append",
        default=[],
        metavar="PAIR=KM",
        help="width along one border pair, on both sides, replacing the common width there, e.g. RUS-NOR=50 "
        "(the two ADM0_A3 codes in either order; 0 leaves that stretch out); repeatable",
    )
    return parent


def pair_widths_from(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Return the ``--pair-width`` options as (pair, width) texts, for :class:`~zones.engine.analysis.Scenario`.

    Raises
    ------
    ArgumentError
        If an option is not ``PAIR=KM``.
    """
    return [parse_pair_width(text, argument="pair_width") for text in getattr(args, "pair_width", None) or []]


def _cli_scenario(**options: Any) -> Scenario:
    """Return ``Scenario(**options)``, an error on the widths per pair named as the ``--pair-width`` option."""
    try:
        return Scenario(**options)
    except ArgumentError as exc:
        if exc.argument != "pair_widths":
            raise
        received = exc.received
        if isinstance(received, dict) and len(received) == 1:  # a bad width: show it as typed
            received = "{}={}".format(*next(iter(received.items())))
        raise ArgumentError("pair_width", received, exc.allowed, exc.hint) from None


def line_scenario(args: argparse.Namespace) -> Scenario:
    """Return the scenario of the options that name a line, at 0 km, with ``--pair-width`` checked on that line.

    For the commands that take no width (``contact``).
    """
    widthless = {"width_km": "0", "russia_width_km": None, "nato_width_km": None, "clip": False}
    return scenario_from(argparse.Namespace(**(widthless | vars(args))))


def width_options() -> argparse.ArgumentParser:
    """Return the parent parser holding the zone's width options and ``--clip``.

    The commands that draw or compute a zone take these; ``contact``,
    ``thresholds`` and ``territories`` do not.
    """
    parent, group = _parent("zone")
    group.add_argument(
        "--width-km", default=str(DEFAULT_WIDTH_KM), help="width on each side of the border line, km (default: 100)"
    )
    group.add_argument("--russia-width-km", default=None, help="width on Russia's side, km (default: --width-km)")
    group.add_argument("--nato-width-km", default=None, help="width on NATO's side, km (default: --width-km)")
    group.add_argument("--clip", action="store_true", help="keep only the parties' own land")
    return parent


def scenario_from(args: argparse.Namespace, *, width_km: str | None = None) -> Scenario:
    """Return the validated :class:`~zones.engine.analysis.Scenario` that ``args`` describe.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options of :func:`scenario_options` and :func:`width_options`.
    width_km : str, optional
        Width on each side, in km, instead of ``args.width_km``.

    Returns
    -------
    Scenario

    Raises
    ------
    ArgumentError
        If an option is not allowed.
    """
    width: Any = args.width_km if width_km is None else width_km  # text: the Scenario validates it
    return _cli_scenario(
        width_km=width,
        date=args.date,
        allies=args.allies,
        russia_width_km=args.russia_width_km,
        nato_width_km=args.nato_width_km,
        clip=args.clip,
        russia_side=args.russia_side,
        nato_side=args.nato_side,
        sea_borders=args.sea_borders,
        pair_widths=pair_widths_from(args),
    )


def number_option(value: str, *, argument: str, allowed: str, low: float, high: float, whole: bool = False) -> float:
    """Return an option's text as a number from ``low`` to ``high``, or raise.

    Parameters
    ----------
    value : str
        The option as typed.
    argument : str
        The option's name, for the error message (``"step_km"``).
    allowed : str
        What is allowed, in words, for the error message.
    low, high : float
        Smallest and largest value allowed.
    whole : bool
        Whether only whole numbers are allowed.

    Returns
    -------
    float

    Raises
    ------
    ArgumentError
        If ``value`` is not such a number.

    Examples
    --------
    >>> number_option("300", argument="dpi", allowed="a whole number", low=20, high=600, whole=True)
    300.0
    >>> number_option("2.5", argument="dpi", allowed="a whole number", low=20, high=600, whole=True)
    Traceback (most recent call last):
    ...
    zones.errors.ArgumentError: 'dpi' should be a whole number, got '2.5'
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ArgumentError(argument, value, allowed) from None
    if not low <= number <= high or (whole and number != int(number)):
        raise ArgumentError(argument, value, allowed)
    return number


def plural(count: int, noun: str, *, nouns: str | None = None) -> str:
    """Return ``count`` with its noun, e.g. ``"1 feature"``, ``"8 features"``, ``"1 city"``.

    Parameters
    ----------
    count : int
        How many.
    noun : str
        The singular.
    nouns : str, optional
        The plural, if not ``noun + "s"``.

    Returns
    -------
    str
    """
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
