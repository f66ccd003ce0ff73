"""Static map of one scenario, for reports and slides: PNG, SVG or PDF on an A4 landscape page.

The map is drawn with matplotlib's object API on its own
:class:`~matplotlib.figure.Figure` and Agg canvas (no ``pyplot``, no change to
``rcParams``), so several threads of a Streamlit server can render at once.

>>> from zones import Scenario, analyse
>>> from zones.report.map_figure import render_map
>>> png = render_map(analyse(Scenario(width_km=50, date="1997-05-27")), dpi=20)
>>> png[1:4], len(png) > 10_000
(b'PNG', True)

Layout: title and subtitle on top; the map on the left in a Lambert azimuthal
equal-area projection centred on the contact line; on the right the legend,
the colour scale of the share of each country's land in the zone and a table
of the most affected countries; the sources along the bottom.
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, cast

import geopandas as gpd
import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pyproj
import shapely
import shapely.ops
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar

from geodata import load_countries
from zones import colours, draft, wording
from zones.engine.denominators import WHOLE_COUNTRY
from zones.engine.draft_areas import LAYER_STYLES, territories
from zones.engine.population import POPULATION_METHOD
from zones.engine.sites import sites_table
from zones.errors import ArgumentError
from zones.output import atomic_output, check_out_path
from zones.report.choices import (
    DEFAULT_DPI,
    REPORT_LAYERS,
    SITES_LAYER,
    SUFFIXES,
    TABLE_UNITS,
    check_dpi,
    check_format,
    validate_layers,
)
from zones.report.page import (
    ATTRIBUTION,
    FOOTER_PT,
    MUTED_COLOUR,
    PAGE_SIZE_IN,
    SMALL_PT,
    SUBTITLE_PT,
    TEXT_COLOUR,
    TITLE_PT,
    figure_bytes,
    keep_within_page,
    new_page,
    renderer_of,
)
from zones.report.site_markers import draw_sites, sites_legend_handles
from zones.settings import COUNTRY_PARTS, SIDE_NAMES
from zones.wording import line_in_words, sides_in_words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.patheffects import AbstractPathEffect
    from matplotlib.text import Text
    from shapely.geometry.base import BaseGeometry

    from zones.engine.analysis import Analysis

#: Where a label may go: offset from its point in points (x, y), and its horizontal alignment.
LabelPosition = tuple[float, float, Literal["left", "center", "right"]]


#: Longest widths text in the subtitle that leaves room for the clipping on the same line, in characters.
SUBTITLE_WIDTHS_CHARS: Final = 80
#: Where the map sits on the page, in figure fractions (left, bottom, width, height).
MAP_BOX: Final = (0.03, 0.085, 0.625, 0.78)
#: Where the side panel (legend, colour scale, table) sits, in figure fractions.
PANEL_BOX: Final = (0.685, 0.085, 0.29, 0.78)
#: Margin around the zone, as a share of its larger projected dimension.
MARGIN: Final = 0.07
#: Smallest width or height of the mapped area, in km: a 50 km zone keeps its context.
MIN_EXTENT_KM: Final = 700.0

#: Page colours.
SEA_COLOUR: Final = colours.SEA_COLOUR
LAND_COLOUR: Final = colours.LAND_COLOUR
BORDER_COLOUR: Final = colours.BORDER_COLOUR
GRATICULE_COLOUR: Final = "#8ea3b5"
#: The share scales under the legend, in figure fractions: a row's height, the gap under the heading and
#: between rows; and the part of the panel's width kept for the side's name on the left.
SHARE_SCALE_HEIGHT: Final = 0.012
SHARE_SCALE_GAP: Final = 0.012
SHARE_SCALE_ROW_GAP: Final = 0.005
SHARE_SCALE_LABEL_WIDTH: Final = 0.25

#: Fill and edge of the zone's pieces, by ``side`` of :attr:`Analysis.strip`.
SIDE_STYLE: Final = MappingProxyType(
    {
        side: MappingProxyType(
            {"face": colours.SIDE_COLOURS[side], "edge": colours.SIDE_EDGE_COLOURS[side], "hatch": hatch}
        )
        for side, hatch in (("all", "////"), ("russia", "////"), ("nato", "\\\\\\\\"), ("third", "...."))
    }
)
#: Opacity of the zone's fill.
ZONE_ALPHA: Final = 0.16

#: How many countries get a label on the map, and rows in the table.
MAX_COUNTRY_LABELS: Final = 14
TABLE_ROWS: Final = 10
#: The longest name shown in the table.
TABLE_NAME_CHARS: Final = 16
#: Marks a share taken of a country's stated part (e.g. mainland Norway); the table's note names the part.
PART_MARK: Final = "†"
#: How many of the largest cities in the zone are tried, and labelled at most.
CITY_CANDIDATES: Final = 60
MAX_CITY_LABELS: Final = 14

#: Font sizes of the labels on the map, in points (the page's own are in :mod:`zones.report.page`).
COUNTRY_LABEL_PT: Final = 7.5
CITY_LABEL_PT: Final = 6.5
#: Characters per line of the quoted Article 7 at the foot of the side panel (at FOOTER_PT).
QUOTE_LINE_CHARS: Final = 78
#: Characters per line of the people note above the quote (at SMALL_PT − 1): wrapped here, not by matplotlib,
#: whose ``wrap=True`` wraps at the page's edge and by the pixels of the dpi (at 110 dpi it ran off the page
#: and onto the quote).
PEOPLE_NOTE_LINE_CHARS: Final = 78
#: Space between the people note and the quote under it, in points.
PEOPLE_NOTE_GAP_PT: Final = 4.0
#: The totals under the title are wrapped at this many characters (the subtitle spans the page, at 9.5 pt).
SUMMARY_LINE_CHARS: Final = 150

#: Room the scale bar takes, kept free of labels, in points: beyond each end of the bar, and its
#: height from the map's bottom edge (bar, its label above it and the box around both).
SCALEBAR_SIDE_PT: Final = 10
SCALEBAR_HEIGHT_PT: Final = 34

#: Graticule spacings tried, in degrees, and the most lines wanted across the map.
GRATICULE_STEPS_DEG: Final = (1, 2, 5, 10, 15, 20, 30)
GRATICULE_MAX_LINES: Final = 9


# --------------------------------------------------------------------------- public API


def render_map(
    analysis: Analysis,
    *,
    fmt: str = "png",
    dpi: int = DEFAULT_DPI,
    layers: Sequence[str] | str = (),
    by: str = "countries",
) -> bytes:
    """Return a print-ready map of ``analysis`` on an A4 landscape page.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`zones.analyse` (all frames EPSG:4326).
    fmt : {"png", "svg", "pdf"}
        Output format.
    dpi : int
        Resolution in dots per inch, from 20 to 600; PNG is
        ``297 × 210 mm`` at this resolution (3508 × 2480 px at 300 dpi) and
        records it in its ``pHYs`` chunk. Vector formats draw at any size;
        ``dpi`` only affects how finely the geometry is simplified.
    layers : sequence of str or str
        Optional layers, from :data:`REPORT_LAYERS` (``"article-4"``,
        ``"article-7.1"``, ``"sites"``; a string may list them separated by
        commas): the territories of Article 4 and Article 7(1) on the
        scenario's date (:func:`zones.territories`), outlined, and the
        training areas (:func:`zones.engine.sites.sites_table`), marked.
    by : {"countries", "regions"}
        What the table of the most affected places lists.

    Returns
    -------
    bytes
        The file's content.

    Raises
    ------
    ArgumentError
        If ``fmt``, ``dpi``, ``layers`` or ``by`` is not allowed.
    """
    fmt = check_format(fmt)
    dpi = check_dpi(dpi)
    if by not in TABLE_UNITS:
        raise ArgumentError("by", by, "one of " + ", ".join(repr(u) for u in TABLE_UNITS))
    figure = map_figure(analysis, dpi=dpi, layers=validate_layers(layers), by=by)
    return figure_bytes(figure, fmt=fmt, dpi=dpi, title=_title(analysis))


def write_map(analysis: Analysis, path: str | os.PathLike[str], *, dpi: int = DEFAULT_DPI) -> Path:
    """Write the map of ``analysis`` to ``path``, atomically.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`zones.analyse`.
    path : str or os.PathLike
        Destination; the suffix (``.png``, ``.svg`` or ``.pdf``) sets the format.
    dpi : int
        Resolution in dots per inch (see :func:`render_map`).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ArgumentError
        If the suffix is not allowed or the folder does not exist; nothing is
        written then.
    """
    path = check_out_path(path, allowed_suffixes=SUFFIXES, argument="path")
    content = render_map(analysis, fmt=path.suffix.lower().lstrip("."), dpi=dpi)
    with atomic_output(path) as tmp:
        tmp.write_bytes(content)
    return path


def map_figure(
    analysis: Analysis, *, dpi: int = DEFAULT_DPI, layers: tuple[str, ...] = (), by: str = "countries"
) -> Figure:
    """Return the map of ``analysis`` as a matplotlib figure attached to an Agg canvas.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`zones.analyse`.
    dpi : int
        Resolution used to place labels and simplify lines, in dots per inch.
    layers : tuple of str
        Validated :data:`REPORT_LAYERS` names: the areas to outline, and ``"sites"`` for the training areas.
    by : {"countries", "regions"}
        What the table of the most affected places lists.

    Returns
    -------
    matplotlib.figure.Figure
        A4 landscape; not registered with ``pyplot``.
    """
    figure = new_page(dpi=dpi)
    crs = map_crs(analysis.line)
    view = _fit_aspect(_zone_extent_m(analysis, crs), _box_aspect(MAP_BOX))
    tolerance_m = (view[2] - view[0]) / (MAP_BOX[2] * PAGE_SIZE_IN[0] * max(dpi, 150)) / 2

    ax = figure.add_axes(MAP_BOX)
    _style_map_axes(ax, view)
    countries = _countries_in_view(crs, view, tolerance_m)
    affected = analysis.affected.sort_values("share").drop_duplicates("adm0_a3", keep="last").set_index("adm0_a3")
    _draw_countries(ax, countries, affected["share"], affected["side"])
    areas = {name: territories(REPORT_LAYERS[name], analysis.scenario.date) for name in layers if name != SITES_LAYER}
    _draw_territories(ax, areas, crs, view, tolerance_m)
    _draw_graticule(ax, crs, view)
    _draw_zone(ax, analysis.strip, crs, view, tolerance_m)
    _draw_contact(ax, analysis.contact, crs)
    if SITES_LAYER in layers:
        draw_sites(ax, sites_table(analysis.scenario), crs, view=view)
    ax.set_xlabel("")
    ax.set_ylabel("")

    renderer = renderer_of(figure)
    obstacles = [_draw_scalebar(ax, view, renderer)]
    _label_countries(ax, renderer, analysis.affected, countries, obstacles)
    _label_cities(ax, renderer, analysis.cities, crs, view, obstacles)

    _draw_titles(figure, analysis)
    panel = figure.add_axes(PANEL_BOX)
    panel.set_axis_off()
    panel.set_xlim(0, 1)
    panel.set_ylim(0, 1)
    legend = _draw_legend(panel, analysis, areas, sites=SITES_LAYER in layers)
    legend_bottom = figure.transFigure.inverted().transform(legend.get_window_extent(renderer).p0)[1]
    sides = [side for side in ("russia", "nato", "third") if side in set(affected["side"])]
    colorbar_bottom = _draw_share_scales(figure, sides, top=legend_bottom - 0.05)
    extra = len(areas) + (len(sites_legend_handles()) if SITES_LAYER in layers else 0)  # legend rows they add
    quote = _draw_quote(figure)
    _draw_table(panel, analysis, top=_panel_y(colorbar_bottom - 0.08), by=by, count=TABLE_ROWS - extra, above=quote)
    _draw_footer(figure, crs)
    keep_within_page(figure, [*figure.texts, *panel.texts])
    return figure


def map_crs(line: BaseGeometry) -> pyproj.CRS:
    """Return a Lambert azimuthal equal-area CRS centred on ``line`` (metres, WGS84).

    Parameters
    ----------
    line : shapely geometry
        The contact line, EPSG:4326.

    Returns
    -------
    pyproj.CRS
        ``+proj=laea`` at the line's centroid (lon/lat rounded to 0.01°).
    """
    centre = line.centroid if not line.is_empty else shapely.Point(25.0, 55.0)
    lat = float(np.clip(centre.y, -89.0, 89.0))
    return pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={lat:.2f} +lon_0={centre.x:.2f} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs"
    )


def latitude_text(lat_deg: float) -> str:
    """Return a latitude in words of the map, to 0.1°: ``"55.0° N"``, ``"12.3° S"``.

    Parameters
    ----------
    lat_deg : float
        Latitude in degrees, north positive.

    Returns
    -------
    str

    Examples
    --------
    >>> latitude_text(65.04), latitude_text(-45.63), latitude_text(-0.04)
    ('65.0° N', '45.6° S', '0.0° N')
    """
    return _hemisphere_text(lat_deg, positive="N", negative="S")


def longitude_text(lon_deg: float) -> str:
    """Return a longitude in words of the map, to 0.1°: ``"30.1° E"``, ``"169.2° W"``.

    Parameters
    ----------
    lon_deg : float
        Longitude in degrees, east positive.

    Returns
    -------
    str

    Examples
    --------
    >>> longitude_text(30.12), longitude_text(-169.2), longitude_text(180.0)
    ('30.1° E', '169.2° W', '180.0°')
    """
    if abs(round(lon_deg, 1)) == 180:  # the antimeridian is neither east nor west
        return "180.0°"
    return _hemisphere_text(lon_deg, positive="E", negative="W")


def _hemisphere_text(value_deg: float, *, positive: str, negative: str) -> str:
    """Return ``|value|`` to 0.1° with the hemisphere's letter (a value that rounds to 0 is ``positive``)."""
    rounded = round(value_deg, 1)
    return f"{abs(rounded):.1f}° {positive if rounded >= 0 else negative}"


