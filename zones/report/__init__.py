"""The printed report: map images and charts for reports (PNG, SVG, PDF), for readers of paper and PDF.

Holds the A4 landscape page every image is printed on (:mod:`~zones.report.page`),
the report's map (:mod:`~zones.report.map_figure`) with its training-area
markers (:mod:`~zones.report.site_markers`), and the share-by-width chart
(:mod:`~zones.report.sweep_chart`).

Imports: :mod:`geodata`, :mod:`zones.engine`, :mod:`zones.export` and the shared
modules at the top of :mod:`zones`; never :mod:`zones.web` or :mod:`zones.cli`
(``tests/test_namespace.py`` checks it). No Streamlit, no Leaflet.
"""
