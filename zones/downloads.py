"""The files a scenario gives, as bytes: one dispatcher for the app's downloads and the matching CLI commands.

Every file the app offers (:data:`DOWNLOADS`) is a file a ``zones`` command
writes (its :attr:`Download.command`), and both are made here, so a download
and the command give the same bytes:

* the frames of ``strip``, ``affected``, ``regions``, ``cities`` and
  ``sites`` (:func:`command_frame`) as RFC 7946 GeoJSON or CSV by the file's
  suffix (:func:`frame_bytes`);
* the map of ``report`` (PNG or PDF, :func:`zones.report.map_figure.render_map`);
* the share by width of ``sweep`` (CSV; the app's slider's widths,
  :data:`SWEEP_WIDTHS_KM`);
* the widths at which the claims' countries reach each share, of
  ``thresholds`` (CSV, with the reading's date and sides, :func:`thresholds_frame`);
* the one-file page of ``html`` (:mod:`zones.web.publish`).

:func:`download_bytes` makes any of them; the app passes what it has cached
(the analysis, the sweep, the thresholds), the CLI lets it compute.

It sits above the export, the report and the web (it needs all three) and
below the CLI and the app, which both use it (``tests/test_namespace.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, cast

import pandas as pd

from zones import export
from zones.engine import foreground
from zones.engine.analysis import Analysis, Scenario, analyse
from zones.engine.share_thresholds import is_stored as thresholds_stored
from zones.engine.share_thresholds import thresholds
from zones.engine.sweep import sweep_table
from zones.errors import ArgumentError
from zones.settings import DRAFT_PUBLISHED, SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web.claims import CLAIM_COUNTRIES

if TYPE_CHECKING:
    import geopandas as gpd

#: The widths of the app's sweep (its chart and its download), the default of ``zones sweep``: the slider's steps.
SWEEP_WIDTHS_KM: Final = tuple(range(0, SLIDER_MAX_KM + 1, SLIDER_STEP_KM))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Download:
    """One file the app offers.

    Parameters
    ----------
    kind : str
        Its key in the app (the button's ``download_<kind>``).
    label : str
        The button's label.
    command : str
        The ``zones`` command that writes the same bytes (``report`` for the map).
    file_name : str
        The end of the file's name (after the scenario's, :func:`zones.web.app_text.download_name`); its suffix
        is the format.
    mime : str
        The file's media type.
    """

    kind: str
    label: str
    command: str
    file_name: str
    mime: str

    @property
    def suffix(self) -> str:
        """The file's suffix, e.g. ``".geojson"``: its format."""
        return PurePath(self.file_name).suffix


_GEOJSON: Final = "application/geo+json"
#: The app's downloads, in the order of its buttons.
DOWNLOADS: Final = (
    Download(kind="affected", label="Affected countries (GeoJSON)", command="affected", file_name="affected.geojson",
             mime=_GEOJSON),
    Download(kind="strip", label="Zone (GeoJSON)", command="strip", file_name="zone.geojson", mime=_GEOJSON),
    Download(kind="table", label="Affected countries (CSV)", command="affected", file_name="affected.csv",
             mime="text/csv"),
    Download(kind="regions", label="Affected regions (GeoJSON)", command="regions", file_name="regions.geojson",
             mime=_GEOJSON),
    Download(kind="regions_table", label="Affected regions (CSV)", command="regions", file_name="regions.csv",
             mime="text/csv"),
    Download(kind="cities", label="Cities (CSV)", command="cities", file_name="cities.csv", mime="text/csv"),
    Download(kind="sites", label="Training areas (CSV)", command="sites", file_name="sites.csv", mime="text/csv"),
    Download(kind="map_png", label="Map image (PNG, 300 dpi)", command="report", file_name="map.png",
             mime="image/png"),
    Download(kind="map_pdf", label="Map image (PDF)", command="report", file_name="map.pdf", mime="application/pdf"),
    Download(kind="sweep", label="Share by width, 0–1,000 km (CSV)", command="sweep", file_name="sweep.csv",
             mime="text/csv"),
    Download(kind="thresholds", label="At what width: the claims (CSV)", command="thresholds",
             file_name="thresholds.csv", mime="text/csv"),
    Download(kind="html", label="Interactive map (HTML, one file, works offline)", command="html",
             file_name="map.html", mime="text/html"),
)  # fmt: skip
#: The downloads by kind.
BY_KIND: Final = MappingProxyType({download.kind: download for download in DOWNLOADS})

#: The commands whose file is an analysis' frame (:func:`command_frame`).
FRAME_COMMANDS: Final = ("strip", "affected", "regions", "cities", "sites")


def command_frame(
    command: str, scenario: Scenario, *, analysis: Analysis | None = None, country: str | None = None
) -> gpd.GeoDataFrame:
    """Return the frame a ``zones`` command of :data:`FRAME_COMMANDS` writes for ``scenario``.

    Parameters
    ----------
    command : str
        One of :data:`FRAME_COMMANDS`.
    scenario : Scenario
    analysis : Analysis, optional
        ``analyse(scenario)`` when the caller has it (else computed, with the regions only for ``regions``;
        ``sites`` needs none).
    country : str, optional
        ``regions`` only: keep this country's regions (an ``ADM0_A3`` code, validated upstream).

    Returns
    -------
    geopandas.GeoDataFrame
        :mod:`zones.export`'s ``*_frame``.
    """
    if command == "sites":
        return export.sites_frame(scenario)
    if command not in FRAME_COMMANDS:
        raise ArgumentError("command", command, f"one of {', '.join(FRAME_COMMANDS)}")
    analysis = analyse(scenario, regions=command == "regions") if analysis is None else analysis
    if command == "strip":
        return export.strip_frame(analysis)
    if command == "affected":
        return export.affected_frame(analysis)
    if command == "regions":
        return export.regions_frame(analysis, country=country)
    return export.cities_frame(analysis)