def _projection_centre(crs: pyproj.CRS) -> tuple[float, float]:
    """Return the lon/lat (degrees) of the centre of a :func:`map_crs` projection."""
    operation = crs.coordinate_operation
    if operation is None:
        raise ArgumentError("crs", crs.name, "a projected CRS from map_crs()")
    values = {p.name: p.value for p in operation.params}
    return float(values["Longitude of natural origin"]), float(values["Latitude of natural origin"])


# --------------------------------------------------------------------------- geometry helpers


def _box_aspect(box: tuple[float, float, float, float]) -> float:
    """Return width / height of a figure box on the A4 page."""
    return (box[2] * PAGE_SIZE_IN[0]) / (box[3] * PAGE_SIZE_IN[1])


def _project(geometries: gpd.GeoSeries | gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoSeries:
    """Return the geometries of a lon/lat frame in ``crs``."""
    series = geometries.geometry if isinstance(geometries, gpd.GeoDataFrame) else geometries
    return series.to_crs(crs)


def _zone_extent_m(analysis: Analysis, crs: pyproj.CRS) -> tuple[float, float, float, float]:
    """Return the projected bounds of the zone (or the line if it is empty), with a margin, in m.

    Only the zone sets the extent: a country touched by it (Russia) does not.
    """
    shapes = [g for g in analysis.strip.geometry if g is not None and not g.is_empty]
    shapes = shapes or [analysis.line]
    xmin, ymin, xmax, ymax = gpd.GeoSeries(shapes, crs="EPSG:4326").to_crs(crs).total_bounds
    margin = MARGIN * max(xmax - xmin, ymax - ymin)
    # a little more at the bottom, where the scale bar sits
    xmin, ymin, xmax, ymax = xmin - margin, ymin - 1.6 * margin, xmax + margin, ymax + margin
    minimum_m = MIN_EXTENT_KM * 1000
    for low, high, axis in ((xmin, xmax, "x"), (ymin, ymax, "y")):
        if high - low < minimum_m:
            mid = (low + high) / 2
            low, high = mid - minimum_m / 2, mid + minimum_m / 2
        if axis == "x":
            xmin, xmax = low, high
        else:
            ymin, ymax = low, high
    return float(xmin), float(ymin), float(xmax), float(ymax)


def _fit_aspect(view: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """Return ``view`` grown in one direction so that width / height equals ``aspect``."""
    xmin, ymin, xmax, ymax = view
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        return xmin - grow, ymin, xmax + grow, ymax
    grow = (width / aspect - height) / 2
    return xmin, ymin - grow, xmax, ymax + grow


def _view_lonlat_bounds(crs: pyproj.CRS, view: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Return lon/lat bounds (degrees) of everything inside the projected ``view``, with a pad."""
    xmin, ymin, xmax, ymax = view
    t = np.linspace(0.0, 1.0, 65)
    xs = np.concatenate(
        [xmin + t * (xmax - xmin), np.full_like(t, xmax), xmax - t * (xmax - xmin), np.full_like(t, xmin)]
    )
    ys = np.concatenate(
        [np.full_like(t, ymin), ymin + t * (ymax - ymin), np.full_like(t, ymax), ymax - t * (ymax - ymin)]
    )
    to_lonlat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(xs, ys)
    to_map = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    lat_min, lat_max = float(np.nanmin(lat)) - 2, float(np.nanmax(lat)) + 2
    for pole_lat in (90.0, -90.0):
        px, py = to_map.transform(0.0, pole_lat)
        if xmin <= px <= xmax and ymin <= py <= ymax:
            return -180.0, max(-90.0, lat_min) if pole_lat > 0 else -90.0, 180.0, 90.0 if pole_lat > 0 else lat_max
    lon_span = float(np.nanmax(lon) - np.nanmin(lon))
    if lon_span > 180 or not np.all(np.isfinite(lon)):
        return -180.0, max(-90.0, lat_min), 180.0, min(90.0, lat_max)
    return (
        max(-180.0, float(np.nanmin(lon)) - 5),
        max(-90.0, lat_min),
        min(180.0, float(np.nanmax(lon)) + 5),
        min(90.0, lat_max),
    )


def _to_view(
    geometries: gpd.GeoSeries, crs: pyproj.CRS, view: tuple[float, float, float, float], tolerance_m: float
) -> gpd.GeoSeries:
    """Return lon/lat ``geometries`` projected, clipped to ``view`` (plus a pad) and simplified."""
    lonlat = _view_lonlat_bounds(crs, view)
    clipped = gpd.GeoSeries(shapely.clip_by_rect(geometries.to_numpy(), *lonlat), index=geometries.index, crs=4326)
    clipped = clipped[~clipped.is_empty]
    projected = clipped.to_crs(crs)
    xmin, ymin, xmax, ymax = view
    pad = 0.02 * (xmax - xmin)
    inside = shapely.clip_by_rect(projected.to_numpy(), xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    simple = shapely.simplify(inside, tolerance_m, preserve_topology=True)
    result = gpd.GeoSeries(simple, index=projected.index, crs=crs)
    return result[~result.is_empty]


def _countries_in_view(
    crs: pyproj.CRS, view: tuple[float, float, float, float], tolerance_m: float
) -> gpd.GeoDataFrame:
    """Return Natural Earth countries clipped to the view, projected: ``name`` and geometry."""
    countries = load_countries()
    geometry = _to_view(countries.geometry, crs, view, tolerance_m)
    return gpd.GeoDataFrame({"name": countries.loc[geometry.index, "name"]}, geometry=geometry, crs=crs)


def _padded(box: Bbox, pixels: float) -> Bbox:
    """Return ``box`` grown by ``pixels`` on every side."""
    return Bbox.from_extents(box.x0 - pixels, box.y0 - pixels, box.x1 + pixels, box.y1 + pixels)


# --------------------------------------------------------------------------- map layers


def _share_colours(sides: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Return opaque RGBA colours, one per country: the app's shading (:func:`zones.colours.flat_share_colour`)."""
    rgb = np.array([colours.flat_share_colour(str(s), float(v)) for s, v in zip(sides, shares, strict=True)])
    return np.hstack([rgb.reshape(-1, 3), np.ones((len(sides), 1))])


def _style_map_axes(ax: Axes, view: tuple[float, float, float, float]) -> None:
    """Set the map's limits, equal aspect, sea colour and a thin frame."""
    xmin, ymin, xmax, ymax = view
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA_COLOUR)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#555555")


def _draw_countries(ax: Axes, countries: gpd.GeoDataFrame, shares: pd.Series, sides: pd.Series) -> None:
    """Draw every country's outline, the affected ones in their side's colour, darker by share."""
    codes = countries.index.to_series().replace(dict(COUNTRY_PARTS))  # Åland in Finland's colour
    share = codes.map(shares)
    plain = countries[share.isna().to_numpy()]
    hit = countries[share.notna().to_numpy()]
    if len(plain):  # every country in view may be affected (the Bering Strait: Russia and the USA)
        plain.plot(ax=ax, facecolor=LAND_COLOUR, edgecolor=BORDER_COLOUR, linewidth=0.35, zorder=1)
    if len(hit):
        fills = _share_colours(codes.map(sides).loc[hit.index].to_numpy(), share.loc[hit.index].to_numpy(dtype=float))
        hit.plot(ax=ax, color=fills, edgecolor="#7a6a55", linewidth=0.45, zorder=1.1)


def _graticule_step(span_deg: float) -> float:
    """Return the smallest step of :data:`GRATICULE_STEPS_DEG` giving at most the wanted lines."""
    for step in GRATICULE_STEPS_DEG:
        if span_deg / step <= GRATICULE_MAX_LINES:
            return float(step)
    return float(GRATICULE_STEPS_DEG[-1])


def _draw_graticule(ax: Axes, crs: pyproj.CRS, view: tuple[float, float, float, float]) -> None:
    """Draw meridians and parallels with degree labels along the bottom and left edges."""
    lon_min, lat_min, lon_max, lat_max = _view_lonlat_bounds(crs, view)
    lat_hi = min(lat_max, 88.0)
    lon_step = _graticule_step(min(lon_max - lon_min, 90.0))
    lat_step = _graticule_step(lat_hi - lat_min)
    to_map = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    xmin, ymin, xmax, ymax = view
    frame = shapely.box(xmin, ymin, xmax, ymax)
    bottom = shapely.LineString([(xmin, ymin), (xmax, ymin)])
    left = shapely.LineString([(xmin, ymin), (xmin, ymax)])

    def draw(lons: np.ndarray, lats: np.ndarray, edge: shapely.LineString) -> np.ndarray | None:
        """Draw one graticule line inside the frame; return where it crosses ``edge``, if it does."""
        line = shapely.LineString(np.column_stack(to_map.transform(lons, lats)))
        for part in shapely.get_parts(shapely.intersection(line, frame)):
            if part.geom_type == "LineString":
                ax.plot(*np.asarray(part.coords).T, color=GRATICULE_COLOUR, linewidth=0.35, alpha=0.8, zorder=1.5)
        hit = shapely.intersection(line, edge)
        return None if hit.is_empty else shapely.get_coordinates(hit)[0]

    label: dict[str, Any] = {"fontsize": SMALL_PT - 1, "color": MUTED_COLOUR, "clip_on": False}
    samples = np.linspace(lat_min, lat_hi, 200)
    for lon in np.arange(math.ceil(lon_min / lon_step) * lon_step, lon_max + 1e-9, lon_step):
        hit = draw(np.full_like(samples, lon), samples, bottom)
        if hit is not None:
            ax.text(hit[0], ymin, f"{abs(lon):g}°{'E' if lon >= 0 else 'W'}", ha="center", va="top", **label)
    lons = np.linspace(lon_min, lon_max, 400)
    for lat in np.arange(math.ceil(lat_min / lat_step) * lat_step, lat_hi + 1e-9, lat_step):
        hit = draw(lons, np.full_like(lons, lat), left)
        if hit is not None:
            ax.text(xmin, hit[1], f"{abs(lat):g}°{'N' if lat >= 0 else 'S'} ", ha="right", va="center", **label)


def _draw_zone(
    ax: Axes, strip: gpd.GeoDataFrame, crs: pyproj.CRS, view: tuple[float, float, float, float], tolerance_m: float
) -> None:
    """Draw the zone's pieces, semi-transparent and hatched per side, with a solid edge."""
    if len(strip) == 0:
        return
    geometry = _to_view(strip.geometry, crs, view, tolerance_m)
    for index, shape in geometry.items():
        style = SIDE_STYLE[strip.loc[index, "side"]]
        piece = gpd.GeoSeries([shape], crs=crs)
        piece.plot(ax=ax, facecolor=mcolors.to_rgba(style["face"], ZONE_ALPHA), edgecolor="none", zorder=2)
        piece.plot(
            ax=ax,
            facecolor="none",
            edgecolor=mcolors.to_rgba(style["edge"], 0.35),
            hatch=style["hatch"],
            linewidth=0,
            zorder=2.1,
        )
        piece.boundary.plot(ax=ax, color=style["edge"], linewidth=0.9, zorder=2.2)


def _draw_territories(
    ax: Axes,
    areas: dict[str, gpd.GeoDataFrame],
    crs: pyproj.CRS,
    view: tuple[float, float, float, float],
    tolerance_m: float,
) -> None:
    """Outline the optional areas (Article 4, Article 7(1)), dashed, above the countries and below the zone."""
    for name, frame in areas.items():
        if len(frame) == 0:
            continue
        colour, _ = LAYER_STYLES[REPORT_LAYERS[name]]
        shapes = _to_view(frame.geometry, crs, view, tolerance_m)
        shapes.boundary.plot(ax=ax, color=colour, linewidth=1.3, linestyle=(0, (4, 2)), zorder=1.8)


def _draw_contact(ax: Axes, contact: gpd.GeoDataFrame, crs: pyproj.CRS) -> None:
    """Draw the contact line, bold with a white halo."""
    from matplotlib import patheffects

    if len(contact) == 0:
        return
    lines = _project(contact, crs)
    halo = [patheffects.withStroke(linewidth=4.2, foreground="white")]
    lines.plot(ax=ax, color=colours.LINE_COLOUR, linewidth=2.0, zorder=3, path_effects=halo)


def _nice_length_km(target_km: float) -> float:
    """Return the largest of 1, 2 or 5 × 10ⁿ km not above ``target_km``."""
    exponent = 10.0 ** math.floor(math.log10(max(target_km, 1e-3)))
    return max(m * exponent for m in (1, 2, 5) if m * exponent <= target_km)


def _draw_scalebar(ax: Axes, view: tuple[float, float, float, float], renderer: RendererBase) -> Bbox:
    """Add a scale bar (true at the projection's centre) at the bottom centre of the map.

    Returns the display box it occupies, to keep labels off it.
    """
    length_km = _nice_length_km(0.2 * (view[2] - view[0]) / 1000)
    scalebar = ScaleBar(
        dx=1.0,
        units="m",
        fixed_value=length_km,
        fixed_units="km",
        scale_formatter=lambda value, unit: f"{value:,g} {unit}",
        location="lower center",
        box_alpha=0.8,
        font_properties={"size": SMALL_PT},
        border_pad=0.6,
        scale_loc="top",
        width_fraction=0.008,
    )
    ax.add_artist(scalebar)
    frame = ax.get_window_extent(renderer)
    bar_px = length_km * 1000 * frame.width / (view[2] - view[0])
    points = float(cast(float, renderer.points_to_pixels(1.0)))
    centre = (frame.x0 + frame.x1) / 2
    half = bar_px / 2 + SCALEBAR_SIDE_PT * points
    return Bbox.from_extents(centre - half, frame.y0, centre + half, frame.y0 + SCALEBAR_HEIGHT_PT * points)


def _free(box: Bbox, taken: list[Bbox], frame: Bbox) -> bool:
    """Return whether ``box`` lies inside ``frame`` and overlaps nothing in ``taken``."""
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in taken)


def _place(
    text: Text, renderer: RendererBase, taken: list[Bbox], frame: Bbox, positions: Sequence[LabelPosition]
) -> bool:
    """Try ``positions`` (offset in points, alignment) for ``text``; keep the first that fits, else remove it."""
    for dx, dy, ha in positions:
        text.set_position((dx, dy))
        text.set_horizontalalignment(ha)
        box = _padded(text.get_window_extent(renderer), 2)
        if _free(box, taken, frame):
            taken.append(box)
            return True
    text.remove()
    return False


def _share_text(share: float) -> str:
    """Return a share as whole percent, e.g. ``"71 %"``; ``"<1 %"`` below one percent."""
    percent = 100 * share
    if 0 < percent < 1:
        return "<1 %"
    if 99 < percent < 100:
        return ">99 %"
    return f"{percent:.0f} %"


def _label_point(shape: shapely.Geometry) -> shapely.Point:
    """Return a point well inside the largest part of ``shape``."""
    parts = shapely.get_parts(shape)
    largest = max(parts, key=lambda p: p.area)
    tolerance = max(math.sqrt(largest.area) / 100, 1.0)
    return shapely.ops.polylabel(largest, tolerance=tolerance)


def _label_countries(
    ax: Axes, renderer: RendererBase, affected: gpd.GeoDataFrame, countries: gpd.GeoDataFrame, taken: list[Bbox]
) -> None:
    """Label the most affected countries with their share, e.g. "Poland 71 %", avoiding overlaps."""
    frame = ax.get_window_extent(renderer)
    labelled = 0
    for row in affected.itertuples():
        if labelled >= MAX_COUNTRY_LABELS:
            break
        if row.adm0_a3 not in countries.index:
            continue
        point = _label_point(countries.loc[row.adm0_a3, "geometry"])
        text = ax.annotate(
            f"{row.name} {_share_text(row.share)}",
            xy=(point.x, point.y),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=COUNTRY_LABEL_PT,
            fontweight="bold",
            color=TEXT_COLOUR,
            zorder=6,
            path_effects=_halo(2.2),
        )
        if _place(text, renderer, taken, frame, [(0, dy, "center") for dy in (0, 9, -9, 18, -18)]):
            labelled += 1


def _halo(width_pt: float) -> list[AbstractPathEffect]:
    """Return path effects drawing a white halo behind text."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width_pt, foreground="white")]


def _label_cities(
    ax: Axes,
    renderer: RendererBase,
    cities: gpd.GeoDataFrame,
    crs: pyproj.CRS,
    view: tuple[float, float, float, float],
    taken: list[Bbox],
) -> None:
    """Mark and label the largest cities in the zone, greedily skipping those whose label would overlap."""
    if len(cities) == 0:
        return
    points = _project(cities.head(CITY_CANDIDATES), crs)
    xmin, ymin, xmax, ymax = view
    frame = ax.get_window_extent(renderer)
    positions: list[LabelPosition] = [
        (4, 2, "left"),
        (-4, 2, "right"),
        (4, -7, "left"),
        (-4, -7, "right"),
        (0, 5, "center"),
    ]
    placed = 0
    for index, point in points.items():
        if placed >= MAX_CITY_LABELS or not (xmin < point.x < xmax and ymin < point.y < ymax):
            continue
        x_px, y_px = ax.transData.transform((point.x, point.y))
        dot = _padded(Bbox.from_bounds(x_px, y_px, 0, 0), 3)
        if not _free(dot, taken, frame):
            continue
        text = ax.annotate(
            cities.loc[index, "name"],
            xy=(point.x, point.y),
            xytext=(0, 0),
            textcoords="offset points",
            va="baseline",
            fontsize=CITY_LABEL_PT,
            color=TEXT_COLOUR,
            zorder=7,
            path_effects=_halo(1.8),
        )
        if not _place(text, renderer, taken, frame, positions):
            continue
        taken.append(dot)
        ax.plot(point.x, point.y, "o", markersize=2.6, color="#111111", markeredgecolor="white", mew=0.5, zorder=6.5)
        placed += 1


# --------------------------------------------------------------------------- page furniture


def _title(analysis: Analysis) -> str:
    """Return the map's title, e.g. "Article 7 zone: 300 km on each side" (the widths per pair: subtitle)."""
    scenario = analysis.scenario
    if scenario.pair_widths:
        count = len(scenario.pair_widths)
        return f"Article 7 zone: {scenario.common_widths_label}, other widths along {count} border pair" + (
            "s" if count > 1 else ""
        )
    return f"Article 7 zone: {scenario.widths_label}"


def _subtitle(analysis: Analysis) -> str:
    """Return the scenario in words: membership date, reading of Russia's side, widths, clipping."""
    scenario = analysis.scenario
    widths = f"{scenario.russia_width_km:,.0f} km on Russia's side, {scenario.nato_width_km:,.0f} km on NATO's side"
    clip = (
        "clipped to the two sides' own land"
        if scenario.clip
        else "not clipped: the zone also covers the sea and third countries"
    )
    if scenario.pair_widths:  # by code, to fit: "along RUS–NOR 50 km, RUS–LTU 100 km"
        own = ", ".join(f"{a}–{b} {w:,.0f} km" for (a, b), w in scenario.pair_widths)
        widths = f"{scenario.common_widths_label}; along {own}"
    line = line_in_words(bool(scenario.sea_borders))
    gap = "\n" if len(widths) > SUBTITLE_WIDTHS_CHARS else " · "
    totals = textwrap.fill(wording.summary_text(wording.totals_of(analysis)), SUMMARY_LINE_CHARS)
    sides = sides_in_words(scenario, analysis.sides)
    return f"{sides} · today's borders, {line}\nWidths: {widths}{gap}{clip}\n{totals}"


def _draw_titles(figure: Figure, analysis: Analysis) -> None:
    """Write the title and the subtitle (the scenario, then its totals in :mod:`zones.wording`'s words)."""
    left = MAP_BOX[0]
    figure.text(left, 0.962, _title(analysis), fontsize=TITLE_PT, fontweight="bold", color=TEXT_COLOUR, va="baseline")
    figure.text(left, 0.947, _subtitle(analysis), fontsize=SUBTITLE_PT, color=MUTED_COLOUR, va="top", linespacing=1.3)


def _panel_y(figure_y: float) -> float:
    """Return a figure fraction as a fraction of the side panel's height."""
    return (figure_y - PANEL_BOX[1]) / PANEL_BOX[3]


def _draw_legend(
    panel: Axes, analysis: Analysis, areas: dict[str, gpd.GeoDataFrame], *, sites: bool = False
) -> mpl.legend.Legend:
    """Draw the legend of the zone's pieces, the line, cities, the optional areas (and ``sites``) atop the panel."""
    labels = {
        "all": "Zone, {w:,.0f} km from the line",
        "russia": "Zone on Russia's side ({w:,.0f} km)",
        "nato": "Zone on NATO's side ({w:,.0f} km)",
        "third": "Zone at sea and in third countries ({w:,.0f} km)",
    }
    handles: list[Patch | Line2D] = []
    for row in analysis.strip.itertuples():
        style = SIDE_STYLE[row.side]
        handles.append(
            Patch(
                facecolor=mcolors.to_rgba(style["face"], ZONE_ALPHA + 0.1),
                edgecolor=style["edge"],
                hatch=style["hatch"],
                linewidth=0.9,
                label=labels[row.side].format(w=row.width_km)
                + (" (and per pair)" if analysis.scenario.pair_widths else "")
                + f": {row.area_km2:,.0f} km²",
            )
        )
    length_km = float(analysis.contact["length_km"].sum())
    handles.append(
        Line2D(
            [],
            [],
            color=colours.LINE_COLOUR,
            linewidth=2.0,
            label=f"{colours.LEGEND_LABELS['line']}, {length_km:,.0f} km",
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=3.5,
            color=colours.LINE_COLOUR,
            label=colours.LEGEND_LABELS["city"],
        )
    )
    handles.append(
        Patch(
            facecolor=LAND_COLOUR, edgecolor=BORDER_COLOUR, linewidth=0.5, label=colours.LEGEND_LABELS["not_affected"]
        )
    )
    for name, frame in areas.items():
        colour, label = LAYER_STYLES[REPORT_LAYERS[name]]
        states = f"{len(frame)} {'state' if len(frame) == 1 else 'states'}"
        handles.append(Line2D([], [], color=colour, linewidth=1.3, linestyle=(0, (4, 2)), label=f"{label} ({states})"))
    if sites:
        handles.extend(sites_legend_handles())
    return panel.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=SMALL_PT + 0.5,
        title="Legend",
        title_fontproperties={"size": SMALL_PT + 1.5, "weight": "bold"},
        alignment="left",
        handlelength=2.4,
        handleheight=1.2,
        borderaxespad=0.0,
    )


