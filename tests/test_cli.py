"""The command line ``python -m zones``: outputs, exit codes and messages."""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys

import geopandas as gpd
import pytest

import zones
from tests.in_process import run_in_process
from zones import export
from zones.cli.main import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zones", *args], capture_output=True, text=True, check=False)


def test_contact_writes_rfc7946_feature_collection(tmp_path):
    out = tmp_path / "contact.geojson"
    result = run("contact", "--date", "2021-12-17", "--allies", "union-state", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "wrote 8 features" in result.stdout
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data  # RFC 7946: WGS84 implied
    props = data["features"][0]["properties"]
    assert set(props) == {"russia_side", "nato_side", "russia_name", "nato_name", "length_km"}
    coords = data["features"][0]["geometry"]["coordinates"][0][0]
    assert all(len(str(c).split(".")[1]) <= 6 for c in coords)
    frame = gpd.read_file(out)
    assert len(frame) == 8
    assert frame.crs.to_epsg() == 4326


def test_contact_defaults_to_today_and_union_state(tmp_path):
    out = tmp_path / "c.geojson"
    assert main(["contact", "--out", str(out)]) == 0
    frame = gpd.read_file(out)
    assert set(frame["nato_side"]) == {"NOR", "FIN", "EST", "LVA", "LTU", "POL"}


def test_contact_dissolved_and_csv(tmp_path):
    out = tmp_path / "c.geojson"
    assert main(["contact", "--dissolve", "--out", str(out)]) == 0
    frame = gpd.read_file(out)
    assert len(frame) == 1
    assert frame.loc[0, "pairs"] == 9
    csv = tmp_path / "c.csv"
    assert main(["contact", "--allies", "csto", "--out", str(csv)]) == 0
    assert csv.read_text().splitlines()[0] == "russia_side,nato_side,russia_name,nato_name,length_km"


def test_custom_sides_on_the_command_line(tmp_path):
    out = tmp_path / "c.geojson"
    assert main(["contact", "--russia-side", "UKR", "--nato-side", "POL", "SVK", "--out", str(out)]) == 0
    assert set(gpd.read_file(out)["nato_side"]) == {"POL", "SVK"}


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["--date", "1991-12-25"], r"'date' should be a date YYYY-MM-DD from 1991-12-26 .*got '1991-12-25'"),
        (["--date", "2999-01-01"], r"'date' should be a date .*got '2999-01-01'"),
        (["--date", "17/12/2021"], r"'date' should be a date YYYY-MM-DD"),
        (["--allies", "nato"], r"'allies' should be one of 'union-state', 'csto', got 'nato'"),
        (["--russia-side", "RUS", "--nato-side", "FNI"], r"Close matches: FIN \(Finland\)"),
        (["--russia-side", "RUS", "--nato-side", "RUS"], r"Both sides contain RUS"),
        (["--russia-side", "ESP", "--nato-side", "FIN"], r"No land border between .*ESP \(Spain\)"),
    ],
)
def test_bad_options_exit_2_with_message_and_no_file(tmp_path, args, pattern):
    out = tmp_path / "contact.geojson"
    result = run_in_process("contact", *args, "--out", str(out))  # test_argparse_errors_exit_2 starts the process
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("zones contact: error:")
    assert re.search(pattern, result.stderr), result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "pattern"),
    [
        ("contact.shp", r"'out' should be a file name ending in .geojson or .json or .csv"),
        ("missing/contact.geojson", r"'out' should be a path in an existing folder"),
        (".", r"'out' should be"),
    ],
)
def test_bad_out_path(tmp_path, monkeypatch, capsys, out, pattern):
    monkeypatch.chdir(tmp_path)
    assert main(["contact", "--out", out]) == 2
    assert re.search(pattern, capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_argparse_errors_exit_2():
    result = run("contact", "--no-such-option", "--out", "x.geojson")
    assert result.returncode == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr
    assert run().returncode == 2


def test_interrupted_export_leaves_no_partial_file(tmp_path, monkeypatch):
    out = tmp_path / "contact.geojson"
    out.write_text("previous content")

    def broken_writer(frame, path, **kwargs):
        path.write_text('{"type": "FeatureCollection", "features": [')  # half-written
        raise KeyboardInterrupt

    monkeypatch.setattr(export.pyogrio, "write_dataframe", broken_writer)
    with pytest.raises(KeyboardInterrupt):
        main(["contact", "--out", str(out)])
    assert out.read_text() == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["contact.geojson"]


def test_strip_says_how_many_features_and_which_sides(tmp_path, capsys):
    """One feature (side 'all') unless clipped or the widths differ; the message counts them in good English."""
    out = tmp_path / "strip.geojson"
    for args, sides in (
        ([], ["all"]),
        (["--clip"], ["russia", "nato"]),
        (["--nato-width-km", "80"], ["russia", "nato", "third"]),
    ):
        assert main(["strip", "--width-km", "50", "--date", "2021-12-17", *args, "--out", str(out)]) == 0
        message = capsys.readouterr().out
        written = gpd.read_file(out)
        assert list(written["side"]) == sides
        noun = "1 feature (side all)" if len(sides) == 1 else f"{len(sides)} features (sides {', '.join(sides)})"
        assert message.startswith(f"wrote {noun}, ")
    result = run("strip", "--help")
    assert "one feature (side 'all')" in " ".join(result.stdout.split())
    assert "one feature per side" not in result.stdout


def test_dissolved_contact_says_one_feature(tmp_path, capsys):
    assert main(["contact", "--dissolve", "--out", str(tmp_path / "c.geojson")]) == 0
    assert capsys.readouterr().out.startswith("wrote 1 feature, ")


# ---------------------------------------------------------------- how the package hangs together

ZONES_DIR = pathlib.Path(zones.__file__).parent


def _path_of(module: str) -> pathlib.Path:
    """Return the file of a zones module (``zones.engine`` is ``zones/engine/__init__.py``)."""
    path = ZONES_DIR.joinpath(*module.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _zones_modules() -> list[str]:
    """Return every module and subpackage of zones but the package itself."""
    names = []
    for path in ZONES_DIR.rglob("*.py"):
        parts = path.relative_to(ZONES_DIR).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        if parts:
            names.append(".".join(("zones", *parts)))
    return sorted(names)


def _imports_within(module: str) -> set[str]:
    """Return the zones modules ``module`` imports at its top level (not inside functions)."""
    tree = ast.parse(_path_of(module).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zones"):
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {name for name in names if name in _zones_modules()} or {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("zones.")}
    return found - {"zones", module}


def test_zones_modules_import_without_a_cycle():
    graph = {module: _imports_within(module) for module in _zones_modules()}
    assert graph["zones.cli.main"] >= {"zones.cli.options", "zones.cli.report"}  # the parser is sound
    assert "zones.cli.main" not in graph["zones.cli.report"]
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        assert module not in visiting, "import cycle: " + " -> ".join([*visiting[visiting.index(module) :], module])
        if module in done or module not in graph:
            return
        visiting.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_no_dynamic_imports_in_zones():
    for path in ZONES_DIR.rglob("*.py"):
        assert "__import__(" not in path.read_text(encoding="utf-8"), path.name


def test_every_zones_module_imports_alone_and_python_m_zones_help_works():
    """Each module is imported first in a fresh set of zones modules, so no import order hides a cycle."""
    script = (
        "import importlib, sys\n"
        f"for name in {_zones_modules()!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'zones' or m.startswith(('zones.', 'geodata'))]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
    help_text = run("--help")
    assert help_text.returncode == 0
    for command in ("contact", "strip", "affected", "cities", "regions", "html", "thresholds", "report", "sweep"):
        assert command in help_text.stdout
