"""Article 7 buffer zones: the contact line, the geodesic strip and its impact.

All computation lives here, with no Streamlit import; ``app.py`` is the UI and
``python -m zones`` the command line.
"""

from zones.contact import Sides, contact_line, dissolve, resolve_sides
from zones.errors import ArgumentError, NoBorderError

__all__ = ["ArgumentError", "NoBorderError", "Sides", "contact_line", "dissolve", "resolve_sides"]
