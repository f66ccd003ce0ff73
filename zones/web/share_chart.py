"""The app's share-by-width chart: each country's share of land in the zone against the width, drawn by the browser.

An Altair (Vega-Lite) chart at the page's own text size; an A4 image scaled
down to the column had text about 8 px high at 1,280 px. The print version
is :mod:`zones.report.sweep_chart` (``zones sweep``); both take their line
colours from :data:`zones.colours.CHART_LINE_COLOURS`.

Altair is part of the ``app`` extra, not of the package's dependencies: it
is imported when a chart is made, so the library and the CLI never need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, cast

import pandas as pd

from zones.colours import CHART_LINE_COLOURS

if TYPE_CHECKING:
    import altair as alt

#: The chart's height and its text size, in CSS px.
CHART_HEIGHT_PX: Final = 420
FONT_PX: Final = 14
#: The dashed line that marks the current width.
CURRENT_DASH_PX: Final = (6, 4)
CURRENT_COLOUR: Final = "#333333"


def share_chart(table: pd.DataFrame, codes: list[str], *, width_km: float) -> alt.LayerChart:
    """Return the share-by-width chart: a line per country of ``codes``, each its own hue, ``width_km`` dashed.

    Parameters
    ----------
    table : pandas.DataFrame
        A sweep (:func:`zones.engine.sweep.sweep_table`): ``adm0_a3``, ``name``, ``width_km``, ``share`` (0–1).
    codes : list of str
        The countries drawn (``ADM0_A3``), in the legend's order.
    width_km : float
        The current width, in km on each side, marked by a dashed rule.

    Returns
    -------
    altair.LayerChart
    """
    import altair as alt  # the app's extra: imported only when a chart is made

    names = table.drop_duplicates("adm0_a3").set_index("adm0_a3").loc[codes, "name"].tolist()
    data = table[table["adm0_a3"].isin(codes)].assign(percent=(100 * table["share"]).round(1))
    data.attrs = {}  # the sweep's scenario stays out of the chart's data
    x = alt.X("width_km:Q", title="Width of the zone on each side of the border (km)")
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("percent:Q", title="Share of the country's land (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "name:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=list(CHART_LINE_COLOURS[: len(names)])),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Country"),
                alt.Tooltip("width_km:Q", title="Width (km)", format=",.0f"),
                alt.Tooltip("percent:Q", title="Share (%)", format=".1f"),
            ],
        )
    )
    current = alt.Chart(pd.DataFrame({"width_km": [width_km]})).mark_rule(
        strokeDash=list(CURRENT_DASH_PX), color=CURRENT_COLOUR
    )
    return cast(
        "alt.LayerChart",
        (lines + current.encode(x=x))
        .properties(height=CHART_HEIGHT_PX)
        .configure_axis(labelFontSize=FONT_PX, titleFontSize=FONT_PX)
        .configure_legend(labelFontSize=FONT_PX, symbolStrokeWidth=3),
    )
