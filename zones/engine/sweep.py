"""How the zone's reach grows with its width: each country's land in the zone over many widths.

Pure computation, no drawing: the chart of this table is
:func:`zones.report.sweep_chart.render_sweep`.

>>> from zones import Scenario
>>> from zones.engine.sweep import first_width_reaching, sweep_table
>>> table = sweep_table(Scenario(width_km=0, date="1997-05-27"), widths_km=[0, 50, 100])
>>> table.loc[table["width_km"] == 50, ["adm0_a3", "side"]].to_numpy().tolist()
[['RUS', 'russia'], ['FIN', 'third'], ['NOR', 'nato']]
>>> first_width_reaching(table, "NOR", 0.01)
50.0

Every width is a symmetric zone (the same width on both sides); the other
options of the scenario (date, reading of Russia's side, custom sides,
clipping) are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import pandas as pd

from zones.engine import progress
from zones.engine.analysis import Scenario, affected_for
from zones.engine.cores import shared_map
from zones.engine.pair_widths import refuse_pair_widths
from zones.errors import ArgumentError

#: Columns of :func:`sweep_table`, in order.
SWEEP_COLUMNS: Final = ("width_km", "adm0_a3", "name", "side", "area_km2", "share")
#: Widths swept unless told otherwise, in km.
DEFAULT_WIDTHS_KM: Final = range(0, 1001, 10)
#: Most widths in one sweep.
MAX_WIDTHS: Final = 2001
#: A share counts as reached when it is at most this far below the threshold
#: (a fully covered country's area can differ from its whole area by float noise).
SHARE_TOLERANCE: Final = 1e-9
#: Thresholds shown in the chart's note: label and share.
THRESHOLDS: Final = (("one-third", 1 / 3), ("half", 0.5), ("all", 1.0))


def sweep_table(scenario: Scenario, widths_km: Iterable[float] = DEFAULT_WIDTHS_KM) -> pd.DataFrame:
    """Return the land each country has in the zone at each width, in long format.

    Each width is computed by :func:`zones.engine.analysis.affected_for` (what
    :func:`zones.analyse` gives as ``affected``, without the cities) on
    ``scenario.replace(width_km=w, russia_width_km=None, nato_width_km=None)``,
    so every row equals what a single analysis gives.

    Parameters
    ----------
    scenario : Scenario
        Date, reading of the sides and clipping; its widths are replaced.
    widths_km : iterable of float
        Widths on each side of the line, in km (geodesic), 0 to 2,000;
        duplicates are dropped and the widths sorted.

    Returns
    -------
    pandas.DataFrame
        Columns ``width_km``, ``adm0_a3``, ``name``, ``side`` (``russia``,
        ``nato`` or ``third``), ``area_km2`` (land in the zone, geodesic km²)
        and ``share`` (0–1 of the country's land): one row per width and per
        country affected at any of the widths, with zeros where it is not.
        Sorted by width, then by the country's area at the largest width
        (largest first). ``attrs["scenario"]`` holds the scenario with its
        widths unset to the first one.

    Raises
    ------
    ArgumentError
        If a width is not allowed or there are none (checked before any
        computation), if the scenario has widths per border pair (the sweep
        moves one width along the whole line), or if the sides share no border.
    """
    refuse_pair_widths(scenario.pair_widths, what="the sweep")
    if isinstance(widths_km, str | bytes) or not isinstance(widths_km, Iterable):
        raise ArgumentError("widths_km", widths_km, "an iterable of widths in km")
    scenarios = {}
    for width in widths_km:
        symmetric = scenario.replace(width_km=width, russia_width_km=None, nato_width_km=None)
        scenarios[symmetric.width_km] = symmetric
    if not scenarios:
        raise ArgumentError("widths_km", list(widths_km), "at least one width in km")
    if len(scenarios) > MAX_WIDTHS:
        raise ArgumentError("widths_km", f"{len(scenarios)} widths", f"at most {MAX_WIDTHS:,} widths")
    frames = []
    widths = sorted(scenarios)
    rows = shared_map(_affected_rows, [scenarios[width_km] for width_km in widths])  # both cores: zones.engine.cores
    for done, (width_km, affected) in enumerate(zip(widths, rows, strict=True), start=1):
        frames.append(affected.assign(width_km=width_km))
        progress.step(done, len(scenarios))  # the app's progress bar (zones.engine.progress): a sweep can take a minute
    return long_table(frames, sorted(scenarios), scenarios[min(scenarios)])


def _affected_rows(scenario: Scenario) -> pd.DataFrame:
    """Return the sweep's columns of ``affected_for(scenario)``, without the geometry (a worker sends it back)."""
    return pd.DataFrame(affected_for(scenario)[["adm0_a3", "name", "side", "area_km2", "share"]])


def long_table(frames: list[pd.DataFrame], widths_km: list[float], scenario: Scenario) -> pd.DataFrame:
    """Return per-width affected frames as one long table with zeros filled in: :func:`sweep_table`'s.

    Parameters
    ----------
    frames : list of pandas.DataFrame
        The affected countries at some of ``widths_km`` (columns :data:`SWEEP_COLUMNS`); a width with none
        may be left out.
    widths_km : list of float
        Every width of the table, sorted.
    scenario : Scenario
        The scenario at the first width (``attrs["scenario"]``).

    Returns
    -------
    pandas.DataFrame
        As :func:`sweep_table` returns it.
    """
    hits = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(SWEEP_COLUMNS))
    countries = hits.drop_duplicates("adm0_a3").set_index("adm0_a3")[["name", "side"]]
    last = hits[hits["width_km"] == hits["width_km"].max()].set_index("adm0_a3")["area_km2"]
    order = (
        pd.DataFrame({"area_km2": last.reindex(countries.index, fill_value=0.0)})
        .assign(code=countries.index)
        .sort_values(["area_km2", "code"], ascending=[False, True])
        .index
    )
    grid = pd.MultiIndex.from_product([widths_km, order], names=["width_km", "adm0_a3"])
    values = hits.set_index(["width_km", "adm0_a3"])[["area_km2", "share"]].reindex(grid, fill_value=0.0)
    table = values.reset_index()
    table.insert(2, "name", countries.loc[table["adm0_a3"], "name"].to_numpy())
    table.insert(3, "side", countries.loc[table["adm0_a3"], "side"].to_numpy())
    table["width_km"] = table["width_km"].astype(float)
    table = table[list(SWEEP_COLUMNS)]
    table.attrs["scenario"] = scenario
    return table


