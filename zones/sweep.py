"""How the zone's reach grows with its width: a table over many widths and a chart of it.

>>> from zones import Scenario
>>> from zones.sweep import first_width_reaching, sweep_table
>>> table = sweep_table(Scenario(date="2021-12-17"), widths_km=range(0, 501, 50))  # doctest: +SKIP
>>> first_width_reaching(table, "POL", 1 / 3)  # doctest: +SKIP
100.0

Every width is a symmetric zone (the same width on both sides); the other
options of the scenario (date, reading of Russia's side, custom sides,
clipping) are kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

import matplotlib as mpl
import matplotlib.patheffects
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from zones.analysis import Scenario, affected_for
from zones.contact import resolve_sides
from zones.errors import ArgumentError
from zones.report import (
    ATTRIBUTION,
    DEFAULT_DPI,
    FOOTER_PT,
    MUTED_COLOUR,
    PAGE_SIZE_IN,
    SMALL_PT,
    TEXT_COLOUR,
    TITLE_PT,
    _check_dpi,
    _check_format,
    _figure_bytes,
    sides_in_words,
)

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

#: Where the chart and its note sit, in figure fractions (left, bottom, width, height).
CHART_BOX: Final = (0.07, 0.12, 0.56, 0.73)
NOTE_LEFT: Final = 0.745


def sweep_table(scenario: Scenario, widths_km: Iterable[float] = DEFAULT_WIDTHS_KM) -> pd.DataFrame:
    """Return the land each country has in the zone at each width, in long format.

    Each width is computed by :func:`zones.analysis.affected_for` (what
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
        computation), or if the sides share no border.
    """
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
    for width_km in sorted(scenarios):
        affected = affected_for(scenarios[width_km])
        frames.append(
            pd.DataFrame(affected[["adm0_a3", "name", "side", "area_km2", "share"]]).assign(width_km=width_km)
        )
    return _long_table(frames, sorted(scenarios), scenarios[min(scenarios)])


def _long_table(frames: list[pd.DataFrame], widths_km: list[float], scenario: Scenario) -> pd.DataFrame:
    """Return per-width affected frames as one long table with zeros filled in."""
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


def _check_table(table: pd.DataFrame) -> None:
    """Raise ArgumentError unless ``table`` has the columns of :func:`sweep_table`."""
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
    _check_table(table)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        raise ArgumentError("share", share, "a number from 0 to 1")
    rows = table[table["adm0_a3"] == str(adm0_a3).upper()]
    reached = rows.loc[rows["share"] >= share - SHARE_TOLERANCE, "width_km"]
    return float(reached.min()) if len(reached) else None


def render_sweep(
    table: pd.DataFrame,
    *,
    current_width_km: float | None = None,
    fmt: str = "png",
    dpi: int = DEFAULT_DPI,
    top: int = 10,
) -> bytes:
    """Return a chart of each country's share in the zone against the width, on an A4 landscape page.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`sweep_table`.
    current_width_km : float, optional
        Width to mark with a vertical line and each country's share there, in km.
    fmt : {"png", "svg", "pdf"}
        Output format.
    dpi : int
        Resolution in dots per inch (PNG), 20 to 600.
    top : int
        How many countries to draw, 1 to 20: those with the largest share
        averaged over the widths (covered soonest).

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    ArgumentError
        If an option is not allowed.
    """
    _check_table(table)
    fmt, dpi = _check_format(fmt), _check_dpi(dpi)
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or not 1 <= top <= 20:
        raise ArgumentError("top", top, "a whole number from 1 to 20")
    if current_width_km is not None and (
        isinstance(current_width_km, bool)
        or not isinstance(current_width_km, int | float | np.number)
        or not math.isfinite(current_width_km)
    ):
        raise ArgumentError("current_width_km", current_width_km, "a width in km or None")
    figure = Figure(figsize=PAGE_SIZE_IN, dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    shares = _shares(table)
    ranked = most_covered(table, top=top)
    names = table.drop_duplicates("adm0_a3").set_index("adm0_a3")["name"]
    ax = figure.add_axes(CHART_BOX)
    _draw_lines(ax, shares[ranked], names, current_width_km)
    _draw_note(figure, table, ranked, names, current_width_km)
    title = "Share of each country's land in the Article 7 zone, by width"
    figure.text(CHART_BOX[0], 0.95, title, fontsize=TITLE_PT, fontweight="bold", color=TEXT_COLOUR, va="baseline")
    subtitle = _subtitle(table, len(ranked))
    figure.text(CHART_BOX[0], 0.935, subtitle, fontsize=SMALL_PT + 2.5, color=MUTED_COLOUR, va="top", linespacing=1.4)
    figure.text(CHART_BOX[0], 0.03, ATTRIBUTION, fontsize=FOOTER_PT, color=MUTED_COLOUR, va="baseline")
    return _figure_bytes(figure, fmt=fmt, dpi=dpi, title=title)


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    """Return the shares (0–1) as a frame: one row per width (sorted), one column per country code."""
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
    _check_table(table)
    return list(_shares(table).mean().sort_values(ascending=False, kind="stable").index[:top])


def _subtitle(table: pd.DataFrame, count: int) -> str:
    """Return the scenario and what is drawn, in words."""
    scenario = table.attrs.get("scenario")
    widths = table["width_km"]
    sweep = f"widths {widths.min():,.0f}–{widths.max():,.0f} km on each side" if len(widths) else "no widths"
    if not isinstance(scenario, Scenario):
        return f"The {count} most affected countries; {sweep}."
    clip = ", clipped to the two sides' land" if scenario.clip else ""
    sides = resolve_sides(
        scenario.date, allies=scenario.allies, russia_side=scenario.russia_side, nato_side=scenario.nato_side
    )
    return f"{sides_in_words(scenario, sides)}{clip}\n{sweep.capitalize()}; the {count} countries covered soonest."


def _draw_lines(ax: mpl.axes.Axes, shares: pd.DataFrame, names: pd.Series, current_width_km: float | None) -> None:
    """Draw one labelled line per country, share (%) against width (km), and the current width."""
    colours = mpl.colormaps["tab10" if shares.shape[1] <= 10 else "tab20"].colors
    widths = shares.index.to_numpy(dtype=float)
    x_max = float(widths.max()) if len(widths) else 1.0
    curves = []
    for i, code in enumerate(shares.columns):
        colour = colours[i % len(colours)]
        ax.plot(widths, 100 * shares[code].to_numpy(), color=colour, linewidth=1.6, zorder=3)
        curves.append((widths, 100 * shares[code].to_numpy(), str(names[code]), colour))
    ax.set_xlim(0 if not len(widths) else min(0.0, float(widths.min())), x_max)
    ax.set_ylim(0, 100)
    _label_lines(ax, curves)
    if current_width_km is not None and len(widths):
        ax.axvline(current_width_km, color="#333333", linewidth=1.0, linestyle="--", zorder=2)
        ax.text(
            current_width_km,
            101.5,
            f"{current_width_km:,.0f} km",
            ha="center",
            va="bottom",
            fontsize=SMALL_PT + 1,
            color=TEXT_COLOUR,
            fontweight="bold",
        )
        for i, code in enumerate(shares.columns):
            value = np.interp(current_width_km, widths, shares[code].to_numpy())
            ax.plot(current_width_km, 100 * value, "o", color=colours[i % len(colours)], markersize=4, zorder=4)
    ax.set_xlim(0 if not len(widths) else min(0.0, float(widths.min())), x_max)
    ax.set_ylim(0, 100)
    ax.set_xlabel("Width of the zone on each side of the border line (km)", fontsize=SMALL_PT + 2)
    ax.set_ylabel("Share of the country's land in the zone (%)", fontsize=SMALL_PT + 2)
    ax.xaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.tick_params(labelsize=SMALL_PT + 1)
    ax.grid(color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _label_lines(ax: mpl.axes.Axes, curves: list[tuple[np.ndarray, np.ndarray, str, tuple]]) -> None:
    """Write each country's name on its line where it crosses 50 % (else 25 %, 75 %, 10 %, 90 %), avoiding overlaps."""
    renderer = ax.figure.canvas.get_renderer()
    taken: list = []
    for widths, percent, name, colour in curves:
        for level in (50, 25, 75, 10, 90):
            above = np.flatnonzero(percent >= level)
            if not len(above):
                continue
            x = float(np.interp(level, percent[: above[0] + 1], widths[: above[0] + 1])) if above[0] else widths[0]
            text = ax.annotate(
                name,
                xy=(x, level),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=SMALL_PT + 1,
                color=colour,
                fontweight="bold",
                va="center",
                ha="left",
                zorder=5,
                path_effects=[mpl.patheffects.withStroke(linewidth=2.5, foreground="white")],
            )
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in taken) and box.x1 <= ax.get_window_extent(renderer).x1:
                taken.append(box)
                break
            text.remove()


