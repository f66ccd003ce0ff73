"""The web map's fixed base map: identical on every run, drawn with no internet.

The app builds :func:`base_map` on every run and passes the zone's layers
(:func:`zones.web.map_layers.zone_layers`) to ``st_folium`` as
``feature_group_to_add``: the base map's HTML is identical on every run, so
the browser keeps the map (and the reader's pan and zoom) and only swaps the
zone's layers.

Leaflet is served locally (see :mod:`zones.web.leaflet_offline`) and the
background is drawn from our own simplified Natural Earth polygons
(:func:`basemap_geojson`), with country labels. Web tiles are an option in
the layer control, off by default. The page's CSS is the package file
``zones/web/static/base_map.css``.

Part of the web map's layout: :mod:`zones.wording` (numbers as text),
:mod:`zones.web.map_style` (colours and Leaflet styles), :mod:`zones.web.map_elements`
(folium elements and their scripts), :mod:`zones.web.map_layers` (the zone's
changing layers) and :mod:`zones.web.basemap` (this module).
"""

from __future__ import annotations

import functools
import html
import json
import string
from pathlib import Path
from typing import Any, Final, cast

import folium
import numpy as np
import shapely
import xyzservices

from geodata import load_countries
from zones.colours import LEGEND_LABELS, LINE_COLOUR, SEA_COLOUR, SIDE_COLOURS
from zones.output import atomic_output
from zones.web.assets import static_text
from zones.web.leaflet_offline import COMPONENT_STATIC_URL, use_local_leaflet
from zones.web.map_elements import Countries, Legend, LiveMap, ScaleBar
from zones.web.map_layers import DISPLAY_WEST_DEG, display_geometry, display_longitude, feature_collection
from zones.web.map_style import LIVE_PANE, TERRITORY_LAYERS, ZONE_PANES

#: URL of the base map's countries as seen from the ``st_folium`` iframe.
BASEMAP_URL: Final = COMPONENT_STATIC_URL.replace("/leaflet", "/basemap/countries.geojson")

#: Initial view: the Barents Sea to the Black Sea, the Baltic to the Urals.
MAP_CENTER: Final = (62.5, 28.0)
MAP_ZOOM: Final = 4
#: The longest the map's scale bar may be, in CSS pixels: it is at least half as long, room for "1000 km" (76 px).
SCALE_BAR_MAX_PX: Final = 170

#: Areas drawn by the base map, lon/lat degrees (west, south, east, north): Europe, the Caucasus,
#: Central Asia and Siberia to 180°, enough for CSTO and 1,000 km zones; and, east of the antimeridian,
#: Alaska and the Yukon, drawn at 180–230°E (:func:`zones.web.map_layers.display_longitudes`) beside
#: Chukotka, for the Bering Strait's sea border. Both boxes end at the web map's wrap, so no land is torn.
BASEMAP_BOXES: Final = ((DISPLAY_WEST_DEG, 22.0, 180.0, 83.0), (-180.0, 50.0, -130.0, 83.0))
#: Islands smaller than this are left off the base map, in square degrees.
BASEMAP_MIN_PART_DEG2: Final = 0.01

#: Simplification tolerance of the base map's countries, in degrees (≈ 111 km per degree of latitude).
BASEMAP_TOLERANCE_DEG: Final = 0.04

#: Countries get a label on the base map when larger than this, in km².
LABEL_MIN_AREA_KM2: Final = 25_000.0

#: The optional web tiles, looked up once (folium's lookup by name costs 5 ms on every run).
OSM_TILES: Final = xyzservices.providers.OpenStreetMap.Mapnik

#: CSS of the base map: sea colour, labels, legend; inline, no web fonts.
BASE_CSS: Final = (
    "<style>\n"
    + string.Template(static_text("base_map.css")).substitute(sea_color=SEA_COLOUR, line_color=LINE_COLOUR)
    + "</style>"
)

