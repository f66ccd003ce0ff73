"""The zone's changing layers on the web map: display GeoJSON and the feature group ``st_folium`` adds.

Pure functions, no Streamlit import. The app passes :func:`zone_layers` (or
:func:`layers_from`, from cached :func:`layers_json` text) to ``st_folium``
as ``feature_group_to_add``, on top of :func:`zones.web.basemap.base_map`, which
never changes; the browser keeps the map and only swaps these layers.

Display geometry is simplified (tolerances in degrees) and rounded to keep
what the browser receives per step small. Exports never use it: they come
from :mod:`zones.export` with full geometry.

Part of the web map's layout: :mod:`zones.wording` (numbers as text),
:mod:`zones.web.map_style` (colours and Leaflet styles), :mod:`zones.web.map_elements`
(folium elements and their scripts), :mod:`zones.web.map_layers` (this module)
and :mod:`zones.web.basemap` (the fixed base map).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final, cast

import folium
import numpy as np
import shapely

from zones.engine.denominators import WHOLE_COUNTRY
from zones.settings import SIDE_NAMES
from zones.web.map_elements import ServerDrawn, TextPopup, ZoneLayers
from zones.web.map_style import (
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
from zones.wording import format_km, format_km2, format_share

if TYPE_CHECKING:
    from zones.engine.analysis import Analysis

#: Simplification tolerance of the zone's display geometry, in degrees (≈ 111 km per degree of latitude).
ZONE_TOLERANCE_DEG: Final = 0.008
#: Added to the zone's tolerance per km of width: wider zones are seen zoomed out.
ZONE_TOLERANCE_DEG_PER_KM: Final = 3e-5
#: Display coordinates are rounded to this grid, in degrees (≈ 100 m).
DISPLAY_GRID_DEG: Final = 0.001
#: The web map's longitudes run east from this meridian, through 180°, to 360° further east: a zone
#: across the antimeridian (the Bering Strait's sea border) is then one shape, and every view holds the
#: Baltic and the Bering Strait the short way round. In the open Atlantic, west of Iceland and of every
#: zone (Europe's at 1,000 km reaches about 3°E), where the base map's land ends. Display only: exports
#: stay RFC 7946.
DISPLAY_WEST_DEG: Final = -30.0
#: Pieces whose edge lies this close to 180°E are joined when drawn, in degrees.
SEAM_TOLERANCE_DEG: Final = 1e-6

#: Most cities drawn on the map (the largest); the table lists all of them.
MAX_MAP_CITIES: Final = 80
#: The regions' outlines are simplified this many times more than the zone: hundreds of them are
#: sent on every step (76 kB at 300 km against 172 kB at the zone's tolerance), and they are a guide.
REGION_TOLERANCE_FACTOR: Final = 10.0
#: Most regions outlined on the map (the largest): a 1,000 km zone touches about 900, and every
#: outline is sent on every step.
MAX_MAP_REGIONS: Final = 300


def display_longitude(lon_deg: float) -> float:
    """Return a longitude as the web map draws it: west of :data:`DISPLAY_WEST_DEG`, 360° further east.

    >>> display_longitude(-169.0), display_longitude(24.5), display_longitude(-10.0)
    (191.0, 24.5, -10.0)
    """
    return lon_deg + 360.0 if lon_deg < DISPLAY_WEST_DEG else lon_deg


def _shift_east(coords: np.ndarray) -> np.ndarray:
    """Return ``(n, 2)`` lon/lat coordinates with the longitudes west of :data:`DISPLAY_WEST_DEG` plus 360°.

    Longitudes within :data:`SEAM_TOLERANCE_DEG` of 180° become exactly 180°
    (Natural Earth has −179.99999999999991 for −180°), so the pieces on either
    side of the antimeridian share their edge there.
    """
    out = coords.copy()
    out[coords[:, 0] < DISPLAY_WEST_DEG, 0] += 360.0
    out[np.abs(out[:, 0] - 180.0) < SEAM_TOLERANCE_DEG, 0] = 180.0
    return out


def _joined_at_180(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return a shifted (Multi)Polygon with its pieces that meet at 180°E joined, so no seam is drawn there."""
    if shapely.get_type_id(geometry) not in (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON):
        return geometry
    parts = shapely.get_parts(geometry)
    west, _, east, _ = shapely.bounds(parts).T
    at_seam = (np.abs(east - 180.0) < SEAM_TOLERANCE_DEG) | (np.abs(west - 180.0) < SEAM_TOLERANCE_DEG)
    if at_seam.sum() < 2:
        return geometry
    joined = shapely.get_parts(shapely.union_all(parts[at_seam]))
    multipolygon: shapely.Geometry = shapely.multipolygons([*parts[~at_seam], *joined])
    return multipolygon


