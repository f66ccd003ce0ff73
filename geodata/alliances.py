"""Alliance membership by date, read from ``geodata/alliances.csv``.

Membership is recorded per sovereign state by the ``adm0_a3`` code of its
main Natural Earth feature; dependent territories that Natural Earth draws
separately (Åland, Greenland, the Faroe Islands…) go with their sovereign
through the ``sov_adm0`` column of :func:`geodata.load_countries`.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Final

import pandas as pd

ALLIANCES_PATH: Final = Path(__file__).resolve().parent / "alliances.csv"

#: Readings of "Russia and its military allies" that users can choose.
RUSSIA_SIDE_READINGS: Final = ("union-state", "csto")

#: All alliances in the table.
ALLIANCES: Final = ("nato", *RUSSIA_SIDE_READINGS)


@functools.cache
def alliance_table() -> pd.DataFrame:
    """Return the membership table.

    Returns
    -------
    pandas.DataFrame
        Columns ``alliance``, ``adm0_a3``, ``joined`` (``datetime.date`` or
        ``None`` where the reading is undated) and ``note``. Cached and
        shared: copy it before modifying.
    """
    table = pd.read_csv(ALLIANCES_PATH, dtype=str, keep_default_na=False)
    table["joined"] = [dt.date.fromisoformat(v) if v else None for v in table["joined"]]
    unknown = set(table["alliance"]) - set(ALLIANCES)
    if unknown:
        msg = f"{ALLIANCES_PATH.name}: unknown alliances {sorted(unknown)}; allowed: {ALLIANCES}"
        raise ValueError(msg)
    return table


def alliance_members(alliance: str, date: dt.date) -> tuple[str, ...]:
    """Return the sovereign members of ``alliance`` on ``date``.

    Parameters
    ----------
    alliance : {"nato", "union-state", "csto"}
        Alliance name.
    date : datetime.date
        Day of membership; a state is a member from its accession day on.
        The Russia-side readings are undated: the same members on every day.

    Returns
    -------
    tuple of str
        Sorted ``adm0_a3`` codes of the sovereign members.

    Raises
    ------
    ValueError
        If ``alliance`` is not one of :data:`ALLIANCES`.
    """
    if alliance not in ALLIANCES:
        msg = f"'alliance' should be one of {ALLIANCES}, got {alliance!r}"
        raise ValueError(msg)
    table = alliance_table()
    rows = table[table["alliance"] == alliance]
    member = [joined is None or joined <= date for joined in rows["joined"]]
    return tuple(sorted(rows.loc[member, "adm0_a3"]))
