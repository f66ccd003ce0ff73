"""End to end in real Chromium: the app served by ``streamlit run``, with no internet.

Every request that would leave loopback is refused (tests/browser.py's dead proxy). Needs Debian's Chromium at
``/usr/bin/chromium``; in CI (``CI=true``) a missing browser fails the tests.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Download, Frame, Page, Route

from tests import browser
from zones.colours import LAND_COLOUR, SIDE_COLOURS
from zones.web.ladder import SCHEMA_VERSION

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_page(chromium: Browser) -> Iterator[tuple[Page, browser.Offline]]:
    context, offline = browser.offline_context(chromium)
    page = context.new_page()
    yield page, offline
    context.close()


def test_map_draws_with_no_internet(server: browser.Server, tab: browser.Tab) -> None:
    frame = tab.open(server.url, reads_only=True)
    page, offline = tab.page, tab.offline
    assert frame.evaluate("() => window.L.version") == "1.9.4"
    assert frame.locator("path.leaflet-interactive").count() > 5
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-basemapLand-pane path').length > 50")
    assert frame.locator(".country-label").count() > 20
    assert frame.locator(".zone-legend summary").inner_text() == "Legend: Article 7 zone"  # folds away
    assert "100 km on each side of the border" in page.inner_text("body")
    assert offline.blocked == []
    assert any("/app/files/leaflet/leaflet.js" in u for u in offline.loopback)
    # Served from the cache folder the tests point ZONES_CACHE_DIR at (runtime_files), not from the checkout.
    cache = Path(os.environ["ZONES_CACHE_DIR"]) / "web"
    assert (cache / "leaflet" / "leaflet.js").is_file()
    assert (cache / "basemap" / "countries.geojson").is_file()
    assert not (browser.REPO / "static").exists()
    assert all(urlsplit(u).hostname in {"127.0.0.1", "localhost"} for u in offline.loopback)


def test_a_request_that_would_leave_loopback_is_refused_and_logged(chromium: Browser) -> None:
    """The offline set-up the other tests rely on: a name and an address outside loopback, refused by the
    browser's dead proxy (not by this machine's missing internet) and logged as blocked; loopback is not."""
    context, offline = browser.offline_context(chromium)
    failures: dict[str, str | None] = {}
    context.on("requestfailed", lambda request: failures.__setitem__(request.url, request.failure))
    page = context.new_page()
    outside = ["https://tile.openstreetmap.org/0/0/0.png", "http://192.0.2.1/"]  # a tile server; TEST-NET-1
    inside = f"http://127.0.0.1:{browser.free_port()}/"  # loopback, direct: refused by the closed port, not a proxy
    fetched = page.evaluate(
        "async (urls) => Promise.all(urls.map((url) => fetch(url).then(() => 'loaded', () => 'failed')))",
        [*outside, inside],
    )
    context.close()
    assert fetched == ["failed"] * 3
    assert offline.blocked == outside
    assert offline.loopback == [inside]
    assert failures == dict.fromkeys(outside, "net::ERR_PROXY_CONNECTION_FAILED") | {
        inside: "net::ERR_CONNECTION_REFUSED"
    }


#: The page's result tables (countries, cities, regions): not the pair widths' editor folded under the slider.
TABLES_CSS = '[data-testid="stDataFrame"]:not([data-testid="stExpander"] *)'


def _table_png(page: Page) -> bytes:
    return page.locator(TABLES_CSS).first.screenshot()


def test_slider_step_changes_strip_and_table(server: browser.Server, tab: browser.Tab) -> None:
    frame = tab.open(server.url)
    page, offline = tab.page, tab.offline
    strip, table = browser.strip_d(frame), _table_png(page)
    browser.slider_step(page)
    browser.wait_for_strip_change(frame, strip)
    browser.wait_idle(page)
    page.wait_for_function("() => document.body.innerText.includes('110 km on each side of the border')")
    assert _table_png(page) != table
    assert parse_qs(urlsplit(page.url).query)["width_km"] == ["110"]
    assert offline.blocked == []


#: How the page looks while a rerun is held up: ``[stale element count, map container's opacity,
#: the other stale containers' opacities, the headline numbers' colours]``.
STALE_LOOK_JS = f"""() => {{
    const stale = [...document.querySelectorAll('[data-testid="stElementContainer"][data-stale="true"]')];
    const map = stale.find((e) => e.querySelector('{browser.MAP_IFRAME}'));
    return [
        stale.length,
        map ? getComputedStyle(map).opacity : null,
        [...new Set(stale.filter((e) => e !== map).map((e) => getComputedStyle(e).opacity))],
        [...document.querySelectorAll('[data-testid="stMetricValue"]')].map((e) => getComputedStyle(e).color),
    ];
}}"""


#: The grey of stale (and not yet updated) headline numbers.
STALE_GREY = "rgb(160, 160, 160)"

#: ``window.__running`` resolves once Streamlit reports that a run started.
ARM_RUNNING_JS = """() => { window.__running = new Promise((resolve) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const observer = new MutationObserver(() => {
        if (app.getAttribute("data-test-script-state") === "running") { observer.disconnect(); resolve(true); }
    });
    observer.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}); }"""


def test_stale_content_is_marked_without_repainting_the_page(
    server: browser.Server, offline_page: tuple[Page, browser.Offline]
) -> None:
    """While a rerun is slower than 0.5 s, the old figures turn grey and the old map dims; the rest keeps its opacity.

    Streamlit fades every stale element to 0.33 opacity, which a browser with no GPU (virtual machines,
    remote desktops, the load benchmark) redraws in software twice per slow step: about 55 ms of
    browser CPU per step with ten users. The server's messages are held back to hold a rerun up.
    """
    page, _ = offline_page
    gate = browser.RunGate()
    page.route_web_socket(browser.STREAM, gate.route)
    browser.open_app(page, server.url)
    idle_colours = page.evaluate(STALE_LOOK_JS)[3]
    # A date preset: a rerun the server is asked for at once (the live slider would be ahead of it first).
    # Once the page has been told the run began, the server's messages are held back (tests/browser.py's
    # RunGate): the old elements stay on the page until the test releases them.
    gate.arm()
    page.evaluate(ARM_RUNNING_JS)
    page.get_by_role("button", name="Today", exact=True).click()  # today's line is 2024's, which other tests show
    page.evaluate("() => window.__running")
    early = page.evaluate(STALE_LOOK_JS)
    page.wait_for_function(  # the fade, once the run has been slow for half a second
        f"""() => {{
            const [, map, , colours] = ({STALE_LOOK_JS})();
            return Math.abs(parseFloat(map) - 0.33) < 0.005 && colours.every((colour) => colour === "{STALE_GREY}");
        }}"""
    )
    held = page.evaluate(STALE_LOOK_JS)
    gate.release()
    browser.wait_idle(page)
    after = page.evaluate(STALE_LOOK_JS)
    count, map_opacity, others, colours = held
    assert count >= 5
    assert float(map_opacity) == pytest.approx(0.33)
    assert others == ["1"]
    assert colours == [STALE_GREY] * 4
    assert early[1] == "1"  # the first half second: nothing changes (a fast step never flickers)
    assert early[3] == idle_colours
    assert after[0] == 0
    assert after[3] == idle_colours
    assert STALE_GREY not in idle_colours


#: ``[text, overflows]`` of every element in the headline numbers that Streamlit would cut with an ellipsis.
METRIC_TEXT_JS = """() => [...document.querySelectorAll('[data-testid="stMetric"] *')]
    .filter((e) => getComputedStyle(e).textOverflow === "ellipsis")
    .map((e) => [e.textContent, e.scrollWidth > e.clientWidth])"""


@pytest.mark.parametrize("width_px", [1280, 1024])
def test_headline_numbers_are_never_cut(server: browser.Server, tab: browser.Tab, width_px: int) -> None:
    """The largest numbers the slider allows (1,000 km, 44 countries) fit a laptop screen, unabridged."""
    link = server.url + "?width_km=1000&date=2024-06-01&allies=csto"
    tab.open(link, width=width_px, height=900, reads_only=True, any_size=True)  # the 1,024 px case: resized
    texts = tab.page.evaluate(METRIC_TEXT_JS)
    values = [text for text, _ in texts if text.endswith("km²")]
    assert len(values) == 4
    assert any(len(v) >= len("1,000,000 km²") for v in values)  # seven digits
    assert [text for text, cut in texts if cut] == []


def test_pan_then_step_or_click_keeps_the_view(server: browser.Server, tab: browser.Tab) -> None:
    frame = tab.open(server.url)
    page = tab.page
    start = browser.view(frame)
    browser.drag_map(page, -180, 90)
    frame.wait_for_function("(c) => Math.abs(window.map.getCenter().lng - c) > 1", arg=start[1])
    panned = browser.settled_view(frame)
    assert panned != start
    strip = browser.strip_d(frame)
    browser.slider_step(page)
    browser.wait_for_strip_change(frame, strip)
    browser.wait_idle(page)
    assert browser.view(frame) == pytest.approx(panned)
    box = page.locator(browser.MAP_IFRAME).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.45)
    page.wait_for_function("() => document.body.innerText.includes('Clicked point')")
    browser.wait_idle(page)
    text = page.inner_text("body")
    assert "km from the border between the sides" in text
    assert browser.view(frame) == pytest.approx(panned)
    assert frame.locator("path.zone-click").count() == 1


def test_typed_date_applies_on_enter(server: browser.Server, tab: browser.Tab) -> None:
    """Streamlit's date box applies a typed date only on blur; the page makes Enter apply it."""
    tab.open(server.url)
    page, offline = tab.page, tab.offline
    page.locator('[data-testid="stDateInputField"] [role="spinbutton"]').first.click()
    page.keyboard.type("01062024")  # day, month, year, as a reader types "01.06.2024": the box moves on by itself
    page.wait_for_function(  # the box shows what was typed
        """() => document.querySelector('[data-testid="stDateInputField"]').textContent.replace(/\\D/g, "")
            .includes("01062024")"""
    )
    assert "as on 17 December 2021" in page.inner_text("body")
    page.keyboard.press("Enter")
    page.wait_for_function('() => document.body.innerText.includes("as on 1 June 2024")')
    assert parse_qs(urlsplit(page.url).query)["date"] == ["2024-06-01"]
    assert offline.blocked == []


