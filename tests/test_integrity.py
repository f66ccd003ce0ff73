"""Export integrity: interrupted writes keep the previous file, and every GeoJSON is RFC 7946 with its areas.

Interruptions are simulated by monkeypatching the underlying writer so that
it writes half its output, then raises ``KeyboardInterrupt`` or ``OSError``.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from geodata.geodesy import geodesic_area_km2
from tests import oracle
from tests.files import listing
from tests.rfc7946 import check_feature_collection
from zones import Scenario, analyse, export
from zones.cli import report as report_cli
from zones.cli.main import main
from zones.engine.strip import geodesic_buffer
from zones.report import map_figure as report
from zones.report import sweep_chart

PREVIOUS = b"previous content, must survive"
INTERRUPTIONS = [KeyboardInterrupt, OSError]
GEOD = pyproj.Geod(ellps="WGS84")


def half_then(interruption: type[BaseException], calls: list[pathlib.Path]):
    """Return a writer ``(data, path)`` that records ``path``, writes half of ``data``, then raises.

    Parameters
    ----------
    interruption : type of BaseException
        ``KeyboardInterrupt`` or ``OSError``.
    calls : list of pathlib.Path
        Receives each path written to.

    Returns
    -------
    callable
    """

    def write(data: bytes, path: pathlib.Path) -> None:
        calls.append(pathlib.Path(path))
        with open(path, "wb") as stream:  # noqa: PTH123 - Path.write_bytes may be the patched writer
            stream.write(data[: max(1, len(data) // 2)])
        raise interruption("simulated interruption")

    return write


def assert_was_temporary(calls: list[pathlib.Path], out: pathlib.Path) -> None:
    """Assert every interrupted write went to a hidden ``.part`` file next to ``out``, never to ``out``."""
    assert calls
    for path in calls:
        assert path.parent == out.parent
        assert path.name != out.name
        assert path.name.startswith(".")
        assert ".part" in path.name


@pytest.fixture(scope="module")
def small():
    """A cheap analysis (Norway–Russia in 1997, 50 km)."""
    return analyse(Scenario(width_km=50, date="1997-05-27"))


# ---------------------------------------------------------------- interrupted writes


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
def test_interrupted_geojson_keeps_the_previous_file(small, tmp_path, monkeypatch, interruption):
    out = tmp_path / "zone.geojson"
    out.write_bytes(PREVIOUS)
    calls: list[pathlib.Path] = []
    writer = half_then(interruption, calls)
    monkeypatch.setattr(
        export.pyogrio,
        "write_dataframe",
        lambda frame, path, **kwargs: writer(frame.to_json().encode(), path),
    )
    with pytest.raises(interruption):
        export.write_geojson(export.strip_frame(small), out)
    assert out.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["zone.geojson"]
    assert_was_temporary(calls, out)


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
def test_interrupted_csv_keeps_the_previous_file(small, tmp_path, monkeypatch, interruption):
    out = tmp_path / "affected.csv"
    out.write_bytes(PREVIOUS)
    calls: list[pathlib.Path] = []
    writer = half_then(interruption, calls)  # write_csv writes csv_bytes, the download's bytes
    monkeypatch.setattr(pathlib.Path, "write_bytes", lambda self, data: writer(data, self))
    with pytest.raises(interruption):
        export.write_csv(export.affected_frame(small), out)
    assert out.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["affected.csv"]
    assert_was_temporary(calls, out)


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
@pytest.mark.parametrize("suffix", report.SUFFIXES)
def test_interrupted_map_keeps_the_previous_file(small, tmp_path, monkeypatch, suffix, interruption):
    out = tmp_path / f"map{suffix}"
    out.write_bytes(PREVIOUS)
    content = report.render_map(small, fmt=suffix.lstrip("."), dpi=20)
    monkeypatch.setattr(report, "render_map", lambda *args, **kwargs: content)  # render once, fail many
    calls: list[pathlib.Path] = []
    writer = half_then(interruption, calls)
    monkeypatch.setattr(pathlib.Path, "write_bytes", lambda self, data: writer(data, self), raising=True)
    with pytest.raises(interruption):
        report.write_map(small, out, dpi=20)
    monkeypatch.undo()
    assert out.read_bytes() == PREVIOUS
    assert listing(tmp_path) == [out.name]
    assert_was_temporary(calls, out)


def _fake_sweep(scenario, widths_km):
    """A tiny sweep table (no analyses) with the real columns."""
    return pd.DataFrame(
        {
            "width_km": [float(w) for w in widths_km],
            "adm0_a3": "NOR",
            "name": "Norway",
            "side": "nato",
            "area_km2": [10.0 * w for w in widths_km],
            "share": [min(1.0, w / 1000) for w in widths_km],
        }
    )


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
@pytest.mark.parametrize("suffix", [*report.SUFFIXES, ".csv"])
def test_interrupted_sweep_keeps_the_previous_file(tmp_path, monkeypatch, capsys, suffix, interruption):
    out = tmp_path / f"sweep{suffix}"
    out.write_bytes(PREVIOUS)
    monkeypatch.setattr(report_cli, "sweep_table", _fake_sweep)
    monkeypatch.setattr(sweep_chart, "render_sweep", lambda table, **kwargs: b"%chart%" * 1000)  # imported lazily
    calls: list[pathlib.Path] = []
    writer = half_then(interruption, calls)  # the table (zones.export.write_csv) and the chart: Path.write_bytes
    monkeypatch.setattr(pathlib.Path, "write_bytes", lambda self, data: writer(data, self))
    interrupted(capsys, interruption, ["sweep", "--date", "1997-05-27", "--max-width-km", "20", "--out", str(out)])
    monkeypatch.undo()
    assert out.read_bytes() == PREVIOUS
    assert listing(tmp_path) == [out.name]
    assert_was_temporary(calls, out)


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
def test_interrupted_cli_export_keeps_the_previous_file(tmp_path, monkeypatch, capsys, interruption):
    out = tmp_path / "cities.csv"
    out.write_bytes(PREVIOUS)
    calls: list[pathlib.Path] = []
    writer = half_then(interruption, calls)  # the CLI writes the download's bytes (zones.output.write_files)
    monkeypatch.setattr(pathlib.Path, "write_bytes", lambda self, data: writer(data, self))
    interrupted(capsys, interruption, ["cities", "--date", "1997-05-27", "--width-km", "50", "--out", str(out)])
    monkeypatch.undo()
    assert out.read_bytes() == PREVIOUS
    assert listing(tmp_path) == [out.name]
    assert_was_temporary(calls, out)


def interrupted(capsys: pytest.CaptureFixture[str], interruption: type[BaseException], argv: list[str]) -> None:
    """Run the CLI through an interruption: Ctrl-C propagates, an OSError is a one-line error (exit 2)."""
    if issubclass(interruption, OSError):
        assert main(argv) == 2
        error = capsys.readouterr().err
        assert "cannot write" in error
        assert "(option --out)" in error
        assert "Traceback" not in error
    else:
        with pytest.raises(interruption):
            main(argv)


def _fake_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``python -m zones report`` skip the analysis and the drawing."""
    monkeypatch.setattr(report_cli, "analyse", lambda scenario: scenario)
    monkeypatch.setattr(report, "render_map", lambda scenario, **kwargs: f"map {scenario.width_km}".encode())  # lazily


