"""The Streamlit app driven by ``AppTest`` (no browser; the map is opaque to it)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geodata import load_sites
from tests.oracle import GEOD, distance_to_line_m
from zones import Scenario, analyse
from zones.engine.contact import contact_line
from zones.engine.sites import sites_table
from zones.web import app_text, jobs, runtime_files
from zones.web.site_layer import SITES_LAYER_NAME

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT_S = 120


@pytest.fixture(autouse=True)
def _plain_slider(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """AppTest cannot move the live slider (a component): tests drive the plain one unless marked ``live_slider``.

    Those queue no preset's ladder behind the page's (as the test servers, :func:`tests.browser.streamlit_server`):
    none is looked at, and the worker would compute them in the background through the tests that follow.
    """
    if request.node.get_closest_marker("live_slider") is None:
        monkeypatch.setenv(jobs.LIVE_SWITCH, "0")
    else:
        monkeypatch.setenv(jobs.PRESETS_SWITCH, "0")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> None:
    """Say the route of the app's runtime files is mounted, as it is once ``streamlit run app.py`` has started.

    Under ``AppTest`` no server imports ``app.py``: without the route the app leaves the live slider off.
    """
    monkeypatch.setattr(runtime_files, "mounted", lambda: True)


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _affected(at: AppTest):  # the affected countries' table (the widths per stretch come first, folded)
    return _frame_with(at, "Share of the country")


def _texts(at: AppTest) -> list[str]:
    """Every piece of Markdown or HTML the page shows, warnings and captions included."""
    elements = [*at.markdown, *at.warning, *at.info, *at.caption, *at.title, *at.subheader, *at.error]
    return [str(e.value) for e in elements]


def test_default_run() -> None:
    at = _app()
    assert not at.exception
    assert not at.warning
    assert at.slider(key="width_km").value == 100
    assert at.date_input(key="date").value == dt.date(2021, 12, 17)
    assert at.radio(key="allies").value == "union-state"
    assert any("100 km on each side of the border" in t for t in _texts(at))
    table = _affected(at)
    assert list(table.columns[:3]) == ["Country", "Share of the country", "Land in the zone"]  # share first
    assert list(_frame_with(at, "City").columns[:2]) == ["City", "Distance"]
    assert table["Land in the zone"].is_monotonic_decreasing
    assert set(table["Side"]) <= {"Russia's side", "NATO's side", "Third countries"}
    assert at.query_params["width_km"] == "100"
    assert any(m.label == "Parties' land" and m.value.endswith("km²") for m in at.metric)


def test_slider_changes_the_table_and_the_link() -> None:
    at = _app()
    before = _affected(at)
    at.slider(key="width_km").set_value(300).run()
    assert not at.exception
    after = _affected(at)
    assert after["Land in the zone"].sum() > before["Land in the zone"].sum()
    assert at.query_params["width_km"] == "300"
    assert any("300 km on each side of the border" in t for t in _texts(at))


@pytest.mark.parametrize(
    ("button", "date"),
    [
        ("preset_founding", dt.date(1997, 5, 27)),
        ("preset_draft", dt.date(2021, 12, 17)),
        ("preset_today", None),  # the clock is read around the click: a CI run may cross midnight
    ],
)
def test_date_presets(button: str, date: dt.date | None) -> None:
    at = _app(date="2010-01-01")
    before = dt.date.today()
    at.button(key=button).click().run()
    allowed = {date} if date is not None else {before, dt.date.today()}
    assert not at.exception
    assert at.date_input(key="date").value in allowed
    assert at.query_params["date"] == at.date_input(key="date").value.isoformat()


def test_founding_act_has_only_norway_on_the_line() -> None:
    at = _app(date="1997-05-27")
    sides = set(_affected(at)["Side"])
    assert "NATO's side" in sides
    countries = _affected(at)
    nato = set(countries.loc[countries["Side"] == "NATO's side", "Country"])
    assert "Norway" in nato
    assert "Poland" not in nato


def _metric_km2(at: AppTest, label: str) -> float:
    (metric,) = [m for m in at.metric if m.label == label]
    return float(metric.value.removesuffix(" km²").replace(",", ""))


def test_headline_names_the_reading_and_the_day_and_keeps_third_countries_apart() -> None:
    at = _app(allies="csto", date="1997-05-27", width_km="100")
    assert not at.exception
    assert any("Russia with the CSTO" in t and "27 May 1997" in t for t in _texts(at))
    table = _affected(at)
    russia = set(table.loc[table["Side"] == "Russia's side", "Country"])
    assert {"Georgia", "Azerbaijan"} <= russia  # the Treaty bound both until April 1999
    by_side = table.groupby("Side")["Land in the zone"].sum()
    parties_km2 = by_side["NATO's side"] + by_side["Russia's side"]
    assert _metric_km2(at, "Parties' land") == pytest.approx(parties_km2, abs=len(table))
    assert _metric_km2(at, "Third countries") == pytest.approx(by_side.get("Third countries", 0), abs=len(table))
    nato = next(m for m in at.metric if m.label == "NATO's side")
    assert "of the land of the" in str(nato.proto.delta)
    assert "it touches" in str(nato.proto.delta)


def test_armenia_is_flagged_on_the_csto_side_from_february_2024() -> None:
    """The caption's sentence for each scenario (the page shows it, or nothing: :func:`test_query_round_trip`)."""
    flagged = app_text.flags_sentence(_scenario_only(allies="csto", date="2024-06-01"))
    assert "Armenia froze its participation" in flagged
    assert app_text.flags_sentence(_scenario_only(allies="csto", date="2021-12-17")) == ""


