"""Streamlit UI: the Article 7 zone on a map, with the countries and cities it covers.

Run with ``streamlit run app.py``. Widgets and layout only: :func:`widths` and the sidebar read the widgets
into a frozen :class:`zones.Scenario`, :mod:`zones` computes, and the rest draws what :mod:`zones.web` (the
app's words, tables, chart, layout and background jobs) and :mod:`zones.downloads` (the files) give. Every
setting lives in the URL's query string, so a link reproduces the view; a bad value in the link falls back
to the default with a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

import pandas as pd
import streamlit as st

from geodata import load_countries
from zones import Analysis, ArgumentError, NoBorderError, Scenario, analyse, downloads, wording
from zones.engine import foreground
from zones.engine.at_point import at_point
from zones.engine.cities import load_cities
from zones.engine.draft_areas import territories
from zones.engine.pair_widths import PairWidth, pair_widths_from_table
from zones.engine.population import POPULATION_METHOD
from zones.engine.sites import scenario_sites_sentence, sites_table
from zones.report.sweep_chart import chart_countries
from zones.settings import DEFAULT_WIDTH_KM, DRAFT_PUBLISHED, EARLIEST_DATE, SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web import app_layout as layout
from zones.web import app_tables, app_text, basemap, jobs, ladder, map_layers, runtime_files
from zones.web.assets import static_text
from zones.web.claims import CLAIM_COUNTRIES, CLAIMS, claim_widths, ladder_wait
from zones.web.link import SITES_KEY, area_key, link_params
from zones.web.pair_link import PAIR_COLUMNS, PAIR_WIDTHS_KEY, link_state, pair_table, pair_widths_query
from zones.web.scenario_key import ScenarioKey
from zones.web.share_chart import share_chart
from zones.web.site_layer import sites_layer_json

if __name__ != "__main__":  # imported by the server (see the end of this file)
    runtime_files.quiet_import_logs(True)

#: Default day of NATO membership: the day the draft was published.
DEFAULT_DATE: Final = DRAFT_PUBLISHED

#: The width-sweep chart on the page: how many countries (the print version is ``zones sweep``).
SWEEP_COUNTRIES: Final = 10

_T = TypeVar("_T")


# ---------------------------------------------------------------- computation (cached, keyed by simple values)


def _served() -> bool:
    """Return whether Leaflet and the base map are served: by :data:`app`'s route (not under ``AppTest``)."""
    return runtime_files.mounted() and _written()


@st.cache_resource(show_spinner=False)
def _written() -> bool:
    """Write Leaflet and the base map's countries into the cache folder once; return whether that worked."""
    return jobs.write_served_files(runtime_files.files_dir())


@st.cache_resource(show_spinner=False)
def _ladder_jobs() -> jobs.LadderJobs:
    """Return the one background worker that writes ladder files (per process)."""
    return jobs.LadderJobs(runtime_files.files_dir(), warm_up=downloads.warm_up)


def live_ladder(scenario: Scenario, *, start: bool = True) -> tuple[str | None, str | None]:
    """Return the URL of ``scenario``'s ladder file (written in the background), or ``None`` and why not.

    With ``start`` false, only name it (:meth:`zones.web.jobs.LadderJobs.live_ladder`): the job starts once the map
    is sent.
    """
    if not _served():
        return None, "the server does not serve the app's files (run it with `streamlit run app.py`)"
    return _ladder_jobs().live_ladder(scenario, today=dt.date.today(), start=start)


@st.cache_resource(show_spinner=False)
def _loaded() -> bool:
    """Load the border and city data once per process, then exempt them from garbage collection (``gc.freeze``)."""
    load_countries()
    load_cities()
    gc.freeze()
    return True


@st.cache_resource(max_entries=48, show_spinner=False)
def cached_analysis(key: ScenarioKey) -> Analysis:
    """Return :func:`zones.analyse` for one scenario (shared, read-only)."""
    return analyse(key.scenario())


