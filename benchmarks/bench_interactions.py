"""Every interaction a reader has on the preset scenarios, timed in real Chromium, cold and warm.

Run from the repository root (about 5–10 minutes a revision on 2 busy cores)::

    .venv/bin/python -m benchmarks.bench_interactions                          # the working tree
    .venv/bin/python -m benchmarks.bench_interactions --revisions 1660085 worktree

For each revision (its files exported with ``git archive``,
:func:`benchmarks.revisions.exported`; ``worktree`` is this checkout), one
``streamlit run app.py`` starts on a free loopback port with an empty
``ZONES_CACHE_DIR``, as a reader's server would, and Debian's Chromium opens
it at 1280×900 with every non-loopback request refused
(:mod:`tests.browser`). A *pass* opens the app as a new reader does (no
link: the draft's date, Russia with Belarus, the default width) and, once
the first map is drawn, does each thing a reader can do on the preset
scenarios, one after another, timing each from the action (a click, a key,
a drag) until its result is on screen:

* the first map, the claims panel appearing under it, the live slider
  ready (its ladder written in the background);
* the width slider: an arrow key and a drag (until the map's iframe draws
  the step), then the server's run once the keys rest or the thumb is
  released (until the run has finished);
* the date presets (1997, Today, Draft), Russia's side (the CSTO and
  back), the clipping and sea-border switches on and off, widths per side
  (on, a key on Russia's slider, off): until the zone's path changed, and
  until the run has finished (every panel drawn);
* the regions table narrowed to one country, a click on the map (its popup);
* each download button (until the file has arrived: Playwright's
  ``expect_download``), a CSV of every width not made yet (the share by width, the claims) "prepare"d first;
* the share-by-width chart.

A second pass does it all again in a new browser session on the same
server: the server's caches are warm then. A progress bar seen during an
interaction (``stProgress``, with its "n of m done" text) is noted with the
fractions it showed; a spinner (``stSpinner``) too. Prints one Markdown
table per revision and the load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Frame, Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_live import LIVE_DRAWS_JS, _env  # noqa: E402
from benchmarks.revisions import WORKTREE, exported, short  # noqa: E402
from tests import browser  # noqa: E402

#: The goal (issue 26): no interaction on a preset scenario waits longer.
GOAL_MS = 2000.0
TIMEOUT_MS = 180_000
#: The app's widgets, as a reader finds them.
DOWNLOADS_BUTTON = "Downloads"
PREPARE = "{label}: prepare (up to a minute)"
SWEEP_TOGGLE = "Show how the shares grow with the width (0–1,000 km)"
#: Noted in the page from its start: every progress bar's text and value, and whether a spinner showed.
WATCH_PROGRESS_JS = """(() => {
    window.__progress = []; window.__spinner = 0;
    const look = () => {
        for (const bar of document.querySelectorAll('[data-testid="stProgress"]')) {
            const value = bar.querySelector('[role="progressbar"]');
            const seen = `${value ? value.getAttribute("aria-valuenow") : "?"}|${bar.innerText.trim()}`;
            if (window.__progress[window.__progress.length - 1] !== seen) window.__progress.push(seen);
        }
        if (document.querySelector('[data-testid="stSpinner"]')) window.__spinner += 1;
    };
    new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true,
        characterData: true});
})();"""
RESET_PROGRESS_JS = "() => { window.__progress = []; window.__spinner = 0; }"
READ_PROGRESS_JS = "() => [window.__progress || [], window.__spinner || 0]"
CLAIMS_SHOWN = ".st-key-claims [data-testid='stMarkdown']"


@dataclass
class Timing:
    """One interaction's result in one pass: the ms until its result showed, and the progress seen meanwhile."""

    ms: float
    bars: list[str] = field(default_factory=list)
    spinner: bool = False

    @property
    def progress(self) -> str:
        """How the wait was shown: a bar with its fractions, a spinner, or nothing."""
        if self.bars:
            values = [bar.split("|", 1)[0] for bar in self.bars]
            texts = [bar.split("|", 1)[1] for bar in self.bars if bar.split("|", 1)[1]]
            return f"bar, {len(set(values))} values ({texts[-1] if texts else 'no text'})"
        return "spinner" if self.spinner else "none"