def _scenario_only(**options: Any) -> Any:
    """A stand-in for an :class:`~zones.Analysis` that has only its scenario (all ``flags_sentence`` reads)."""
    return SimpleNamespace(scenario=Scenario(**options))


def test_sea_borders_from_the_link_put_alaska_in_the_300_km_zone() -> None:
    at = _app(width_km="300", date="2021-12-17")
    assert at.checkbox(key="sea_borders").value is False
    assert any("along the border on land only" in t for t in _texts(at))
    assert "United States" not in set(_affected(at)["Country"])
    at = _app(width_km="300", date="2021-12-17", sea_borders="1")
    assert not at.exception
    assert not at.warning
    assert at.checkbox(key="sea_borders").value is True
    assert any("on land and at sea (territorial sea)" in t for t in _texts(at))
    table = _affected(at).set_index("Country")
    assert table.loc["United States", "Side"] == "NATO's side"
    assert 45_000 < table.loc["United States", "Land in the zone"] < 52_000  # Alaska; see test_sea_borders
    assert at.query_params["sea_borders"] == "1"
    at.checkbox(key="sea_borders").uncheck().run()
    assert "sea_borders" not in at.query_params


def test_the_drafts_other_areas_are_off_by_default_and_explained_when_shown() -> None:
    at = _app()
    assert at.checkbox(key="layer_article_4").value is False
    assert at.checkbox(key="layer_article_7_1").value is False
    assert not any(t.startswith("Article 4:") for t in _texts(at))
    at.checkbox(key="layer_article_4").check().run()
    at.checkbox(key="layer_article_7_1").check().run()
    assert not at.exception
    shown = [t for t in _texts(at) if t.startswith(("Article 4:", "Article 7(1):"))]
    assert len(shown) == 2
    assert all("\n" not in t for t in shown)  # one line each


