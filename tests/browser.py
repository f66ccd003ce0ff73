"""Shared helpers for the browser tests and the latency benchmark.

Start ``streamlit run`` on a free loopback port as a subprocess, wait for
``/_stcore/health``, launch Debian's Chromium through Playwright (never
``playwright install``), refuse and log every request that would leave loopback, and
read the Leaflet map inside the ``st_folium`` iframe.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    Playwright,
    Request,
    Route,
    ViewportSize,
    WebSocketRoute,
    sync_playwright,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from zones.web.jobs import PRESETS_SWITCH

REPO: Final = Path(__file__).resolve().parents[1]
CHROMIUM: Final = Path("/usr/bin/chromium")
#: A loopback port nothing listens on (the "discard" port): the proxy of every request that would leave loopback.
DEAD_PROXY: Final = "http://127.0.0.1:9"
#: Flags from /work/shared/NOTES.md: headless, no background traffic; and no internet: every request that would
#: leave loopback goes to :data:`DEAD_PROXY` and fails at once (Chromium never sends loopback through a proxy).
#: Refused there, not by a Playwright route: a route turns the browser's cache off, and every page load then
#: fetched and compiled Streamlit's scripts again (6 loads of the app: 16-18 against 10-14 CPU-s of Chromium).
CHROMIUM_ARGS: Final = (
    f"--proxy-server={DEAD_PROXY}",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOOPBACK_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
#: The one-file page's countries' table: its width with what would scroll sideways in its box, and the box's
#: inner width, in CSS px (the table fits when the first is at most the second).
TABLE_FITS_JS: Final = "() => { const b = document.querySelector('.table'); return [b.scrollWidth, b.clientWidth]; }"
MAP_IFRAME: Final = 'iframe[title="streamlit_folium.st_folium"]'
STRIP_PATHS_JS: Final = (
    "() => [...document.querySelectorAll('path.zone-strip')].map(p => p.getAttribute('d')).join('|')"
)
#: Arm a MutationObserver in the map's frame: ``window.__stripChange`` resolves once the zone's
#: paths differ from what they are now. Waiting on it costs the browser nothing, unlike polling
#: on every animation frame (which keeps each page drawing frames while it waits).
ARM_STRIP_CHANGE_JS: Final = f"""() => {{
    const read = {STRIP_PATHS_JS};
    const before = read();
    window.__stripChange = new Promise((resolve) => {{
        const observer = new MutationObserver(() => {{
            const now = read();
            if (now !== "" && now !== before) {{ observer.disconnect(); resolve(true); }}
        }});
        observer.observe(document.body, {{subtree: true, childList: true, attributes: true, attributeFilter: ["d"]}});
    }});
}}"""
#: Resolve when the armed change happens; reject after ``ms`` milliseconds.
STRIP_CHANGED_JS: Final = """(ms) => Promise.race([
    window.__stripChange,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`zone unchanged after ${ms} ms`)), ms)),
])"""
#: Resolve once Streamlit reports the current run finished (a MutationObserver, no polling).
IDLE_JS: Final = """() => new Promise((resolve) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const done = () => app.getAttribute("data-test-script-state") === "notRunning";
    if (done()) { resolve(true); return; }
    const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(true); } });
    observer.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
})"""
VIEW_JS: Final = "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"


#: The live slider has its ladder: its steps are drawn in the browser.
LIVE_SLIDER_READY: Final = ".zw .live[data-width-km]"
#: In the map's frame: the map has fetched the ladder and built its hidden view.
LIVE_MAP_READY: Final = ".leaflet-container[data-live-ready]"
#: Count the messages the page sends on its websocket from now on (``window.__sent``; each rerun asks with
#: one), and note when each leaves (``window.__sentAt``, page clock in ms).
COUNT_SENT_JS: Final = """() => {
    window.__sent = 0;
    window.__sentAt = [];
    if (!window.__sendWrapped) {
        window.__sendWrapped = true;
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            window.__sent += 1;
            window.__sentAt.push(performance.now());
            return send.call(this, data);
        };
    }
}"""
#: Of the Leaflet map ``window[name]``, at every zoom from 2 to 9 in quarter steps: ``[number of scale bars,
#: [zoom, label, label's width, bar's width] of each bar whose label runs past its end]`` (Leaflet rounds a
#: bar down to 1, 2, 3 or 5 × 10^k, so its length moves with the zoom between half and all of its longest);
#: the view is put back.
SCALE_OVERFLOW_JS: Final = """(name) => {
  const map = window[name], view = [map.getCenter(), map.getZoom()], out = [];
  for (let zoom = 2; zoom <= 9; zoom += 0.25) {
    map.setView(view[0], zoom, { animate: false });
    for (const bar of document.querySelectorAll('.leaflet-control-scale-line')) {
      if (bar.scrollWidth > bar.clientWidth) out.push([zoom, bar.textContent, bar.scrollWidth, bar.clientWidth]);
    }
  }
  map.setView(view[0], view[1], { animate: false });
  return [document.querySelectorAll('.leaflet-control-scale-line').length, out];
}"""


def chromium_available() -> bool:
    """Return whether Debian's Chromium is installed at ``/usr/bin/chromium``."""
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``streamlit run`` subprocess."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    base_url_path: str = ""

    @property
    def url(self) -> str:
        """Return the app's URL on loopback, under its ``server.baseUrlPath``."""
        base = self.base_url_path.strip("/")
        return f"http://127.0.0.1:{self.port}/{base + '/' if base else ''}"