#: ``[overflow px]`` of each table: how much of it is hidden to the right (0 when it fits).
TABLE_OVERFLOW_JS = f"""() => [...document.querySelectorAll('{TABLES_CSS} .dvn-scroller')]
    .map((e) => e.scrollWidth - e.clientWidth)"""
#: Headers of the columns each table draws now (those on screen, even in part).
TABLE_COLUMNS_JS = f"""() => [...document.querySelectorAll('{TABLES_CSS} table')]
    .map((t) => [...t.querySelectorAll('th')].map((th) => th.textContent))"""
#: ``[label, uncovered]`` for each download button: its corners and centre are the button itself, on screen.
DOWNLOADS_UNCOVERED_JS = """() => [...document.querySelectorAll('[data-testid="stDownloadButton"] button')]
    .map((b) => {
        b.scrollIntoView({block: "center"});  // ten buttons: the popover scrolls on a small screen
        const r = b.getBoundingClientRect();
        const points = [[r.left + 3, r.top + 3], [r.right - 3, r.top + 3], [r.left + 3, r.bottom - 3],
                        [r.right - 3, r.bottom - 3], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
        return [b.innerText, points.every(([x, y]) => b.contains(document.elementFromPoint(x, y)))];
    })"""
#: ``[opacity, text]`` of each slider's end labels.
SLIDER_ENDS_JS = """() => [...document.querySelectorAll('[data-testid="stSliderTickBar"]')]
    .map((e) => [getComputedStyle(e).opacity, e.innerText.replace(/\\s+/g, " ")])"""


@pytest.mark.parametrize(("width_px", "height_px"), [(1280, 900), (390, 844)])
def test_layout_on_a_laptop_and_a_phone(
    server: browser.Server, tab: browser.Tab, width_px: int, height_px: int
) -> None:
    """No table is cut on a laptop (on a phone the share and the distance come next to the name); the
    sidebar button says what it opens; both per-side sliders show their ends; no tooltip covers a download.
    """
    page, offline = tab.page, tab.offline
    frame = tab.open(
        server.url + "?russia_width_km=300&nato_width_km=500&date=2021-12-17", width=width_px, height=height_px
    )
    # three tables (countries, cities, regions), each drawn with its header row
    page.wait_for_function(f"() => ({TABLE_COLUMNS_JS})().filter((t) => t.length > 0).length === 3")
    overflow = page.evaluate(TABLE_OVERFLOW_JS)
    assert len(overflow) == 3
    if width_px >= 1280:
        assert overflow == [0, 0, 0], overflow
    else:
        assert page.evaluate(TABLE_COLUMNS_JS)[0][:2] == ["Country", "Share of the country"]
        page.locator(f"{TABLES_CSS} .dvn-scroller").first.evaluate("(e) => { e.scrollLeft = 1e4; }")
        page.wait_for_function(f'() => ({TABLE_COLUMNS_JS})()[0].includes("Country\'s land")')
        assert page.evaluate(TABLE_COLUMNS_JS)[0][0] == "Country"  # pinned: the names stay as the table scrolls
        assert overflow[1] == 0  # the cities fit
        expand = page.locator('[data-testid="stExpandSidebarButton"]')
        label = expand.evaluate("(b) => getComputedStyle(b, '::after').content")
        assert label == '"Scenario: date, sides"'
        assert expand.bounding_box()["width"] > 100
    assert page.evaluate(SLIDER_ENDS_JS) == [["1", "0 km 1000 km"]] * 2
    page.get_by_role("button", name="Downloads").click()  # the pointer stays on it, as a reader's does
    page.wait_for_timeout(1500)  # longer than a tooltip's delay
    buttons = page.evaluate(DOWNLOADS_UNCOVERED_JS)
    prepare = page.get_by_role("button", name=re.compile(r": prepare \(up to a minute\)$")).count()
    assert (len(buttons), prepare) in ((11, 0), (10, 1), (9, 2))  # the sweep's and the thresholds' CSVs: prepared
    # on request (a progress bar) first, unless stored (the line's ladder, the thresholds on disk)
    assert [label for label, uncovered in buttons if not uncovered] == []
    assert frame.evaluate(browser.SCALE_OVERFLOW_JS, "map") == [2, []]  # km and miles: each label within its bar
    assert offline.blocked == []


