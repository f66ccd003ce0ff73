"""Folium layers for the web map: a fixed base map and the zone's changing layers.

Pure functions, no Streamlit import. The app builds :func:`base_map` on every
run and passes :func:`zone_layers` to ``st_folium`` as ``feature_group_to_add``:
the base map's HTML is identical on every run, so the browser keeps the map
(and the reader's pan and zoom) and only swaps the zone's layers.

* The base map needs no internet: Leaflet is served locally (see
  :mod:`zones.leaflet_offline`) and the background is drawn from our own
  simplified Natural Earth polygons, with country labels. Web tiles are an
  option in the layer control, off by default.
* Display geometry is simplified (tolerances in degrees) and rounded to keep
  what the browser receives per step small. Exports never use it: they come
  from :mod:`zones.export` with full geometry.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import folium
import numpy as np
import shapely
import xyzservices
from branca.element import Element, MacroElement
from jinja2 import Template

from geodata import load_countries
from zones.colours import BORDER_COLOUR, LAND_COLOUR, LEGEND_LABELS, LINE_COLOUR, SEA_COLOUR, SIDE_COLOURS
from zones.export import atomic_output
from zones.leaflet_offline import COMPONENT_STATIC_URL, use_local_leaflet
from zones.settings import SIDE_NAMES
from zones.territories import LAYER_STYLES

if TYPE_CHECKING:
    from zones.analysis import Analysis

#: URL of the base map's countries as seen from the ``st_folium`` iframe.
BASEMAP_URL: Final = COMPONENT_STATIC_URL.replace("/leaflet", "/basemap/countries.geojson")

#: Initial view: the Barents Sea to the Black Sea, the Baltic to the Urals.
MAP_CENTER: Final = (62.5, 28.0)
MAP_ZOOM: Final = 4

#: Area drawn by the base map, lon/lat degrees (west, south, east, north):
#: Europe, the Caucasus and Central Asia, enough for CSTO and 1,000 km zones.
BASEMAP_BOUNDS: Final = (-30.0, 22.0, 110.0, 83.0)
#: Islands smaller than this are left off the base map, in square degrees.
BASEMAP_MIN_PART_DEG2: Final = 0.01

#: Simplification tolerances of display geometry, in degrees (≈ 111 km per degree of latitude).
BASEMAP_TOLERANCE_DEG: Final = 0.04
ZONE_TOLERANCE_DEG: Final = 0.008
#: Added to the zone's tolerance per km of width: wider zones are seen zoomed out.
ZONE_TOLERANCE_DEG_PER_KM: Final = 3e-5
#: Display coordinates are rounded to this grid, in degrees (≈ 100 m).
DISPLAY_GRID_DEG: Final = 0.001

#: Countries get a label on the base map when larger than this, in km².
LABEL_MIN_AREA_KM2: Final = 25_000.0

#: Most cities drawn on the map (the largest); the table lists all of them.
MAX_MAP_CITIES: Final = 80

#: Colours of the sides (:mod:`zones.colours`, shared with the report).
SIDE_COLORS: Final = dict(SIDE_COLOURS)

#: The draft's other areas (optional layers, see :mod:`zones.territories`): colour and legend label.
TERRITORY_LAYERS: Final = LAYER_STYLES

#: The optional web tiles, looked up once (folium's lookup by name costs 5 ms on every run).
OSM_TILES: Final = xyzservices.providers.OpenStreetMap.Mapnik

SEA_COLOR: Final = SEA_COLOUR
LAND_COLOR: Final = LAND_COLOUR
BORDER_COLOR: Final = BORDER_COLOUR
LINE_COLOR: Final = LINE_COLOUR
#: The regions' outlines are simplified this many times more than the zone: hundreds of them are
#: sent on every step (76 kB at 300 km against 172 kB at the zone's tolerance), and they are a guide.
REGION_TOLERANCE_FACTOR: Final = 10.0
#: Most regions outlined on the map (the largest): a 1,000 km zone touches about 900, and every
#: outline is sent on every step.
MAX_MAP_REGIONS: Final = 300
#: Outline of the affected regions (admin-1) on the map.
REGION_COLOR: Final = "#4a4a4a"

#: CSS of the base map: sea colour, labels, legend; inline, no web fonts.
BASE_CSS: Final = f"""<style>
.leaflet-container {{ background: {SEA_COLOR}; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }}
.country-label {{ color: #6d675c; font-size: 11px; letter-spacing: .04em; text-transform: uppercase;
  white-space: nowrap; text-align: center; text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }}
