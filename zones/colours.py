"""One colour scheme and one legend wording for every map: the app's, the published page's and the report's.

Plain values only (no matplotlib or folium import): :mod:`zones.web.map_style`
(and through it :mod:`zones.web.publish`) and :mod:`zones.report.map_figure` read them.

* The sides have one colour each, the same on the screen and on paper:
  Russia's side red, NATO's side blue, third countries amber, a zone of the
  same width on both sides grey. The report draws each piece's edge darker
  (:data:`SIDE_EDGE_COLOURS`).
* The base map: a pale sea, light land, grey borders and a near-black border
  line between the sides.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

#: Fill colour of each side (``russia``, ``nato``, ``third``; ``all`` for one width on both sides).
SIDE_COLOURS: Final = MappingProxyType({"russia": "#c62828", "nato": "#1f5fbf", "third": "#d89a00", "all": "#5c5c5c"})
#: Edge colour of each side's zone where a darker outline is drawn (the report).
SIDE_EDGE_COLOURS: Final = MappingProxyType(
    {"russia": "#8e1b10", "nato": "#123d70", "third": "#8a6200", "all": "#333333"}
)

SEA_COLOUR: Final = "#dce8f2"
LAND_COLOUR: Final = "#f6f3ec"
BORDER_COLOUR: Final = "#a9a49a"
#: The border line between the sides.
LINE_COLOUR: Final = "#111111"

#: Opacity of an affected country's side colour over the land at a share of 0 and of 1 (linear between):
#: the darker, the larger the share of the country inside the zone.
SHARE_OPACITY_RANGE: Final = (0.18, 0.68)


def share_opacity(share: float) -> float:
    """Return the opacity of an affected country's side colour for its ``share`` (0–1) of land in the zone.

    >>> share_opacity(0.0), share_opacity(1.0)
    (0.18, 0.68)
    """
    low, high = SHARE_OPACITY_RANGE
    share = min(max(share, 0.0), 1.0)
    return low * (1.0 - share) + high * share


def flat_share_colour(side: str, share: float) -> tuple[float, float, float]:
    """Return the RGB (0–1) of ``side``'s colour at :func:`share_opacity` over the land, as printed.

    The app draws the side's colour with that opacity over :data:`LAND_COLOUR`;
    the report prints the same colour, flattened.

    >>> [round(c, 3) for c in flat_share_colour("nato", 1.0)]
    [0.391, 0.558, 0.805]
    """
    land = _rgb(LAND_COLOUR)
    colour = _rgb(SIDE_COLOURS[side])
    alpha = share_opacity(share)
    r, g, b = (lc + alpha * (cc - lc) for lc, cc in zip(land, colour, strict=True))
    return (r, g, b)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    """Return ``"#rrggbb"`` as an RGB triple of floats in 0–1."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (r, g, b)


#: The lines of the share-by-width charts (the report's and the app's), one per country: matplotlib's tab10
#: (Vega's tableau10 is the same ten), ten hues none of which is near another. Beyond ten lines the
#: colours come round again, dotted (tab20's pairs of one hue in a light and a dark shade made Lithuania
#: and Estonia, Latvia and Belarus look alike).
CHART_LINE_COLOURS: Final = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip

#: Legend wording shared by the maps.
LEGEND_LABELS: Final = MappingProxyType(
    {
        "title": "Article 7 zone",
        "line": "Border line (contact line)",
        "russia": "Russia's side",
        "nato": "NATO's side",
        "third": "Third countries",
        "all": "Zone, the same width on both sides",
        "city": "Largest cities in the zone",
        "not_affected": "Country not affected",
        "shading": "Darker land: larger share of the country inside the zone.",
    }
)