def test_query_round_trip() -> None:
    at = _app(russia_width_km="200", nato_width_km="50", date="2024-06-01", allies="csto", clip="1")
    assert not at.exception
    assert not at.warning
    assert at.toggle(key="per_side").value is True
    assert at.slider(key="russia_width_km").value == 200
    assert at.slider(key="nato_width_km").value == 50
    assert at.date_input(key="date").value == dt.date(2024, 6, 1)
    assert at.radio(key="allies").value == "csto"
    assert at.toggle(key="clip").value is True
    assert dict(at.query_params) == {
        "russia_width_km": "200",
        "nato_width_km": "50",
        "date": "2024-06-01",
        "allies": "csto",
        "clip": "1",
    }
    assert any("Armenia froze its participation" in t for t in _texts(at))  # on the CSTO's side from February 2024
    table = _affected(at)
    third = table[table["Side"] == "Third countries"]
    assert (third["Land in the zone"] < 1).all()  # clipped: parties' land only (zones leaves < 1e-11 km² slivers)
    at.radio(key="allies").set_value("union-state").run()
    at.toggle(key="clip").set_value(False).run()
    assert not at.exception
    assert not any("froze its participation" in t for t in _texts(at))  # Armenia is not on the Union State's side
    assert at.query_params["allies"] == "union-state"
    assert "clip" not in at.query_params
    at.toggle(key="per_side").set_value(False).run()
    assert at.slider(key="width_km").value == 200
    assert at.query_params["width_km"] == "200"
    assert "nato_width_km" not in at.query_params


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("width_km", "abc"),
        ("width_km", "1e309"),
        ("width_km", "-5"),
        ("width_km", "5000"),
        ("date", "1066-10-14"),
        ("date", "1991-12-25"),  # the day before Russia's side can exist
        ("date", "tomorrow"),
        ("allies", "<script>alert(1)</script>"),
        ("clip", "<b>maybe</b>"),
        ("sea_borders", "perhaps"),
        ("nato_width_km", "nan"),
    ],
)
def test_hostile_params_warn_and_use_defaults(name: str, value: str) -> None:
    at = _app(**{name: value})
    assert not at.exception
    warnings = [str(w.value) for w in at.warning]
    assert len(warnings) == 1
    assert f"**{name}**" in warnings[0]
    assert "Using" in warnings[0]
    assert at.slider(key="width_km" if name != "nato_width_km" else "nato_width_km").value == 100
    assert at.date_input(key="date").value == dt.date(2021, 12, 17)
    assert at.radio(key="allies").value == "union-state"
    for text in _texts(at):
        assert "<script" not in text.lower()
        assert "<b>" not in text
    assert at.query_params.get(name) != value  # the link now holds the value in use


def test_script_tag_is_escaped_not_dropped() -> None:
    at = _app(allies="<script>alert(1)</script>")
    warning = str(at.warning[0].value)
    assert "&lt;script&gt;" in warning
    assert "<script>" not in warning
    assert "'union-state', 'csto'" in warning


def test_width_is_rounded_to_the_slider_step() -> None:
    at = _app(width_km="123")
    assert not at.exception
    assert at.slider(key="width_km").value == 120
    assert "120 km" in str(at.warning[0].value)
    assert at.query_params["width_km"] == "120"


def test_warning_goes_once_the_setting_changes() -> None:
    at = _app(width_km="abc")
    assert at.warning
    at.slider(key="width_km").set_value(200).run()
    assert not at.warning


def _chart_data(chart: Any) -> list[pd.DataFrame]:
    """Return the data of each layer of a Vega-Lite chart element, in layer order."""
    datasets = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets}
    spec = json.loads(chart.proto.spec)
    return [datasets[layer["data"]["name"]] for layer in spec["layer"]]


def test_sweep_chart_on_request_marks_the_current_width() -> None:
    """The chart is drawn by the browser at a readable size, its subtitle in words, the current width dashed."""
    at = _app(width_km="200", date="2021-12-17")
    assert not at.get("vega_lite_chart")  # the sweep is not computed unless asked for
    at.toggle(key="show_sweep").set_value(True).run()
    assert not at.exception
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    sizes = [spec["config"]["axis"]["labelFontSize"], spec["config"]["axis"]["titleFontSize"]]
    assert min([*sizes, spec["config"]["legend"]["labelFontSize"]]) >= 13  # px, as the page's small text
    lines, current = _chart_data(charts[0])
    assert spec["layer"][1]["mark"]["strokeDash"]
    assert list(current["width_km"]) == [200]
    assert lines["name"].nunique() == 10
    assert {"Ukraine", "Norway", "Finland", "Sweden", "Poland", "Belarus"} <= set(lines["name"])  # claim countries
    colours = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert len(set(colours)) == len(colours) == 10  # a hue of its own for each country
    for _, country in lines.sort_values("width_km").groupby("name"):
        assert country["percent"].is_monotonic_increasing
        assert country["percent"].between(0, 100).all()
    shares = _affected(at).set_index("Country")["Share of the country"]
    at_200 = lines[lines["width_km"] == 200].set_index("name")["percent"]
    for name, percent in at_200.items():  # the chart at the current width says what the table says
        assert percent == pytest.approx(shares.get(name, 0.0), abs=0.051), name
    subtitle = next(t for t in _texts(at) if "Share of each country's land in the zone, by width" in t)
    assert "NATO's members on 17 December 2021" in subtitle
    assert "Russia's side: the Union State (Belarus, Russia)" in subtitle
    assert "union-state" not in subtitle
    assert "2021-12-17" not in subtitle
    assert any("dashed line marks the current width (200 km)" in t for t in _texts(at))


