"""zones.output: checked output paths, atomic single files and all-or-nothing multi-file writes.

Failures are injected where they hurt: the renderer of the second of three
maps, ``os.replace`` on its second call (half the files renamed), and the
write of a temporary file. After each, the folder must hold exactly what it
held before: no new file, no temporary file, old files byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import stat

import pytest

import geodata.loader
from tests.files import listing
from zones import ArgumentError
from zones import output as io
from zones.cli import report as report_cli
from zones.cli.main import main
from zones.engine import disk_cache
from zones.report import map_figure

OLD = b"old content, must survive"


def contents(folder: pathlib.Path, *names: str) -> dict[pathlib.Path, bytes]:
    return {folder / name: f"new {name}".encode() * 100 for name in names}


def replace_failing_on(call: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Make ``os.replace`` raise OSError on its ``call``-th call (1-based); return the calls made."""
    original = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src, dst):
        calls.append((os.fspath(src), os.fspath(dst)))
        if len(calls) == call:
            raise OSError(28, "No space left on device")
        return original(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_write_files_writes_every_file(tmp_path):
    wanted = contents(tmp_path, "a.png", "b.png", "c.png")
    assert io.write_files(wanted) == list(wanted)
    assert {path: path.read_bytes() for path in wanted} == wanted
    assert listing(tmp_path) == ["a.png", "b.png", "c.png"]


def test_a_failed_second_rename_leaves_no_new_file_and_no_temporary(tmp_path, monkeypatch):
    calls = replace_failing_on(2, monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        io.write_files(contents(tmp_path, "a.png", "b.png", "c.png"))
    monkeypatch.undo()
    assert [pathlib.Path(dst).name for _, dst in calls] == ["a.png", "b.png"]  # a.png was in place, then removed
    assert listing(tmp_path) == []


def test_a_failed_second_rename_puts_the_old_files_back(tmp_path, monkeypatch):
    for name in ("a.png", "b.png", "c.png"):
        (tmp_path / name).write_bytes(OLD)
    replace_failing_on(2, monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        io.write_files(contents(tmp_path, "a.png", "b.png", "c.png"))
    monkeypatch.undo()
    assert listing(tmp_path) == ["a.png", "b.png", "c.png"]
    for name in ("a.png", "b.png", "c.png"):
        assert (tmp_path / name).read_bytes() == OLD, name


def test_a_failed_last_rename_with_one_old_file(tmp_path, monkeypatch):
    (tmp_path / "b.png").write_bytes(OLD)
    replace_failing_on(3, monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        io.write_files(contents(tmp_path, "a.png", "b.png", "c.png"))
    monkeypatch.undo()
    assert listing(tmp_path) == ["b.png"]
    assert (tmp_path / "b.png").read_bytes() == OLD


def test_an_interrupted_temporary_write_renames_nothing(tmp_path, monkeypatch):
    (tmp_path / "a.png").write_bytes(OLD)
    original = pathlib.Path.write_bytes
    written: list[pathlib.Path] = []

    def second_is_interrupted(self, data):
        written.append(self)
        if len(written) == 2:
            original(self, data[:3])
            raise KeyboardInterrupt
        return original(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", second_is_interrupted)
    with pytest.raises(KeyboardInterrupt):
        io.write_files(contents(tmp_path, "a.png", "b.png"))
    monkeypatch.undo()
    assert listing(tmp_path) == ["a.png"]
    assert (tmp_path / "a.png").read_bytes() == OLD
    for temporary in written:  # every write went to a hidden temporary next to its file
        assert temporary.parent == tmp_path
        assert temporary.name.startswith(io.TEMPORARY_PREFIX)
        assert io.TEMPORARY_MARKER in temporary.name


def test_every_file_is_flushed_before_the_first_rename(tmp_path, monkeypatch):
    events: list[str] = []
    original_fsync, original_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync")
        return original_fsync(fd)

    def replace(src, dst):
        events.append("replace")
        return original_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    io.write_files(contents(tmp_path, "a.svg", "b.svg"))
    assert events == ["fsync", "fsync", "replace", "replace"]


def test_temporary_paths_are_fresh_files_in_the_target_folder(tmp_path):
    target = tmp_path / ("x" * 200 + ".geojson")
    first, second = io.temporary_path(target), io.temporary_path(target)
    assert first != second
    for temporary in (first, second):
        assert temporary.parent == tmp_path
        assert temporary.exists()  # made with O_EXCL: no other writer can take the name
        assert temporary.name.endswith(".part.geojson")
        assert len(temporary.name) < 40


def test_atomic_output_keeps_the_old_file_on_failure_and_replaces_it_on_success(tmp_path):
    out = tmp_path / "zone.csv"
    out.write_bytes(OLD)

    def fail_halfway() -> None:
        with io.atomic_output(out) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError, match="renderer failed"):
        fail_halfway()
    assert listing(tmp_path) == ["zone.csv"]
    assert out.read_bytes() == OLD
    with io.atomic_output(out) as tmp:
        tmp.write_bytes(b"new")
    assert out.read_bytes() == b"new"
    assert listing(tmp_path) == ["zone.csv"]


@pytest.mark.parametrize(
    ("out", "allowed"),
    [("zone.txt", "a file name ending in .csv"), ("missing/zone.csv", "a path in an existing folder")],
)
def test_check_out_path_names_the_problem(tmp_path, out, allowed):
    with pytest.raises(ArgumentError, match=f"'out' should be {allowed}") as error:
        io.check_out_path(tmp_path / out, allowed_suffixes=(".csv",))
    assert error.value.received == str(tmp_path / out)
    with pytest.raises(ArgumentError, match="not a folder"):
        io.check_out_path(tmp_path, allowed_suffixes=("",))


# ---------------------------------------------------------------- through the command line


def fake_maps(monkeypatch: pytest.MonkeyPatch, *, failing_call: int | None = None) -> None:
    """Make ``report`` skip the analysis; the map renderer fails on its ``failing_call``-th call."""
    calls: list[float] = []

    def render(scenario, **kwargs):
        calls.append(scenario.width_km)
        if len(calls) == failing_call:
            raise RuntimeError("renderer failed")
        return f"map at {scenario.width_km:g} km".encode()

    monkeypatch.setattr(report_cli, "analyse", lambda scenario: scenario)
    monkeypatch.setattr(map_figure, "render_map", render)  # the command imports it when it runs


def test_report_whose_second_map_fails_to_render_writes_nothing(tmp_path, monkeypatch):
    fake_maps(monkeypatch, failing_call=2)
    with pytest.raises(RuntimeError, match="renderer failed"):
        main(["report", "--width-km", "100", "200", "300", "--out", str(tmp_path / "map.png")])
    assert listing(tmp_path) == []


def test_report_whose_second_rename_fails_leaves_no_map_and_exits_2(tmp_path, monkeypatch, capsys):
    fake_maps(monkeypatch)
    replace_failing_on(2, monkeypatch)
    code = main(["report", "--width-km", "100", "200", "300", "--out", str(tmp_path / "map.png")])
    monkeypatch.undo()
    assert code == 2
    assert "No space left on device (option --out)" in capsys.readouterr().err
    assert listing(tmp_path) == []


def test_report_writes_one_file_per_width(tmp_path, monkeypatch, capsys):
    fake_maps(monkeypatch)
    assert main(["report", "--width-km", "100", "200", "--out", str(tmp_path / "map.png")]) == 0
    assert listing(tmp_path) == ["map_100km.png", "map_200km.png"]
    assert (tmp_path / "map_200km.png").read_bytes() == b"map at 200 km"
    assert "wrote 2 maps" in capsys.readouterr().out


def test_a_failed_rename_puts_a_symbolic_link_back_as_a_link(tmp_path, monkeypatch):
    target = tmp_path / "target.txt"
    target.write_bytes(OLD)
    (tmp_path / "a.png").symlink_to(target)
    replace_failing_on(2, monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        io.write_files(contents(tmp_path, "a.png", "b.png"))
    monkeypatch.undo()
    assert (tmp_path / "a.png").is_symlink()
    assert (tmp_path / "a.png").readlink() == target
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["a.png", "target.txt"]


@pytest.fixture
def umask():
    """Set the process's umask for one test (returns the setter) and put the old one back."""
    before = os.umask(0o022)
    yield os.umask
    os.umask(before)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_every_writer_leaves_files_with_the_umasks_mode(tmp_path, umask, mask, mode):
    """Files are created as ``open`` would create them: 0666 less the umask (mkstemp's 0600 is not kept)."""
    umask(mask)
    with io.atomic_output(tmp_path / "one.geojson") as tmp:
        tmp.write_bytes(b"{}")
    io.write_files(contents(tmp_path, "a.png", "b.pdf"))
    (tmp_path / "c.csv").write_bytes(OLD)
    (tmp_path / "c.csv").chmod(0o600)
    io.write_files({tmp_path / "c.csv": b"replaced"})  # replaced: the umask's mode, not the old 0600
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes == dict.fromkeys(["one.geojson", "a.png", "b.pdf", "c.csv"], mode)


def test_the_disk_cache_takes_the_umasks_mode(tmp_path, umask, monkeypatch):
    umask(0o022)
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path / "cache"))
    disk_cache.store_bytes("ladder-test", b"x" * 10, suffix=".json")
    (written,) = (tmp_path / "cache").iterdir()
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_the_disk_cache_reads_nothing_kept_for_other_data(tmp_path, monkeypatch):
    """A file kept for one fingerprint of the data is not read once the data (their provenance.json) change."""
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path / "cache"))
    disk_cache.store_bytes("ladder-test", b"kept", suffix=".json")
    assert disk_cache.load_bytes("ladder-test", suffix=".json") == b"kept"
    monkeypatch.setattr(disk_cache, "data_fingerprint", lambda: "0" * 12)  # other data
    assert disk_cache.load_bytes("ladder-test", suffix=".json") is None
    (kept,) = (tmp_path / "cache").iterdir()
    assert geodata.loader.data_fingerprint() in kept.name
    assert (
        geodata.loader.data_fingerprint()
        == hashlib.sha256(geodata.loader.PROVENANCE_PATH.read_bytes()).hexdigest()[:12]
    )