@st.cache_data(max_entries=48, show_spinner=False)
def cached_layers(key: ScenarioKey) -> str:
    """Return the map's changing layers for one scenario as JSON text (:func:`zones.web.map_layers.layers_json`)."""
    return map_layers.layers_json(map_layers.zone_collections(cached_analysis(key)))


@st.cache_data(max_entries=48, show_spinner=False)
def cached_sites(key: ScenarioKey) -> tuple[str, str]:
    """Return the training areas' map layer (JSON) and their sentence for one scenario (:mod:`zones.engine.sites`)."""
    scenario = cached_analysis(key).scenario
    table = sites_table(scenario)
    return sites_layer_json(table), scenario_sites_sentence(scenario, table)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_territory_layer(article: str, date_iso: str) -> str:
    """Return the optional map layer of the area an article of the draft names (:mod:`zones.engine.draft_areas`)."""
    return map_layers.territory_layer_json(territories(article, date_iso), article=article)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_sweep(date_iso: str, allies: str, clip: bool, sea_borders: bool) -> pd.DataFrame:
    """Return the share of each country at every slider step (:func:`zones.web.ladder.sweep_of`: the ladder's)."""
    return ladder.sweep_of(ScenarioKey.line(date_iso, allies, clip, sea_borders).scenario())


@st.cache_data(max_entries=16, show_spinner=False)
def cached_thresholds(date_iso: str, allies: str, clip: bool, sea_borders: bool) -> pd.DataFrame:
    """Return the widths at which the claims' countries reach each share (:func:`zones.downloads.claims_thresholds`)."""
    return downloads.claims_thresholds(ScenarioKey.line(date_iso, allies, clip, sea_borders).scenario())


@st.cache_data(max_entries=16, show_spinner=False)
def cached_claims(date_iso: str, allies: str, clip: bool, sea_borders: bool) -> pd.DataFrame:
    """Return the widths at which the claims hold (:func:`zones.web.claims.claim_widths`; from the ladder once made)."""
    return claim_widths(ScenarioKey.line(date_iso, allies, clip, sea_borders).scenario(), later=_ladder_jobs().later)


@st.cache_data(max_entries=48, show_spinner=False)
def cached_download(kind: str, key: ScenarioKey, layers: tuple[str, ...] = ()) -> bytes:
    """Return the bytes of one download (:func:`zones.downloads.download_bytes`), from the cached pieces."""
    command = downloads.BY_KIND[kind].command
    analysis = cached_analysis(key) if command in ("report", *downloads.FRAME_COMMANDS) else None
    tables = {"sweep": cached_sweep, "thresholds": cached_thresholds}
    table = tables[command](*key.widthless()) if command in tables else None
    return downloads.download_bytes(kind, key.scenario(), analysis=analysis, table=table, layers=layers)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_point(lat: float, lon: float, key: ScenarioKey) -> str:
    """Return what lies at a clicked point, in words (:func:`zones.engine.at_point.at_point`)."""
    analysis = cached_analysis(key)
    return app_text.point_words(at_point(analysis, lat=lat, lon=lon), analysis.scenario)


@st.cache_data(max_entries=48, show_spinner=False)
def cached_view(key: ScenarioKey) -> dict[str, Any]:
    """Return what the map's live part needs: the width drawn, the first view's key and bounds."""
    return {
        "width_km": key.width_km,
        "fit_key": "|".join(map(str, key.widthless())),
        "bounds": map_layers.view_bounds(cached_analysis(key)),
    }


def with_bar(words: str, compute: Callable[[], _T], *, first: jobs.LadderWait | None = None) -> _T:
    """Return ``compute()``, with a progress bar while it runs (:class:`zones.web.jobs.ReportedRun`); none on a hit.

    ``first``: a ladder job to wait for before ``compute()`` (which reads it); the bar shows its progress.
    """
    bar = None
    with jobs.ReportedRun(compute, first=first) as run:
        while not run.wait(0.25):
            bar = bar or st.empty()
            bar.progress(run.fraction, text=app_text.progress_words(words, *run.done_of_total))
    if bar is not None:
        bar.empty()
    return run.result()


