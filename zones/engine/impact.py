"""What a strip covers: affected countries, their areas and shares, totals by side."""

from __future__ import annotations

import functools
from typing import Any, Final, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import load_countries
from geodata.geodesy import geodesic_area_km2, polygonal, polygonal_each
from geodata.loader import lonlat_frame
from zones.engine.contact import Sides
from zones.engine.denominators import country_area_km2 as stated_area_km2
from zones.engine.denominators import denominator, remote_areas_km2, remote_boxes
from zones.engine.population import people_in
from zones.settings import COUNTRY_PARTS, MIN_AFFECTED_AREA_KM2

#: Side labels: a party's side, or a country that is neither.
SIDES: Final = ("russia", "nato", "third")

#: Countries are cut to the zone's bounds widened by this much, in degrees, before the overlay.
_CLIP_MARGIN_DEG: Final = 0.01
#: A zone's polygons this far apart in longitude, in degrees, are cut apart (:func:`_clusters`).
_CLUSTER_GAP_DEG: Final = 10.0

AFFECTED_COLUMNS: Final = (
    "adm0_a3",
    "name",
    "side",
    "area_km2",
    "country_area_km2",
    "share",
    "denominator",
    "share_whole_country",
    "population",
)


def side_of(codes: np.ndarray, sides: Sides) -> np.ndarray:
    """Return ``"russia"``, ``"nato"`` or ``"third"`` for each feature code."""
    russia, nato = set(sides.features("russia")), set(sides.features("nato"))
    return np.array(["russia" if c in russia else "nato" if c in nato else "third" for c in codes], dtype=object)


@functools.cache
def _country_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the countries' codes, names, geometries and areas (km²) as arrays, made once per process.

    Plain arrays: pandas indexing on the string index took a tenth of an analysis.
    """
    countries = load_countries()
    arrays = (
        countries.index.to_numpy(dtype=object),
        countries["name"].to_numpy(dtype=object),
        countries.geometry.to_numpy(),
        countries["area_km2"].to_numpy(dtype=float),
    )
    frozen = cast(
        "tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]", tuple(np.array(a, copy=True) for a in arrays)
    )  # own copies: the shared frame stays as it is
    for array in frozen:
        array.flags.writeable = False
    return frozen


@functools.cache
def _country_tree() -> shapely.STRtree:
    """Return a spatial index of the countries (positions as in :func:`_country_arrays`), made once per process.

    ``load_countries()`` hands out a copy, whose spatial index would be built
    again on every call.
    """
    return shapely.STRtree(_country_arrays()[2])


@functools.cache
def _country_position() -> dict[str, int]:
    """Return each feature's position in :func:`_country_arrays` by its ``adm0_a3``."""
    return {str(code): i for i, code in enumerate(_country_arrays()[0])}


def _box_around(region: shapely.Geometry) -> tuple[float, float, float, float]:
    """Return a rectangle a little larger than ``region``'s bounds, to cut shapes to before they meet ``region``.

    The intersection with ``region`` stays the same point for point (the
    rectangle's new edges lie outside ``region``), and GEOS overlays fewer
    vertices: Russia's 60,000 shrink to those near the zone.
    """
    xmin, ymin, xmax, ymax = shapely.bounds(region)
    margin = _CLIP_MARGIN_DEG
    return (xmin - margin, ymin - margin, xmax + margin, ymax + margin)


def _intersection_cut(
    geometry: Any, region: shapely.Geometry, box: tuple[float, float, float, float], *, cut_region: bool
) -> Any:
    """Return ``geometry ∩ region`` (element-wise for an array), overlaying only what lies in ``box``.

    ``box`` holds the intersection with room to spare, so cutting ``geometry``
    (and ``region`` if ``cut_region``) to it first changes nothing but the
    vertices GEOS overlays. ``clip_by_rect`` may make an invalid ring (three
    points) that GEOS refuses; the whole shapes are intersected then.
    """
    try:
        other = shapely.clip_by_rect(region, *box) if cut_region else region
        return shapely.intersection(shapely.clip_by_rect(geometry, *box), other)
    except shapely.errors.GEOSException:
        return shapely.intersection(geometry, region)


