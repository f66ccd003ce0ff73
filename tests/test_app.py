"""The Streamlit app driven by ``AppTest`` (no browser; the map is opaque to it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT_S = 120


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def _affected(at: AppTest):  # the first table: affected countries
    return at.dataframe[0].value


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
    assert list(table.columns[:4]) == ["Country", "Side", "Land in the zone", "Share of the country"]
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
        ("preset_today", dt.date.today()),
    ],
)
def test_date_presets(button: str, date: dt.date) -> None:
    at = _app(date="2010-01-01")
    at.button(key=button).click().run()
    assert not at.exception
    assert at.date_input(key="date").value == date
    assert at.query_params["date"] == date.isoformat()


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
    at = _app(allies="csto", date="2024-06-01")
    assert any("Armenia froze its participation" in t for t in _texts(at))
    at = _app(allies="csto", date="2021-12-17")
    assert not any("froze its participation" in t for t in _texts(at))


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
    table = _affected(at)
    third = table[table["Side"] == "Third countries"]
    assert (third["Land in the zone"] < 1).all()  # clipped: parties' land only (zones leaves < 1e-11 km² slivers)
    at.radio(key="allies").set_value("union-state").run()
    at.toggle(key="clip").set_value(False).run()
    assert not at.exception
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


def test_sweep_chart_on_request_marks_the_current_width() -> None:
    at = _app(width_km="200", date="2021-12-17")
    assert not at.get("image")  # the sweep is not computed unless asked for
    at.toggle(key="show_sweep").set_value(True).run()
    assert not at.exception
    images = at.get("image")
    assert len(images) == 1
    assert "dashed line marks the current width" in str(images[0].proto)


def test_download_buttons_cover_every_export() -> None:
    at = _app()
    labels = [b.proto.label for b in at.get("download_button")]
    for expected in ("GeoJSON", "CSV", "PNG", "PDF", "Share by width"):
        assert any(expected in label for label in labels), labels
