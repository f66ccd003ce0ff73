"""Test helper: what a folder holds on disk."""

from __future__ import annotations

from pathlib import Path


def listing(folder: Path) -> list[str]:
    """Return every name in ``folder``, hidden ``.part`` files included, recursively, sorted.

    Parameters
    ----------
    folder : pathlib.Path

    Returns
    -------
    list of str
        Paths relative to ``folder``.
    """
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*"))
