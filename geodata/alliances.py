"""Alliance membership by date, read from ``geodata/alliances.csv``.

Membership is recorded per sovereign state by the ``adm0_a3`` code of its
main Natural Earth feature; dependent territories that Natural Earth draws
separately (Åland, Greenland, the Faroe Islands…) go with their sovereign
through the ``sov_adm0`` column of :func:`geodata.load_countries`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, cast

import pandas as pd

ALLIANCES_PATH: Final = Path(__file__).resolve().parent / "alliances.csv"

#: Readings of "Russia and its military allies" that users can choose.
RUSSIA_SIDE_READINGS: Final = ("union-state", "csto")

#: All alliances in the table.
ALLIANCES: Final = ("nato", *RUSSIA_SIDE_READINGS)


#: Columns of ``alliances.csv`` that hold ISO dates (empty: none).
DATE_COLUMNS: Final = ("joined", "left", "flagged")


@functools.cache
def alliance_table() -> pd.DataFrame:
    """Return the membership table.

    Returns
    -------
    pandas.DataFrame
        One row per membership spell: ``alliance``, ``adm0_a3``, ``joined``
        (first day as a member), ``left`` (first day no longer a member, or
        ``None``), ``flagged`` and ``flag`` (a caveat such as Armenia's frozen
        participation, from that day on), ``note`` and ``source``; dates are
        ``datetime.date`` or ``None``. A state that left and came back has
        two rows. Cached and shared: copy it before modifying.

    Raises
    ------
    ValueError
        If the table names an unknown alliance, a row has no ``joined`` date
        or no ``source``, or a spell ends before it starts.
    """
    table = pd.read_csv(ALLIANCES_PATH, dtype=str, keep_default_na=False)
    for column in DATE_COLUMNS:
        table[column] = [dt.date.fromisoformat(v) if v else None for v in table[column]]
    unknown = set(table["alliance"]) - set(ALLIANCES)
    if unknown:
        msg = f"{ALLIANCES_PATH.name}: unknown alliances {sorted(unknown)}; allowed: {ALLIANCES}"
        raise ValueError(msg)
    bad = [
        f"{row.alliance}/{row.adm0_a3}"
        for row in cast("Iterable[Any]", table.itertuples())
        if row.joined is None or not row.source or (row.left is not None and row.left <= row.joined)
    ]
    if bad:
        msg = f"{ALLIANCES_PATH.name}: rows {bad} need a joined date, a source and left after joined"
        raise ValueError(msg)
    return table


def _spells(alliance: str, date: dt.date) -> pd.DataFrame:
    """Return the rows of ``alliance`` whose spell covers ``date``."""
    if alliance not in ALLIANCES:
        msg = f"'alliance' should be one of {ALLIANCES}, got {alliance!r}"
        raise ValueError(msg)
    table = alliance_table()
    rows = table[table["alliance"] == alliance]
    spells = zip(rows["joined"], rows["left"], strict=True)
    member = [joined <= date and (left is None or date < left) for joined, left in spells]
    return rows[member]


def alliance_members(alliance: str, date: dt.date) -> tuple[str, ...]:
    """Return the sovereign members of ``alliance`` on ``date``.

    Parameters
    ----------
    alliance : {"nato", "union-state", "csto"}
        Alliance name. ``csto`` before 2002-10-07 (when the Collective
        Security Treaty became an organisation) means the Treaty's members on
        that day.
    date : datetime.date
        Day of membership: a state is a member from its ``joined`` day up to
        the day before its ``left`` day.

    Returns
    -------
    tuple of str
        Sorted ``adm0_a3`` codes of the sovereign members.

    Raises
    ------
    ValueError
        If ``alliance`` is not one of :data:`ALLIANCES`.
    """
    return tuple(sorted(set(_spells(alliance, date)["adm0_a3"])))


def alliance_flags(alliance: str, date: dt.date) -> dict[str, str]:
    """Return the caveats on members of ``alliance`` on ``date``, by ``adm0_a3`` code.

    For example Armenia, a member of the CSTO that froze its participation
    in February 2024, is flagged from 2024-02-22 on.

    Parameters
    ----------
    alliance : {"nato", "union-state", "csto"}
    date : datetime.date

    Returns
    -------
    dict of str to str
        The flag's text for each flagged member; empty when none is.
    """
    rows = _spells(alliance, date)
    flagged = [day is not None and day <= date for day in rows["flagged"]]
    return dict(zip(rows.loc[flagged, "adm0_a3"], rows.loc[flagged, "flag"], strict=True))
