"""Colours and Leaflet styles of the web map's layers: plain values and pure functions, no folium.

A style function takes a GeoJSON feature (a dict) and returns the Leaflet
path options drawn for it; :func:`zones.web.map_layers.layers_json` stores the
result in each feature's ``properties._style``.

Part of the web map's layout: :mod:`zones.wording` (numbers as text),
:mod:`zones.web.map_style` (this module), :mod:`zones.web.map_elements` (folium
elements and their scripts), :mod:`zones.web.map_layers` (the zone's changing
layers) and :mod:`zones.web.basemap` (the fixed base map).
"""

from __future__ import annotations

from typing import Any, Final

from zones.colours import BORDER_COLOUR, LAND_COLOUR, LINE_COLOUR, SIDE_COLOURS, share_opacity
from zones.engine.draft_areas import LAYER_STYLES

#: The draft's other areas (optional layers, see :mod:`zones.engine.draft_areas`): colour and legend label.
TERRITORY_LAYERS: Final = LAYER_STYLES

#: The map's panes for the zone, bottom to top, with their z-index. Leaflet's own ``overlayPane`` (400)
#: holds the border line. Each pane is an SVG of its own, so the live slider (``zones/web/static/live_map.js``,
#: ``base_map.css``) hides the server's width-specific shapes and cities by hiding their two panes: one
#: style change, and no repaint of what lies under them.
AREAS_PANE: Final = "zoneAreas"  # the draft's other areas (optional layers): not width-specific
SHAPES_PANE: Final = "zoneShapes"  # the zone, the affected countries and regions at the server's width
LIVE_PANE: Final = "zonesLive"  # the live slider's view of the zone and shading
LINE_PANE: Final = "overlayPane"  # the border line and the clicked point
CITIES_PANE: Final = "zoneCities"  # the cities in the zone at the server's width
ZONE_PANES: Final = ((AREAS_PANE, 395), (SHAPES_PANE, 396), (LIVE_PANE, 397), (CITIES_PANE, 405))
#: Outline of the affected regions (admin-1) on the map.
REGION_COLOUR: Final = "#4a4a4a"


def country_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the base map's country style (the same for every country)."""
    return {"fillColor": LAND_COLOUR, "fillOpacity": 1.0, "color": BORDER_COLOUR, "weight": 0.8}


def strip_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Return the zone's style: dashed outline and light fill in the colour of its side."""
    side = feature["properties"]["side"]
    return {
        "fillColor": SIDE_COLOURS[side],
        "fillOpacity": 0.16 if side == "all" else 0.12,
        "color": SIDE_COLOURS[side] if side != "all" else "#333333",
        "weight": 1.5,
        "dashArray": "6 4",
        "className": "zone-strip",
    }


def affected_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Return an affected country's style: the darker, the larger its share inside the zone."""
    props = feature["properties"]
    return {
        "fillColor": SIDE_COLOURS[props["side"]],
        "fillOpacity": round(share_opacity(float(props["share"])), 2),
        "color": SIDE_COLOURS[props["side"]],
        "weight": 0.8,
        "className": "zone-country",
    }


def region_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the outline of an affected region (transparent fill, so hovering anywhere shows its tooltip)."""
    return {"color": REGION_COLOUR, "weight": 0.7, "opacity": 0.8, "fillOpacity": 0.0, "className": "zone-region"}


def line_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the style of the border between the sides."""
    return {"color": LINE_COLOUR, "weight": 3.5, "opacity": 1.0, "className": "zone-line"}


def casing_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the white casing drawn under the contact line (cheaper to draw than a CSS drop shadow)."""
    return {"color": "#ffffff", "weight": 7.0, "opacity": 0.9, "className": "zone-line-casing", "interactive": False}


def city_style(feature: dict[str, Any]) -> dict[str, Any]:
    """Return a city's circle marker style, its radius set by the population."""
    return {
        "className": "zone-city",
        "radius": feature["properties"]["radius"],
        "color": "#333333",
        "weight": 1,
        "fillColor": "#ffffff",
        "fillOpacity": 0.85,
    }
