"""One self-contained HTML file to publish a finding: the zone with a width slider, offline.

The page is built from three package files, ``zones/web/static/publish.html``,
``publish.css`` and ``publish.js``, with Leaflet 1.9.4 (CSS and JS, from the
installed ``django-js-lib-leaflet``, see :mod:`zones.web.leaflet_offline`) and
every piece of data inlined:

* the base map from our own country polygons (:func:`zones.web.basemap.basemap_geojson`), no tiles;
* the width ladder of the scenario (:func:`zones.web.ladder.ladder_json`): the
  zone, the headline numbers, the country table and the cities at every
  slider step, 0–1,000 km;
* the data credits.

The file opens from ``file://`` with no network: a Content-Security-Policy
allows no fetch at all. The data is one ``application/json`` script whose
``<`` are escaped, and the page puts every text in with ``textContent``, so
no value can become markup.

The slider covers the same width on both sides; a scenario with different
widths per side is refused (see :func:`check_scenario`).
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any, Final

from geodata import load_countries
from zones.colours import BORDER_COLOUR, LAND_COLOUR, LEGEND_LABELS, LINE_COLOUR, SIDE_COLOURS
from zones.engine.analysis import Scenario
from zones.engine.contact import resolve_sides
from zones.engine.denominators import PART_NAMES
from zones.engine.pair_widths import refuse_pair_widths
from zones.engine.population import POPULATION_METHOD
from zones.errors import ArgumentError
from zones.output import atomic_output
from zones.settings import SIDE_NAMES, SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web.assets import static_text
from zones.web.basemap import MAP_CENTER, MAP_ZOOM, SCALE_BAR_MAX_PX, basemap_geojson
from zones.web.ladder import ladder_json
from zones.web.leaflet_offline import LEAFLET_VERSION, package_dir
from zones.web.map_layers import MAX_MAP_CITIES
from zones.web.map_style import (
    casing_style,
    city_style,
    country_style,
    line_style,
    strip_style,
)
from zones.wording import line_in_words, sides_in_words

HTML_SUFFIXES: Final = (".html", ".htm")

#: Data credits printed in the page's footer.
CREDITS: Final = (
    "Borders: Natural Earth 1:10m admin-0 v5.1.1 (public domain)",
    "Cities and places: GeoNames (CC BY 4.0)",
    f"People: {POPULATION_METHOD}",
    f"Map: Leaflet {LEAFLET_VERSION} (BSD-2-Clause)",
    "Article 7 zones: geodesic zones along the NATO–Russia border line",
)

#: Placeholders of ``publish.html``, each replaced once.
_SLOTS: Final = re.compile(r"/\*(LEAFLET_CSS|PAGE_CSS|LEAFLET_JS|LADDER_JS|PAGE_JS)\*/|__(TITLE|SCENARIO|DATA)__")


def check_scenario(scenario: Scenario) -> int:
    """Return the slider's starting width in km for ``scenario``, or raise.

    Raises
    ------
    ArgumentError
        If the widths differ per side (the page's slider moves both together),
        if some border pairs have their own width (it moves one width along
        the whole line), or the width is not a slider step (a multiple of 10
        km from 0 to 1,000).
    """
    refuse_pair_widths(scenario.pair_widths, what="the published page's slider")
    for name in ("russia_width_km", "nato_width_km"):
        if getattr(scenario, name) != scenario.width_km:
            raise ArgumentError(
                name,
                getattr(scenario, name),
                f"the same as width_km ({scenario.width_km:g}): the page's slider moves both sides together",
            )
    width_km = scenario.width_km
    if width_km > SLIDER_MAX_KM or width_km % SLIDER_STEP_KM:
        raise ArgumentError(
            "width_km",
            width_km,
            f"a multiple of {SLIDER_STEP_KM} km from 0 to {SLIDER_MAX_KM:,} (a step of the page's slider)",
        )
    return int(width_km)


def script_json(text: str) -> str:
    r"""Return JSON text safe inside an HTML ``<script>`` element: every ``<`` escaped as ``\\u003c``.

    A ``<`` can only occur inside a JSON string, where ``\\u003c`` means the same.
    """
    return text.replace("<", "\\u003c")


def page_options(*, initial_km: int) -> dict[str, Any]:
    """Return the page's settings that ``ladder.js`` and ``publish.js`` read (JSON-ready).

    The colours, the side names, the base map's country code per feature (in the
    order of :func:`zones.web.basemap.basemap_geojson`), the first view, the scale
    bar's longest length (px), the credits, ``share_of``: the words after a share
    taken of a country's stated part, by country (``"of mainland Norway"``;
    :mod:`zones.engine.denominators`), which the table writes after it,
    and the Leaflet styles of the zone, the line, its casing, the cities and the
    base map (:func:`map_styles`): the browser draws with the app's styles, not with copies.
    """
    countries = load_countries()
    codes = dict(zip(countries["name"], countries.index, strict=True))
    return {
        "initial_km": initial_km,
        "basemap_codes": [codes.get(f["properties"]["name"], "") for f in json.loads(basemap_geojson())["features"]],
        "colors": dict(SIDE_COLOURS),
        "side_names": dict(SIDE_NAMES),
        "legend": dict(LEGEND_LABELS),
        "land_color": LAND_COLOUR,
        "border_color": BORDER_COLOUR,
        "line_color": LINE_COLOUR,
        "center": list(MAP_CENTER),
        "zoom": MAP_ZOOM,
        "scale_bar_max_px": SCALE_BAR_MAX_PX,
        "max_cities": MAX_MAP_CITIES,
        "credits": list(CREDITS),
        "share_of": {code: f"of {part}" for code, part in PART_NAMES.items()},
        "styles": map_styles(),
    }


def map_styles() -> dict[str, Any]:
    """Return the Leaflet styles ``ladder.js`` and ``publish.js`` draw with, from :mod:`zones.web.map_style`.

    ``strip`` per side (the zone's outline and fill), ``line`` and ``casing`` (the border line),
    ``city`` (its circle; the radius is each city's, in the ladder) and ``land`` (the base map).
    The affected countries' fill opacity is each row's ``opacity`` in the ladder.
    """
    city = city_style({"properties": {"radius": 0}})
    del city["radius"]
    return {
        "strip": {side: strip_style({"properties": {"side": side}}) for side in SIDE_COLOURS},
        "line": line_style({}),
        "casing": casing_style({}),
        "city": city,
        "land": country_style({}),
    }


def page_html(scenario: Scenario, *, title: str | None = None) -> str:
    """Return the self-contained HTML page of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        The scenario; its width is where the slider starts.
    title : str, optional
        Heading of the page; the sides, the date and the line are named under it.

    Returns
    -------
    str
        The page, about 1–2.5 MB.

    Raises
    ------
    ArgumentError
        See :func:`check_scenario`.
    NoBorderError
        If the sides share no border.
    """
    initial_km = check_scenario(scenario)
    title = title or "How far would an Article 7 zone reach?"
    sides = resolve_sides(
        scenario.date, allies=scenario.allies, russia_side=scenario.russia_side, nato_side=scenario.nato_side
    )
    clip = ", clipped to the parties' own land" if scenario.clip else ""
    described = (
        f"{sides_in_words(scenario, sides)} · today's borders, {line_in_words(bool(scenario.sea_borders))}{clip}. "
        "Drag the slider: the same width applies on both sides."
    )
    basemap = basemap_geojson()
    page = page_options(initial_km=initial_km)
    data = f'{{"page":{json.dumps(page, ensure_ascii=False)},"basemap":{basemap},"ladder":{ladder_json(scenario)}}}'
    leaflet = package_dir()
    slots = {
        "LEAFLET_CSS": (leaflet / "leaflet.css").read_text(encoding="utf-8"),
        "PAGE_CSS": static_text("publish.css"),
        "LEAFLET_JS": (leaflet / "leaflet.js").read_text(encoding="utf-8"),
        "LADDER_JS": static_text("ladder.js"),
        "PAGE_JS": static_text("publish.js"),
        "TITLE": html.escape(title),
        "SCENARIO": html.escape(described),
        "DATA": script_json(data),
    }
    for name in ("LEAFLET_CSS", "PAGE_CSS", "LEAFLET_JS", "LADDER_JS", "PAGE_JS"):
        if re.search(r"</(script|style)", slots[name], flags=re.IGNORECASE):
            raise ValueError(f"{name} would close its element early")
    template = static_text("publish.html")
    return _SLOTS.sub(lambda m: slots[m.group(1) or m.group(2)], template)


def write_page(scenario: Scenario, out: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write :func:`page_html` to ``out``, atomically; return the path.

    Parameters
    ----------
    scenario : Scenario
        As for :func:`page_html`.
    out : str or os.PathLike
        The ``.html`` file to write.
    title : str, optional
        As for :func:`page_html`.
    """
    text = page_html(scenario, title=title)
    path = Path(out)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