def _draw_share_scales(figure: Figure, sides: list[str], *, top: float) -> float:
    """Draw, one row per side present, the colour scale of the share of each country's land in the zone.

    The colours are the app's: the side's colour over the land, darker by share.
    The rows are stacked with the side's name on their left and the
    percentages under the last. ``top`` and the returned bottom of the scales
    are figure fractions.
    """
    from matplotlib.cm import ScalarMappable

    left, _, width, _ = PANEL_BOX
    figure.text(left, top, "Share of each country's land in the zone", fontsize=SMALL_PT + 1.5, fontweight="bold")
    shares = np.linspace(0.0, 1.0, 256)
    bar_left, bar_width = left + SHARE_SCALE_LABEL_WIDTH * width, (0.92 - SHARE_SCALE_LABEL_WIDTH) * width
    bottom = top - SHARE_SCALE_GAP
    rows = sides or ["all"]
    for i, side in enumerate(rows):
        bottom -= SHARE_SCALE_HEIGHT
        cax = figure.add_axes((bar_left, bottom, bar_width, SHARE_SCALE_HEIGHT))
        cmap = mcolors.ListedColormap(_share_colours(np.full(len(shares), side), shares))
        bar = figure.colorbar(
            ScalarMappable(norm=mcolors.Normalize(0.0, 1.0), cmap=cmap), cax=cax, orientation="horizontal"
        )
        bar.outline.set_linewidth(0.5)
        last = i == len(rows) - 1
        bar.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0 %", "25 %", "50 %", "75 %", "100 %"] if last else [])
        bar.ax.tick_params(labelsize=SMALL_PT, length=2 if last else 0, width=0.5)
        name = "" if side == "all" else SIDE_NAMES[side]
        figure.text(left, bottom + SHARE_SCALE_HEIGHT / 2, name, fontsize=SMALL_PT, va="center")
        bottom -= SHARE_SCALE_ROW_GAP
    return bottom