@contextlib.contextmanager
def streamlit_server(
    script: Path,
    *,
    cwd: Path | None = None,
    timeout_s: float = 90.0,
    base_url_path: str = "",
    preset_ladders: bool = True,
) -> Iterator[Server]:
    """Run ``streamlit run script`` on a free loopback port until the block ends.

    Parameters
    ----------
    script : pathlib.Path
        The Streamlit script.
    cwd : pathlib.Path, optional
        Working folder (where ``.streamlit/config.toml`` is read); the script's folder by default.
    timeout_s : float
        Seconds to wait for ``/_stcore/health``.
    base_url_path : str
        Streamlit's ``server.baseUrlPath`` (the app served under ``/<base_url_path>/``); the root by default.
    preset_ladders : bool
        Whether the server queues the date presets' ladder files behind the first page's, as for a user
        (``False`` sets :data:`zones.web.jobs.PRESETS_SWITCH` to ``0``: no test of that server looks at them).

    Yields
    ------
    Server
    """
    cwd = cwd or script.parent
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"streamlit-{port}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--server.baseUrlPath", base_url_path,
    ]  # fmt: skip
    environ = os.environ | ({} if preset_ladders else {PRESETS_SWITCH: "0"})
    process = subprocess.Popen(command, cwd=cwd, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    serving = threading.Event()
    copier = threading.Thread(target=_copy_output, args=(process, log, serving), daemon=True)
    copier.start()
    server = Server(process, port, log, base_url_path)
    try:
        _wait_healthy(server, serving, timeout_s)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        copier.join(timeout=10)


def _copy_output(process: subprocess.Popen[bytes], log: Path, serving: threading.Event) -> None:
    """Copy the server's output into ``log``; set ``serving`` when it prints its URL, or when it ends."""
    assert process.stdout is not None
    with process.stdout as output, log.open("wb") as out:
        for line in output:
            out.write(line)
            out.flush()
            if line.strip().startswith(b"URL: http"):
                serving.set()
    serving.set()  # the output ended: the process is ending, and the waiter says why


def _wait_healthy(server: Server, serving: threading.Event, timeout_s: float) -> None:
    """Wait until the server says it serves (its ``URL:`` line), then check ``/_stcore/health`` once."""
    if not serving.wait(timeout_s):
        raise TimeoutError(f"streamlit not serving after {timeout_s} s: {server.log.read_text()[-2000:]}")
    if server.process.poll() is not None:
        raise RuntimeError(f"streamlit exited with {server.process.returncode}: {server.log.read_text()[-2000:]}")
    with urllib.request.urlopen(f"{server.url}_stcore/health", timeout=timeout_s) as response:
        assert response.status == 200, response.status


def is_loopback(url: str) -> bool:
    """Return whether ``url`` goes to this machine's loopback interface."""
    host = urlsplit(url).hostname or ""
    return host in LOOPBACK_HOSTS or f"[{host}]" in LOOPBACK_HOSTS


@contextlib.contextmanager
def chromium_or_skip() -> Iterator[Browser]:
    """Yield Debian's Chromium for a test module; skip when it is missing, but fail in CI (``CI=true``)."""
    if not chromium_available():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chrome = launch_chromium(playwright)
        try:
            yield chrome
        finally:
            chrome.close()


def launch_chromium(playwright: Playwright) -> Browser:
    """Return Debian's Chromium, headless, with the flags from NOTES.md."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)


#: Schemes of requests that never reach a network: neither loopback nor blocked.
IN_PAGE_SCHEMES: Final = frozenset({"data", "blob", "about"})


@dataclass
class Offline:
    """The pages' requests: those that tried to leave loopback (refused, :data:`CHROMIUM_ARGS`), and the rest."""

    blocked: list[str] = field(default_factory=list)
    loopback: list[str] = field(default_factory=list)

    def note(self, request: Request) -> None:
        """Log ``request`` as blocked unless it goes to loopback or a local file; leave ``data:`` and the like out."""
        url = request.url
        scheme = urlsplit(url).scheme
        if scheme in IN_PAGE_SCHEMES:
            return
        (self.loopback if is_loopback(url) or scheme == "file" else self.blocked).append(url)


#: Set before the pages' scripts run: asks them for their test hooks (``ZonesLadder.expose``: the map on ``window``).
TEST_HOOKS_JS: Final = "window.ZONES_TEST = true;"


def offline_context(
    browser: Browser, *, width: int = 1440, height: int = 1100, hooks: bool = True
) -> tuple[BrowserContext, Offline]:
    """Return a browser context in which nothing may leave loopback, and its log.

    ``hooks`` asks the pages for their test hooks (:data:`TEST_HOOKS_JS`); without it they put nothing on ``window``.
    """
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    if hooks:
        context.add_init_script(TEST_HOOKS_JS)
    offline = Offline()
    context.on("request", offline.note)  # refused by the browser's dead proxy; a route would turn its cache off
    return context, offline


#: Count the runs Streamlit starts from now on (``window.__zonesRuns``: its script state turning to "running"),
#: and note where the page is scrolled to (``window.__zonesScroll``: the window's and Streamlit's main column's).
COUNT_RUNS_JS: Final = """() => {
    window.__zonesRuns = 0;
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => {
        if (app.getAttribute("data-test-script-state") === "running") { window.__zonesRuns += 1; }
    }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    const main = document.querySelector('[data-testid="stMain"]');
    window.__zonesScroll = [scrollX, scrollY, main.scrollLeft, main.scrollTop];
}"""
#: Scroll the page back to where it was loaded (:data:`COUNT_RUNS_JS`), and take the focus off whatever has it.
SCROLL_BACK_JS: Final = """() => {
    const [x, y, left, top] = window.__zonesScroll;
    scrollTo(x, y);
    document.querySelector('[data-testid="stMain"]').scrollTo(left, top);
    if (document.activeElement) { document.activeElement.blur(); }
}"""
#: Whether the document is still as loaded: no run since (:data:`COUNT_RUNS_JS`), no popover open, the same scroll.
AS_LOADED_JS: Final = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return window.__zonesRuns === 0 && document.querySelector('[data-testid="stPopoverBody"]') === null
        && JSON.stringify(window.__zonesScroll) === JSON.stringify([scrollX, scrollY, main.scrollLeft, main.scrollTop]);
}"""


@dataclass
class Tab:
    """One offline page in which a test module's tests open the app, one document after another.

    A page load costs Chromium about 5 CPU-s in a new context and about 4 in a page it has drawn
    the app in before: its renderer keeps Streamlit's scripts compiled. Each :meth:`open` is a new
    document (a new Streamlit session, a new map) unless the page still shows the same link, at the same
    size, and every test since it was loaded said it only reads it (``reads_only``) or left it as loaded
    (:meth:`as_loaded`): then it is shown as loaded, once the page confirms it (the same address, no run of
    the app's script since the load, no popover open, the same scroll; else it is loaded again). A test whose
    point is the layout at its size (``any_size``) may read such a document of its link at another size: the
    page is resized, and the browser lays it out again. :meth:`tidy` runs after each test: it drops the test's
    routes, and starts a new context after a failure (a mouse left pressed, a dialog left open).
    """

    browser: Browser
    context: BrowserContext
    page: Page
    offline: Offline
    #: The link and size of the document on show while only read since it was loaded (None once changed).
    unchanged: tuple[str, int, int] | None = None
    #: The link and size of the last document loaded, and its address once loaded.
    loaded: tuple[str, int, int] | None = None
    address: str = ""

    @classmethod
    def new(cls, browser_: Browser) -> Tab:
        """Return a tab in a new offline context of ``browser_`` (:func:`offline_context`)."""
        context, offline = offline_context(browser_)
        return cls(browser_, context, context.new_page(), offline)

    def open(
        self, url: str, *, width: int = 1440, height: int = 1100, reads_only: bool = False, any_size: bool = False
    ) -> Frame:
        """Open the app at ``url`` in a page of ``width`` x ``height`` CSS px; return its map frame (:func:`open_app`).

        ``reads_only`` says the test changes nothing on the page (no click, key, scroll or route), so that the
        next test of the same link and size may read the same document. ``any_size`` says the test reads only
        the page's layout, which the browser computes again for a new size (the headline cards' widths, for
        one: checked equal to a fresh load's at 1,024 px after 1,280, 6 December 2026): a document of ``url``
        left unchanged at another size is resized instead of loaded again.
        """
        size: ViewportSize = {"width": width, "height": height}
        shown = (url, width, height)
        same = self.unchanged is not None and (self.unchanged == shown or (any_size and self.unchanged[0] == url))
        if same and self.page.url == self.address and self.page.evaluate(AS_LOADED_JS):
            if self.page.viewport_size != size:
                self.page.set_viewport_size(size)
                self.page.evaluate(PAINTED_JS)  # laid out and drawn at the new size
            frame = map_frame(self.page)
        else:
            self.offline.blocked.clear()
            self.offline.loopback.clear()
            self.page.mouse.move(0, 0)  # where a new page's pointer starts: over no element of the app
            if self.page.viewport_size != size:
                self.page.set_viewport_size(size)
            frame = open_app(self.page, url)
            self.page.evaluate(COUNT_RUNS_JS)
            self.loaded, self.address = shown, self.page.url
        self.unchanged = shown if reads_only else None
        return frame

    def as_loaded(self) -> None:
        """Say the test left its document as loaded but for the scroll (a download that runs no script, its popover
        closed again): scroll it back, and take the focus and the pointer off the app.

        The next test of the same link and size may read it; :meth:`open` checks first that the app's script
        has not run since the load, that no popover is open and that the page is scrolled as loaded.
        """
        self.page.evaluate(SCROLL_BACK_JS)
        self.page.mouse.move(0, 0)
        self.unchanged = self.loaded

    def route(self, url: str, handler: Callable[[Route], Any]) -> None:
        """Route the page's requests to ``url`` through ``handler`` until the test ends; the next :meth:`open` loads."""
        self.unchanged = None
        self.page.route(url, handler)

    def tidy(self, *, renew: bool) -> None:
        """Drop the page's routes; with ``renew`` (the test failed), close the context and start a new one."""
        if renew:
            self.close()
            self.context, self.offline = offline_context(self.browser)
            self.page, self.unchanged = self.context.new_page(), None
        else:
            self.page.unroute_all(behavior="ignoreErrors")

    def close(self) -> None:
        """Close the tab's context."""
        self.context.close()


def map_frame(page: Page, timeout_ms: float = 60_000) -> Frame:
    """Return the ``st_folium`` iframe's frame once Leaflet has drawn a vector layer in it."""
    handle = page.wait_for_selector(MAP_IFRAME, timeout=timeout_ms)
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=timeout_ms)
    return frame


