"""Article 7 buffer zones: the contact line, the geodesic strip and its impact.

All computation lives here, with no Streamlit import; ``app.py`` is the UI and
``python -m zones`` the command line.

>>> import datetime
>>> from zones import Scenario, analyse
>>> a = analyse(Scenario(width_km=300, date=datetime.date(2021, 12, 17), allies="union-state"))
>>> round(a.affected.set_index("adm0_a3").loc["POL", "share"], 2)  # doctest: +SKIP
"""

from zones.analysis import Analysis, Scenario, analyse
from zones.contact import Sides, contact_line, dissolve, resolve_sides
from zones.errors import ArgumentError, NoBorderError
from zones.thresholds import thresholds

__all__ = [
    "Analysis",
    "ArgumentError",
    "NoBorderError",
    "Scenario",
    "Sides",
    "analyse",
    "contact_line",
    "dissolve",
    "resolve_sides",
    "thresholds",
]