def display_longitudes(geometries: Any) -> np.ndarray:
    """Return lon/lat geometries in the web map's longitudes: one continuous range across the antimeridian.

    Coordinates west of :data:`DISPLAY_WEST_DEG` move 360° east (Alaska's
    side of the Bering Strait is drawn at 180–220°E, beside Chukotka), and
    the pieces an RFC 7946 geometry was cut into at ±180° are joined again.
    For drawing only: exports keep RFC 7946 longitudes (−180…180).

    Parameters
    ----------
    geometries : array-like of shapely geometry
        Lon/lat geometries, EPSG:4326. A part across :data:`DISPLAY_WEST_DEG`
        (none of the zones around Russia's borders; the base map cuts its land
        there) is cut there first, its western piece drawn 360° east.

    Returns
    -------
    numpy.ndarray
        The geometries, shifted where needed (the others are the same objects).
    """
    geoms = np.array(geometries, dtype=object)
    if geoms.size == 0:
        return geoms
    west = shapely.bounds(geoms)[:, 0] < DISPLAY_WEST_DEG  # NaN (None, empty) compares False
    for i in np.flatnonzero(west):
        left, _, right, _ = shapely.bounds(shapely.get_parts(geoms[i])).T
        if ((left < DISPLAY_WEST_DEG) & (right > DISPLAY_WEST_DEG)).any():  # shifting it whole would tear it
            west_piece = shapely.clip_by_rect(geoms[i], -180.0, -90.0, DISPLAY_WEST_DEG, 90.0)
            east_piece = shapely.clip_by_rect(geoms[i], DISPLAY_WEST_DEG, -90.0, 180.0, 90.0)
            pieces = [*shapely.get_parts(east_piece), *shapely.get_parts(shapely.transform(west_piece, _plus_360))]
            geoms[i] = _joined_at_180(_collected([p for p in pieces if not p.is_empty]))
        else:
            geoms[i] = _joined_at_180(shapely.transform(geoms[i], _shift_east))
    return geoms


def _plus_360(coords: np.ndarray) -> np.ndarray:
    """Return ``(n, 2)`` lon/lat coordinates all 360° further east (snapped at 180° as by :func:`_shift_east`)."""
    out: np.ndarray = coords + np.array([360.0, 0.0])
    out[np.abs(out[:, 0] - 180.0) < SEAM_TOLERANCE_DEG, 0] = 180.0
    return out


def _collected(parts: list[shapely.Geometry]) -> shapely.Geometry:
    """Return ``parts`` as one geometry, none merged: a MultiPolygon, a MultiLineString or a collection."""
    kinds = set(shapely.get_type_id(parts).tolist())
    if kinds <= {shapely.GeometryType.POLYGON}:
        return cast(shapely.Geometry, shapely.multipolygons(parts))
    if kinds <= {shapely.GeometryType.LINESTRING}:
        return cast(shapely.Geometry, shapely.multilinestrings(parts))
    return cast(shapely.Geometry, shapely.geometrycollections(parts))


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
        Simplified geometries in the web map's longitudes (:func:`display_longitudes`),
        with coordinates on a :data:`DISPLAY_GRID_DEG` grid.
    """
    shifted = display_longitudes(geometries)
    simple = shapely.simplify(shifted, tolerance_deg, preserve_topology=False)
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
    return ZONE_TOLERANCE_DEG + ZONE_TOLERANCE_DEG_PER_KM * analysis.scenario.widest_km


def strip_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the zone as display GeoJSON: one feature per side, with formatted properties."""
    strip = analysis.strip
    sides = strip["side"].tolist()
    scenario = analysis.scenario
    apart = f", except {scenario.pair_widths_words}" if scenario.pair_widths else ""
    properties = {
        "side": sides,
        "label": [SIDE_NAMES[s] if s != "all" else "Zone" for s in sides],
        "width": [f"{format_km(w)} from the border{apart}" for w in strip["width_km"].tolist()],
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


def city_radius_px(people: Any) -> np.ndarray:
    """Return the radius in CSS pixels of a city's circle on the map (2.5–10, by the root of its people).

    >>> city_radius_px([0, 1e6, 1e7]).tolist()
    [2.5, 6.0, 10.0]
    """
    return np.asarray(np.clip(np.sqrt(np.asarray(people, dtype=float) / 1e6) * 6, 2.5, 10).round(1))


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
        "radius": city_radius_px(people).tolist(),
    }
    points = display_longitudes(cities.geometry.to_numpy()[largest])
    geometry = shapely.set_precision(points, DISPLAY_GRID_DEG, mode="pointwise")
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

    In the web map's longitudes (:func:`display_longitudes`): across the
    antimeridian (the Bering Strait's sea border) Alaska's side counts east
    of 180°, so the view holds the Baltic and the Bering Strait the short way
    round, never the whole world.
    """
    parts = shapely.get_parts(
        display_longitudes(np.concatenate([analysis.strip.geometry.to_numpy(), analysis.contact.geometry.to_numpy()]))
    )
    box = shapely.bounds(parts[~shapely.is_empty(parts)])
    return [
        [round(float(box[:, 1].min()), 3), round(float(box[:, 0].min()), 3)],
        [round(float(box[:, 3].max()), 3), round(float(box[:, 2].max()), 3)],
    ]


def territory_layer_json(frame: Any, *, article: str) -> str:
    """Return one optional layer of :class:`ZoneLayers`: the area an article of the draft names.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Output of :func:`zones.territories`.
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
        and ``pane`` is one of :data:`zones.web.map_style.ZONE_PANES` or ``overlayPane``.
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
            location=[round(clicked[0], 4), round(display_longitude(clicked[1]), 4)],
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
