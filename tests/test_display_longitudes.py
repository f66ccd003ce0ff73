"""The web map's longitudes: one continuous range across the antimeridian, for drawing only.

Hand-built shapes cut at ±180° must come back whole; the Bering Strait's zone, line, cities, ladder and
base map must have no piece at −169° while the rest lies at +170°; exports stay RFC 7946.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import shapely

from zones import Scenario, analyse, export
from zones.web import basemap, ladder, map_layers
from zones.web.map_layers import DISPLAY_WEST_DEG, display_longitude, display_longitudes
from zones.wording import format_km2

#: The Bering Strait's sea border (Big and Little Diomede), lon/lat degrees.
BERING_STRAIT: tuple[float, float] = (-169.0, 65.8)


@pytest.fixture(scope="module")
def bering() -> Any:
    """Today's CSTO line with sea borders at 1,000 km: its zone crosses the antimeridian."""
    return analyse(Scenario(width_km=1000, allies="csto", sea_borders=True), regions=False)


def _xs(collection: dict[str, Any]) -> np.ndarray:
    geometry = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
    return shapely.get_coordinates(np.array(geometry, dtype=object))[:, 0]


def test_a_square_cut_at_the_antimeridian_comes_back_whole() -> None:
    east = shapely.box(170.0, 60.0, 180.0, 65.0)
    west = shapely.box(-180.0, 60.0, -170.0, 65.0)
    (shown,) = display_longitudes([shapely.MultiPolygon([east, west])])
    assert shapely.get_num_geometries(shown) == 1
    assert shapely.normalize(shown.geoms[0]).equals(shapely.box(170.0, 60.0, 190.0, 65.0))
    assert shown.area == pytest.approx(east.area + west.area)


def test_natural_earths_minus_179_99999999999991_still_meets_180() -> None:
    east = shapely.box(170.0, 60.0, 180.0, 65.0)
    west = shapely.box(-179.99999999999991, 60.0, -170.0, 65.0)
    (shown,) = display_longitudes([shapely.MultiPolygon([east, west])])
    assert shapely.get_num_geometries(shown) == 1


def test_europe_and_lines_keep_their_longitudes_and_the_west_moves_east() -> None:
    europe = shapely.box(20.0, 50.0, 30.0, 60.0)
    alaska_line = shapely.LineString([(-169.0, 65.0), (-160.0, 66.0)])
    shown = display_longitudes([europe, alaska_line, None])
    assert shown[0] is europe
    assert shapely.get_coordinates(shown[1]).tolist() == [[191.0, 65.0], [200.0, 66.0]]
    assert shown[2] is None
    assert display_longitude(-30.0) == -30.0
    assert display_longitude(-30.5) == 329.5


def test_a_part_across_the_wrap_meridian_is_cut_there_not_torn() -> None:
    across = shapely.box(DISPLAY_WEST_DEG - 5, 60.0, DISPLAY_WEST_DEG + 5, 65.0)
    (shown,) = display_longitudes([shapely.MultiPolygon([across, shapely.box(-175.0, 60.0, -170.0, 61.0)])])
    pieces = sorted((tuple(p.bounds) for p in shown.geoms), key=lambda b: b[0])
    assert pieces == [
        (DISPLAY_WEST_DEG, 60.0, DISPLAY_WEST_DEG + 5, 65.0),  # east of the wrap: where it was
        (185.0, 60.0, 190.0, 61.0),
        (DISPLAY_WEST_DEG + 355, 60.0, DISPLAY_WEST_DEG + 360, 65.0),  # west of it: 360° east, whole
    ]
    assert shown.area == pytest.approx(across.area + 5.0)