.country-label span {{ display: inline-block; transform: translate(-50%, -50%); }}
.zone-legend {{ background: rgba(255,255,255,.92); padding: 8px 10px; border-radius: 6px; line-height: 1.45;
  font-size: 12px; color: #222; box-shadow: 0 1px 4px rgba(0,0,0,.25); }}
.zone-legend b {{ display: block; margin-bottom: 2px; }}
.zone-legend i {{ display: inline-block; width: 14px; height: 10px; margin-right: 6px; vertical-align: middle;
  border: 1px solid rgba(0,0,0,.35); }}
.zone-legend i.line {{ height: 0; border: 0; border-top: 3px solid {LINE_COLOR}; box-shadow: 0 0 0 1px #fff; }}
.zone-legend i.city {{ width: 8px; height: 8px; border-radius: 50%; margin: 0 9px 0 3px; }}
.zone-legend small {{ color: #555; }}
.zone-tooltip th {{ text-align: left; font-weight: 600; padding-right: 8px; color: #555; }}
.zone-legend summary {{ cursor: pointer; font-weight: 600; }}
.zone-legend[open] summary {{ margin-bottom: 2px; }}
.zone-fit {{ background: #fff; border: 2px solid rgba(0,0,0,.2); border-radius: 4px; padding: 4px 8px;
  cursor: pointer; font: inherit; font-size: 12px; }}
.zones-live path.zone-strip, .zones-live path.zone-country, .zones-live path.zone-region,
.zones-live path.zone-city {{ display: none; }}
.leaflet-container:not(.zones-live) path.live-strip, .leaflet-container:not(.zones-live) path.live-country
{{ display: none; }}
</style>"""

LEGEND_HTML: Final = (
    f"<summary>Legend: {LEGEND_LABELS['title']}</summary>"
    f'<i class="line"></i>{LEGEND_LABELS["line"]}<br>'
    + "".join(
        f'<i style="background:{SIDE_COLORS[side]}"></i>{html.escape(LEGEND_LABELS[side])}<br>'
        for side in ("russia", "nato", "third")
    )
    + f'<i style="background:{SIDE_COLORS["all"]};opacity:.35"></i>{LEGEND_LABELS["all"]}<br>'
    f'<i class="city" style="background:#fff;border:2px solid #333"></i>{LEGEND_LABELS["city"]}<br>'
    + "".join(
        f'<i style="border:2px dashed {colour};background:transparent"></i>{label} <small>(optional)</small><br>'
        for colour, label in TERRITORY_LAYERS.values()
    )
    + f"<small>{LEGEND_LABELS['shading']}</small>"
)


#: The legend starts open only on maps wider than this, in CSS pixels (closed on phones).
LEGEND_OPEN_MIN_PX: Final = 700


class _Legend(MacroElement):
    """A legend in the map's bottom-left corner (a Leaflet control): collapsible, closed on narrow maps."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("details", "zone-legend");
                div.innerHTML = {{ this.html_json }};
                div.open = window.innerWidth > {{ this.open_min_px }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "Legend"
        self.html_json = json.dumps(html)
        self.open_min_px = LEGEND_OPEN_MIN_PX


class _Countries(MacroElement):
    """The base map's land: our own country polygons, in a pane below the zone.

    The polygons come from a static file (fetched once and cached by the
    browser, so they are not re-sent on every rerun) or, when ``url`` is
    ``None``, inline. Labels are drawn as text in a pane above the zone.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent._parent.get_name() }};
            var group = {{ this._parent.get_name() }};
            var land = map.createPane("basemapLand");
            land.style.zIndex = 250;
            land.style.pointerEvents = "none";
            var names = map.createPane("countryLabels");
            names.style.zIndex = 450;
            names.style.pointerEvents = "none";
            function draw(data) {
                L.geoJson(data, {
                    pane: "basemapLand", interactive: false, smoothFactor: 0.5,
                    style: {{ this.style_json }}
                }).addTo(group);
            }
            {% if this.url %}
            fetch({{ this.url_json }}).then(function (r) { return r.json(); }).then(draw);
            {% else %}
            draw({{ this.data_json }});
            {% endif %}
            {{ this.labels_json }}.forEach(function (l) {
                var span = document.createElement("span");
                span.textContent = l[2];
                L.marker([l[1], l[0]], {
                    pane: "countryLabels", interactive: false, keyboard: false,
                    icon: L.divIcon({className: "country-label", html: span, iconSize: null})
                }).addTo(group);
            });
        })();
        {% endmacro %}"""
    )

    def __init__(self, *, url: str | None, labels: list[tuple[float, float, str]], data_json: str = "null") -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "Countries"
        self.url = url
        self.url_json = json.dumps(url)
        self.data_json = data_json
        self.style_json = json.dumps(_country_style({}))
        self.labels_json = json.dumps(labels, ensure_ascii=True)


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


def _feature_collection(properties: dict[str, list[Any]], geometry: np.ndarray) -> dict[str, Any]:
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


@functools.cache
def basemap_geojson() -> str:
    """Return the base map's land as GeoJSON text: simplified countries in :data:`BASEMAP_BOUNDS`.

    Immutable (a string), computed once per process. Served to the browser as
    ``static/basemap/countries.geojson`` (see :func:`write_basemap`).
    """
    countries = load_countries()
    box = shapely.box(*BASEMAP_BOUNDS)
    inside = countries[countries.intersects(box)]
    clipped = shapely.intersection(inside.geometry.to_numpy(), box)
    parts = shapely.get_parts(clipped, return_index=True)
    keep = shapely.area(parts[0]) >= BASEMAP_MIN_PART_DEG2
    merged = [
        shapely.multipolygons(parts[0][keep & (parts[1] == i)]) for i in range(len(clipped))
    ]  # islands below the threshold dropped
    geometry = display_geometry(np.array(merged, dtype=object), tolerance_deg=BASEMAP_TOLERANCE_DEG)
    collection = _feature_collection({"name": inside["name"].tolist()}, geometry)
    return json.dumps(collection, ensure_ascii=True, separators=(",", ":"))


@functools.cache
def _labels() -> tuple[tuple[float, float, str], ...]:
    """Return ``(lon, lat, name)`` of the countries labelled on the base map."""
    countries = load_countries()
    box = shapely.box(*BASEMAP_BOUNDS)
    big = countries[(countries["area_km2"] >= LABEL_MIN_AREA_KM2) & (countries["type"] != "Dependency")]
    return tuple(
        (round(float(x), 2), round(float(y), 2), str(name))
        for x, y, name in zip(big["label_x"], big["label_y"], big["name"], strict=True)
        if shapely.contains_xy(box, x, y)
    )


def write_basemap(app_dir: str | Path) -> Path:
    """Write :func:`basemap_geojson` to ``app_dir/static/basemap/countries.geojson``, atomically.

    Parameters
    ----------
    app_dir : str or pathlib.Path
        Folder of the Streamlit script (``app.py``).

    Returns
    -------
    pathlib.Path
        The file written (left alone when already up to date).
    """
    path = Path(app_dir) / "static" / "basemap" / "countries.geojson"
    text = basemap_geojson()
    if path.is_file() and path.read_text(encoding="ascii") == text:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="ascii")
    return path


def base_map(*, served: bool = True) -> folium.Map:
    """Return the base map: identical on every call, drawn with no internet.

    Sea-coloured background, our own light country polygons with labels, an
    optional OpenStreetMap tile layer (off by default, needs the internet),
    a static legend and a layer control. Leaflet comes from local files.

    Parameters
    ----------
    served : bool
        Load Leaflet and the country polygons from the files Streamlit serves
        at ``/app/static/`` (see :func:`zones.leaflet_offline.install_static`
        and :func:`write_basemap`); ``False`` embeds both in the page instead
        (larger, but needs no static serving).

    Returns
    -------
    folium.Map
        A new map; ``st_folium`` adds the zone's layers to it.
    """
    m = folium.Map(
        location=list(MAP_CENTER),
        zoom_start=MAP_ZOOM,
        tiles=None,
        min_zoom=2,
        max_zoom=11,
        control_scale=True,
        zoom_snap=0.25,  # the first view fits the zone closely, not to the next whole zoom level
    )
    use_local_leaflet(m, inline=not served)
    cast(Any, m.get_root()).header.add_child(folium.Element(BASE_CSS), name="zone_css")  # a branca Figure
    folium.TileLayer(
        OSM_TILES,
        name="OpenStreetMap tiles (needs internet)",
        overlay=True,
        show=False,
        control=True,
    ).add_to(m)
    land = folium.FeatureGroup(name="Countries (offline)", overlay=True, control=True, show=True).add_to(m)
    if served:
        _Countries(url=BASEMAP_URL, labels=list(_labels())).add_to(land)
    else:
        _Countries(url=None, labels=list(_labels()), data_json=basemap_geojson()).add_to(land)
    _Legend(LEGEND_HTML).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    _LiveMap(basemap_url=BASEMAP_URL if served else None).add_to(m)
    return m


def _country_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the base map's country style (the same for every country)."""
    return {"fillColor": LAND_COLOR, "fillOpacity": 1.0, "color": BORDER_COLOR, "weight": 0.8}


def format_km(value_km: float) -> str:
    """Return a distance such as ``"1,234 km"``."""
    return f"{value_km:,.0f} km"


def format_km2(value_km2: float) -> str:
    """Return an area such as ``"1,234 km²"`` (``"< 1 km²"`` for tiny non-zero areas)."""
    if 0 < value_km2 < 0.5:
        return "< 1 km²"
    return f"{value_km2:,.0f} km²"


def format_share(share: float) -> str:
    """Return a share (0–1) as a percentage such as ``"71.3 %"`` (``"< 0.1 %"`` when tiny)."""
    if 0 < share < 0.0005:
        return "< 0.1 %"
    return f"{100 * share:.1f} %"


def _strip_style(feature: dict[str, Any]) -> dict[str, Any]:
    side = feature["properties"]["side"]
    return {
        "fillColor": SIDE_COLORS[side],
        "fillOpacity": 0.16 if side == "all" else 0.12,
        "color": SIDE_COLORS[side] if side != "all" else "#333333",
        "weight": 1.5,
        "dashArray": "6 4",
        "className": "zone-strip",
    }


def _affected_style(feature: dict[str, Any]) -> dict[str, Any]:
    props = feature["properties"]
    return {
        "fillColor": SIDE_COLORS[props["side"]],
        "fillOpacity": round(0.18 + 0.5 * float(props["share"]), 2),
        "color": SIDE_COLORS[props["side"]],
        "weight": 0.8,
        "className": "zone-country",
    }


def _region_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the outline of an affected region (transparent fill, so hovering anywhere shows its tooltip)."""
    return {"color": REGION_COLOR, "weight": 0.7, "opacity": 0.8, "fillOpacity": 0.0, "className": "zone-region"}


def _line_style(_feature: dict[str, Any]) -> dict[str, Any]:
    return {"color": LINE_COLOR, "weight": 3.5, "opacity": 1.0, "className": "zone-line"}


def _casing_style(_feature: dict[str, Any]) -> dict[str, Any]:
    """Return the white casing drawn under the contact line (cheaper to draw than a CSS drop shadow)."""
    return {"color": "#ffffff", "weight": 7.0, "opacity": 0.9, "className": "zone-line-casing", "interactive": False}


def _city_style(feature: dict[str, Any]) -> dict[str, Any]:
    return {
        "className": "zone-city",
        "radius": feature["properties"]["radius"],
        "color": "#333333",
        "weight": 1,
        "fillColor": "#ffffff",
        "fillOpacity": 0.85,
    }


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
    return _feature_collection(properties, geometry)


def affected_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the affected land as display GeoJSON, with formatted properties."""
    affected = analysis.affected
    sides, shares = affected["side"].tolist(), affected["share"].tolist()
    properties = {
        "name": affected["name"].tolist(),
        "side": sides,
        "side_label": [SIDE_NAMES[s] for s in sides],
        "area": [format_km2(a) for a in affected["area_km2"].tolist()],
        "share_label": [format_share(s) for s in shares],
        "share": [round(s, 3) for s in shares],
    }
    geometry = display_geometry(affected.geometry.to_numpy(), tolerance_deg=zone_tolerance_deg(analysis))
    return _feature_collection(properties, geometry)


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
    return _feature_collection(properties, geometry)


def line_collection(analysis: Analysis) -> dict[str, Any]:
    """Return the contact line as display GeoJSON, one feature per country pair."""
    contact = analysis.contact
    properties = {
        "pair": [f"{r}–{n}" for r, n in zip(contact["russia_name"], contact["nato_name"], strict=True)],
        "length": [format_km(v) for v in contact["length_km"].tolist()],
    }
    geometry = display_geometry(contact.geometry.to_numpy(), tolerance_deg=ZONE_TOLERANCE_DEG / 4)
    return _feature_collection(properties, geometry)


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
    return _feature_collection(properties, geometry)


#: The changing layers, bottom to top: collection key, layer name, style, tooltip fields and their labels.
_LAYERS: Final = (
    ("strip", "Zone", _strip_style, ("label", "width", "area"), ("", "Width", "Area")),
    (
        "affected",
        "Affected countries",
        _affected_style,
        ("name", "side_label", "area", "share_label"),
        ("Country", "Side", "Land in the zone", "Share of country"),
    ),
    (
        "regions",
        "Affected regions",
        _region_style,
        ("name", "area", "share_label", "people"),
        ("Region", "Land in the zone", "Share of region", "People (estimate)"),
    ),
    ("line", "Border casing", _casing_style, (), ()),
    ("line", "Border between the sides", _line_style, ("pair", "length"), ("Border", "Length")),
    ("cities", "Cities", _city_style, ("name", "people", "distance"), ("City", "Population", "Distance")),
)


class _Text(Element):
    """Text that is already rendered: added to the page as is (no Jinja template made of it)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text."""
        return self.text


class ZoneLayers(MacroElement):
    """The zone's changing layers, drawn in the browser from one JSON document.

    ``layers_json`` (see :func:`layers_json`) lists the layers bottom to top,
    each a GeoJSON FeatureCollection whose features carry their Leaflet style
    in ``properties._style``, with the tooltip's fields and labels. One small
    script draws them all, so the server renders no template per feature and
    compiles no Jinja template from the data (folium's ``GeoJson`` does both,
    which cost a tenth of the server's time per slider step).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var escape = function (text) {
                return String(text).replace(/[&<>"']/g, function (c) {
                    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
                });
            };
            {{ this.layers_json }}.forEach(function (layer) {
                var drawn = L.geoJson(layer.data, {
                    style: function (feature) { return feature.properties._style; },
                    pointToLayer: function (feature, latlng) {
                        return L.circleMarker(latlng, feature.properties._style);
                    }
                });
                if (layer.fields.length) {
                    drawn.bindTooltip(function (item) {
                        var p = item.feature.properties;
                        return "<table>" + layer.fields.map(function (field, i) {
                            return "<tr><th>" + escape(layer.labels[i]) + "</th><td>" + escape(p[field]) + "</td></tr>";
                        }).join("") + "</table>";
                    }, {sticky: true, className: "zone-tooltip"});
                }
                drawn.addTo(group);
            });
        })();
        {% endmacro %}"""
    )

    def __init__(self, layers_json: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "ZoneLayers"
        self.layers_json = layers_json

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement returns nothing
        """Add the script to the page as plain text (branca would compile it as a template)."""
        cast(Any, self.get_root()).script.add_child(
            _Text(self._template.module.script(self, kwargs)), name=self.get_name()
        )


class _LiveMap(MacroElement):
    """The map's side of the live slider, the first view and the "Fit to zone" control.

    Runs ``zones/static/ladder.js`` and ``zones/static/live_map.js`` (package
    files) in the map's page; see :mod:`zones.live`.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.code }}
        window.ZonesLiveMap.attach({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}"""
    )

    def __init__(self, *, basemap_url: str | None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "LiveMap"
        self.code = _static_text("ladder.js") + "\n" + _static_text("live_map.js")
        self.options_json = json.dumps({"basemapUrl": basemap_url})

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement returns nothing
        """Add the script to the page as plain text (branca would compile it as a template)."""
        cast(Any, self.get_root()).script.add_child(
            _Text(self._template.module.script(self, kwargs)), name=self.get_name()
        )


class _ServerDrawn(MacroElement):
    """Tell the map's live part that the server's layers are drawn (see ``live_map.js``)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        if (window.ZonesLive) { window.ZonesLive.serverDrawn({{ this.info_json }}); }
        {% endmacro %}"""
    )

    def __init__(self, info: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "ServerDrawn"
        self.info_json = json.dumps(info)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement returns nothing
        """Add the script to the page as plain text."""
        cast(Any, self.get_root()).script.add_child(
            _Text(self._template.module.script(self, kwargs)), name=self.get_name()
        )


class _TextPopup(MacroElement):
    """A plain-text popup on a marker, opened once its group is on the map.

    folium's ``Popup`` needs jQuery, which the offline map does not load; the
    text goes in with ``textContent``, never as HTML. ``st_folium`` adds the
    group to the map after its script, hence the open after a tick; no
    auto-pan, so the reader's view stays.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.marker }}.bindPopup(function () {
            var box = document.createElement("div");
            box.className = "zone-popup";
            box.textContent = {{ this.text_json }};
            return box;
        }, {maxWidth: 280, autoPan: false});
        setTimeout(function () { {{ this.marker }}.openPopup(); }, 0);
        {% endmacro %}"""
    )

    def __init__(self, marker: str, text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "TextPopup"
        self.marker = marker
        self.text_json = json.dumps(text, ensure_ascii=True).replace("</", "<\\/")


@functools.cache
def _static_text(name: str) -> str:
    """Return the text of a browser file shipped in ``zones/static/``."""
    return (Path(__file__).resolve().parent / "static" / name).read_text(encoding="utf-8")


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
    data = _feature_collection(properties, geometry)
    fields, labels = ["name", "basis", "area"], ["Country", "Why", "Land"]
    layers = [{"name": label, "fields": fields, "labels": labels, "data": data}] if data["features"] else []
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
        "data"}``; each feature's Leaflet style is in ``properties._style``.
        Empty layers are left out.
    """
    layers = []
    for key, name, style, fields, labels in _LAYERS:
        features = [
            {**feature, "properties": {**feature["properties"], "_style": style(feature)}}
            for feature in collections[key]["features"]
        ]
        if features:
            data = {"type": "FeatureCollection", "features": features}
            layers.append({"name": name, "fields": list(fields), "labels": list(labels), "data": data})
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
        _ServerDrawn(view).add_to(group)
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
            _TextPopup(marker.get_name(), popup).add_to(group)
    return group
