"""Streamlit UI: the Article 7 zone on a map, with the countries and cities it covers.

Run with ``streamlit run app.py``. UI only: :func:`choices` reads the widgets
into a frozen :class:`zones.Scenario`, :mod:`zones` computes, and the rest
renders. Every setting lives in the URL's query string, so a link reproduces
the view; a bad value in the link falls back to the default with a warning.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import gc
import html
import json
import logging
import os
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Final, NamedTuple, TypeVar, cast

import altair as alt
import numpy as np
import pandas as pd
import shapely
import streamlit as st

from geodata import alliance_flags, load_countries
from zones import Analysis, ArgumentError, NoBorderError, Scenario, analyse, draft, export, wording
from zones.engine import progress, sweep
from zones.engine.analysis import border_pairs
from zones.engine.cities import distance_to_line_km, load_cities
from zones.engine.draft_areas import territories
from zones.engine.pair_widths import PairWidth, pair_widths_from_table, pair_widths_on_line
from zones.engine.population import POPULATION_METHOD
from zones.engine.share_thresholds import thresholds
from zones.engine.sites import scenario_sites_sentence, sites_table
from zones.export import sites_frame
from zones.report import map_figure as report
from zones.report import sweep_chart
from zones.settings import (
    DEFAULT_WIDTH_KM,
    DRAFT_PUBLISHED,
    EARLIEST_DATE,
    FOUNDING_ACT,
    SIDE_NAMES,
)
from zones.web import app_text, basemap, live, map_layers, publish, runtime_files
from zones.web.assets import static_text
from zones.web.leaflet_offline import install_static
from zones.web.link import SITES_KEY, area_key, day_in_words, link_params, state_from_query
from zones.web.pair_link import pair_widths_from_query, pair_widths_query
from zones.web.site_layer import sites_layer_json

#: Streamlit's loggers that speak when the server imports this file (before its runtime starts): each cached
#: function's decorator says "No runtime found" (harmless: the page runs as ``__main__`` with the runtime).
_QUIET_ON_IMPORT: Final = (logging.getLogger("streamlit.runtime.caching.cache_data_api"),)
if __name__ != "__main__":  # imported by the server (see the end of this file)
    for _logger in _QUIET_ON_IMPORT:
        _logger.disabled = True

#: The width slider, in km on each side of the border line.
SLIDER_MAX_KM: Final = 1000
SLIDER_STEP_KM: Final = 10

#: Default day of NATO membership: the day the draft was published.
DEFAULT_DATE: Final = DRAFT_PUBLISHED

#: Fixed key of the map component: with an identical base map, the browser keeps the map.
MAP_KEY: Final = "zone_map"
MAP_HEIGHT_PX: Final = 580

#: The width-sweep chart on the page: how many countries, its height and its text size. Drawn by
#: the browser (Vega-Lite) at the page's own text size; an A4 image scaled down to the column
#: had text about 8 px high at 1,280 px. The print version is ``python -m zones sweep``.
SWEEP_COUNTRIES: Final = 10
SWEEP_CHART_HEIGHT_PX: Final = 420
SWEEP_FONT_PX: Final = 14

#: Rows of the cities table (the largest); the CSV has them all.
CITY_ROWS: Final = 100

#: Rows of the regions table (the largest); the CSV has them all.
REGION_ROWS: Final = 200

#: The claims the "At what width?" panel tests: country, share of its land, words.
CLAIMS: Final = (
    ("EST", 1.0, "All of Estonia"),
    ("LVA", 1.0, "All of Latvia"),
    ("LTU", 1.0, "All of Lithuania"),
    ("POL", 0.3333, "A third of Poland"),
    ("UKR", 0.1, "A tenth of Ukraine"),
    ("UKR", 0.3333, "A third of Ukraine"),
    ("FIN", 0.5, "Half of Finland"),
    ("NOR", 0.1, "A tenth of mainland Norway"),
    ("SWE", 0.1, "A tenth of Sweden"),
    ("BLR", 1.0, "All of Belarus"),
)
CLAIM_COUNTRIES: Final = tuple(sorted({code for code, _, _ in CLAIMS}))


class ScenarioKey(NamedTuple):
    """The simple values the caches are keyed by: the widths, the date, the reading, clipping, sea borders, pairs."""

    width_km: float
    russia_width_km: float
    nato_width_km: float
    date_iso: str
    allies: str
    clip: bool
    sea_borders: bool
    pair_widths: tuple[PairWidth, ...] = ()

    def widthless(self) -> tuple[str, str, bool, bool]:
        """Return everything but the widths: the key of the sweep, the thresholds and the first view."""
        return (self.date_iso, self.allies, self.clip, self.sea_borders)


ALLIES_LABELS: Final = {
    "union-state": "Union State: Russia and Belarus",
    "csto": "CSTO: the Collective Security Treaty's members on the day",
}


# ---------------------------------------------------------------- computation (cached, keyed by simple values)

_T = TypeVar("_T")


def _set(value: _T | None) -> _T:
    """Return a field that :class:`zones.Scenario` always fills in (its widths and date), typed as set."""
    if value is None:
        raise ValueError("a Scenario has its widths and date set once validated")
    return value


def _served() -> bool:
    """Return whether Leaflet and the base map's countries are served (written into the cache folder once).

    They are served by the route of :data:`app` (:mod:`zones.web.runtime_files`), which exists when
    ``streamlit run app.py`` serves this script (not under ``AppTest``).
    """
    return runtime_files.mounted() and _written()


@st.cache_resource(show_spinner=False)
def _written() -> bool:
    """Write Leaflet and the base map's countries into the cache folder once; return whether that worked."""
    try:
        install_static(runtime_files.files_dir())
        basemap.write_basemap(runtime_files.files_dir())
    except OSError:
        return False  # a read-only cache: the map embeds them instead
    return True


#: Environment variable that turns the live slider off (``0``): the plain slider that updates on release.
LIVE_SWITCH: Final = "ZONES_LIVE_SLIDER"

#: Session-state key of the live width slider (a component, see :func:`live_slider`).
LIVE_KEY: Final = "width_live"


@st.cache_resource(show_spinner=False)
def _width_component() -> Any:
    """Register the live width slider (``zones/web/static/width_slider.*``) once per process; return its mount."""
    return st.components.v2.component(
        "zones_width_slider",
        css=static_text("width_slider.css"),
        js=static_text("ladder.js") + "\n" + static_text("width_slider.js"),
    )


@st.cache_resource(show_spinner=False)
def _ladder_jobs() -> tuple[ThreadPoolExecutor, dict[str, Future[Path]]]:
    """Return the one background worker that writes ladder files, and its jobs by ladder name (per process)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="ladder"), {}


def _ladder_job(scenario: Scenario, path: Path | None = None) -> tuple[str, Future[Path]]:
    """Return the name of ``scenario``'s ladder and the job writing its file (started if new).

    ``path`` is the ladder file when already known (see :func:`_preset_ladders`).
    """
    pool, jobs = _ladder_jobs()
    name = (path or live.ladder_path(runtime_files.files_dir(), scenario)).name
    if name not in jobs:
        jobs[name] = pool.submit(live.write_ladder_file, runtime_files.files_dir(), scenario)
    return name, jobs[name]


def preset_scenarios() -> tuple[Scenario, ...]:
    """Return the scenarios of the sidebar's date buttons, for each reading: their ladders are prepared at start."""
    days = (FOUNDING_ACT, DRAFT_PUBLISHED, dt.date.today())
    return tuple(Scenario(width_km=0.0, date=day, allies=allies) for day in days for allies in ALLIES_LABELS)


