"""Independent geodesic oracle for the strip, city and region tests and the benchmarks.

Written for clarity, not speed, and sharing no code or method with
:mod:`zones.engine.strip` or :mod:`zones.engine.cities`:

1. The line's straight lon/lat edges are densified to at most 0.5 km.
2. Candidates are found by straight-line (chord) distance between
   ellipsoidal ECEF points (EPSG:4978, through PROJ). A chord is never longer
   than the geodesic between the same points, so every vertex whose geodesic
   distance can beat the exact distance to the chord-nearest vertex is
   among the candidates: no sphere, and a margin of 1 m only for the chords'
   rounding.
3. Every candidate is measured exactly (:meth:`pyproj.Geod.inv`), and the
   two edges around the nearest one are searched at 1/64 of their length, so
   the distance overestimates the true distance to the line by centimetres,
   not by the vertex spacing. Of those edge points, only the ones nearer by
   chord than the best distance so far (plus the same 1 m) are measured: the
   others cannot beat it, so the answer is the same as measuring them all.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import pyproj
import shapely

GEOD: Final = pyproj.Geod(ellps="WGS84")

#: Largest spacing of densified vertices, in km.
STEP_KM: Final = 0.5
#: Slack for rounding, in metres, wherever a chord is compared with a geodesic (a chord is never the longer).
CHORD_SLACK_M: Final = 1.0

#: Edges around the nearest vertex are searched at this many points each.
_REFINE: Final = 64

_CHUNK: Final = 256

_ECEF: Final = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)


def _densify_edges(lon: np.ndarray, lat: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Densify a lon/lat path edge by edge as straight lon/lat segments of at most ``STEP_KM``.

    ``keep`` (one flag per edge) drops edges; both end vertices of every kept
    edge are returned.
    """
    if len(lon) < 2:
        return lon.copy(), lat.copy()
    _, _, length_m = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    pieces_lon, pieces_lat = [], []
    for i, length in enumerate(np.atleast_1d(length_m)):
        if keep is not None and not keep[i]:
            continue
        n = max(1, math.ceil(length / 1000.0 / STEP_KM))
        t = np.linspace(0.0, 1.0, n + 1)
        pieces_lon.append(lon[i] + t * (lon[i + 1] - lon[i]))
        pieces_lat.append(lat[i] + t * (lat[i + 1] - lat[i]))
    if not pieces_lon:
        return np.empty(0), np.empty(0)
    return np.concatenate(pieces_lon), np.concatenate(pieces_lat)


