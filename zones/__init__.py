"""Article 7 buffer zones: the contact line, the geodesic strip, the zone and its impact.

All computation lives here, with no Streamlit import; ``app.py`` is the UI and
``zones`` (or ``python -m zones``) the command line.

Vocabulary
----------
contact line
    The land (and optionally territorial-sea) border between the two sides,
    one feature per country pair (:func:`contact_line`), or merged into one
    MultiLineString (:func:`merged_line`).
strip
    The geodesic buffer of a line at *one* width: every point within that
    many km of it by WGS84 geodesic distance (:func:`geodesic_buffer`, module
    :mod:`zones.engine.strip`). A strip knows nothing of sides or land.
zone
    What a reading of Article 7 draws: strips at each side's width, split by
    side (``all``, or ``russia``, ``nato`` and ``third``) and optionally
    clipped to the parties' land; a GeoDataFrame with one feature per side
    (:func:`zones.engine.zone.zone_by_side`, held in ``Analysis.strip``, whose name
    predates this vocabulary), and ``Analysis.zone`` is their union.
impact
    The land, regions, people and cities inside the zone.

>>> import datetime
>>> from zones import Scenario, analyse
>>> a = analyse(Scenario(width_km=300, date=datetime.date(2021, 12, 17), allies="union-state"))
>>> print(f"{a.affected.set_index('adm0_a3').loc['POL', 'share']:.1%} of Poland")
71.4% of Poland
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # imported on first use (PEP 562): ``zones --help`` and ``zones.errors`` need no geopandas
    from zones.engine.analysis import Analysis, Scenario, analyse
    from zones.engine.contact import Sides, contact_line, merged_line, resolve_sides
    from zones.engine.draft_areas import territories
    from zones.engine.share_thresholds import thresholds
    from zones.engine.strip import geodesic_buffer
    from zones.errors import ArgumentError, NoBorderError

#: The package's version (PEP 440); ``pyproject.toml`` reads it from here.
__version__ = "0.3.0"

#: Where each public name lives; it is imported the first time it is asked for.
_HOMES: Final = {
    "Analysis": "zones.engine.analysis",
    "Scenario": "zones.engine.analysis",
    "analyse": "zones.engine.analysis",
    "Sides": "zones.engine.contact",
    "contact_line": "zones.engine.contact",
    "merged_line": "zones.engine.contact",
    "resolve_sides": "zones.engine.contact",
    "territories": "zones.engine.draft_areas",
    "thresholds": "zones.engine.share_thresholds",
    "geodesic_buffer": "zones.engine.strip",
    "ArgumentError": "zones.errors",
    "NoBorderError": "zones.errors",
}


def __getattr__(name: str) -> Any:
    """Return the public name ``name``, importing its module on first use (:data:`_HOMES`)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'zones' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Return the module's names, the public ones not yet imported included."""
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "Analysis",
    "ArgumentError",
    "NoBorderError",
    "Scenario",
    "Sides",
    "__version__",
    "analyse",
    "contact_line",
    "geodesic_buffer",
    "merged_line",
    "resolve_sides",
    "territories",
    "thresholds",
]
