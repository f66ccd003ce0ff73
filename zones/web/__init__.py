"""The web: the map's pieces for the app and the one-file HTML page, the live slider's ladder and the app's link.

Holds the fixed base map (:mod:`~zones.web.basemap`), the changing layers
(:mod:`~zones.web.map_layers`, :mod:`~zones.web.map_elements`,
:mod:`~zones.web.map_style`, :mod:`~zones.web.site_layer`), the width ladder
of every slider step (:mod:`~zones.web.ladder`, :mod:`~zones.web.live`), the
one-file HTML page (:mod:`~zones.web.publish`), the app's link
(:mod:`~zones.web.link`, :mod:`~zones.web.pair_link`), what ``app.py`` draws
without Streamlit (its words :mod:`~zones.web.app_text`, tables
:mod:`~zones.web.app_tables`, layout :mod:`~zones.web.app_layout`, chart
:mod:`~zones.web.share_chart`, claims :mod:`~zones.web.claims`, cache keys
:mod:`~zones.web.scenario_key` and background jobs :mod:`~zones.web.jobs`),
Leaflet for offline use (:mod:`~zones.web.leaflet_offline`) and the
package's JavaScript, CSS and templates (:mod:`~zones.web.assets`, ``static/``).

Imports: :mod:`geodata`, :mod:`zones.engine`, :mod:`zones.export` and the
shared modules at the top of :mod:`zones`, plus folium (and altair, of the
``app`` extra, imported when a chart is made); never :mod:`zones.report`,
:mod:`zones.cli` or Streamlit (``tests/test_namespace.py`` checks it):
``app.py`` is the only Streamlit code.
"""
