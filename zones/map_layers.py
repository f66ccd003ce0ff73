"""The zone's changing layers on the web map: display GeoJSON and the feature group ``st_folium`` adds.

Pure functions, no Streamlit import. The app passes :func:`zone_layers` (or
:func:`layers_from`, from cached :func:`layers_json` text) to ``st_folium``
as ``feature_group_to_add``, on top of :func:`zones.basemap.base_map`, which
never changes; the browser keeps the map and only swaps these layers.

Display geometry is simplified (tolerances in degrees) and rounded to keep
what the browser receives per step small. Exports never use it: they come
from :mod:`zones.export` with full geometry.

Part of the web map's layout: :mod:`zones.formatting` (numbers as text),
:mod:`zones.map_style` (colours and Leaflet styles), :mod:`zones.map_elements`
(folium elements and their scripts), :mod:`zones.map_layers` (this module)
and :mod:`zones.basemap` (the fixed base map).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final, cast

import folium
import numpy as np
import shapely

from zones.denominators import WHOLE_COUNTRY
from zones.formatting import format_km, format_km2, format_share
from zones.map_elements import ServerDrawn, TextPopup, ZoneLayers
from zones.map_style import (
    AREAS_PANE,
    CITIES_PANE,
    LINE_PANE,
    SHAPES_PANE,
    TERRITORY_LAYERS,
    affected_style,
    casing_style,
    city_style,
    line_style,
    region_style,
    strip_style,
)
from zones.settings import SIDE_NAMES

if TYPE_CHECKING:
    from zones.analysis import Analysis

#: Simplification tolerance of the zone's display geometry, in degrees (≈ 111 km per degree of latitude).
ZONE_TOLERANCE_DEG: Final = 0.008
#: Added to the zone's tolerance per km of width: wider zones are seen zoomed out.
ZONE_TOLERANCE_DEG_PER_KM: Final = 3e-5
#: Display coordinates are rounded to this grid, in degrees (≈ 100 m).
DISPLAY_GRID_DEG: Final = 0.001

#: Most cities drawn on the map (the largest); the table lists all of them.
MAX_MAP_CITIES: Final = 80
#: The regions' outlines are simplified this many times more than the zone: hundreds of them are
#: sent on every step (76 kB at 300 km against 172 kB at the zone's tolerance), and they are a guide.
REGION_TOLERANCE_FACTOR: Final = 10.0
#: Most regions outlined on the map (the largest): a 1,000 km zone touches about 900, and every
#: outline is sent on every step.
MAX_MAP_REGIONS: Final = 300


def display_geometry(geometries: Any, *, tolerance_deg: float) -> np.ndarray:
    """Return geometries simplified and rounded for drawing, never for export.

    Parameters
    ----------
    geometries : array-like of shapely geometry
        Lon/lat geometries, EPSG:4326.
    tolerance_deg : float
        Douglas–Peucker tolerance in degrees. Plain Douglas–Peucker (six times
        faster than the topology-preserving variant): a sliver that collapses
        only disappears from the drawing.

    Returns
    -------
    numpy.ndarray
        Simplified geometries with coordinates on a :data:`DISPLAY_GRID_DEG` grid.
    """
    simple = shapely.simplify(np.asarray(geometries, dtype=object), tolerance_deg, preserve_topology=False)
    return shapely.set_precision(simple, DISPLAY_GRID_DEG, mode="pointwise")


def feature_collection(properties: dict[str, list[Any]], geometry: np.ndarray) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection dict: one feature per non-empty geometry, with an ``id``.

    ``properties`` maps each property to its column of plain Python values
    (one per geometry); plain lists rather than a DataFrame, because pandas'
    per-column overhead was most of this function's time on every slider step.
    """
    names = list(properties)
    features = []
    for i, (geom, *values) in enumerate(zip(geometry, *properties.values(), strict=True)):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "id": str(i),
                "properties": dict(zip(names, values, strict=True)),
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def zone_tolerance_deg(analysis: Analysis) -> float:
    """Return the simplification tolerance for the zone's display geometry, in degrees.

    Grows with the widest side: a 1,000 km zone is seen zoomed out, where
    finer detail is invisible but costs bytes on every step.
    """
    scenario = analysis.scenario
    widest_km = max(cast(float, scenario.russia_width_km), cast(float, scenario.nato_width_km))  # set by Scenario
    return ZONE_TOLERANCE_DEG + ZONE_TOLERANCE_DEG_PER_KM * widest_km