def test_article_area_layer_appears_when_ticked_without_remounting_the_map(
    server: browser.Server, tab: browser.Tab
) -> None:
    frame = tab.open(server.url + "?width_km=300&date=2021-12-17&sea_borders=1")
    page, offline = tab.page, tab.offline
    assert frame.evaluate("() => document.querySelectorAll('path.territory-7-1').length") == 0  # off by default
    frame.evaluate("() => { window.map._keptAcrossReruns = true; }")
    page.get_by_text("Article 7(1) area", exact=True).click()
    browser.wait_idle(page)
    frame.wait_for_function("() => document.querySelectorAll('path.territory-7-1').length === 10", timeout=30_000)
    assert frame.evaluate("() => window.map._keptAcrossReruns === true")  # same Leaflet map: no remount
    explanation = page.get_by_text("Article 7(1): no NATO military activity", exact=False)
    explanation.first.wait_for()  # drawn after the map in the same run: its delta may land a moment later
    assert explanation.count() == 1
    assert offline.blocked == []


def _live_ready(page: Page) -> None:
    page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=300_000)


def test_live_drag_moves_the_zone_before_release(server: browser.Server, tab: browser.Tab) -> None:
    """With the mouse held, the zone is redrawn at every step and the server is not asked; release asks once."""
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=100&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    assert page.locator(".zw .ends span").all_inner_texts() == ["0 km", "1,000 km"]  # zones.wording's, not the script's
    assert page.get_attribute("#zones-width-input", "aria-valuetext") == "100 km"
    box = page.locator("#zones-width-input").bounding_box()
    assert box is not None
    x0, y = box["x"] + 0.1 * box["width"], box["y"] + box["height"] / 2
    draws_before = _live_draws(frame)
    strip_before = frame.evaluate(
        "() => [...document.querySelectorAll('path.live-strip')].map(p => p.getAttribute('d')).join('|')"
    )
    page.mouse.move(x0, y)
    page.mouse.down()
    shapes = set()
    for i in range(12):
        page.mouse.move(x0 + (i + 1) * 0.03 * box["width"], y)
        width_km = page.locator("#zones-width-input").input_value()
        frame.wait_for_selector(f'.leaflet-container.zones-live[data-live-width-km="{width_km}"]', state="attached")
        shapes.add(
            frame.evaluate(
                "() => [...document.querySelectorAll('path.live-strip')].map(p => p.getAttribute('d')).join('|')"
            )
        )
    draws = _live_draws(frame) - draws_before
    live_km = int(page.get_attribute(".zw .live", "data-width-km") or 0)
    assert "width_km=100" in page.url  # no rerun while held: the link is the server's
    page.mouse.up()
    assert draws >= 6, draws
    assert len(shapes - {strip_before}) >= 6
    frame.wait_for_selector(f'.leaflet-container[data-server-width-km="{live_km}"]', state="attached")
    assert f"width_km={live_km}" in page.url
    browser.wait_idle(page)  # the map is drawn before the headline numbers under it: let the run finish
    live_text = page.text_content(".zw .live") or ""
    parties = page.locator('[data-testid="stMetricValue"]').first.text_content() or ""
    assert parties.strip() in live_text  # the live figure is the server's exact one
    assert offline.blocked == []


def test_a_rerun_for_an_older_width_does_not_hide_a_newer_live_step(server: browser.Server, tab: browser.Tab) -> None:
    """The server's layers for width A arriving after the slider moved to B leave B drawn until B's rerun."""
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=100&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    frame.wait_for_selector('.leaflet-container[data-server-width-km="100"]', state="attached")
    box = page.locator("#zones-width-input").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 0.1 * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.4 * box["width"], y, steps=5)
    frame.wait_for_selector(".leaflet-container.zones-live", state="attached")
    live_km = frame.get_attribute(".leaflet-container", "data-live-width-km")
    assert live_km not in {None, "100"}
    # the server's layers for the old width arrive late (as when a rerun was already running)
    frame.evaluate(
        """() => window.ZonesLive.serverDrawn({width_km: 100, bounds: null,
             fit_key: document.querySelector('.leaflet-container').getAttribute('data-fit-key')})"""
    )
    assert frame.locator(".leaflet-container.zones-live").count() == 1
    assert frame.get_attribute(".leaflet-container", "data-live-width-km") == live_km
    page.mouse.up()  # the release asks the server for the live width, whose layers hand the map back
    frame.wait_for_selector(f'.leaflet-container[data-server-width-km="{live_km}"]', state="attached")
    frame.wait_for_selector(".leaflet-container:not(.zones-live)", state="attached")
    assert offline.blocked == []


def _live_draws(frame: Frame) -> int:
    """Return how many steps the map's live view has drawn (``data-live-draws`` on its container, live_map.js)."""
    return int(frame.evaluate("() => Number(document.querySelector('.leaflet-container').dataset.liveDraws || 0)"))


#: Names of the ladder files a document has fetched so far.
LADDER_FETCHES_JS = (  # reads of ladder files; the presets' note only probes theirs ("?ready", page_keys.js)
    "() => performance.getEntriesByType('resource').map((e) => e.name)"
    ".filter((n) => n.includes('/app/files/ladder/') && !n.endsWith('?ready') && !n.endsWith('.progress.json'))"
)  # and the slider's questions on a ladder's progress (width_slider.js) are not reads of it


#: Points (lat, lon) where the map's colour is read: eastern Poland and western Belarus inside the zone
#: (within 60 km of their border), and western Poland outside it (over 400 km from Russia's land).
INSIDE_NATO: Final = (51.6, 23.0)
INSIDE_RUSSIA: Final = (52.5, 26.0)
OUTSIDE_NATO: Final = (51.5, 15.2)


