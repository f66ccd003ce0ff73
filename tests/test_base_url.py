"""The app under a non-root ``server.baseUrlPath``: the runtime files' route follows the base, offline.

Behind a reverse proxy the app is often served at ``https://host/<base>/``. Leaflet's files, the base map
and the width ladder come from the cache folder's route (:mod:`zones.web.runtime_files`), which
``app.py`` mounts under ``server.baseUrlPath``; the page asks for them by relative URLs. This test runs
the real server under a base path, in Chromium with no network, and checks that the map is drawn and
that every runtime file the page asks for is answered from ``/<base>/app/files/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Response

from tests import browser

#: The base path the server runs under (two segments: a base is not always one word).
BASE = "tools/article7"

#: A width ladder's file (zones.web.ladder.ladder_key names it; the page may add a query).
LADDER_FILE = re.compile(r"/app/files/ladder/[0-9a-f]{24}\.json(\?|$)")

#: The longest wait for the first ladder file, in seconds (a cold ladder of the draft's line takes 10–40 s).
LADDER_WAIT_S = 240


@pytest.fixture(scope="module")
def based_server() -> Iterator[browser.Server]:
    """The app served under :data:`BASE`."""
    with browser.streamlit_server(browser.REPO / "app.py", base_url_path=BASE) as running:
        yield running


def test_the_map_and_its_files_are_served_under_the_base_path(based_server: browser.Server, chromium: Browser) -> None:
    assert based_server.url.endswith(f"/{BASE}/")
    context, offline = browser.offline_context(chromium, width=1280, height=900)
    answers: list[tuple[str, int]] = []

    def on_response(response: Response) -> None:
        if "/app/files/" in response.url:
            answers.append((response.url, response.status))

    context.on("response", on_response)
    try:
        page = context.new_page()
        frame = browser.open_app(page, based_server.url + "?width_km=300&date=2021-12-17")
        assert browser.strip_d(frame), "the zone is drawn"
        # The ladder is written after the first paint; its request is held until then (runtime_files.LADDER_WAIT_S).
        for _ in range(LADDER_WAIT_S):
            if any(LADDER_FILE.search(url) for url, _ in answers):
                break
            page.wait_for_timeout(1_000)
    finally:
        context.close()
    assert not offline.blocked, offline.blocked
    assert answers, "the page asked for no runtime file"
    prefix = f"http://127.0.0.1:{based_server.port}/{BASE}/app/files/"
    assert all(url.startswith(prefix) for url, _ in answers), answers
    assert all(status == 200 for _, status in answers), answers
    assert any(url.endswith("/leaflet/leaflet.js") for url, _ in answers), "Leaflet comes from the route"
    assert any("/basemap/" in url for url, _ in answers), "the base map comes from the route"
    assert any(LADDER_FILE.search(url) for url, _ in answers), "the ladder comes from the route"
