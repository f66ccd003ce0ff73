"""The web map without a browser: what ``st_folium`` would send.

The base map (:mod:`zones.web.basemap`), the zone's layers (:mod:`zones.web.map_layers`), their
elements and styles (:mod:`zones.web.map_elements`, :mod:`zones.web.map_style`) together, as the app
uses them; the number formats are doctests of :mod:`zones.wording`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import folium
import pytest
import streamlit_folium

from zones import Scenario, analyse
from zones.engine.draft_areas import territories
from zones.web import basemap, map_elements, map_layers, map_style
from zones.web.leaflet_offline import LEAFLET_FILES, install_static, package_dir

URL = re.compile(r"""(?:https?:)?//[^\s"'<>)\\]+""")
#: External URLs allowed in the page: the optional tile layer (off by default,
#: fetched only if the reader ticks it) and the attribution links it shows.
ALLOWED_EXTERNAL = re.compile(
    r"^https://(tile\.openstreetmap\.org/\{z\}/\{x\}/\{y\}\.png|www\.openstreetmap\.org/copyright)$"
)


@pytest.fixture(scope="module")
def analyses() -> tuple[Any, Any]:
    return (
        analyse(Scenario(width_km=100, date="2021-12-17", allies="union-state")),
        analyse(Scenario(width_km=300, date="2024-06-01", allies="csto", nato_width_km=150, clip=True)),
    )


