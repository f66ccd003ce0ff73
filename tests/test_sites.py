"""Training areas (issue 27, part 2): the list, coordinates, oracle distances, sides, the sentence, the CLI."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from geodata import load_countries, load_places, load_sites
from geodata.sites import SITES_PATH, site_table_problems
from tests import oracle
from tests.rfc7946 import check_feature_collection
from zones.cli.main import main
from zones.engine.analysis import Scenario, analyse
from zones.engine.sites import SITE_TABLE_COLUMNS, scenario_sites_sentence, sites_sentence, sites_table
from zones.export import sites_frame
from zones.report.map_figure import map_crs
from zones.report.site_markers import draw_sites, sites_legend_handles
from zones.web.site_layer import SITES_LAYER_NAME, sites_feature_group, sites_layer_json

DRAFT_DAY = "2021-12-17"
#: The strip's error bound (zones.engine.strip): max(0.1 % of W, 50 m), in km.
TOLERANCE_SHARE, TOLERANCE_FLOOR_KM = 0.001, 0.05
#: Compass directions as azimuths in degrees, written out here (not taken from the code under test).
AZIMUTH_DEG = {"N": 0, "NE": 45, "E": 90, "SE": 135, "S": 180, "SW": 225, "W": 270, "NW": 315}
#: Areas the issue names, as a word each one's name must contain, with its country.
REQUIRED = {
    "Ādaži": "LVA",
    "Pabradė": "LTU",
    "Tapa": "EST",
    "Drawsko Pomorskie": "POL",
    "Bemowo Piskie": "POL",
    "Luga": "RUS",
    "Obuz-Lesnovsky": "BLR",
    "Barysaw": "BLR",
    "Pravdinsk": "RUS",
    "Mulino": "RUS",
}


@pytest.fixture(scope="module")
def sites() -> gpd.GeoDataFrame:
    return load_sites()


@pytest.fixture(scope="module")
def draft_150() -> gpd.GeoDataFrame:
    return sites_table(Scenario(width_km=150, date=DRAFT_DAY, allies="union-state"))


# --------------------------------------------------------------------------- the list


def test_the_list_has_at_least_30_areas_on_both_sides_and_the_ones_the_issue_names(sites):
    assert len(sites) >= 30
    assert sites["name"].is_unique
    assert set(sites["country"]) >= {"RUS", "BLR", "POL", "LTU", "LVA", "EST"}
    for word, country in REQUIRED.items():
        rows = sites[sites["name"].str.contains(word, regex=False)]
        assert len(rows) == 1, word
        assert rows["country"].iloc[0] == country, word


def test_every_row_has_http_sources_and_exercises_with_years(sites):
    for row in sites.itertuples():
        urls = row.source_url.split()
        assert urls, row.name
        assert all(re.fullmatch(r"https?://\S+\.\S+", url) for url in urls), row.name
        exercises = [e.strip() for e in row.exercises.split(";")]
        assert exercises, row.name
        assert all(re.search(r"\S.* (19|20)\d\d$", e) for e in exercises), (row.name, exercises)


def test_every_area_lies_inside_its_country(sites):
    countries = load_countries()
    for row in sites.itertuples():
        assert countries.loc[row.country].geometry.contains(row.geometry), (row.name, row.country)


def test_coordinates_are_what_their_stated_source_gives(sites):
    """A GeoNames row sits at the named place moved by the stated offset (pyproj here); a cited row at its numbers."""
    places = load_places().set_index("geonameid")
    geonames = cited = 0
    for row in sites.itertuples():
        source = row.coordinate_source
        match = re.match(r"GeoNames (\d+) ([^,]+), offset (\d+(?:\.\d+)?) km(?: ([NSEW]{1,2}))?(;|$)", source)
        if match:
            place = places.loc[int(match[1])]
            assert place["name"] == match[2], row.name
            km = float(match[3])
            assert (km == 0) == (match[4] is None), row.name  # a direction exactly when there is an offset
            lon, lat, _ = oracle.GEOD.fwd(place.geometry.x, place.geometry.y, AZIMUTH_DEG[match[4] or "N"], km * 1000)
            if km:
                assert "http" in source.split(";", 1)[1], row.name  # the offset's own source is cited
            geonames += 1
        else:
            cited_match = re.match(
                r"cited (\d+\.\d+) N (\d+\.\d+) E \((\d+)°(\d+)′N (\d+)°(\d+)′E\): .*https?://", source
            )
            assert cited_match, (row.name, source)
            lat, lon = float(cited_match[1]), float(cited_match[2])
            assert lat == pytest.approx(int(cited_match[3]) + int(cited_match[4]) / 60, abs=6e-4), row.name
            assert lon == pytest.approx(int(cited_match[5]) + int(cited_match[6]) / 60, abs=6e-4), row.name
            cited += 1
        assert (row.lon, row.lat) == pytest.approx((lon, lat), abs=1e-5), row.name
    assert geonames + cited == len(sites)
    assert cited >= 2


def test_the_csv_is_what_the_loader_checks():
    table = pd.read_csv(SITES_PATH, dtype=str, keep_default_na=False)
    assert site_table_problems(table) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"country": "XXX"}, r"unknown country 'XXX'"),
        ({"lon": "190"}, r"lon/lat should be degrees"),
        ({"lat": "north"}, r"lon/lat should be degrees"),
        ({"exercises": " "}, r"empty exercises"),
        ({"source_url": "www.example.org"}, r"source_url should be http\(s\) URLs"),
        ({"coordinate_source": "near Luga"}, r"coordinate_source should start"),
        ({"name": "Ādaži Training Area"}, r"duplicate name 'Ādaži Training Area'"),
    ],
)
def test_the_loader_names_what_is_wrong(change, problem):
    table = pd.read_csv(SITES_PATH, dtype=str, keep_default_na=False)
    row = table.index[table["name"].str.startswith("Luzhsky")][0]
    for column, value in change.items():
        table.loc[row, column] = value
    problems = site_table_problems(table)
    assert len(problems) == 1
    assert re.search(problem, problems[0])


# --------------------------------------------------------------------------- distances, sides, widths


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(width_km=150, date=DRAFT_DAY, allies="union-state"),
        Scenario(width_km=150, date="2024-06-01", allies="csto", sea_borders=True),
    ],
    ids=["draft", "2024-csto-sea"],
)
def test_distances_are_exact_by_the_oracle(scenario):
    table = sites_table(scenario)
    line = analyse(scenario, regions=False).line
    exact_km = oracle.distance_to_line_m(table["lon"].to_numpy(), table["lat"].to_numpy(), line) / 1000.0
    error_km = np.abs(table["distance_km"].to_numpy() - exact_km)
    assert (error_km <= np.maximum(TOLERANCE_SHARE * exact_km, TOLERANCE_FLOOR_KM)).all()
    assert list(table.columns) == [*SITE_TABLE_COLUMNS, "geometry"]
    assert table.crs.to_epsg() == 4326
    assert (np.diff(table["distance_km"].to_numpy()) >= 0).all()  # nearest first


def test_sides_follow_membership_on_the_date(sites):
    """Finland joined NATO on 2023-04-04, the Baltic states on 2004-03-29 (NOTES.md), Poland on 1999-03-12."""

    def side(date: str, country: str) -> set[str]:
        table = sites_table(Scenario(width_km=100, date=date))
        return set(table.loc[table["country"] == country, "side"])

    assert side(DRAFT_DAY, "FIN") == {"third"}
    assert side("2023-04-04", "FIN") == {"nato"}
    assert side("2004-03-28", "LTU") == {"third"}
    assert side("2004-03-28", "POL") == {"nato"}
    assert side(DRAFT_DAY, "BLR") == side(DRAFT_DAY, "RUS") == {"russia"}


def test_inside_is_distance_within_the_width_and_matches_the_drawn_zone(draft_150):
    table = draft_150
    distance_km = table["distance_km"].to_numpy()
    parties = table["side"].isin(["russia", "nato"]).to_numpy()
    assert (table["inside"].to_numpy() == (distance_km <= 150)).all()  # unclipped: third countries too
    assert np.array_equal(table["first_width_km"].to_numpy(), distance_km)
    zone = analyse(Scenario(width_km=150, date=DRAFT_DAY, allies="union-state"), regions=False).zone
    clear = np.abs(distance_km - 150) > max(TOLERANCE_SHARE * 150, TOLERANCE_FLOOR_KM)  # off the edge's error band
    drawn = np.array([zone.covers(point) for point in table.geometry])
    assert (drawn[clear] == table["inside"].to_numpy()[clear]).all()
    assert parties.sum() >= 30


def test_per_side_widths_and_clipping():
    """Each side's width reaches its own areas; third countries take the larger width, or none when clipped."""
    free = sites_table(Scenario(russia_width_km=100, nato_width_km=300, date=DRAFT_DAY))
    clipped = sites_table(Scenario(russia_width_km=100, nato_width_km=300, date=DRAFT_DAY, clip=True))
    for table, third_reach_km in ((free, 300.0), (clipped, -1.0)):
        reach_km = table["side"].map({"russia": 100.0, "nato": 300.0, "third": third_reach_km})
        assert (table["inside"] == (table["distance_km"] <= reach_km)).all()
    third = clipped["side"] == "third"
    assert third.any()
    assert clipped.loc[third, "first_width_km"].isna().all()
    assert (clipped.loc[~third, "first_width_km"] == clipped.loc[~third, "distance_km"]).all()
    assert (free["first_width_km"] == free["distance_km"]).all()