def test_headline_gives_the_border_length_and_each_pair_in_its_tooltip() -> None:
    """The length is the geodesic length of the contact line (measured here with pyproj), as in the report."""
    at = _app(width_km="200", date="2021-12-17")
    headline = next(m for m in at.markdown if "The border between the sides is" in m.value)
    pairs = contact_line("2021-12-17", allies="union-state")
    lengths_km = {
        f"{russia}–{nato}": GEOD.geometry_length(geometry) / 1000
        for russia, nato, geometry in zip(pairs["russia_name"], pairs["nato_name"], pairs.geometry, strict=True)
    }
    total_km = sum(lengths_km.values())
    assert 2000 < total_km < 2050
    assert f"The border between the sides is **{total_km:,.0f} km** long." in headline.value
    shown = dict(re.findall(r"^(\w+–\w+): ([\d,]+) km", headline.proto.help, flags=re.MULTILINE))
    assert set(shown) == set(lengths_km)
    assert len(shown) == 8
    for pair, length_km in lengths_km.items():
        assert int(shown[pair].replace(",", "")) == round(length_km), pair
    assert list(shown) == sorted(shown, key=lambda pair: -lengths_km[pair])  # longest first


def test_width_zero_says_the_zone_is_empty() -> None:
    at = _app(width_km="0", date="2021-12-17")
    assert not at.exception
    texts = " ".join(_texts(at))
    assert "at 0 km the zone is that line alone, and covers no land and no city." in texts
    assert "No city of 15,000 people or more (GeoNames) lies in the zone." in texts
    assert "Showing 0" not in texts
    assert "largest" not in texts
    assert len(_affected(at)) == 0


def test_few_cities_are_all_on_the_map() -> None:
    at = _app(width_km="10", date="1997-05-27")  # Russia–Norway only: a handful of cities
    cities = _frame_with(at, "City")
    assert 0 < len(cities) <= 80
    caption = next(t for t in _texts(at) if t.startswith("Showing"))
    count = f"{len(cities)} cities" if len(cities) > 1 else "1 city"
    assert caption.startswith(f"Showing {count} of 15,000 people or more")
    assert caption.endswith("The map marks every one.")


def test_switching_per_side_off_returns_to_the_common_width() -> None:
    at = _app(width_km="300")
    at.toggle(key="per_side").set_value(True).run()
    assert at.slider(key="russia_width_km").value == at.slider(key="nato_width_km").value == 300
    at.slider(key="nato_width_km").set_value(500).run()
    assert at.query_params["nato_width_km"] == "500"
    at.toggle(key="per_side").set_value(False).run()
    assert not at.exception
    assert at.slider(key="width_km").value == 300
    assert at.query_params["width_km"] == "300"
    assert any("300 km on each side of the border" in t for t in _texts(at))


def test_date_box_says_how_a_typed_date_applies() -> None:
    at = _app()
    assert "press Enter" in at.date_input(key="date").help
    assert any("stDateInputField" in str(h.proto.body) for h in at.get("html"))  # the Enter handler