@st.cache_resource(show_spinner=False)
def _preset_ladders(today_iso: str) -> tuple[tuple[Scenario, Path], ...]:
    """Return the presets with their ladder files, once per process and day ("today" is a preset).

    Naming a ladder resolves its sides (about 4 ms a preset), so it is not
    redone on every rerun.
    """
    return tuple((preset, live.ladder_path(runtime_files.files_dir(), preset)) for preset in preset_scenarios())


def live_ladder(scenario: Scenario) -> tuple[str | None, str | None]:
    """Return the URL (relative to the app) of ``scenario``'s ladder file, or ``None`` and why not.

    The file is written in the background after the first paint (or found
    from an earlier run); the slider fetches it until it is there. Also
    queues the presets' ladders behind it.
    """
    if os.environ.get(LIVE_SWITCH, "1") == "0":
        return None, f"{LIVE_SWITCH}=0 is set"
    if not _served():
        return None, "the server does not serve the app's files (run it with `streamlit run app.py`)"
    try:
        name, job = _ladder_job(scenario)
    except Exception as exc:  # never break the page over the live preview
        return None, f"its data could not be prepared ({type(exc).__name__})"
    if job.done() and job.exception() is not None:
        return None, f"its data could not be prepared ({type(job.exception()).__name__})"
    try:
        presets = _preset_ladders(dt.date.today().isoformat())
    except Exception:  # never break the page over the live preview: the presets are simply not live
        presets = ()
    for preset, path in presets:
        try:
            _ladder_job(preset, path)
        except Exception:  # noqa: S112 - a preset that cannot be prepared is simply not live
            continue
    return live.LADDER_URL_PREFIX + name, None


def presets_ready() -> tuple[int, list[str]]:
    """Return how many of the presets' ladder files are written (now or by an earlier run), and all their URLs.

    The URLs come in the order the files are written (the page asks for one at a time, see ``page_keys.js``).
    """
    try:
        paths = list(dict.fromkeys(path for _, path in _preset_ladders(dt.date.today().isoformat())))
    except Exception:  # never break the page over the live preview: the slider's note says why
        return 0, []
    return sum(1 for path in paths if path.is_file()), [live.LADDER_URL_PREFIX + path.name for path in paths]


@st.cache_resource(show_spinner=False)
def _loaded() -> bool:
    """Load the border and city data once per process, then exempt them from garbage collection.

    ``gc.freeze`` moves every object alive now (the data, the imported
    modules) out of the collector's reach, so the full collections that run
    under load no longer walk them.
    """
    load_countries()
    load_cities()
    gc.freeze()
    return True


def _scenario(
    width_km: float,
    russia_width_km: float,
    nato_width_km: float,
    date_iso: str,
    allies: str,
    clip: bool,
    sea_borders: bool,
    pair_widths: tuple[PairWidth, ...] = (),
) -> Scenario:
    return Scenario(
        width_km=width_km,
        russia_width_km=russia_width_km,
        nato_width_km=nato_width_km,
        date=dt.date.fromisoformat(date_iso),
        allies=allies,
        clip=clip,
        sea_borders=sea_borders,
        pair_widths=pair_widths,
    )


@st.cache_resource(max_entries=48, show_spinner=False)
def cached_analysis(
    width_km: float,
    russia_width_km: float,
    nato_width_km: float,
    date_iso: str,
    allies: str,
    clip: bool,
    sea_borders: bool,
    pair_widths: tuple[PairWidth, ...] = (),
) -> Analysis:
    """Return :func:`zones.analyse` for one scenario (shared, read-only)."""
    return analyse(
        _scenario(width_km, russia_width_km, nato_width_km, date_iso, allies, clip, sea_borders, pair_widths)
    )


@st.cache_data(max_entries=48, show_spinner=False)
def cached_layers(key: ScenarioKey) -> str:
    """Return the map's changing layers for one scenario as JSON text (:func:`zones.web.map_layers.layers_json`)."""
    return map_layers.layers_json(map_layers.zone_collections(cached_analysis(*key)))


@st.cache_data(max_entries=48, show_spinner=False)
def cached_sites(key: ScenarioKey) -> tuple[str, str]:
    """Return the training areas' map layer (JSON) and their sentence for one scenario (:mod:`zones.engine.sites`)."""
    scenario = cached_analysis(*key).scenario
    table = sites_table(scenario)
    return sites_layer_json(table), scenario_sites_sentence(scenario, table)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_territory_layer(article: str, date_iso: str) -> str:
    """Return the optional map layer of the area an article of the draft names (:mod:`zones.engine.draft_areas`)."""
    return map_layers.territory_layer_json(territories(article, date_iso), article=article)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_sweep(date_iso: str, allies: str, clip: bool, sea_borders: bool) -> pd.DataFrame:
    """Return the share of each country by width, 0–1,000 km every 10 km (:func:`zones.engine.sweep.sweep_table`)."""
    scenario = _scenario(0, 0, 0, date_iso, allies, clip, sea_borders)
    return sweep.sweep_table(scenario, range(0, SLIDER_MAX_KM + 1, SLIDER_STEP_KM))


def with_bar(words: str, compute: Callable[[], _T]) -> _T:
    """Return ``compute()``, with a progress bar drawn from what it reports while it runs.

    It runs in a thread of its own (with a copy of this context), and this,
    the script's thread, draws the bar: an element drawn inside a cached
    function would be replayed on every later hit. Work that is done at once
    (a cache hit) shows no bar.
    """
    done = [0, 1]

    def step(count: int, total: int) -> None:
        done[:] = [count, max(total, 1)]

    bar = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="with-bar") as pool:
        job = pool.submit(contextvars.copy_context().run, _reported, step, compute)
        while not wait([job], timeout=0.25).done:
            bar = bar or st.empty()
            bar.progress(min(done[0] / done[1], 1.0), text=f"{words}: {done[0]:,} of {done[1]:,} done…")
    if bar is not None:
        bar.empty()
    return job.result()


def _reported(step: progress.Reporter, compute: Callable[[], _T]) -> _T:
    """Return ``compute()``, its progress sent to ``step``."""
    with progress.reporting(step):
        return compute()


def swept(scenario: Scenario) -> pd.DataFrame:
    """Return :func:`cached_sweep` for ``scenario``, with a progress bar while it is computed (up to a minute)."""
    key = _key(scenario).widthless()
    table = with_bar("Sweeping the widths from 0 to 1,000 km", lambda: cached_sweep(*key))
    st.session_state.setdefault("_swept", set()).add(key)
    return table


