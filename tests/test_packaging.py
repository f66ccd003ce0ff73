"""The project installs as a package: a wheel from the clone's files works from any folder, with its data."""

from __future__ import annotations

import os
import subprocess
import tomllib
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

import zones
from tests import installed

REPO = installed.REPO


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_the_wheel_holds_the_code_the_data_and_the_browser_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = installed.tracked_files()
    for folder in ("zones", "geodata"):
        shipped = {
            name
            for name in tracked
            if name.startswith(f"{folder}/")
            and (name.endswith((".py", ".parquet", ".csv", ".json", ".typed")) or "/static/" in name)
        }
        assert shipped, folder
        assert shipped <= names, sorted(shipped - names)
    assert not any(name.startswith(("tests/", "benchmarks/", "tools/", "app.py")) for name in names)
    metadata = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "zones = zones.cli.main:main" in zipfile.ZipFile(wheel).read(metadata).decode()


def test_the_version_is_one_and_the_same_everywhere(wheel):
    assert wheel.name.startswith(f"article7_zones-{zones.__version__}-")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" in project["dynamic"]


def test_dependencies_have_lower_bounds_met_by_the_pinned_set():
    """Every declared dependency is pinned in requirements.txt at a version its lower bound admits."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["app"]]
    pins = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower()] = tuple(int(part) for part in version.strip().split(".")[:3])
    for requirement in declared:
        name, bound = requirement.split(">=")
        assert name.lower() in pins, f"{name} is declared but not pinned in requirements.txt"
        wanted = tuple(int(part) for part in bound.split("."))
        assert pins[name.lower()][: len(wanted)] >= wanted, requirement


def test_the_console_script_and_python_m_zones_run_from_an_empty_folder(environment, tmp_path):
    help_text = _run([str(environment / "zones"), "--help"], tmp_path)
    assert help_text.returncode == 0, help_text.stderr
    assert help_text.stdout.startswith("usage: zones ")
    for command in ("contact", "strip", "affected", "cities", "regions", "html", "thresholds", "report", "sweep"):
        assert command in help_text.stdout
    module = _run([str(environment / "python"), "-m", "zones", "--version"], tmp_path)
    assert module.returncode == 0, module.stderr
    assert module.stdout.strip() == f"zones {zones.__version__}"
    where = _run(
        [str(environment / "python"), "-c", "import zones, geodata; print(zones.__file__, geodata.__file__)"], tmp_path
    )
    paths = where.stdout.split()
    assert len(paths) == 2
    assert all(Path(path).is_relative_to(environment.parent) for path in paths), paths  # the wheel's, not the clone's
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_installed_package_reads_its_data_and_writes_a_file(environment, tmp_path):
    """The installed package finds its own data: the same border pairs and lengths as this clone's code."""
    result = _run([str(environment / "zones"), "contact", "--date", "2021-12-17", "--out", "c.geojson"], tmp_path)
    assert result.returncode == 0, result.stderr
    written = gpd.read_file(tmp_path / "c.geojson").set_index(["russia_side", "nato_side"])["length_km"].sort_index()
    expected = zones.contact_line("2021-12-17").set_index(["russia_side", "nato_side"])["length_km"].sort_index()
    assert list(written.index) == list(expected.index)
    assert written.to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.geojson"]
