"""What a report may be asked for: formats, resolutions, layers and the table's units.

Kept apart from the drawing (:mod:`~zones.report.page`,
:mod:`~zones.report.map_figure`) and free of matplotlib, so the command line
checks every option before it imports the drawing code.

>>> check_format(".PDF"), check_dpi(300)
('pdf', 300)
>>> validate_layers("sites, article-4")
('sites', 'article-4')
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Final

import numpy as np

from zones.errors import ArgumentError

#: Output formats and the file suffixes that select them.
FORMATS: Final = ("png", "svg", "pdf")
SUFFIXES: Final = (".png", ".svg", ".pdf")

#: Resolution of PNG output unless told otherwise, in dots per inch.
DEFAULT_DPI: Final = 300
#: Resolutions accepted, in dots per inch (A4 at 600 dpi is 7016 × 4961 px).
MIN_DPI: Final = 20
MAX_DPI: Final = 600

#: The optional layer of the training areas (:mod:`zones.report.site_markers`), drawn as markers, not outlined.
SITES_LAYER: Final = "sites"
#: Optional layers of the report, by name, with their article (see :mod:`zones.engine.draft_areas`), or
#: :data:`SITES_LAYER` for the training areas.
REPORT_LAYERS: Final = MappingProxyType({"article-4": "4", "article-7.1": "7.1", SITES_LAYER: SITES_LAYER})

#: What the map's table may list.
TABLE_UNITS: Final = ("countries", "regions")


def check_format(fmt: str) -> str:
    """Return ``fmt`` lower-cased, without a leading dot, if it is one of :data:`FORMATS`.

    Parameters
    ----------
    fmt : str
        ``"png"``, ``"svg"`` or ``"pdf"`` (any case, a leading dot allowed).

    Returns
    -------
    str

    Raises
    ------
    ArgumentError
        If ``fmt`` is not one of :data:`FORMATS`.
    """
    if not isinstance(fmt, str) or fmt.lower().lstrip(".") not in FORMATS:
        raise ArgumentError("fmt", fmt, "one of " + ", ".join(repr(f) for f in FORMATS))
    return fmt.lower().lstrip(".")


def check_dpi(dpi: int) -> int:
    """Return ``dpi`` if it is a whole number from :data:`MIN_DPI` to :data:`MAX_DPI`.

    Parameters
    ----------
    dpi : int
        Resolution in dots per inch.

    Returns
    -------
    int

    Raises
    ------
    ArgumentError
        If ``dpi`` is not such a whole number (``True`` and ``300.0`` are refused).
    """
    if isinstance(dpi, bool) or not isinstance(dpi, int | np.integer) or not MIN_DPI <= dpi <= MAX_DPI:
        raise ArgumentError("dpi", dpi, f"a whole number of dots per inch from {MIN_DPI} to {MAX_DPI}")
    return int(dpi)


def validate_layers(value: Sequence[str] | str, *, argument: str = "layers") -> tuple[str, ...]:
    """Return the optional map layers as a tuple of :data:`REPORT_LAYERS` names, in order, without repeats.

    Raises
    ------
    ArgumentError
        If a name is not one of :data:`REPORT_LAYERS`.
    """
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    allowed = "a comma-separated list of " + ", ".join(repr(name) for name in REPORT_LAYERS)
    for item in items:
        if not isinstance(item, str) or item.strip().lower() not in REPORT_LAYERS:
            raise ArgumentError(argument, item, allowed)
    return tuple(dict.fromkeys(item.strip().lower() for item in items))
