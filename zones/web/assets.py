"""The browser files shipped with the package, in ``zones/web/static/``.

JavaScript, CSS and HTML templates live there as files (not Python strings)
and are read once, relative to this module, from any working directory.

>>> "BroadcastChannel" in static_text("width_slider.js")
True
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Final

#: Folder of the browser files shipped with the package.
STATIC_DIR: Final = Path(__file__).resolve().parent / "static"


@functools.cache
def static_text(name: str) -> str:
    """Return the text of one browser file in ``zones/web/static/``, e.g. ``"live_map.js"``.

    Parameters
    ----------
    name : str
        File name inside ``zones/web/static/``.

    Returns
    -------
    str
        The file's text (UTF-8), read once per process.
    """
    return (STATIC_DIR / name).read_text(encoding="utf-8")