def strip_d(frame: Frame) -> str:
    """Return the ``d`` attributes of the zone's SVG paths, joined."""
    return str(frame.evaluate(STRIP_PATHS_JS))


def view(frame: Frame) -> tuple[float, float, int]:
    """Return the map's ``(lat, lon, zoom)`` read from Leaflet."""
    lat, lon, zoom = frame.evaluate(VIEW_JS)
    return float(lat), float(lon), int(zoom)


def wait_for_strip_change(frame: Frame, before: str, timeout_ms: float = 30_000) -> str:
    """Wait until the zone's paths differ from ``before``; return the new ones."""
    frame.wait_for_function(
        f"(before) => {{ const d = ({STRIP_PATHS_JS})(); return d !== '' && d !== before; }}",
        arg=before,
        timeout=timeout_ms,
    )
    return strip_d(frame)


def timed_step(page: Page, frame: Frame, key: str = "ArrowRight", timeout_ms: float = 30_000) -> float:
    """Press ``key`` on the first slider; return the ms until the zone's paths change in ``frame``."""
    frame.evaluate(ARM_STRIP_CHANGE_JS)
    page.get_by_role("slider").first.focus()
    start = time.perf_counter()
    page.keyboard.press(key)
    frame.evaluate(STRIP_CHANGED_JS, timeout_ms)
    return 1000 * (time.perf_counter() - start)