def prepared(command: str, scenario: Scenario) -> pd.DataFrame:
    """Return :func:`cached_sweep` or :func:`cached_thresholds` (``command``), with a progress bar while computed."""
    key, cached = ScenarioKey.of(scenario).widthless(), cached_sweep if command == "sweep" else cached_thresholds
    table = with_bar(app_text.PREPARING[command], lambda: cached(*key))
    st.session_state.setdefault("_prepared", set()).add((command, key))
    return table


def warm_up() -> None:
    """Prepare what the first page of every session needs: the data, the served files, the base map, the zone.

    The zone is the page a link-less visit opens (the draft's date, the Union State reading, the default width).
    Run once as the server starts (:func:`zones.web.runtime_files.lifespan`): on a cold server it was about 2 s
    of the first map's time (the data 1.2 s, the zone 0.5 s, the base map 0.3 s).
    """
    _loaded()
    basemap.base_map(served=_served())  # its first build compiles the map's templates
    values, _ = link_state({}, default_date=DEFAULT_DATE)
    clip, sea_borders = bool(values["clip"]), bool(values["sea_borders"])
    line = ScenarioKey.line(values["date"].isoformat(), values["allies"], clip, sea_borders)
    key = line.at_width(float(values["width_km"]))
    cached_layers(key)
    cached_view(key)


# ---------------------------------------------------------------- state and the query string


def init_state() -> None:
    """Set up every session-state key from the query string once per session, then write each back every run."""
    state = st.session_state
    if "_initialised" not in state:
        values, notes = link_state(st.query_params.to_dict(), default_date=DEFAULT_DATE)
        state.update(values)
        state["_link_notes"], state["_link_state"], state["_initialised"] = notes, values, True
    for key in state["_link_state"]:  # Streamlit forgets a widget not drawn last run (the hidden width sliders)
        state[key] = state[key] if key in state else state["_link_state"][key]


def _on_per_side() -> None:
    """Start both per-side widths at the common width; switched off, go back to it (the wider side if none yet)."""
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


def _line_key(state: Any) -> ScenarioKey:
    """Return the key of the line the session state gives (date, reading, clipping, sea borders), at width 0."""
    return ScenarioKey.line(state["date"].isoformat(), state["allies"], bool(state["clip"]), bool(state["sea_borders"]))


# ---------------------------------------------------------------- widgets


def settings() -> None:
    """Draw the settings that change rarely in the sidebar (the date, Russia's side, clipping), under its heading."""
    today = dt.date.today()
    side = st.sidebar
    side.date_input(
        "Alliances as on",
        min_value=EARLIEST_DATE,
        max_value=today,
        key="date",
        format="DD.MM.YYYY",
        help=app_text.HELP["date"],
    )
    side.html(f"<script>{layout.page_keys_js()}</script>", unsafe_allow_javascript=True)
    for column, (label, key, day, tip) in zip(side.columns(3), app_text.presets(today), strict=True):
        column.button(
            label, key=key, on_click=st.session_state.__setitem__, args=("date", day), help=tip, width="stretch"
        )
    readings = wording.READING_LONG_NAMES
    side.radio("Russia's side", options=list(readings), format_func=readings.__getitem__, key="allies")
    side.toggle("Only the parties' own land", key="clip", help=app_text.HELP["clip"])
    side.checkbox("Include sea borders", key="sea_borders", help=app_text.HELP["sea_borders"])
    side.toggle("Different widths per side", key="per_side", on_change=_on_per_side)
    side.caption("The draft's other areas, on the map:")
    for article, explanation in app_text.TERRITORY_EXPLANATIONS.items():
        side.checkbox(f"Article {app_text.ARTICLE_LABELS[article]} area", key=area_key(article), help=explanation)
    side.checkbox("Training areas", key=SITES_KEY, help=app_text.HELP["sites"])
    ready, urls = _ladder_jobs().presets_ready(dt.date.today())
    if ready < len(urls) and jobs.live_switched_on():  # page_keys.js counts on as files arrive
        side.html(app_text.presets_note(ready, urls))