class Reader:
    """One browser session on the app: its page, the map's frame, and the timings of one pass."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.frame: Frame | None = None
        self.timings: dict[str, Timing] = {}

    def note(self, name: str, begin: float) -> None:
        """Record ``name`` as taking from ``begin`` (``time.perf_counter``) until now, with the progress seen."""
        ms = 1000 * (time.perf_counter() - begin)
        bars, spinner = self.page.evaluate(READ_PROGRESS_JS)
        self.timings[name] = Timing(ms, list(bars), bool(spinner))
        print(f"  {name}: {ms:,.0f} ms; {self.timings[name].progress}", flush=True)

    def start(self) -> float:
        """Forget the progress seen so far; return the clock."""
        self.page.evaluate(RESET_PROGRESS_JS)
        return time.perf_counter()

    @property
    def map(self) -> Frame:
        """The map's frame (``st_folium``'s iframe)."""
        assert self.frame is not None
        return self.frame

    def idle(self) -> None:
        """Wait until Streamlit's run has finished."""
        self.page.wait_for_timeout(100)  # a run just asked for has begun
        self.page.evaluate(browser.IDLE_JS)
        browser.wait_idle(self.page, TIMEOUT_MS)

    def changed(self, name: str, act: Callable[[], None]) -> None:
        """Do ``act``; time it until the zone's path changed (``name: map``) and until the run finished."""
        self.map.evaluate(browser.ARM_STRIP_CHANGE_JS)
        begin = self.start()
        act()
        self.map.evaluate(browser.STRIP_CHANGED_JS, TIMEOUT_MS)
        self.note(f"{name}: map", begin)
        self.idle()
        self.note(f"{name}: whole page", begin)

    def done(self, name: str, act: Callable[[], None]) -> None:
        """Do ``act``; time it until the run has finished."""
        begin = self.start()
        act()
        self.idle()
        self.note(name, begin)


def open_app(reader: Reader, url: str) -> None:
    """Open the app; time the first map, the claims panel and the live slider's ladder."""
    page = reader.page
    begin = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    reader.frame = browser.map_frame(page, TIMEOUT_MS)
    reader.map.wait_for_selector("path.zone-strip", state="attached", timeout=TIMEOUT_MS)
    reader.note("open the app: first map", begin)
    first_map = time.perf_counter()
    page.wait_for_selector(CLAIMS_SHOWN, state="attached", timeout=TIMEOUT_MS)
    reader.note("claims panel, after the first map", first_map)
    page.wait_for_selector(browser.LIVE_SLIDER_READY, state="attached", timeout=TIMEOUT_MS)
    reader.map.wait_for_selector(browser.LIVE_MAP_READY, state="attached", timeout=TIMEOUT_MS)
    reader.note("live slider ready, after the first map", first_map)
    reader.idle()


def live_width(reader: Reader) -> None:
    """An arrow key on the live slider, then a drag: until drawn in the browser, then the server's run."""
    page = reader.page
    for name, act in (("width slider, arrow key", _arrow), ("width slider, drag", _drag)):
        draws = reader.map.evaluate(LIVE_DRAWS_JS)
        begin = reader.start()
        release = act(page)
        reader.map.wait_for_function(f"() => ({LIVE_DRAWS_JS})() > {draws}", timeout=TIMEOUT_MS)
        reader.note(f"{name}: drawn live", begin)
        begin = release()
        reader.map.wait_for_selector(".leaflet-container:not(.zones-live)", state="attached", timeout=TIMEOUT_MS)
        reader.idle()
        reader.note(f"{name}: server's run, after the keys rest / release", begin)