def _sent(analysis: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Return the arguments ``st_folium`` sends to the browser for one run of the app."""
    sent: dict[str, Any] = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.update(kwargs))
    streamlit_folium.st_folium(
        basemap.base_map(),
        key="zone_map",
        feature_group_to_add=map_layers.zone_layers(analysis),
        returned_objects=["last_clicked"],
    )
    return sent


def test_base_map_identical_for_two_analyses(analyses: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = (_sent(a, monkeypatch) for a in analyses)
    for name in ("script", "header", "html", "js_links", "css_links", "key"):
        assert first[name] == second[name], name
    assert first["feature_group"] != second["feature_group"]
    ids = re.compile(r"_[0-9a-f]{32}")  # folium's random element ids, which st_folium renames
    assert ids.sub("_ID", basemap.base_map().get_root().render()) == ids.sub(
        "_ID", basemap.base_map().get_root().render()
    )


def test_the_app_renders_the_map_once(analyses: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """``render=False`` (used by the app) sends the browser exactly what the default double render does."""
    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    for render in (True, False):
        streamlit_folium.st_folium(
            basemap.base_map(),
            key="zone_map",
            feature_group_to_add=map_layers.zone_layers(analyses[0]),
            returned_objects=["last_clicked"],
            render=render,
        )
    twice, once = ({k: v for k, v in args.items() if k != "on_change"} for args in sent)
    assert once == twice
    assert "tile.openstreetmap.org" in once["script"]


def test_leaflet_is_local_and_nothing_else_loads_from_a_cdn(
    analyses: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = _sent(analyses[0], monkeypatch)
    assert sent["js_links"] == ["../../app/static/leaflet/leaflet.js"]
    assert sent["css_links"] == ["../../app/static/leaflet/leaflet.css"]
    page = "\n".join([sent["script"], sent["header"], sent["html"], sent["feature_group"]])
    external = set(URL.findall(page))
    assert all(ALLOWED_EXTERNAL.match(u) for u in external), external


def test_full_html_has_no_cdn_url_for_scripts_or_styles() -> None:
    page = basemap.base_map(served=False).get_root().render()
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", page):
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", tag), tag
    assert "cdn." not in page
    assert "jsdelivr" not in page
    assert "code.jquery" not in page
    assert "data:text/javascript;base64," in page  # Leaflet inline when not served
    urls = {u for u in URL.findall(page) if u.startswith("http")}
    assert all(ALLOWED_EXTERNAL.match(u) for u in urls), urls


def _layers(group: folium.FeatureGroup) -> dict[str, dict[str, Any]]:
    """Return the zone's layers in a feature group by name, as the browser receives them."""
    (element,) = [c for c in group._children.values() if isinstance(c, map_elements.ZoneLayers)]
    return {layer["name"]: layer for layer in json.loads(element.layers_json)}


def _geojson_layers(group: folium.FeatureGroup) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, layer in _layers(group).items():
        yield name, layer["data"]


def test_layers_have_one_feature_per_row(analyses: tuple[Any, Any]) -> None:
    for analysis in analyses:
        layers = dict(_geojson_layers(map_layers.zone_layers(analysis)))
        assert len(layers["Zone"]["features"]) == len(analysis.strip)
        assert len(layers["Affected countries"]["features"]) == len(analysis.affected)
        assert len(layers["Border between the sides"]["features"]) == len(analysis.contact)
        assert len(layers["Cities"]["features"]) == min(len(analysis.cities), map_layers.MAX_MAP_CITIES)


def test_tooltips_show_formatted_numbers(analyses: tuple[Any, Any]) -> None:
    analysis = analyses[0]
    layers = dict(_geojson_layers(map_layers.zone_layers(analysis)))
    poland = next(f for f in layers["Affected countries"]["features"] if f["properties"]["name"] == "Poland")
    row = analysis.affected.set_index("name").loc["Poland"]
    assert poland["properties"]["area"] == f"{row['area_km2']:,.0f} km²"
    assert re.fullmatch(r"\d{1,3}(,\d{3})* km²", poland["properties"]["area"])
    assert poland["properties"]["share_label"] == f"{100 * row['share']:.1f} %"
    norway = next(f for f in layers["Affected countries"]["features"] if f["properties"]["name"] == "Norway")
    row = analysis.affected.set_index("name").loc["Norway"]
    assert norway["properties"]["share_label"] == f"{100 * row['share']:.1f} % of mainland Norway"
    assert poland["properties"]["side_label"] == "NATO's side"
    zone = layers["Zone"]["features"][0]["properties"]
    assert zone["width"] == "100 km from the border"
    city = layers["Cities"]["features"][0]["properties"]
    assert city["name"] == analysis.cities["name"].iloc[0]
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", city["people"])
    assert re.fullmatch(r"\d{1,3}(,\d{3})* km from the border", city["distance"])
    countries = _layers(map_layers.zone_layers(analysis))["Affected countries"]
    assert countries["fields"] == ["name", "side_label", "area", "share_label"]
    assert countries["labels"] == ["Country", "Side", "Land in the zone", "Share of country"]


def test_each_feature_carries_its_style(analyses: tuple[Any, Any]) -> None:
    layers = _layers(map_layers.zone_layers(analyses[1]))
    assert list(layers) == [
        "Zone",
        "Affected countries",
        "Affected regions",
        "Border casing",
        "Border between the sides",
        "Cities",
    ]
    regions = analyses[1].regions.head(map_layers.MAX_MAP_REGIONS)
    outlines = layers["Affected regions"]["data"]["features"]
    drawn = [f["properties"]["name"] for f in outlines]
    # every region of 10 km² or more in the zone keeps an outline (slivers below the display tolerance may go)
    assert set(regions.loc[regions["area_km2"] >= 10, "name"]) <= set(drawn)
    assert drawn == [name for name in regions["name"] if name in set(drawn)]
    assert {f["properties"]["_style"]["className"] for f in outlines} == {"zone-region"}
    assert layers["Border casing"]["fields"] == []
    casing, line = (layers[name]["data"]["features"] for name in ("Border casing", "Border between the sides"))
    assert [f["geometry"] for f in casing] == [f["geometry"] for f in line]
    for feature in layers["Affected countries"]["data"]["features"]:
        style = feature["properties"]["_style"]
        assert style["className"] == "zone-country"
        assert style["fillColor"] == map_style.SIDE_COLORS[feature["properties"]["side"]]
        assert style["fillOpacity"] == pytest.approx(0.18 + 0.5 * feature["properties"]["share"], abs=0.005)
    assert {f["properties"]["_style"]["className"] for f in layers["Zone"]["data"]["features"]} == {"zone-strip"}


def test_layer_text_cannot_close_the_script() -> None:
    empty = ("strip", "affected", "regions", "line")
    collections = {key: {"type": "FeatureCollection", "features": []} for key in empty}
    collections["cities"] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "0",
                "properties": {
                    "name": "</script><script>alert(1)</script>",
                    "people": "1",
                    "distance": "1 km",
                    "radius": 3,
                },
                "geometry": {"type": "Point", "coordinates": [25.0, 55.0]},
            }
        ],
    }
    text = map_layers.layers_json(collections)
    assert "</" not in text
    assert json.loads(text)[0]["data"]["features"][0]["properties"]["name"].startswith("</script>")


def test_display_geometry_is_simplified_but_exports_are_not(analyses: tuple[Any, Any]) -> None:
    analysis = analyses[0]
    before = analysis.affected.geometry.copy()
    collection = map_layers.affected_collection(analysis)
    shown = sum(len(json.dumps(f["geometry"])) for f in collection["features"])
    assert shown < len(json.dumps(analysis.affected.geometry.__geo_interface__))
    assert analysis.affected.geometry.equals(before)  # the analysis is never modified


def test_payload_per_step_stays_small() -> None:
    widest = analyse(Scenario(width_km=1000, date="2021-12-17"))
    size = sum(len(json.dumps(data)) for _, data in _geojson_layers(map_layers.zone_layers(widest)))
    assert size < 400_000, size
    # Sent once and cached (the published page inlines it); 296 kB before it reached east over 180° to Alaska.
    assert len(basemap.basemap_geojson()) < 450_000