def widths() -> tuple[Scenario, str | None, Callable[[], None]]:
    """Draw the widths per border stretch; return the scenario, the ladder's URL, and the sliders' drawing.

    The sliders (values in the state already) are drawn above the table once the map is sent: the browser then
    fetches the map's code first, and the live slider's ladder starts only then (the first map has the cores).
    """
    sliders = st.container()  # filled once the map is sent
    pair_widths = pair_editor()
    state = st.session_state
    line = _line_key(state)._replace(pair_widths=pair_widths)
    if state["per_side"]:
        russia_km, nato_km = float(state["russia_width_km"]), float(state["nato_width_km"])
        scenario = line.at_width(max(russia_km, nato_km), russia_km, nato_km).scenario()
        return scenario, None, functools.partial(_width_sliders, sliders, scenario, None, None)
    scenario = line.at_width(float(state["width_km"])).scenario()
    if pair_widths:  # the ladder holds one width along the whole line
        return scenario, None, functools.partial(_width_sliders, sliders, scenario, None, app_text.PAIRS_NOT_LIVE)
    url, problem = live_ladder(scenario, start=False)
    note = None if problem is None else app_text.not_live(problem)
    return scenario, url, functools.partial(_width_sliders, sliders, scenario, url, note)


def _width_sliders(box: Any, scenario: Scenario, ladder_url: str | None, note: str | None) -> None:
    """Draw into ``box`` the width slider(s): live (its ladder starts here), plain with ``note``, or one per side."""
    state = st.session_state
    slider = functools.partial(st.slider, min_value=0, max_value=SLIDER_MAX_KM, step=SLIDER_STEP_KM, format="%d km")
    with box:
        if state["per_side"]:
            russia, nato = st.columns(2)
            with russia:
                slider("Width on Russia's side", key="russia_width_km")
            with nato:
                slider("Width on NATO's side", key="nato_width_km")
            st.caption(app_text.PER_SIDE_NOT_LIVE)
        elif ladder_url is not None:
            live_slider(scenario.width_km, ladder_url)
            live_ladder(scenario)  # starts writing the ladder, now that the map is sent
        else:
            if note is not None:
                st.caption(note)
            slider(app_text.WIDTH_LABEL, key="width_km", help=app_text.HELP["width"])


def pair_editor() -> tuple[PairWidth, ...]:
    """Draw the table of widths per border stretch (folded, :func:`zones.web.pair_link.pair_table`); return them."""
    state = st.session_state
    line = _line_key(state).scenario()
    table = pair_table(state, line)
    if table is None:
        return ()
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
                    "Width (km)", min_value=0, max_value=SLIDER_MAX_KM, step=1, format="%g km",
                    help=app_text.HELP["pair_width"],
                ),
            },
        )  # fmt: skip
        st.caption(app_text.PAIRS_CAPTION)
    try:
        state[PAIR_WIDTHS_KEY] = line.replace(pair_widths=pair_widths_from_table(edited)).pair_widths
    except ArgumentError as exc:
        st.warning(f"{exc} Keeping the widths per pair as they were.", icon=":material/warning:")
    return cast("tuple[PairWidth, ...]", state[PAIR_WIDTHS_KEY])


@st.cache_resource(show_spinner=False)
def _width_component() -> Any:
    """Register the live width slider (``zones/web/static/width_slider.*``) once per process; return its mount."""
    return st.components.v2.component(
        "zones_width_slider",
        css=static_text("width_slider.css"),
        js=static_text("ladder.js") + "\n" + static_text("width_slider.js"),
    )


def _on_live_width() -> None:
    """Copy the live slider's released width into the session's width (one rerun per release)."""
    value = st.session_state[layout.LIVE_KEY]["width_km"]
    if value is not None:
        st.session_state["width_km"] = float(value)


def live_slider(width_km: float, ladder_url: str) -> None:
    """Draw the live width slider: the map follows the thumb in the browser; a release reruns once."""
    progress = {"progress": runtime_files.progress_url(ladder_url), "notes": dict(app_text.LIVE_NOTES)}
    data = layout.live_slider_data(width_km, ladder_url) | progress  # its words, and the ladder's progress
    _width_component()(key=layout.LIVE_KEY, data=data, on_width_km_change=_on_live_width)


