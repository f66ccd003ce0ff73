"""The width ladder: exact numbers at every step, display outlines close to the zone, compact, cached by line."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from zones import Scenario, analyse, wording
from zones.engine import disk_cache
from zones.engine.impact import SIDES
from zones.engine.sweep import SWEEP_COLUMNS, sweep_table
from zones.settings import SIDE_NAMES, SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web.assets import static_text
from zones.web.ladder import (
    SCHEMA_VERSION,
    TOLERANCE_FACTOR,
    clear_memory_cache,
    is_stored,
    ladder_json,
    ladder_key,
    stored_shares,
    stored_sweep,
    widths_km,
)
from zones.web.map_layers import ZONE_TOLERANCE_DEG, ZONE_TOLERANCE_DEG_PER_KM

SCENARIO = Scenario(width_km=300, date="2021-12-17", allies="union-state")


@pytest.fixture(scope="module")
def text() -> str:
    return ladder_json(SCENARIO)


@pytest.fixture(scope="module")
def ladder(text: str) -> dict:
    return json.loads(text)


def decode(encoded: list, grid_deg: float) -> shapely.Geometry:
    """Return the polygons of one side's outline, from the ladder's delta-encoded integer rings."""
    polygons = []
    for polygon in encoded:
        rings = [np.cumsum(np.asarray(ring).reshape(-1, 2), axis=0) * grid_deg for ring in polygon]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.union_all(polygons)


def test_steps_are_the_slider_steps(ladder):
    assert ladder["widths_km"] == list(range(0, SLIDER_MAX_KM + 1, SLIDER_STEP_KM)) == list(widths_km())
    assert len(ladder["steps"]) == 101


def test_the_ladder_names_its_schema_and_ladder_js_reads_that_one(ladder):
    """The JSON carries ``schema``, and ladder.js declares the same one (it refuses any other: test_browser)."""
    assert ladder["schema"] == SCHEMA_VERSION
    declared = re.search(r"var SCHEMA = (\d+);", static_text("ladder.js"))
    assert declared is not None
    assert int(declared.group(1)) == SCHEMA_VERSION
    assert "version" not in ladder  # the old, positional format's field, read by nobody


@pytest.mark.parametrize("width_km", [0, 10, 300, 770, 1000])
def test_numbers_equal_analyse_exactly(ladder, width_km):
    """Every named field of a step is ``analyse``'s number at that width (the words: those numbers in words)."""
    step = ladder["steps"][width_km // SLIDER_STEP_KM]
    assert step["width_km"] == width_km
    assert step["width"] == f"{width_km:,} km"
    a = analyse(SCENARIO.replace(width_km=width_km), regions=False)
    totals = a.totals.set_index("side")
    for side in SIDES:
        t = step["totals"][side]
        assert t["countries"] == totals.at[side, "countries"]
        assert t["area_km2"] == totals.at[side, "area_km2"]
        assert t["country_area_km2"] == totals.at[side, "country_area_km2"]
        assert t["share"] == totals.at[side, "share"]
        assert t["population"] == totals.at[side, "population"]
        count = int(totals.at[side, "countries"])
        assert t["words"] == (
            f"{SIDE_NAMES[side]}: {wording.format_share(totals.at[side, 'share'])} of the land of "
            + ("the country it touches" if count == 1 else f"the {count} countries it touches")
            if count
            else ""
        )
    rows = [
        (ladder["countries"][r["country"]]["code"], r["area_km2"], r["share"], r["population"])
        for r in step["affected"]
    ]
    expected = list(
        zip(a.affected["adm0_a3"], a.affected["area_km2"], a.affected["share"], a.affected["population"], strict=True)
    )
    assert rows == expected
    by_code = a.affected.set_index("adm0_a3")
    for r in step["affected"]:
        country = ladder["countries"][r["country"]]
        row = by_code.loc[country["code"]]
        assert (country["name"], country["side"], country["country_area_km2"]) == (
            row["name"],
            row["side"],
            row["country_area_km2"],
        )
        assert r["area"] == wording.format_km2(row["area_km2"])
        assert r["share_text"] == wording.format_share(row["share"])
        assert r["people"] == wording.format_people(row["population"])
        assert r["opacity"] == pytest.approx(0.18 + 0.5 * row["share"], abs=0.0051)  # zones.colours: 0.18 to 0.68
    cities = [c for c in ladder["cities"] if c["from_km"] <= width_km]  # what the browser keeps at this width
    assert sorted((c["name"], c["adm0_a3"], c["population"], c["distance_km"]) for c in cities) == sorted(
        (name, code, people, round(km, 1))
        for name, code, people, km in zip(
            a.cities["name"], a.cities["adm0_a3"], a.cities["population"], a.cities["distance_km"], strict=True
        )
    )
    assert sorted(c["label"] for c in cities) == sorted(
        f"{name}: {people:,} people, {wording.format_km(km)} from the border"
        for name, people, km in zip(a.cities["name"], a.cities["population"], a.cities["distance_km"], strict=True)
    )
    assert all(2.5 <= c["radius_px"] <= 10 for c in cities)


@pytest.mark.parametrize("width_km", [50, 300, 1000])
def test_outline_is_the_zone_simplified(ladder, width_km):
    step = ladder["steps"][width_km // SLIDER_STEP_KM]
    drawn = shapely.union_all([decode(piece["polygons"], ladder["grid_deg"]) for piece in step["zone"]])
    zone = analyse(SCENARIO.replace(width_km=width_km), regions=False).zone
    assert shapely.symmetric_difference(drawn, zone).area / zone.area < 0.01  # planar, in degrees²
    tolerance_deg = TOLERANCE_FACTOR * (ZONE_TOLERANCE_DEG + ZONE_TOLERANCE_DEG_PER_KM * width_km)
    margin_deg = 2 * tolerance_deg + ladder["grid_deg"]  # measured: at most 1.25 × the tolerance off the zone
    assert drawn.buffer(margin_deg).contains(zone)
    assert zone.buffer(margin_deg).contains(drawn)


def test_contact_line_is_on_the_ladder(ladder):
    a = analyse(SCENARIO, regions=False)
    assert len(ladder["line"]) == len(a.contact) == 8
    line = shapely.MultiLineString(
        [
            np.cumsum(np.asarray(r).reshape(-1, 2), axis=0) * ladder["grid_deg"]
            for pair in ladder["line"]
            for r in pair["rings"]
        ]
    )
    assert shapely.hausdorff_distance(line, a.line) < 0.02


def test_ladder_fits_in_600_kb_gzip(text):
    size = len(gzip.compress(text.encode("utf-8")))
    assert size <= 600_000, f"{size:,} bytes gzip"


def test_keyed_by_line_not_date_and_kept_on_disk(text):
    same_line = Scenario(width_km=50, date="2022-06-01", allies="union-state")  # same 30 members: same line
    assert ladder_json(same_line) is text  # from memory
    files = sorted(Path(disk_cache.cache_dir()).glob("ladder-*.json.gz"))
    assert files
    clear_memory_cache()
    assert ladder_json(same_line) == text  # from disk
    assert any(gzip.decompress(f.read_bytes()).decode("utf-8") == text for f in files)
    assert disk_cache.load_bytes("ladder-none", suffix=".json.gz") is None


def test_a_damaged_disk_file_is_a_miss(text, monkeypatch, tmp_path):
    """Every ladder file damaged, in a cache folder of its own: the run's is shared with the other worker."""
    files = sorted(Path(disk_cache.cache_dir()).glob("ladder-*.json.gz"))
    assert files
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path))
    for f in files:
        (tmp_path / f.name).write_bytes(b"not gzip")
    clear_memory_cache()
    monkeypatch.setattr("zones.web.ladder.build_ladder", lambda scenario: '{"rebuilt": true}')
    assert ladder_json(SCENARIO) == '{"rebuilt": true}'
    clear_memory_cache()
    assert ladder_json(SCENARIO) == '{"rebuilt": true}'  # and stored again
    monkeypatch.undo()
    clear_memory_cache()


