"""People in the zone: an estimate from national totals spread over settlements.

Method
------
No population grid ships in a registry package, so the estimate is
dasymetric on points: each country's Natural Earth ``POP_EST`` (2019) is
spread over its GeoNames places of 1,000 people or more (2019 snapshot,
city sections removed, see ``geodata/build_places.py``) in proportion to
their populations. The people of a part of a country (a region, the zone,
a region's affected part) are then::

    POP_EST(country) × Σ population of the places inside the part
                     / Σ population of all the country's places

A country wholly inside the zone gets its whole ``POP_EST``. A country with
no places gets its people by area. The rural population is assumed to live
where the places are, so a part with many villages too small for GeoNames is
underestimated and one around a big city is overestimated; the README gives
the error measured against published regional statistics.
"""

from __future__ import annotations

import functools
from typing import Final

import numpy as np
import pandas as pd
import shapely

from geodata import load_countries, load_places
from zones.settings import COUNTRY_PARTS

#: One line naming the method and its sources, printed wherever the estimate appears.
POPULATION_METHOD: Final = (
    "estimate: Natural Earth POP_EST (2019) spread over GeoNames places of 1,000 people or more (2019), "
    "city sections removed"
)


@functools.cache
def _places() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the places' lon/lat ``(n, 2)``, population, ``adm0_a3`` and ``adm1_code`` (read-only)."""
    places = load_places()
    arrays = (
        places[["lon_inside", "lat_inside"]].to_numpy(dtype=float),
        places["population"].to_numpy(dtype=float),
        places["adm0_a3"].to_numpy(dtype=object),
        places["adm1_code"].to_numpy(dtype=object),
    )
    for array in arrays:
        array.flags.writeable = False
    return arrays


@functools.cache
def _people_per_place_person() -> dict[str, float]:
    """Return, per country, ``POP_EST`` over the summed population of its places (0 where it has none)."""
    _xy, population, adm0, _adm1 = _places()
    place_total = pd.Series(population).groupby(adm0, sort=False).sum().to_dict()
    pop_est = load_countries()["pop_est"]
    return {code: float(pop_est[code]) / place_total[code] if place_total.get(code) else 0.0 for code in pop_est.index}


def country_population(code: str) -> float:
    """Return a country's ``POP_EST`` (Natural Earth, 2019)."""
    return float(load_countries().at[code, "pop_est"])


@functools.cache
def _weights() -> np.ndarray:
    """Return each place's people in the estimate: its population times its country's factor (read-only)."""
    _xy, population, adm0, _adm1 = _places()
    factor = _people_per_place_person()
    weights = population * pd.Series(adm0).map(factor).fillna(0.0).to_numpy(dtype=float)
    weights.flags.writeable = False
    return weights


@functools.cache
def _positions(column: int) -> dict[str, np.ndarray]:
    """Return the positions of the places of each country (``column`` 2) or region (``column`` 3)."""
    keys = pd.Series(_places()[column])
    groups = keys.groupby(keys, sort=False, dropna=True).indices  # positions in the whole array; hashed, not sorted
    return {str(key): np.asarray(positions, dtype=np.intp) for key, positions in groups.items()}


def people_in(
    geometries: np.ndarray,
    codes: np.ndarray,
    *,
    area_share: np.ndarray,
    regions: np.ndarray | None = None,
    whole: np.ndarray | None = None,
) -> np.ndarray:
    """Return the estimated people in each geometry, a part of the country (or region) at the same position.

    Parameters
    ----------
    geometries : numpy.ndarray of shapely geometry
        Parts of countries (EPSG:4326), e.g. a country's or a region's land in the zone.
    codes : numpy.ndarray of str
        The ``adm0_a3`` of the country each part belongs to.
    area_share : numpy.ndarray of float
        Each part's share of its country's area, used for countries with no places.
    regions : numpy.ndarray of str, optional
        The ``adm1_code`` of the region each part lies in; only that region's
        places are tested (faster).
    whole : numpy.ndarray of bool, optional
        Parts that are the whole country (or region): all their places count, untested.

    Returns
    -------
    numpy.ndarray
        People, rounded to whole persons (int64).
    """
    xy = _places()[0]
    weights = _weights()
    factor = _people_per_place_person()
    pools = _positions(2) if regions is None else _positions(3)
    keys = codes if regions is None else regions
    no_places = np.zeros(0, dtype=np.intp)
    out = np.zeros(len(geometries))
    for i, (geometry, code, key) in enumerate(zip(geometries, codes, keys, strict=True)):
        if factor.get(code, 0.0) == 0.0:
            out[i] = area_share[i] * country_population(code) if code in factor else 0.0
            continue
        pool = pools.get(key, no_places)
        parts = [part for part, of in COUNTRY_PARTS.items() if of == key] if regions is None else []
        if parts:  # a country listed with its parts (Finland with Åland): their places count where they lie
            pool = np.concatenate([pool, *(pools.get(part, no_places) for part in parts)])
        if whole is None or not whole[i] or parts:
            xmin, ymin, xmax, ymax = shapely.bounds(geometry)
            x, y = xy[pool, 0], xy[pool, 1]
            pool = pool[(x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)]
            shapely.prepare(geometry)
            pool = pool[shapely.intersects_xy(geometry, xy[pool, 0], xy[pool, 1])]
        out[i] = weights[pool].sum()
    return np.round(out).astype(np.int64)