def _map_xy(frame: Frame, point: tuple[float, float]) -> tuple[int, int]:
    """Return the pixel of ``point`` (lat, lon) in the map's iframe."""
    x, y = frame.evaluate(
        """([lat, lon]) => {
            const p = window.zonesMap.latLngToContainerPoint([lat, lon]);
            const box = window.zonesMap.getContainer().getBoundingClientRect();
            return [Math.round(box.left + p.x), Math.round(box.top + p.y)];
        }""",
        list(point),
    )
    return int(x), int(y)


def _map_colour(page: Page, frame: Frame, point: tuple[float, float]) -> np.ndarray:
    """Return the median RGB of a 9 x 9 pixel patch of the map around ``point``, as the reader sees it."""
    x, y = _map_xy(frame, point)
    shot = Image.open(io.BytesIO(page.locator(browser.MAP_IFRAME).screenshot())).convert("RGB")
    patch = np.asarray(shot)[y - 4 : y + 5, x - 4 : x + 5].reshape(-1, 3).astype(float)
    return np.median(patch, axis=0)


def _tint(colour: np.ndarray, side: str) -> tuple[float, float]:
    """Return how far ``colour`` lies from bare land, and the cosine of its direction with ``side``'s colour's."""
    land, side_colour = (
        np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)], float) for c in (LAND_COLOUR, SIDE_COLOURS[side])
    )
    away, towards = colour - land, side_colour - land
    size = float(np.linalg.norm(away))
    return size, float(away @ towards) / (size * float(np.linalg.norm(towards)) or 1.0)


def test_the_affected_countries_are_shaded_at_rest_during_a_step_and_after(
    server: browser.Server, tab: browser.Tab
) -> None:
    """The shading by share is drawn inside the zone, and only there, in each state of the live map.

    Read from the map's pixels: a rule that hid the zone's path also emptied the clip path made of it,
    and the live view drew no shading at all.
    """
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    frame.wait_for_selector(".leaflet-container.zones-rest", state="attached", timeout=120_000)
    page.locator(browser.MAP_IFRAME).scroll_into_view_if_needed()
    page.evaluate(browser.PAINTED_JS)  # the scroll is drawn
    seen = {"rest": (_map_colour(page, frame, INSIDE_NATO), _map_colour(page, frame, INSIDE_RUSSIA))}
    outside = [_map_colour(page, frame, OUTSIDE_NATO)]
    box = page.locator(browser.MAP_IFRAME).bounding_box()
    assert box is not None
    x, y = _map_xy(frame, INSIDE_RUSSIA)
    page.mouse.move(box["x"] + x, box["y"] + y)  # at rest the server's shapes, though transparent, keep their tooltips
    tooltip = frame.wait_for_selector(".leaflet-tooltip", state="visible", timeout=5_000)
    assert tooltip is not None
    assert "Land in the zone" in (tooltip.text_content() or "")  # a region's or a country's
    page.mouse.move(0, 0)
    page.locator("#zones-width-input").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    frame.wait_for_selector('.leaflet-container.zones-live[data-live-width-km="320"]', state="attached")
    frame.evaluate(browser.PAINTED_JS)  # the step is drawn
    seen["step"] = (_map_colour(page, frame, INSIDE_NATO), _map_colour(page, frame, INSIDE_RUSSIA))
    outside.append(_map_colour(page, frame, OUTSIDE_NATO))
    frame.wait_for_selector('.leaflet-container:not(.zones-live)[data-server-width-km="320"]', state="attached")
    browser.wait_idle(page)
    seen["after"] = (_map_colour(page, frame, INSIDE_NATO), _map_colour(page, frame, INSIDE_RUSSIA))
    outside.append(_map_colour(page, frame, OUTSIDE_NATO))
    for state, (nato, russia) in seen.items():
        for side, colour in (("nato", nato), ("russia", russia)):
            away, cosine = _tint(colour, side)
            assert away > 60, (state, side, colour.tolist())  # shaded
            assert cosine > 0.9, (state, side, colour.tolist())  # in the side's colour
    for colour in outside:
        assert _tint(colour, "nato")[0] < 15, colour.tolist()  # bare land: no shading beyond the zone
    assert offline.blocked == []


def test_geojson_download_matches_the_cli(server: browser.Server, tab: browser.Tab, tmp_path: Path) -> None:
    tab.open(server.url + "?width_km=200&date=2021-12-17&allies=union-state", width=1280, height=900)
    offline = tab.offline
    download = _download(tab, "Affected countries (GeoJSON)")  # the page is the next test's
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    frame = gpd.read_file(path)
    assert frame.crs.to_epsg() == 4326
    assert {"adm0_a3", "name", "side", "area_km2", "share", "width_km", "date"} <= set(frame.columns)
    assert "POL" in set(frame["adm0_a3"])
    assert (frame["width_km"] == 200).all()
    cli = tmp_path / "cli.geojson"
    subprocess.run(
        [sys.executable, "-m", "zones", "affected", "--width-km", "200", "--date", "2021-12-17", "--out", str(cli)],
        cwd=browser.REPO,
        check=True,
        capture_output=True,
    )
    assert path.read_bytes() == cli.read_bytes()
    assert offline.blocked == []


def test_html_download_opens_offline_with_a_working_slider(
    server: browser.Server, tab: browser.Tab, tmp_path: Path
) -> None:
    """The "Interactive map (HTML)" download opens from file:// offline, and its slider works."""
    offline = tab.offline
    tab.open(server.url + "?width_km=200&date=2021-12-17&allies=union-state", width=1280, height=900)
    download = _download(tab, "Interactive map (HTML, one file, works offline)", timeout_ms=120_000)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".html"
    published = tab.context.new_page()
    published.goto(path.as_uri(), wait_until="load")
    published.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
    assert published.get_attribute("body", "data-width-km") == "200"
    before = published.get_attribute("#total-km2", "data-km2")
    published.eval_on_selector(
        "#width", "(input) => { input.value = '400'; input.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    published.wait_for_selector("body[data-width-km='400']", state="attached")
    assert published.get_attribute("#total-km2", "data-km2") != before
    published.close()
    assert offline.blocked == []


def test_the_map_prepares_its_ladder_before_the_first_step(server: browser.Server, tab: browser.Tab) -> None:
    """Once drawn, the map fetches the slider's ladder file and builds its hidden view: a first step fetches nothing."""
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=200&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    ready = frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=120_000)
    assert ready is not None
    url = ready.get_attribute("data-live-ready") or ""
    assert page.evaluate(LADDER_FETCHES_JS) == [url]  # the slider's file
    fetched = frame.evaluate(LADDER_FETCHES_JS)
    assert fetched in ([], [url])  # the map took it from the slider, or read it itself before the slider had it
    assert _live_draws(frame) == 0
    assert frame.locator(".leaflet-container.zones-live").count() == 0  # hidden until a step is shown
    assert frame.locator("path.live-strip").count() >= 1
    page.locator("#zones-width-input").focus()
    page.keyboard.press("ArrowRight")
    frame.wait_for_selector('.leaflet-container.zones-live[data-live-width-km="210"]', state="attached")
    assert frame.evaluate(LADDER_FETCHES_JS) == fetched  # the step fetched nothing
    assert offline.blocked == []


