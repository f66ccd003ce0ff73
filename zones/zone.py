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
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import shapely

from zones.contact import Sides
from zones.impact import land_inside
from zones.measure import geodesic_area_km2, polygonal
from zones.strip import geodesic_buffer

ZONE_COLUMNS: Final = ("side", "width_km", "area_km2")


def _union(geometries: np.ndarray) -> shapely.MultiPolygon:
    """Return the polygonal union of ``geometries`` (EPSG:4326)."""
    if len(geometries) == 0:
        return shapely.MultiPolygon()
    return polygonal(shapely.union_all(geometries))


def zone_by_side(
    line: shapely.Geometry,
    sides: Sides,
    *,
    russia_width_km: float,
    nato_width_km: float,
    clip: bool = False,
) -> gpd.GeoDataFrame:
    """Return the zone along ``line``, one feature per side present.

    Parameters
    ----------
    line : shapely geometry
        The contact line, EPSG:4326.
    sides : Sides
        The two sides, whose territories the widths apply to.
    russia_width_km, nato_width_km : float
        Widths in km from the line on Russia's and on NATO's side (validated
        upstream, 0 to 2,000 km).
    clip : bool
        Keep only the parties' own land.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``side`` (``all``, ``russia``, ``nato`` or ``third``),
        ``width_km``, ``area_km2`` (geodesic) and (Multi)Polygon geometry,
        EPSG:4326; sides with no area are left out.
    """
    pieces: list[tuple[str, float, shapely.Geometry]] = []
    if russia_width_km == nato_width_km and not clip:
        pieces.append(("all", russia_width_km, geodesic_buffer(line, distance_km=russia_width_km)))
    else:
        buffers: dict[float, shapely.Geometry] = {}

        def buffer(width_km: float) -> shapely.Geometry:
            if width_km not in buffers:
                buffers[width_km] = geodesic_buffer(line, distance_km=width_km)
            return buffers[width_km]

        for side, width_km in (("russia", russia_width_km), ("nato", nato_width_km)):
            land = land_inside(buffer(width_km), sides.features(side))
            pieces.append((side, width_km, _union(land.geometry.to_numpy())))
        if not clip:
            widest_km = max(russia_width_km, nato_width_km)
            parties = sides.features("russia") + sides.features("nato")
            party_land = _union(land_inside(buffer(widest_km), parties).geometry.to_numpy())
            pieces.append(("third", widest_km, polygonal(shapely.difference(buffer(widest_km), party_land))))
    geometry = np.array([shapely.orient_polygons(g) for _, _, g in pieces], dtype=object)
    zone = gpd.GeoDataFrame(
        {
            "side": [side for side, _, _ in pieces],
            "width_km": [float(w) for _, w, _ in pieces],
            "area_km2": geodesic_area_km2(geometry),
        },
        geometry=geometry,
        crs="EPSG:4326",
    )
    return zone[zone["area_km2"] > 0].reset_index(drop=True)