def densify_line(line: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of a (multi)line densified to at most 0.5 km, lon/lat degrees."""
    lon, lat, _ = _densify_parts(line)
    return lon, lat


def _densify_parts(line: shapely.Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`densify_line` with the part number of each vertex."""
    lons, lats, parts = [], [], []
    for number, part in enumerate(shapely.get_parts(line)):
        xy = shapely.get_coordinates(part)
        lo, la = _densify_edges(xy[:, 0], xy[:, 1])
        lons.append(lo)
        lats.append(la)
        parts.append(np.full(len(lo), number))
    return np.concatenate(lons), np.concatenate(lats), np.concatenate(parts)


def densify_boundary(polygon: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Points on a polygon's boundary, edges densified to at most 0.5 km (lon/lat degrees).

    Edges that lie on the antimeridian (both ends at lon = ±180) are artificial
    cuts, not strip edge, and are left out.
    """
    lons, lats = [], []
    for ring in shapely.get_rings(shapely.get_parts(polygon)):
        xy = shapely.get_coordinates(ring)
        on_cut = np.isclose(np.abs(xy[:, 0]), 180.0, rtol=0.0, atol=1e-9)
        keep = ~(on_cut[:-1] & on_cut[1:])
        lo, la = _densify_edges(xy[:, 0], xy[:, 1], keep)
        lons.append(lo)
        lats.append(la)
    return np.concatenate(lons), np.concatenate(lats)


def _ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Earth-centred Cartesian coordinates (n, 3) of lon/lat points on the WGS84 ellipsoid, metres."""
    x, y, z = _ECEF.transform(lon, lat, np.zeros(len(lon)))
    return np.column_stack([x, y, z])


def distance_to_line_m(
    lon: np.ndarray, lat: np.ndarray, line: shapely.Geometry, *, beyond_m: float = math.inf
) -> np.ndarray:
    """Exact WGS84 geodesic distance from points to a lon/lat (multi)line, in metres.

    The line's edges are straight lon/lat segments. The result overestimates
    the true distance by centimetres (the edges around the nearest 0.5 km
    vertex are searched at 1/64 of their length).

    A point whose chord to every vertex is longer than ``beyond_m`` plus the
    vertex spacing (and 1 m for rounding) gets ``inf``: its distance is more
    than ``beyond_m`` and is not measured (a geodesic is never shorter than
    its chord, and every point searched lies within ``STEP_KM`` of a vertex).
    Every other point gets the same distance as with no ``beyond_m``.
    """
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    vlon, vlat, vpart = _densify_parts(line)
    vxyz = _ecef(vlon, vlat)
    vsq = (vxyz**2).sum(axis=1)
    out = np.empty(len(lon))
    for start in range(0, len(lon), _CHUNK):
        stop = min(start + _CHUNK, len(lon))
        plon, plat = lon[start:stop], lat[start:stop]
        pxyz = _ecef(plon, plat)
        # squared chords |p - v|² as |p|² + |v|² - 2 p·v (one matrix product); their rounding, under 0.2 m²
        # at the Earth's radius, is covered by the 1 m slack of the candidates' test below
        chord_sq = pxyz @ vxyz.T
        chord_sq *= -2.0
        chord_sq += (pxyz**2).sum(axis=1)[:, None]
        chord_sq += vsq[None, :]
        first = np.argmin(chord_sq, axis=1)
        reach_m = beyond_m + STEP_KM * 1e3 + CHORD_SLACK_M  # farther by chord from every vertex: beyond ``beyond_m``
        measured = np.take_along_axis(chord_sq, first[:, None], axis=1)[:, 0] <= reach_m**2
        out[start:stop] = math.inf
        if not measured.any():
            continue
        if not measured.all():
            plon, plat, pxyz, chord_sq, first = (a[measured] for a in (plon, plat, pxyz, chord_sq, first))
        _, _, upper = GEOD.inv(plon, plat, vlon[first], vlat[first])
        # a chord is never longer than its geodesic: only vertices this near by chord can be nearer
        rows, cols = np.nonzero(chord_sq <= ((np.asarray(upper) + CHORD_SLACK_M) ** 2)[:, None])
        _, _, dist = GEOD.inv(plon[rows], plat[rows], vlon[cols], vlat[cols])
        order = np.lexsort((dist, rows))
        leaders = order[np.r_[True, rows[order][1:] != rows[order][:-1]]]
        nearest = cols[leaders]
        best = np.asarray(dist)[leaders]
        # search the straight lon/lat edges on both sides of the nearest vertex, within its part
        t = np.linspace(0.0, 1.0, _REFINE + 1)
        for step in (-1, 1):
            other = np.clip(nearest + step, 0, len(vlon) - 1)
            same = (other != nearest) & (vpart[other] == vpart[nearest])
            qlon = vlon[nearest][:, None] + t[None, :] * (vlon[other] - vlon[nearest])[:, None]
            qlat = vlat[nearest][:, None] + t[None, :] * (vlat[other] - vlat[nearest])[:, None]
            # only an edge point nearer by chord than the best geodesic so far can beat it (the same 1 m slack)
            qxyz = _ecef(qlon.ravel(), qlat.ravel()).reshape(len(plon), -1, 3)
            close = ((qxyz - pxyz[:, None, :]) ** 2).sum(axis=2) <= ((best + CHORD_SLACK_M) ** 2)[:, None]
            rows, cols = np.nonzero(close & same[:, None])
            _, _, along = GEOD.inv(plon[rows], plat[rows], qlon[rows, cols], qlat[rows, cols])
            shortest = np.full(len(plon), np.inf)
            np.minimum.at(shortest, rows, np.asarray(along))
            best = np.minimum(best, shortest)
        out[start:stop][measured] = best
    return out


def edge_error_m(polygon: shapely.Geometry, line: shapely.Geometry, width_km: float) -> np.ndarray:
    """Signed error (distance to the line − width), in metres, at points along the strip edge."""
    lon, lat = densify_boundary(polygon)
    return distance_to_line_m(lon, lat, line) - width_km * 1000.0


def geodesic_area_km2(polygon: shapely.Geometry) -> float:
    """Area of a lon/lat polygon on the WGS84 ellipsoid, in km²."""
    area_m2, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(polygon))
    return abs(area_m2) / 1e6


def equal_area_grid(polygon: shapely.Geometry, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres of a square grid of ``step_km`` inside a lon/lat polygon, in an equal-area projection.

    The grid is laid in a Lambert azimuthal equal-area projection centred on
    the polygon, so every point stands for the same area (``step_km``²) and
    a share of points is a share of area. Returns lon/lat degrees.
    """
    centre = polygon.centroid
    laea = pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={centre.y} +lon_0={centre.x} +units=m", always_xy=True
    )
    projected = shapely.transform(polygon, lambda xy: np.column_stack(laea.transform(xy[:, 0], xy[:, 1])))
    xmin, ymin, xmax, ymax = projected.bounds
    step_m = step_km * 1000.0
    xs, ys = np.meshgrid(np.arange(xmin, xmax, step_m) + step_m / 2, np.arange(ymin, ymax, step_m) + step_m / 2)
    inside = shapely.contains_xy(projected, xs.ravel(), ys.ravel())
    lon, lat = laea.transform(xs.ravel()[inside], ys.ravel()[inside], direction="INVERSE")
    return np.asarray(lon), np.asarray(lat)


def mainland_norway(norway: shapely.Geometry) -> shapely.MultiPolygon:
    """Norway's polygons on the Scandinavian peninsula and off its coast: those with a point in 4–32° E, 57–72° N.

    A definition of our own (not ``zones.engine.denominators``' boxes): Svalbard lies
    north of 74° N, Jan Mayen at 8° W, Bouvet Island at 54° S.
    """
    parts = shapely.get_parts(norway)
    points = shapely.get_coordinates(shapely.point_on_surface(parts))
    keep = (points[:, 0] > 4) & (points[:, 0] < 32) & (points[:, 1] > 57) & (points[:, 1] < 72)
    return shapely.MultiPolygon(list(parts[keep]))
