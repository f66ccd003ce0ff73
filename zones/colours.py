"""One colour scheme and one legend wording for every map: the app's, the published page's and the report's.

Plain values only (no matplotlib or folium import): :mod:`zones.map_style`
(and through it :mod:`zones.publish`) and :mod:`zones.report` read them.

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