def claim_widths(scenario: Scenario) -> pd.DataFrame:
    """Return :func:`cached_thresholds` for ``scenario``, with a progress bar while it is computed (up to 10 s)."""
    key = _key(scenario).widthless()
    return with_bar("Measuring the zone width by width to find where each claim holds", lambda: cached_thresholds(*key))


def app_chart(table: pd.DataFrame, codes: list[str], *, width_km: float) -> alt.LayerChart:
    """Return the share-by-width chart: a line per country of ``codes``, each its own hue, the current width dashed."""
    names = table.drop_duplicates("adm0_a3").set_index("adm0_a3").loc[codes, "name"].tolist()
    data = table[table["adm0_a3"].isin(codes)].assign(percent=(100 * table["share"]).round(1))
    data.attrs = {}  # the sweep's scenario stays out of the chart's data
    x = alt.X("width_km:Q", title="Width of the zone on each side of the border (km)")
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("percent:Q", title="Share of the country's land (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "name:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=list(sweep_chart.LINE_COLOURS[: len(names)])),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Country"),
                alt.Tooltip("width_km:Q", title="Width (km)", format=",.0f"),
                alt.Tooltip("percent:Q", title="Share (%)", format=".1f"),
            ],
        )
    )
    current = alt.Chart(pd.DataFrame({"width_km": [width_km]})).mark_rule(strokeDash=[6, 4], color="#333333")
    return cast(
        alt.LayerChart,
        (lines + current.encode(x=x))
        .properties(height=SWEEP_CHART_HEIGHT_PX)
        .configure_axis(labelFontSize=SWEEP_FONT_PX, titleFontSize=SWEEP_FONT_PX)
        .configure_legend(labelFontSize=SWEEP_FONT_PX, symbolStrokeWidth=3),
    )


@st.cache_data(max_entries=16, show_spinner=False)
def cached_thresholds(date_iso: str, allies: str, clip: bool, sea_borders: bool) -> pd.DataFrame:
    """Return the widths at which the claim countries' shares reach each level (:func:`zones.thresholds`)."""
    return thresholds(_scenario(0, 0, 0, date_iso, allies, clip, sea_borders), countries=CLAIM_COUNTRIES)


@st.cache_data(max_entries=48, show_spinner=False)
def cached_download(kind: str, key: ScenarioKey) -> bytes:
    """Return the bytes of one download.

    ``kind`` is ``affected``, ``regions`` or ``strip`` (GeoJSON), ``table``,
    ``regions_table``, ``cities`` or ``sites`` (CSV), ``map_png`` or
    ``map_pdf`` (the report map, with the training areas when their layer is
    on: ``kind`` ends ``+sites``), ``sweep`` or ``thresholds`` (CSV), ``html``
    (the one-file page of :mod:`zones.web.publish`, one width along the whole line only).
    """
    if kind == "sweep":
        return export.csv_bytes(cached_sweep(*key.widthless()))
    if kind == "thresholds":
        return export.csv_bytes(cached_thresholds(*key.widthless()))
    if kind == "html":
        return publish.page_html(_scenario(*key)).encode("utf-8")
    analysis = cached_analysis(*key)
    if kind.startswith("map_"):
        fmt, _, layers = kind.removeprefix("map_").partition("+")
        return report.render_map(analysis, fmt=fmt, layers=layers)
    if kind == "sites":
        return export.csv_bytes(sites_frame(analysis.scenario))
    if kind == "affected":
        return export.geojson_bytes(export.affected_frame(analysis))
    if kind == "strip":
        return export.geojson_bytes(export.strip_frame(analysis))
    if kind == "table":
        return export.csv_bytes(export.affected_frame(analysis))
    if kind == "regions":
        return export.geojson_bytes(export.regions_frame(analysis))
    if kind == "regions_table":
        return export.csv_bytes(export.regions_frame(analysis))
    return export.csv_bytes(export.cities_frame(analysis))


@st.cache_data(max_entries=256, show_spinner=False)
def measure_point(lat: float, lon: float, key: ScenarioKey) -> dict[str, Any]:
    """Return the geodesic distance of a point to the contact line, and where it lies."""
    analysis = cached_analysis(*key)
    distance_km = float(distance_to_line_km(np.array([lon]), np.array([lat]), analysis.line)[0])
    point = shapely.Point(lon, lat)
    pieces = [
        side for side, geom in zip(analysis.strip["side"], analysis.strip.geometry, strict=True) if geom.covers(point)
    ]
    countries = load_countries()
    hits = countries.sindex.query(point, predicate="intersects")
    country = str(countries.iloc[hits[0]]["name"]) if len(hits) else None
    return {
        "distance_km": distance_km,
        "inside": bool(pieces),
        "piece": pieces[0] if pieces else None,
        "country": country,
    }


# ---------------------------------------------------------------- state and the query string


def init_state() -> None:
    """Set up every session-state key: from the query string once per session, then keep them.

    Streamlit forgets the value of a widget that was not drawn on the last
    run (the hidden width sliders); writing each value back keeps it.
    """
    state = st.session_state
    if "_initialised" not in state:
        values, notes = state_from_query(
            st.query_params.to_dict(), max_width_km=SLIDER_MAX_KM, step_km=SLIDER_STEP_KM, default_date=DEFAULT_DATE
        )
        values[PAIR_WIDTHS_KEY] = _pair_widths_from_link(values, notes)
        for key, value in values.items():
            state[key] = value
        state["_link_notes"] = notes
        state["_link_state"] = values
        state["_initialised"] = True
    for key in state["_link_state"]:
        state[key] = state[key] if key in state else state["_link_state"][key]


def _pair_widths_from_link(values: dict[str, Any], notes: list[str]) -> tuple[PairWidth, ...]:
    """Return the widths per pair the link gives (``width_km_RUS-NOR=50``), checked on its line; notes to ``notes``."""
    line = _scenario(0, 0, 0, values["date"].isoformat(), values["allies"], values["clip"], values["sea_borders"])
    try:
        pairs = border_pairs(line)
        line_pairs = list(zip(pairs["russia_side"], pairs["nato_side"], strict=True))
    except NoBorderError:
        line_pairs = []
    pair_widths, pair_notes = pair_widths_from_query(
        st.query_params.to_dict(), line_pairs=line_pairs, max_width_km=SLIDER_MAX_KM
    )
    notes.extend(pair_notes)
    return pair_widths


def _on_per_side() -> None:
    """Start both per-side widths at the common width; switched off, go back to the common width.

    The common width is the one the reader had before switching per-side
    widths on (it stays in the session state, see :func:`init_state`). A page
    opened on per-side widths from a link has none: it takes the wider side.
    """
    state = st.session_state
    if state["per_side"]:
        state["russia_width_km"] = state["nato_width_km"] = state["width_km"]
        state["_had_common_width"] = True
    elif not state.get("_had_common_width"):
        state["width_km"] = max(state["russia_width_km"], state["nato_width_km"])


