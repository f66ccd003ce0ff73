"""The training areas on the printed map: markers on a matplotlib Axes, their legend entries and the sentence.

The report (:mod:`zones.report.map_figure`) draws its map in a Lambert azimuthal
equal-area projection in metres (:func:`zones.report.map_figure.map_crs`); this module
projects the areas of a :func:`zones.engine.sites.sites_table` into the same CRS and
marks them: a triangle in the colour of the area's side, filled when the zone
covers it and hollow when it does not. Nothing here imports
:mod:`zones.report.map_figure`, so the report can import this module.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pyproj
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from zones.colours import SIDE_COLOURS, SIDE_EDGE_COLOURS

#: Marker of a training area, its size in points and its place among the report's layers
#: (above the zone and the border line, below the city dots at 6.5 and their labels at 7).
SITE_MARKER: Final = "^"
SITE_MARKER_PT: Final = 5.5
SITE_ZORDER: Final = 6.2


def draw_sites(
    ax: Axes,
    table: gpd.GeoDataFrame,
    crs: pyproj.CRS | str,
    *,
    view: tuple[float, float, float, float] | None = None,
) -> int:
    """Mark the training areas of ``table`` on ``ax``; return how many were drawn.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map's axes, in the coordinates of ``crs``.
    table : geopandas.GeoDataFrame
        Output of :func:`zones.engine.sites.sites_table` (``side``, ``inside`` and
        Point geometry, EPSG:4326).
    crs : pyproj.CRS or str
        The map's CRS (the report's :func:`zones.report.map_figure.map_crs`).
    view : tuple of float, optional
        ``(xmin, ymin, xmax, ymax)`` of the map in ``crs``; areas outside are
        not drawn, so the axes keep their limits.

    Returns
    -------
    int
        The number of areas marked.
    """
    projected = table.geometry.to_crs(crs)
    x, y = projected.x.to_numpy(), projected.y.to_numpy()
    shown = np.isfinite(x) & np.isfinite(y)
    if view is not None:
        xmin, ymin, xmax, ymax = view
        shown &= (x > xmin) & (x < xmax) & (y > ymin) & (y < ymax)
    sides, inside = table["side"].to_numpy(), table["inside"].to_numpy(dtype=bool)
    for side in ("russia", "nato", "third"):
        for covered in (True, False):
            chosen = shown & (sides == side) & (inside == covered)
            if chosen.any():
                ax.plot(
                    x[chosen],
                    y[chosen],
                    linestyle="none",
                    marker=SITE_MARKER,
                    markersize=SITE_MARKER_PT,
                    markerfacecolor=SIDE_COLOURS[side] if covered else "white",
                    markeredgecolor=SIDE_EDGE_COLOURS[side],
                    markeredgewidth=0.9,
                    zorder=SITE_ZORDER,
                )
    return int(shown.sum())


def sites_legend_handles() -> list[Line2D]:
    """Return the legend entries of :func:`draw_sites`: a training area inside the zone, and one outside."""
    return [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=SITE_MARKER,
            markersize=SITE_MARKER_PT,
            markeredgewidth=0.9,
            markerfacecolor=face,
            markeredgecolor=SIDE_EDGE_COLOURS["all"],
            label=label,
        )
        for face, label in ((SIDE_COLOURS["all"], "Training area, in the zone"), ("white", "Training area, outside"))
    ]
