"""Rebuild ``geodata/sea_borders.parquet`` from the pinned npm package.

Run from the repository root (needs ``npm``; downloads 11.8 MB once)::

    python -m geodata.build_sea_borders            # npm pack @geo-maps/countries-maritime-10m@0.6.0
    python -m geodata.build_sea_borders --tgz PATH # or a copy of that tarball already at hand

The package holds OpenStreetMap country polygons that include the 12 nm
territorial sea (ODbL). Russia's state border at sea runs along its
territorial sea, so a sea border between a Russia-side and a NATO-side state
is the boundary their two polygons share, less the part on Natural Earth's
land (that is the land border, already in ``borders.parquet``). The
package's polygons share their boundaries exactly, so no tolerance is needed.
EEZ lines are not state borders, and the package holds none.

Only pairs that a reading can need are kept: every state that was ever on
Russia's side in ``alliances.csv`` against every state that was ever in
NATO. The tarball's SHA-256 is checked against :data:`SOURCE_SHA256`, and
the output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

from geodata.alliances import RUSSIA_SIDE_READINGS, alliance_table
from geodata.build import write
from geodata.geodesy import GEOD
from geodata.loader import SEA_BORDERS_PATH, load_countries
from geodata.sources import sha256_of

SOURCE_PACKAGE: Final = "@geo-maps/countries-maritime-10m"
SOURCE_VERSION: Final = "0.6.0"
#: SHA-256 of ``geo-maps-countries-maritime-10m-0.6.0.tgz`` as the npm registry serves it.
SOURCE_SHA256: Final = "c63144607cc8aeb5784f8e14b7bf8c8fcdaf2e000b93fe44b1991257773e13a1"
SOURCE_MEMBER: Final = "package/map.geo.json"
#: The package's field with the country code (ISO 3166-1 alpha-3, as Natural Earth's ``adm0_a3`` here).
CODE_FIELD: Final = "A3"


def fetch(destination: Path) -> Path:
    """Run ``npm pack`` for the pinned package into ``destination``; return the tarball's path."""
    spec = f"{SOURCE_PACKAGE}@{SOURCE_VERSION}"
    npm = shutil.which("npm")
    if npm is None:
        msg = f"npm is needed to fetch {spec}; install Node.js, or pass --tgz with the tarball"
        raise FileNotFoundError(msg)
    result = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(destination)],
        capture_output=True,
        text=True,
        check=True,
    )
    return destination / result.stdout.strip().splitlines()[-1]


def read_polygons(tgz: Path, codes: Iterable[str]) -> dict[str, shapely.Geometry]:
    """Return the package's polygons (land and territorial sea) of ``codes``, by code.

    Raises
    ------
    ValueError
        If the tarball is not the pinned one (SHA-256 differs).
    """
    found = sha256_of(tgz)
    if found != SOURCE_SHA256:
        msg = f"{tgz}: SHA-256 {found}, expected {SOURCE_SHA256} ({SOURCE_PACKAGE}@{SOURCE_VERSION})"
        raise ValueError(msg)
    wanted = set(codes)
    with tarfile.open(tgz, "r:gz") as archive:
        member = archive.extractfile(SOURCE_MEMBER)
        if member is None:  # pragma: no cover - the pinned tarball has it
            msg = f"{tgz}: no {SOURCE_MEMBER}"
            raise ValueError(msg)
        data = json.load(member)
    return {
        f["properties"][CODE_FIELD]: shapely.geometry.shape(f["geometry"])
        for f in data["features"]
        if f["properties"][CODE_FIELD] in wanted
    }


def shared_sea_borders(
    polygons: Mapping[str, shapely.Geometry], pairs: Iterable[tuple[str, str]], *, land: shapely.Geometry
) -> gpd.GeoDataFrame:
    """Return the boundary each pair of polygons shares, less the part on ``land``.

    Parameters
    ----------
    polygons : mapping of str to shapely geometry
        Country polygons that include the territorial sea, lon/lat (EPSG:4326).
    pairs : iterable of (str, str)
        Codes of the pairs to look at; pairs with no shared boundary at sea
        are left out.
    land : shapely geometry
        Land (Natural Earth's countries), lon/lat.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a3_a`` < ``a3_b``, ``length_km`` (geodesic, WGS84) and a
        MultiLineString geometry, EPSG:4326, sorted by the codes.
    """
    rows = []
    for a, b in sorted({tuple(sorted(pair)) for pair in pairs}):
        if a not in polygons or b not in polygons:
            continue
        shared = shapely.intersection(shapely.boundary(polygons[a]), shapely.boundary(polygons[b]))
        lines = [p for p in shapely.get_parts(shared) if p.geom_type == "LineString" and p.length > 0]
        if not lines:
            continue
        at_sea = shapely.difference(shapely.line_merge(shapely.MultiLineString(lines)), land)
        parts = [
            p for p in shapely.get_parts(shapely.line_merge(at_sea)) if p.geom_type == "LineString" and p.length > 0
        ]
        if not parts:
            continue
        line = shapely.MultiLineString(parts)
        rows.append((a, b, GEOD.geometry_length(line) / 1000.0, line))
    frame = pd.DataFrame(rows, columns=["a3_a", "a3_b", "length_km", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def candidate_pairs() -> list[tuple[str, str]]:
    """Return every (Russia-side, NATO) pair that a reading can ever need, from ``alliances.csv``."""
    table = alliance_table()
    russia = sorted(set(table.loc[table["alliance"].isin(RUSSIA_SIDE_READINGS), "adm0_a3"]))
    nato = sorted(set(table.loc[table["alliance"] == "nato", "adm0_a3"]))
    return [(r, n) for r in russia for n in nato]


def build(tgz: Path) -> gpd.GeoDataFrame:
    """Return the sea borders of every candidate pair, read from the pinned tarball ``tgz``."""
    pairs = candidate_pairs()
    polygons = read_polygons(tgz, {code for pair in pairs for code in pair})
    countries = load_countries()
    land = shapely.union_all(countries.geometry.to_numpy())
    shapely.prepare(land)
    frame = shared_sea_borders(polygons, pairs, land=land)
    frame.insert(3, "source", f"{SOURCE_PACKAGE}@{SOURCE_VERSION}")
    return frame


def main(argv: list[str] | None = None) -> int:
    """Rebuild ``sea_borders.parquet``; return an exit code."""
    parser = argparse.ArgumentParser(prog="python -m geodata.build_sea_borders", description=__doc__.splitlines()[0])
    parser.add_argument("--tgz", type=Path, default=None, help="the package tarball (default: npm pack it)")
    parser.add_argument("--out-dir", type=Path, default=SEA_BORDERS_PATH.parent, help="folder to write to")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.tgz or fetch(Path(tmp))
        frame = build(tgz)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write(frame, args.out_dir / SEA_BORDERS_PATH.name)
    summary = ", ".join(f"{a}–{b} {km:.1f} km" for a, b, km in frame[["a3_a", "a3_b", "length_km"]].itertuples(False))
    print(f"wrote {len(frame)} sea borders to {args.out_dir}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
