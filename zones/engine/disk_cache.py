"""A small, bounded cache of computed tables on disk, shared by every process of the app.

Tables that take seconds to compute and depend only on the contact line
(the threshold widths) are kept as Parquet files, and other results (the
width ladder) as bytes, in :func:`cache_dir`:
``$ZONES_CACHE_DIR``, else the platform's user cache folder from
``platformdirs`` (``$XDG_CACHE_HOME/article7-zones``, by default
``~/.cache/article7-zones``, on Linux; ``~/Library/Caches/article7-zones`` on
macOS; ``%LOCALAPPDATA%/article7-zones/Cache`` on Windows). At most
:data:`MAX_FILES` are kept there (the least recently used go first); the
sub-folders belong to others (the app's files served to the browser,
:mod:`zones.web.runtime_files`) and are left alone. A cache that cannot be
read or written is skipped silently: it only saves time. Every file's name
carries the data's fingerprint (:func:`geodata.loader.data_fingerprint`), so
results computed from other data are never read: a change of the data needs
no version bump by hand, only a change of method does.

:func:`cache_dir` is the one root of every file the package writes at run
time: nothing is written beside the source, which an installed package
could not do.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import Final

import pandas as pd
import platformdirs

from geodata.loader import data_fingerprint
from zones.output import atomic_output

LOG: Final = logging.getLogger("zones")

#: Most files kept.
MAX_FILES: Final = 64

#: Environment variable naming the cache folder (tests point it at a temporary folder).
CACHE_VARIABLE: Final = "ZONES_CACHE_DIR"

#: Name of the cache folder inside the platform's user cache folder.
APP_NAME: Final = "article7-zones"


def cache_dir() -> Path:
    """Return the folder of every file written at run time: ``$ZONES_CACHE_DIR``, else the platform's (not created).

    Returns
    -------
    pathlib.Path
        ``platformdirs.user_cache_path("article7-zones")`` unless the variable is set and not empty.
    """
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def load(name: str) -> pd.DataFrame | None:
    """Return the table kept under ``name``, or ``None``."""
    data = load_bytes(name, suffix=".parquet")
    try:
        return None if data is None else pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError):
        return None


def store(name: str, table: pd.DataFrame) -> None:
    """Keep ``table`` under ``name``, dropping the least recently used files beyond :data:`MAX_FILES`."""
    store_bytes(name, table.to_parquet(index=False), suffix=".parquet")


def _file_name(name: str, suffix: str) -> str:
    """Return the file name of ``name``: with the data's fingerprint, then ``suffix``."""
    return f"{name}-data{data_fingerprint()}{suffix}"


def load_bytes(name: str, *, suffix: str) -> bytes | None:
    """Return the bytes kept under ``name`` + ``suffix`` for the committed data, or ``None``."""
    path = cache_dir() / _file_name(name, suffix)
    try:
        data = path.read_bytes()
        path.touch()  # recently used
    except OSError:
        return None
    LOG.debug("disk cache hit: %s", path)
    return data


def is_stored(name: str, *, suffix: str) -> bool:
    """Return whether bytes are kept under ``name`` + ``suffix`` for the committed data (nothing is read)."""
    return (cache_dir() / _file_name(name, suffix)).is_file()


def store_bytes(name: str, data: bytes, *, suffix: str) -> None:
    """Keep ``data`` under ``name`` + ``suffix``, dropping the least recently used files beyond :data:`MAX_FILES`."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_output(folder / _file_name(name, suffix)) as tmp:
            tmp.write_bytes(data)
        files = sorted(
            (p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in files[MAX_FILES:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        LOG.debug("disk cache not written (%s): %s", folder, exc)