def _progress(route: Route) -> bool:
    """Return whether ``route`` is the live slider's question on a ladder's progress (``….progress.json``)."""
    return urlsplit(route.request.url).path.endswith(".progress.json")


#: The live slider's note while its ladder is written (zones.web.app_text.ladder_progress), with the widths done.
LADDER_PROGRESS = re.compile(
    r"Live preview while dragging: preparing, (\d+) of 101 widths; until then the map follows on release\."
)


def test_the_slider_says_how_far_its_ladder_has_got_until_it_is_live(server: browser.Server, tab: browser.Tab) -> None:
    """A line new to the server: under the slider, the widths of its ladder written so far; gone once live."""
    page, offline = tab.page, tab.offline
    tab.unchanged = None  # loaded here, not by tab.open: its run ends only with the claims, which wait on the ladder
    held: list[Route] = []  # Streamlit's component code, held: the map's place is what shows until it arrives
    tab.route("**/static/js/ComponentInstance*", lambda route: held.append(route))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + "?width_km=200&date=2001-06-01&allies=csto", wait_until="domcontentloaded")
    place = page.wait_for_function(
        """() => { const slot = document.querySelector('.st-key-map_slot');  // once the page's CSS is in
            const css = [...document.querySelectorAll('style')].some((e) => e.textContent.includes('.st-key-map_slot'));
            return css && slot && slot.querySelector('[data-testid="stSkeleton"]') && {
                height: slot.getBoundingClientRect().height, says: getComputedStyle(slot, '::before').content}; }""",
        timeout=120_000,
    ).json_value()
    assert place == {"height": 900 - 300, "says": '"Loading the map…"'}  # app_layout.MAP_HEIGHT_CSS at 900 px
    for route in held:
        route.continue_()
    page.unroute("**/static/js/ComponentInstance*")
    page.wait_for_selector(".zw .note[data-progress]", timeout=300_000)
    # The claims panel waits on the same ladder, with a bar; the sidebar's settings are drawn meanwhile (one after
    # the other: the wait ends once both are there, or once the bar has gone).
    page.wait_for_selector('.st-key-claims [data-testid="stProgress"]', timeout=60_000)
    waiting = page.wait_for_function(
        """() => { const state = {
            bar: !!document.querySelector('.st-key-claims [data-testid="stProgress"]'),
            date: !!document.querySelector('[data-testid="stSidebar"] [data-testid="stDateInput"]'),
            sides: document.querySelector('[data-testid="stSidebar"]').innerText.includes("Russia with the CSTO"),
          };
          return (!state.bar || (state.date && state.sides)) && state; }""",
        timeout=60_000,
    ).json_value()
    assert waiting == {"bar": True, "date": True, "sides": True}
    note, live = page.locator(".zw .note"), page.locator(browser.LIVE_SLIDER_READY)
    counts: list[int] = []
    for _ in range(1500):  # until the ladder is read (at most 5 min): the note follows the server's job
        if live.count():
            break
        said = note.inner_text()
        if said:
            words = LADDER_PROGRESS.fullmatch(said)
            assert words is not None, said
            counts.append(int(words.group(1)))
        page.wait_for_timeout(200)
    else:
        pytest.fail(f"the live slider was not ready within 5 min; the note counted {counts}")
    assert counts == sorted(counts)
    assert len(set(counts)) >= 2  # it counted on
    assert counts[-1] <= 101
    assert note.inner_text() == ""  # the live map is ready: the note is gone
    assert page.locator(".zw .note[data-progress]").count() == 0
    asked = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.progress.json')).length"
    )
    assert asked >= 2
    assert offline.blocked == []


def test_a_ladder_of_another_schema_leaves_the_plain_slider_with_a_note(
    server: browser.Server, tab: browser.Tab
) -> None:
    """ladder.js reads one schema: a ladder file of another is refused in words, and no step is drawn live."""
    page, offline = tab.page, tab.offline

    def older(route: Route) -> None:
        if route.request.method != "GET" or _progress(route):  # the presets' note's probes, the slider's questions
            route.fallback()
            return
        response = route.fetch(timeout=300_000)  # the server answers once the file is written
        doc = response.json()
        doc["ladder"]["schema"] = SCHEMA_VERSION - 1
        route.fulfill(response=response, body=json.dumps(doc))

    tab.route("**/app/files/ladder/**", older)
    frame = tab.open(server.url + "?width_km=200&date=2021-12-17&allies=union-state", width=1280, height=900)
    note = page.wait_for_selector(".zw .note:has-text('this page reads schema')", timeout=300_000)
    assert note is not None
    assert f"its data has schema {SCHEMA_VERSION - 1} and this page reads schema {SCHEMA_VERSION}" in note.inner_text()
    assert page.inner_text(".zw .live") == ""  # no live numbers
    page.locator("#zones-width-input").focus()
    page.keyboard.press("ArrowRight")
    frame.wait_for_selector(".leaflet-container[data-server-width-km='210']", state="attached", timeout=60_000)
    assert frame.locator(".leaflet-container[data-live-ready]").count() == 0  # the map refused it too
    assert _live_draws(frame) == 0  # the map followed on release, as the plain slider
    assert offline.blocked == []