def test_widths_per_pair_close_an_area_only_within_its_pairs_width():
    """With widths per pair an area is inside when some pair's stretch (oracle distance) is within that pair's width."""
    scenario = Scenario(width_km=150, date=DRAFT_DAY, pair_widths={"RUS-EST": 0, "LVA-RUS": 20, "RUS-NOR": 400})
    table = sites_table(scenario)
    own = {"RUS-EST": 0.0, "RUS-LVA": 20.0, "RUS-NOR": 400.0}
    contact = analyse(scenario, regions=False).contact
    lon, lat = table["lon"].to_numpy(), table["lat"].to_numpy()
    margin_km = np.max(
        [
            own.get(f"{russia}-{nato}", 150.0) - oracle.distance_to_line_m(lon, lat, geometry) / 1000.0
            for russia, nato, geometry in zip(
                contact["russia_side"], contact["nato_side"], contact.geometry, strict=True
            )
        ],
        axis=0,
    )
    clear = np.abs(margin_km) > max(TOLERANCE_SHARE * 150, TOLERANCE_FLOOR_KM)
    assert clear.all()
    assert (table["inside"].to_numpy() == (margin_km >= 0)).all()
    common = sites_table(Scenario(width_km=150, date=DRAFT_DAY))
    assert not table.loc[table["name"].str.contains("Tapa"), "inside"].any()  # Estonia's stretch has none
    assert common.loc[common["name"].str.contains("Tapa"), "inside"].all()
    assert set(sites_frame(scenario, table)["pair_widths"]) == {"RUS-EST=0,RUS-LVA=20,RUS-NOR=400"}
    assert "pair_widths" not in sites_frame(Scenario(width_km=150, date=DRAFT_DAY), common).columns
    assert scenario_sites_sentence(scenario, table).startswith(
        "at 150 km, except none along Russia–Estonia, 20 km along Russia–Latvia and 400 km along Russia–Norway, "
    )


