"""The A4 page shared by the map (:mod:`~zones.report.map_figure`) and the chart (:mod:`~zones.report.sweep_chart`).

A4 landscape, fonts, text colours, the data credits, keeping text on the page, and the
saving every page goes through (its format and dpi are checked in
:mod:`~zones.report.choices`). Each page is a
matplotlib :class:`~matplotlib.figure.Figure` on its own Agg canvas (no
``pyplot``, no change to ``rcParams``), so several threads of a Streamlit
server can render at once.

>>> figure = new_page(dpi=20)
>>> figure_bytes(figure, fmt="png", dpi=20, title="Empty page")[1:4]
b'PNG'
"""

from __future__ import annotations

import io
from typing import Final, cast

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from zones.errors import ArgumentError

#: Millimetres per inch.
MM_PER_INCH: Final = 25.4
#: A4 landscape, 297 × 210 mm, in inches.
PAGE_SIZE_IN: Final = (297 / MM_PER_INCH, 210 / MM_PER_INCH)

#: Text keeps this fraction of the page's width clear at the right edge (:func:`keep_within_page`).
PAGE_MARGIN: Final = 0.01
#: Font size steps :func:`keep_within_page` takes at most for one text.
FIT_TRIES: Final = 4

#: Colours of text: body and secondary (subtitles, notes, credits).
TEXT_COLOUR: Final = "#222222"
MUTED_COLOUR: Final = "#666666"

#: Font sizes, in points.
TITLE_PT: Final = 17
SUBTITLE_PT: Final = 9.5
SMALL_PT: Final = 7
FOOTER_PT: Final = 6.5

#: The data credits printed at the foot of every page.
ATTRIBUTION: Final = (
    "Borders and regions: Natural Earth 1:10m v5.1.1 (public domain); sea borders © OpenStreetMap contributors "
    "(ODbL). Cities: GeoNames 2019 (CC BY 4.0), city districts removed. Geodesic strip on WGS84."
)


class _PageCanvas(FigureCanvasAgg):
    """An Agg canvas that draws only when asked to (:meth:`draw`, as saving does), never on ``draw_idle``.

    geopandas' ``plot`` asks for a redraw after every layer (``canvas.draw_idle()``), which Agg's canvas
    does at once: the map's six layers drew the whole A4 page six times before the one saved (4.5 of
    6 s of a 300 dpi map). Nothing is read from those drawings, and saving draws the page anew.
    """

    def draw_idle(self, *args: object, **kwargs: object) -> None:
        """Do nothing: the page is drawn once, when saved."""


def new_page(*, dpi: int) -> Figure:
    """Return an empty white A4 landscape figure attached to its own Agg canvas.

    Parameters
    ----------
    dpi : int
        Resolution in dots per inch (checked by :func:`zones.report.choices.check_dpi` first).

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with ``pyplot``.
    """
    figure = Figure(figsize=PAGE_SIZE_IN, dpi=dpi, facecolor="white")
    _PageCanvas(figure)
    return figure


def renderer_of(figure: Figure) -> RendererAgg:
    """Return the Agg renderer of a page made by :func:`new_page`, to measure text before saving.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A page from :func:`new_page`.

    Returns
    -------
    matplotlib.backends.backend_agg.RendererAgg

    Raises
    ------
    ArgumentError
        If the figure is not on an Agg canvas.
    """
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise ArgumentError("figure", type(canvas).__name__, "a page from new_page() (an Agg canvas)")
    return cast(RendererAgg, canvas.get_renderer())  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped


def keep_within_page(figure: Figure, texts: list[Text]) -> None:
    """Shrink the font of each of ``texts`` that runs past the page's right margin, until it fits.

    Text is laid out by characters per line, which fits at every print
    resolution; at a thumbnail's (20–50 dpi) Agg rounds each glyph up to
    whole pixels, and a long line can grow by a few percent, past the page.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A page from :func:`new_page`.
    texts : list of matplotlib.text.Text
        Texts of the page (annotations follow their anchors when those shrink).
    """
    renderer = renderer_of(figure)
    right_px = figure.bbox.width * (1 - PAGE_MARGIN)
    for text in texts:
        for _ in range(FIT_TRIES):  # glyphs snap to pixels, so one proportional step may not be enough
            box = text.get_window_extent(renderer)
            if box.x1 <= right_px or box.width <= 0:
                break
            text.set_fontsize(text.get_fontsize() * (right_px - box.x0) / box.width * 0.98)


def figure_bytes(figure: Figure, *, fmt: str, dpi: int, title: str) -> bytes:
    """Return ``figure`` saved as ``fmt``, with a title and no timestamp in the metadata.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The page.
    fmt : {"png", "svg", "pdf"}
        Output format (checked by :func:`zones.report.choices.check_format` first).
    dpi : int
        Resolution in dots per inch; PNG records it in its ``pHYs`` chunk.
    title : str
        Title stored in the file's metadata.

    Returns
    -------
    bytes
        The file's content; the same figure gives the same bytes every time.
    """
    metadata: dict[str, str | None] = {"Title": title}
    if fmt == "svg":
        metadata["Date"] = None
    elif fmt == "pdf":
        metadata["CreationDate"] = None
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor=figure.get_facecolor())
    return buffer.getvalue()
