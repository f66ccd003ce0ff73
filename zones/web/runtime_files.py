"""The app's runtime files: where they are written, and the route that serves them to the browser.

The app writes three kinds of files while it runs: Leaflet's files
(:func:`zones.web.leaflet_offline.install_static`), the base map's countries
(:func:`zones.web.basemap.write_basemap`) and the width ladders
(:func:`zones.web.live.write_ladder_file`). They live in :func:`files_dir`, the
``web`` folder of the package's one cache folder
(:func:`zones.engine.disk_cache.cache_dir`: ``$ZONES_CACHE_DIR`` or the
platform's user cache folder), never beside the source: an installed package's
folder is read-only, and files written into a checkout leak from one run into
the next. Deleting the folder is safe at any time; the app writes the files
again.

Why a route of our own
----------------------
Streamlit's ``server.enableStaticServing`` serves only ``<app folder>/static``,
and ``streamlit run`` has no option to serve another folder. Streamlit 1.67 runs
on Starlette, and its supported way to add a route is ``st.App(script,
routes=[…])``: ``streamlit run app.py`` finds the ``st.App`` in the script and
serves it, with every route of Streamlit's own. ``app.py`` builds it with
:func:`routes`: one route, at ``<base>/app/files/…`` (:data:`URL_PATH`), which
serves files under :func:`files_dir` (nothing else: the path is resolved and
must stay inside it).

A ladder file is written in the background after the page's first paint. A
request for one that is not there yet is held (up to :data:`LADDER_WAIT_S`)
until :func:`announce` says it is written, so the browser asks once and is
answered when the file is ready, instead of asking again every few seconds.
Meanwhile the page asks how far the ladder has got: ``ladder/<key>.progress.json``
(:func:`progress_url`) answers, from memory, what the ladder's job last reported
(:func:`report_progress`: ``{"done": …, "total": …, "text": …}``, the text finished
in :mod:`zones.web.app_text`), or ``{}`` when this process writes no such ladder.

The browser's requests go first
-------------------------------
A new page fetches some 130 scripts and styles from this server, and the map's
frame its own files, while the server's background ladders
(:class:`zones.web.jobs.LadderJobs`) share its interpreter: every answer then
waits for Python's lock. :func:`middleware` marks every request (but a held
ladder file's) as answered (:func:`zones.engine.foreground.serving`): the
ladders, and a reader's long computation with a bar, pause at their next step
until the page has what it asked for.

No Streamlit import: ``starlette`` is the server Streamlit runs on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, Final

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from zones.engine import foreground
from zones.engine.disk_cache import cache_dir

#: The URL path of :func:`files_dir`, under the app's base URL (``server.baseUrlPath``).
URL_PATH: Final = "app/files"

#: The longest a request for a ladder file that is not written yet is held, in seconds.
LADDER_WAIT_S: Final = 600.0

#: Most requests held at once (beyond, a missing file is a 404 at once: the browser asks again on its next rerun).
MAX_WAITING: Final = 256

#: The paths that may be held: the ladder files (:func:`zones.web.ladder.ladder_key` names them).
_LADDER_PATH: Final = re.compile(r"ladder/[0-9a-f]{24}\.json")

#: The paths of the ladders' progress (answered from memory, never from a file).
_PROGRESS_PATH: Final = re.compile(r"(ladder/[0-9a-f]{24})\.progress\.json")


def files_dir() -> Path:
    """Return the folder of the app's runtime files: ``web`` in :func:`zones.engine.disk_cache.cache_dir` (not created).

    Returns
    -------
    pathlib.Path
        Served at :data:`URL_PATH` by :func:`routes`.
    """
    return cache_dir() / "web"


class _Board:
    """The requests waiting for a file, by path; :func:`announce` wakes them. One per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[Path, list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}
        self._mounted = threading.Event()
        self.progress: dict[Path, dict[str, Any]] = {}  # a ladder file's last report (a new dict each time)

    def mount(self) -> None:
        self._mounted.set()

    def mounted(self) -> bool:
        return self._mounted.is_set()

    async def wait(self, path: Path, timeout_s: float) -> bool:
        """Wait until ``path`` is a file (at most ``timeout_s``); return whether it is."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if sum(len(waiters) for waiters in self._waiting.values()) >= MAX_WAITING:
                return path.is_file()
            self._waiting.setdefault(path, []).append((loop, future))
        try:
            if not path.is_file():  # checked after joining the board: an announcement cannot slip between
                await asyncio.wait_for(future, timeout_s)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                waiters = self._waiting.get(path, [])
                if (loop, future) in waiters:
                    waiters.remove((loop, future))
                if not waiters:
                    self._waiting.pop(path, None)
        return path.is_file()

    def announce(self, path: Path) -> None:
        with self._lock:
            waiters = self._waiting.pop(path, [])
        for loop, future in waiters:
            loop.call_soon_threadsafe(_settle, future)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


_BOARD: Final = _Board()


def announce(path: Path) -> None:
    """Say that ``path`` (a file under :func:`files_dir`) is written: the requests held for it are answered."""
    _BOARD.announce(path.resolve())


def progress_url(ladder_url: str) -> str:
    """Return the URL of the progress of the ladder file at ``ladder_url`` (``….json`` -> ``….progress.json``).

    >>> progress_url("app/files/ladder/0123456789abcdef01234567.json")
    'app/files/ladder/0123456789abcdef01234567.progress.json'
    """
    return ladder_url.removesuffix(".json") + ".progress.json"


def report_progress(path: Path, *, done: int, total: int, text: str) -> None:
    """Say how far the ladder file ``path`` has got: ``done`` of ``total`` widths, and ``text``, the reader's words.

    What :func:`progress_of` returns, and the page's request for :func:`progress_url` answers, until the next report.
    """
    _BOARD.progress[path.resolve()] = {"done": done, "total": total, "text": text}  # one store: atomic


def progress_of(path: Path) -> tuple[int, int] | None:
    """Return the last :func:`report_progress` on the ladder file ``path``: widths done, of how many; or ``None``."""
    report = _BOARD.progress.get(path.resolve())
    return None if report is None else (int(report["done"]), int(report["total"]))


#: Streamlit's loggers that speak when its server imports ``app.py`` (before its runtime starts): each cached
#: function's decorator says "No runtime found" (harmless: the page runs as ``__main__`` with the runtime).
_QUIET_ON_IMPORT: Final = ("streamlit.runtime.caching.cache_data_api",)


def quiet_import_logs(quiet: bool) -> None:
    """Silence (or restore) Streamlit's "No runtime found" logs while its server imports ``app.py``.

    Parameters
    ----------
    quiet : bool
        ``True`` before the import's cached functions are decorated, ``False`` after.
    """
    for name in _QUIET_ON_IMPORT:
        logging.getLogger(name).disabled = quiet


def mounted() -> bool:
    """Return whether this process serves :func:`files_dir` (whether :func:`routes` was called)."""
    return _BOARD.mounted()


def server_options(base_url_path: str, *, prepare: Callable[[], object]) -> dict[str, Any]:
    """Return the keywords of ``st.App(script, **…)`` for the app's server.

    Streamlit's routes plus :func:`routes` (the cache folder's files at
    ``app/files/``), :func:`middleware` (the browser's requests go before the
    background ladders) and :func:`lifespan` (``prepare`` runs as the server
    starts).

    Parameters
    ----------
    base_url_path : str
        Streamlit's ``server.baseUrlPath`` (``""`` at the root).
    prepare : callable
        What every first page needs, made before the server takes requests.
    """
    return {"routes": routes(base_url_path), "middleware": middleware(), "lifespan": lifespan(prepare)}


def routes(base_url_path: str = "") -> list[Route]:
    """Return the route serving :func:`files_dir` at ``/<base_url_path>/app/files/<path>`` (GET and HEAD).

    Parameters
    ----------
    base_url_path : str
        Streamlit's ``server.baseUrlPath`` (``""`` at the root).

    Returns
    -------
    list of starlette.routing.Route
        For ``st.App(script, routes=…)``.
    """
    _BOARD.mount()
    base = "/".join(part for part in (base_url_path.strip("/"), URL_PATH) if part)
    return [Route(f"/{base}/{{path:path}}", _serve, methods=["GET", "HEAD"])]


def middleware() -> list[Middleware]:
    """Return the middleware that lets the browser's requests go before computations (:class:`ReaderRequests`).

    Returns
    -------
    list of starlette.middleware.Middleware
        For ``st.App(script, middleware=…)``.
    """
    return [Middleware(ReaderRequests)]


def lifespan(prepare: Callable[[], object]) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """Return a server lifespan (``st.App(script, lifespan=…)``) that runs ``prepare`` in a thread first.

    The server takes requests once ``prepare`` has returned; if it fails, the
    error is logged and the server starts anyway (the first page then does
    the same work itself).
    """

    @contextlib.asynccontextmanager
    async def prepared(_app: Any) -> AsyncIterator[None]:
        try:
            await asyncio.to_thread(prepare)
        except Exception:  # a head start only
            logging.getLogger(__name__).exception("preparing the app failed; its first page does it")
        yield

    return prepared


class ReaderRequests:
    """ASGI middleware: while an HTTP request is answered, computations pause at their next step (``serving``).

    A request for a ladder file is not: it may be held until its ladder is written (:func:`routes`), and the
    ladder would wait for it; nor its progress, which the page asks for every second while it waits. Nor is the
    websocket: it stays open as long as the page.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one request or connection, marked as a reader's unless it is a ladder file's or the websocket."""
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or _LADDER_PATH.search(path) or _PROGRESS_PATH.search(path):
            await self.app(scope, receive, send)
            return
        with foreground.serving():
            await self.app(scope, receive, send)


async def _serve(request: Request) -> Response:
    """Serve one file under :func:`files_dir`; hold a request for a ladder file until it is written.

    A ladder's progress (:func:`progress_url`) is answered from memory (:func:`report_progress`), never cached.
    """
    relative = str(request.path_params["path"])
    root = files_dir().resolve()
    if progress := _PROGRESS_PATH.fullmatch(relative):
        report = _BOARD.progress.get((root / f"{progress.group(1)}.json").resolve(), {})
        return JSONResponse(report, headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        return PlainTextResponse("Bad Request", status_code=400)
    if not path.is_file() and not (_LADDER_PATH.fullmatch(relative) and await _BOARD.wait(path, LADDER_WAIT_S)):
        return PlainTextResponse("Not Found", status_code=404)
    response = FileResponse(path)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-cache"  # revalidated (ETag): the files change only when rewritten
    return response