def _draw_note(
    figure: Figure, table: pd.DataFrame, ranked: list[str], names: pd.Series, current_width_km: float | None
) -> None:
    """Write when each drawn country is one-third, half and fully covered."""
    y = CHART_BOX[1] + CHART_BOX[3]
    figure.text(NOTE_LEFT, y, "First width reaching…", fontsize=SMALL_PT + 2.5, fontweight="bold", va="top")
    y -= 0.045
    thresholds = [(NOTE_LEFT + 0.1 + 0.06 * i, "right", label) for i, (label, _) in enumerate(THRESHOLDS)]
    columns = [(NOTE_LEFT, "left", "Country"), *thresholds]
    for x, ha, head in columns:
        figure.text(x, y, head, fontsize=SMALL_PT + 1, color=MUTED_COLOUR, ha=ha, va="baseline")
    max_km = float(table["width_km"].max()) if len(table) else 0.0
    colours = mpl.colormaps["tab10" if len(ranked) <= 10 else "tab20"].colors
    for rank, code in enumerate(ranked):
        y -= 0.03
        values = [str(names[code])]
        for _, share in THRESHOLDS:
            width = first_width_reaching(table, code, share)
            values.append(f"{width:,.0f} km" if width is not None else f"> {max_km:,.0f}")
        for (x, ha, _), value in zip(columns, values, strict=True):
            colour = colours[rank % len(colours)] if x == NOTE_LEFT else TEXT_COLOUR
            weight = "bold" if x == NOTE_LEFT else "normal"
            figure.text(x, y, value, fontsize=SMALL_PT + 1, ha=ha, va="baseline", color=colour, fontweight=weight)
    sentences = [_sentence(table, code, names[code]) for code in _largest(table, ranked)[:4]]
    y -= 0.06
    figure.text(
        NOTE_LEFT,
        y,
        "\n".join(s for s in sentences if s),
        fontsize=SMALL_PT + 1.5,
        va="top",
        color=TEXT_COLOUR,
        linespacing=1.6,
    )
    if current_width_km is not None:
        figure.text(
            NOTE_LEFT,
            CHART_BOX[1],
            "Dashed line: the width of the current scenario.",
            fontsize=SMALL_PT + 0.5,
            color=MUTED_COLOUR,
            va="baseline",
        )


def _largest(table: pd.DataFrame, codes: list[str]) -> list[str]:
    """Return ``codes`` ordered by the country's whole land area (km²), largest first."""
    hit = table[(table["share"] > 0) & table["adm0_a3"].isin(codes)]
    whole_km2 = (hit["area_km2"] / hit["share"]).groupby(hit["adm0_a3"]).max()
    return list(whole_km2.sort_values(ascending=False).index)


def _sentence(table: pd.DataFrame, code: str, name: str) -> str:
    """Return e.g. "Poland one-third covered at 110 km", or "" if never."""
    for label, share in THRESHOLDS[:1]:
        width = first_width_reaching(table, code, share)
        if width is not None:
            return f"{name} {label} covered at {width:,.0f} km"
    return ""
