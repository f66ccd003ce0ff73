"""The sweep as a chart: each country's share of land in the zone against the width, on an A4 page.

The table comes from :func:`zones.engine.sweep.sweep_table`; this module only draws
it, on the page of :mod:`zones.report.page`.

>>> from zones import Scenario
>>> from zones.engine.sweep import sweep_table
>>> table = sweep_table(Scenario(width_km=0, date="1997-05-27"), widths_km=[0, 50, 100])
>>> render_sweep(table, current_width_km=60, fmt="svg", dpi=40)[:5]
b'<?xml'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final, cast

import matplotlib as mpl
import matplotlib.patheffects
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from zones.colours import CHART_LINE_COLOURS
from zones.engine.analysis import Scenario
from zones.engine.contact import resolve_sides
from zones.engine.sweep import THRESHOLDS, check_table, first_width_reaching, most_covered, shares_by_width
from zones.errors import ArgumentError
from zones.report import choices, page
from zones.wording import sides_in_words

#: A colour as matplotlib's palettes give it (an RGB tuple).
Colour = tuple[float, float, float]
#: One country's curve: widths (km), shares (%), its name and its colour.
Curve = tuple[np.ndarray, np.ndarray, str, Colour]

#: Where the chart and its note sit, in figure fractions (left, bottom, width, height).
CHART_BOX: Final = (0.07, 0.12, 0.56, 0.73)
NOTE_LEFT: Final = 0.745
#: Where the note's threshold columns sit: the first one's right edge past NOTE_LEFT, and the step, in figure fractions.
NOTE_FIRST_COLUMN: Final = 0.1
NOTE_COLUMN_STEP: Final = 0.06
#: Most countries drawn.
MAX_TOP: Final = 20
#: The threshold the note's sentences use ("Poland one-third covered at 10 km").
SENTENCE_THRESHOLD: Final = THRESHOLDS[0]


def chart_countries(table: pd.DataFrame, *, top: int, always: Iterable[str] = ()) -> list[str]:
    """Return the countries a chart draws: each of ``always`` the zone reaches, then the most covered; ``top`` in all.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`zones.engine.sweep.sweep_table`.
    top : int
        How many countries at most (fewer when the zone reaches fewer).
    always : iterable of str
        Codes drawn whenever the zone reaches them at some swept width (the
        countries a claim names), even if others are covered sooner; the
        first ``top`` of them by coverage if there are more.

    Returns
    -------
    list of str
        ``ADM0_A3`` codes, most covered first.

    Examples
    --------
    >>> from zones import Scenario
    >>> from zones.engine.sweep import sweep_table
    >>> table = sweep_table(Scenario(width_km=0, date="1997-05-27"), widths_km=[0, 50, 100])
    >>> chart_countries(table, top=1), chart_countries(table, top=1, always=["NOR", "SWE"])
    (['FIN'], ['NOR'])
    """
    ranked = most_covered(table, top=table["adm0_a3"].nunique())
    wanted = set(always)
    first = [code for code in ranked if code in wanted][:top]
    chosen = set(first) | set([code for code in ranked if code not in wanted][: top - len(first)])
    return [code for code in ranked if code in chosen]


def render_sweep(
    table: pd.DataFrame,
    *,
    current_width_km: float | None = None,
    fmt: str = "png",
    dpi: int = choices.DEFAULT_DPI,
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
    check_table(table)
    fmt, dpi = choices.check_format(fmt), choices.check_dpi(dpi)
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or not 1 <= top <= MAX_TOP:
        raise ArgumentError("top", top, f"a whole number from 1 to {MAX_TOP}")
    if current_width_km is not None and (
        isinstance(current_width_km, bool)
        or not isinstance(current_width_km, int | float | np.number)
        or not math.isfinite(current_width_km)
    ):
        raise ArgumentError("current_width_km", current_width_km, "a width in km or None")
    figure = page.new_page(dpi=dpi)
    shares = shares_by_width(table)
    ranked = most_covered(table, top=top)
    names = table.drop_duplicates("adm0_a3").set_index("adm0_a3")["name"]
    ax = figure.add_axes(CHART_BOX)
    _draw_lines(ax, shares[ranked], names, current_width_km=current_width_km)
    _draw_note(figure, table, ranked, names, current_width_km=current_width_km)
    title = "Share of each country's land in the Article 7 zone, by width"
    figure.text(
        CHART_BOX[0], 0.95, title, fontsize=page.TITLE_PT, fontweight="bold", color=page.TEXT_COLOUR, va="baseline"
    )
    subtitle = _subtitle(table, len(ranked))
    figure.text(  # wrapped at the page's edge: a long list of sides was cut there
        CHART_BOX[0],
        0.935,
        subtitle,
        fontsize=page.SMALL_PT + 2.5,
        color=page.MUTED_COLOUR,
        va="top",
        linespacing=1.4,
        wrap=True,
    )
    figure.text(CHART_BOX[0], 0.03, page.ATTRIBUTION, fontsize=page.FOOTER_PT, color=page.MUTED_COLOUR, va="baseline")
    return page.figure_bytes(figure, fmt=fmt, dpi=dpi, title=title)


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


def _draw_lines(ax: Axes, shares: pd.DataFrame, names: pd.Series, *, current_width_km: float | None) -> None:
    """Draw one labelled line per country, share (%) against width (km), and the current width."""
    colours = _palette()
    widths = shares.index.to_numpy(dtype=float)
    x_max = float(widths.max()) if len(widths) else 1.0
    curves = []
    for i, code in enumerate(shares.columns):
        colour = colours[i % len(colours)]
        style = "-" if i < len(colours) else (0, (1, 1.5))  # a colour's second line is dotted
        ax.plot(widths, 100 * shares[code].to_numpy(), color=colour, linewidth=1.6, linestyle=style, zorder=3)
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
            fontsize=page.SMALL_PT + 1,
            color=page.TEXT_COLOUR,
            fontweight="bold",
        )
        for i, code in enumerate(shares.columns):
            value = np.interp(current_width_km, widths, shares[code].to_numpy())
            ax.plot(current_width_km, 100 * value, "o", color=colours[i % len(colours)], markersize=4, zorder=4)
    ax.set_xlabel("Width of the zone on each side of the border line (km)", fontsize=page.SMALL_PT + 2)
    ax.set_ylabel("Share of the country's land in the zone (%)", fontsize=page.SMALL_PT + 2)
    ax.xaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.tick_params(labelsize=page.SMALL_PT + 1)
    ax.grid(color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _palette() -> Sequence[Colour]:
    """Return the line colours (:data:`~zones.colours.CHART_LINE_COLOURS`) as RGB, taken in turn, round past ten."""
    return [mpl.colors.to_rgb(colour) for colour in CHART_LINE_COLOURS]


def _label_lines(ax: Axes, curves: list[Curve]) -> None:
    """Write each country's name on its line where it crosses 50 % (else 25 %, 75 %, 10 %, 90 %), avoiding overlaps."""
    renderer = page.renderer_of(cast(Figure, ax.figure))
    taken: list[Bbox] = []
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
                fontsize=page.SMALL_PT + 1,
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
    figure: Figure, table: pd.DataFrame, ranked: list[str], names: pd.Series, *, current_width_km: float | None
) -> None:
    """Write when each drawn country is one-third, half and fully covered."""
    y = CHART_BOX[1] + CHART_BOX[3]
    figure.text(NOTE_LEFT, y, "First width reaching…", fontsize=page.SMALL_PT + 2.5, fontweight="bold", va="top")
    y -= 0.045
    thresholds = [
        (NOTE_LEFT + NOTE_FIRST_COLUMN + NOTE_COLUMN_STEP * i, "right", label)
        for i, (label, _) in enumerate(THRESHOLDS)
    ]
    columns = [(NOTE_LEFT, "left", "Country"), *thresholds]
    for x, ha, head in columns:
        figure.text(x, y, head, fontsize=page.SMALL_PT + 1, color=page.MUTED_COLOUR, ha=ha, va="baseline")
    max_km = float(table["width_km"].max()) if len(table) else 0.0
    colours = _palette()
    for rank, code in enumerate(ranked):
        y -= 0.03
        values = [str(names[code])]
        for _, share in THRESHOLDS:
            width = first_width_reaching(table, code, share)
            values.append(f"{width:,.0f} km" if width is not None else f"> {max_km:,.0f}")
        for (x, ha, _), value in zip(columns, values, strict=True):
            colour = colours[rank % len(colours)] if x == NOTE_LEFT else page.TEXT_COLOUR
            weight = "bold" if x == NOTE_LEFT else "normal"
            figure.text(x, y, value, fontsize=page.SMALL_PT + 1, ha=ha, va="baseline", color=colour, fontweight=weight)
    sentences = [_sentence(table, code, names[code]) for code in _largest(table, ranked)[:4]]
    y -= 0.06
    figure.text(
        NOTE_LEFT,
        y,
        "\n".join(s for s in sentences if s),
        fontsize=page.SMALL_PT + 1.5,
        va="top",
        color=page.TEXT_COLOUR,
        linespacing=1.6,
    )
    if current_width_km is not None:
        figure.text(
            NOTE_LEFT,
            CHART_BOX[1],
            "Black dashed line: the width of the current scenario.",
            fontsize=page.SMALL_PT + 0.5,
            color=page.MUTED_COLOUR,
            va="baseline",
        )


def _largest(table: pd.DataFrame, codes: list[str]) -> list[str]:
    """Return ``codes`` ordered by the country's whole land area (km²), largest first."""
    hit = table[(table["share"] > 0) & table["adm0_a3"].isin(codes)]
    whole_km2 = (hit["area_km2"] / hit["share"]).groupby(hit["adm0_a3"]).max()
    return list(whole_km2.sort_values(ascending=False).index)


def _sentence(table: pd.DataFrame, code: str, name: str) -> str:
    """Return e.g. "Poland one-third covered at 110 km", or "" if never."""
    label, share = SENTENCE_THRESHOLD
    width = first_width_reaching(table, code, share)
    return "" if width is None else f"{name} {label} covered at {width:,.0f} km"