def test_download_buttons_cover_every_export(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ZONES_CACHE_DIR", str(tmp_path))  # nothing stored yet: no ladder, no thresholds on disk
    at = _app()
    labels = [b.proto.label for b in at.get("download_button")]
    for expected in ("GeoJSON", "CSV", "PNG", "PDF"):
        assert any(expected in label for label in labels), labels
    # The sweep and the thresholds take up to a minute unless stored: prepared on request, with a progress bar,
    # then saved (a stored ladder gives the sweep at once: tests/test_browser_interactions.py).
    assert not any(label.startswith(("Share by width", "At what width")) for label in labels), labels
    assert {b.key for b in at.button} >= {"prepare_sweep", "prepare_thresholds"}
    at.button(key="prepare_sweep").click().run()
    assert not at.exception
    if "prepare_thresholds" in {b.key for b in at.button}:  # else stored meanwhile, by the claims panel's run
        at.button(key="prepare_thresholds").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Share by width") for label in labels), labels
    assert any(label.startswith("At what width") for label in labels), labels


def _frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_regions_table_is_sorted_and_narrows_to_one_country() -> None:
    at = _app(width_km="300", date="2021-12-17")
    regions = _frame_with(at, "Region")
    columns = ["Region", "Country", "Land in the zone", "Share of the region", "People (estimate)"]
    assert list(regions.columns) == columns
    assert regions["Land in the zone"].is_monotonic_decreasing
    assert {"Poland", "Lithuania", "Belarus", "Russia"} <= set(regions["Country"])
    at.selectbox(key="regions_country").set_value("POL").run()
    assert not at.exception
    polish = _frame_with(at, "Region")
    assert set(polish["Country"]) == {"Poland"}
    # Podlaskie borders Belarus and lies wholly within 300 km of the line.
    assert polish.set_index("Region").loc["Podlaskie Voivodeship", "Share of the region"] == 100.0


def test_claims_panel_marks_what_the_current_width_reaches() -> None:
    at = _app(width_km="300", date="2021-12-17")
    panel = next(t for t in _texts(at) if t.startswith("All of Estonia"))
    # Estonia is not wholly inside at 300 km (97.7 %), Latvia and Lithuania are: ticks on theirs only.
    parts = dict(part.split(": ", 1) for part in panel.split(" · "))
    assert not parts["All of Estonia"].endswith("✓")
    assert parts["All of Latvia"].endswith("✓")
    assert parts["All of Lithuania"].endswith("✓")
    assert parts["A third of Poland"].endswith("✓")
    assert not parts["A third of Ukraine"].endswith("✓")
    # Norway's share is of its mainland, the whole country's width alongside and labelled.
    text = parts["A tenth of mainland Norway"]
    norway = re.fullmatch(r"\*\*([\d,.]+) km\*\* ✓ \(whole country: ([\d,.]+) km\)", text)
    assert norway, text
    assert float(norway.group(1)) < float(norway.group(2)) <= 300
    assert not any("(whole country" in parts[claim] for claim in parts if "Norway" not in claim)


def test_headline_numbers_carry_people_with_their_method() -> None:
    at = _app(width_km="300", date="2021-12-17")
    for label in ("Parties' land", "NATO's side", "Russia's side"):
        metric = next(m for m in at.metric if m.label == label)
        assert "people" in str(metric.proto.delta), label
        assert "POP_EST" in str(metric.help), label


@pytest.mark.usefixtures("served")
@pytest.mark.live_slider
def test_live_slider_replaces_the_plain_one() -> None:
    at = _app(width_km="300")
    assert not at.exception
    assert not [s for s in at.slider if s.key == "width_km"]  # the component draws the slider
    assert not any("live map is off" in text for text in _texts(at))
    assert at.query_params["width_km"] == "300"


@pytest.mark.live_slider
def test_live_slider_is_off_without_the_files_route_and_says_why() -> None:
    """Under a server that does not serve the cache folder's files, the plain slider, and the note says why."""
    at = _app(width_km="300")
    assert not at.exception
    assert at.slider(key="width_km").value == 300
    assert any("the server does not serve the app's files" in t for t in _texts(at))


def test_live_slider_off_falls_back_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(jobs.LIVE_SWITCH, "0")
    at = _app(width_km="300")
    assert not at.exception
    assert at.slider(key="width_km").value == 300
    assert any("The map follows the slider when it is released: the live map is off" in t for t in _texts(at))


@pytest.mark.usefixtures("served")
@pytest.mark.live_slider
def test_live_ladder_failure_falls_back_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ladder that cannot be built: the plain slider, a note saying so, and the page still works."""
    import zones.web.live

    def broken(*_args: object, **_kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(zones.web.live, "ladder_key", broken)
    at = _app(width_km="300", date="1999-01-01")
    assert not at.exception
    assert at.slider(key="width_km").value == 300
    assert any("its data could not be prepared (OSError)" in t for t in _texts(at))
    assert len(_affected(at)) > 0


def test_claims_with_a_width_per_side_are_ticked_from_the_shares_shown() -> None:
    """At Russia 400 km / NATO 150 km no single width answers: a tick means the table's share reaches the claim."""
    at = _app(russia_width_km="400", nato_width_km="150", date="2021-12-17")
    shares = _affected(at).set_index("Country")["Share of the country"]
    panel = next(t for t in _texts(at) if t.startswith("All of Estonia"))
    parts = dict(part.split(": ", 1) for part in panel.split(" · "))
    claims = {  # claim -> (country, share in %)
        "Half of Finland": ("Finland", 50.0),
        "A third of Poland": ("Poland", 100 / 3),
        "All of Belarus": ("Belarus", 100.0),
        "All of Lithuania": ("Lithuania", 100.0),
        "A tenth of Sweden": ("Sweden", 10.0),
    }
    for claim, (country, percent) in claims.items():
        assert parts[claim].endswith("✓") == (shares[country] >= percent), (claim, shares[country])
    assert parts["Half of Finland"].endswith("✓")  # 66.4 % of Finland is in the zone shown
    caption = next(t for t in _texts(at) if t.startswith("The smallest width"))
    assert "400 km on Russia's side and 150 km on NATO's side" in caption


def test_the_link_carries_the_areas_and_the_regions_country() -> None:
    at = _app(width_km="300", date="2021-12-17", areas="7.1", country="pol")
    assert not at.exception
    assert not at.warning
    assert at.checkbox(key="layer_article_7_1").value is True
    assert at.checkbox(key="layer_article_4").value is False
    assert set(_frame_with(at, "Region")["Country"]) == {"Poland"}
    assert at.query_params["areas"] == "7.1"
    assert at.query_params["country"] == "POL"
    at.checkbox(key="layer_article_4").check().run()
    at.selectbox(key="regions_country").set_value("").run()
    assert at.query_params["areas"] == "4,7.1"
    assert "country" not in at.query_params


def test_a_day_typed_as_day_month_year() -> None:
    """The date box reads day.month.year, as readers type it ("29.03.2004"); a link takes that form too."""
    at = _app(date="29.03.2004")
    assert not at.warning
    assert at.date_input(key="date").value == dt.date(2004, 3, 29)
    assert at.date_input(key="date").proto.format == "DD.MM.YYYY"
    assert at.query_params["date"] == "2004-03-29"


def test_no_caption_sends_the_reader_to_the_readme() -> None:
    at = _app(areas="4,7.1")
    assert not [t for t in _texts(at) if "README" in t]
    assert not [c.proto.help for c in at.checkbox if "README" in c.proto.help]


def test_people_are_written_in_one_form() -> None:
    """The cards write every head count to three significant figures in full: no "8.6 M" beside "85,393"."""
    at = _app(width_km="300", date="2021-12-17")
    deltas = [str(m.proto.delta) for m in at.metric if "people" in str(m.proto.delta)]
    assert len(deltas) == 4  # the parties' land, each side's, third countries'
    deltas += [t for t in _texts(at) if t.startswith("Showing") and " regions, " in t]  # the regions' estimate
    assert len(deltas) == 5
    for delta in deltas:
        figure = re.search(r"about ([\d,]+) people", delta)
        assert figure is not None, delta
        digits = figure.group(1).replace(",", "").rstrip("0")
        assert len(digits) <= 3, delta
        assert " M " not in delta
        assert " k " not in delta


def test_the_draft_is_one_click_away_under_the_map_in_its_own_words() -> None:
    """Map first: the title, then the slider and the map; the quote and the articles folded in one expander."""
    from zones import draft

    at = _app()
    assert [str(t.value) for t in at.title] == ["How far would an Article 7 zone reach?"]
    (about,) = [e for e in at.expander if e.label != "Widths per border stretch"]  # that one sits under the slider
    assert "Article 7 of the draft" in about.label
    texts = [str(m.value) for m in about.markdown]
    assert any(f"“{draft.ARTICLE_7_ZONE}”" in t for t in texts)  # the quote, word for word
    assert draft.articles_markdown() in texts
    assert not any(draft.ARTICLE_7_ZONE in str(m.value) for m in at.main.markdown if m not in about.markdown)


# --------------------------------------------------------------------------- issue 27: training areas, widths per pair

SENTENCE = re.compile(
    r"at ([\d,]+) km(?:, except [^,]+)?, (\d+) of (\d+) areas on NATO's side and (\d+) of (\d+) on Russia's"
)


def _sites_layer(at: AppTest) -> list[dict[str, Any]] | None:
    """Return the features of the training areas' layer the app hands the map, or None when it hands none."""
    (folium_map,) = at.get("component_instance")
    script = json.loads(folium_map.proto.json_args)["feature_group"]
    start = script.find('[{"name":' + json.dumps(SITES_LAYER_NAME))
    if start < 0:
        return None
    layers, _ = json.JSONDecoder().raw_decode(script, start)
    return list(layers[0]["data"]["features"])


def _sites_counts(at: AppTest) -> tuple[int, ...]:
    (match,) = [m for t in _texts(at) if (m := SENTENCE.search(t))]
    return tuple(int(n.replace(",", "")) for n in match.groups())


def test_training_areas_layer_is_off_by_default_and_the_sentence_always_there() -> None:
    at = _app(width_km="150", date="2021-12-17")
    assert not at.exception
    assert at.checkbox(key="layer_sites").value is False
    assert _sites_layer(at) is None
    # The counts, read from the table's distances (not its "inside" column) at 150 km, per side.
    table = sites_table(Scenario(width_km=150, date="2021-12-17"))
    within = table["distance_km"] <= 150
    expected = tuple(
        n
        for side in ("nato", "russia")
        for n in (int((within & (table["side"] == side)).sum()), int((table["side"] == side).sum()))
    )
    assert _sites_counts(at) == (150, *expected)
    assert 0 < expected[0] < expected[1]
    assert 0 < expected[2] < expected[3]
    at.checkbox(key="layer_sites").check().run()
    assert not at.exception
    assert at.query_params["areas"] == "sites"
    features = _sites_layer(at)
    assert features is not None
    sites = load_sites()
    assert sorted(f["properties"]["name"] for f in features) == sorted(sites["name"])
    # Outlined in black: the areas the 150 km zone covers, by the oracle's distance to the line.
    line = contact_line(dt.date(2021, 12, 17), allies="union-state").geometry.union_all()
    exact_km = distance_to_line_m(sites["lon"].to_numpy(), sites["lat"].to_numpy(), line) / 1000.0
    black = sum(f["properties"]["_style"]["color"] == "#000000" for f in features)
    assert black == int((exact_km <= 150).sum())
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Training areas (CSV)" in labels
    at.slider(key="width_km").set_value(300).run()
    assert _sites_counts(at)[0] == 300
    assert _sites_counts(at)[1] > expected[0]


def _norway_km2(at: AppTest) -> int:
    return int(_affected(at).set_index("Country").loc["Norway", "Land in the zone"])


def test_a_pair_width_in_the_link_sets_norways_stretch_and_round_trips() -> None:
    at = _app(**{"width_km": "300", "date": "2021-12-17", "width_km_RUS-NOR": "50"})
    assert not at.exception
    assert not at.warning
    expected = analyse(Scenario(width_km=300, date="2021-12-17", pair_widths={"RUS-NOR": 50})).affected
    expected_km2 = float(expected.set_index("adm0_a3").loc["NOR", "area_km2"])
    assert _norway_km2(at) == round(expected_km2)
    plain = analyse(Scenario(width_km=300, date="2021-12-17")).affected.set_index("adm0_a3").loc["NOR", "area_km2"]
    assert expected_km2 < 0.5 * float(plain)  # 50 km instead of 300 along Norway's stretch
    assert any("300 km on each side of the border, except 50 km along Russia–Norway" in t for t in _texts(at))
    assert dict(at.query_params) == {
        "width_km": "300",
        "date": "2021-12-17",
        "allies": "union-state",
        "width_km_RUS-NOR": "50",
    }
    (editor,) = at.data_editor
    widths = editor.value.set_index("pair")["pair_width_km"]
    assert widths["RUS-NOR"] == 50
    assert widths.drop("RUS-NOR").isna().all()
    # Pair widths turn the live map and the one-file page off, and the panels that read one width say so.
    texts = _texts(at)
    assert any("the live map draws one width along the whole line" in t for t in texts)
    assert any(t.startswith("These use one width along the whole line") for t in texts)
    assert not any("Interactive map" in b.proto.label for b in at.get("download_button"))


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("width_km_RUS-XXX", "50", "ADM0_A3 codes"),
        ("width_km_RUS-NOR", "-5", "0 or a number of km"),
        ("width_km_RUS-FIN", "50", "a border pair of the line"),  # Finland joined in 2023
        ("width_km_RUS-NOR", "1500", "0 to 1,000 km"),
    ],
)
def test_a_bad_pair_width_in_the_link_warns_by_name(name: str, value: str, said: str) -> None:
    at = _app(**{"date": "2021-12-17", name: value})
    assert not at.exception
    (warning,) = at.warning
    assert f"**{name}**" in warning.value
    assert said in warning.value
    assert name not in at.query_params
    assert at.data_editor[0].value["pair_width_km"].isna().all()


