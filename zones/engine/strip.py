"""The strip: points within a width of the border line, by WGS84 geodesic distance.

Method
------
A planar buffer is fast and has the right topology, but no single map
projection keeps distances within 0.1 % over a 3,000 km border (one
projection gives 0.6–2.5 %). A union of geodesic pieces is exact but slow.
:func:`geodesic_buffer` combines the two ("guide and snap"):

1. **Frame.** The line is unwrapped across the antimeridian and drawn in an
   ellipsoidal oblique stereographic frame centred on it (PROJ's
   ``+proj=stere +k_0=1 +ellps=WGS84`` through :class:`pyproj.Transformer`;
   true north from :meth:`pyproj.Proj.get_factors`). The frame is conformal, so a planar buffer in it has the
   right shape locally; its scale error (1–2 % at 1,000 km) only moves the
   guide a little.
2. **Guide.** GEOS buffers the frame line, simplified by 1 % of the width (a
   buffer of a line within ``e`` of the true line lies within ``e`` of the
   true buffer), and the guide is densified so that straight lon/lat edges
   between final vertices stay within half the error budget (sagitta of the
   round caps and the bend of lon/lat lines at high latitude).
3. **Snap.** Every guide vertex finds its nearest *exact* line segment in the
   frame: its generator, a segment or a vertex of the line. For narrow strips
   an STRtree box query gives the segments within the guide's reach and numpy
   the nearest; for wide ones, whose boxes hold many segments,
   :meth:`shapely.STRtree.query_nearest` is faster. It is then moved
   to exactly the width along the geodesic from that generator
   (:meth:`pyproj.Geod.fwd`; perpendicular to a segment, or radial from a
   vertex). Such a vertex lies at exactly the width from the line unless
   another part of the line is nearer.
4. **Creases.** Where the generator jumps (the edge is nearest to two distant
   parts of the line), vertices that another part of the line hides are
   dropped (exact geodesic distances), and the exact crease point, at the
   width from both generators, is inserted (Newton iteration on geodesic
   distances). A crease point that a third part of the line hides brings that
   part in, and the round repeats (a few rounds at most).
5. **Antimeridian.** The result is cut at ±180° and shifted back, exterior
   rings counter-clockwise.

The straight lon/lat edges of the result lie within ``max(0.1 % of width,
50 m)`` of the true geodesic strip edge; the line's own edges are read as
straight lon/lat segments, as GeoJSON readers draw them. Only width-free work
(the frame, the segment tables) is cached, keyed by the line's WKB.

Why not the alternatives: a raw geodesic offset curve filled by winding number
needs the curve noded, and at 1,000 km the offsets of a wiggly 3,000 km border
cross each other many thousand times; a union of per-segment geodesic capsules
is exact but hundreds of ms. Guide and snap costs one GEOS buffer, one nearest
search and one :meth:`pyproj.Geod.fwd` per vertex, plus a little work at creases.

Limits: the strip may not reach a pole, and the line with its strip must fit
within 60° of the frame centre; both raise :class:`ValueError`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Final, cast, overload

import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray

from geodata.geodesy import EARTH_RADIUS_M, GEOD
from zones._validate import validate_width_km
from zones.errors import ArgumentError

#: Line edges are split until a straight lon/lat edge bends this little from its geodesic, in metres ...
_LINE_BEND_M: Final = 0.5
#: ... and are never longer than this, in metres.
_LINE_EDGE_MAX_M: Final = 10_000.0
#: Accuracy target: share of the width ...
_TOL_SHARE: Final = 0.001
#: ... but never tighter than this, in metres.
_TOL_MIN_M: Final = 50.0
#: Share of the accuracy budget given to straight lon/lat edges (chord error).
_EDGE_SHARE: Final = 0.5
#: Highest latitude used when bounding the bend of lon/lat edges, in degrees.
_EDGE_LAT_DEG: Final = 89.0
#: Smallest slope tan(latitude) used when bounding the bend of line edges: it only keeps the
#: bound finite at the equator (there the edge-length cap ``_LINE_EDGE_MAX_M`` decides).
_MIN_SLOPE: Final = 0.1
#: Crease Newton steps stop where the two distance gradients are this close to parallel (|sin| of their angle).
_MIN_GRADIENT_SIN: Final = 1e-4
#: Guide: the line is simplified by this share of the width before GEOS buffers it.
_SIMPLIFY_SHARE: Final = 0.01
#: Guide: GEOS arc segments per quarter circle.
_QUAD_SEGS: Final = 8
#: Crease search: line segments on each side of a generator taken into account.
_HOOD_REACH: Final = 2
#: A vertex this much inside the strip is hidden and dropped, in metres.
_HIDDEN_M: Final = 0.001
#: A crease point this much nearer than the width to a third part of the line is hidden, in metres
#: (more than the Newton acceptance below, so that a tie is no hiding).
_CREASE_HIDDEN_M: Final = 1.0
#: Passes of hidden-vertex removal around creases.
_HIDDEN_PASSES: Final = 16
#: Rounds of crease refinement (a hidden crease point brings in a third generator).
_CREASE_ROUNDS: Final = 4
#: Newton steps for crease points, their stopping residual and their acceptance, in metres.
_NEWTON_STEPS: Final = 8
_NEWTON_STOP_M: Final = 0.01
_NEWTON_OK_M: Final = 0.5
#: Polygons smaller than this (square degrees, about 10 m²) are repair debris.
_SLIVER_DEG2: Final = 1e-9
#: Geometry types that :func:`geodesic_buffer` takes.
_BUFFERABLE: Final = (shapely.LineString, shapely.MultiLineString, shapely.Point, shapely.MultiPoint)
#: Nearest-segment search: boxes while the search radius is at most this many median segment lengths
#: (about 190 km on the 2023 line); beyond, STRtree.query_nearest is faster (measured with benchmarks.bench_strip).
_BOX_REACH: Final = 80.0
#: Largest angular distance from the frame centre to the strip edge, in degrees.
_MAX_REACH_DEG: Final = 60.0


@overload
def geodesic_buffer(
    geometry: shapely.Geometry | None, distance_km: float
) -> shapely.Polygon | shapely.MultiPolygon: ...


@overload
def geodesic_buffer(
    geometry: ArrayLike | shapely.Geometry | None, distance_km: ArrayLike
) -> shapely.Polygon | shapely.MultiPolygon | NDArray[np.object_]: ...


def geodesic_buffer(
    geometry: ArrayLike | shapely.Geometry | None, distance_km: ArrayLike
) -> shapely.Polygon | shapely.MultiPolygon | NDArray[np.object_]:
    """Points within ``distance_km`` of each geometry by true WGS84 geodesic distance (round caps), EPSG:4326.

    Shaped like :func:`shapely.buffer`: a geometry and a distance, or arrays of
    them (broadcast against each other) giving an array of results.

    Parameters
    ----------
    geometry : shapely.Geometry or array_like of shapely.Geometry
        Lines or points in EPSG:4326 (lon, lat in degrees, lon in [-180, 180]):
        LineString, MultiLineString, Point or MultiPoint. Edges are straight
        lon/lat segments; parts may touch ±180. ``None`` or empty gives an
        empty polygon.
    distance_km : float or array_like of float
        Geodesic distance from the geometry to the edge, in km (on each side
        of a line): 0, or from 0.1 km (the accuracy floor) to 2,000 km.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon, or numpy.ndarray of them
        Valid, cut at the antimeridian, exterior rings counter-clockwise.
        Every point of the edge lies within ``max(0.1 % of distance_km, 50 m)``
        of the true geodesic distance ``distance_km`` from the geometry.
        Empty when ``distance_km`` is 0. An array when either input is one.

    Raises
    ------
    ArgumentError
        A :class:`ValueError`: if ``distance_km`` is not allowed, if a
        geometry is not a line or a point, if the buffer would contain a pole,
        or if a geometry and its buffer do not fit within 60° of their centre.

    Examples
    --------
    >>> import math
    >>> import shapely
    >>> from zones import geodesic_buffer
    >>> from geodata.geodesy import geodesic_area_km2
    >>> disc = geodesic_buffer(shapely.Point(24.0, 60.0), 100)
    >>> area_km2 = float(geodesic_area_km2([disc])[0])
    >>> print(f"{area_km2:,.0f} km², {area_km2 / (math.pi * 100**2) - 1:+.2%} from π·(100 km)²")
    31,403 km², -0.04% from π·(100 km)²
    >>> discs = geodesic_buffer([shapely.Point(0, 0), shapely.Point(0, 0)], [10, 20])
    >>> [f"{a:,.0f}" for a in geodesic_area_km2(discs)]
    ['314', '1,255']
    """
    if isinstance(geometry, shapely.Geometry | None) and np.ndim(distance_km) == 0:
        return _buffer_one(geometry, distance_km)
    geometries, distances = np.broadcast_arrays(
        np.asarray(geometry, dtype=object), np.asarray(distance_km, dtype=object)
    )
    out = np.empty(geometries.shape, dtype=object)
    for index in np.ndindex(geometries.shape):
        out[index] = _buffer_one(cast("shapely.Geometry | None", geometries[index]), distances[index])
    return out


def _buffer_one(line: shapely.Geometry | None, distance_km: object) -> shapely.Polygon | shapely.MultiPolygon:
    """:func:`geodesic_buffer` of one line or point."""
    width_km = validate_width_km(distance_km, argument="distance_km")
    if line is not None and not isinstance(line, _BUFFERABLE):
        raise ArgumentError(
            "geometry",
            type(line).__name__,
            "a LineString, MultiLineString, Point or MultiPoint",
            hint="Buffer a polygon's boundary (shapely.boundary) to get the band around its edge.",
        )
    if width_km == 0.0 or line is None or shapely.is_empty(line):
        return shapely.Polygon()
    prep = _prepare(shapely.to_wkb(line, output_dimension=2))
    width_m = width_km * 1000.0
    _check_reach(prep, width_m)
    polygons = []
    guide = _guide_rings(prep, width_m)
    flat = iter(_snap_rings(prep, [xy for rings in guide for xy in rings], width_m))
    for rings in guide:
        snapped = [ring for ring in (next(flat) for _ in rings) if len(ring) >= 3]
        if snapped:
            polygons.append(shapely.Polygon(snapped[0], snapped[1:]))
    strip = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    if not shapely.is_valid(strip):  # metre-sized zigzags where crease points meet vertices
        parts = shapely.get_parts(shapely.make_valid(strip, method="structure"))
        strip = cast(
            "shapely.Polygon | shapely.MultiPolygon", shapely.union_all(parts[shapely.area(parts) > _SLIVER_DEG2])
        )
    return _finish(strip, prep.shift_deg)


# ---------------------------------------------------------------------------
# width-free preparation (cached per line)


@dataclasses.dataclass(frozen=True)
class _Frame:
    """Ellipsoidal oblique stereographic frame centred on the line, metres: PROJ's ``stere`` with scale 1.

    PROJ's ellipsoidal ``stere`` is the conformal-latitude double projection
    (conformal latitude on a sphere whose radius gives scale 1 at the centre).
    """

    lon0: float
    lat0: float
    transformer: pyproj.Transformer
    proj: pyproj.Proj

    def project(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Frame coordinates (x east, y north at the centre, metres) of lon/lat degrees."""
        x, y = self.transformer.transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def north_deg(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
        """Frame bearing of true north at each point, in degrees clockwise from the frame's y axis.

        PROJ's meridian convergence is the angle from true north to grid north,
        so true north lies at minus that angle in the frame.
        """
        factors = self.proj.get_factors(lon, lat)
        return -np.asarray(factors.meridian_convergence, dtype=float)


@functools.lru_cache(maxsize=32)
def _frame(lon0: float, lat0: float) -> _Frame:
    """Return the frame centred at (lon0, lat0) degrees (cached: a transformer costs ~30 ms to build)."""
    definition = f"+proj=stere +lat_0={lat0!r} +lon_0={lon0!r} +k_0=1 +ellps=WGS84 +units=m +no_defs"
    crs = pyproj.CRS(definition)
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return _Frame(lon0=lon0, lat0=lat0, transformer=transformer, proj=pyproj.Proj(crs))


@dataclasses.dataclass(frozen=True, eq=False)
class _Line:
    """Width-free tables of one line, in an unwrapped longitude frame.

    Vertex arrays ``lon``/``lat`` (degrees, unwrapped), ``x``/``y`` (frame,
    metres) and ``part``; segment ``i`` joins vertices ``start[i]`` and
    ``end[i]`` (equal for a one-vertex part) with geodesic azimuths ``az_start``/``az_end`` (degrees,
    direction of travel at each end); ``seg_first``/``seg_last`` bound the
    segments of the same part; ``north`` is the frame bearing of true north
    at each vertex (degrees).
    """

    shift_deg: float
    frame: _Frame
    lon: np.ndarray
    lat: np.ndarray
    x: np.ndarray
    y: np.ndarray
    part: np.ndarray
    north: np.ndarray
    start: np.ndarray
    end: np.ndarray
    az_start: np.ndarray
    az_end: np.ndarray
    seg_first: np.ndarray
    seg_last: np.ndarray
    seg_before: np.ndarray
    seg_after: np.ndarray
    seg_length: np.ndarray
    vertex_canon: np.ndarray
    seg_canon: np.ndarray
    orig_part: np.ndarray
    tree: shapely.STRtree
    planar: shapely.MultiLineString
    scale: float
    seg_median_m: float
    reach_deg: float
    lat_max_deg: float
    pole_m: tuple[float, float]


def _densify(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split long straight lon/lat edges so that each one stays within ``_LINE_BEND_M`` of its geodesic chord.

    A straight lon/lat edge of length ``s`` bends away from the geodesic by about
    ``s² tan(latitude) / (8 R)``; snapping treats edges as short and straight.
    Returns lon, lat and whether each vertex is one of the input's.
    """
    if len(lon) < 2:
        return lon, lat, np.ones(len(lon), dtype=bool)
    _, _, length = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    slope = np.maximum(
        np.tan(np.radians(np.minimum(np.maximum(np.abs(lat[:-1]), np.abs(lat[1:])), _EDGE_LAT_DEG))), _MIN_SLOPE
    )
    longest = np.minimum(np.sqrt(8.0 * EARTH_RADIUS_M * _LINE_BEND_M / slope), _LINE_EDGE_MAX_M)
    pieces = np.maximum(np.ceil(np.asarray(length) / longest), 1).astype(np.int64)
    if np.all(pieces == 1):
        return lon, lat, np.ones(len(lon), dtype=bool)
    edge = np.repeat(np.arange(len(pieces)), pieces)
    t = (np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / np.repeat(pieces, pieces)
    out_lon = np.append(lon[edge] + t * (lon[edge + 1] - lon[edge]), lon[-1])
    out_lat = np.append(lat[edge] + t * (lat[edge + 1] - lat[edge]), lat[-1])
    return out_lon, out_lat, np.append(t == 0.0, True)


@functools.lru_cache(maxsize=32)
def _prepare(wkb: bytes) -> _Line:
    """Build the width-free tables of a line given as WKB (cached)."""
    parts = [shapely.get_coordinates(p) for p in shapely.get_parts(shapely.from_wkb(wkb)) if not p.is_empty]
    # unwrap: put the frame's longitude cut in the middle of the widest gap
    lon_all = np.mod(np.concatenate([p[:, 0] for p in parts]), 360.0)
    unique = np.unique(lon_all)
    gaps = np.diff(np.append(unique, unique[0] + 360.0))
    widest = int(np.argmax(gaps))
    cut = unique[widest] + gaps[widest] / 2.0
    cut = cut - 360.0 if cut > 180.0 else cut
    lons, lats, part_ids, originals = [], [], [], []
    for i, xy in enumerate(parts):
        lon = np.mod(xy[:, 0] - cut, 360.0) + cut
        lat = xy[:, 1]
        moves = np.append(True, (np.diff(lon) != 0.0) | (np.diff(lat) != 0.0))
        lon, lat, original = _densify(lon[moves], lat[moves])
        originals.append(original)
        lons.append(lon)
        lats.append(lat)
        part_ids.append(np.full(len(lon), i))
    lon, lat, part = np.concatenate(lons), np.concatenate(lats), np.concatenate(part_ids)
    original = np.concatenate(originals)
    # generators on the input line: input vertex o -> -1 - o; input edge from vertex o -> o
    orig_number = np.cumsum(original) - 1
    vertex_canon = np.where(original, -1 - orig_number, orig_number)
    orig_part = part[original]
    # keep unwrapped longitudes near [-180, 180] so that no shift is needed for most lines
    shift = -360.0 * math.floor((lon.min() + lon.max()) / 720.0 + 0.5)
    lon = lon + shift
    frame = _frame(float(lon.min() + lon.max()) / 2.0, float(lat.min() + lat.max()) / 2.0)
    x, y = frame.project(lon, lat)
    north = frame.north_deg(lon, lat)
    # segments; a part of one vertex gets a zero-length segment (a point)
    same = part[:-1] == part[1:]
    start = np.nonzero(same)[0]
    single = np.nonzero(np.bincount(part, minlength=len(parts)) == 1)[0]
    lone = np.nonzero(np.isin(part, single))[0]
    start = np.sort(np.concatenate([start, lone]))
    end = np.where(np.isin(start, lone), start, start + 1)
    az12, az21, _ = GEOD.inv(lon[start], lat[start], lon[end], lat[end])
    seg_part = part[start]
    n_seg = len(start)
    seg_index = np.arange(n_seg)
    first = np.zeros(n_seg, dtype=np.int64)
    last = np.zeros(n_seg, dtype=np.int64)
    for p in np.unique(seg_part):
        idx = seg_index[seg_part == p]
        first[idx], last[idx] = idx[0], idx[-1]
    seg_before = np.full(len(lon), -1)
    seg_after = np.full(len(lon), -1)
    seg_after[start] = seg_index
    seg_before[end] = seg_index
    seg_before[lone] = seg_after[lone]
    seg_canon = orig_number[start]
    coords = np.stack([np.column_stack([x[start], y[start]]), np.column_stack([x[end], y[end]])], axis=1)
    planar_length = np.hypot(x[end] - x[start], y[end] - y[start])
    _, _, geodesic_length = GEOD.inv(lon[start], lat[start], lon[end], lat[end])
    geodesic_length = np.asarray(geodesic_length)
    moving = geodesic_length > 0
    scale = float(np.median(planar_length[moving] / geodesic_length[moving])) if moving.any() else 1.0
    planar = shapely.multilinestrings(
        cast(
            "list[shapely.LineString]",
            [
                shapely.linestrings(x[part == p], y[part == p])
                if (part == p).sum() > 1
                else shapely.linestrings(np.repeat(np.column_stack([x[part == p], y[part == p]]), 2, axis=0))
                for p in np.unique(part)
            ],
        )
    )
    centre_lon = np.full(len(lon), frame.lon0)
    centre_lat = np.full(len(lon), frame.lat0)
    _, _, from_centre = GEOD.inv(centre_lon, centre_lat, lon, lat)
    _, _, to_north = GEOD.inv(lon, lat, np.zeros(len(lon)), np.full(len(lon), 90.0))
    _, _, to_south = GEOD.inv(lon, lat, np.zeros(len(lon)), np.full(len(lon), -90.0))
    arrays = (
        lon,
        lat,
        x,
        y,
        part,
        north,
        start,
        end,
        geodesic_length,
        vertex_canon,
        seg_canon,
        orig_part,
        az12,
        az21,
        first,
        last,
        seg_before,
        seg_after,
    )
    for array in arrays:
        array.flags.writeable = False
    return _Line(
        shift_deg=shift,
        frame=frame,
        lon=lon,
        lat=lat,
        x=x,
        y=y,
        part=part,
        north=north,
        start=start,
        end=end,
        az_start=np.asarray(az12),
        az_end=np.asarray(az21) + 180.0,
        seg_first=first,
        seg_last=last,
        seg_before=seg_before,
        seg_after=seg_after,
        seg_length=geodesic_length,
        vertex_canon=vertex_canon,
        seg_canon=seg_canon,
        orig_part=orig_part,
        tree=shapely.STRtree(np.asarray(shapely.linestrings(coords), dtype=object)),
        planar=planar,
        scale=scale,
        seg_median_m=float(np.median(planar_length)),
        reach_deg=math.degrees(float(np.max(from_centre)) / EARTH_RADIUS_M),
        lat_max_deg=float(np.max(np.abs(lat))),
        pole_m=(float(np.min(to_north)), float(np.min(to_south))),
    )


# ---------------------------------------------------------------------------
# per width


def _tolerance_m(width_m: float) -> float:
    """Accuracy budget for a width, in metres."""
    return max(_TOL_SHARE * width_m, _TOL_MIN_M)


def _spacing_m(width_m: float, lat_max_deg: float) -> float:
    """Longest edge of the result so that chord errors stay within the edge budget, in metres.

    A chord of length ``s`` misses a curve of radius ``r`` by ``s² / (8 r)``: the
    round caps have radius ``width_m`` and straight lon/lat edges bend against the
    geodesic with radius about ``R / tan(latitude)``.
    """
    lat_deg = min(lat_max_deg + math.degrees(width_m / EARTH_RADIUS_M), _EDGE_LAT_DEG)
    curvature = 1.0 / width_m + math.tan(math.radians(lat_deg)) / EARTH_RADIUS_M
    return math.sqrt(8.0 * _EDGE_SHARE * _tolerance_m(width_m) / curvature)


def _check_reach(prep: _Line, width_m: float) -> None:
    """Raise ValueError if the strip would contain a pole or leave the frame's safe reach."""
    for pole, distance_m in zip(("North", "South"), prep.pole_m, strict=True):
        if width_m >= distance_m - _tolerance_m(width_m):
            raise ArgumentError(
                "distance_km",
                width_m / 1000.0,
                f"less than {distance_m / 1000.0:,.0f} km for this line",
                hint=f"A wider strip would contain the {pole} Pole, which a lon/lat polygon cannot hold.",
            )
    if prep.reach_deg + math.degrees(width_m / EARTH_RADIUS_M) > _MAX_REACH_DEG:
        raise ArgumentError(
            "distance_km",
            width_m / 1000.0,
            f"such that the line and its strip fit within {_MAX_REACH_DEG:.0f}° of their centre",
            hint="Split the line into shorter pieces and buffer them one by one.",
        )


def _guide_rings(prep: _Line, width_m: float) -> list[list[np.ndarray]]:
    """Densified rings (frame metres, not closed) of the planar guide buffer, polygon by polygon."""
    planar_m = width_m * prep.scale
    simplified = shapely.simplify(prep.planar, _SIMPLIFY_SHARE * planar_m, preserve_topology=False)
    guide = shapely.buffer(simplified, planar_m, quad_segs=_QUAD_SEGS)
    guide = shapely.segmentize(guide, _spacing_m(width_m, prep.lat_max_deg) * prep.scale)
    return [
        [shapely.get_coordinates(ring)[:-1] for ring in shapely.get_rings(polygon)]
        for polygon in shapely.get_parts(guide)
    ]


def _nearest_segments(
    prep: _Line, x: NDArray[np.float64], y: NDArray[np.float64], radius_m: float
) -> NDArray[np.int64]:
    """Index of the nearest line segment (frame distance) of each point, searching within radius_m first.

    Narrow strips ask the STRtree for the segments whose bounding boxes meet
    each point's box of half-side ``radius_m`` (no distances in GEOS) and take
    the nearest with numpy; every segment within ``radius_m`` is among them.
    Wide strips' boxes hold many segments, and there the STRtree's own nearest
    search is faster. A point with no segment within ``radius_m`` asks the
    STRtree without a limit.
    """
    nearest = np.full(len(x), -1, dtype=np.int64)
    if radius_m <= _BOX_REACH * prep.seg_median_m:
        # each square's diagonal: the same bounding box (all the tree reads), and cheaper to make than the square
        low, high = np.column_stack([x - radius_m, y - radius_m]), np.column_stack([x + radius_m, y + radius_m])
        point, seg = prep.tree.query(shapely.linestrings(np.stack([low, high], axis=1)))
        if len(point) and np.any(np.diff(point) < 0):  # shapely returns them sorted by point; stay safe
            order = np.argsort(point, kind="stable")
            point, seg = point[order], seg[order]
        if len(point):
            _, d2 = _planar_foot(prep, seg, x[point], y[point])
            starts = np.flatnonzero(np.append(True, point[1:] != point[:-1]))
            group_min = np.minimum.reduceat(d2, starts)
            best = np.flatnonzero(d2 == np.repeat(group_min, np.diff(np.append(starts, len(point)))))
            best = best[np.append(True, point[best[1:]] != point[best[:-1]])]
            close = d2[best] <= radius_m * radius_m
            nearest[point[best[close]]] = seg[best[close]]
    else:
        points = np.asarray(shapely.points(x, y), dtype=object)
        point, seg = prep.tree.query_nearest(points, max_distance=radius_m, all_matches=False)
        nearest[point] = seg
    lost = nearest < 0
    if lost.any():  # cannot happen with a correct radius; stay exact
        points = np.asarray(shapely.points(x[lost], y[lost]), dtype=object)
        _, nearest[lost] = prep.tree.query_nearest(points, all_matches=False)
    return nearest


def _planar_foot(prep: _Line, seg: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position ``t`` in [0, 1] of the frame foot on each segment and the squared frame distance."""
    a, b = prep.start[seg], prep.end[seg]
    ax, ay = prep.x[a], prep.y[a]
    dx, dy = prep.x[b] - ax, prep.y[b] - ay
    qx, qy = x - ax, y - ay
    length2 = dx * dx + dy * dy
    t = np.clip(np.divide(qx * dx + qy * dy, length2, out=np.zeros_like(length2), where=length2 > 0), 0.0, 1.0)
    return t, (qx - t * dx) ** 2 + (qy - t * dy) ** 2


def _foot_lonlat(prep: _Line, seg: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of the point at ``t`` along each straight lon/lat segment."""
    a, b = prep.start[seg], prep.end[seg]
    return prep.lon[a] + t * (prep.lon[b] - prep.lon[a]), prep.lat[a] + t * (prep.lat[b] - prep.lat[a])


def _fwd(lon: np.ndarray, lat: np.ndarray, az: np.ndarray, dist_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic direct problem, keeping the result's longitude next to the start's (unwrapped frame)."""
    end_lon, end_lat, _ = GEOD.fwd(lon, lat, az, dist_m)
    return lon + np.mod(np.asarray(end_lon) - lon + 180.0, 360.0) - 180.0, np.asarray(end_lat)


def _snap(
    prep: _Line, x: np.ndarray, y: np.ndarray, seg: np.ndarray, width_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move frame points to exactly width_m from their generator; return lon, lat and generator codes.

    A generator code ``g >= 0`` is segment ``g``; ``g < 0`` is vertex ``-1 - g``.
    """
    t, _ = _planar_foot(prep, seg, x, y)
    a, b = prep.start[seg], prep.end[seg]
    at_vertex = (t <= 0.0) | (t >= 1.0)
    vertex = np.where(t <= 0.0, a, b)
    cross = (prep.x[b] - prep.x[a]) * (y - prep.y[a]) - (prep.y[b] - prep.y[a]) * (x - prep.x[a])
    turn = np.mod(prep.az_end[seg] - prep.az_start[seg] + 180.0, 360.0) - 180.0
    az = prep.az_start[seg] + t * turn + np.where(cross > 0.0, -90.0, 90.0)
    radial = np.degrees(np.arctan2(x - prep.x[vertex], y - prep.y[vertex])) - prep.north[vertex]
    az = np.where(at_vertex, radial, az)
    foot_lon, foot_lat = _foot_lonlat(prep, seg, t)
    lon, lat = _fwd(foot_lon, foot_lat, az, np.full(len(x), width_m))
    return lon, lat, np.where(at_vertex, -1 - vertex, seg)


def _smooth(prep: _Line, g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """Whether the strip edge passes smoothly from generator g1 to g2 (else: a crease).

    Generators are compared on the input line: the pieces of one input edge
    split by :func:`_densify` count as one generator with its end vertices.
    """
    c1 = np.where(g1 < 0, prep.vertex_canon[np.where(g1 < 0, -1 - g1, 0)], prep.seg_canon[np.maximum(g1, 0)])
    c2 = np.where(g2 < 0, prep.vertex_canon[np.where(g2 < 0, -1 - g2, 0)], prep.seg_canon[np.maximum(g2, 0)])
    e1, e2 = np.maximum(c1, 0), np.maximum(c2, 0)
    o1, o2 = -1 - np.minimum(c1, -1), -1 - np.minimum(c2, -1)
    edge_vertex = (c1 >= 0) & (c2 < 0) & ((o2 == e1) | (o2 == e1 + 1))
    vertex_edge = (c1 < 0) & (c2 >= 0) & ((o1 == e2) | (o1 == e2 + 1))
    vertex_vertex = (c1 < 0) & (c2 < 0) & (np.abs(o1 - o2) == 1) & (prep.orig_part[o1] == prep.orig_part[o2])
    smooth: np.ndarray = (c1 == c2) | edge_vertex | vertex_edge | vertex_vertex
    return smooth


def _core(prep: _Line, gen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last segment touching each generator."""
    vertex = np.where(gen < 0, -1 - gen, 0)
    before, after = prep.seg_before[vertex], prep.seg_after[vertex]
    lo = np.where(gen >= 0, gen, np.where(before >= 0, before, after))
    hi = np.where(gen >= 0, gen, np.where(after >= 0, after, before))
    return lo, hi


def _hood(prep: _Line, gen: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Segments around ``gen`` (inclusive bounds), cut halfway towards ``other`` on the same part."""
    lo, hi = _core(prep, gen)
    other_lo, other_hi = _core(prep, other)
    first, last = prep.seg_first[lo], prep.seg_last[lo]
    same_part = prep.seg_first[other_lo] == first
    hood_lo = np.maximum(lo - _HOOD_REACH, first)
    hood_hi = np.minimum(hi + _HOOD_REACH, last)
    before = same_part & (hi < other_lo)
    after = same_part & (lo > other_hi)
    hood_hi = np.where(before, np.minimum(hood_hi, np.maximum((hi + other_lo) // 2, hi)), hood_hi)
    hood_lo = np.where(after, np.maximum(hood_lo, np.minimum((other_hi + lo) // 2 + 1, lo)), hood_lo)
    return hood_lo, hood_hi


def _hood_distance(
    prep: _Line, hood: tuple[np.ndarray, np.ndarray], lon: np.ndarray, lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geodesic distance (metres) from points to their segment hoods.

    Returns the distance, the azimuth in which it grows at the point (degrees)
    and the code of the nearest generator (see :func:`_snap`).
    """
    lo, hi = hood
    x, y = prep.frame.project(lon, lat)
    width = 2 * _HOOD_REACH + 2
    cand = lo[:, None] + np.arange(width)[None, :]
    valid = cand <= hi[:, None]
    cand = np.where(valid, cand, lo[:, None])
    t, d2 = _planar_foot(prep, cand.ravel(), np.repeat(x, width), np.repeat(y, width))
    d2 = np.where(valid.ravel(), d2, np.inf).reshape(-1, width)
    best = np.argmin(d2, axis=1)
    rows = np.arange(len(lon))
    seg = cand[rows, best]
    t = t.reshape(-1, width)[rows, best]
    foot_lon, foot_lat = _foot_lonlat(prep, seg, t)
    _, back_az, dist = GEOD.inv(foot_lon, foot_lat, lon, lat)
    code = np.where(t <= 0.0, -1 - prep.start[seg], np.where(t >= 1.0, -1 - prep.end[seg], seg))
    return np.asarray(dist), np.asarray(back_az) + 180.0, code


def _hood_distance_two(
    prep: _Line,
    hood_1: tuple[np.ndarray, np.ndarray],
    lon_1: np.ndarray,
    lat_1: np.ndarray,
    hood_2: tuple[np.ndarray, np.ndarray],
    lon_2: np.ndarray,
    lat_2: np.ndarray,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """:func:`_hood_distance` for two batches in one vectorised call (fewer Python round trips)."""
    n = len(lon_1)
    hood = (np.concatenate([hood_1[0], hood_2[0]]), np.concatenate([hood_1[1], hood_2[1]]))
    dist, az, code = _hood_distance(prep, hood, np.concatenate([lon_1, lon_2]), np.concatenate([lat_1, lat_2]))
    return (dist[:n], az[:n], code[:n]), (dist[n:], az[n:], code[n:])


def _drop_hidden(
    prep: _Line, lon: np.ndarray, lat: np.ndarray, gen: np.ndarray, bounds: np.ndarray, width_m: float
) -> np.ndarray:
    """Mask of ring vertices to keep: drop those that a neighbouring generator shows to lie inside the strip.

    The rings lie one after the other, ring ``r`` at ``bounds[r]:bounds[r + 1]``;
    each is treated as if alone (its passes stop when it has nothing left to
    drop), and the distances of all rings are measured together.
    """
    alive = np.ones(len(lon), dtype=bool)
    limit = width_m - _HIDDEN_M
    going = list(range(len(bounds) - 1))
    for _ in range(_HIDDEN_PASSES):
        pairs: list[tuple[int, np.ndarray, np.ndarray]] = []
        for r in going:
            idx = bounds[r] + np.nonzero(alive[bounds[r] : bounds[r + 1]])[0]
            if len(idx) < 4:
                continue
            nxt = np.roll(idx, -1)
            crease = ~_smooth(prep, gen[idx], gen[nxt])
            if crease.any():
                pairs.append((r, idx[crease], nxt[crease]))
        if not pairs:
            break
        i, j = np.concatenate([p[1] for p in pairs]), np.concatenate([p[2] for p in pairs])
        (d_i, _, _), (d_j, _, _) = _hood_distance_two(
            prep, _hood(prep, gen[j], gen[i]), lon[i], lat[i], _hood(prep, gen[i], gen[j]), lon[j], lat[j]
        )
        going = []
        start = 0
        for r, i_r, j_r in pairs:
            stop = start + len(i_r)
            hidden = np.concatenate([i_r[d_i[start:stop] < limit], j_r[d_j[start:stop] < limit]])
            if len(hidden):
                alive[hidden] = False
                going.append(r)
            start = stop
    return alive


def _crease_points(
    prep: _Line, lon: np.ndarray, lat: np.ndarray, gen_a: np.ndarray, gen_b: np.ndarray, width_m: float
) -> tuple[np.ndarray, ...]:
    """Points at width_m from both generators (Newton), started between ring vertices (lon, lat pairs).

    Returns lon, lat, whether it converged, and the generator codes actually
    nearest on each side.
    """
    hood_a, hood_b = _hood(prep, gen_a, gen_b), _hood(prep, gen_b, gen_a)
    c_lon, c_lat = lon.mean(axis=1), lat.mean(axis=1)
    ok = np.ones(len(gen_a), dtype=bool)
    active = np.arange(len(gen_a))
    for _ in range(_NEWTON_STEPS):
        sub_a, sub_b = (hood_a[0][active], hood_a[1][active]), (hood_b[0][active], hood_b[1][active])
        (d_a, az_a, _), (d_b, az_b, _) = _hood_distance_two(
            prep, sub_a, c_lon[active], c_lat[active], sub_b, c_lon[active], c_lat[active]
        )
        r_a, r_b = width_m - d_a, width_m - d_b
        moving = (np.abs(r_a) > _NEWTON_STOP_M) | (np.abs(r_b) > _NEWTON_STOP_M)
        active, r_a, r_b, az_a, az_b = active[moving], r_a[moving], r_b[moving], az_a[moving], az_b[moving]
        if len(active) == 0:
            break
        ga_x, ga_y = np.sin(np.radians(az_a)), np.cos(np.radians(az_a))
        gb_x, gb_y = np.sin(np.radians(az_b)), np.cos(np.radians(az_b))
        det = ga_x * gb_y - ga_y * gb_x
        ok[active] &= np.abs(det) > _MIN_GRADIENT_SIN
        det = np.where(ok[active], det, 1.0)
        east = np.where(ok[active], (r_a * gb_y - r_b * ga_y) / det, 0.0)
        north = np.where(ok[active], (ga_x * r_b - gb_x * r_a) / det, 0.0)
        c_lon[active], c_lat[active] = _fwd(
            c_lon[active], c_lat[active], np.degrees(np.arctan2(east, north)), np.hypot(east, north)
        )
    (d_a, _, code_a), (d_b, _, code_b) = _hood_distance_two(prep, hood_a, c_lon, c_lat, hood_b, c_lon, c_lat)
    ok &= (np.abs(d_a - width_m) < _NEWTON_OK_M) & (np.abs(d_b - width_m) < _NEWTON_OK_M)
    return c_lon, c_lat, ok, code_a, code_b


def _snap_rings(prep: _Line, rings: list[np.ndarray], width_m: float) -> list[np.ndarray]:
    """Turn guide rings (frame metres) into strip rings (unwrapped lon/lat degrees, not closed), in their order.

    Each ring is snapped as if alone (a ring left with fewer than three
    vertices comes back empty); every step is measured for all rings at once,
    point by point, so the rings share the calls (a 10 km strip has three).
    """
    radius_m = width_m * prep.scale * (1.0 + 2.0 * _SIMPLIFY_SHARE) + 1.0
    if not rings:
        return []
    bounds = np.cumsum([0] + [len(xy) for xy in rings])
    xy = np.concatenate(rings)
    seg = _nearest_segments(prep, xy[:, 0], xy[:, 1], radius_m)
    lon_all, lat_all, gen_all = _snap(prep, xy[:, 0], xy[:, 1], seg, width_m)
    alive = _drop_hidden(prep, lon_all, lat_all, gen_all, bounds, width_m)
    states: dict[int, _RingState] = {}
    for r in range(len(rings)):
        keep = alive[bounds[r] : bounds[r + 1]]
        if keep.sum() >= 3:
            states[r] = _RingState.start(*(a[bounds[r] : bounds[r + 1]][keep] for a in (lon_all, lat_all, gen_all)))
    going = list(states)
    for _ in range(_CREASE_ROUNDS):
        # each vertex has the generator nearest on its incoming and on its outgoing side
        creases: list[tuple[int, np.ndarray, np.ndarray]] = []
        for r in going:
            s = states[r]
            nxt = np.roll(np.arange(len(s.lon)), -1)
            look = np.nonzero(s.todo)[0]
            i = look[~_smooth(prep, s.gen_out[look], s.gen_in[nxt[look]])]
            s.todo[:] = False
            if len(i):
                creases.append((r, i, nxt[i]))
        if not creases:
            break
        ends = zip(*(states[r].ends(i, j) for r, i, j in creases), strict=True)  # every ring's, joined
        lon_i, lon_j, lat_i, lat_j, gen_i, gen_j = (np.concatenate(parts) for parts in ends)
        c_lon, c_lat, ok, code_a, code_b = _crease_points(
            prep, np.column_stack([lon_i, lon_j]), np.column_stack([lat_i, lat_j]), gen_i, gen_j, width_m
        )
        # a third part of the line may hide the crease point: then it joins the edge
        c_x, c_y = prep.frame.project(c_lon, c_lat)
        c_seg = _nearest_segments(prep, c_x, c_y, radius_m)
        d_c, _, _ = _hood_distance(prep, _hood(prep, c_seg, c_seg), c_lon, c_lat)
        hidden = ok & (d_c < width_m - _CREASE_HIDDEN_M)
        accept = ok & ~hidden
        new_lon, new_lat, new_gen = _snap(prep, c_x[hidden], c_y[hidden], c_seg[hidden], width_m)
        going = []
        start, new_start = 0, 0
        for r, i, j in creases:
            stop = start + len(i)
            new_stop = new_start + int(hidden[start:stop].sum())
            found = slice(start, stop)
            new = slice(new_start, new_stop)
            states[r].insert(
                i,
                j,
                accept[found],
                hidden[found],
                (c_lon[found], c_lat[found], code_a[found], code_b[found]),
                (new_lon[new], new_lat[new], new_gen[new]),
            )
            going.append(r)
            start, new_start = stop, new_stop
    _drop_third(prep, states, width_m)
    return [
        np.column_stack([states[r].lon, states[r].lat]) if r in states else np.empty((0, 2)) for r in range(len(rings))
    ]


@dataclasses.dataclass
class _RingState:
    """One ring's vertices during the crease rounds of :func:`_snap_rings`.

    ``gen_in``/``gen_out``: the generator nearest on the incoming and on the
    outgoing side of each vertex; ``key``: the order along the ring; ``todo``:
    the edge to the next vertex still needs a look; ``third``: snapped to a
    third generator during crease rounds.
    """

    lon: np.ndarray
    lat: np.ndarray
    gen_in: np.ndarray
    gen_out: np.ndarray
    key: np.ndarray
    todo: np.ndarray
    third: np.ndarray

    @classmethod
    def start(cls, lon: np.ndarray, lat: np.ndarray, gen: np.ndarray) -> _RingState:
        """Return the state of a snapped ring before its crease rounds."""
        n = len(lon)
        return cls(
            lon, lat, gen, gen.copy(), np.arange(n, dtype=float), np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        )

    def ends(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, ...]:
        """Return the edges ``i`` → ``j``: lon of both ends, lat of both ends, and the generators facing the edge."""
        return self.lon[i], self.lon[j], self.lat[i], self.lat[j], self.gen_out[i], self.gen_in[j]

    def insert(
        self,
        i: np.ndarray,
        j: np.ndarray,
        accept: np.ndarray,
        hidden: np.ndarray,
        found: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
        snapped: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> None:
        """Put the crease points between vertices ``i`` and ``j``: accepted ones, and hidden ones snapped anew.

        ``found`` holds every crease point's lon, lat and generators on each
        side; ``snapped`` the hidden ones' lon, lat and generator.
        """
        c_lon, c_lat, code_a, code_b = found
        new_lon, new_lat, new_gen = snapped
        key_j = np.where(self.key[j] > self.key[i], self.key[j], self.key[i] + 1.0)
        mid = (self.key[i] + key_j) / 2.0
        added = int(accept.sum() + hidden.sum())
        self.todo[i[accept | hidden]] = True
        lon = np.concatenate([self.lon, c_lon[accept], new_lon])
        lat = np.concatenate([self.lat, c_lat[accept], new_lat])
        gen_in = np.concatenate([self.gen_in, code_a[accept], new_gen])
        gen_out = np.concatenate([self.gen_out, code_b[accept], new_gen])
        key = np.concatenate([self.key, mid[accept], mid[hidden]])
        todo = np.concatenate([self.todo, np.ones(added, dtype=bool)])
        extra = np.concatenate([np.zeros(int(accept.sum()), dtype=bool), np.ones(int(hidden.sum()), dtype=bool)])
        third = np.concatenate([self.third, extra])
        order = np.argsort(key, kind="stable")
        self.lon, self.lat, self.gen_in, self.gen_out = lon[order], lat[order], gen_in[order], gen_out[order]
        self.key, self.todo, self.third = key[order], todo[order], third[order]


def _drop_third(prep: _Line, states: dict[int, _RingState], width_m: float) -> None:
    """Drop each ring's third-generator vertices that fall outside their own short stretch of edge.

    A vertex snapped to a third generator during the crease rounds may be
    hidden by the generators of its neighbours; all rings are measured together.
    """
    limit = width_m - _HIDDEN_M
    looks = []
    for r, s in states.items():
        k = np.nonzero(s.third)[0]
        if len(k):
            looks.append((r, k, (k - 1) % len(s.lon), (k + 1) % len(s.lon)))
    if not looks:
        return

    def joined(pick: Callable[[_RingState, np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        return np.concatenate([pick(states[r], k, before, after) for r, k, before, after in looks])

    k_in = joined(lambda s, k, _b, _a: s.gen_in[k])
    k_lon, k_lat = joined(lambda s, k, _b, _a: s.lon[k]), joined(lambda s, k, _b, _a: s.lat[k])
    (d_before, _, _), (d_after, _, _) = _hood_distance_two(
        prep,
        _hood(prep, joined(lambda s, _k, b, _a: s.gen_in[b]), k_in),
        k_lon,
        k_lat,
        _hood(prep, joined(lambda s, _k, _b, a: s.gen_out[a]), k_in),
        k_lon,
        k_lat,
    )
    start = 0
    for r, k, _, _ in looks:
        stop = start + len(k)
        s = states[r]
        keep = np.ones(len(s.lon), dtype=bool)
        keep[k[(d_before[start:stop] < limit) | (d_after[start:stop] < limit)]] = False
        s.lon, s.lat = s.lon[keep], s.lat[keep]
        start = stop


def _finish(strip: shapely.Geometry, shift_deg: float) -> shapely.Polygon | shapely.MultiPolygon:
    """Shift back from the unwrapped frame, cut at ±180°, keep polygons, orient exteriors counter-clockwise."""

    def shifted(geometry: shapely.Geometry, dx_deg: float) -> shapely.Geometry:
        return shapely.transform(geometry, lambda xy: xy - np.array([dx_deg, 0.0]))

    if shift_deg:
        strip = shifted(strip, shift_deg)
    xmin, _, xmax, _ = shapely.bounds(strip)
    pieces: list[shapely.Polygon] = []
    for turn in range(math.floor((xmin + 180.0) / 360.0), math.ceil((xmax - 180.0) / 360.0) + 1):
        west = -180.0 + 360.0 * turn
        if west <= xmin and xmax <= west + 360.0:
            piece = strip
        else:
            piece = shapely.intersection(strip, shapely.box(west, -90.0, west + 360.0, 90.0))
        if turn:
            piece = shifted(piece, west + 180.0)
        pieces.extend(p for p in shapely.get_parts(piece) if isinstance(p, shapely.Polygon) and not p.is_empty)
    result = shapely.MultiPolygon(pieces) if len(pieces) > 1 else pieces[0]
    return shapely.orient_polygons(result)