# ---------------------------------------------------------------- rendering


def show_summary(analysis: Analysis) -> None:
    """Draw the headline numbers (:func:`zones.web.app_text.summary_cards`): the parties' land, each side's, third."""
    for column, (label, value, delta, tip) in zip(st.columns(4), app_text.summary_cards(analysis), strict=True):
        column.metric(label, value, delta=delta, help=tip, delta_color="off", delta_arrow="off")


@st.fragment(parallel=True)
def show_claims(analysis: Analysis) -> None:
    """Draw the "At what width?" panel: where each claim holds (a bar the first time), the current width marked.

    Run beside the rest of a full run (``parallel``): the sidebar is drawn while a new line's panel waits.
    """
    scenario = analysis.scenario
    st.subheader("At what width does a claim hold?")
    try:
        line = ScenarioKey.of(scenario).widthless()  # the live slider's ladder, if on: the claims follow from it
        first = ladder_wait(_ladder_jobs(), ScenarioKey.line(*line).scenario()) if _served() else None
        table = with_bar(app_text.CLAIMS_PROGRESS, lambda: cached_claims(*line), first=first)
    except (ArgumentError, OSError) as exc:  # never break the page over the panel
        st.warning(f"The widths could not be computed for this scenario: {exc}")
        return
    st.markdown(" · ".join(app_text.claim_parts(CLAIMS, table, analysis)))
    st.caption(app_text.claims_caption(scenario))
    if scenario.pair_widths:
        st.caption(app_text.ONE_WIDTH_CAVEAT)


def show_map(analysis: Analysis, *, ladder_url: str | None = None) -> None:
    """Draw the map (fixed base map, changing zone layers), with the clicked point's answer in a popup.

    ``ladder_url`` is the live slider's ladder file: the map prepares it while the browser is idle.
    """
    clicked = (st.session_state.get(layout.MAP_KEY) or {}).get("last_clicked")
    point = (float(clicked["lat"]), float(clicked["lng"])) if clicked else None
    key = ScenarioKey.of(analysis.scenario)
    shown = [a for a in app_text.TERRITORY_EXPLANATIONS if st.session_state.get(area_key(a))]
    below = tuple(cached_territory_layer(a, key.date_iso) for a in shown)
    if st.session_state.get(SITES_KEY):
        below += (cached_sites(key)[0],)
    words = None if point is None else cached_point(round(point[0], 5), round(point[1], 5), key)
    # Imported in a run of the page, not when the server imports this file: the component registers itself
    # with the run's Streamlit runtime on import, and there is none yet when the server starts.
    from streamlit_folium import st_folium

    with st.container(key=layout.MAP_SLOT_KEY):  # keeps the map's height while its code loads (page.css)
        st_folium(
            basemap.base_map(served=_served()),
            key=layout.MAP_KEY,
            height=layout.MAP_HEIGHT_PX,
            use_container_width=True,
            feature_group_to_add=map_layers.layers_from(
                cached_layers(key),
                clicked=point,
                below=below,
                view={**cached_view(key), "ladder": ladder_url},
                popup=words,
            ),
            returned_objects=["last_clicked"],
            wrap_longitude=True,
            render=False,  # st_folium renders the map itself; a second render gives the same page, 7 ms later
        )
    with st.container(key=layout.MAP_NOTES_KEY):
        for article in shown:
            st.caption(app_text.TERRITORY_EXPLANATIONS[article])
        if point is None:
            st.caption("Click the map to measure a point's distance to the border between the sides.")
        else:
            st.caption(f"Clicked point {app_text.where_words(*point)}: {words}")