def _edit_pair(at: AppTest, pair: str, width_km: float | None) -> AppTest:
    (editor,) = at.data_editor
    row = list(editor.value["pair"]).index(pair)
    at.session_state[editor.key] = {
        "edited_rows": {row: {"pair_width_km": width_km}},
        "added_rows": [],
        "deleted_rows": [],
    }
    return at.run()


def test_editing_a_pair_width_changes_the_scenario() -> None:
    at = _app(width_km="300", date="2021-12-17")
    before = _norway_km2(at)
    _edit_pair(at, "RUS-NOR", 50)
    assert not at.exception
    expected = analyse(Scenario(width_km=300, date="2021-12-17", pair_widths={"RUS-NOR": 50})).affected
    assert _norway_km2(at) == round(float(expected.set_index("adm0_a3").loc["NOR", "area_km2"])) < before
    assert at.query_params["width_km_RUS-NOR"] == "50"
    _edit_pair(at, "RUS-NOR", -5)  # the browser's editor refuses it; the server names it too
    assert not at.exception
    assert any("pair_widths" in w.value and "RUS-NOR" in w.value for w in at.warning)
    assert at.query_params["width_km_RUS-NOR"] == "50"  # kept as it was
    _edit_pair(at, "RUS-NOR", None)
    assert "width_km_RUS-NOR" not in at.query_params
    assert _norway_km2(at) == before


