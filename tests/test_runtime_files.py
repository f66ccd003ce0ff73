"""The app's runtime files: in the cache folder, not the checkout; served by a route that holds a ladder."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from tests.browser import REPO
from tests.test_foreground import background_is_held
from zones import Scenario
from zones.engine import disk_cache
from zones.web import live, runtime_files

LADDER = "ladder/0123456789abcdef01234567.json"


def _request(path: str) -> Request:
    """Return a GET request for ``app/files/<path>`` as the route hands it to its endpoint."""
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/app/files/{path}",
        "path_params": {"path": path},
        "headers": [],
        "query_string": b"",
    }
    return Request(scope)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(disk_cache.CACHE_VARIABLE, str(tmp_path))
    return tmp_path


def test_the_files_live_in_the_one_cache_folder_outside_the_checkout(cache: Path) -> None:
    assert runtime_files.files_dir() == cache / "web"
    assert disk_cache.cache_dir() == cache


def test_without_the_variable_the_cache_is_the_platforms_not_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(disk_cache.CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")  # platformdirs honours it on Linux
    assert runtime_files.files_dir() == Path("/var/cache/someone/article7-zones/web")
    assert not runtime_files.files_dir().is_relative_to(REPO)


def test_the_route_serves_files_under_the_folder_and_nothing_else(cache: Path) -> None:
    (cache / "web" / "leaflet").mkdir(parents=True)
    (cache / "web" / "leaflet" / "leaflet.js").write_text("/* Leaflet */", encoding="utf-8")
    (cache / "secret.txt").write_text("not served", encoding="utf-8")

    async def serve(path: str) -> Response:
        return await runtime_files._serve(_request(path))

    served = asyncio.run(serve("leaflet/leaflet.js"))
    assert served.status_code == 200
    assert served.headers["x-content-type-options"] == "nosniff"
    assert asyncio.run(serve("../secret.txt")).status_code == 400
    assert asyncio.run(serve("leaflet/missing.js")).status_code == 404  # answered at once: not a ladder
    assert asyncio.run(serve("ladder/not-a-key.json")).status_code == 404


def test_a_request_for_a_ladder_not_yet_written_is_answered_when_it_is_announced(cache: Path) -> None:
    path = cache / "web" / LADDER

    async def scenario() -> tuple[bool, int]:
        request = asyncio.ensure_future(runtime_files._serve(_request(LADDER)))
        for _ in range(20):  # let the request reach its wait (no timer: control passes to it, nothing else)
            await asyncio.sleep(0)
        held = not request.done()
        path.parent.mkdir(parents=True)
        path.write_text('{"page": {}, "ladder": {}}', encoding="utf-8")
        await asyncio.to_thread(runtime_files.announce, path)  # as the writer's thread does
        response = await asyncio.wait_for(request, timeout=30)
        return held, response.status_code

    held, status = asyncio.run(scenario())
    assert held
    assert status == 200


def test_writing_a_ladder_file_announces_it(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    announced: list[Path] = []
    monkeypatch.setattr(live, "announce", announced.append)
    monkeypatch.setattr(live, "ladder_document", lambda scenario: '{"page":{},"ladder":{}}')
    scenario = Scenario(width_km=0, date="2021-12-17", allies="union-state")
    path = live.write_ladder_file(runtime_files.files_dir(), scenario)
    assert path.parent == cache / "web" / "ladder"
    assert announced == [path]
    assert live.LADDER_URL_PREFIX + path.name == f"app/files/ladder/{live.ladder_path(cache / 'web', scenario).name}"


def test_the_checkout_has_no_static_folder_and_the_app_serves_none() -> None:
    """Streamlit's own static serving (``./static``, inside the source tree) is off; the route serves the cache."""
    assert not (REPO / "static").exists()
    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "enableStaticServing = false" in config
    assert "app = st.App(__file__, **runtime_files.server_options(" in (REPO / "app.py").read_text(encoding="utf-8")
    assert os.environ[disk_cache.CACHE_VARIABLE]  # conftest points the whole run at a temporary folder


@pytest.mark.parametrize(("path", "held"), [("/app/files/leaflet/leaflet.js", True), (f"/app/files/{LADDER}", False)])
def test_the_middleware_holds_background_work_while_a_request_is_answered(path: str, held: bool) -> None:
    """Every request but a ladder file's (which may itself wait for its ladder) pauses the server's computations."""
    seen: list[bool] = []

    async def app(scope: object, receive: object, send: object) -> None:
        seen.append(background_is_held())

    middleware = runtime_files.ReaderRequests(app)
    asyncio.run(middleware({"type": "http", "path": path}, None, None))  # type: ignore[arg-type]
    assert seen == [held]
    assert not background_is_held()


def test_the_servers_start_prepares_first_and_survives_a_failed_preparation(caplog, monkeypatch):
    """``st.App``'s lifespan: requests are taken only after ``prepare`` ran; if it raises, the server starts anyway."""
    order: list[str] = []

    async def start(prepare) -> None:
        async with runtime_files.lifespan(prepare)(None):
            order.append("serving")

    asyncio.run(start(lambda: order.append("prepared")))
    assert order == ["prepared", "serving"]

    def broken() -> None:
        raise OSError("disk full")

    asyncio.run(start(broken))
    assert order[-1] == "serving"
    assert "disk full" in caplog.text
    monkeypatch.setattr(runtime_files, "routes", lambda base: [f"files under {base!r}"])  # routes() mounts: global
    options = runtime_files.server_options("/zones", prepare=lambda: None)
    assert set(options) == {"routes", "middleware", "lifespan"}
    assert options["routes"] == ["files under '/zones'"]
    assert not runtime_files.mounted()  # the AppTest cases after this one in the process see no served files
