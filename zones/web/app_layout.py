"""The app page's layout: the keys of its containers, its CSS and its script, read from ``static/``.

The CSS (``static/page.css``) and the script (``static/page_keys.js``) name
the containers ``app.py`` draws by their keys (Streamlit gives a container of
key ``k`` the class ``st-key-k``); the keys live here, once, and are filled
into both files. No Streamlit import: ``app.py`` puts the results in the page.

>>> ".st-key-headline" in FOLLOWS_CSS and ".st-key-headline" in page_keys_js()
True
>>> page_css().startswith("<style>") and "${" not in page_css()
True
>>> 'content: "Loading the map…"' in page_css()  # a CSS string as written, not a JSON escape
True
"""

from __future__ import annotations

import functools
import json
import string
from typing import Any, Final

from zones.colours import SEA_COLOUR
from zones.settings import SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web.app_text import WIDTH_LABEL
from zones.web.assets import static_text
from zones.wording import format_km

#: Fixed key of the map component: with an identical base map, the browser keeps the map.
MAP_KEY: Final = "zone_map"
MAP_HEIGHT_PX: Final = 580
#: The map's frame, as CSS finds it.
MAP_IFRAME_CSS: Final = 'iframe[title="streamlit_folium.st_folium"]'
#: The map's height: the screen's height less what sits above it (title, slider), within bounds.
MAP_HEIGHT_CSS: Final = "clamp(300px, calc(100dvh - 300px), 760px)"

#: Keys of the containers of the headline numbers, the claims, the map's notes and the chart: their text states
#: the server's width, and the sliders mark them (``st-key-headline`` …) while ahead of it.
HEADLINE_KEY: Final = "headline"
CLAIMS_KEY: Final = "claims"
MAP_NOTES_KEY: Final = "map_notes"
SWEEP_KEY: Final = "sweep_chart"
FOLLOWS_KEYS: Final = (HEADLINE_KEY, CLAIMS_KEY, MAP_NOTES_KEY, SWEEP_KEY)
FOLLOWS_CSS: Final = ", ".join(f".st-key-{key}" for key in FOLLOWS_KEYS)

#: Keys of the container of the width sliders and of the one holding them with the map.
WIDTHS_KEY: Final = "widths"
MAP_BLOCK_KEY: Final = "map_block"
#: Key of the container of the map alone: it keeps the map's height while the map's code loads.
MAP_SLOT_KEY: Final = "map_slot"
#: Key of the live width slider (``static/width_slider.js``), its value in the session state; its place is kept while
#: its code loads.
LIVE_KEY: Final = "width_live"
#: What the map's place says until the map's code has loaded (Streamlit shows a bare grey bar meanwhile).
MAP_LOADING: Final = "Loading the map…"

#: What the button that opens the sidebar on a narrow screen says.
SIDEBAR_LABEL: Final = "Scenario: date, sides"


@functools.cache
def page_css() -> str:
    """Return the page's own CSS (``static/page.css``, its names filled in) as a ``<style>`` element."""
    css = string.Template(static_text("page.css")).substitute(
        map_iframe=MAP_IFRAME_CSS,
        follows=FOLLOWS_CSS,
        map_height=MAP_HEIGHT_CSS,
        map_slot=MAP_SLOT_KEY,
        sea_colour=SEA_COLOUR,
        map_loading=json.dumps(MAP_LOADING, ensure_ascii=False),
        live_key=LIVE_KEY,
        widths_key=WIDTHS_KEY,
        sidebar_label=SIDEBAR_LABEL,
    )
    return f"<style>{css}</style>"


@functools.cache
def page_keys_js() -> str:
    """Return the page's own script (``static/page_keys.js``): Enter applies a typed date; a held slider greys."""
    return static_text("page_keys.js").replace("__FOLLOWS__", json.dumps(FOLLOWS_CSS))


def live_slider_data(width_km: float, ladder_url: str) -> dict[str, Any]:
    """Return the data the live slider (``static/width_slider.js``) is handed: width, limits, label, ladder, greyed.

    The words (the width and the slider's two ends) are :func:`zones.wording.format_km`'s, not the script's.

    >>> live_slider_data(300.0, "app/static/ladder/x.json")["ends"]
    ['0 km', '1,000 km']
    """
    return {
        "width_km": int(width_km),
        "width": format_km(int(width_km)),
        "ends": [format_km(0), format_km(SLIDER_MAX_KM)],
        "max_km": SLIDER_MAX_KM,
        "step_km": SLIDER_STEP_KM,
        "label": WIDTH_LABEL,
        "ladder": ladder_url,
        "follows": FOLLOWS_CSS,
    }
