"""Folium elements of the web map: each one a small script run in the map's page.

The scripts are package files, ``zones/web/static/*.js.jinja``: the body of each
element's Jinja ``script`` macro, read once (the path is relative to this
module, so any working directory will do). The live slider's own code,
``zones/web/static/ladder.js`` and ``zones/web/static/live_map.js``, is plain
JavaScript read the same way.

Part of the web map's layout: :mod:`zones.wording` (numbers as text),
:mod:`zones.web.map_style` (colours and Leaflet styles), :mod:`zones.web.map_elements`
(this module), :mod:`zones.web.map_layers` (the zone's changing layers) and
:mod:`zones.web.basemap` (the fixed base map).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any, cast

from branca.element import Element, MacroElement
from jinja2 import Template

from zones.web.assets import static_text
from zones.web.map_style import country_style


def _script_macro(name: str) -> Template:
    """Return the Jinja template whose ``script`` macro is the file ``zones/web/static/<name>``.

    The file holds the macro's body, unindented; it is indented as folium's own
    templates are, so the page reads as it did when the scripts were inline.
    """
    body = textwrap.indent(static_text(name), " " * 8)
    template: Template = Template("{% macro script(this, kwargs) %}\n" + body + "        {% endmacro %}")
    return template


class _Text(Element):
    """Text that is already rendered: added to the page as is (no Jinja template made of it)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text."""
        return self.text


class _PlainScript(MacroElement):
    """An element whose script is added to the page as plain text (branca would compile it as a template)."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement returns nothing
        """Add the script to the page as plain text."""
        cast(Any, self.get_root()).script.add_child(
            _Text(self._template.module.script(self, kwargs)), name=self.get_name()
        )


class Legend(MacroElement):
    """A legend in the map's bottom-left corner (a Leaflet control): folded at first, and when a popup opens.

    Parameters
    ----------
    html : str
        The legend's content, HTML.
    open_min_px : int
        No longer read: the legend starts folded at every size (open, it covered the zone on a laptop).
    """

    _template = _script_macro("legend.js.jinja")

    def __init__(self, html: str, *, open_min_px: int) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "Legend"
        self.html_json = json.dumps(html)
        self.open_min_px = open_min_px


class ScaleBar(MacroElement):
    """Leaflet's scale bar, long enough for its own labels.

    Leaflet rounds the bar down to 1, 2, 3 or 5 times a power of ten, so a
    bar is between half and all of ``max_width_px`` long; folium's
    ``control_scale`` keeps Leaflet's 100 px, and at half of that "1000 km"
    ran past the bar's end in the map's font.

    Parameters
    ----------
    max_width_px : int
        The longest the bar may be, in CSS pixels (it is at least half of it).
    imperial : bool
        Show a second bar in miles.
    """

    _template = _script_macro("scale_bar.js.jinja")

    def __init__(self, *, max_width_px: int, imperial: bool = True) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "ScaleBar"
        self.max_width_px = int(max_width_px)
        self.imperial_json = json.dumps(bool(imperial))


class Countries(MacroElement):
    """The base map's land: our own country polygons, in a pane below the zone.

    The polygons come from a static file (fetched once and cached by the
    browser, so they are not re-sent on every rerun) or, when ``url`` is
    ``None``, inline. Labels are drawn as text in a pane above the zone.
    """

    _template = _script_macro("countries.js.jinja")

    def __init__(self, *, url: str | None, labels: list[tuple[float, float, str]], data_json: str = "null") -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "Countries"
        self.url = url
        self.url_json = json.dumps(url)
        self.data_json = data_json
        self.style_json = json.dumps(country_style({}))
        self.labels_json = json.dumps(labels, ensure_ascii=True)


class ZoneLayers(_PlainScript):
    """The zone's changing layers, drawn in the browser from one JSON document.

    ``layers_json`` (see :func:`zones.web.map_layers.layers_json`) lists the layers
    bottom to top, each a GeoJSON FeatureCollection whose features carry their
    Leaflet style in ``properties._style``, with the tooltip's fields and
    labels. One small script draws them all, so the server renders no template
    per feature and compiles no Jinja template from the data (folium's
    ``GeoJson`` does both, which cost a tenth of the server's time per slider step).
    """

    _template = _script_macro("zone_layers.js.jinja")

    def __init__(self, layers_json: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "ZoneLayers"
        self.layers_json = layers_json


class LiveMap(_PlainScript):
    """The map's side of the live slider, the first view and the "Fit to zone" control.

    Runs ``zones/web/static/ladder.js`` and ``zones/web/static/live_map.js`` (package
    files) in the map's page; see :mod:`zones.web.live`.
    """

    _template = _script_macro("live_map_attach.js.jinja")

    def __init__(self, *, basemap_url: str | None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "LiveMap"
        self.code = static_text("ladder.js") + "\n" + static_text("live_map.js")
        self.options_json = json.dumps({"basemapUrl": basemap_url})


class ServerDrawn(_PlainScript):
    """Tell the map's live part that the server's layers are drawn (see ``live_map.js``)."""

    _template = _script_macro("server_drawn.js.jinja")

    def __init__(self, info: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "ServerDrawn"
        self.info_json = json.dumps(info)


class TextPopup(MacroElement):
    """A plain-text popup on a marker, opened once its group is on the map.

    folium's ``Popup`` needs jQuery, which the offline map does not load; the
    text goes in with ``textContent``, never as HTML. ``st_folium`` adds the
    group to the map after its script, hence the open after a tick; no
    auto-pan, so the reader's view stays.
    """

    _template = _script_macro("text_popup.js.jinja")

    def __init__(self, marker: str, text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "TextPopup"
        self.marker = marker
        self.text_json = json.dumps(text, ensure_ascii=True).replace("</", "<\\/")
