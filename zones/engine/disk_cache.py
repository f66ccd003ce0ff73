"""A small, bounded cache of computed tables on disk, shared by every process of the app.

Tables that take seconds to compute and depend only on the contact line
(the threshold widths) are kept as Parquet files, and other results (the
width ladder) as bytes, in :func:`cache_dir`:
``$ZONES_CACHE_DIR``, else ``$XDG_CACHE_HOME/article7-zones``, else
``~/.cache/article7-zones``. At most :data:`MAX_FILES` are kept (the least
recently used go first). A cache that cannot be read or written is skipped
silently: it only saves time.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import Final

import pandas as pd

from zones.output import atomic_output

LOG: Final = logging.getLogger("zones")

#: Most files kept.
MAX_FILES: Final = 64


def cache_dir() -> Path:
    """Return the cache folder (not created)."""
    if os.environ.get("ZONES_CACHE_DIR"):
        return Path(os.environ["ZONES_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "article7-zones"


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


def load_bytes(name: str, *, suffix: str) -> bytes | None:
    """Return the bytes kept under ``name`` + ``suffix``, or ``None``."""
    path = cache_dir() / f"{name}{suffix}"
    try:
        data = path.read_bytes()
        path.touch()  # recently used
    except OSError:
        return None
    LOG.debug("disk cache hit: %s", path)
    return data


def store_bytes(name: str, data: bytes, *, suffix: str) -> None:
    """Keep ``data`` under ``name`` + ``suffix``, dropping the least recently used files beyond :data:`MAX_FILES`."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_output(folder / f"{name}{suffix}") as tmp:
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
