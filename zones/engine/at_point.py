"""What lies at one point: its geodesic distance to the border line, whether the zone covers it, and where it is.

The app answers a click on the map with it (the words are
:func:`zones.web.app_text.point_words`).

>>> from zones import Scenario, analyse
>>> answer = at_point(analyse(Scenario(width_km=100, date="2021-12-17"), regions=False), lat=54.9, lon=23.9)  # Kaunas
>>> answer.country, answer.inside, round(answer.distance_km)
('Lithuania', True, 68)
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
import shapely

from geodata import load_countries
from zones.engine.cities import distance_to_line_km
from zones.errors import ArgumentError

if TYPE_CHECKING:
    from zones.engine.analysis import Analysis


@dataclasses.dataclass(frozen=True, kw_only=True)
class PointAnswer:
    """What lies at a point.

    Parameters
    ----------
    distance_km : float
        Geodesic distance (WGS84) to the border line between the sides, in km.
    inside : bool
        Whether the zone covers the point.
    piece : str or None
        The zone's piece that holds it (``all``, ``russia``, ``nato`` or ``third``), None outside.
    country : str or None
        The Natural Earth name of the country there, None at sea.
    """

    distance_km: float
    inside: bool
    piece: str | None
    country: str | None


def at_point(analysis: Analysis, *, lat: float, lon: float) -> PointAnswer:
    """Return what lies at (``lat``, ``lon``), in degrees (EPSG:4326), in ``analysis``'s zone.

    Parameters
    ----------
    analysis : Analysis
        The scenario's zone and border line.
    lat, lon : float
        The point, in degrees of latitude (−90 to 90) and longitude (−180 to 180).

    Returns
    -------
    PointAnswer

    Raises
    ------
    ArgumentError
        When ``lat`` or ``lon`` is out of range or not a number.
    """
    for argument, value, limit in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if not -limit <= value <= limit:  # NaN fails too
            raise ArgumentError(argument, value, f"degrees from {-limit:g} to {limit:g}")
    distance_km = float(distance_to_line_km(np.array([lon]), np.array([lat]), analysis.line)[0])
    point = shapely.Point(lon, lat)
    pieces = [
        str(side)
        for side, geom in zip(analysis.strip["side"], analysis.strip.geometry, strict=True)
        if geom.covers(point)
    ]
    countries = load_countries()
    hits = countries.sindex.query(point, predicate="intersects")
    return PointAnswer(
        distance_km=distance_km,
        inside=bool(pieces),
        piece=pieces[0] if pieces else None,
        country=str(countries.iloc[hits[0]]["name"]) if len(hits) else None,
    )
