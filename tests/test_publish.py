"""``python -m zones html``: one self-contained page, offline, with a working width slider."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests import browser
from zones import Scenario, analyse
from zones.cli.main import main
from zones.web.ladder import SCHEMA_VERSION
from zones.wording import format_km2, format_people, format_share

ARGS = ("--width-km", "300", "--date", "2021-12-17", "--allies", "union-state")
SCENARIO = Scenario(width_km=300, date="2021-12-17", allies="union-state")
MAX_BYTES = 3_000_000
ZONE_D_JS = "() => [...document.querySelectorAll('path.zone-strip')].map(p => p.getAttribute('d')).join('|')"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "zone.html"
    assert main(["html", *ARGS, "--out", str(out)]) == 0
    return out


def total_km2(width_km: float) -> float:
    totals = analyse(SCENARIO.replace(width_km=width_km), regions=False).totals.set_index("side")
    return float(totals.at["nato", "area_km2"] + totals.at["russia", "area_km2"])  # the parties' land, the page's order


def test_page_is_small_and_loads_nothing_from_the_web(page_file):
    text = page_file.read_text(encoding="utf-8")
    assert page_file.stat().st_size <= MAX_BYTES
    assert not re.search(r"<script[^>]*\ssrc\s*=", text, flags=re.IGNORECASE)
    assert not re.search(r"<link[^>]*\shref\s*=\s*[\"']?https?:", text, flags=re.IGNORECASE)
    assert not re.search(r"url\(\s*[\"']?https?:", text, flags=re.IGNORECASE)
    assert "default-src 'none'" in text  # the browser refuses any fetch
    assert "Natural Earth" in text
    assert "GeoNames (CC BY 4.0)" in text
    assert "POP_EST (2019) spread over GeoNames places" in text


def test_page_names_the_sides_the_date_and_the_line_in_words(page_file):
    """A reader of the page sees who the sides are, on which day, and which line: not the app's codes."""
    text = page_file.read_text(encoding="utf-8")
    header = html.unescape(text.split("<header", 1)[1].split("</header>", 1)[0])
    assert "NATO's members on 17 December 2021" in header
    assert "Russia's side: the Union State (Belarus, Russia)" in header
    assert "the border on land only" in header
    assert "union-state" not in header