def show_tables(analysis: Analysis) -> None:
    """Draw the affected countries and the cities."""
    km2 = st.column_config.NumberColumn(format="%,d km²")
    name = st.column_config.TextColumn(pinned=True)  # stays in view when a phone scrolls the table sideways
    percent = functools.partial(st.column_config.NumberColumn, format="%.1f %%")
    countries, cities = st.columns([3, 2])
    with countries:
        st.subheader("Affected countries")
        st.dataframe(
            app_tables.affected_table(analysis),
            hide_index=True,
            key="affected_table",
            column_config={
                "Country": name,
                "Land in the zone": km2,
                "Share of the country": percent(help=app_text.HELP["share"]),
                "Country's land": km2,
                "Whole country": percent(help=app_text.HELP["whole_country"]),
            },
        )
    with cities:
        st.subheader("Cities in the zone")
        table = app_tables.cities_table(analysis.cities)
        st.dataframe(
            table,
            hide_index=True,
            key="cities_table",
            column_config={
                "City": name,
                "Population": st.column_config.NumberColumn(format="%,d"),
                "Distance": st.column_config.NumberColumn(format="%,d km", help=app_text.HELP["distance"]),
            },
        )
        st.caption(app_text.cities_caption(analysis.cities, shown=len(table), on_map=map_layers.MAX_MAP_CITIES))


def show_regions(analysis: Analysis) -> None:
    """Draw the affected regions, largest first, narrowed to one country on request."""
    st.subheader("Affected regions")
    regions, options = analysis.regions, app_tables.region_countries(analysis)
    if st.session_state.get("regions_country") not in options:  # from a link, or out of reach at this width
        st.session_state["regions_country"] = ""
    chosen = st.selectbox(
        "Country", options=list(options), format_func=options.__getitem__, key="regions_country",
        help=app_text.HELP["regions_country"],
    )  # fmt: skip
    if chosen:
        regions = regions[regions["adm0_a3"] == chosen]
    st.dataframe(
        app_tables.regions_table(regions),
        hide_index=True,
        key="regions_table",
        column_config={
            "Land in the zone": st.column_config.NumberColumn(format="%,d km²"),
            "Share of the region": st.column_config.NumberColumn(format="%.1f %%"),
            "People (estimate)": st.column_config.NumberColumn(format="%,d", help=POPULATION_METHOD),
        },
    )
    st.caption(app_text.regions_caption(regions, shown=app_tables.REGION_ROWS))