def _clusters(region: shapely.Geometry) -> list[shapely.Geometry]:
    """Return ``region``'s polygons grouped into clusters more than :data:`_CLUSTER_GAP_DEG` of longitude apart.

    A zone of a line with sea borders has a European part and one each side
    of the antimeridian in the Bering Strait; their common bounding box is
    the whole band of latitudes round the globe, so a cut to it keeps all of
    Russia. Cut to each cluster's own box, Russia shrinks to the land near it.
    """
    parts = shapely.get_parts(shapely.get_parts(region))
    if len(parts) < 2:
        return [region]
    boxes = shapely.bounds(parts)
    order = np.argsort(boxes[:, 0], kind="stable")
    groups: list[list[int]] = []
    reach = -np.inf
    for i in order:
        if not groups or boxes[i, 0] > reach + _CLUSTER_GAP_DEG:
            groups.append([])
        groups[-1].append(int(i))
        reach = max(reach, boxes[i, 2]) if len(groups[-1]) > 1 else boxes[i, 2]
    if len(groups) < 2:
        return [region]
    return [shapely.MultiPolygon(list(parts[np.sort(group)])) for group in groups]


def _cut_by_clusters(geometries: np.ndarray, region: shapely.Geometry) -> np.ndarray:
    """Return each of ``geometries`` intersected with ``region``, cluster by cluster (:func:`_clusters`).

    With one cluster (every zone without the Bering Strait) this is the one
    intersection with ``geometries`` cut to ``region``'s box; with more, each
    cluster is intersected in its common box with each geometry and the
    (disjoint) pieces put side by side.
    """
    clusters = _clusters(region)
    if len(clusters) == 1:
        return np.asarray(_intersection_cut(geometries, region, _box_around(region), cut_region=False), dtype=object)
    pieces = [intersection_in_box(geometries, cluster) for cluster in clusters]
    return np.array(
        [
            shapely.MultiPolygon(list(np.concatenate([shapely.get_parts(polygonal(p[i])) for p in pieces])))
            for i in range(len(geometries))
        ],
        dtype=object,
    )


def intersection_in_box(geometries: np.ndarray, region: shapely.Geometry) -> np.ndarray:
    """Return each of ``geometries`` intersected with ``region``, both first cut to their common bounding box.

    The intersection is the same point for point (the cut's new edges lie
    outside the common box's contents, a margin of :data:`_CLIP_MARGIN_DEG`
    away), and GEOS overlays only the vertices near each other: a region
    crossed by a thin 10 km zone meets only the zone's few kilometres beside
    it, not its whole length (the regions' intersections took half the time
    at 10–50 km, the same at 500–1,000 km, measured).

    Parameters
    ----------
    geometries : numpy.ndarray of shapely geometry
        Polygons or MultiPolygons, EPSG:4326.
    region : shapely geometry
        The zone (or any Polygon or MultiPolygon), EPSG:4326.

    Returns
    -------
    numpy.ndarray of shapely geometry
        ``geometries[i] ∩ region`` for each ``i``.
    """
    out = np.empty(len(geometries), dtype=object)
    if len(geometries) == 0:
        return out
    margin = _CLIP_MARGIN_DEG
    bounds = shapely.bounds(region)
    boxes = shapely.bounds(geometries)
    low = np.maximum(boxes[:, :2], bounds[:2]) - margin
    high = np.minimum(boxes[:, 2:], bounds[2:]) + margin
    apart = (low >= high).any(axis=1)  # boxes apart: nothing in common
    out[apart] = shapely.MultiPolygon()
    todo = np.flatnonzero(~apart)
    xmin, ymin, xmax, ymax = low[todo, 0], low[todo, 1], high[todo, 0], high[todo, 1]
    try:  # every box at once: shapely.clip_by_rect takes one box, its ufunc (shapely.lib) an array of them
        cut = shapely.lib.clip_by_rect(geometries[todo], xmin, ymin, xmax, ymax)
        cut_region = shapely.lib.clip_by_rect(np.full(len(todo), region, dtype=object), xmin, ymin, xmax, ymax)
        out[todo] = shapely.intersection(cut, cut_region)
    except shapely.errors.GEOSException:  # one by one, each with its own fallback
        for i, box in zip(todo, zip(xmin, ymin, xmax, ymax, strict=True), strict=True):
            out[i] = _intersection_cut(geometries[i], region, box, cut_region=True)
    return out