def write_query() -> None:
    """Put every setting into the query string (only when it changed): widths, day, sides, areas, regions' country."""
    state = st.session_state
    wanted = link_params({key: state[key] for key in state["_link_state"]}) | pair_widths_query(state[PAIR_WIDTHS_KEY])
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def _set_date(value: dt.date) -> Callable[[], None]:
    def callback() -> None:
        st.session_state["date"] = value

    return callback


# ---------------------------------------------------------------- widgets


def settings() -> None:
    """Draw the settings that change rarely in the sidebar (the date, Russia's side, clipping)."""
    today = dt.date.today()
    side = st.sidebar
    side.header("Scenario")
    side.date_input(
        "Alliances as on",
        min_value=EARLIEST_DATE,
        max_value=today,
        key="date",
        format="DD.MM.YYYY",
        help="NATO's members and Russia's allies on this day (from 26 December 1991, the day the USSR was "
        "dissolved). Borders are today's on every date. Type a date as day.month.year (29.03.2004) and press Enter, "
        "or pick one from the calendar.",
    )
    side.html(f"<script>{page_keys_js()}</script>", unsafe_allow_javascript=True)
    for column, (label, key, day, tip) in zip(
        side.columns(3),
        (
            ("1997", "preset_founding", FOUNDING_ACT, "NATO–Russia Founding Act, 27 May 1997"),
            ("Draft", "preset_draft", DRAFT_PUBLISHED, "Draft agreement published, 17 Dec 2021"),
            ("Today", "preset_today", today, f"NATO's members today, {day_in_words(today)}"),
        ),
        strict=True,
    ):
        column.button(label, key=key, on_click=_set_date(day), help=tip, width="stretch")
    side.radio(
        "Russia's side",
        options=list(ALLIES_LABELS),
        format_func=ALLIES_LABELS.__getitem__,
        key="allies",
    )
    side.toggle(
        "Only the parties' own land",
        key="clip",
        help="Clip the zone to the territory of Russia's side and NATO's side (drops the sea and third countries).",
    )
    side.checkbox(
        "Include sea borders",
        key="sea_borders",
        help="Add Russia's borders at sea along the territorial sea (12 nm) to the land border: with Norway, "
        "Finland, Estonia, Lithuania, Poland and, in the Bering Strait, the United States. Off: land only.",
    )
    side.toggle("Different widths per side", key="per_side", on_change=_on_per_side)
    side.caption("The draft's other areas, on the map:")
    for article, explanation in TERRITORY_EXPLANATIONS.items():
        side.checkbox(f"Article {ARTICLE_LABELS[article]} area", key=area_key(article), help=explanation)
    side.checkbox(
        "Training areas",
        key=SITES_KEY,
        help="The training areas and ranges where exercises above brigade level were held (geodata/sites.csv): "
        "a circle per area in its side's colour, outlined in black when the zone covers it.",
    )
    ready, urls = presets_ready()
    if ready < len(urls) and os.environ.get(LIVE_SWITCH, "1") != "0":  # page_keys.js counts on as files arrive
        side.html(
            f"<p class='zones-presets' data-urls='{html.escape(json.dumps(urls))}'>Preparing the live map for the "
            f"presets' border lines: <span>{ready}</span> of {len(urls)} ready.</p>"
        )


def widths() -> tuple[Scenario, str | None]:
    """Draw the width slider (or one per side) above the map, and the table of widths per border stretch under it.

    Returns
    -------
    tuple of (Scenario, str or None)
        The user's choices, and the URL of the live slider's ladder file (``None`` when the slider is not live).
    """
    sliders = st.container()  # filled once the table under it has given the widths per pair
    pair_widths = pair_editor()
    with sliders:
        return _width_sliders(pair_widths)


def _width_sliders(pair_widths: tuple[PairWidth, ...]) -> tuple[Scenario, str | None]:
    """Draw the width slider (or one per side); return the scenario with ``pair_widths`` and the live ladder's URL."""
    state = st.session_state
    if not state["per_side"]:
        width_km = float(state["width_km"])
        scenario = _scenario(width_km, width_km, width_km, *_widthless(state), pair_widths)
        if pair_widths:  # the ladder holds one width along the whole line
            st.caption(
                "The map follows the slider when it is released: the live map draws one width along the whole "
                "line, not the widths per border stretch."
            )
        else:
            url, problem = live_ladder(scenario)
            if url is not None:
                live_slider(float(state["width_km"]), url)
                return scenario, url
            st.caption(f"The map follows the slider when it is released: the live map is off, because {problem}.")
        st.slider(
            "Width of the zone on each side of the border",
            min_value=0,
            max_value=SLIDER_MAX_KM,
            step=SLIDER_STEP_KM,
            format="%d km",
            key="width_km",
            help="Distance from the border line to the edge of the zone, measured on the ellipsoid.",
        )
        russia_km = nato_km = width_km = float(state["width_km"])
    else:
        russia, nato = st.columns(2)
        russia.slider(
            "Width on Russia's side", 0, SLIDER_MAX_KM, step=SLIDER_STEP_KM, format="%d km", key="russia_width_km"
        )
        nato.slider("Width on NATO's side", 0, SLIDER_MAX_KM, step=SLIDER_STEP_KM, format="%d km", key="nato_width_km")
        russia_km, nato_km = float(state["russia_width_km"]), float(state["nato_width_km"])
        width_km = max(russia_km, nato_km)
        st.caption("With a width per side the map follows a slider when it is released (the live map has one width).")
    return _scenario(width_km, russia_km, nato_km, *_widthless(state), pair_widths), None


#: Session-state key of the widths per pair in effect (a normalised tuple, as ``Scenario.pair_widths``).
PAIR_WIDTHS_KEY: Final = "pair_widths"
#: Columns of the table of widths per border stretch; all but the width are read-only.
PAIR_COLUMNS: Final = ("pair", "russia_name", "nato_name", "length_km", "pair_width_km")