def test_a_pair_that_leaves_the_line_is_dropped_with_a_note() -> None:
    at = _app(**{"width_km": "100", "date": "2024-06-01", "width_km_RUS-FIN": "40"})
    assert not at.warning
    assert at.query_params["width_km_RUS-FIN"] == "40"
    at.date_input(key="date").set_value(dt.date(2021, 12, 17)).run()
    assert not at.exception
    assert "width_km_RUS-FIN" not in at.query_params
    assert any("Dropped 40 km along Russia–Finland (RUS-FIN)" in str(i.value) for i in at.info)
    assert "RUS-FIN" not in list(at.data_editor[0].value["pair"])


def test_a_clicked_point_outside_a_narrow_stretch_is_told_that_stretchs_width() -> None:
    """A point 80 km inside Norway is outside a zone of 150 km with 50 km along Russia–Norway: the answer says why."""
    from zones.engine.at_point import PointAnswer
    from zones.web.app_text import point_words

    scenario = Scenario(width_km=150, date="2021-12-17", pair_widths={"RUS-NOR": 50})
    analysis = analyse(scenario, regions=False)
    norway = contact_line("2021-12-17", allies="union-state").set_index("nato_side").loc["NOR", "geometry"]
    lon, lat = norway.interpolate(0.5, normalized=True).coords[0]
    lon, lat, _ = GEOD.fwd(lon, lat, 270, 80_000)  # 80 km west of the middle of the stretch, in Finnmark
    assert not analysis.zone.covers(shapely.Point(lon, lat))
    found = PointAnswer(distance_km=80.0, inside=False, piece=None, country="Norway")
    assert point_words(found, scenario).endswith(
        "outside the zone; the zone reaches 150 km on each side of the border, except 50 km along Russia–Norway."
    )
