"""The app's live slider: the width ladder as a static file the browser steps through.

While the reader drags the width slider, the browser draws each step from the
scenario's width ladder (:mod:`zones.web.ladder`) with no request to the server:
the slider (a Streamlit component, ``zones/web/static/width_slider.js``) sends the
width to the map (``zones/web/static/live_map.js``, inside the ``st_folium``
iframe) by a call into that iframe, which has the page's origin (over a
``BroadcastChannel`` if it cannot reach it); both read the ladder from one file that
the app serves, ``app/files/ladder/<key>.json`` (:func:`write_ladder_file`, in the
cache folder: :func:`zones.web.runtime_files.files_dir`). A request for a file not
written yet is held until it is (:func:`zones.web.runtime_files.announce`).

The file holds ``{"page": …, "ladder": …}``: the page's colours and base-map
codes (:func:`zones.web.publish.page_options`) and the ladder itself. It is named
by :func:`zones.web.ladder.ladder_key`, so every scenario with the same line
shares it, and the browser caches it.

No Streamlit import; the app decides when to build it (after the first paint,
in a background thread).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from zones.engine.analysis import Scenario
from zones.output import atomic_output
from zones.web.ladder import ladder_json, ladder_key
from zones.web.publish import page_options
from zones.web.runtime_files import URL_PATH, announce

#: Sub-folder of the runtime files' folder holding the ladder files.
STATIC_SUBDIR: Final = "ladder"

#: URL of that folder relative to the app's base URL (the page resolves it against ``document.baseURI``).
LADDER_URL_PREFIX: Final = f"{URL_PATH}/{STATIC_SUBDIR}/"


def ladder_path(files_dir: str | Path, scenario: Scenario) -> Path:
    """Return where the ladder file of ``scenario`` lives under ``files_dir`` (the app's runtime files)."""
    return Path(files_dir) / STATIC_SUBDIR / f"{ladder_key(scenario)}.json"


def ladder_document(scenario: Scenario) -> str:
    """Return the ladder file's text: ``{"page": page_options, "ladder": ladder_json}``.

    Raises
    ------
    NoBorderError
        If the sides share no border.
    """
    page = json.dumps(page_options(initial_km=0), ensure_ascii=False, separators=(",", ":"))
    return f'{{"page":{page},"ladder":{ladder_json(scenario)}}}'


def write_ladder_file(files_dir: str | Path, scenario: Scenario) -> Path:
    """Write :func:`ladder_document` to :func:`ladder_path`, atomically (left alone when present), and announce it.

    Parameters
    ----------
    files_dir : str or pathlib.Path
        The app's runtime files (:func:`zones.web.runtime_files.files_dir`), served at ``app/files/``.
    scenario : Scenario
        Any scenario of the ladder (its widths are ignored).

    Returns
    -------
    pathlib.Path
        The file, complete: a browser never reads half of it.
    """
    path = ladder_path(files_dir, scenario)
    if not path.is_file():
        text = ladder_document(scenario)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    announce(path)  # the requests held for it are answered now
    return path