@pytest.mark.parametrize("later", [False, True], ids=["slider-reads-first", "slider-reads-after-the-map"])
def test_the_map_prepares_the_ladder_the_slider_read_without_reading_it_again(
    server: browser.Server, tab: browser.Tab, later: bool
) -> None:
    """With every ladder request from the map's frame failing, the map still prepares the slider's ladder.

    The slider hands over the file it has read, whether it read it before the map was drawn or after
    (as a file written after the first paint is): no step waits for it.
    """
    page, offline = tab.page, tab.offline
    refused: list[str] = []
    held: list[Route] = []  # with ``later``, the slider's request is held until the map is drawn

    def refuse(route: Route) -> None:
        if _progress(route):  # the slider's questions on the ladder's progress, not reads of it
            route.fallback()
        elif route.request.frame.parent_frame is not None:  # the map's frame
            refused.append(route.request.url)
            route.abort("failed")
        elif later and not held:
            held.append(route)  # as the server holds the request for a file not yet written
        else:
            route.fallback()  # the page's own (the slider's) request

    tab.route("**/app/files/ladder/**", refuse)
    frame = tab.open(server.url + "?width_km=200&date=2021-12-17&allies=union-state", width=1280, height=900)
    frame.wait_for_selector(".leaflet-container[data-server-width-km]", state="attached")
    for route in held:
        route.fallback()  # the file is written: the server answers the held request
    _live_ready(page)
    ready = frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=60_000)
    assert ready is not None
    assert set(page.evaluate(LADDER_FETCHES_JS)) == {ready.get_attribute("data-live-ready")}  # the slider's file
    assert _live_draws(frame) == 0  # prepared before any step
    before_step = list(refused)  # with ``later``, the map may have tried the file itself before the slider had it
    assert later or before_step == []  # otherwise it never asks for it
    page.locator("#zones-width-input").focus()
    page.keyboard.press("ArrowRight")
    frame.wait_for_selector('.leaflet-container.zones-live[data-live-width-km="210"]', state="attached")
    assert refused == before_step  # the step asked for nothing
    assert offline.blocked == []


#: Move the live slider one step by its ``input`` event and count the map's live draws in the same task
#: (microtasks included): a step handed to the map by a call is drawn there, one posted on the channel is
#: not (a message is a task of its own).
STEP_IN_ONE_TASK_JS = f"""async (input) => {{
    const map = document.querySelector('{browser.MAP_IFRAME}').contentDocument.querySelector('.leaflet-container');
    const draws = () => Number(map.getAttribute('data-live-draws') || 0);
    const before = draws();
    input.value = String(Number(input.value) + 10);
    input.dispatchEvent(new Event("input", {{bubbles: true}}));
    for (let i = 0; i < 50; i += 1) {{ await null; }}  // microtasks only: no task can run in between
    return draws() - before;
}}"""


def test_a_live_step_reaches_the_map_by_a_call_and_by_the_channel_if_it_must(
    server: browser.Server, tab: browser.Tab
) -> None:
    """The slider calls the map's frame, so a step is drawn in the task that moved the thumb.

    With the map's entry point gone (as for a frame it cannot reach), the step still arrives, on the channel.
    """
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=200&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=120_000)
    slider = page.locator("#zones-width-input")
    assert slider.evaluate(STEP_IN_ONE_TASK_JS) == 1
    frame.wait_for_selector('.leaflet-container.zones-live[data-live-width-km="210"]', state="attached")
    frame.evaluate("() => { window.ZonesLive.width = undefined; }")
    assert slider.evaluate(STEP_IN_ONE_TASK_JS) == 0  # not in the same task: by the channel
    frame.wait_for_selector('.leaflet-container.zones-live[data-live-width-km="220"]', state="attached")
    assert offline.blocked == []


#: The colours of the headline numbers.
METRIC_COLOURS_JS = (
    "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map((e) => getComputedStyle(e).color)"
)


def test_arrow_keys_tapped_in_a_row_ask_the_server_once(server: browser.Server, tab: browser.Tab) -> None:
    """Each tap is drawn live; the server is asked once, after the keys rest, for the last width.

    Until then the headline numbers, which are the server's, are grey like stale ones.
    """
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=120_000)
    page.locator("#zones-width-input").focus()
    page.evaluate(browser.COUNT_SENT_JS)
    for width_km in (310, 320, 330, 340):
        page.keyboard.press("ArrowRight")
        frame.wait_for_selector(f'.leaflet-container.zones-live[data-live-width-km="{width_km}"]', state="attached")
        page.wait_for_timeout(420)  # a reader looking at each step: longer than a release's 0.3 s, well under 1 s
    assert page.evaluate("() => window.__sent") == 0
    assert "width_km=300" in page.url
    assert page.evaluate(METRIC_COLOURS_JS) == [STALE_GREY] * 4  # the server's numbers, for 300 km, look stale
    assert page.locator(".st-key-headline[data-zones-ahead]").count() == 1  # marked there, not on the whole page
    assert page.locator("body[data-zones-ahead]").count() == 0
    frame.wait_for_selector('.leaflet-container[data-server-width-km="340"]', state="attached")
    browser.wait_idle(page)
    page.wait_for_timeout(1500)  # longer than the rest: no commit is still to come
    assert page.evaluate("() => window.__sent") == 1
    assert "width_km=340" in page.url
    assert STALE_GREY not in page.evaluate(METRIC_COLOURS_JS)  # caught up: the numbers are the slider's width's
    assert frame.locator(".leaflet-container:not(.zones-live)").count() == 1  # the server's layers took over
    assert offline.blocked == []


#: One key step on the live slider, its events dispatched in one task (keydown, input, keyup), with a frame
#: after it that takes 1.5 s to draw, as on a slow device; notes when that frame ends (page clock, ms).
SLOW_KEY_STEP_JS = """(input) => {
    window.addEventListener("input", () => requestAnimationFrame(() => {  // after the slider's own frame callback
        const end = performance.now() + 1500;
        while (performance.now() < end) { /* the frame that shows the step takes 1.5 s */ }
        window.__busyEnd = performance.now();
    }), {once: true});
    const key = {key: "ArrowRight", bubbles: true, composed: true};
    input.dispatchEvent(new KeyboardEvent("keydown", key));
    input.value = String(Number(input.value) + 10);
    input.dispatchEvent(new Event("input", {bubbles: true, composed: true}));
    input.dispatchEvent(new KeyboardEvent("keyup", key));
}"""


def test_the_keys_rest_counts_from_the_frame_that_shows_the_step(server: browser.Server, tab: browser.Tab) -> None:
    """On a device that paints a step late, the second of rest before the rerun starts once the step is shown."""
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    frame.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=120_000)
    page.evaluate(browser.COUNT_SENT_JS)  # notes when each message to the server leaves
    page.locator("#zones-width-input").evaluate(SLOW_KEY_STEP_JS)
    frame.wait_for_selector('.leaflet-container[data-server-width-km="310"]', state="attached", timeout=60_000)
    sent_at, busy_end = page.evaluate("() => [window.__sentAt, window.__busyEnd]")
    assert len(sent_at) == 1  # one rerun
    # The whole second of rest after the slow frame, not the rest of a second counted from the key (1.5 s before,
    # which would send as the frame ends): a timer never fires early, and performance.now() counts whole ms here
    # at worst, so the only slack is that clock's step.
    assert sent_at[0] - busy_end >= 1000 - 1
    assert offline.blocked == []


def _wait_map_contains(frame: Frame, bounds: list[float]) -> None:
    """Wait until the map's view holds ``[west, south, east, north]`` (a timeout fails the test)."""
    frame.wait_for_function(
        "([w, s, e, n]) => window.zonesMap.getBounds().contains(L.latLngBounds([[s, w], [n, e]]))",
        arg=bounds,
        timeout=30_000,
    )


