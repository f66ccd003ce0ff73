"""Hostile input: the command line and the app's link must refuse it cleanly.

The CLI must exit 2 with one line naming the option (argparse's own errors
put its usage lines first), print no traceback and leave no file behind,
hidden ``.part`` files included. The app must not crash on any query string,
must warn about each bad value by name, fall back to the defaults and never
show raw markup.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.files import listing
from zones.cli.main import main
from zones.web.pair_link import link_state

REPO = Path(__file__).resolve().parents[1]
APP = str(REPO / "app.py")
TIMEOUT_S = 120
BIG = str(10**400)
RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
RLM = "\u200f"  # RIGHT-TO-LEFT MARK
LONG = "9" * 10_000


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m zones`` in a subprocess from ``cwd``.

    Parameters
    ----------
    *args : str
        Arguments after ``python -m zones``.
    cwd : pathlib.Path
        Working folder.

    Returns
    -------
    subprocess.CompletedProcess
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "zones", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def assert_one_line_error(stderr: str, command: str, option: str) -> None:
    """Assert ``stderr`` is one error line of ``python -m zones command`` naming ``option``, no traceback.

    Parameters
    ----------
    stderr : str
    command : str
    option : str
        As spelled on the command line, e.g. ``--width-km``.
    """
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"zones {command}: error: "), lines[0]
    assert f"(option {option})" in lines[0], lines[0]


OUT = {"contact": "out.geojson", "strip": "out.geojson", "affected": "out.csv", "cities": "out.geojson"}
OUT |= {"report": "out.png", "sweep": "out.csv"}

BAD_VALUES = [
    ("strip", ["--width-km", "1e309"], "--width-km"),
    ("strip", ["--width-km", BIG], "--width-km"),
    ("strip", ["--width-km", "-" + BIG], "--width-km"),
    ("strip", ["--width-km", "nan"], "--width-km"),
    ("strip", ["--width-km=-1e-300"], "--width-km"),  # argparse reads a bare -1e-300 as an option
    ("strip", ["--width-km", "<script>alert(1)</script>"], "--width-km"),
    ("strip", ["--width-km", RTL + "001"], "--width-km"),
    ("strip", ["--width-km", "🇷🇺"], "--width-km"),
    ("strip", ["--russia-width-km", "inf"], "--russia-width-km"),
    ("affected", ["--nato-width-km", "-0.5"], "--nato-width-km"),
    ("cities", ["--width-km", LONG], "--width-km"),
    ("contact", ["--allies", "../../etc/passwd"], "--allies"),
    ("contact", ["--allies", "🇷🇺"], "--allies"),
    ("contact", ["--allies", RTL + "otsc"], "--allies"),
    ("contact", ["--allies", "<b>csto</b>"], "--allies"),
    ("contact", ["--date", "/etc/passwd"], "--date"),
    ("contact", ["--date", "1e309"], "--date"),
    ("contact", ["--date", "2021-12-17" + RLM], "--date"),
    ("contact", ["--date", "<script>"], "--date"),
    ("contact", ["--date", "9999-12-31"], "--date"),
    ("contact", ["--russia-side", "../../etc/passwd"], "--russia-side"),
    ("contact", ["--russia-side", "RUS", "--nato-side", "<script>", "POL"], "--nato-side"),
    ("contact", ["--russia-side", "RUS", "--nato-side", "🇵🇱"], "--nato-side"),
    ("report", ["--dpi", "1e309"], "--dpi"),
    ("report", ["--dpi", BIG], "--dpi"),
    ("report", ["--dpi", "nan"], "--dpi"),
    ("report", ["--dpi", "72.5"], "--dpi"),
    ("report", ["--width-km", "100", "1e309"], "--width-km"),
    ("sweep", ["--step-km", "1e-300"], "--step-km"),
    ("sweep", ["--step-km", "nan"], "--step-km"),
    ("sweep", ["--max-width-km", "1e309"], "--max-width-km"),
    ("sweep", ["--max-width-km", "-" + BIG], "--max-width-km"),
    ("sweep", ["--nato-width-km", "50"], "--nato-width-km"),
]


@pytest.mark.parametrize(("command", "args", "option"), BAD_VALUES, ids=lambda v: str(v)[:30])
def test_bad_value_exits_2_naming_the_option(tmp_path, monkeypatch, capsys, command, args, option):
    monkeypatch.chdir(tmp_path)
    assert main([command, *args, "--out", OUT[command]]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_one_line_error(captured.err, command, option)
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("command", "args", "option"),
    [BAD_VALUES[0], BAD_VALUES[6], BAD_VALUES[15], BAD_VALUES[23]],
    ids=["inf-width", "rtl-width", "path-date", "inf-dpi"],
)
def test_bad_value_in_a_real_process(tmp_path, command, args, option):
    result = run_cli(command, *args, "--out", OUT[command], cwd=tmp_path)
    assert result.returncode == 2
    assert_one_line_error(result.stderr, command, option)
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["strip", "--no-such-option", "--out", "o.geojson"], "unrecognized arguments: --no-such-option"),
        (["strip", "--out", "o.geojson", "--width-km"], "argument --width-km: expected one argument"),
        (["contact", "--width-km", "100", "--out", "o.geojson"], "unrecognized arguments: --width-km 100"),
        (["strip", "--russia", "10", "--out", "o.geojson"], "unrecognized arguments: --russia 10"),  # no abbreviations
        (["strip", "--out"], "argument --out: expected one argument"),
        (["strip"], "the following arguments are required: --out"),
        (["<script>", "--out", "o.geojson"], "invalid choice: '<script>'"),
        ([RTL + "strip", "--out", "o.geojson"], "invalid choice"),
        (["report", "--out", "o.png", "--nato-side"], "argument --nato-side: expected at least one argument"),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_argparse_errors_exit_2_with_the_option_on_the_last_line(tmp_path, monkeypatch, capsys, args, fragment):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[0].startswith("usage: zones")
    assert fragment in err.strip().splitlines()[-1]
    assert listing(tmp_path) == []


def test_unknown_option_in_a_real_process(tmp_path):
    result = run_cli("strip", "--bogus", "<script>", "--out", "out.geojson", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "unrecognized arguments: --bogus <script>" in result.stderr.splitlines()[-1]
    assert listing(tmp_path) == []


# ---------------------------------------------------------------- --out


@pytest.mark.parametrize(
    ("out", "fragment"),
    [
        (".", "a file name ending in"),
        ("folder.geojson", "a file name, not a folder"),
        ("missing/out.geojson", "a path in an existing folder"),
        ("/dev/null", "a file name ending in"),
        ("/dev/stdout", "a file name ending in"),
        ("/etc/passwd", "a file name ending in"),
        ("../../etc/passwd", "a file name ending in"),
        ("out.shp", "a file name ending in .geojson or .json or .csv"),
        ("out.geojson.exe", "a file name ending in"),
        ("out.geojson ", "a file name ending in"),
        ("out.", "a file name ending in"),
        ("<script>.html", "a file name ending in"),
        (RTL + "nosjoeg.exe", "a file name ending in"),
    ],
)
def test_bad_out_exits_2_and_writes_nothing(tmp_path, monkeypatch, capsys, out, fragment):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.geojson").mkdir()
    before = listing(tmp_path)
    assert main(["contact", "--out", out]) == 2
    err = capsys.readouterr().err
    assert_one_line_error(err, "contact", "--out")
    assert fragment in err
    assert listing(tmp_path) == before


@pytest.mark.parametrize("command", ["report", "sweep"])
def test_report_and_sweep_refuse_a_bad_suffix_before_computing(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    assert main([command, "--out", "map.geojson"]) == 2
    assert_one_line_error(capsys.readouterr().err, command, "--out")
    assert listing(tmp_path) == []


def test_out_symlink_is_replaced_not_followed(tmp_path, monkeypatch, capsys):
    """Atomic rename replaces a symlink itself: its target (here a stand-in for /dev/null) is untouched."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    (tmp_path / "link.geojson").symlink_to(target)
    assert main(["contact", "--out", "link.geojson"]) == 0
    capsys.readouterr()
    assert target.read_text() == "keep me"
    assert not (tmp_path / "link.geojson").is_symlink()
    assert (tmp_path / "link.geojson").read_text().startswith("{")
    assert listing(tmp_path) == ["link.geojson", "target.txt"]