def check_table(table: pd.DataFrame) -> None:
    """Raise unless ``table`` has the columns of :func:`sweep_table`.

    Parameters
    ----------
    table : pandas.DataFrame
        A table that should come from :func:`sweep_table`.

    Raises
    ------
    ArgumentError
        If it is not a data frame with the columns :data:`SWEEP_COLUMNS`.
    """
    if not isinstance(table, pd.DataFrame) or not set(SWEEP_COLUMNS) <= set(table.columns):
        raise ArgumentError(
            "table", type(table).__name__, "a table from sweep_table() with columns " + ", ".join(SWEEP_COLUMNS)
        )


def first_width_reaching(table: pd.DataFrame, adm0_a3: str, share: float) -> float | None:
    """Return the smallest swept width at which a country's share reaches ``share``.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`sweep_table`.
    adm0_a3 : str
        Natural Earth country code, e.g. ``"POL"``.
    share : float
        Threshold, 0 to 1 of the country's land (``1 / 3`` for one-third);
        shares within :data:`SHARE_TOLERANCE` below it count.

    Returns
    -------
    float or None
        The width in km, or ``None`` if no swept width reaches it (also when
        the country is never in the zone).

    Raises
    ------
    ArgumentError
        If ``table`` is not a sweep table or ``share`` is not from 0 to 1.
    """
    check_table(table)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise ArgumentError("share", share, "a number from 0 to 1")
    rows = table[table["adm0_a3"] == str(adm0_a3).upper()]
    reached = rows.loc[rows["share"] >= share - SHARE_TOLERANCE, "width_km"]
    return float(reached.min()) if len(reached) else None


def shares_by_width(table: pd.DataFrame) -> pd.DataFrame:
    """Return the shares (0–1) as a frame: one row per width (sorted), one column per country code.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`sweep_table`.

    Returns
    -------
    pandas.DataFrame
        Index ``width_km``, one column per ``adm0_a3`` code.
    """
    check_table(table)
    return table.pivot_table(index="width_km", columns="adm0_a3", values="share", aggfunc="first").sort_index()


def most_covered(table: pd.DataFrame, *, top: int = 10) -> list[str]:
    """Return the codes of the ``top`` countries covered soonest: largest share averaged over the widths.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`sweep_table`.
    top : int
        How many countries.

    Returns
    -------
    list of str
        ``ADM0_A3`` codes, most covered first (ties in the table's order).
    """
    return list(shares_by_width(table).mean().sort_values(ascending=False, kind="stable").index[:top])