# --------------------------------------------------------------------------- the sentence


def _counts(table: pd.DataFrame, side: str) -> tuple[int, int]:
    on_side = table[table["side"] == side]
    return int(on_side["inside"].sum()), len(on_side)


def test_the_sentence_counts_match_the_table(draft_150):
    sentence = sites_sentence(draft_150, russia_width_km=150)
    match = re.fullmatch(
        r"at 150 km, (\d+) of (\d+) areas on NATO's side and (\d+) of (\d+) on Russia's "
        r"would be closed to exercises above brigade level",
        sentence,
    )
    assert match, sentence
    numbers = tuple(int(n) for n in match.groups())
    assert numbers == (*_counts(draft_150, "nato"), *_counts(draft_150, "russia"))
    assert numbers[0] < numbers[1]
    assert numbers[2] < numbers[3]
    assert scenario_sites_sentence(Scenario(width_km=150, date=DRAFT_DAY), draft_150) == sentence


def test_the_sentence_names_both_widths_when_they_differ():
    table = sites_table(Scenario(russia_width_km=50, nato_width_km=200, date=DRAFT_DAY))
    sentence = sites_sentence(table, russia_width_km=50, nato_width_km=200)
    match = re.fullmatch(
        r"at 50 km on Russia's side and 200 km on NATO's side, (\d+) of (\d+) areas on NATO's side and (\d+) of (\d+) "
        r"on Russia's would be closed to exercises above brigade level",
        sentence,
    )
    assert match, sentence
    assert tuple(int(n) for n in match.groups()) == (*_counts(table, "nato"), *_counts(table, "russia"))


def test_nothing_is_closed_at_zero_width_and_everything_at_the_widest(sites):
    none = sites_table(Scenario(width_km=0, date=DRAFT_DAY))
    assert not none["inside"].any()
    everything = sites_table(Scenario(width_km=2000, date=DRAFT_DAY))
    far = everything["distance_km"] > 2000
    assert (everything["inside"] == ~far).all()
    assert far.sum() == 1  # Aleysk, in the Altai, lies farther than the widest zone


# --------------------------------------------------------------------------- the command line