def open_app(page: Page, url: str) -> Frame:
    """Open the app and return the map frame once drawn and idle."""
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    wait_idle(page)
    return frame


#: True once Streamlit has finished its run and drawn every element of it. Each kind of element is drawn by code
#: fetched the first time one is shown; until it arrives the element is a skeleton: on a fresh page the run ends
#: ("notRunning") with 23-25 of them, the headline's numbers among them, for a few hundred ms.
RUN_DRAWN_JS: Final = """() => !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def wait_idle(page: Page, timeout_ms: float = 60_000) -> None:
    """Wait until Streamlit has finished the current run (no running indicator) and drawn all of it (no skeleton)."""
    page.wait_for_function(RUN_DRAWN_JS, timeout=timeout_ms)


def slider_step(page: Page, key: str = "ArrowRight") -> None:
    """Focus the first slider and press ``key`` once."""
    slider = page.get_by_role("slider").first
    slider.focus()
    page.keyboard.press(key)


def hold_live_thumb(page: Page, start: float, end: float, steps: int = 5) -> None:
    """Press the live width slider at ``start`` (a fraction of its length) and drag to ``end``, not releasing."""
    box = page.locator("#zones-width-input").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + start * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + end * box["width"], y, steps=steps)


def drag_map(page: Page, dx: int, dy: int) -> None:
    """Pan the map by dragging from its centre by ``(dx, dy)`` pixels."""
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


#: Resolve once Leaflet's pan or zoom (with its inertia after a drag) has ended: its ``moveend`` event, or at
#: once if the map is still two frames on (Leaflet starts an animated zoom in the next animation frame).
MOVE_ENDED_JS: Final = """() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const map = window.map;
    const moving = map._animatingZoom || (map._panAnim && map._panAnim._inProgress);
    if (!moving) { resolve(true); return; }
    map.once("moveend", () => resolve(true));
})))"""


#: Resolve after the next frame has been painted (two animation frames: the second starts after the first's paint).
PAINTED_JS: Final = "() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))"


def settled_view(frame: Frame) -> tuple[float, float, int]:
    """Return the map's view once it stops moving (Leaflet pans on with inertia after a drag: its ``moveend``)."""
    frame.evaluate(MOVE_ENDED_JS)
    return view(frame)


