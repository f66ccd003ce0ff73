"""End to end in real Chromium: the Bering Strait in the first view, and one story on every surface.

* A sea-border scenario's first view, in the app and in the one-file HTML page, holds the Baltic and the
  Bering Strait the short way round (Leaflet's bounds run east over 180°, less than 360° wide), and every
  piece of the zone is drawn inside the map, none cut into halves at opposite edges.
* The same scenario gives the same totals under the same names in the app's headline, its live line,
  the HTML page and the CLI's summary line, parsed from each; the cities are checked against the CLI's
  own list of cities with each city's country looked up on the sides.

Needs Debian's Chromium at ``/usr/bin/chromium``; in CI (``CI=true``) a missing browser fails the tests.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pandas as pd
import pytest
from playwright.sync_api import Browser, Frame, Page

from tests import browser
from zones import Scenario
from zones.cli.main import main
from zones.engine.contact import resolve_sides
from zones.web.publish import write_page

pytestmark = pytest.mark.browser

#: The Baltic (Gulf of Finland to the Gulf of Riga) and the Bering Strait (Russia–USA sea border, 169°W).
BALTIC_LON: Final = (20.0, 30.0)
BERING_LON: Final = -169.0

#: The summary sentence of zones.wording, with its figures as groups: the parties' land, NATO's side,
#: Russia's side, people, cities, third countries.
SUMMARY: Final = re.compile(
    r"([\d,]+) km² of the parties' land in the zone \(NATO's side ([\d,]+) km², Russia's side ([\d,]+) km²\), "
    r"(about [\d.,]+ M people|about [\d,]+ people|0 people) and ([\d,]+) cit(?:y|ies) of 15,000 or more on it; "
    r"third countries apart: (none|[\d,]+ km² in [\d,]+ countr(?:y|ies))"
)


def _sea_scenario(width_km: int) -> Scenario:
    return Scenario(width_km=width_km, allies="csto", sea_borders=True, date=dt.date.today())


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The one-file HTML page of the sea-border scenario at 300 and 1,000 km (one ladder: built once)."""
    folder = tmp_path_factory.mktemp("pages")
    return {width_km: write_page(_sea_scenario(width_km), folder / f"sea-{width_km}.html") for width_km in (300, 1000)}


def _query(scenario: Scenario) -> str:
    assert scenario.date is not None
    sea = "&sea_borders=1" if scenario.sea_borders else ""
    return f"?width_km={scenario.width_km:g}&date={scenario.date.isoformat()}&allies={scenario.allies}{sea}"


def _holds_both_the_short_way(bounds: dict[str, float]) -> None:
    """Assert Leaflet bounds ``{west, south, east, north}`` hold the Baltic and the Bering Strait, east over 180°."""
    west, east = bounds["west"], bounds["east"]
    assert east - west < 360, bounds  # never the whole world round
    assert west <= BALTIC_LON[0], bounds
    assert east >= BALTIC_LON[1], bounds
    assert west <= BERING_LON + 360 <= east, bounds  # 191°E: the Bering Strait counted east of 180°
    assert bounds["south"] < 60 < 66 < bounds["north"], bounds  # the Baltic's latitude and the strait's (65.8°N)


BOUNDS_JS: Final = (
    "(map) => { const b = map.getBounds();"
    " return {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth()}; }"
)

#: Whether every drawn piece of the zone lies within the map's box on screen (half a pixel's slack).
ZONE_INSIDE_JS: Final = """(selector) => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const paths = [...document.querySelectorAll(selector)].filter(p => (p.getAttribute('d') || 'M0 0') !== 'M0 0');
  return paths.length > 0 && paths.every(p => {
    const r = p.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5
      && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
  });
}"""


@pytest.mark.parametrize("width_km", [1000, 300])  # 300 last: its page, only read, is the sea scenario's below
def test_app_first_view_of_a_sea_border_scenario_holds_the_baltic_and_the_bering_strait(
    server: browser.Server, tab: browser.Tab, width_km: int, pages: dict[int, Path]
) -> None:
    # ``pages`` first: it leaves the line's ladder in the run's disk cache, which the server reads (it was
    # started with the same ZONES_CACHE_DIR), so the ladder is built once, not once here and once there.
    frame = tab.open(server.url + _query(_sea_scenario(width_km)), width=1280, height=900, reads_only=True)
    offline = tab.offline
    frame.wait_for_selector(".leaflet-container[data-fitted]", state="attached", timeout=60_000)
    frame.evaluate(browser.MOVE_ENDED_JS)  # the fit's animation, if any, has ended
    _holds_both_the_short_way(frame.evaluate(f"() => ({BOUNDS_JS})(window.zonesMap)"))
    assert frame.evaluate(ZONE_INSIDE_JS, "path.zone-strip")  # the Bering piece too: inside the view, in one piece
    # The base map draws land east of 180° (Alaska, Chukotka's tip). Its file is fetched after the map is
    # drawn, so wait until its land is on the map (it was read once too early under load: no land at all).
    east_js = (
        "() => { let east = -999; window.zonesMap.eachLayer(l => { if (l.feature && l.options.pane === 'basemapLand')"
        " { east = Math.max(east, l.getBounds().getEast()); } }); return east; }"
    )
    frame.wait_for_function(f"() => ({east_js})() > -999", timeout=60_000)
    land = frame.evaluate(east_js)
    assert land > 200
    assert offline.blocked == []