def pair_editor() -> tuple[PairWidth, ...]:
    """Draw the table of widths per border stretch (folded); return the widths per pair in effect.

    The table starts from the widths in effect when the line was last drawn
    (``_pair_base``); edits are kept by the editor. When the date or the sides
    change the line, the table starts again, and widths of pairs no longer on
    the line are dropped with a note.
    """
    state = st.session_state
    line = _scenario(0, 0, 0, *_widthless(state))
    try:
        pairs = border_pairs(line)
    except NoBorderError:
        return ()
    line_pairs = tuple(zip(pairs["russia_side"], pairs["nato_side"], strict=True))
    if state.get("_pair_line") != line_pairs:
        kept, dropped = pair_widths_on_line(state[PAIR_WIDTHS_KEY], line_pairs)
        state[PAIR_WIDTHS_KEY] = state["_pair_base"] = kept
        state["_pair_line"], state["_pair_table"] = line_pairs, state.get("_pair_table", 0) + 1
        state["_pair_note"] = app_text.dropped_pairs_note(dropped) if dropped else ""
    base = dict(state["_pair_base"])
    table = pairs.assign(pair_width_km=[base.get(pair, np.nan) for pair in line_pairs])[list(PAIR_COLUMNS)]
    with st.expander("Widths per border stretch"):
        if state["_pair_note"]:
            st.info(state["_pair_note"], icon=":material/info:")
        edited = st.data_editor(
            table,
            key=f"pair_table_{state['_pair_table']}",
            hide_index=True,
            num_rows="fixed",
            placeholder="common width",
            disabled=list(PAIR_COLUMNS[:-1]),
            column_config={
                "pair": st.column_config.TextColumn("Pair", help="As in a link: width_km_RUS-NOR=50"),
                "russia_name": st.column_config.TextColumn("Russia's side"),
                "nato_name": st.column_config.TextColumn("NATO's side"),
                "length_km": st.column_config.NumberColumn("Border", format="%,.0f km"),
                "pair_width_km": st.column_config.NumberColumn(
                    "Width (km)",
                    min_value=0,
                    max_value=SLIDER_MAX_KM,
                    step=1,
                    format="%g km",
                    help="This stretch's width on both sides, replacing the common width; empty: the common width.",
                ),
            },
        )
        st.caption(
            "A stretch's width replaces the common width on both sides along it (0: no zone there); "
            "empty: the common width."
        )
    try:
        state[PAIR_WIDTHS_KEY] = line.replace(pair_widths=pair_widths_from_table(edited)).pair_widths
    except ArgumentError as exc:
        st.warning(f"{exc} Keeping the widths per pair as they were.", icon=":material/warning:")
    return cast("tuple[PairWidth, ...]", state[PAIR_WIDTHS_KEY])


def _widthless(state: Any) -> tuple[str, str, bool, bool]:
    """Return the date, reading, clipping and sea borders from the session state."""
    return (state["date"].isoformat(), state["allies"], bool(state["clip"]), bool(state["sea_borders"]))


def _on_live_width() -> None:
    """Copy the live slider's released width into the session's width (one rerun per release)."""
    value = st.session_state[LIVE_KEY]["width_km"]
    if value is not None:
        st.session_state["width_km"] = float(value)


def live_slider(width_km: float, ladder_url: str) -> None:
    """Draw the live width slider: the map follows the thumb in the browser; a release reruns once."""
    _width_component()(
        key=LIVE_KEY,
        data={
            "width_km": int(width_km),
            "max_km": SLIDER_MAX_KM,
            "step_km": SLIDER_STEP_KM,
            "label": "Width of the zone on each side of the border",
            "ladder": ladder_url,
            "follows": FOLLOWS_CSS,
        },
        on_width_km_change=_on_live_width,
    )


# ---------------------------------------------------------------- rendering


def _key(scenario: Scenario) -> ScenarioKey:
    """Return the simple values the caches are keyed by."""
    return ScenarioKey(
        scenario.width_km,
        _set(scenario.russia_width_km),
        _set(scenario.nato_width_km),
        _set(scenario.date).isoformat(),
        scenario.allies,
        scenario.clip,
        scenario.sea_borders,
        scenario.pair_widths,
    )


#: One line on each of the draft's other areas, shown with its map layer.
TERRITORY_EXPLANATIONS: Final = {
    "4": "Article 4: no deployments beyond those of 27 May 1997 on the territory of the NATO members that joined "
    "after that day (outlined in purple, as of the chosen date).",
    "7.1": "Article 7(1): no NATO military activity in Ukraine and other states of Eastern Europe, the South "
    "Caucasus and Central Asia (outlined in green). Read narrowly, as the post-Soviet states outside NATO and the "
    "Union State: Ukraine, Moldova, Georgia, Armenia, Azerbaijan, Kazakhstan, Kyrgyzstan, Tajikistan, "
    "Turkmenistan, Uzbekistan.",
}
ARTICLE_LABELS: Final = {"4": "4", "7.1": "7(1)"}


def _flags(analysis: Analysis) -> str:
    """Return the caveats on Russia's side on the day (Armenia's frozen participation), as one sentence."""
    scenario = analysis.scenario
    names = load_countries()["name"]
    flags = alliance_flags(scenario.allies, _set(scenario.date))
    return " ".join(f"{names[code]} {flag}: it counts as a member here." for code, flag in flags.items())


def show_summary(analysis: Analysis) -> None:
    """Draw the headline numbers in :mod:`zones.wording`'s words: the parties' land, each side's, third apart."""
    totals = wording.totals_of(analysis)
    plain: dict[str, Any] = {"delta_color": "off", "delta_arrow": "off"}
    people_help = f"People: {POPULATION_METHOD}."
    cols = st.columns(4)
    cols[0].metric(
        wording.LABELS["parties"],
        wording.format_km2(totals.parties_km2),
        delta=wording.parties_delta(totals),
        help="NATO's side and Russia's side together; third countries are counted apart. " + people_help,
        **plain,
    )
    shares = analysis.totals.set_index("side")["share"]
    for column, side in zip(cols[1:3], ("nato", "russia"), strict=True):
        column.metric(
            wording.LABELS[side],
            wording.format_km2(totals.km2[side]),
            delta=wording.side_delta(totals, side, share=float(shares[side])),
            help="The share is of the whole land of this side's countries that the zone reaches, "
            "not of all the side's land. " + people_help,
            **plain,
        )
    cols[3].metric(
        wording.LABELS["third"],
        wording.format_km2(totals.km2["third"]),
        delta=wording.third_delta(totals),
        help="Land of countries on neither side that the zone reaches; not part of the parties' total.",
        **plain,
    )


def show_claims(analysis: Analysis) -> None:
    """Draw the "At what width?" panel: the widths at which the commentators' claims hold, the current one marked."""
    scenario = analysis.scenario
    st.subheader("At what width does a claim hold?")
    try:
        table = claim_widths(scenario)  # a progress bar the first time (up to 10 s)
    except (ArgumentError, OSError) as exc:  # never break the page over the panel
        st.warning(f"The widths could not be computed for this scenario: {exc}")
        return
    rows: dict[tuple[str, float], dict[Hashable, Any]] = {
        (str(row["adm0_a3"]), round(float(row["share"]), 4)): row for row in table.to_dict("records")
    }
    st.markdown(" · ".join(app_text.claim_parts(CLAIMS, rows, analysis)))
    st.caption(app_text.claims_caption(scenario))
    if scenario.pair_widths:
        st.caption(app_text.ONE_WIDTH_CAVEAT)


@st.cache_data(max_entries=48, show_spinner=False)
def cached_view(key: ScenarioKey) -> dict[str, Any]:
    """Return what the map's live part needs: the width drawn, the first view's key and bounds."""
    return {
        "width_km": key.width_km,
        "fit_key": "|".join(map(str, key.widthless())),
        "bounds": map_layers.view_bounds(cached_analysis(*key)),
    }


