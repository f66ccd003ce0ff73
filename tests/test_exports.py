"""Exports: RFC 7946 GeoJSON and CSV, from the API and the command line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest

from geodata import load_countries
from tests import oracle
from tests.in_process import run_in_process
from tests.rfc7946 import check_feature_collection
from zones import Scenario, analyse, export
from zones.cli.main import main
from zones.settings import COUNTRY_PARTS

SCENARIOS = {
    "draft-300": Scenario(width_km=300, date="2021-12-17"),
    "csto-1000": Scenario(width_km=1000, allies="csto"),
    "asymmetric": Scenario(width_km=100, russia_width_km=250, nato_width_km=50),
    "clipped": Scenario(width_km=200, clip=True),
}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def analysis(request):
    return analyse(SCENARIOS[request.param])


@pytest.mark.parametrize("kind", ["strip", "affected", "cities"])
def test_geojson_is_rfc7946_and_reads_back_with_the_same_areas(analysis, kind, tmp_path):
    frame = getattr(export, f"{kind}_frame")(analysis)
    path = export.write_geojson(frame, tmp_path / f"{kind}.geojson")
    check_feature_collection(path)
    back = gpd.read_file(path)
    assert len(back) == len(frame)
    assert back.crs.to_epsg() == 4326
    if kind != "cities":
        areas = np.array([oracle.geodesic_area_km2(g) for g in back.geometry])
        np.testing.assert_allclose(areas, frame["area_km2"], rtol=1e-4)
        np.testing.assert_allclose(back["area_km2"], frame["area_km2"], rtol=1e-9)


def test_affected_properties(analysis):
    frame = export.affected_frame(analysis)
    expected = [
        *["adm0_a3", "name", "side", "area_km2", "country_area_km2", "share", "denominator", "share_whole_country"],
        *["population", "population_method", "width_km"],
    ]
    assert list(frame.columns[: len(expected)]) == expected
    assert {"date", "allies"} <= set(frame.columns)
    assert frame["share"].between(0, 1).all()


def test_csv_matches_the_geojson(analysis, tmp_path):
    frame = export.affected_frame(analysis)
    text = export.csv_bytes(frame).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["adm0_a3"] for r in rows] == list(frame["adm0_a3"])
    np.testing.assert_allclose([float(r["area_km2"]) for r in rows], frame["area_km2"], rtol=1e-5)
    path = export.write_csv(frame, tmp_path / "a.csv")
    assert path.read_text(encoding="utf-8") == text


def test_geojson_bytes_equal_the_file(tmp_path):
    frame = export.strip_frame(analyse(Scenario(width_km=50)))
    assert export.geojson_bytes(frame) == export.write_geojson(frame, tmp_path / "s.geojson").read_bytes()


# --- command line ----------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zones", *args], capture_output=True, text=True, check=False)


def test_cli_strip_symmetric_is_one_feature(tmp_path):
    out = tmp_path / "strip.geojson"
    result = run("strip", "--width-km", "300", "--date", "2021-12-17", "--allies", "csto", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = check_feature_collection(out)
    assert [f["properties"]["side"] for f in data["features"]] == ["all"]
    props = data["features"][0]["properties"]
    assert props["width_km"] == 300
    assert props["date"] == "2021-12-17"
    assert props["allies"] == "csto"


def test_cli_strip_per_side(tmp_path):
    out = tmp_path / "strip.geojson"
    assert main(["strip", "--russia-width-km", "300", "--nato-width-km", "100", "--out", str(out)]) == 0
    sides = [f["properties"]["side"] for f in check_feature_collection(out)["features"]]
    assert sides == ["russia", "nato", "third"]


def test_cli_affected_matches_the_api(tmp_path):
    out = tmp_path / "affected.geojson"
    assert main(["affected", "--width-km", "300", "--date", "2021-12-17", "--out", str(out)]) == 0
    back = gpd.read_file(out)
    api = analyse(Scenario(width_km=300, date="2021-12-17")).affected
    assert list(back["adm0_a3"]) == list(api["adm0_a3"])
    np.testing.assert_allclose(back["share"], api["share"], rtol=1e-9)
    csv_out = tmp_path / "affected.csv"
    assert main(["affected", "--width-km", "300", "--date", "2021-12-17", "--out", str(csv_out)]) == 0
    header = csv_out.read_text().splitlines()[0].split(",")
    assert header == [
        *["adm0_a3", "name", "side", "area_km2", "country_area_km2", "share", "denominator", "share_whole_country"],
        *["population", "population_method", "width_km", "date", "allies"],
    ]


def test_affected_csv_gives_each_country_its_whole_land(tmp_path):
    """``country_area_km2`` is the geodesic area of the country's Natural Earth polygons (Finland's with Åland's,
    listed with it), and share_whole_country = area / it; ``share`` is of the part ``denominator`` names."""
    out = tmp_path / "affected.csv"
    assert main(["affected", "--width-km", "300", "--date", "2021-12-17", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    countries = load_countries()
    assert {"RUS", "POL", "EST", "BLR"} <= {r["adm0_a3"] for r in rows}
    for row in rows:
        parts = [row["adm0_a3"], *(part for part, whole in COUNTRY_PARTS.items() if whole == row["adm0_a3"])]
        whole_km2 = sum(oracle.geodesic_area_km2(countries.loc[code, "geometry"]) for code in parts)
        assert float(row["country_area_km2"]) == pytest.approx(whole_km2, rel=1e-5), row["name"]
        by_whole = float(row["area_km2"]) / whole_km2
        assert float(row["share_whole_country"]) == pytest.approx(by_whole, rel=1e-4, abs=1e-6)
        if row["adm0_a3"] == "NOR":  # mainland Norway: none of Svalbard, Jan Mayen, Bouvet Island within 300 km
            assert row["denominator"] == "mainland Norway"
            mainland_km2 = oracle.geodesic_area_km2(oracle.mainland_norway(countries.loc["NOR", "geometry"]))
            assert float(row["share"]) == pytest.approx(float(row["area_km2"]) / mainland_km2, rel=1e-4)
        else:
            assert row["denominator"] == "whole country"
            assert float(row["share"]) == pytest.approx(by_whole, rel=1e-4, abs=1e-6)


def test_cli_cities(tmp_path):
    out = tmp_path / "cities.csv"
    assert main(["cities", "--width-km", "100", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows
    assert all(float(r["distance_km"]) <= 100.1 for r in rows)
    assert {"name", "population", "lon", "lat", "side"} <= set(rows[0])
    geo = tmp_path / "cities.geojson"
    assert main(["cities", "--width-km", "100", "--out", str(geo)]) == 0
    assert len(json.loads(geo.read_text())["features"]) == len(rows)


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (
            ["strip", "--width-km", "-5"],
            r"'width_km' should be 0 or a number of km from 0.1 to 2,000, got '-5' \(option --width-km\)",
        ),
        (["strip", "--width-km", "nan"], r"got 'nan'"),
        (["strip", "--width-km", "1e309"], r"got '1e309'"),
        (["affected", "--nato-width-km", "abc"], r"'nato_width_km' should be .*got 'abc' \(option --nato-width-km\)"),
        (["cities", "--date", "1066-10-14"], r"'date' should be a date"),
        (["strip", "--out-format", "x"], r"unrecognized arguments"),
    ],
)
def test_cli_bad_options_exit_2_and_write_nothing(tmp_path, args, pattern):
    import re

    out = tmp_path / ("x.csv" if args[0] == "cities" else "x.geojson")
    result = run_in_process(*args, "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(pattern, result.stderr), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_strip_refuses_csv(tmp_path):
    assert main(["strip", "--out", str(tmp_path / "s.csv")]) == 2
    assert list(tmp_path.iterdir()) == []


def test_exports_say_when_the_sea_borders_were_included():
    with_sea = export.affected_frame(analyse(Scenario(width_km=100, sea_borders=True)))
    assert with_sea["sea_borders"].all()
    land_only = export.affected_frame(analyse(Scenario(width_km=100)))
    assert "sea_borders" not in land_only.columns