def test_install_static_copies_leaflet(tmp_path: Any) -> None:
    target = install_static(tmp_path)
    assert target == tmp_path / "static" / "leaflet"
    for name in LEAFLET_FILES:
        assert (target / name).read_bytes() == (package_dir() / name).read_bytes()
    assert b"Leaflet 1.9.4" in (target / "leaflet.js").read_bytes()[:200]
    install_static(tmp_path)  # idempotent
    path = basemap.write_basemap(tmp_path)
    assert json.loads(path.read_text())["type"] == "FeatureCollection"


@pytest.mark.parametrize(("article", "count"), [("4", 14), ("7.1", 10)])
def test_territory_layer_outlines_each_state_of_the_article(
    analyses: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch, article: str, count: int
) -> None:
    layer = json.loads(map_layers.territory_layer_json(territories(article, "2021-12-17"), article=article))
    assert len(layer) == 1
    features = layer[0]["data"]["features"]
    assert len(features) == count
    colour, label = map_style.TERRITORY_LAYERS[article]
    assert layer[0]["name"] == label
    assert {f["properties"]["_style"]["color"] for f in features} == {colour}
    assert label in basemap.LEGEND_HTML  # the static legend lists it, so the base map never changes
    sent = _sent(analyses[0], monkeypatch)
    group = map_layers.layers_from(
        map_layers.layers_json(map_layers.zone_collections(analyses[0])), below=(json.dumps(layer),)
    )
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.update(kwargs))
    streamlit_folium.st_folium(basemap.base_map(), key="zone_map", feature_group_to_add=group)
    assert sent["feature_group"].count("L.geoJson(layer.data") == 2  # the area below, then the zone
    assert sent["feature_group"].index(f"territory-{article.replace('.', '-')}") < sent["feature_group"].index(
        "zone-strip"
    )


def test_no_territory_layer_when_the_article_names_no_state() -> None:
    assert json.loads(map_layers.territory_layer_json(territories("4", "1997-05-27"), article="4")) == []


def test_view_bounds_hold_the_bering_strait_strip_as_one_box() -> None:
    """Across the antimeridian the first view runs east over 180° (Europe to Alaska), not round the whole world."""
    import numpy as np
    import shapely

    analysis = analyse(Scenario(width_km=300, date="2024-06-01", sea_borders=True), regions=False)
    (south, west), (north, east) = map_layers.view_bounds(analysis)
    assert east > 180  # Alaska's side, counted east of 180°
    geometry = np.concatenate([analysis.strip.geometry.to_numpy(), analysis.contact.geometry.to_numpy()])
    x, y = shapely.get_coordinates(geometry).T
    assert (x < -150).any()  # the strip does cross the antimeridian
    assert east - west < x.max() - x.min()  # narrower than the box in plain longitudes (215°)
    shifted = np.where(x < 0, x + 360, x)
    assert shifted.min() >= west - 1e-3
    assert shifted.max() <= east + 1e-3
    assert y.min() >= south - 1e-3
    assert y.max() <= north + 1e-3


def test_view_bounds_of_a_european_zone_are_its_own() -> None:
    analysis = analyse(Scenario(width_km=500, date="2021-12-17", allies="csto"), regions=False)
    (south, west), (north, east) = map_layers.view_bounds(analysis)
    minx, miny, maxx, maxy = analysis.strip.total_bounds
    assert (south, west, north, east) == pytest.approx((miny, minx, maxy, maxx), abs=1e-3)
    assert south < 40  # the Armenia–Turkey part is in the box


def test_legend_folds_and_uses_the_shared_wording() -> None:
    from zones.colours import LEGEND_LABELS, SIDE_COLOURS

    page = basemap.base_map(served=False).get_root().render()
    assert 'L.DomUtil.create("details", "zone-legend")' in page
    assert "div.open = false;" in page  # folded at every size: open, it covered the zone (issue 24)
    assert 'map.on("popupopen", function () { div.open = false; });' in page  # no popup opens under it
    for side in ("russia", "nato", "third"):
        assert SIDE_COLOURS[side] in basemap.LEGEND_HTML
    assert LEGEND_LABELS["line"] in basemap.LEGEND_HTML


@pytest.mark.parametrize("side", ["russia", "nato", "third"])
@pytest.mark.parametrize("share", [0.0, 0.02, 0.5, 0.71, 1.0])
def test_report_prints_the_colour_the_app_draws(side, share):
    """The app's fill at its opacity over the land, composited by hand, is the report's flat colour."""
    from zones.colours import LAND_COLOUR, flat_share_colour
    from zones.web.map_style import affected_style

    style = affected_style({"properties": {"side": side, "share": share}})
    alpha = style["fillOpacity"]
    fill = [int(style["fillColor"][i : i + 2], 16) for i in (1, 3, 5)]
    land = [int(LAND_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    expected = [(alpha * f + (1 - alpha) * g) / 255 for f, g in zip(fill, land, strict=True)]
    # the app rounds its opacity to 0.01: at most 0.005 of the colours' difference
    assert flat_share_colour(side, share) == pytest.approx(expected, abs=0.005)
