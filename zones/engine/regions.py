"""What a zone covers, region by region: Natural Earth admin-1 provinces, oblasts, counties.

Regions come from ``geodata/regions.parquet`` and tile their countries, so a
country's affected land is the sum of its regions' affected land. Only the
countries within 2,000 km of a line that any reading of the draft can draw
have regions; others (reachable only with custom sides) get none.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Final

import geopandas as gpd
import numpy as np
import shapely

from geodata import load_regions
from geodata.geodesy import geodesic_area_km2, polygonal_each
from geodata.loader import lonlat_frame
from zones.engine.contact import Sides
from zones.engine.impact import Hulls, affected_countries, intersection_in_box, meeting_and_inside, side_of
from zones.engine.population import people_in, places_inside
from zones.settings import COUNTRY_PARTS, MIN_AFFECTED_AREA_KM2

REGION_COLUMNS: Final = (
    "adm0_a3",
    "iso_3166_2",
    "adm1_code",
    "name",
    "type",
    "side",
    "area_km2",
    "region_area_km2",
    "share",
    "population",
)

#: A country's share of its whole land (``share_whole_country``, remote parts included) at or above which all
#: its regions are taken whole. Not its ``share``: that is of its stated part (mainland Norway), which can be all
#: in the zone while a remote part (Svalbard) is not.
WHOLE_SHARE: Final = 1.0


@functools.cache
def region_arrays() -> dict[str, np.ndarray]:
    """Return the regions' columns as read-only arrays and their spatial index, made once per process."""
    regions = load_regions()
    arrays = {name: regions[name].to_numpy() for name in ("adm1_code", "adm0_a3", "iso_3166_2", "name", "type")}
    arrays["area_km2"] = regions["area_km2"].to_numpy(dtype=float)
    arrays["geometry"] = regions.geometry.to_numpy()
    for array in arrays.values():
        array.flags.writeable = False
    return arrays


@functools.cache
def region_hulls() -> Hulls:
    """Return the regions' convex hulls, each made when first asked for (positions as in :func:`region_arrays`)."""
    return Hulls(region_arrays()["geometry"])


@functools.cache
def region_tree() -> shapely.STRtree:
    """Return a spatial index of the regions (positions as in :func:`region_arrays`)."""
    return shapely.STRtree(region_arrays()["geometry"])


def regions_with_data() -> frozenset[str]:
    """Return the ``adm0_a3`` codes of the countries that have regions."""
    return frozenset(region_arrays()["adm0_a3"])


@dataclasses.dataclass(frozen=True)
class Crossed:
    """The regions a zone meets, and their land in it: the part of :func:`affected_regions` that needs only the zone.

    Attributes
    ----------
    positions : numpy.ndarray of int
        The regions that meet the zone (positions as in :func:`region_arrays`), in the spatial index's order.
    inside : numpy.ndarray of bool
        Which of them lie wholly inside it (``contains_properly``).
    pieces : numpy.ndarray of shapely geometry
        Each region's land in the zone (MultiPolygon), ``None`` where ``inside``.
    area_km2 : numpy.ndarray of float
        The pieces' geodesic areas, NaN where ``inside``.
    counted : numpy.ndarray of float
        The region's places in each piece (:func:`zones.engine.population.places_inside`),
        NaN where ``inside`` or no place lies in the piece's box.
    """

    positions: np.ndarray
    inside: np.ndarray
    pieces: np.ndarray
    area_km2: np.ndarray
    counted: np.ndarray


def crossed_regions(zone: shapely.Geometry) -> Crossed:
    """Return the regions that ``zone`` meets, and for those it cuts their land in it, its area and its places.

    Every answer is each region's own (element-wise), so a selection of
    this is what :func:`affected_regions` would compute for that selection.
    Needs only the zone, so it can run beside the countries' overlay
    (:func:`zones.engine.analysis.analyse`; it prepares ``zone``).

    Parameters
    ----------
    zone : shapely geometry
        The whole zone (all sides), EPSG:4326, not empty.

    Returns
    -------
    Crossed
    """
    arrays = region_arrays()
    hits = region_tree().query(zone)  # boxes that meet; the regions themselves are tested below
    meets, inside = meeting_and_inside(zone, arrays["geometry"][hits], region_hulls().at(hits))
    hits, inside = hits[meets], inside[meets]
    pieces = np.full(len(hits), None, dtype=object)
    area_km2 = np.full(len(hits), np.nan)
    pieces[~inside] = polygonal_each(intersection_in_box(arrays["geometry"][hits[~inside]], zone))
    area_km2[~inside] = geodesic_area_km2(pieces[~inside])
    counted = np.full(len(hits), np.nan)
    counted[~inside] = places_inside(pieces[~inside], arrays["adm1_code"][hits[~inside]], column=3)
    return Crossed(positions=hits, inside=inside, pieces=pieces, area_km2=area_km2, counted=counted)


