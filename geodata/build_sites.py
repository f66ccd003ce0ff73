"""Fill in the coordinates of ``geodata/sites.csv`` from its ``coordinate_source`` column.

Run ``python -m geodata.build_sites`` after editing the list. A row whose
source reads ``cited <lat> N <lon> E: …`` takes that point; a row whose
source reads ``GeoNames <id> <name>, offset <km> km [<direction>]; …`` takes
the GeoNames point of that place in ``geodata/places.parquet`` (checked to
carry that name) moved ``<km>`` km along the geodesic towards ``<direction>``.
Coordinates are written with 5 decimals (about 1 m).
"""

from __future__ import annotations

import csv
from typing import Final

import pandas as pd

from geodata.geodesy import GEOD
from geodata.loader import load_places
from geodata.sites import CITED_SOURCE, DIRECTION_AZIMUTH_DEG, GEONAMES_SOURCE, SITE_COLUMNS, SITES_PATH

#: Decimals of the written lon/lat.
DECIMALS: Final = 5


def site_point(source: str) -> tuple[float, float]:
    """Return the (lon, lat) in degrees that a ``coordinate_source`` describes.

    Raises
    ------
    ValueError
        If the source has neither form, or names a GeoNames id whose place
        has another name.
    """
    cited = CITED_SOURCE.match(source)
    if cited:
        return float(cited["lon"]), float(cited["lat"])
    match = GEONAMES_SOURCE.match(source)
    if match is None:
        msg = f"coordinate_source of unknown form: {source[:60]!r}"
        raise ValueError(msg)
    places = load_places().set_index("geonameid")
    place = places.loc[int(match["geonameid"])]
    if place["name"] != match["settlement"]:
        msg = f"GeoNames {match['geonameid']} is {place['name']!r}, not {match['settlement']!r}"
        raise ValueError(msg)
    lon, lat = float(place.geometry.x), float(place.geometry.y)
    km = float(match["km"])
    if km == 0:
        return lon, lat
    azimuth = DIRECTION_AZIMUTH_DEG[match["direction"] or "N"]
    moved_lon, moved_lat, _ = GEOD.fwd(lon, lat, azimuth, km * 1000.0)
    return float(moved_lon), float(moved_lat)


def main() -> None:
    """Rewrite ``sites.csv`` with lon/lat computed from each row's ``coordinate_source``."""
    table = pd.read_csv(SITES_PATH, dtype=str, keep_default_na=False)
    points = [site_point(source) for source in table["coordinate_source"]]
    table["lon"] = [f"{lon:.{DECIMALS}f}" for lon, _ in points]
    table["lat"] = [f"{lat:.{DECIMALS}f}" for _, lat in points]
    table[list(SITE_COLUMNS)].to_csv(SITES_PATH, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    print(f"wrote {len(table)} sites to {SITES_PATH}")


if __name__ == "__main__":
    main()