def show_map(analysis: Analysis, *, ladder_url: str | None = None) -> None:
    """Draw the map (fixed base map, changing zone layers), with the clicked point's answer in a popup.

    ``ladder_url`` is the live slider's ladder file: the map prepares it while the browser is idle.
    """
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_clicked")
    point = (float(clicked["lat"]), float(clicked["lng"])) if clicked else None
    scenario = analysis.scenario
    date_iso = _set(scenario.date).isoformat()
    shown = [a for a in TERRITORY_EXPLANATIONS if st.session_state.get(area_key(a))]
    below = tuple(cached_territory_layer(a, date_iso) for a in shown)
    if st.session_state.get(SITES_KEY):
        below += (cached_sites(_key(scenario))[0],)
    words = None
    if point is not None:
        words = app_text.point_words(measure_point(round(point[0], 5), round(point[1], 5), _key(scenario)), scenario)
    # Imported in a run of the page, not when the server imports this file: the component registers itself
    # with the run's Streamlit runtime on import, and there is none yet when the server starts.
    from streamlit_folium import st_folium

    st_folium(
        basemap.base_map(served=_served()),
        key=MAP_KEY,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        feature_group_to_add=map_layers.layers_from(
            cached_layers(_key(scenario)),
            clicked=point,
            below=below,
            view={**cached_view(_key(scenario)), "ladder": ladder_url},
            popup=words,
        ),
        returned_objects=["last_clicked"],
        wrap_longitude=True,
        render=False,  # st_folium renders the map itself; a second render gives the same page, 7 ms later
    )
    with st.container(key=MAP_NOTES_KEY):
        for article in shown:
            st.caption(TERRITORY_EXPLANATIONS[article])
        if point is None:
            st.caption("Click the map to measure a point's distance to the border between the sides.")
            return
        lat, lon = point
        where = f"{abs(lat):.2f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.2f}° {'E' if lon >= 0 else 'W'}"
        st.caption(f"Clicked point {where}: {words}")


def _affected_table(analysis: Analysis) -> pd.DataFrame:
    affected = analysis.affected
    return pd.DataFrame(  # the share next to the name: on a phone the columns after it are off-screen
        {
            "Country": affected["name"],
            "Share of the country": (100 * affected["share"]).round(1),
            "Land in the zone": affected["area_km2"].round().astype("int64"),
            "Side": [SIDE_NAMES[s] for s in affected["side"]],
            "Country's land": affected["country_area_km2"].round().astype("int64"),
            "Whole country": (100 * affected["share_whole_country"]).round(1),
        }
    )


def show_tables(analysis: Analysis) -> None:
    """Draw the affected countries and the cities."""
    km2 = st.column_config.NumberColumn(format="%,d km²")
    name = st.column_config.TextColumn(pinned=True)  # stays in view when a phone scrolls the table sideways
    countries, cities = st.columns([3, 2])
    with countries:
        st.subheader("Affected countries")
        st.dataframe(
            _affected_table(analysis),
            hide_index=True,
            key="affected_table",
            column_config={
                "Country": name,
                "Land in the zone": km2,
                "Share of the country": st.column_config.NumberColumn(
                    format="%.1f %%", help="Of mainland Norway and metropolitan France (the claims' reading)"
                ),
                "Country's land": km2,
                "Whole country": st.column_config.NumberColumn(
                    format="%.1f %%", help="Share of the whole country, its remote territories included"
                ),
            },
        )
    with cities:
        found = analysis.cities
        st.subheader("Cities in the zone")
        names = load_countries()["name"]
        top = found.head(CITY_ROWS)
        st.dataframe(
            pd.DataFrame(
                {  # the figures next to the name, as in the countries' table: on a phone the last column is cut
                    "City": top["name"],
                    "Distance": top["distance_km"].round().astype("int64"),
                    "Population": top["population"].astype("int64"),
                    "Country": [names.get(c, c) for c in top["adm0_a3"]],
                }
            ),
            hide_index=True,
            key="cities_table",
            column_config={
                "City": name,
                "Population": st.column_config.NumberColumn(format="%,d"),
                "Distance": st.column_config.NumberColumn(
                    format="%,d km", help="Geodesic distance to the border between the sides"
                ),
            },
        )
        st.caption(_cities_caption(found, shown=len(top)))


def _cities_caption(found: pd.DataFrame, *, shown: int) -> str:
    """Return the sentence under the cities table: how many, how many people, which the map marks."""
    if found.empty:
        return "No city of 15,000 people or more (GeoNames) lies in the zone."
    count = f"{len(found):,} cities" if len(found) > 1 else "1 city"
    table = f"the {shown:,} largest of {count}" if len(found) > shown else count
    on_map = f"the {map_layers.MAX_MAP_CITIES} largest" if len(found) > map_layers.MAX_MAP_CITIES else "every one"
    return (
        f"Showing {table} of 15,000 people or more (GeoNames) in the zone, "
        f"{int(found['population'].sum()):,} people in all. The map marks {on_map}."
    )


def _regions_table(regions: pd.DataFrame) -> pd.DataFrame:
    names = load_countries()["name"]
    top = regions.head(REGION_ROWS)
    return pd.DataFrame(
        {
            "Region": top["name"],
            "Country": [names.get(c, c) for c in top["adm0_a3"]],
            "Land in the zone": top["area_km2"].round().astype("int64"),
            "Share of the region": (100 * top["share"]).round(1),
            "People (estimate)": top["population"].astype("int64"),
        }
    )


def show_regions(analysis: Analysis) -> None:
    """Draw the affected regions, largest first, narrowed to one country on request."""
    st.subheader("Affected regions")
    regions = analysis.regions
    names = load_countries()["name"]
    options = ["", *analysis.affected.loc[analysis.affected["adm0_a3"].isin(regions["adm0_a3"]), "adm0_a3"]]
    if st.session_state.get("regions_country") not in options:  # from a link, or out of reach at this width
        st.session_state["regions_country"] = ""
    chosen = st.selectbox(
        "Country",
        options=options,
        format_func=lambda code: f"{names.get(code, code)}" if code else "All countries",
        key="regions_country",
        help="Provinces, oblasts, voivodeships, counties: Natural Earth's first-level divisions.",
    )
    if chosen:
        regions = regions[regions["adm0_a3"] == chosen]
    st.dataframe(
        _regions_table(regions),
        hide_index=True,
        key="regions_table",
        column_config={
            "Land in the zone": st.column_config.NumberColumn(format="%,d km²"),
            "Share of the region": st.column_config.NumberColumn(format="%.1f %%"),
            "People (estimate)": st.column_config.NumberColumn(format="%,d", help=POPULATION_METHOD),
        },
    )
    if len(regions) == 0:
        st.caption("No region lies in the zone.")
        return
    shown = f"the {REGION_ROWS:,} largest of " if len(regions) > REGION_ROWS else ""
    st.caption(
        f"Showing {shown}{len(regions):,} regions, {wording.format_people(regions['population'].sum())} in all "
        f"({POPULATION_METHOD})."
    )