def test_interrupted_multi_width_report_leaves_no_new_file(tmp_path, monkeypatch, capsys):
    _fake_report(monkeypatch)
    original = pathlib.Path.write_bytes
    calls: list[pathlib.Path] = []

    def second_fails(self, data):
        if calls:
            calls.append(self)
            original(self, data[:2])
            raise OSError("disk full")
        calls.append(self)
        return original(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", second_fails)
    interrupted(capsys, OSError, ["report", "--width-km", "100", "200", "--out", str(tmp_path / "map.png")])
    monkeypatch.undo()
    assert listing(tmp_path) == []


def test_interrupted_multi_width_report_keeps_previous_files(tmp_path, monkeypatch, capsys):
    _fake_report(monkeypatch)
    for name in ("map_100km.png", "map_200km.png"):
        (tmp_path / name).write_bytes(PREVIOUS)
    original = pathlib.Path.write_bytes
    calls: list[pathlib.Path] = []

    def second_fails(self, data):
        calls.append(self)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return original(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", second_fails)
    with pytest.raises(KeyboardInterrupt):
        main(["report", "--width-km", "100", "200", "--out", str(tmp_path / "map.png")])
    monkeypatch.undo()
    assert listing(tmp_path) == ["map_100km.png", "map_200km.png"]
    assert (tmp_path / "map_100km.png").read_bytes() == PREVIOUS  # fails: the file is gone
    assert (tmp_path / "map_200km.png").read_bytes() == PREVIOUS


def test_successful_multi_width_report_replaces_both(tmp_path, monkeypatch, capsys):
    _fake_report(monkeypatch)
    for name in ("map_100km.png", "map_200km.png"):
        (tmp_path / name).write_bytes(PREVIOUS)
    assert main(["report", "--width-km", "100", "200", "--out", str(tmp_path / "map.png")]) == 0
    assert (tmp_path / "map_100km.png").read_bytes() == b"map 100.0"
    assert (tmp_path / "map_200km.png").read_bytes() == b"map 200.0"
    assert listing(tmp_path) == ["map_100km.png", "map_200km.png"]


# ---------------------------------------------------------------- RFC 7946 and areas, every kind


SCENARIOS = {
    "csto-armenia-turkey": Scenario(width_km=500, allies="csto", date=dt.date.today()),
    "draft-2000": Scenario(width_km=2000, date="2021-12-17"),
    "one-sided": Scenario(width_km=300, russia_width_km=0, nato_width_km=300, date="2024-06-01"),
    "usa-canada-across-180": Scenario(width_km=1800, russia_side=("USA",), nato_side=("CAN",)),
}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def analysis(request):
    return analyse(SCENARIOS[request.param])


def _read_back(frame: gpd.GeoDataFrame, path: pathlib.Path) -> gpd.GeoDataFrame:
    check_feature_collection(path)
    back = gpd.read_file(path)
    assert len(back) == len(frame)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.is_valid.all()
    return back


@pytest.mark.parametrize("kind", ["strip", "affected", "cities", "contact"])
def test_every_geojson_export_is_rfc7946_and_keeps_its_measures(analysis, kind, tmp_path):
    frame = analysis.contact if kind == "contact" else getattr(export, f"{kind}_frame")(analysis)
    back = _read_back(frame, export.write_geojson(frame, tmp_path / f"{kind}.geojson"))
    if kind in {"strip", "affected"}:
        areas = np.array([oracle.geodesic_area_km2(g) for g in back.geometry])
        # ±0.01 %, but a sliver of ~0.01 km² moves by a few m² when its edges snap to the 10⁻⁶° grid (0.1 m)
        np.testing.assert_allclose(areas, frame["area_km2"], rtol=1e-4, atol=1e-5)
    elif kind == "contact":
        lengths = np.array([GEOD.geometry_length(g) / 1000 for g in back.geometry])
        np.testing.assert_allclose(lengths, frame["length_km"], rtol=1e-4)
        assert set(back["nato_side"]) == set(frame["nato_side"])
    else:
        np.testing.assert_allclose(back.geometry.x, frame.geometry.x, atol=1e-6)
        np.testing.assert_allclose(back.geometry.y, frame.geometry.y, atol=1e-6)


def test_csto_reading_has_armenia_turkey():
    pairs = analyse(Scenario(width_km=10, allies="csto", date=dt.date.today())).contact
    assert {("ARM", "TUR")} <= set(zip(pairs["russia_side"], pairs["nato_side"], strict=True))


def test_usa_canada_strip_crosses_the_antimeridian(tmp_path):
    strip = analyse(SCENARIOS["usa-canada-across-180"]).strip
    path = export.write_geojson(export.strip_frame(analyse(SCENARIOS["usa-canada-across-180"])), tmp_path / "s.json")
    data = check_feature_collection(path)
    xy = np.concatenate([shapely.get_coordinates(g) for g in strip.geometry])
    assert xy[:, 0].max() == 180.0
    assert xy[:, 0].min() == -180.0
    # the zone is cut at the antimeridian, not wrapped: both sides of the cut span the same latitudes
    at_east, at_west = xy[xy[:, 0] == 180.0, 1], xy[xy[:, 0] == -180.0, 1]
    assert at_east.min() == pytest.approx(at_west.min(), abs=1e-9)
    assert at_east.max() == pytest.approx(at_west.max(), abs=1e-9)
    assert len(data["features"]) == len(strip)


def test_synthetic_line_across_the_antimeridian(tmp_path):
    """Russia has no land neighbour at ±180, so buffer a Bering-like line directly."""
    line = shapely.MultiLineString([[(172.0, 64.5), (180.0, 66.0)], [(-180.0, 66.0), (-168.0, 65.5)]])
    pieces = []
    for width_km in (10.0, 300.0, 1000.0):
        strip = geodesic_buffer(line, distance_km=width_km)
        assert strip.is_valid
        # every densified vertex of the line is in the strip, and no measurable length of it is outside
        lon, lat = oracle.densify_line(line)
        assert shapely.covers(strip, shapely.points(lon, lat)).all()
        assert shapely.difference(line, strip).length < 1e-6 * line.length
        lon = shapely.get_coordinates(strip)[:, 0]
        assert lon.min() < 0 < lon.max()
        pieces.append({"width_km": width_km, "area_km2": float(geodesic_area_km2([strip])[0]), "geometry": strip})
    frame = gpd.GeoDataFrame(pieces, crs="EPSG:4326")
    back = _read_back(frame, export.write_geojson(frame, tmp_path / "bering.geojson"))
    areas = np.array([oracle.geodesic_area_km2(g) for g in back.geometry])
    np.testing.assert_allclose(areas, frame["area_km2"], rtol=1e-4)
    assert np.all(np.diff(frame["area_km2"]) > 0)
    data = json.loads((tmp_path / "bering.geojson").read_text())
    for feature in data["features"]:
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    # the strip edge is at the width, measured by the independent oracle (0.1 % + 50 m)
    errors = oracle.edge_error_m(frame.geometry.iloc[1], line, 300.0)
    assert np.abs(errors).max() <= 0.001 * 300_000 + 50