@pytest.mark.parametrize("width_km", [300, 1000])
def test_html_page_first_view_of_a_sea_border_scenario_holds_the_baltic_and_the_bering_strait(
    pages: dict[int, Path], chromium: Browser, width_km: int
) -> None:
    context, offline = browser.offline_context(chromium, width=1280, height=900)
    page = context.new_page()
    page.goto(pages[width_km].as_uri(), wait_until="load")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    _holds_both_the_short_way(page.evaluate(f"() => ({BOUNDS_JS})(window.zoneMap)"))
    assert page.evaluate(ZONE_INSIDE_JS, "path.zone-strip")
    # The countries' table fits its column on a laptop: no column cut off at the right ("about 53,000,000 p…").
    table, box = page.evaluate(browser.TABLE_FITS_JS)
    assert 0 < table <= box
    context.close()
    assert offline.blocked == []


def _summary(text: str) -> tuple[str, ...]:
    found = SUMMARY.search(text)
    assert found is not None, text
    return found.groups()


def _number(text: str) -> int:
    return int(text.removesuffix(" km²").replace(",", ""))


def _app_surfaces(page: Page, frame: Frame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the app's live line and its headline cards, each as the summary's figures."""
    page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=300_000)
    live = _summary(page.text_content(".zw .live") or "")
    cards = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        cards[label] = (
            metric.locator('[data-testid="stMetricValue"]').inner_text().strip(),
            metric.locator('[data-testid="stMetricDelta"]').inner_text().strip(),
        )
    people_cities = re.search(
        r"(about [\d.,]+ M people|about [\d,]+ people|0 people) and ([\d,]+) cit", cards["Parties' land"][1]
    )
    assert people_cities is not None, cards
    third = cards["Third countries"]
    third_countries = re.match(r"([\d,]+) countr", third[1])
    assert third_countries is not None, third
    third_words = "none" if third[0] == "0 km²" else f"{third[0]} in {third_countries.group(1)} countr"
    headline = (
        cards["Parties' land"][0].removesuffix(" km²"),
        cards["NATO's side"][0].removesuffix(" km²"),
        cards["Russia's side"][0].removesuffix(" km²"),
        people_cities.group(1),
        people_cities.group(2),
        third_words,
    )
    return live, headline


@pytest.mark.parametrize(
    "scenario",
    [_sea_scenario(300), Scenario(width_km=300, date="2021-12-17", allies="union-state")],
    ids=["today-csto-sea", "draft-union-state"],
)
def test_the_totals_are_the_same_in_the_app_the_html_page_and_the_cli(
    server: browser.Server,
    tab: browser.Tab,
    scenario: Scenario,
    pages: dict[int, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert scenario.date is not None
    date_args = ["--width-km", f"{scenario.width_km:g}", "--date", scenario.date.isoformat()]
    options = [*date_args, "--allies", scenario.allies, *(["--sea-borders"] if scenario.sea_borders else [])]
    assert main(["affected", *options, "--out", str(tmp_path / "affected.csv")]) == 0
    assert main(["cities", *options, "--out", str(tmp_path / "cities.csv")]) == 0
    cli_line = capsys.readouterr().out.splitlines()[0]
    assert cli_line.startswith("wrote ")
    cli = _summary(cli_line)

    # Independent of the sentence: the parties' land is the sum of the two sides' rows of the CLI's table,
    # and the cities are those of the CLI's cities list whose country is on either side.
    table = pd.read_csv(tmp_path / "affected.csv")
    parties = table[table["side"].isin(["nato", "russia"])]
    assert abs(_number(cli[0]) - parties["area_km2"].sum()) <= 1
    assert abs(_number(cli[1]) - table.loc[table["side"] == "nato", "area_km2"].sum()) <= 1
    sides = resolve_sides(scenario.date, allies=scenario.allies)
    cities = pd.read_csv(tmp_path / "cities.csv")
    assert _number(cli[4]) == cities["adm0_a3"].isin([*sides.russia, *sides.nato]).sum()
    assert _number(cli[4]) < len(cities)  # third countries' cities are not counted with the parties'

    # The sea scenario's page is the module's (the same scenario, written once); the draft's is written here.
    page_path = pages[300] if scenario == _sea_scenario(300) else write_page(scenario, tmp_path / "page.html")
    frame = tab.open(server.url + _query(scenario), width=1280, height=900, reads_only=True)
    live, headline = _app_surfaces(tab.page, frame)
    published = tab.context.new_page()
    published.goto(page_path.as_uri(), wait_until="load")
    published.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    html_page = _summary(published.text_content("#headline") or "")
    published.close()
    assert tab.offline.blocked == []

    assert html_page == cli
    assert live == cli
    third = cli[5] if cli[5] == "none" else cli[5].split(" countr")[0] + " countr"
    assert headline == (*cli[:5], third)