def test_user_values_are_escaped(tmp_path):
    from zones.web.publish import page_html

    text = page_html(SCENARIO, title="</script><script>alert(1)</script>")
    assert "<script>alert(1)" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in text
    data = text.split('id="zone-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data  # the JSON cannot close its element


def test_page_data_names_the_stated_parts():
    from zones.engine.denominators import denominator
    from zones.web.publish import page_options

    share_of = page_options(initial_km=300)["share_of"]
    assert share_of["NOR"] == "of mainland Norway"
    assert share_of["FRA"] == "of metropolitan France"
    assert all(value == f"of {denominator(code)}" for code, value in share_of.items())
    assert "POL" not in share_of


@pytest.mark.browser
def test_page_opens_offline_and_its_slider_moves_the_zone(page_file, chromium):
    context, offline = browser.offline_context(chromium, width=1280, height=900)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        # how fast it is ready is measured by benchmarks/bench_publish.py, not asserted here
        assert page.locator("path.zone-strip").count() >= 1
        assert page.locator("path.zone-line").count() == 8
        affected = analyse(SCENARIO, regions=False).affected
        assert page.locator("#countries tbody tr").count() == len(affected)
        first = affected.iloc[0]  # the largest: the table's first row, in zones.wording's words
        cells = page.locator("#countries tbody tr").first.locator("td").all_text_contents()
        assert cells[0] == first["name"]
        assert cells[2:] == [
            format_km2(first["area_km2"]),
            format_share(first["share"]),
            format_people(first["population"]),
        ]
        by_name = affected.set_index("name")
        for name in ("Norway", "Poland"):  # a share of mainland Norway says so; Poland's is of the whole country
            cells = page.locator("#countries tbody tr", has_text=name).locator("td").all_text_contents()
            assert cells[3].endswith(" of mainland Norway") == (by_name.at[name, "denominator"] == "mainland Norway")
        assert by_name.at["Norway", "denominator"] == "mainland Norway"
        before_d, before_text = page.evaluate(ZONE_D_JS), page.text_content("#total-km2")
        assert float(page.get_attribute("#total-km2", "data-km2")) == total_km2(300)
        assert before_text == format_km2(total_km2(300))

        page.focus("#width")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.body.dataset.widthKm === '310'")
        assert page.evaluate(ZONE_D_JS) != before_d
        after_text = page.text_content("#total-km2")
        assert after_text != before_text
        assert after_text == format_km2(total_km2(310))
        assert float(page.get_attribute("#total-km2", "data-km2")) == total_km2(310)

        page.click("#fit-zone")
        bounds = page.evaluate("() => window.zoneMap.getBounds().toBBoxString()")
        west, south, east, north = map(float, bounds.split(","))
        assert (west < 23, east > 35, south < 52, north > 70) == (True, True, True, True)  # Poland to the Barents Sea
        assert page.evaluate(browser.SCALE_OVERFLOW_JS, "zoneMap") == [1, []]  # km only, within its bar at every zoom
        assert errors == []
        assert offline.blocked == []
        assert all(url.startswith("file://") for url in offline.loopback)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--width-km", "305"), "--width-km"),
        (("--width-km", "1010"), "--width-km"),
        (("--width-km", "300", "--nato-width-km", "200"), "--nato-width-km"),
        (("--width-km", "300", "--date", "2021-13-01"), "--date"),
        (("--width-km", "300", "--allies", "warsaw-pact"), "--allies"),
        (("--width-km", "300", "--russia-side", "XXX"), "--russia-side"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, option):
    out = tmp_path / "zone.html"
    assert main(["html", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.endswith(f"(option {option})")
    assert list(tmp_path.iterdir()) == []


def test_bad_out_exits_2(tmp_path, capsys):
    assert main(["html", "--width-km", "300", "--out", str(tmp_path / "zone.png")]) == 2
    assert "(option --out)" in capsys.readouterr().err
    assert main(["html", "--width-km", "300", "--out", str(tmp_path / "missing" / "zone.html")]) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
@pytest.mark.parametrize(("width_px", "height_px"), [(1280, 900), (390, 844)])
def test_first_view_shows_the_whole_zone(page_file, chromium, width_px, height_px):
    context, _ = browser.offline_context(chromium, width=width_px, height=height_px)
    page = context.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        zone = analyse(SCENARIO, regions=False).zone.bounds
        view = page.evaluate("() => window.zoneMap.getBounds().toBBoxString()")
        west, south, east, north = map(float, view.split(","))
        assert (west <= zone[0], south <= zone[1], east >= zone[2], north >= zone[3]) == (True,) * 4, (view, zone)
        assert page.locator("details.zone-legend").evaluate("d => d.open") is (width_px > 700)  # closed on phones
        # The countries' table fits its box, on a phone too: no column cut off, no scrolling sideways.
        table, box = page.evaluate(browser.TABLE_FITS_JS)
        assert 0 < table <= box
    finally:
        context.close()


@pytest.mark.browser
def test_a_ladder_of_another_schema_is_refused_in_words_and_no_hook_is_on_window(page_file, chromium, tmp_path):
    """ladder.js reads one schema: the page says so instead of drawing; without a test's ask, no map on window."""
    text = page_file.read_text(encoding="utf-8")
    current = f'"ladder":{{"schema":{SCHEMA_VERSION},'
    assert text.count(current) == 1
    other = tmp_path / "other.html"
    other.write_text(text.replace(current, f'"ladder":{{"schema":{SCHEMA_VERSION - 1},'), encoding="utf-8")
    context, offline = browser.offline_context(chromium, width=1280, height=900, hooks=False)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        assert page.evaluate("() => typeof window.zoneMap") == "undefined"  # production: no test hook
        page.goto(other.as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready=refused]", state="attached", timeout=30_000)
        headline = page.text_content("#headline") or ""
        assert f"its data has schema {SCHEMA_VERSION - 1} and this page reads schema {SCHEMA_VERSION}" in headline
        assert page.locator("path.zone-strip").count() == 0
        assert page.is_disabled("#width")
        assert errors == []
        assert offline.blocked == []
    finally:
        context.close()
