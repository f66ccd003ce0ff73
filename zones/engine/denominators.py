"""Of what is a share taken? A country's mainland part, without its remote territories.

Natural Earth's admin-0 feature of a country holds every part of it: Norway's
holds Svalbard, Jan Mayen and Bouvet Island, France's its five overseas
departments. A reader who asks for "a tenth of Norway" means mainland Norway,
so shares are taken of the **stated part** (:func:`denominator`): the country
without the parts listed in :data:`REMOTE_PARTS`, or the whole country where
none is listed. The whole-country figure is given alongside.

Each remote part is the country's land inside a longitude/latitude box (the
boxes hold nothing else of the country; ``tests/test_denominators.py``
checks them against published areas). Definitions and areas are in
``geodata/README.md`` ("Mainland parts and denominators").
"""

from __future__ import annotations

import dataclasses
import functools
from types import MappingProxyType
from typing import Final

import numpy as np
import shapely

from geodata import load_countries
from geodata.geodesy import geodesic_area_km2, polygonal
from zones.settings import COUNTRY_PARTS


@dataclasses.dataclass(frozen=True)
class RemotePart:
    """A country's land inside a box: ``(west, south, east, north)`` in degrees (EPSG:4326).

    ``settled`` is false for a part whose people all live in its few
    settlements (the Arctic islands): no people of the country's countryside
    are spread over its land (:mod:`zones.engine.population`).
    """

    country: str
    name: str
    box: tuple[float, float, float, float]
    settled: bool = True


#: Territories left out of a country's stated part: far from its European land, across the sea.
REMOTE_PARTS: Final = (
    RemotePart("NOR", "Svalbard", (10.0, 73.5, 35.0, 81.0), settled=False),
    RemotePart("NOR", "Jan Mayen", (-9.5, 70.5, -7.5, 71.5), settled=False),
    RemotePart("NOR", "Bouvet Island", (3.0, -54.7, 3.8, -54.2), settled=False),
    RemotePart("FRA", "French Guiana", (-55.0, 2.0, -51.0, 6.0)),
    RemotePart("FRA", "Guadeloupe", (-62.0, 15.7, -60.9, 16.6)),
    RemotePart("FRA", "Martinique", (-61.3, 14.3, -60.7, 15.0)),
    RemotePart("FRA", "Réunion", (55.1, -21.5, 56.0, -20.8)),
    RemotePart("FRA", "Mayotte", (44.9, -13.1, 45.4, -12.5)),
    RemotePart("ESP", "Canary Islands", (-18.5, 27.5, -13.2, 29.5)),
    RemotePart("PRT", "Azores", (-31.5, 36.8, -24.8, 40.0)),
    RemotePart("PRT", "Madeira", (-17.5, 29.9, -15.8, 33.2)),
    RemotePart("NLD", "Caribbean Netherlands", (-68.6, 11.9, -62.8, 17.8)),
)

#: Name of the stated part of each country with remote parts.
PART_NAMES: Final = MappingProxyType(
    {
        "NOR": "mainland Norway",
        "FRA": "metropolitan France",
        "ESP": "Spain without the Canary Islands",
        "PRT": "mainland Portugal",
        "NLD": "European Netherlands",
    }
)

#: The stated part of a country without remote parts (and of a region).
WHOLE_COUNTRY: Final = "whole country"


def denominator(code: str) -> str:
    """Return the name of the part of country ``code`` (``adm0_a3``) that its share is taken of."""
    return PART_NAMES.get(code, WHOLE_COUNTRY)


def remote_boxes(code: str) -> tuple[shapely.Polygon, ...]:
    """Return the boxes of the remote parts of country ``code`` (none for most countries)."""
    return tuple(shapely.box(*part.box) for part in REMOTE_PARTS if part.country == code)


def split_remote(geometry: shapely.Geometry, code: str) -> tuple[shapely.Geometry, shapely.Geometry]:
    """Return ``(stated, remote)``: the land of ``geometry`` (of country ``code``) outside and in its remote parts."""
    boxes = remote_boxes(code)
    if not boxes or shapely.is_empty(geometry):
        return geometry, shapely.MultiPolygon()
    union = shapely.union_all(boxes)
    return polygonal(shapely.difference(geometry, union)), polygonal(shapely.intersection(geometry, union))


def remote_area_km2(geometries: np.ndarray, codes: np.ndarray, *, unsettled: bool = False) -> np.ndarray:
    """Return the geodesic area (km²) of each geometry's land in the remote parts of its country (``codes``).

    With ``unsettled``, only in the parts that are not :attr:`RemotePart.settled`.
    """
    everywhere_km2, unsettled_km2 = remote_areas_km2(geometries, codes)
    return unsettled_km2 if unsettled else everywhere_km2


def remote_areas_km2(geometries: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each geometry's land (km², geodesic) in its country's remote parts, and in those not settled.

    One cut of each geometry serves both: a country's share of its stated
    part needs the first, its people (:mod:`zones.engine.population`) the second.
    """
    everywhere_km2, unsettled_km2 = np.zeros(len(geometries)), np.zeros(len(geometries))
    for i, (geometry, code) in enumerate(zip(geometries, codes, strict=True)):
        if shapely.is_empty(geometry):
            continue
        west, south, east, north = shapely.bounds(geometry)
        for part in REMOTE_PARTS:  # boxes are disjoint: the areas add up
            x0, y0, x1, y1 = part.box
            if part.country == code and x0 < east and west < x1 and y0 < north and south < y1:
                part_km2 = float(geodesic_area_km2([polygonal(shapely.clip_by_rect(geometry, *part.box))])[0])
                everywhere_km2[i] += part_km2
                unsettled_km2[i] += 0.0 if part.settled else part_km2
    return everywhere_km2, unsettled_km2


#: Countries with remote parts that are not settled (:attr:`RemotePart.settled`).
UNSETTLED_COUNTRIES: Final = frozenset(part.country for part in REMOTE_PARTS if not part.settled)


@functools.cache
def unsettled_area_km2(code: str) -> float:
    """Return the land area (km², geodesic) of country ``code`` in its remote parts that are not settled."""
    countries = load_countries()
    if code not in UNSETTLED_COUNTRIES or code not in countries.index:
        return 0.0
    geometry = np.array([countries.at[code, "geometry"]], dtype=object)
    return float(remote_area_km2(geometry, np.array([code]), unsettled=True)[0])


@functools.cache
def country_area_km2(code: str, *, stated: bool) -> float:
    """Return the land area (km², geodesic) of country ``code`` with its listed parts (Åland with Finland).

    With ``stated`` only its stated part (:func:`denominator`), else the whole country.
    """
    countries = load_countries()
    features = [code, *(part for part, whole in COUNTRY_PARTS.items() if whole == code)]
    present = [f for f in features if f in countries.index]
    whole = float(countries.loc[present, "area_km2"].sum())
    if not stated or not remote_boxes(code) or code not in countries.index:
        return whole
    return whole - float(remote_area_km2(np.array([countries.at[code, "geometry"]], dtype=object), np.array([code]))[0])
