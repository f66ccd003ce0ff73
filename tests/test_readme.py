"""The README's example and commands stay true, and a fresh clone runs them as written."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest

from tests import browser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


PYTHON_EXAMPLES = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_readme_has_python_examples():
    assert len(PYTHON_EXAMPLES) >= 2


@pytest.mark.parametrize("code", PYTHON_EXAMPLES, ids=lambda code: code.splitlines()[0])
def test_python_example_prints_what_the_readme_says(code):
    expected = re.search(r"# (.+)$", code.strip().splitlines()[-1]).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert out.getvalue().strip() == expected


def test_exactly_two_setup_commands():
    for marker in ("app-command", "test-command"):
        block = re.search(rf"<!-- {marker} -->\n```\n(.*?)\n```\n<!-- /{marker} -->", README, flags=re.DOTALL)
        assert block is not None
        assert len(block.group(1).splitlines()) == 1
    assert "streamlit run app.py" in README.split("<!-- app-command -->")[1].split("<!-- /app-command -->")[0]


def test_every_command_uses_the_venv_of_the_setup_commands():
    """A bare ``python -m zones`` runs the system's Python, which has no geopandas."""
    commands = [line for line in README.splitlines() if ": error: " not in line]  # error lines name the program
    bare = re.findall(r"(?<![\w/.])(?:python3?|streamlit) (?:-m \S+|run)", "\n".join(commands))
    assert [b for b in bare if b != "python3 -m venv"] == []
    assert README.count(".venv/bin/zones ") >= 8


def _command_lines() -> list[str]:
    """Return the lines of the README's command-line block, comments removed."""
    section = README.split("## Command line\n", 1)[1]
    block = re.search(r"```\n(.*?)```", section, flags=re.DOTALL).group(1)
    return [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines() if line.strip()]


@pytest.fixture
def installed_venv(environment: Path) -> Path:
    """Return the fresh environment with the project installed from a wheel of this clone's files (conftest.py)."""
    return environment.parent


def _clone_folder(tmp_path: Path, venv: Path) -> Path:
    """Return an empty folder that stands for the clone after its set-up command: its ``.venv`` is ``venv``."""
    folder = tmp_path / "clone"
    folder.mkdir()
    (folder / ".venv").symlink_to(venv)
    return folder


def _run_as_written(line: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run one README line in a shell in ``folder`` under umask 022, with nothing of the checkout on the path."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        ["bash", "-c", f"umask 022 && {line}"], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


def _files_named(line: str) -> list[str]:
    """Return the files a README line says it writes: its ``--out``, or one per width for a report of several."""
    out = Path(re.search(r"--out (\S+)", line).group(1))
    widths = re.search(r"--width-km ([\d. ]+?)(?= --)", line)
    if line.split()[1] == "report" and widths and len(widths.group(1).split()) > 1:
        return [f"{out.stem}_{width}km{out.suffix}" for width in widths.group(1).split()]  # as its comment says
    return [out.name]


#: Runs README lines in one process of the installed environment, each as its console script would
#: (``zones.cli.main:main`` with the line's words, under umask 022); prints each line's exit code and output.
ONE_PROCESS = """
import contextlib, io, json, os, sys
from zones.cli.main import main
os.umask(0o022)
results = []
for words in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(words)
        except SystemExit as exit_:
            code = exit_.code
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def _run_in_one_process(lines: list[str], folder: Path) -> list[tuple[int, str, str]]:
    """Run README lines of the form ``.venv/bin/zones ARGS`` in one process of that ``.venv``, in ``folder``.

    What the console script does per line (``sys.exit(main())`` with the line's words), without starting
    Python and importing the package again for each: the lines' own work is what is tested. Return each
    line's exit code, standard output and standard error.
    """
    script = ".venv/bin/zones"
    words = [shlex.split(line) for line in lines]
    assert all(w[0] == script for w in words)
    assert all(re.fullmatch(r"[\w./ ,=-]+", line) for line in lines)  # no quotes, globs or operators: bash splits alike
    assert (folder / script).is_file()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(folder / ".venv/bin/python"), "-c", ONE_PROCESS],
        input=json.dumps([w[1:] for w in words]),
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [tuple(r) for r in json.loads(result.stdout)]


def test_command_line_examples_run_as_written(tmp_path, installed_venv):
    """Every line of the README's command-line block succeeds and writes the files it names, in a fresh folder.

    The ``zones`` command is the one a wheel of this clone installs; every file it writes is readable by
    everyone under umask 022 (mode 0644), so a web server running as another user can serve it. The first
    line runs in a shell exactly as written; the others run in one process of the same environment
    (:func:`_run_in_one_process`), each line's exit code, output and files checked on their own.
    """
    folder = _clone_folder(tmp_path, installed_venv)
    lines = _command_lines()
    assert {"contact", "strip", "affected", "cities", "report", "sweep"} <= {line.split()[1] for line in lines}
    first = _run_as_written(lines[0], folder)
    results = [(first.returncode, first.stdout, first.stderr), *_run_in_one_process(lines[1:], folder)]
    named: list[str] = []
    for line, (code, out, err) in zip(lines, results, strict=True):
        assert code == 0, (line, err)
        assert err == "", line
        assert out.startswith("wrote "), line
        named += _files_named(line)
    assert {"map_100km.png", "map_200km.png", "map_300km.png"} <= set(named)
    assert sorted(p.name for p in folder.iterdir()) == sorted([".venv", *named])
    assert all((folder / name).stat().st_size > 100 for name in named)
    suffixes = {Path(name).suffix for name in named}
    assert {".geojson", ".csv", ".png", ".pdf", ".html"} <= suffixes
    assert {name: oct(stat.S_IMODE((folder / name).stat().st_mode)) for name in named} == dict.fromkeys(
        named, oct(0o644)
    )


def test_error_examples_print_what_the_readme_shows(tmp_path, installed_venv):
    """The README's examples of bad input give exit code 2 and the line it shows (``…`` stands for any text)."""
    folder = _clone_folder(tmp_path, installed_venv)
    shown = re.findall(r"^\$ (.+)\n(.+)$", README, flags=re.MULTILINE)
    assert len(shown) == 2
    for command, message in shown:
        result = _run_as_written(command, folder)
        assert result.returncode == 2
        pattern = ".*".join(re.escape(part) for part in message.split("…"))
        assert re.fullmatch(pattern, result.stderr.strip()), result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [".venv"]


def test_a_fresh_clone_starts_without_warnings(tmp_path):
    """The committed files alone start Streamlit without a warning, and the server writes nothing beside them."""
    archive = tmp_path / "head.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), "HEAD"], check=True)
    clone = tmp_path / "clone"
    with tarfile.open(archive) as tar:
        tar.extractall(clone, filter="data")
    committed = sorted(p.relative_to(clone) for p in clone.rglob("*"))
    with browser.streamlit_server(clone / "app.py") as server:
        log = server.log.read_text()
    assert "WARNING" not in log, log
    assert "No runtime found" not in log, log  # the server imports app.py before its runtime starts, quietly
    written = sorted(p.relative_to(clone) for p in clone.rglob("*") if "__pycache__" not in p.parts)
    assert written == [p for p in committed if "__pycache__" not in p.parts]


def test_the_readme_is_a_front_door():
    """At most 300 lines: method, data, benchmarks and design live in docs/, and every page it links exists."""
    assert len(README.splitlines()) <= 300
    for target in re.findall(r"\]\(((?:docs|geodata)/[^)#]+)", README):
        assert (REPO / target).exists(), target