#: The legend's content (HTML): every layer the map can show, the optional ones included, so it never changes.
LEGEND_HTML: Final = (
    f"<summary>Legend: {LEGEND_LABELS['title']}</summary>"
    f'<i class="line"></i>{LEGEND_LABELS["line"]}<br>'
    + "".join(
        f'<i style="background:{SIDE_COLOURS[side]}"></i>{html.escape(LEGEND_LABELS[side])}<br>'
        for side in ("russia", "nato", "third")
    )
    + f'<i style="background:{SIDE_COLOURS["all"]};opacity:.35"></i>{LEGEND_LABELS["all"]}<br>'
    f'<i class="city" style="background:#fff;border:2px solid #333"></i>{LEGEND_LABELS["city"]}<br>'
    + "".join(
        f'<i style="border:2px dashed {colour};background:transparent"></i>{label} <small>(optional)</small><br>'
        for colour, label in TERRITORY_LAYERS.values()
    )
    + f"<small>{LEGEND_LABELS['shading']}</small>"
)


#: The legend starts open only on maps wider than this, in CSS pixels (closed on phones).
LEGEND_OPEN_MIN_PX: Final = 700


@functools.cache
def basemap_geojson() -> str:
    """Return the base map's land as GeoJSON text: simplified countries in :data:`BASEMAP_BOXES`.

    One feature per country, in the web map's longitudes (Alaska east of
    180°, Chukotka in one piece). Immutable (a string), computed once per
    process. Served to the browser as ``app/files/basemap/countries.geojson``
    (see :func:`write_basemap`).
    """
    countries = load_countries()
    boxes = shapely.union_all([shapely.box(*box) for box in BASEMAP_BOXES])
    inside = countries[countries.intersects(boxes)]
    clipped = shapely.intersection(inside.geometry.to_numpy(), boxes)
    parts = shapely.get_parts(clipped, return_index=True)
    keep = shapely.area(parts[0]) >= BASEMAP_MIN_PART_DEG2
    merged = [
        shapely.multipolygons(parts[0][keep & (parts[1] == i)]) for i in range(len(clipped))
    ]  # islands below the threshold dropped
    geometry = display_geometry(np.array(merged, dtype=object), tolerance_deg=BASEMAP_TOLERANCE_DEG)
    collection = feature_collection({"name": inside["name"].tolist()}, geometry)
    return json.dumps(collection, ensure_ascii=True, separators=(",", ":"))


@functools.cache
def _labels() -> tuple[tuple[float, float, str], ...]:
    """Return ``(lon, lat, name)`` of the countries labelled on the base map."""
    countries = load_countries()
    boxes = shapely.union_all([shapely.box(*box) for box in BASEMAP_BOXES])
    big = countries[(countries["area_km2"] >= LABEL_MIN_AREA_KM2) & (countries["type"] != "Dependency")]
    return tuple(
        (round(display_longitude(float(x)), 2), round(float(y), 2), str(name))
        for x, y, name in zip(big["label_x"], big["label_y"], big["name"], strict=True)
        if shapely.contains_xy(boxes, x, y)
    )


def write_basemap(files_dir: str | Path) -> Path:
    """Write :func:`basemap_geojson` to ``files_dir/basemap/countries.geojson``, atomically.

    Parameters
    ----------
    files_dir : str or pathlib.Path
        The app's runtime files (:func:`zones.web.runtime_files.files_dir`).

    Returns
    -------
    pathlib.Path
        The file written (left alone when already up to date).
    """
    path = Path(files_dir) / "basemap" / "countries.geojson"
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
        Load Leaflet and the country polygons from the files the app serves
        at ``app/files/`` (see :func:`zones.web.leaflet_offline.install_static`
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
        control_scale=False,  # ScaleBar below: Leaflet's, long enough for its labels
        zoom_snap=0.25,  # the first view fits the zone closely, not to the next whole zoom level
    )
    use_local_leaflet(m, inline=not served)
    ScaleBar(max_width_px=SCALE_BAR_MAX_PX).add_to(m)
    for pane, z_index in ZONE_PANES:  # before any layer: the zone's layers (st_folium adds them) name these panes
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=pane != LIVE_PANE).add_to(m)
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
        Countries(url=BASEMAP_URL, labels=list(_labels())).add_to(land)
    else:
        Countries(url=None, labels=list(_labels()), data_json=basemap_geojson()).add_to(land)
    Legend(LEGEND_HTML, open_min_px=LEGEND_OPEN_MIN_PX).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    LiveMap(basemap_url=BASEMAP_URL if served else None).add_to(m)
    return m
