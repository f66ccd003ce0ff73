"""The geodesic engine: the contact line, the strip, the zone and every number measured in it.

Holds the contact line (:mod:`~zones.engine.contact`), the geodesic strip
(:mod:`~zones.engine.strip`, on the ellipsoid of :mod:`geodata.geodesy`), the zone by side
(:mod:`~zones.engine.zone`), what it covers (:mod:`~zones.engine.impact`,
:mod:`~zones.engine.regions`, :mod:`~zones.engine.population`,
:mod:`~zones.engine.cities`,
:mod:`~zones.engine.denominators`, :mod:`~zones.engine.at_point` for one
point), a scenario and its analysis
(:mod:`~zones.engine.analysis`, :mod:`~zones.engine.pair_widths`), the tables
over widths (:mod:`~zones.engine.share_thresholds`, :mod:`~zones.engine.sweep`),
the training areas (:mod:`~zones.engine.sites`), the draft's other areas
(:mod:`~zones.engine.draft_areas`), and the engine's plumbing: a disk cache
of slow tables (:mod:`~zones.engine.disk_cache`), progress reports
(:mod:`~zones.engine.progress`) and a second core for lists of independent
computations (:mod:`~zones.engine.cores`).

Imports: :mod:`geodata` and the shared modules at the top of :mod:`zones`
(``errors``, ``settings``, ``wording``, ``output``, ``_validate``); never
:mod:`zones.export`, :mod:`zones.report`, :mod:`zones.web` or :mod:`zones.cli`
(``tests/test_namespace.py`` checks it). The public API is re-exported by
:mod:`zones`.
"""