def _arrow(page: Page) -> Callable[[], float]:
    page.locator("#zones-width-input").focus()
    page.keyboard.press("ArrowRight")
    begin = time.perf_counter()
    return lambda: begin  # the keys rest from the press on (the live slider asks the server a second later)


def _drag(page: Page) -> Callable[[], float]:
    browser.hold_live_thumb(page, 0.30, 0.40)

    def release() -> float:
        page.mouse.up()
        return time.perf_counter()

    return release


def sidebar(reader: Reader) -> None:
    """The date presets, Russia's side, clipping and sea borders: each until the map changed and the run ended."""
    page = reader.page
    button = page.get_by_role("button", name="1997", exact=True)
    for label in ("1997", "Today", "Draft"):
        button = page.get_by_role("button", name=label, exact=True)
        reader.changed(f"date preset {label}", button.click)
    for label, back in (("Russia with the CSTO", "Russia with Belarus (the Union State)"),):
        reader.changed(f"Russia's side: {label}", page.get_by_text(label, exact=True).click)
        reader.changed("Russia's side: back to the Union State", page.get_by_text(back, exact=True).click)
    for label in ("Only the parties' own land", "Include sea borders"):
        reader.changed(f"{label}: on", page.get_by_text(label, exact=True).click)
        reader.changed(f"{label}: off", page.get_by_text(label, exact=True).click)


def per_side(reader: Reader) -> None:
    """Widths per side: switch on, one key on Russia's slider, switch off."""
    page = reader.page
    toggle = page.get_by_text("Different widths per side", exact=True)
    reader.done("widths per side: on", toggle.click)

    def step() -> None:
        browser.slider_step(page)

    reader.changed("widths per side: a key on Russia's slider", step)
    reader.done("widths per side: off", toggle.click)


def tables_and_map(reader: Reader) -> None:
    """The regions table narrowed to Poland, and a click on the map until its popup shows."""
    page = reader.page

    def choose() -> None:
        box = page.locator("[data-testid='stSelectbox']").last  # the page's one select box
        box.scroll_into_view_if_needed()
        box.click()
        page.keyboard.type("Poland")
        page.keyboard.press("Enter")

    reader.done("regions table: one country", choose)
    page.locator(browser.MAP_IFRAME).scroll_into_view_if_needed()
    box = page.locator(browser.MAP_IFRAME).bounding_box()
    assert box is not None
    begin = reader.start()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    reader.map.wait_for_selector(".leaflet-popup-content", state="attached", timeout=TIMEOUT_MS)
    reader.note("click on the map: its popup", begin)
    reader.idle()


def _popover_button(page: Page, label: str) -> None:
    """Open the Downloads popover unless the button ``label`` is on screen already."""
    button = page.get_by_role("button", name=label, exact=True)
    if not button.is_visible():
        page.get_by_role("button", name=DOWNLOADS_BUTTON).click()
        button.wait_for(state="visible", timeout=TIMEOUT_MS)


def downloads(reader: Reader, folder: Path) -> None:
    """Each download button until its file has arrived; an every-width CSV not made yet prepared first."""
    from zones.downloads import DOWNLOADS, EVERY_WIDTH_COMMANDS

    page = reader.page
    for download in DOWNLOADS:
        prepare = PREPARE.format(label=download.label)
        if download.command in EVERY_WIDTH_COMMANDS and page.get_by_role("button", name=prepare, exact=True).count():
            _popover_button(page, prepare)
            begin = reader.start()
            page.get_by_role("button", name=prepare, exact=True).click()
            page.get_by_role("button", name=download.label, exact=True).wait_for(state="visible", timeout=TIMEOUT_MS)
            reader.note(f"download {download.label}: prepare", begin)
            reader.idle()
        _popover_button(page, download.label)
        begin = reader.start()
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            page.get_by_role("button", name=download.label, exact=True).click()
        info.value.save_as(folder / info.value.suggested_filename)
        reader.note(f"download {download.label}", begin)
    page.keyboard.press("Escape")


