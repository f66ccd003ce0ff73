"""Geodesic measures on the WGS84 ellipsoid."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import numpy as np
import shapely
from pyproj import Geod

GEOD: Final = Geod(ellps="WGS84")


def geodesic_area_km2(geometries: Iterable[shapely.Geometry]) -> np.ndarray:
    """Return the geodesic area on WGS84 of each lon/lat geometry, in km².

    Edges are read as geodesics; for the short edges of our data (a few km at
    most) that equals the lon/lat-straight edges drawn on maps to well under
    0.01 %.

    Parameters
    ----------
    geometries : iterable of shapely geometry
        Polygons or MultiPolygons in EPSG:4326; empty or non-areal ones give 0.

    Returns
    -------
    numpy.ndarray
        Areas in km² (always ≥ 0).
    """
    return np.array(
        [
            abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 if g is not None and not g.is_empty else 0.0
            for g in geometries
        ],
        dtype=float,
    )


def polygonal(geometry: shapely.Geometry) -> shapely.MultiPolygon:
    """Return the polygon parts of ``geometry`` as a MultiPolygon (drops lines and points)."""
    parts = shapely.get_parts(shapely.get_parts(geometry))  # collections may nest multi-parts
    return shapely.MultiPolygon([p for p in parts if p.geom_type == "Polygon" and not p.is_empty])