def test_cli_writes_csv_and_geojson_that_read_back(tmp_path, capsys):
    csv_path, geojson_path = tmp_path / "sites.csv", tmp_path / "sites.geojson"
    args = ["--width-km", "150", "--date", DRAFT_DAY, "--allies", "union-state"]
    assert main(["sites", *args, "--out", str(csv_path)]) == 0
    table = pd.read_csv(csv_path)
    assert len(table) == len(load_sites())
    assert {"name", "country", "side", "distance_km", "first_width_km", "inside", "date", "allies"} <= set(table)
    assert set(table["date"]) == {DRAFT_DAY}
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {len(table)} training areas to ")
    assert out.strip().endswith("would be closed to exercises above brigade level")
    assert main(["sites", *args, "--out", str(geojson_path)]) == 0
    check_feature_collection(geojson_path)
    frame = gpd.read_file(geojson_path)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == len(table)
    assert frame.geom_type.eq("Point").all()
    expected = sites_table(Scenario(width_km=150, date=DRAFT_DAY)).set_index("name")
    got = frame.set_index("name")
    assert np.allclose(got["distance_km"], expected.loc[got.index, "distance_km"])
    assert (got["inside"] == expected.loc[got.index, "inside"]).all()
    assert np.allclose(frame.geometry.x, got["lon"])
    assert np.allclose(frame.geometry.y, got["lat"])
    properties = json.loads(geojson_path.read_text())["features"][0]["properties"]
    assert isinstance(properties["inside"], bool)


def test_cli_takes_every_scenario_option(tmp_path):
    out = tmp_path / "s.csv"
    args = ["--russia-width-km", "80", "--nato-width-km", "120", "--clip", "--sea-borders", "--allies", "csto"]
    assert main(["sites", *args, "--date", "2024-06-01", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(table["russia_width_km"]) == {80}
    assert set(table["nato_width_km"]) == {120}
    assert table["clip"].all()
    assert table["sea_borders"].all()
    custom = tmp_path / "custom.csv"
    assert main(["sites", "--russia-side", "RUS", "--nato-side", "FIN", "--out", str(custom)]) == 0
    sides = pd.read_csv(custom).groupby("country")["side"].agg(set)
    assert sides["FIN"] == {"nato"}
    assert sides["BLR"] == sides["EST"] == {"third"}
    assert sides["RUS"] == {"russia"}


@pytest.mark.parametrize(
    ("args", "out_name", "pattern"),
    [
        (["--width-km", "-1"], "s.csv", r"'width_km' should be .* got '-1' \(option --width-km\)"),
        (["--width-km", "abc"], "s.geojson", r"'width_km' should be .* got 'abc'"),
        (["--date", "1990-01-01"], "s.csv", r"'date' should be a date"),
        (["--allies", "warsaw-pact"], "s.csv", r"'allies' should be one of"),
        (["--nato-width-km", "5000"], "s.csv", r"'nato_width_km' should be"),
        ([], "s.txt", r"'out' should be a file name ending in \.geojson or \.json or \.csv"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, out_name, pattern):
    assert main(["sites", *args, "--out", str(tmp_path / out_name)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("zones sites: error: ")
    assert re.search(pattern, error), error
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- the map and the report


def test_map_layer_has_a_tooltip_per_area_and_is_off_by_default(draft_150):
    layers = json.loads(sites_layer_json(draft_150))
    assert len(layers) == 1
    layer = layers[0]
    assert layer["name"] == SITES_LAYER_NAME
    assert layer["fields"] == ["name", "country", "side_label", "exercises", "distance"]
    features = layer["data"]["features"]
    assert len(features) == len(draft_150)
    by_name = {f["properties"]["name"]: f for f in features}
    pabrade = draft_150[draft_150["name"].str.contains("Pabradė")].iloc[0]
    props = by_name[pabrade["name"]]["properties"]
    assert props["country"] == "Lithuania (LTU)"
    assert props["exercises"] == pabrade["exercises"]
    assert props["distance"] == f"{pabrade['distance_km']:,.0f} km from the border (inside the zone)"
    x, y = by_name[pabrade["name"]]["geometry"]["coordinates"]
    assert math.isclose(x, pabrade["lon"], abs_tol=1e-3)
    assert math.isclose(y, pabrade["lat"], abs_tol=1e-3)
    group = sites_feature_group(draft_150)
    assert group.show is False
    assert group.control is True


def test_report_draws_one_marker_per_area_in_view(draft_150):
    line = analyse(Scenario(width_km=150, date=DRAFT_DAY), regions=False).line
    figure = Figure()
    ax = figure.add_subplot()
    crs = map_crs(line)
    assert draw_sites(ax, draft_150, crs) == len(draft_150)
    drawn = sum(len(artist.get_xdata()) for artist in ax.lines)
    assert drawn == len(draft_150)
    projected = draft_150.geometry.to_crs(crs)
    view = (projected.x.min() - 1, projected.y.min() - 1, projected.x.median(), projected.y.max() + 1)
    assert draw_sites(Figure().add_subplot(), draft_150, crs, view=view) == int((projected.x < view[2]).sum())
    assert [h.get_label() for h in sites_legend_handles()] == ["Training area, in the zone", "Training area, outside"]


def test_the_readme_quotes_the_sentence_at_150_km_on_the_drafts_day(draft_150):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f'"{sites_sentence(draft_150, russia_width_km=150)}"' in " ".join(readme.split())