@dataclass
class RunGate:
    """Streamlit's websocket, routed through Playwright: hold the server's messages once a rerun has begun.

    Armed with :meth:`arm`, the gate forwards the server's messages until the page has been told that a new
    run started (``new_session``, then ``session_status_changed`` with the script running): from then on it
    keeps them back, so the page shows the old run's elements for as long as the test likes, whatever the
    server's speed (no signal to the server, no race with a run of cached figures). :meth:`release` hands
    them over in order. Install it with ``page.route_web_socket(STREAM, gate.route)`` before ``goto``.
    """

    armed: bool = False
    holding: bool = False
    started: set[str] = field(default_factory=set)
    held: list[tuple[WebSocketRoute, str | bytes]] = field(default_factory=list)

    def route(self, ws: WebSocketRoute) -> None:
        """Connect the page's socket to the server, with the server's messages passing through the gate."""
        server = ws.connect_to_server()
        server.on_message(lambda message: self._from_server(ws, message))

    def _from_server(self, ws: WebSocketRoute, message: str | bytes) -> None:
        if self.holding:
            self.held.append((ws, message))
            return
        ws.send(message)
        if self.armed and isinstance(message, bytes):
            forward = ForwardMsg.FromString(message)
            kind = forward.WhichOneof("type")
            if kind == "new_session" or (
                kind == "session_status_changed" and forward.session_status_changed.script_is_running
            ):
                self.started.add(str(kind))
            self.holding = self.started == {"new_session", "session_status_changed"}

    def arm(self) -> None:
        """Hold every server message after the next run's start has reached the page."""
        self.armed, self.holding, self.started = True, False, set()

    def release(self) -> None:
        """Hand the held messages to the page, in order, and let the next ones through."""
        self.armed = self.holding = False
        for ws, message in self.held:
            ws.send(message)
        self.held.clear()