def sweep_chart(reader: Reader) -> None:
    """The share-by-width chart, switched on until it is drawn, then off."""
    page = reader.page
    toggle = page.get_by_text(SWEEP_TOGGLE, exact=True)
    begin = reader.start()
    toggle.click()
    page.wait_for_selector(".st-key-sweep_chart canvas, .st-key-sweep_chart svg", timeout=TIMEOUT_MS)
    reader.note("share-by-width chart", begin)
    reader.idle()
    toggle.click()
    reader.idle()


def one_pass(chromium: Browser, url: str, folder: Path) -> dict[str, Timing]:
    """Open the app in a new browser session and do every interaction once; return the timings by name."""
    context, offline = browser.offline_context(chromium, width=1280, height=900)
    context.add_init_script(WATCH_PROGRESS_JS)
    reader = Reader(context.new_page())
    try:
        open_app(reader, url)
        for part in (live_width, sidebar, per_side, tables_and_map, lambda r: downloads(r, folder), sweep_chart):
            try:
                part(reader)
            except Exception as exc:  # one part failing leaves the others to time
                print(f"  failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}", flush=True)
                reader.page.keyboard.press("Escape")
                reader.idle()
    finally:
        context.close()
    if offline.blocked:
        raise RuntimeError(f"requests left loopback: {offline.blocked}")
    return reader.timings


@contextlib.contextmanager
def app_server(root: Path, cache: Path) -> Iterator[browser.Server]:
    """``streamlit run app.py`` of the files under ``root``, with ``cache`` as its (empty) cache folder."""
    with (
        _env("ZONES_CACHE_DIR", str(cache)),
        _env("PYTHONPATH", str(root)),
        browser.streamlit_server(root / "app.py", cwd=root, timeout_s=180) as server,
    ):
        yield server


def load() -> str:
    """The machine's load averages over 1, 5 and 15 minutes."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    """Run every pass of every revision and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revisions", nargs="+", default=[WORKTREE], help="git revisions, or worktree (default)")
    parser.add_argument("--passes", type=int, default=2, help="passes per server: cold, then warm (default: 2)")
    args = parser.parse_args()
    if not browser.chromium_available():
        raise SystemExit(f"Chromium not found at {browser.CHROMIUM}")
    tables = []
    with exported(tuple(args.revisions)) as roots, sync_playwright() as playwright:
        for revision in args.revisions:
            with tempfile.TemporaryDirectory() as folder:
                cache, files = Path(folder) / "cache", Path(folder) / "downloads"
                cache.mkdir()
                files.mkdir()
                before = load()
                print(f"{short(revision)}: load {before}", flush=True)
                passes = []
                with app_server(roots[revision], cache) as server:
                    chromium = browser.launch_chromium(playwright)
                    for index in range(args.passes):
                        print(f" pass {index + 1}", flush=True)
                        passes.append(one_pass(chromium, server.url, files))
                    chromium.close()
                tables.append((short(revision), before, load(), passes))
    print(f"\n{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, 1280×900, a fresh server and cache folder per revision")
    for name, before, after, passes in tables:
        heads = " | ".join(
            ("first (cold) ms", "second (warm) ms", *(f"pass {i + 1} ms" for i in range(2, len(passes))))
        )
        print(f"\n**{name}** (load average 1/5/15 min: {before} before, {after} after)\n")
        print(f"| interaction | {heads} | ≤ 2 s? | progress shown (first pass) |")
        print("|---|" + "---:|" * len(passes) + "---|---|")
        for label, first in passes[0].items():
            times = [p[label].ms if label in p else float("nan") for p in passes]
            meets = "yes" if max(times) <= GOAL_MS else ("warm only" if times[-1] <= GOAL_MS else "**no**")
            cells = " | ".join(f"{ms:,.0f}" for ms in times)
            print(f"| {label} | {cells} | {meets} | {first.progress} |")


if __name__ == "__main__":
    main()