def test_the_bering_zone_is_drawn_in_one_piece_beside_chukotka(bering: Any) -> None:
    collection = map_layers.strip_collection(bering)
    xs = _xs(collection)
    assert xs.min() >= DISPLAY_WEST_DEG  # no piece at −169° while the rest lies at +170°
    parts = shapely.get_parts(
        np.array([shapely.geometry.shape(f["geometry"]) for f in collection["features"]], dtype=object)
    )
    west, _, east, _ = shapely.bounds(parts).T
    across = parts[(west < 180) & (east > 180)]
    assert len(across) == 1  # one disc across 180°, not two halves
    strait = shapely.Point(BERING_STRAIT[0] + 360, BERING_STRAIT[1])
    assert across[0].contains(strait)
    # The same land as the zone's two RFC 7946 pieces (plane area in degrees², within the simplification).
    cut = [p for p in shapely.get_parts(bering.strip.geometry.to_numpy()) if p.bounds[0] < -150 or p.bounds[2] > 179]
    assert across[0].area == pytest.approx(sum(p.area for p in cut), rel=0.01)


def test_the_line_cities_and_first_view_share_the_zones_longitudes(bering: Any) -> None:
    line_x = _xs(map_layers.line_collection(bering))
    assert line_x.min() >= DISPLAY_WEST_DEG
    assert line_x.max() == pytest.approx(BERING_STRAIT[0] + 360, abs=0.1)
    city_x = _xs(map_layers.cities_collection(bering, max_cities=10_000))
    alaska = bering.cities[bering.cities["adm0_a3"] == "USA"]
    assert len(alaska) > 0
    assert (city_x >= DISPLAY_WEST_DEG).all()
    assert (city_x > 180).sum() >= len(alaska)  # Nome, Anchorage …: east of 180°
    (_, west), (_, east) = map_layers.view_bounds(bering)
    assert west < 20
    assert east > 200
    assert east - west < 250  # the Baltic to Alaska the short way, not round the world


def test_the_ladder_draws_the_bering_zone_in_one_piece() -> None:
    data = json.loads(ladder.ladder_json(Scenario(width_km=0, allies="csto", sea_borders=True)))
    grid = data["grid_deg"]
    step = data["steps"][data["widths_km"].index(1000)]
    rings = []
    for _, polygons in step["zone"]:
        for polygon in polygons:
            flat = np.array(polygon[0]).reshape(-1, 2).cumsum(axis=0) * grid
            rings.append(flat)
    assert min(r[:, 0].min() for r in rings) >= DISPLAY_WEST_DEG
    assert sum(1 for r in rings if r[:, 0].min() < 180 < r[:, 0].max()) == 1
    assert all(row[5] * grid >= DISPLAY_WEST_DEG for row in data["cities"])
    summary = "".join(step["summary"])
    assert summary.startswith(format_km2(sum(step["totals"][s][1] for s in ("nato", "russia"))))
    assert step["live"] == f"At 1,000 km: {summary}"


def test_the_base_map_draws_chukotka_whole_and_alaska_east_of_180() -> None:
    features = json.loads(basemap.basemap_geojson())["features"]
    shapes = {f["properties"]["name"]: shapely.geometry.shape(f["geometry"]) for f in features}
    xs = shapely.get_coordinates(np.array(list(shapes.values()), dtype=object))[:, 0]
    assert xs.min() >= DISPLAY_WEST_DEG
    chukotka = [p for p in shapes["Russia"].geoms if p.contains(shapely.Point(182.0, 66.5))]
    assert len(chukotka) == 1
    assert chukotka[0].bounds[0] < 175  # the mainland, one piece across 180°
    alaska = shapes["United States"]
    assert alaska.contains(shapely.Point(-150.0 + 360, 64.0))  # Fairbanks' land
    assert alaska.bounds[2] > 200


def test_exports_stay_rfc_7946(bering: Any) -> None:
    strip = json.loads(export.geojson_bytes(export.strip_frame(bering)))
    xs = np.concatenate(
        [shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))[:, 0] for f in strip["features"]]
    )
    assert xs.min() >= -180
    assert xs.max() <= 180
    assert xs.min() < -160  # Alaska's side stays in the western hemisphere


def test_a_click_in_alaska_is_marked_where_the_zone_draws_alaska() -> None:
    """st_folium hands the click back wrapped to −180…180 (``wrap_longitude``); the marker goes east of 180°."""
    import folium

    group = map_layers.layers_from("[]", clicked=(65.0, -165.0))
    (marker,) = [child for child in group._children.values() if isinstance(child, folium.CircleMarker)]
    assert marker.location == [65.0, 195.0]