def _draw_table(panel: Axes, analysis: Analysis, *, top: float, by: str, above: Text, count: int = TABLE_ROWS) -> None:
    """Draw a table of the ``count`` most affected countries or regions below ``top`` (panel fraction).

    Columns: name, side (countries) or country (regions), km² in the zone,
    share and estimated people (:func:`zones.wording.people_figure`, the
    figure every other surface writes as "about … people"); a share taken of
    a country's stated part (``denominator``, e.g. mainland Norway) carries
    :data:`PART_MARK` and a note names the part. A note names the population
    method, just ``above`` the quote at the panel's foot: it is placed by the
    quote's drawn box (an annotation), so it never runs into it at any dpi.
    The optional layers' legend rows push the table down, so it has a row
    less for each, and its foot stays clear of that note.
    """
    places = analysis.affected if by == "countries" else analysis.regions
    rows = places.head(count)
    step = 0.030  # 13.9 pt a row: room for ten rows, the notes and the quote at 72 dpi too
    title = "Most affected countries" if by == "countries" else "Most affected regions"
    panel.text(0.0, top, title, fontsize=SMALL_PT + 1.5, fontweight="bold", va="baseline")
    columns = (
        (0.0, "left", "Country" if by == "countries" else "Region"),
        (0.27, "left", "Side" if by == "countries" else "Country"),
        (0.66, "right", "km² in zone"),
        (0.78, "right", "Share"),
        (1.0, "right", "People*"),
    )
    y = top - 1.2 * step
    for x, ha, head in columns:
        panel.text(x, y, head, fontsize=SMALL_PT, color=MUTED_COLOUR, ha=ha, va="baseline")
    panel.plot([0, 1], [y - 0.35 * step] * 2, color="#999999", linewidth=0.5)
    if len(rows) == 0:
        panel.text(0.0, y - step, "No land in the zone.", fontsize=SMALL_PT, va="baseline")
        return
    names = load_countries()["name"]
    parts = rows["denominator"] if "denominator" in rows else pd.Series(WHOLE_COUNTRY, index=rows.index)
    marked = parts != WHOLE_COUNTRY
    for row, mark in zip(rows.itertuples(), marked, strict=True):
        y -= step
        second = SIDE_NAMES[row.side] if by == "countries" else names.get(row.adm0_a3, row.adm0_a3)
        values = (
            _clipped(row.name, TABLE_NAME_CHARS),
            _clipped(second, TABLE_NAME_CHARS),
            f"{row.area_km2:,.0f}",
            _share_text(row.share) + (PART_MARK if mark else ""),
            wording.people_figure(row.population),
        )
        for (x, ha, _), value in zip(columns, values, strict=True):
            panel.text(x, y, value, fontsize=SMALL_PT, ha=ha, va="baseline", color=TEXT_COLOUR)
    panel.plot([0, 1], [y - 0.45 * step] * 2, color="#999999", linewidth=0.5)
    more = len(places) - len(rows)
    noun = "countries" if by == "countries" else "regions"
    note = f"{len(places)} {noun} affected" + (f"; {more} more not shown." if more else ".")
    if marked.any():
        note += f" {PART_MARK} Share of " + ", of ".join(dict.fromkeys(parts[marked])) + "."
    panel.text(0.0, y - 1.3 * step, note, fontsize=SMALL_PT - 0.5, color=MUTED_COLOUR, va="baseline")
    panel.annotate(
        textwrap.fill("* People: " + POPULATION_METHOD + ".", PEOPLE_NOTE_LINE_CHARS),
        xy=(0.0, 1.0),
        xycoords=above,
        xytext=(0.0, PEOPLE_NOTE_GAP_PT),
        textcoords="offset points",
        fontsize=SMALL_PT - 1,
        color=MUTED_COLOUR,
        va="bottom",
    )


def _clipped(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _draw_footer(figure: Figure, crs: pyproj.CRS) -> None:
    """Write the sources and the projection along the bottom of the page."""
    lon, lat = _projection_centre(crs)
    projection = (
        f"Lambert azimuthal equal-area centred on {latitude_text(lat)} {longitude_text(lon)}; "
        "scale bar true at the centre, distances farther out differ by a few percent."
    )
    figure.text(MAP_BOX[0], 0.045, ATTRIBUTION, fontsize=FOOTER_PT, color=MUTED_COLOUR, va="baseline")
    figure.text(MAP_BOX[0], 0.025, projection, fontsize=FOOTER_PT, color=MUTED_COLOUR, va="baseline")


def _draw_quote(figure: Figure) -> Text:
    """Write Article 7's second sentence, exactly, at the foot of the side panel; return its text."""
    quote = textwrap.fill(f"Article 7 ({draft.SOURCE_LABEL}): “{draft.ARTICLE_7_ZONE}”", QUOTE_LINE_CHARS)
    return figure.text(PANEL_BOX[0], PANEL_BOX[1], quote, fontsize=FOOTER_PT, color=MUTED_COLOUR, va="bottom")
