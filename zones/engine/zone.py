"""The Article 7 zone by side: per-side widths and clipping, composed from geodesic strips.

* **Symmetric and unclipped** (the draft's plain reading): the set of points
  within W of the contact line, whatever territory they are in. It reaches
  into third countries and the sea with round ends, as the draft's critics
  assumed. One piece, ``side = "all"``.
* **Per-side widths**: Russia's width applies on the territory of Russia's
  side, NATO's width on NATO's territory. Elsewhere (the sea and third
  countries, which the treaty would not bind) the strip reaches the *larger*
  of the two widths: the outer envelope of what either party's reading could
  touch. Pieces ``russia``, ``nato`` and ``third``.
* **Clipped**: only the parties' own land is kept (pieces ``russia`` and
  ``nato``); the sea and third countries drop out.
* **Widths per border pair** (``stretches``): a pair's width replaces the
  common width, *on both sides*, along that pair's part of the line; every
  width above is then read per stretch. Each piece is the union over
  stretches of the points within that stretch's width of that stretch (the
  rest of the line at the side's width); with per-side widths, Russia's piece
  takes Russia's width along the common stretches and the pair's width along
  its own, NATO's likewise, and the sea and third countries take, per
  stretch, the larger of the two. Clipping then works as above. A width of 0
  removes a stretch, but the strips of the neighbouring stretches still reach
  round its ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import shapely

from geodata.geodesy import geodesic_area_km2, polygonal
from geodata.loader import lonlat_frame
from zones.engine.contact import Sides
from zones.engine.impact import land_pieces
from zones.engine.strip import geodesic_buffer

ZONE_COLUMNS: Final = ("side", "width_km", "area_km2")

#: A coverage union (:func:`_dissolved`) is the union when its planar area is the pieces' sum to this share.
_COVERAGE_AREA_SHARE: Final = 1e-9

#: A part of the line (lines, EPSG:4326) with its own width in km on both sides.
Stretch = tuple[shapely.Geometry, float]


def _union(geometries: np.ndarray) -> shapely.MultiPolygon:
    """Return the polygonal union of ``geometries`` (EPSG:4326)."""
    if len(geometries) == 0:
        return shapely.MultiPolygon()
    return polygonal(shapely.union_all(geometries))


def _dissolved(pieces: np.ndarray) -> shapely.MultiPolygon:
    """Return the union of countries' land ``pieces``, dissolved along their common borders.

    The pieces of neighbouring countries in one zone share their border
    vertex for vertex (the borders are topologically exact), so
    :func:`shapely.coverage_union_all` dissolves them without noding: the
    same points as :func:`_union`, its vertices in another order, 8× faster
    (65 against 8 ms for NATO's 19 countries at 1,000 km, measured). If the
    pieces are not such a coverage (the result is invalid, or its area is not
    the pieces' sum), :func:`_union` answers.
    """
    if len(pieces) == 0:
        return shapely.MultiPolygon()
    union = polygonal(shapely.coverage_union_all(pieces))
    area = float(shapely.area(pieces).sum())
    if shapely.is_valid(union) and abs(float(shapely.area(union)) - area) <= _COVERAGE_AREA_SHARE * area:
        return union
    return _union(pieces)


def _merged(geometries: list[shapely.Geometry]) -> shapely.Geometry:
    """Return the lines of ``geometries`` as one merged line (the geometry itself when there is one)."""
    if len(geometries) == 1:
        return geometries[0]
    parts = [p for g in geometries for p in shapely.get_parts(shapely.get_parts(g)) if not p.is_empty]
    return shapely.line_merge(shapely.MultiLineString(parts))


class _Buffers:
    """Strips of the common line and the stretches, each (merged line, width) buffered once."""

    def __init__(self, line: shapely.Geometry, stretches: Sequence[Stretch]) -> None:
        self.line = line
        self.stretches = stretches
        self.kept: dict[tuple[bytes, float], shapely.Geometry] = {}

    def at(self, width_km: float) -> shapely.Geometry:
        """Return the zone with the common line at ``width_km`` and every stretch at its own width."""
        groups: dict[float, list[shapely.Geometry]] = {}
        if not shapely.is_empty(self.line):
            groups[float(width_km)] = [self.line]
        for geometry, own_km in self.stretches:
            groups.setdefault(float(own_km), []).append(geometry)
        keys = [(shapely.to_wkb(_merged(g)), w) for w, g in groups.items() if w > 0]
        missing = [key for key in keys if key not in self.kept]
        if missing:
            lines = np.array([shapely.from_wkb(wkb) for wkb, _ in missing], dtype=object)
            strips = np.asarray(geodesic_buffer(lines, np.array([w for _, w in missing], dtype=float)), dtype=object)
            self.kept.update(zip(missing, strips.tolist(), strict=True))
        if len(keys) == 1:
            return self.kept[keys[0]]
        return _union(np.array([self.kept[key] for key in keys], dtype=object))


def zone_by_side(
    line: shapely.Geometry,
    sides: Sides,
    *,
    russia_width_km: float,
    nato_width_km: float,
    clip: bool = False,
    stretches: Sequence[Stretch] = (),
) -> gpd.GeoDataFrame:
    """Return the zone along ``line``, one feature per side present (see :func:`zone_and_land`)."""
    zone, _land = zone_and_land(
        line,
        sides,
        russia_width_km=russia_width_km,
        nato_width_km=nato_width_km,
        clip=clip,
        stretches=stretches,
    )
    return zone


#: Each party country's land in a clipped zone: ``(adm0_a3, area_km2, pieces)``, as from
#: :func:`zones.engine.impact.land_pieces`.
Land = tuple[np.ndarray, np.ndarray, np.ndarray]


def zone_and_land(
    line: shapely.Geometry,
    sides: Sides,
    *,
    russia_width_km: float,
    nato_width_km: float,
    clip: bool = False,
    stretches: Sequence[Stretch] = (),
    exact_shapes: bool = True,
) -> tuple[gpd.GeoDataFrame, Land | None]:
    """Return the zone along ``line``, one feature per side present.

    Parameters
    ----------
    line : shapely geometry
        The contact line, EPSG:4326: with ``stretches``, only its part at the
        common widths (may be empty).
    sides : Sides
        The two sides, whose territories the widths apply to.
    russia_width_km, nato_width_km : float
        Widths in km from the line on Russia's and on NATO's side (validated
        upstream, 0 to 2,000 km).
    clip : bool
        Keep only the parties' own land.
    stretches : sequence of (shapely geometry, float)
        Parts of the line (border pairs) with their own width in km on both
        sides (validated upstream, 0 to 2,000 km); see the module docstring.
    exact_shapes : bool
        With ``False``, a clipped side's shape is only to be drawn: its
        countries' land is dissolved along their common borders
        (:func:`shapely.coverage_union_all`), the same points as their union
        with its vertices in another order, 8× faster. Areas and every number
        stay the same.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``side`` (``all``, ``russia``, ``nato`` or ``third``),
        ``width_km`` (the side's common width), ``area_km2`` (geodesic) and
        (Multi)Polygon geometry, EPSG:4326; sides with no area are left out.
    Land or None
        With ``clip``, each party country's land in the zone, from which the
        zone was made (:func:`zones.engine.impact.affected_countries` takes it
        instead of cutting every country with the zone again); else ``None``.
        A clipped side's area is the sum of its countries' (they do not overlap).
    """
    pieces: list[tuple[str, float, shapely.Geometry]] = []
    lands: list[Land] = []
    buffer = _Buffers(line, stretches).at
    if russia_width_km == nato_width_km and not clip:
        if stretches:
            pieces.append(("all", russia_width_km, buffer(russia_width_km)))
        else:
            pieces.append(("all", russia_width_km, geodesic_buffer(line, distance_km=russia_width_km)))
    else:
        for side, width_km in (("russia", russia_width_km), ("nato", nato_width_km)):
            codes, land_km2, land_geometry = land_pieces(buffer(width_km), sides.features(side))
            land = (codes, land_km2, land_geometry)
            lands.append(land)
            pieces.append((side, width_km, _union(land[2]) if exact_shapes or not clip else _dissolved(land[2])))
        if not clip:
            widest_km = max(russia_width_km, nato_width_km)
            parties = sides.features("russia") + sides.features("nato")
            party_land = _union(land_pieces(buffer(widest_km), parties)[2])
            pieces.append(("third", widest_km, polygonal(shapely.difference(buffer(widest_km), party_land))))
    geometry = np.array([shapely.orient_polygons(g) for _, _, g in pieces], dtype=object)
    if clip:  # the sides' countries, measured already
        area_km2 = np.array([float(land[1].sum()) for land in lands])
        land_of: Land | None = tuple(np.concatenate([land[k] for land in lands]) for k in range(3))  # type: ignore[assignment]
    else:
        area_km2, land_of = geodesic_area_km2(geometry), None
    zone = lonlat_frame(
        {"side": [side for side, _, _ in pieces], "width_km": [float(w) for _, w, _ in pieces], "area_km2": area_km2},
        geometry,
    )
    if (area_km2 > 0).all():  # nothing to leave out (the common case: a filtered copy costs a millisecond)
        return zone, land_of
    return zone[zone["area_km2"] > 0].reset_index(drop=True), land_of
