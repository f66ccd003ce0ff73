"""Numbers as the reader sees them: distances, areas and shares, in the app, its tables and the map.

Pure functions of plain floats, no import beyond the standard library. Part
of the web map's layout: :mod:`zones.formatting` (this module),
:mod:`zones.map_style`, :mod:`zones.map_elements`, :mod:`zones.map_layers`
and :mod:`zones.basemap`.
"""

from __future__ import annotations

import math


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


def round_people(count: float) -> int:
    """Return an estimated head count rounded to three significant figures (halves up).

    >>> round_people(2_845_123), round_people(85_393), round_people(437.4), round_people(0.4)
    (2850000, 85400, 437, 0)
    """
    if count < 0.5:
        return 0
    unit = 10 ** max(0, math.floor(math.log10(count)) - 2)
    return int(math.floor(count / unit + 0.5) * unit)


def format_people(count: float) -> str:
    """Return an estimated head count in the one form the app, its map and the HTML page use.

    Three significant figures written out in full (``ladder.js``'s ``people``
    writes the same), so that figures side by side compare at a glance: no
    "about 2.8 M" beside "about 85,393".

    >>> format_people(2_845_123), format_people(85_393), format_people(0)
    ('about 2,850,000 people', 'about 85,400 people', '0 people')
    """
    rounded = round_people(count)
    return "0 people" if rounded == 0 else f"about {rounded:,} people"