#: The URL of Streamlit's websocket, for ``page.route_web_socket``.
STREAM: Final = re.compile(r"/_stcore/stream$")


def frame_sizes(page: Page) -> list[int]:
    """Record the size in bytes of every websocket frame the page receives; return the live list."""
    sizes: list[int] = []

    def on_socket(ws: Any) -> None:
        ws.on("framereceived", lambda payload: sizes.append(len(payload)))

    page.on("websocket", on_socket)
    return sizes


#: The README screenshot's scenario and page size: a laptop's screen, as a reader opens the page (map first).
SCREENSHOT_QUERY: Final = "?width_km=300&date=2021-12-17&allies=union-state"
SCREENSHOT_SIZE: Final = (1280, 900)


def app_screenshot(browser_: Browser, url: str, path: Path) -> list[str]:
    """Save a screenshot of the app at ``url`` (the README's scenario) to ``path``; return the blocked requests."""
    context, offline = offline_context(browser_, width=SCREENSHOT_SIZE[0], height=SCREENSHOT_SIZE[1])
    page = context.new_page()
    save_screenshot(page, open_app(page, url + SCREENSHOT_QUERY), path)
    context.close()
    return list(offline.blocked)


def save_screenshot(page: Page, frame: Frame, path: Path) -> None:
    """Save a screenshot of ``page`` (the app, its map in ``frame``) to ``path``, the base map and the fit drawn."""
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-basemapLand-pane path').length > 50")
    frame.wait_for_selector(".leaflet-container[data-fitted]", state="attached", timeout=30_000)
    page.mouse.move(0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path)