def test_long_but_legal_out_name(tmp_path):
    name = "a" * 240 + ".geojson"  # 248 characters: legal on every common file system
    result = run_cli("contact", "--out", name, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr[-300:]
    assert listing(tmp_path) == [name]


def test_too_long_out_name_leaves_nothing(tmp_path):
    result = run_cli("contact", "--out", "a" * 300 + ".geojson", cwd=tmp_path)
    assert result.returncode != 0
    assert listing(tmp_path) == []


def test_unwritable_out_folder_is_a_clean_error(tmp_path):
    result = run_cli("contact", "--out", "/proc/zones-test.geojson", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2
    assert "--out" in result.stderr


# ---------------------------------------------------------------- the app's link


def _app(params: dict[str, str | list[str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _shown(at: AppTest) -> list[str]:
    """Return every text the page shows (Markdown, HTML, alerts, captions, metrics, labels).

    Parameters
    ----------
    at : streamlit.testing.v1.AppTest

    Returns
    -------
    list of str
    """
    elements = [*at.markdown, *at.warning, *at.info, *at.caption, *at.title, *at.subheader, *at.error, *at.success]
    texts = [str(e.value) for e in elements]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [str(w.label) for w in [*at.slider, *at.toggle, *at.radio, *at.date_input, *at.button]]
    return texts


def _html_bodies(at: AppTest) -> list[str]:
    """Return the bodies of Markdown elements that allow raw HTML (``unsafe_allow_html``)."""
    return [str(m.value) for m in at.markdown if getattr(m.proto, "allow_html", False)]


def _assert_defaults(at: AppTest, *, except_for: str = "") -> None:
    if except_for not in {"width_km", "russia_width_km", "nato_width_km"}:
        assert at.session_state["width_km"] == 100
    if except_for != "date":
        assert at.date_input(key="date").value == dt.date(2021, 12, 17)
    if except_for != "allies":
        assert at.radio(key="allies").value == "union-state"
    if except_for != "clip":
        assert at.toggle(key="clip").value is False
    if except_for != "sea_borders":
        assert at.checkbox(key="sea_borders").value is False


def _assert_inert(at: AppTest) -> None:
    for text in _shown(at):
        assert "<script" not in text.lower()
        assert "<img" not in text.lower()
        assert "<b>" not in text
    for body in _html_bodies(at):
        assert "<script" not in body.lower()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("width_km", RTL + "100"),
        ("width_km", "🇷🇺"),
        ("width_km", LONG),
        ("width_km", "x" * 10_000),
        ("width_km", "NaN"),
        ("width_km", "-Infinity"),
        ("width_km", "../../etc/passwd"),
        ("width_km", "<img src=x onerror=alert(1)>"),
        ("russia_width_km", "1e309"),
        ("date", "<script>alert(1)</script>"),
        ("date", "../../etc/passwd"),
        ("date", "2021-12-17" + RLM),
        ("date", "2" * 10_000),
        ("date", "1e309"),
        ("allies", "/etc/passwd"),
        ("allies", "🇷🇺" * 5_000),
        ("allies", RTL + "otsc"),
        ("clip", "1e309"),
        ("clip", "<script>"),
        ("sea_borders", "<script>alert(1)</script>"),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_hostile_link_values_warn_by_name_and_use_defaults(name, value):
    at = _app({name: value})
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == 1, warnings
    assert f"**{name}**" in warnings[0]
    assert "Using" in warnings[0]
    assert len(warnings[0]) < 600  # a 10,000-character value is shortened
    if name in {"russia_width_km", "nato_width_km"}:  # the link turned per-side widths on
        assert at.session_state[name] == 100
        _assert_defaults(at, except_for=name)
    else:
        _assert_defaults(at)
    _assert_inert(at)
    assert at.query_params.get(name) != value


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"width_km": "-0"}, 0),
        ({"width_km": "1e-9"}, None),  # below the 0.1 km floor: refused with a warning
        ({"width_km": "0x10"}, None),
        ({"width_km": "1_000"}, 1000),
        ({"width_km": " 200 "}, 200),
        ({"clip": "TRUE"}, True),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_odd_but_readable_link_values(params, expected):
    at = _app(params)
    assert not at.exception
    _assert_inert(at)
    ((name, _),) = params.items()
    if expected is None:
        assert len(at.warning) == 1
        _assert_defaults(at)
    elif name == "width_km":
        assert at.session_state["width_km"] == expected
    else:
        assert at.toggle(key="clip").value is expected


def test_odd_but_readable_allies_in_the_link():
    """`` CSTO `` reads as the CSTO, with no note: the app's reading of a link (a page would compute a new line).

    That the page's radio takes the link's reading: ``tests/test_app.py``'s ``test_query_round_trip``.
    """
    values, notes = link_state({"allies": " CSTO "}, default_date=dt.date(2021, 12, 17))
    assert values["allies"] == "csto"
    assert notes == []


def test_repeated_keys_use_the_last_value():
    at = _app({"width_km": ["300", "<script>alert(1)</script>"], "date": ["2024-06-01", "2021-12-17"]})
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == 1
    assert "**width_km**" in warnings[0]
    _assert_defaults(at)
    _assert_inert(at)
    assert at.query_params["width_km"] == "100"
    assert at.query_params["date"] == "2021-12-17"


def test_unknown_and_hostile_keys_are_dropped_silently():
    at = _app({"<script>": "alert(1)", "width_km": "200", "../../etc/passwd": "1", "x" * 10_000: "y", "🇷🇺": RTL})
    assert not at.exception
    assert not at.warning
    assert at.session_state["width_km"] == 200
    _assert_inert(at)
    assert set(at.query_params) == {"width_km", "date", "allies"}


def test_every_parameter_bad_at_once_gives_one_warning_each():
    params = {
        "width_km": "<script>",
        "russia_width_km": "nan",
        "nato_width_km": "1e309",
        "date": "../../etc/passwd",
        "allies": "🇷🇺",
        "clip": "maybe",
        "sea_borders": "🌊",
    }
    at = _app(params)
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == len(params)
    for name, warning in zip(params, warnings, strict=True):
        assert f"**{name}**" in warning
    assert at.slider(key="russia_width_km").value == 100
    assert at.slider(key="nato_width_km").value == 100
    _assert_defaults(at, except_for="width_km")
    _assert_inert(at)