DOWNLOADS: Final = (
    ("affected", "Affected countries (GeoJSON)", "affected.geojson", "application/geo+json"),
    ("strip", "Zone (GeoJSON)", "zone.geojson", "application/geo+json"),
    ("table", "Affected countries (CSV)", "affected.csv", "text/csv"),
    ("regions", "Affected regions (GeoJSON)", "regions.geojson", "application/geo+json"),
    ("regions_table", "Affected regions (CSV)", "regions.csv", "text/csv"),
    ("cities", "Cities (CSV)", "cities.csv", "text/csv"),
    ("sites", "Training areas (CSV)", "sites.csv", "text/csv"),
    ("map_png", "Map image (PNG, 300 dpi)", "map.png", "image/png"),
    ("map_pdf", "Map image (PDF)", "map.pdf", "application/pdf"),
    ("sweep", "Share by width, 0–1,000 km (CSV)", "sweep.csv", "text/csv"),
    ("thresholds", "At what width: the claims (CSV)", "thresholds.csv", "text/csv"),
    ("html", "Interactive map (HTML, one file, works offline)", "map.html", "text/html"),
)


def show_downloads(analysis: Analysis) -> None:
    """Draw the download buttons in a popover; the files are made only when clicked."""
    key = _key(analysis.scenario)
    # No help tooltip on the popover: it showed over the last button while the pointer was still there.
    with st.popover("Downloads", icon=":material/download:"):
        for kind, label, suffix, mime in DOWNLOADS:
            if kind == "html" and (not analysis.scenario.symmetric or analysis.scenario.pair_widths):
                st.caption("Interactive map (HTML): for one width along the whole line only.")
                continue
            made = f"{kind}+sites" if kind.startswith("map_") and st.session_state.get(SITES_KEY) else kind
            if kind == "sweep" and key.widthless() not in st.session_state.get("_swept", ()):
                if not st.button(f"{label}: prepare (up to a minute)", key="prepare_sweep", width="stretch"):
                    continue
                swept(analysis.scenario)  # a progress bar here, then the button to save it
            st.download_button(
                label,
                data=functools.partial(cached_download, made, key),
                file_name=app_text.download_name(analysis.scenario, suffix, kind=kind),
                mime=mime,
                key=f"download_{kind}",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )


def show_sweep(analysis: Analysis) -> None:
    """Draw the share-by-width chart on request (it takes up to a minute the first time, with a progress bar)."""
    if not st.toggle("Show how the shares grow with the width (0–1,000 km)", key="show_sweep"):
        return
    scenario = analysis.scenario
    table = swept(scenario)
    codes = sweep_chart.chart_countries(table, top=SWEEP_COUNTRIES, always=CLAIM_COUNTRIES)
    clip = ", on the parties' own land only" if scenario.clip else ""
    with st.container(key=SWEEP_KEY):
        st.markdown(
            "**Share of each country's land in the zone, by width**  \n"
            f"{wording.sides_in_words(scenario, analysis.sides)}{clip}; the {len(codes)} countries covered soonest "
            "and every country a claim above names."
        )
        st.altair_chart(app_chart(table, codes, width_km=scenario.width_km), width="stretch")
        st.caption(
            f"Every {SLIDER_STEP_KM} km, the same width on both sides; the dashed line marks the current width "
            f"({'' if scenario.symmetric else 'the wider side, '}{wording.format_km(scenario.width_km)}). "
            "Point at a line for its figures."
        )
        if scenario.pair_widths:
            st.caption(app_text.ONE_WIDTH_CAVEAT)


def prefetch_next_width(scenario: Scenario) -> None:
    """Compute the next slider step (its analysis and map layers) in the direction the reader is moving.

    Keyboard steps (ArrowRight/ArrowLeft) then hit the cache. Runs last, after
    every element was sent; a new rerun waits at most one analysis for it.
    Only for the plain slider: not for per-side widths, nor for the live
    slider, whose reruns come after a drag or a burst of keys and so rarely
    ask for the next step (there it would cost an analysis per rerun).
    """
    state = st.session_state
    previous = state.get("_last_width_km", DEFAULT_WIDTH_KM - SLIDER_STEP_KM)
    state["_last_width_km"] = scenario.width_km
    if not scenario.symmetric or scenario.width_km == previous:
        return
    step = SLIDER_STEP_KM if scenario.width_km > previous else -SLIDER_STEP_KM
    width_km = scenario.width_km + step
    if 0 <= width_km <= SLIDER_MAX_KM:
        cached_layers(ScenarioKey(width_km, width_km, width_km, *_key(scenario).widthless(), scenario.pair_widths))


@st.fragment
def results() -> None:
    """Draw the width slider and everything that depends on it.

    A fragment: moving the slider (or clicking the map) reruns only this part,
    so the sidebar and the page's text are not sent and redrawn on every step.
    """
    top = st.container(key=MAP_BLOCK_KEY)  # the slider, pinned to the map's top edge on a phone, and the map
    with top, st.container(key=WIDTHS_KEY):
        scenario, ladder_url = widths()
    write_query()
    try:
        with st.spinner("Computing the zone…"):  # shows only if it takes over half a second
            analysis = cached_analysis(*_key(scenario))
    except NoBorderError:
        st.error(
            "On this date Russia's side and NATO's side share no land border, so there is no zone. "
            "Pick a later date or another reading of Russia's side."
        )
        return
    with top:
        show_map(analysis, ladder_url=ladder_url)
    about()
    with st.container(key=HEADLINE_KEY):
        st.markdown(
            app_text.headline(analysis),
            help=f"Border length per pair of countries:  \n{app_text.border_pairs(analysis)}",
        )
        if flags := _flags(analysis):
            st.caption(flags)
        show_summary(analysis)
        st.markdown(f"Training areas: {cached_sites(_key(analysis.scenario))[1]}.")
    claims = st.container(key=CLAIMS_KEY)  # filled last: it may take seconds the first time
    show_tables(analysis)
    show_regions(analysis)
    show_downloads(analysis)
    show_sweep(analysis)
    with claims:
        show_claims(analysis)
    if ladder_url is None:  # with the live slider a rerun follows a drag or a burst of keys, rarely the next step
        prefetch_next_width(analysis.scenario)