def strip_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the zone as display GeoJSON: one feature per side, with formatted properties."""
    strip = analysis.strip
    sides = strip["side"].tolist()
    properties = {
        "side": sides,
        "label": [SIDE_NAMES[s] if s != "all" else "Zone" for s in sides],
        "width": [f"{format_km(w)} from the border" for w in strip["width_km"].tolist()],
        "area": [format_km2(a) for a in strip["area_km2"].tolist()],
    }
    geometry = display_geometry(strip.geometry.to_numpy(), tolerance_deg=zone_tolerance_deg(analysis))
    return feature_collection(properties, geometry)


def affected_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the affected land as display GeoJSON, with formatted properties."""
    affected = analysis.affected
    sides, shares = affected["side"].tolist(), affected["share"].tolist()
    properties = {
        "name": affected["name"].tolist(),
        "side": sides,
        "side_label": [SIDE_NAMES[s] for s in sides],
        "area": [format_km2(a) for a in affected["area_km2"].tolist()],
        "share_label": [  # a share of a mainland says so: "12.3 % of mainland Norway"
            format_share(s) if part == WHOLE_COUNTRY else f"{format_share(s)} of {part}"
            for s, part in zip(shares, affected["denominator"].tolist(), strict=True)
        ],
        "share": [round(s, 3) for s in shares],
    }
    geometry = display_geometry(affected.geometry.to_numpy(), tolerance_deg=zone_tolerance_deg(analysis))
    return feature_collection(properties, geometry)


def regions_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the largest :data:`MAX_MAP_REGIONS` affected regions (their land in the zone) as display GeoJSON.

    Regions are largest first, so the cap drops the smallest; the tables and downloads keep them all.
    """
    regions = analysis.regions.head(MAX_MAP_REGIONS)
    properties = {
        "name": regions["name"].tolist(),
        "area": [format_km2(a) for a in regions["area_km2"].tolist()],
        "share_label": [format_share(s) for s in regions["share"].tolist()],
        "people": [f"{p:,}" for p in regions["population"].tolist()],
    }
    pieces = regions.geometry.to_numpy()
    geometry = display_geometry(pieces, tolerance_deg=REGION_TOLERANCE_FACTOR * zone_tolerance_deg(analysis))
    lost = shapely.is_empty(geometry) & ~shapely.is_empty(pieces)  # small regions keep an outline (and tooltip)
    geometry[lost] = display_geometry(pieces[lost], tolerance_deg=zone_tolerance_deg(analysis))
    return feature_collection(properties, geometry)


def line_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the contact line as display GeoJSON, one feature per country pair."""
    contact = analysis.contact
    properties = {
        "pair": [f"{r}–{n}" for r, n in zip(contact["russia_name"], contact["nato_name"], strict=True)],
        "length": [format_km(v) for v in contact["length_km"].tolist()],
    }
    geometry = display_geometry(contact.geometry.to_numpy(), tolerance_deg=ZONE_TOLERANCE_DEG / 4)
    return feature_collection(properties, geometry)


def cities_collection(analysis: Analysis, *, max_cities: int = MAX_MAP_CITIES) -> dict[str, Any]:
    """Return the largest ``max_cities`` cities in the zone as display GeoJSON."""
    cities = analysis.cities
    population = cities["population"].to_numpy()
    largest = np.argsort(-population, kind="stable")[:max_cities]  # ties keep their order, as ``nlargest``
    people = population[largest].astype(float)
    properties = {
        "name": cities["name"].to_numpy()[largest].tolist(),
        "people": [f"{p:,}" for p in population[largest].tolist()],
        "distance": [f"{format_km(d)} from the border" for d in cities["distance_km"].to_numpy()[largest].tolist()],
        "radius": np.clip(np.sqrt(people / 1e6) * 6, 2.5, 10).round(1).tolist(),
    }
    geometry = shapely.set_precision(cities.geometry.to_numpy()[largest], DISPLAY_GRID_DEG, mode="pointwise")
    return feature_collection(properties, geometry)


#: The changing layers, bottom to top: collection key, layer name, style, tooltip fields and their labels, pane.
_LAYERS: Final = (
    ("strip", "Zone", strip_style, ("label", "width", "area"), ("", "Width", "Area"), SHAPES_PANE),
    (
        "affected",
        "Affected countries",
        affected_style,
        ("name", "side_label", "area", "share_label"),
        ("Country", "Side", "Land in the zone", "Share of country"),
        SHAPES_PANE,
    ),
    (
        "regions",
        "Affected regions",
        region_style,
        ("name", "area", "share_label", "people"),
        ("Region", "Land in the zone", "Share of region", "People (estimate)"),
        SHAPES_PANE,
    ),
    ("line", "Border casing", casing_style, (), (), LINE_PANE),
    ("line", "Border between the sides", line_style, ("pair", "length"), ("Border", "Length"), LINE_PANE),
    ("cities", "Cities", city_style, ("name", "people", "distance"), ("City", "Population", "Distance"), CITIES_PANE),
)


def view_bounds(analysis: Analysis) -> list[list[float]]:
    """Return ``[[south, west], [north, east]]`` in degrees of the zone and its line, for the first view.

    Across the antimeridian (the Bering Strait's sea border), the western
    hemisphere's parts are counted east of 180° when that gives the narrower
    box, so the view shows the strip rather than the whole world.
    """
    parts = shapely.get_parts(
        np.concatenate([analysis.strip.geometry.to_numpy(), analysis.contact.geometry.to_numpy()])
    )
    box = shapely.bounds(parts[~shapely.is_empty(parts)])
    west, south, east, north = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    shifted = east < 0
    if shifted.any() and (np.where(shifted, east + 360, east).max() - np.where(shifted, west + 360, west).min()) < (
        east.max() - west.min()
    ):
        west, east = np.where(shifted, west + 360, west), np.where(shifted, east + 360, east)
    return [
        [round(float(south.min()), 3), round(float(west.min()), 3)],
        [round(float(north.max()), 3), round(float(east.max()), 3)],
    ]