def meeting_and_inside(
    region: shapely.Geometry, geometries: np.ndarray, hulls: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``shapely.intersects(region, g)`` and ``shapely.contains_properly(region, g)`` for each ``g``, exactly.

    Cheap tests answer first: a geometry whose bounding box does not lie
    within ``region``'s is not inside it, and one whose convex hull lies
    inside ``region`` (``hulls``, the geometries' convex hulls, far fewer
    vertices) is inside it and meets it; one whose hull does not meet
    ``region`` does not meet it either. Only the rest are tested on their
    own vertices. A 1,000 km zone holds 600 whole regions; their own tests
    took 9 ms of an analysis, their hulls' 1 ms.

    Parameters
    ----------
    region : shapely geometry
        Polygon or MultiPolygon (prepared here).
    geometries, hulls : numpy.ndarray of shapely geometry
        Polygons or MultiPolygons, and their convex hulls, in the same order.

    Returns
    -------
    tuple of numpy.ndarray of bool
        ``meets`` and ``inside`` (``inside`` implies ``meets``).
    """
    shapely.prepare(region)
    inside = np.zeros(len(geometries), dtype=bool)
    xmin, ymin, xmax, ymax = shapely.bounds(region)
    boxes = shapely.bounds(geometries).reshape(-1, 4)
    may = (boxes[:, 0] >= xmin) & (boxes[:, 1] >= ymin) & (boxes[:, 2] <= xmax) & (boxes[:, 3] <= ymax)
    may_at = np.flatnonzero(may)
    inside[may_at] = shapely.contains_properly(region, hulls[may_at])  # hull inside: the geometry too
    rest = may & ~inside
    inside[rest] = shapely.contains_properly(region, geometries[rest])
    meets = inside.copy()
    outside = np.flatnonzero(~inside)
    near = outside[shapely.intersects(region, hulls[outside])]  # a hull apart: the geometry too
    meets[near] = shapely.intersects(region, geometries[near])
    return meets, inside


class Hulls:
    """Convex hulls of a fixed array of geometries, each made the first time it is asked for.

    For :func:`meeting_and_inside`: all 250 countries' hulls at once took 50 ms,
    in every fresh process, and an analysis meets a few dozen of them.
    Hulls are kept in a private array; callers get copies.
    """

    def __init__(self, geometries: np.ndarray) -> None:
        self._geometries = geometries
        self._hulls = np.full(len(geometries), None, dtype=object)

    def at(self, positions: np.ndarray) -> np.ndarray:
        """Return the convex hulls of the geometries at ``positions`` (a new array)."""
        missing = positions[self._hulls[positions] == None]  # noqa: E711 (element-wise)
        if missing.size:
            self._hulls[missing] = shapely.convex_hull(self._geometries[missing])
        found: np.ndarray = self._hulls[positions]
        return found


@functools.cache
def _country_hulls() -> Hulls:
    """Return the countries' :class:`Hulls` (positions as in :func:`_country_arrays`), one per process."""
    return Hulls(_country_arrays()[2])


def _land(region: shapely.Geometry, codes: tuple[str, ...] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(positions, area_km2, pieces)`` of the countries with land in ``region`` (see :func:`land_inside`).

    ``positions`` index the rows of :func:`geodata.load_countries`, in its order.
    """
    nothing = np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0, dtype=object)
    if shapely.is_empty(region):
        return nothing
    all_codes, _names, geoms, areas = _country_arrays()
    hits = np.sort(_country_tree().query(region))  # boxes that meet; the countries themselves are tested below
    if codes is not None:
        hits = hits[np.isin(all_codes[hits], list(codes))]
    meets, inside = meeting_and_inside(region, geoms[hits], _country_hulls().at(hits))
    hits, inside = hits[meets], inside[meets]
    if hits.size == 0:
        return nothing
    candidates = geoms[hits]
    # Countries wholly inside keep their geometry and precomputed area.
    pieces = candidates.copy()
    pieces[~inside] = polygonal_each(_cut_by_clusters(candidates[~inside], region))
    area_km2 = areas[hits]  # a copy (fancy indexing)
    area_km2[~inside] = geodesic_area_km2(pieces[~inside])
    keep = area_km2 > MIN_AFFECTED_AREA_KM2
    return hits[keep], area_km2[keep], pieces[keep]


def land_inside(region: shapely.Geometry, codes: tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    """Return each country's land inside ``region``, with its geodesic area.

    Parameters
    ----------
    region : shapely geometry
        Polygon or MultiPolygon, EPSG:4326.
    codes : tuple of str, optional
        Limit to these ``ADM0_A3`` features; all features by default.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adm0_a3``, ``area_km2`` and MultiPolygon geometry, one row per
        country with land inside, EPSG:4326.
    """
    found, area_km2, pieces = land_pieces(region, codes)
    return gpd.GeoDataFrame({"adm0_a3": found, "area_km2": area_km2}, geometry=pieces, crs="EPSG:4326")


def land_pieces(region: shapely.Geometry, codes: tuple[str, ...] | None = None) -> tuple[np.ndarray, ...]:
    """Return :func:`land_inside` as plain arrays ``(adm0_a3, area_km2, pieces)``, for loops that need no frame."""
    positions, area_km2, pieces = _land(region, codes)
    return _country_arrays()[0][positions], area_km2, pieces


def affected_countries(
    strip: shapely.Geometry, sides: Sides, *, land: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
) -> gpd.GeoDataFrame:
    """Return every country with land in ``strip``: area, share and side.

    Parameters
    ----------
    strip : shapely geometry
        The whole strip (all sides), EPSG:4326.
    sides : Sides
        The two sides, to label each country ``russia``, ``nato`` or ``third``.
    land : tuple of numpy.ndarray, optional
        Each country's land in ``strip``, ``(adm0_a3, area_km2, pieces)`` as
        :func:`land_pieces` gives it, when the caller has it already (a
        clipped zone is made of it: :func:`zones.engine.zone.zone_and_land`);
        ``strip`` is then not read. By default every country is cut with ``strip``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``adm0_a3``, ``name``, ``side``, ``area_km2`` (affected land,
        geodesic), ``country_area_km2`` (the whole feature's land), ``share``
        (0–1) of the country's stated part, named by ``denominator``
        (``"mainland Norway"``, ``"metropolitan France"`` …, else
        ``"whole country"``: :mod:`zones.engine.denominators`),
        ``share_whole_country`` (``area_km2 / country_area_km2``),
        ``population`` (estimated people in the affected land, see
        :mod:`zones.engine.population`) and the affected land as MultiPolygon
        geometry, EPSG:4326, sorted by affected area, largest first.
    """
    if land is None:
        positions, area_km2, pieces = _land(strip, None)
    else:  # in the order _land gives
        order = np.argsort(np.array([_country_position()[str(code)] for code in land[0]], dtype=np.intp))
        positions = np.array([_country_position()[str(code)] for code in land[0]], dtype=np.intp)[order]
        area_km2, pieces = land[1][order], land[2][order]
    all_codes, names, _geoms, areas = _country_arrays()
    codes, country_area_km2 = all_codes[positions], areas[positions]
    names = names[positions]
    if np.isin(codes, list(COUNTRY_PARTS)).any() or np.isin(codes, list(COUNTRY_PARTS.values())).any():
        codes, names, area_km2, country_area_km2, pieces = _with_parts_merged(
            codes, names, area_km2, country_area_km2, pieces, sides=sides
        )
    order = np.lexsort((codes, -area_km2))  # largest first, ties by code
    codes, area_km2, country_area_km2 = codes[order], area_km2[order], country_area_km2[order]
    share_whole = np.clip(area_km2 / country_area_km2, 0.0, 1.0)
    pieces = pieces[order]
    share = share_whole.copy()
    remote = np.array([bool(remote_boxes(code)) for code in codes], dtype=bool)
    unsettled_km2 = np.zeros(len(codes))  # the people's (zones.engine.population), from the same cut
    if remote.any():  # the share of the stated part: the land in the remote parts leaves both sides of the ratio
        stated_km2 = np.array([stated_area_km2(code, stated=True) for code in codes[remote]])
        far_km2, unsettled_km2[remote] = remote_areas_km2(pieces[remote], codes[remote])
        share[remote] = np.clip((area_km2[remote] - far_km2) / stated_km2, 0.0, 1.0)
    return lonlat_frame(
        {
            "adm0_a3": codes,
            "name": names[order],
            "side": side_of(codes, sides),
            "area_km2": area_km2,
            "country_area_km2": country_area_km2,
            "share": share,
            "denominator": [denominator(code) for code in codes],
            "share_whole_country": share_whole,
            "population": people_in(
                pieces, codes, area_share=share_whole, whole=share_whole >= 1.0, unsettled_km2=unsettled_km2
            ),
        },
        pieces,
    )


def _with_parts_merged(
    codes: np.ndarray,
    names: np.ndarray,
    area_km2: np.ndarray,
    country_area_km2: np.ndarray,
    pieces: np.ndarray,
    *,
    sides: Sides,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the affected features with every :data:`COUNTRY_PARTS` feature folded into its country.

    The country's row gets the part's affected land and geometry, and its
    whole area grows by the part's area (Finland's land includes Åland's). A
    part put on another side than its country (custom sides) stays apart.
    """
    all_names, _geoms, areas = _country_arrays()[1:]
    position = _country_position()
    together = {
        part: whole
        for part, whole in COUNTRY_PARTS.items()
        if len(set(side_of(np.array([part, whole], dtype=object), sides))) == 1
    }
    whole_codes = np.array([together.get(c, c) for c in codes], dtype=object)
    keep = np.ones(len(codes), dtype=bool)
    out_area, out_country, out_pieces = area_km2.copy(), country_area_km2.copy(), pieces.copy()
    out_names = names.copy()
    for whole in dict.fromkeys(c for c in whole_codes if c in together.values()):
        rows = np.flatnonzero(whole_codes == whole)
        first = rows[0]
        parts = [part for part, of in together.items() if of == whole]
        out_area[first] = area_km2[rows].sum()
        out_country[first] = areas[[position[c] for c in (whole, *parts)]].sum()
        if len(rows) == 1:
            out_pieces[first] = pieces[first]
        elif _apart(tuple(codes[rows])):  # pieces of features that do not touch: their polygons side by side
            out_pieces[first] = shapely.MultiPolygon(list(shapely.get_parts(pieces[rows])))
        else:
            out_pieces[first] = polygonal(shapely.union_all(pieces[rows]))
        out_names[first] = all_names[position[whole]]
        keep[rows[1:]] = False
    return whole_codes[keep], out_names[keep], out_area[keep], out_country[keep], out_pieces[keep]


@functools.cache
def _apart(codes: tuple[str, ...]) -> bool:
    """Whether the whole features ``codes`` are pairwise disjoint (no shared point), so their pieces are too."""
    geoms = _country_arrays()[2][[_country_position()[c] for c in codes]]
    return all(shapely.disjoint(geoms[i], geoms[j]) for i in range(len(geoms)) for j in range(i + 1, len(geoms)))


def totals_by_side(affected: pd.DataFrame) -> pd.DataFrame:
    """Return affected land and country counts per side.

    Parameters
    ----------
    affected : pandas.DataFrame
        Output of :func:`affected_countries`.

    Returns
    -------
    pandas.DataFrame
        One row per side in :data:`SIDES` (zeros where nothing is affected):
        ``side``, ``countries``, ``area_km2`` (affected), ``country_area_km2``
        (whole area of the affected countries), ``share`` and ``population``
        (estimated people in the affected land). The ``share`` is of the
        countries' stated parts, as each country's own share
        (:mod:`zones.engine.denominators`: mainland Norway, metropolitan
        France …): their land in the zone over their area, so Svalbard's
        61,000 km² do not thin NATO's side's share.
    """
    side = affected["side"].to_numpy()
    area_km2 = affected["area_km2"].to_numpy(dtype=float)
    country_area_km2 = affected["country_area_km2"].to_numpy(dtype=float)
    population = affected["population"].to_numpy(dtype=np.int64)
    stated_km2, stated_in_km2 = country_area_km2.copy(), area_km2.copy()
    codes = affected["adm0_a3"].to_numpy()
    remote = np.array([bool(remote_boxes(str(code))) for code in codes], dtype=bool)
    if remote.any():  # the stated part's land in the zone is its share of the stated part's area
        stated_km2[remote] = [stated_area_km2(str(code), stated=True) for code in codes[remote]]
        stated_in_km2[remote] = affected["share"].to_numpy(dtype=float)[remote] * stated_km2[remote]
    on_side = [side == name for name in SIDES]  # plain NumPy: a pandas groupby took 10 ms here

    def per_side(values: np.ndarray) -> np.ndarray:
        return np.array([values[mask].sum() for mask in on_side])

    side_stated_km2 = per_side(stated_km2)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(side_stated_km2 > 0, per_side(stated_in_km2) / side_stated_km2, 0.0)
    return pd.DataFrame(
        {
            "side": list(SIDES),
            "countries": [int(mask.sum()) for mask in on_side],
            "area_km2": per_side(area_km2).astype(float),
            "country_area_km2": per_side(country_area_km2).astype(float),
            "population": per_side(population).astype(np.int64),
            "share": share,
        }
    )