#: The page's own CSS.
#:
#: * Streamlit fades content that a rerun has not redrawn yet to a third of its opacity (a 1 s
#:   animation starting after 0.5 s), and back when it is redrawn. A browser that paints in software
#:   (no GPU: virtual machines, remote desktops, the load benchmark's Chromium) repaints all of it
#:   both times. Here, after the same 0.5 s, only the text turns grey (the headline, the numbers,
#:   the headings) and the map, on a layer of its own (``will-change``), fades at once; the tables
#:   keep their look. Browser CPU per step with ten users, in interleaved runs: 259 -> 226 ms.
#: * The headline numbers (up to "8,183,280 km²", 5.9 em wide) shrink with their column, so that on
#:   a 1,280 px screen they are not cut to "8,183,2…"; 36 px at most, as Streamlit draws them. The
#:   line below each ("68.5 % of their land, 23 countries") wraps rather than being cut.
#: * The two tables sit side by side only where each gets 34 rem (544 px, what the affected
#:   countries' five columns take); narrower (1,280 px with the sidebar open, a tablet), the cities
#:   go below the countries, each table full width, so no column is cut.
#: * The sliders always show their ends (0 km, 1000 km), not only while the pointer is over them.
#: * The button that opens the sidebar on a narrow screen says what it opens, not just "»".
#: * An element that only holds a script (:func:`page_keys_js`) takes no space.
#: * While a slider is ahead of the server (``data-zones-ahead`` on each container of :data:`FOLLOWS_KEYS`,
#:   set by ``zones/web/static/width_slider.js`` or, per side, ``page_keys.js``), all their text,
#:   which states the server's width, turns grey at once (no 0.5 s delay as for stale content: a delayed
#:   change is a frame of its own, and under load ten readers' delayed frames landed on their next steps):
#:   the line under the slider has the step's numbers. The attribute sits on those containers, not on
#:   ``<body>``: there its first toggle recalculated the style of the whole page (900 elements, 16 ms).
#: * Map first: a short title, then the slider and the map, sized to the screen's height (the
#:   explanation comes under it). On a phone the slider sticks to the top, over the map, while the map
#:   is in view, so a drag always has the map beside it.
MAP_IFRAME_CSS: Final = 'iframe[title="streamlit_folium.st_folium"]'
#: Keys of the containers of the headline numbers, the claims, the map's notes and the chart: their text states
#: the server's width, and the sliders mark them (``st-key-headline`` …) while ahead of it.
HEADLINE_KEY: Final = "headline"
CLAIMS_KEY: Final = "claims"
MAP_NOTES_KEY: Final = "map_notes"
SWEEP_KEY: Final = "sweep_chart"
FOLLOWS_KEYS: Final = (HEADLINE_KEY, CLAIMS_KEY, MAP_NOTES_KEY, SWEEP_KEY)
FOLLOWS_CSS: Final = ", ".join(f".st-key-{key}" for key in FOLLOWS_KEYS)
#: Keys of the container of the width sliders and of the one holding them with the map.
WIDTHS_KEY: Final = "widths"
MAP_BLOCK_KEY: Final = "map_block"
#: The map's height: the screen's height less what sits above it (title, slider), within bounds.
MAP_HEIGHT_CSS: Final = "clamp(300px, calc(100dvh - 300px), 760px)"
SIDEBAR_LABEL: Final = "Scenario: date, sides"
PAGE_CSS: Final = (
    "<style>"
    '[data-stale="true"] { opacity: 1 !important; transition: none !important; }'
    '[data-stale="true"] :is([data-testid="stMetricValue"], [data-testid="stMarkdownContainer"]) '
    "{ color: #a0a0a0 !important; transition: color 0s linear 0.5s; }"
    f'[data-testid="stElementContainer"]:has({MAP_IFRAME_CSS}) {{ will-change: opacity; }}'
    f'[data-testid="stElementContainer"][data-stale="true"]:has({MAP_IFRAME_CSS}) '
    "{ opacity: 0.33 !important; transition: opacity 0s linear 0.5s !important; }"
    f":is({FOLLOWS_CSS})[data-zones-ahead] * {{ color: #a0a0a0 !important; }}"
    '[data-testid="stMainBlockContainer"] { padding-top: 3.75rem; }'
    '[data-testid="stMainBlockContainer"] h1 { font-size: clamp(1.5rem, 5vw, 2rem); padding: 0 0 0.25rem; }'
    f"{MAP_IFRAME_CSS} {{ height: {MAP_HEIGHT_CSS} !important; }}"
    f'[data-testid="stLayoutWrapper"]:has(> .st-key-{WIDTHS_KEY}) '
    "{ position: sticky; top: 3.75rem; z-index: 100; background: #ffffff; }"
    '[data-testid="stHeader"] { background: #ffffff; }'  # no strip of map above the pinned slider
    '[data-testid="stMetric"] { container-type: inline-size; }'
    '[data-testid="stMetricValue"] { font-size: min(2.25rem, 16cqi); }'
    '[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { white-space: normal !important; }'
    '[data-testid="stHorizontalBlock"]:has([data-testid="stDataFrame"]) { flex-wrap: wrap; }'
    '[data-testid="stHorizontalBlock"]:has([data-testid="stDataFrame"]) > [data-testid="stColumn"] '
    "{ min-width: min(100%, 34rem); }"
    '[data-testid="stSliderTickBar"] { opacity: 1 !important; }'
    ".zones-presets { font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); margin: 0; }"
    '[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script:only-child) { display: none; }'
    '[data-testid="stExpandSidebarButton"]::after '
    f'{{ content: "{SIDEBAR_LABEL}"; margin-left: 0.25rem; font-size: 0.875rem; font-weight: 600; }}'
    "</style>"
)


@functools.cache
def page_keys_js() -> str:
    """Return the page's own script (``page_keys.js``): Enter applies a typed date; a held slider greys."""
    return static_text("page_keys.js").replace("__FOLLOWS__", json.dumps(FOLLOWS_CSS))


def about() -> None:
    """Draw what the draft says and how the app reads it, folded under the map (wording as in the draft)."""
    with st.expander("Article 7 of the draft, how this app reads it, and Articles 4 to 7 in full"):
        st.markdown(
            f"Article 7 of Russia's draft agreement with NATO ({draft.SOURCE_LABEL}): “{draft.ARTICLE_7_ZONE}” "
            "The width was never published: pick one. A constant width on each side (or one per side) is this "
            "app's reading of “width and configuration”."
        )
        st.markdown(draft.articles_markdown())


def main() -> None:
    """Draw the page."""
    # An emoji icon is drawn from a data: URL (no request); with none, the browser fetched
    # favicon.png again on every slider step, and a Material icon would load from Google.
    st.set_page_config(page_title="Article 7 zones", page_icon="🗺️", layout="wide")
    st.html(PAGE_CSS)  # style only: no space taken on the page
    _loaded()
    init_state()
    settings()
    st.title("How far would an Article 7 zone reach?")
    if st.session_state["_link_notes"] and st.session_state["_link_state"] == {
        k: st.session_state[k] for k in st.session_state["_link_state"]
    }:
        for note in st.session_state["_link_notes"]:
            st.warning(note, icon=":material/link_off:")
    results()
    st.caption(
        "Borders and regions: Natural Earth 10m v5.1.1 (public domain; Crimea drawn as Ukraine); sea borders © "
        "OpenStreetMap contributors (ODbL). Cities: GeoNames (CC BY 4.0), 2019, city districts removed. "
        f"People: {POPULATION_METHOD}. "
        "Distances and areas are geodesic, on the WGS84 ellipsoid. The map's shapes are simplified for display; "
        "downloads keep the full geometry."
    )


if __name__ == "__main__":  # a run of the script (Streamlit runs it as __main__ for every session and rerun)
    main()
else:  # imported by the server: `streamlit run app.py` finds `app` below and serves it
    for _logger in _QUIET_ON_IMPORT:
        _logger.disabled = False
    #: The server: Streamlit's routes, and the app's runtime files from the cache folder at ``app/files/``.
    #: ``st.App(routes=…)`` is Streamlit's supported way to add a route (``server.enableStaticServing``
    #: serves only ``./static``, inside the source tree); see :mod:`zones.web.runtime_files`.
    app = st.App(__file__, routes=runtime_files.routes(st.get_option("server.baseUrlPath")))