def frame_bytes(frame: pd.DataFrame, suffix: str) -> bytes:
    """Return ``frame`` as a file with ``suffix``: CSV for ``.csv``, else RFC 7946 GeoJSON."""
    if suffix.lower() in export.CSV_SUFFIXES:
        return export.csv_bytes(frame)
    return export.geojson_bytes(frame)


def thresholds_frame(table: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Return a :func:`zones.thresholds` table as written: with the reading's ``date`` and ``allies`` on each row."""
    day = cast(dt.date, scenario.date)  # a Scenario's date is validated: never None
    return table.assign(date=day.isoformat(), allies=scenario.allies)


def claims_thresholds(scenario: Scenario) -> pd.DataFrame:
    """Return the widths at which the claims' countries reach each share (:data:`zones.web.claims.CLAIM_COUNTRIES`)."""
    return thresholds(scenario, countries=CLAIM_COUNTRIES)


#: The downloads whose table covers every width (the sweep's, the thresholds'): made in seconds to a minute.
EVERY_WIDTH_COMMANDS: Final = ("sweep", "thresholds")


def is_made_at_once(command: str, scenario: Scenario) -> bool:
    """Return whether the table of an every-width download (:data:`EVERY_WIDTH_COMMANDS`) is stored already.

    The sweep is read from the line's width ladder once it exists (:func:`zones.web.ladder.sweep_of`), the
    claims' thresholds from the disk cache once computed (for the claims panel, or by an earlier download):
    then the file takes no time, and the app offers it with no "prepare" step.

    Parameters
    ----------
    command : str
        One of :data:`EVERY_WIDTH_COMMANDS`.
    scenario : Scenario
        Its widths and widths per pair are ignored.
    """
    if command not in EVERY_WIDTH_COMMANDS:
        raise ArgumentError("command", command, f"one of {', '.join(EVERY_WIDTH_COMMANDS)}")
    line = scenario.replace(pair_widths=())
    if command == "sweep":
        from zones.web import ladder  # lazy: the ladder needs folium, and only the app asks this

        return ladder.is_stored(line)
    return thresholds_stored(line, countries=CLAIM_COUNTRIES)


def warm_up() -> None:
    """Load the map download's drawing code and draw a tiny map once, so the first map download is not slower.

    The first 300 dpi map of a process took about 2 s more than the next (importing matplotlib, loading its
    fonts); the app runs this in the background after its first paint (:class:`zones.web.jobs.LadderJobs`).
    """
    from zones.report.map_figure import render_map  # lazy, as in download_bytes

    render_map(analyse(Scenario(width_km=50.0, date=DRAFT_PUBLISHED), regions=False), fmt="png", dpi=20)


@foreground.waited_for()  # a reader waits for it: the background ladders pause meanwhile
def download_bytes(
    kind: str,
    scenario: Scenario,
    *,
    analysis: Analysis | None = None,
    table: pd.DataFrame | None = None,
    layers: tuple[str, ...] = (),
) -> bytes:
    """Return the bytes of one download: what ``zones <command>`` writes for the same scenario.

    Parameters
    ----------
    kind : str
        A key of :data:`BY_KIND`.
    scenario : Scenario
        The scenario (for ``sweep`` and ``thresholds`` its widths are ignored; ``html`` needs one width along the
        whole line).
    analysis : Analysis, optional
        ``analyse(scenario)`` when the caller has it (else computed).
    table : pandas.DataFrame, optional
        ``sweep`` and ``thresholds``: the sweep over :data:`SWEEP_WIDTHS_KM`, or :func:`claims_thresholds`,
        when the caller has it (else computed).
    layers : tuple of str
        ``map_png`` and ``map_pdf``: the map's optional layers (``("sites",)``, as ``zones report --layers``).

    Returns
    -------
    bytes

    Raises
    ------
    ArgumentError
        If ``kind`` is unknown.
    """
    if kind not in BY_KIND:
        raise ArgumentError("kind", kind, f"one of {', '.join(BY_KIND)}")
    download = BY_KIND[kind]
    if download.command == "html":
        from zones.web import publish  # lazy: Leaflet and the page's files, for this file only

        return publish.page_html(scenario).encode("utf-8")
    if download.command == "sweep":
        return export.csv_bytes(sweep_table(scenario, SWEEP_WIDTHS_KM) if table is None else table)
    if download.command == "thresholds":
        return export.csv_bytes(thresholds_frame(claims_thresholds(scenario) if table is None else table, scenario))
    if download.command == "report":
        from zones.report.map_figure import render_map  # lazy: matplotlib, for the map only

        analysis = analyse(scenario) if analysis is None else analysis
        return render_map(analysis, fmt=download.suffix.lstrip("."), layers=layers)
    return frame_bytes(command_frame(download.command, scenario, analysis=analysis), download.suffix)