@pytest.mark.parametrize(("width_px", "height_px"), [(1280, 900), (390, 844)])
@pytest.mark.parametrize("query", ["width_km=500&date=2024-06-01&allies=csto", "width_km=300&date=2024-06-01"])
def test_first_view_shows_the_whole_zone(
    server: browser.Server, tab: browser.Tab, width_px: int, height_px: int, query: str
) -> None:
    from zones import Scenario, analyse

    params = dict(part.split("=") for part in query.split("&"))
    scenario = Scenario(
        width_km=float(params["width_km"]), date=params["date"], allies=params.get("allies", "union-state")
    )
    strip = analyse(scenario, regions=False).strip
    frame = tab.open(server.url + "?" + query, width=width_px, height=height_px, reads_only=True)
    offline = tab.offline
    frame.wait_for_selector(".leaflet-container[data-fitted]", state="attached", timeout=60_000)
    _wait_map_contains(frame, [float(v) for v in strip.total_bounds])  # once the fit's animation has ended
    if params.get("allies") == "csto":  # the Armenia–Turkey part, far south of the rest
        armenia = strip.cx[43:47, 38:42]
        assert len(armenia)
        _wait_map_contains(frame, [43.0, 38.5, 46.0, 41.5])
    assert offline.blocked == []


def test_screenshot(server: browser.Server, tab: browser.Tab, tmp_path: Path) -> None:
    """The README's screenshot can be made (``python -m tools.screenshot`` refreshes the tracked one).

    Its page, only read, is the next test's (the same link and size).
    """
    shot = tmp_path / "app.png"
    width, height = browser.SCREENSHOT_SIZE
    frame = tab.open(server.url + browser.SCREENSHOT_QUERY, width=width, height=height, reads_only=True)
    browser.save_screenshot(tab.page, frame, shot)
    assert tab.offline.blocked == []
    assert shot.stat().st_size > 50_000


def _download(tab: browser.Tab, label: str, *, timeout_ms: float = 30_000) -> Download:
    """Click the download button ``label`` in the Downloads popover; return the download.

    The popover is closed again, and the page is left as loaded (a download runs no script): the next test of
    the same link and size may read it (:meth:`tests.browser.Tab.as_loaded`).
    """
    tab.page.get_by_role("button", name="Downloads").click()
    with tab.page.expect_download(timeout=timeout_ms) as info:
        tab.page.get_by_role("button", name=label).click()
    tab.page.keyboard.press("Escape")
    tab.as_loaded()
    return info.value


def test_per_side_file_names_carry_both_widths(server: browser.Server, tab: browser.Tab) -> None:
    """The first page is the screenshot's; the per-side one is the next test's (downloads run no script)."""
    names, blocked = {}, []
    for link in ("width_km=300", "russia_width_km=300&nato_width_km=100"):
        tab.open(server.url + f"?{link}&date=2021-12-17&allies=union-state", width=1280, height=900)
        names[link] = _download(tab, "Zone (GeoJSON)").suggested_filename  # the next test's page, if its link
        blocked += tab.offline.blocked
    assert names == {
        "width_km=300": "article7-300km-2021-12-17-union-state-zone.geojson",
        "russia_width_km=300&nato_width_km=100": "article7-russia300km-nato100km-2021-12-17-union-state-zone.geojson",
    }
    assert blocked == []


def test_no_text_states_the_old_width_in_full_colour_with_a_width_per_side(
    server: browser.Server, tab: browser.Tab
) -> None:
    """Per side (Streamlit's sliders, which rerun on release): the same greying while a thumb is held away.

    Its page is the file names test's (the same link and size, only downloaded from).
    """
    page, offline = tab.page, tab.offline
    tab.open(
        server.url + "?russia_width_km=300&nato_width_km=100&date=2021-12-17&allies=union-state", width=1280, height=900
    )
    assert "300 km on Russia's side and 100 km on NATO's side" in page.inner_text("body")
    assert STALE_GREY not in page.evaluate(METRIC_COLOURS_JS)
    russia = page.locator('.st-key-russia_width_km [data-testid="stSlider"]')
    thumb = russia.locator('[data-testid="stSliderThumbValue"]').locator("xpath=..")
    box = thumb.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 80, y, steps=6)
    russia.locator('input[type="range"]').evaluate(
        "(input) => new Promise((resolve, reject) => { if (input.value !== '300') { resolve(true); return; }"
        " input.addEventListener('input', () => resolve(true), {once: true});"
        " setTimeout(() => reject(new Error('the drag moved no thumb in 30 s')), 30000); })"
    )  # the drag has moved the thumb (its input event); a failure, not a hang, if it has not
    moved_km = russia.locator('input[type="range"]').evaluate("(input) => input.value")
    assert moved_km not in {None, "300"}
    _old_width_is_grey(page, "300")
    _release_until_said(page, f"{int(moved_km or 0):,} km on Russia")
    assert "russia_width_km=" + str(moved_km) in page.url
    assert offline.blocked == []


def test_click_opens_a_popup_with_the_distance(server: browser.Server, tab: browser.Tab) -> None:
    page, offline = tab.page, tab.offline
    frame = tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=1280, height=900)
    frame.wait_for_selector(".leaflet-container[data-fitted]", state="attached", timeout=60_000)
    page.locator(browser.MAP_IFRAME).scroll_into_view_if_needed()
    legend_open = "() => document.querySelector('details.zone-legend').open"
    assert frame.evaluate(legend_open) is False  # folded on opening, even on a laptop: it covered the zone
    frame.locator(".zone-legend summary").click()
    assert frame.evaluate(legend_open) is True
    box = page.locator(browser.MAP_IFRAME).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = frame.wait_for_selector(".leaflet-popup-content", timeout=60_000)
    assert frame.evaluate(legend_open) is False  # the popup is never under the legend
    text = popup.text_content() or ""
    assert "km from the border between the sides (geodesic)" in text
    assert ("inside the zone" in text) or ("outside the zone" in text)
    assert ("width" in text) or ("zone reaches" in text)  # which side's width applies, in words
    assert frame.locator("path.zone-click").count() == 1
    assert offline.blocked == []


#: ``[map's visible height, slider's top, slider's bottom, screen height]`` in CSS px: how much of the map is on
#: screen and not under the pinned slider, and where the width slider is (the live one is in a component's
#: shadow root; else Streamlit's).
MAP_IN_VIEW_JS = f"""() => {{
    const host = [...document.querySelectorAll("*")].find((e) => e.shadowRoot && e.shadowRoot.querySelector(".zw"));
    const slider = host ? host.shadowRoot.querySelector("#zones-width-input")
        : document.querySelector('.st-key-widths [data-testid="stSlider"]');
    const map = document.querySelector('{browser.MAP_IFRAME}').getBoundingClientRect();
    const s = slider.getBoundingClientRect();
    const over = document.querySelector(".st-key-widths").getBoundingClientRect().bottom;  // pinned over the map
    return [Math.min(map.bottom, innerHeight) - Math.max(map.top, over, 0), s.top, s.bottom, innerHeight];
}}"""


