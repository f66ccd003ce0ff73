"""Numbers as the reader sees them: distances, areas and shares, in the app, its tables and the map.

Pure functions of plain floats, no import beyond the standard library. Part
of the web map's layout: :mod:`zones.formatting` (this module),
:mod:`zones.map_style`, :mod:`zones.map_elements`, :mod:`zones.map_layers`
and :mod:`zones.basemap`.
"""

from __future__ import annotations


def format_km(value_km: float) -> str:
    """Return a distance such as ``"1,234 km"``.

    >>> format_km(1234.4)
    '1,234 km'
    """
    return f"{value_km:,.0f} km"


def format_km2(value_km2: float) -> str:
    """Return an area such as ``"1,234 km²"`` (``"< 1 km²"`` for tiny non-zero areas).

    >>> format_km2(1_234_567.8)
    '1,234,568 km²'
    >>> format_km2(0.2), format_km2(0.0)
    ('< 1 km²', '0 km²')
    """
    if 0 < value_km2 < 0.5:
        return "< 1 km²"
    return f"{value_km2:,.0f} km²"


def format_share(share: float) -> str:
    """Return a share (0–1) as a percentage such as ``"71.3 %"`` (``"< 0.1 %"`` when tiny).

    >>> format_share(0.7132)
    '71.3 %'
    >>> format_share(0.00001), format_share(0.0)
    ('< 0.1 %', '0.0 %')
    """
    if 0 < share < 0.0005:
        return "< 0.1 %"
    return f"{100 * share:.1f} %"
