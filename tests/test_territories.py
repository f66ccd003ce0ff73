"""The draft's other areas: Article 4 and Article 7(1) territories, by date (zones.territories)."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

import geodata
from tests import oracle
from tests.in_process import run_in_process
from zones import ArgumentError
from zones.engine.draft_areas import territories

#: Typed from the issue and NATO's accession dates, not read from geodata.
JOINED_AFTER_1997 = {
    "CZE": "1999-03-12",
    "HUN": "1999-03-12",
    "POL": "1999-03-12",
    "BGR": "2004-03-29",
    "EST": "2004-03-29",
    "LVA": "2004-03-29",
    "LTU": "2004-03-29",
    "ROU": "2004-03-29",
    "SVK": "2004-03-29",
    "SVN": "2004-03-29",
    "ALB": "2009-04-01",
    "HRV": "2009-04-01",
    "MNE": "2017-06-05",
    "MKD": "2020-03-27",
}
NARROW_7_1 = {"UKR", "MDA", "GEO", "ARM", "AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB"}


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1997-05-27", set()),
        ("1999-03-12", {"CZE", "HUN", "POL"}),
        ("2021-12-17", set(JOINED_AFTER_1997)),
        ("2023-04-04", set(JOINED_AFTER_1997) | {"FIN"}),
        (None, set(JOINED_AFTER_1997) | {"FIN", "SWE"}),
    ],
)
def test_article_4_is_the_members_that_joined_after_the_founding_act(date, expected):
    frame = territories("4", date)
    assert set(frame["adm0_a3"]) == expected
    assert (frame["article"] == "4").all()
    for code, basis in zip(frame["adm0_a3"], frame["basis"], strict=True):
        if code in JOINED_AFTER_1997:
            assert basis == f"joined NATO {JOINED_AFTER_1997[code]}"


def test_article_7_1_is_the_narrow_reading():
    frame = territories("7.1", "2021-12-17")
    assert set(frame["adm0_a3"]) == NARROW_7_1
    basis = frame.set_index("adm0_a3")["basis"]
    assert basis["AZE"] == "South Caucasus"
    assert basis["UZB"] == "Central Asia"
    assert basis["MDA"] == "Eastern Europe"
    assert "BLR" not in set(frame["adm0_a3"])


def test_areas_are_geodesic_land_with_dependencies_measured_by_the_oracle():
    frame = territories("4").set_index("adm0_a3")
    countries = geodata.load_countries()
    finland_km2 = oracle.geodesic_area_km2(countries.loc["FIN", "geometry"]) + oracle.geodesic_area_km2(
        countries.loc["ALD", "geometry"]
    )
    assert frame.loc["FIN", "area_km2"] == pytest.approx(finland_km2, rel=1e-6)
    assert frame.loc["POL", "area_km2"] == pytest.approx(
        oracle.geodesic_area_km2(countries.loc["POL", "geometry"]), rel=1e-6
    )
    assert frame.loc["POL", "area_km2"] == pytest.approx(312_696, rel=0.01)  # published, inland waters included
    assert shapely.equals(
        frame.loc["FIN", "geometry"], countries.loc["FIN", "geometry"].union(countries.loc["ALD", "geometry"])
    )
    assert frame.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"article": "7.2"}, r"'article' should be one of '4', '7.1', got '7.2'"),
        ({"article": 4}, r"'article' should be one of '4', '7.1', got 4"),
        ({"article": "4", "date": "1991-12-25"}, r"'date' should be a date .* from 1991-12-26"),
    ],
)
def test_bad_input_raises_argument_error(kwargs, pattern):
    with pytest.raises(ArgumentError, match=pattern):
        territories(**kwargs)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zones", *args], capture_output=True, text=True, check=False)


def test_cli_writes_geojson_with_the_fields(tmp_path):
    out = tmp_path / "art4.geojson"
    result = run("territories", "--article", "4", "--date", "2021-12-17", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "wrote 14 states" in result.stdout
    data = json.loads(out.read_text())
    assert set(data["features"][0]["properties"]) == {"adm0_a3", "name", "article", "basis", "area_km2"}
    assert set(gpd.read_file(out)["adm0_a3"]) == set(JOINED_AFTER_1997)


@pytest.mark.parametrize(
    ("args", "option"),
    [(["--article", "5"], "--article"), (["--article", "7.1", "--date", "1991-12-25"], "--date")],
)
def test_cli_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, option):
    out = tmp_path / "t.geojson"
    result = run_in_process("territories", *args, "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("zones territories: error:")
    assert f"(option {option})" in result.stderr
    assert not out.exists()