def show_downloads(analysis: Analysis) -> None:
    """Draw the download buttons in a popover; the files are made only when clicked."""
    scenario = analysis.scenario
    key = ScenarioKey.of(scenario)
    layers = ("sites",) if st.session_state.get(SITES_KEY) else ()
    waiting = {c for c in downloads.EVERY_WIDTH_COMMANDS if not downloads.is_made_at_once(c, scenario)}
    waiting -= {c for c, line in st.session_state.get("_prepared", ()) if line == key.widthless()}  # made here
    # No help tooltip on the popover: it showed over the last button while the pointer was still there.
    with st.popover("Downloads", icon=":material/download:"):
        for download in downloads.DOWNLOADS:
            kind = download.kind
            if kind == "html" and (not scenario.symmetric or scenario.pair_widths):
                st.caption("Interactive map (HTML): for one width along the whole line only.")
                continue
            if download.command in waiting:
                if not st.button(f"{download.label}: prepare (up to a minute)", key=f"prepare_{kind}", width="stretch"):
                    continue
                prepared(download.command, scenario)  # a progress bar here, then the button to save it
            st.download_button(
                download.label,
                data=functools.partial(cached_download, kind, key, layers if download.command == "report" else ()),
                file_name=app_text.download_name(scenario, download.file_name, kind=kind),
                mime=download.mime,
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
    table = prepared("sweep", scenario)
    codes = chart_countries(table, top=SWEEP_COUNTRIES, always=CLAIM_COUNTRIES)
    with st.container(key=layout.SWEEP_KEY):
        st.markdown(app_text.sweep_heading(analysis, countries=len(codes)))
        st.altair_chart(share_chart(table, codes, width_km=scenario.width_km), width="stretch")
        st.caption(app_text.sweep_caption(scenario))
        if scenario.pair_widths:
            st.caption(app_text.ONE_WIDTH_CAVEAT)


def prefetch_next_width(scenario: Scenario) -> None:
    """Compute the next slider step's map layers in the direction the reader moves: keyboard steps hit the cache.

    Runs last, after every element was sent (a new rerun waits at most one
    analysis for it), for the plain slider only: the live slider's reruns
    follow a drag or a burst of keys and rarely ask for the next step.
    """
    state = st.session_state
    previous = state.get("_last_width_km", DEFAULT_WIDTH_KM - SLIDER_STEP_KM)
    state["_last_width_km"] = scenario.width_km
    if not scenario.symmetric or scenario.width_km == previous:
        return
    width_km = scenario.width_km + (SLIDER_STEP_KM if scenario.width_km > previous else -SLIDER_STEP_KM)
    if 0 <= width_km <= SLIDER_MAX_KM:
        cached_layers(ScenarioKey.of(scenario).at_width(width_km))


@st.fragment
def results() -> None:
    """Draw the width slider and all that depends on it: a fragment, so a step or a click reruns only this part."""
    top = st.container(key=layout.MAP_BLOCK_KEY)  # the slider, pinned to the map's top edge on a phone, and the map
    with top, st.container(key=layout.WIDTHS_KEY):
        scenario, ladder_url, draw_sliders = widths()
    write_query()
    try:
        with st.spinner("Computing the zone…"):  # shows only if it takes over half a second
            analysis = cached_analysis(ScenarioKey.of(scenario))
    except NoBorderError:
        draw_sliders()
        st.error(app_text.NO_BORDER)
        return
    with top:
        show_map(analysis, ladder_url=ladder_url)
    draw_sliders()  # above the map, sent after it
    with st.expander("Article 7 of the draft, how this app reads it, and Articles 4 to 7 in full"):
        for text in app_text.about_markdown():
            st.markdown(text)
    with st.container(key=layout.HEADLINE_KEY):
        st.markdown(
            app_text.headline(analysis),
            help=f"Border length per pair of countries:  \n{app_text.border_pairs(analysis)}",
        )
        if flags := app_text.flags_sentence(analysis):
            st.caption(flags)
        show_summary(analysis)
        st.markdown(f"Training areas: {cached_sites(ScenarioKey.of(analysis.scenario))[1]}.")
    claims = st.container(key=layout.CLAIMS_KEY)  # filled last: it may take seconds the first time
    show_tables(analysis)
    show_regions(analysis)
    show_downloads(analysis)
    show_sweep(analysis)
    with claims:
        show_claims(analysis)
    if ladder_url is None:  # with the live slider a rerun follows a drag or a burst of keys, rarely the next step
        prefetch_next_width(analysis.scenario)


def main() -> None:
    """Draw the page."""
    # An emoji icon is a data: URL (no request); with none, every step fetched favicon.png (Material: from Google).
    st.set_page_config(page_title="Article 7 zones", page_icon="🗺️", layout="wide")
    st.html(layout.page_css())  # style only: no space taken on the page
    _loaded()
    init_state()
    st.sidebar.header("Scenario")  # the sidebar takes its width before the map is drawn; its widgets come last
    st.title("How far would an Article 7 zone reach?")
    state = st.session_state
    if state["_link_notes"] and state["_link_state"] == {k: state[k] for k in state["_link_state"]}:
        for note in state["_link_notes"]:
            st.warning(note, icon=":material/link_off:")
    results()
    st.caption(app_text.SOURCES)
    settings()  # the sidebar after the page: its widgets' values are in the state already; the map is sent first


if __name__ == "__main__":  # a run of the script (Streamlit runs it as __main__ for every session and rerun)
    with foreground.waited_for():  # a reader waits for it: the background ladders pause meanwhile
        main()
else:  # imported by the server: `streamlit run app.py` finds `app` below and serves it
    runtime_files.quiet_import_logs(False)
    #: Streamlit's routes and ours, the middleware and the start (:func:`zones.web.runtime_files.server_options`).
    app = st.App(__file__, **runtime_files.server_options(st.get_option("server.baseUrlPath"), prepare=warm_up))