def affected_regions(
    zone: shapely.Geometry, affected: gpd.GeoDataFrame, sides: Sides, *, crossed: Crossed | None = None
) -> gpd.GeoDataFrame:
    """Return every region with land in ``zone``: area, share, people and side.

    Parameters
    ----------
    zone : shapely geometry
        The whole zone (all sides), EPSG:4326.
    affected : geopandas.GeoDataFrame
        The affected countries of ``zone`` (:func:`zones.engine.impact.affected_countries`):
        the regions of these countries are measured, those of countries
        wholly inside are taken whole.
    sides : Sides
        The two sides, to label each region ``russia``, ``nato`` or ``third``.
    crossed : Crossed, optional
        :func:`crossed_regions` of ``zone``, when the caller has it (made
        here by default).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`REGION_COLUMNS`: ``area_km2`` is the region's land in
        the zone (geodesic), ``region_area_km2`` the whole region's,
        ``share`` their ratio (0–1) and ``population`` the estimated people in
        the affected part (:mod:`zones.engine.population`); the affected part as
        MultiPolygon geometry, EPSG:4326, largest first.
    """
    if shapely.is_empty(zone) or len(affected) == 0:  # an analysis without regions: the same empty frame
        return _no_regions(sides).copy()
    return _measured(zone, affected, sides, crossed=crossed)


@functools.lru_cache(maxsize=8)
def _no_regions(sides: Sides) -> gpd.GeoDataFrame:
    """Return :func:`affected_regions` of an empty zone (kept: callers get copies)."""
    empty = shapely.MultiPolygon()
    return _measured(empty, affected_countries(empty, sides), sides)


def _measured(
    zone: shapely.Geometry, affected: gpd.GeoDataFrame, sides: Sides, *, crossed: Crossed | None = None
) -> gpd.GeoDataFrame:
    """Return :func:`affected_regions` (no shortcut)."""
    arrays = region_arrays()
    positions: list[np.ndarray] = []
    pieces: list[np.ndarray] = []
    owner_codes: list[np.ndarray] = []
    taken_whole: list[np.ndarray] = []
    areas: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    # plain arrays: a pandas .loc on the frame took a millisecond
    affected_codes = affected["adm0_a3"].to_numpy(dtype=object)
    if not shapely.is_empty(zone) and len(affected):
        if crossed is None:
            crossed = crossed_regions(zone)
        hits, inside = crossed.positions, crossed.inside
        listed = set(affected_codes)
        # A part listed with its country (Åland with Finland) brings its regions to the country's row.
        folded = {part: whole for part, whole in COUNTRY_PARTS.items() if part not in listed and whole in listed}
        owners = arrays["adm0_a3"][hits]  # a copy (fancy indexing)
        for part, whole_code in folded.items():
            owners[owners == part] = whole_code
        keep_hits = np.isin(owners, list(listed))
        hits, owners, inside = hits[keep_hits], owners[keep_hits], inside[keep_hits]
        full = set(affected_codes[affected["share_whole_country"].to_numpy(dtype=float) >= WHOLE_SHARE])
        whole = np.isin(owners, list(full)) | inside
        cut = arrays["geometry"][hits]  # a copy (fancy indexing)
        cut[~whole] = crossed.pieces[keep_hits][~whole]
        area_km2 = arrays["area_km2"][hits]
        area_km2[~whole] = crossed.area_km2[keep_hits][~whole]
        positions.append(hits)
        pieces.append(cut)
        owner_codes.append(owners)
        taken_whole.append(whole)
        areas.append(area_km2)
        counts.append(crossed.counted[keep_hits])
    index = np.concatenate(positions) if positions else np.zeros(0, dtype=np.intp)
    geometry = np.concatenate(pieces) if pieces else np.zeros(0, dtype=object)
    codes = np.concatenate(owner_codes) if owner_codes else np.zeros(0, dtype=object)
    region_area_km2 = arrays["area_km2"][index]
    whole_area = np.concatenate(taken_whole) if taken_whole else np.zeros(0, dtype=bool)  # the region itself
    area_km2 = np.concatenate(areas) if areas else np.zeros(0)
    counted = np.concatenate(counts) if counts else np.zeros(0)  # read where not taken whole
    keep = area_km2 > MIN_AFFECTED_AREA_KM2
    index, geometry, area_km2, region_area_km2 = index[keep], geometry[keep], area_km2[keep], region_area_km2[keep]
    whole_area, codes, counted = whole_area[keep], codes[keep], counted[keep]
    share = np.clip(area_km2 / region_area_km2, 0.0, 1.0)
    country_area = dict(zip(affected_codes, affected["country_area_km2"].to_numpy(dtype=float), strict=True))
    country_share = area_km2 / np.array([country_area[c] for c in codes], dtype=float)
    population = people_in(
        geometry,
        codes,
        area_share=country_share,
        regions=arrays["adm1_code"][index],
        whole=whole_area,
        counted=counted,
    )
    order = np.lexsort((arrays["adm1_code"][index], -area_km2))
    index = index[order]
    return lonlat_frame(
        {
            "adm0_a3": codes[order],
            "iso_3166_2": arrays["iso_3166_2"][index],
            "adm1_code": arrays["adm1_code"][index],
            "name": arrays["name"][index],
            "type": arrays["type"][index],
            "side": side_of(codes[order], sides),
            "area_km2": area_km2[order],
            "region_area_km2": region_area_km2[order],
            "share": share[order],
            "population": population[order],
        },
        geometry[order],
    )