def territory_layer_json(frame: Any, *, article: str) -> str:
    """Return one optional layer of :class:`ZoneLayers`: the area an article of the draft names.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Output of :func:`zones.territories.territories`.
    article : {"4", "7.1"}
        The article, for the colour and the layer's name.

    Returns
    -------
    str
        A JSON list of one layer (none when ``frame`` is empty), in the form
        of :func:`layers_json`: each state outlined, dashed, with a tooltip.
    """
    colour, label = TERRITORY_LAYERS[article]
    style = {"color": colour, "weight": 2.0, "dashArray": "4 4", "fillColor": colour, "fillOpacity": 0.06}
    properties = {
        "name": frame["name"].tolist(),
        "basis": frame["basis"].tolist(),
        "area": [format_km2(a) for a in frame["area_km2"].tolist()],
        "_style": [{**style, "className": f"territory-{article.replace('.', '-')}"}] * len(frame),
    }
    geometry = display_geometry(frame.geometry.to_numpy(), tolerance_deg=ZONE_TOLERANCE_DEG * 4)
    data = feature_collection(properties, geometry)
    fields, labels = ["name", "basis", "area"], ["Country", "Why", "Land"]
    layer = {"name": label, "fields": fields, "labels": labels, "data": data, "pane": AREAS_PANE}
    layers = [layer] if data["features"] else []
    return json.dumps(layers, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def layers_json(collections: dict[str, dict[str, Any]]) -> str:
    """Return the layers of :class:`ZoneLayers` as compact JSON text.

    Parameters
    ----------
    collections : dict
        Output of :func:`zone_collections`.

    Returns
    -------
    str
        A JSON list, bottom layer first, of ``{"name", "fields", "labels",
        "data", "pane"}``; each feature's Leaflet style is in ``properties._style``,
        and ``pane`` is one of :data:`zones.map_style.ZONE_PANES` or ``overlayPane``.
        Empty layers are left out.
    """
    layers = []
    for key, name, style, fields, labels, pane in _LAYERS:
        features = [
            {**feature, "properties": {**feature["properties"], "_style": style(feature)}}
            for feature in collections[key]["features"]
        ]
        if features:
            data = {"type": "FeatureCollection", "features": features}
            layers.append({"name": name, "fields": list(fields), "labels": list(labels), "data": data, "pane": pane})
    return json.dumps(layers, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def zone_collections(analysis: Analysis) -> dict[str, dict[str, Any]]:
    """Return the display GeoJSON of everything that changes with the scenario.

    Plain dicts (``strip``, ``affected``, ``regions``, ``line``, ``cities``), so the app
    can cache them per scenario and rebuild the folium layers cheaply.
    """
    return {
        "strip": strip_collection(analysis),
        "affected": affected_collection(analysis),
        "regions": regions_collection(analysis),
        "line": line_collection(analysis),
        "cities": cities_collection(analysis),
    }


def zone_layers(analysis: Analysis, *, clicked: tuple[float, float] | None = None) -> folium.FeatureGroup:
    """Return the layers that change with the scenario, as one feature group.

    The zone coloured by side, the affected land shaded by the share of each
    country inside the zone, the contact line, the largest cities in the zone
    and, optionally, the point the reader clicked; all with tooltips.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`zones.analyse`.
    clicked : tuple of float, optional
        ``(lat, lon)`` in degrees of a clicked point to mark.

    Returns
    -------
    folium.FeatureGroup
        Pass it to ``st_folium(feature_group_to_add=...)``.
    """
    return layers_from(layers_json(zone_collections(analysis)), clicked=clicked)


def layers_from(
    layers: str,
    *,
    clicked: tuple[float, float] | None = None,
    below: tuple[str, ...] = (),
    view: dict[str, Any] | None = None,
    popup: str | None = None,
) -> folium.FeatureGroup:
    """Return the feature group of :func:`zone_layers` from :func:`layers_json`' output.

    ``below`` holds more layers in the same form (:func:`territory_layer_json`),
    drawn under the zone. ``view`` (``width_km``, ``fit_key``, ``bounds`` from
    :func:`view_bounds`) tells the map's live part which width is drawn and
    fits the first view of each ``fit_key``. ``popup`` is plain text opened
    on the clicked point.
    """
    group = folium.FeatureGroup(name="Article 7 zone", control=False)
    for extra in below:
        ZoneLayers(extra).add_to(group)
    ZoneLayers(layers).add_to(group)
    if view is not None:
        ServerDrawn(view).add_to(group)
    if clicked is not None:
        marker = folium.CircleMarker(
            location=[round(clicked[0], 4), round(clicked[1], 4)],
            radius=7,
            color="#000000",
            weight=2,
            fill_color="#ffeb3b",
            fill_opacity=1.0,
            class_name="zone-click",
        ).add_to(group)
        if popup is not None:
            TextPopup(marker.get_name(), popup).add_to(group)
    return group