def refuse_building(monkeypatch) -> None:
    """Make any computing of a ladder fail the test, and forget the ladders in memory: only the disk may answer."""

    def refused(scenario):
        raise AssertionError("a ladder was computed")

    monkeypatch.setattr("zones.web.ladder.build_ladder", refused)
    clear_memory_cache()


def test_stored_shares_read_the_ladder_file_and_compute_nothing(text, monkeypatch, tmp_path):
    """The claims panel's guide: each country's share at every step, analyse's, from the ladder on disk only."""
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path))
    refuse_building(monkeypatch)
    assert stored_shares(SCENARIO) is None  # no ladder file yet
    monkeypatch.setattr("zones.web.ladder.build_ladder", lambda scenario: text)
    assert ladder_json(SCENARIO) == text  # now on disk
    shares = stored_shares(SCENARIO)
    assert shares is not None
    affected = analyse(SCENARIO.replace(width_km=300), regions=False).affected.set_index("adm0_a3")
    for code in ("NOR", "POL", "FIN", "BLR"):
        widths, share, whole = shares[code]
        assert widths == [float(width) for width in widths_km()]
        assert (share[0], whole[0]) == (0.0, 0.0)
        assert share[300 // SLIDER_STEP_KM] == affected.at[code, "share"]
        assert whole[300 // SLIDER_STEP_KM] == affected.at[code, "share_whole_country"]
    clear_memory_cache()


def test_stored_shares_follow_the_file_and_are_the_callers_own(text, ladder, monkeypatch, tmp_path):
    """Kept in memory once read (the claims panel's guide), but always the file's: rewritten, removed, changed."""
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("zones.web.ladder.build_ladder", lambda scenario: text)
    clear_memory_cache()
    ladder_json(SCENARIO)  # computed (here: the fixture's text) and written, as the app's background job does
    (path,) = Path(tmp_path).glob("ladder-*.json.gz")
    k = 300 // SLIDER_STEP_KM
    first = stored_shares(SCENARIO)
    assert first is not None
    code = ladder["countries"][ladder["steps"][k]["affected"][0]["country"]]["code"]
    expected = ladder["steps"][k]["affected"][0]["share"]
    assert first[code][1][k] == expected
    first[code][1][k] = -1.0  # the caller's own lists: the next caller still gets the file's numbers
    assert stored_shares(SCENARIO)[code][1][k] == expected
    changed = json.loads(text)
    changed["steps"][k]["affected"][0]["share"] = 0.123
    path.write_bytes(gzip.compress(json.dumps(changed).encode("utf-8")))  # another file: read again
    assert stored_shares(SCENARIO)[code][1][k] == 0.123
    path.unlink()
    assert stored_shares(SCENARIO) is None  # no file, no ladder, whatever was read before
    clear_memory_cache()


def test_stored_sweep_is_the_sweep_read_from_the_ladder_file(text, monkeypatch, tmp_path):
    """The app's share-by-width table at once: from the ladder on disk, each width's rows ``sweep_table``'s."""
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path))
    refuse_building(monkeypatch)
    assert not is_stored(SCENARIO)
    assert stored_sweep(SCENARIO) is None  # no ladder file yet
    monkeypatch.setattr("zones.web.ladder.build_ladder", lambda scenario: text)
    assert ladder_json(SCENARIO) == text  # now on disk
    assert is_stored(SCENARIO)
    table = stored_sweep(SCENARIO.replace(width_km=120))
    assert table is not None
    assert tuple(table.columns) == SWEEP_COLUMNS
    assert sorted(set(table["width_km"])) == [float(width) for width in widths_km()]
    assert table.attrs["scenario"] == SCENARIO.replace(width_km=0.0)
    for width_km in (0, 300, 1000):  # each width against a sweep of that width alone (its own analysis)
        alone = sweep_table(SCENARIO, widths_km=[width_km]).set_index("adm0_a3")
        rows = table[table["width_km"] == width_km].set_index("adm0_a3")
        assert set(rows.index[rows["area_km2"] > 0]) == set(alone.index[alone["area_km2"] > 0])
        for code in alone.index:
            assert tuple(rows.loc[code, ["name", "side", "area_km2", "share"]]) == tuple(
                alone.loc[code, ["name", "side", "area_km2", "share"]]
            )
    clear_memory_cache()


def test_clipped_and_unclipped_ladders_are_kept_apart(monkeypatch, tmp_path):
    """Same line, other ladder: clipping is in the key, in memory, on disk and in the ladder's name."""
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("zones.web.ladder.build_ladder", lambda scenario: json.dumps({"clip": scenario.clip}))
    clipped = SCENARIO.replace(clip=True)
    assert ladder_key(SCENARIO) != ladder_key(clipped)
    clear_memory_cache()
    assert json.loads(ladder_json(SCENARIO)) == {"clip": False}
    assert json.loads(ladder_json(clipped)) == {"clip": True}  # from memory: apart
    clear_memory_cache()  # a restarted server: only the disk remembers
    assert json.loads(ladder_json(clipped)) == {"clip": True}
    assert json.loads(ladder_json(SCENARIO)) == {"clip": False}
    clear_memory_cache()
