"""The training areas on the web map: an optional layer, off by default, with a tooltip per area.

The layer takes the form of :func:`zones.web.map_layers.layers_json` (one JSON
list of layers drawn by :class:`zones.web.map_elements.ZoneLayers`), so the app
passes it with the draft's other optional areas, in ``below=`` of
:func:`zones.web.map_layers.layers_from`, only while the reader has ticked its
box. :func:`sites_feature_group` wraps the same layer in a folium feature
group that is hidden until chosen in a layer control, for any other folium map.

Each area is a circle in the colour of its side (:mod:`zones.colours`),
outlined in black when the zone at the drawn width covers it. It sits on
Leaflet's overlay pane, above the zone, so its tooltip answers wherever the
zone is drawn; the tooltip gives the name, the country, the side, the
exercises held there and the distance to the border.
"""

from __future__ import annotations

import json
from typing import Any, Final

import folium
import geopandas as gpd
import shapely

from geodata import load_countries
from zones.colours import SIDE_COLOURS
from zones.settings import SIDE_NAMES
from zones.web.map_elements import ZoneLayers
from zones.web.map_layers import DISPLAY_GRID_DEG, feature_collection
from zones.web.map_style import LINE_PANE
from zones.wording import format_km

#: The layer's name in the app and in a layer control.
SITES_LAYER_NAME: Final = "Training areas (exercises above brigade level)"
#: Tooltip fields and their labels.
SITE_FIELDS: Final = ("name", "country", "side_label", "exercises", "distance")
SITE_LABELS: Final = ("Training area", "Country", "Side", "Exercises", "Distance")
#: Circle radius in pixels, and the outline of an area inside and outside the zone.
SITE_RADIUS_PX: Final = 6
INSIDE_OUTLINE: Final = {"color": "#000000", "weight": 2.5}
OUTSIDE_OUTLINE: Final = {"color": "#ffffff", "weight": 1.5}


def site_style(side: str, *, inside: bool) -> dict[str, Any]:
    """Return the Leaflet circle-marker style of an area on ``side``, outlined in black when ``inside``."""
    outline = INSIDE_OUTLINE if inside else OUTSIDE_OUTLINE
    return {
        "className": "zone-site",
        "radius": SITE_RADIUS_PX,
        "fillColor": SIDE_COLOURS[side],
        "fillOpacity": 0.95,
        "opacity": 1.0,
        **outline,
    }


def sites_collection(table: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the areas of a :func:`~zones.engine.sites.sites_table` as display GeoJSON, with styles and tooltips."""
    names = load_countries()["name"]
    sides, inside = table["side"].tolist(), table["inside"].tolist()
    properties = {
        "name": table["name"].tolist(),
        "country": [f"{names.get(code, code)} ({code})" for code in table["country"]],
        "side_label": [SIDE_NAMES[side] for side in sides],
        "exercises": table["exercises"].tolist(),
        "distance": [
            f"{format_km(d)} from the border" + (" (inside the zone)" if i else "")
            for d, i in zip(table["distance_km"].tolist(), inside, strict=True)
        ],
        "_style": [site_style(side, inside=bool(i)) for side, i in zip(sides, inside, strict=True)],
    }
    geometry = shapely.set_precision(table.geometry.to_numpy(), DISPLAY_GRID_DEG, mode="pointwise")
    return feature_collection(properties, geometry)


def sites_layer_json(table: gpd.GeoDataFrame) -> str:
    """Return the training areas as one optional layer in the form of :func:`zones.web.map_layers.layers_json`.

    Parameters
    ----------
    table : geopandas.GeoDataFrame
        Output of :func:`zones.engine.sites.sites_table` for the drawn scenario.

    Returns
    -------
    str
        A JSON list of one layer (none when ``table`` is empty): pass it in
        ``below=`` of :func:`zones.web.map_layers.layers_from`.
    """
    data = sites_collection(table)
    layer = {
        "name": SITES_LAYER_NAME,
        "fields": list(SITE_FIELDS),
        "labels": list(SITE_LABELS),
        "data": data,
        "pane": LINE_PANE,
    }
    layers = [layer] if data["features"] else []
    return json.dumps(layers, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def sites_feature_group(table: gpd.GeoDataFrame, *, show: bool = False) -> folium.FeatureGroup:
    """Return the training areas as a folium feature group, hidden until chosen in a layer control.

    Parameters
    ----------
    table : geopandas.GeoDataFrame
        Output of :func:`zones.engine.sites.sites_table`.
    show : bool
        Whether the layer is shown when the map opens (default: off).

    Returns
    -------
    folium.FeatureGroup
        Named :data:`SITES_LAYER_NAME`, listed in a ``folium.LayerControl``.
    """
    group = folium.FeatureGroup(name=SITES_LAYER_NAME, overlay=True, control=True, show=show)
    ZoneLayers(sites_layer_json(table)).add_to(group)
    return group