def _map_and_slider_in_view(page: Page, min_map_px: float) -> tuple[float, float]:
    """Assert that the slider is on screen with at least ``min_map_px`` of map; return the map's visible px and top."""
    visible, top, bottom, height = page.evaluate(MAP_IN_VIEW_JS)
    assert 0 <= top < bottom <= height, (top, bottom, height)
    assert visible >= min_map_px, (visible, min_map_px)
    return visible, top


@pytest.mark.parametrize(("width_px", "height_px", "share"), [(1280, 900, 1 / 2), (390, 844, 1 / 3)])
def test_the_map_fills_the_screen_beside_the_slider(
    server: browser.Server, tab: browser.Tab, width_px: int, height_px: int, share: float
) -> None:
    """Map first: on opening the slider and half a laptop's screen (a third of a phone's) of map are in view;
    scrolled on, the slider stays pinned over the map, and a drag keeps both in view."""
    page, offline = tab.page, tab.offline
    tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=width_px, height=height_px)
    _live_ready(page)
    _map_and_slider_in_view(page, share * height_px)
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, 250)")
    page.evaluate(browser.PAINTED_JS)  # the scroll is drawn
    # pinned: still in view, over the map, with a third of the screen of map below it
    _, pinned_top = _map_and_slider_in_view(page, height_px / 3)
    browser.hold_live_thumb(page, 0.3, 0.5)
    _, dragged_top = _map_and_slider_in_view(page, height_px / 3)
    assert dragged_top == pytest.approx(pinned_top, abs=1)  # the drag does not move the page
    page.mouse.up()
    assert offline.blocked == []


#: ``[text, colour]`` of every visible piece of text on the page (not in a slider) that states ``km``:
#: e.g. "300 km". The live slider's own text is in a shadow root, which the walk does not enter.
WIDTH_TEXTS_JS = """(km) => {
    const said = new RegExp(`(^|[^\\\\d.,])${km} km`);
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
        const node = walk.currentNode, parent = node.parentElement;
        if (!parent || !said.test(node.textContent) || !parent.checkVisibility()) { continue; }
        if (parent.closest('[data-testid="stSlider"]')) { continue; }  // a slider's thumb says its own width
        out.push([node.textContent.trim().slice(0, 60), getComputedStyle(parent).color]);
    }
    return out;
}"""


def _old_width_is_grey(page: Page, old: str) -> None:
    """Assert that every text stating the old width (``old``, e.g. ``"300"``) and every card is grey."""
    texts = page.evaluate(WIDTH_TEXTS_JS, old)
    assert any("on" in text for text, _ in texts), texts  # the headline sentence states it
    assert [text for text, colour in texts if colour != STALE_GREY] == []
    assert page.evaluate(METRIC_COLOURS_JS) == [STALE_GREY] * 4


def _release_until_said(page: Page, words: str) -> None:
    """Release the mouse; wait until the page says ``words`` and the run is over; assert no card is grey."""
    page.mouse.up()
    page.wait_for_function("(words) => document.body.innerText.includes(words)", arg=words)
    browser.wait_idle(page)
    assert STALE_GREY not in page.evaluate(METRIC_COLOURS_JS)


def test_no_text_states_the_old_width_in_full_colour_during_a_drag(server: browser.Server, tab: browser.Tab) -> None:
    """The headline sentence, the cards, the claims' note and the chart's note are grey while the thumb is
    away from the width they state; back in full colour once the server has drawn the new one."""
    page, offline = tab.page, tab.offline
    tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    page.get_by_text("Show how the shares grow with the width", exact=False).click()  # its note states the width
    page.wait_for_function("() => document.body.innerText.includes('marks the current width (300 km)')")
    browser.wait_idle(page)
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")  # back to the map
    assert STALE_GREY not in page.evaluate(METRIC_COLOURS_JS)
    assert len(page.evaluate(WIDTH_TEXTS_JS, "300")) >= 3  # headline, claims' note, chart's note
    browser.hold_live_thumb(page, 0.3, 0.55, steps=6)
    live_km = page.get_attribute(".zw .live", "data-width-km")
    assert live_km not in {None, "300"}
    _old_width_is_grey(page, "300")
    _release_until_said(page, f"{int(live_km or 0):,} km on each side")
    assert [text for text, colour in page.evaluate(WIDTH_TEXTS_JS, live_km) if colour == STALE_GREY] == []
    assert offline.blocked == []


#: Resolve when the presets' note writes its count again (every round writes it, changed or not: a new text node).
NEXT_COUNT_JS = """(ms) => new Promise((resolve, reject) => {
    const span = document.querySelector(".zones-presets span");
    new MutationObserver((_, observer) => { observer.disconnect(); resolve(true); })
        .observe(span, {childList: true, characterData: true, subtree: true});
    setTimeout(() => reject(new Error(`the note was not written again within ${ms} ms`)), ms);
})"""


def test_the_presets_note_counts_on_as_the_files_arrive(server: browser.Server, tab: browser.Tab) -> None:
    """The sidebar's note on the presets' live maps follows the files on the server, not the run that drew it."""
    page, offline = tab.page, tab.offline
    tab.open(server.url + "?width_km=300&date=2021-12-17&allies=union-state", width=1280, height=900)
    _live_ready(page)
    written = page.evaluate(LADDER_FETCHES_JS)[0]  # a ladder file the server has: the one the slider read
    urls = [urlsplit(written).path.lstrip("/"), "app/files/ladder/not-written-yet.json"]
    page.evaluate(
        """(urls) => {
            const note = document.createElement("p");
            note.className = "zones-presets";
            note.setAttribute("data-urls", JSON.stringify(urls));
            note.innerHTML = "Preparing the live map for the presets' border lines: <span>0</span> of 2 ready.";
            document.querySelectorAll(".zones-presets").forEach((old) => old.remove());  // the app's own, if any
            document.querySelector('[data-testid="stSidebar"]').appendChild(note);
        }""",
        urls,
    )
    page.wait_for_function("() => document.querySelector('.zones-presets span').textContent === '1'", timeout=10_000)
    page.wait_for_function(  # the missing one's probe has been answered (at once: no file of that name can come)
        "() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('not-written-yet.json?ready'))"
    )
    assert page.inner_text(".zones-presets") == "Preparing the live map for the presets' border lines: 1 of 2 ready."
    assert offline.blocked == []
