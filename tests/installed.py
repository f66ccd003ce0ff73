"""Test helper: the package as a user gets it, a wheel built from the clone's files in a fresh environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

#: The clone whose files are built.
REPO = Path(__file__).resolve().parents[1]


def tracked_files(repo: Path = REPO) -> list[str]:
    """Return the files git tracks in ``repo`` (as they are in the working tree), relative paths.

    Parameters
    ----------
    repo : pathlib.Path

    Returns
    -------
    list of str
    """
    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    )
    return [name for name in listed.stdout.decode().split("\0") if name and (repo / name).is_file()]


def build_wheel(into: Path) -> Path:
    """Build the project's wheel from a copy of its tracked files, as from a clean clone; return the wheel.

    The build runs without build isolation (setuptools comes from the test
    environment, pinned in ``requirements-dev.txt``), so it needs no network,
    and in a copy, so the checkout gets no ``build/`` or ``*.egg-info``.

    Parameters
    ----------
    into : pathlib.Path
        An empty folder; receives ``src/`` and ``dist/``.

    Returns
    -------
    pathlib.Path
        The ``.whl`` file.
    """
    source = into / "src"
    for name in tracked_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    dist = into / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(source)],
        capture_output=True,
        check=True,
        text=True,
    )
    (wheel,) = dist.glob("*.whl")
    return wheel


def fresh_environment(folder: Path, wheel: Path) -> Path:
    """Make a new virtual environment in ``folder`` with ``wheel`` installed; return its ``bin`` folder.

    The new environment has none of this checkout on its path. Its third-party
    dependencies are this environment's (a ``.pth`` file adds their folder after
    its own ``site-packages``), so nothing is downloaded; the project itself
    comes only from the wheel (``--ignore-installed``: a copy of the project
    installed in this environment is neither reused nor touched).

    Parameters
    ----------
    folder : pathlib.Path
        Where the environment is made (must not exist).
    wheel : pathlib.Path

    Returns
    -------
    pathlib.Path
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(own) / "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            str(wheel),
        ],
        capture_output=True,
        check=True,
        text=True,
    )
    return folder / "bin"
