"""Independent computations spread over two cores: this process and a worker process share them.

A width ladder, a sweep or the thresholds' exact search is a list of
independent computations (one analysis per width, one country per search).
Shapely and pyproj hold the GIL for much of such work (two threads ran
0.6–0.8× as fast as one, measured), so the second core needs a second
process.

:func:`shared_map` hands the list to a worker process *and* works on it
itself: the worker takes items from the end, this process from the start,
and where they meet this process waits for the worker's one item in hand.
The worker is a plain Python process running :func:`serve`, started on first use
and kept (not :mod:`multiprocessing`, whose ``spawn`` runs the caller's
main script again and whose ``fork`` is unsafe in a threaded server); it
reads pickled calls on its standard input and answers on its standard
output. Its first item pays its imports and data loading (about 2 s) while
this process gets on with the rest; until it has answered once, this
process does not wait for it. Results come back in the items' order. A call
that fails in the worker, or a worker that dies, is run again here, so an
exception is raised here as it would be without the worker. One list at a
time uses the worker; another, meanwhile (another session of the app), runs
here alone.

Within one computation, GEOS's overlays and PROJ's areas *do* release the
GIL, so :func:`helper_thread` lends a second thread of this process to a
single analysis: the regions' overlays and areas run there while the
countries' run here (:func:`zones.engine.analysis.analyse`). One caller at a
time has the thread; another, or a call made on the thread itself, runs its
work here as it comes (no waiting, no deadlock). It is off while
:func:`shared_map` has the worker (the second core is the worker's then).

``ZONES_WORKERS=0`` in the environment keeps everything on one core: no
worker process and no helper thread (the worker itself runs with it).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Generic, TypeVar

from zones.engine import foreground

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

#: The environment variable that turns the worker off when ``0``.
WORKERS_VARIABLE: Final = "ZONES_WORKERS"
#: Bytes of the length that precedes each pickled message.
_HEADER: Final = struct.Struct("<Q")
#: The folder that holds the ``zones`` package, for the worker's imports.
_ROOT: Final = str(Path(__file__).resolve().parents[2])

_STATE_LOCK: Final = threading.Lock()
_WORKER: dict[str, _Worker] = {}  # "worker": this process's worker, once started
_IN_USE: Final = threading.Lock()  # held by the one shared_map that uses the worker
_HELPER: dict[str, ThreadPoolExecutor] = {}  # "helper": this process's helper thread, once started
_HELPER_FREE: Final = threading.Lock()  # held by the one helper_thread that has the thread


def enabled() -> bool:
    """Return whether :func:`shared_map` may use a worker: two cores or more, and ``ZONES_WORKERS`` not ``0``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1 and os.environ.get(WORKERS_VARIABLE, "").strip() != "0"


class Later(Generic[R]):
    """The result of a call started by :meth:`Helper.start`: computed on the helper thread, or here when asked.

    A call the thread has not begun when its result is asked for is taken
    back and computed here: whoever is free first does it.
    """

    def __init__(self, function: Callable[..., R], args: tuple[Any, ...], future: Future[R] | None) -> None:
        self._function, self._args, self._future = function, args, future
        self._done: list[R] = []

    def result(self) -> R:
        """Return the call's result (waiting for the helper thread if it has begun it, else computing it here)."""
        if self._done:
            return self._done[0]
        if self._future is not None and not self._future.cancel():  # begun (or done) on the thread
            return self._future.result()
        self._done.append(self._function(*self._args))
        return self._done[0]


class Helper:
    """Starts calls on this process's helper thread, in order; without it, each runs when its result is asked."""

    def __init__(self, executor: ThreadPoolExecutor | None) -> None:
        self._executor = executor
        self._futures: list[Future[Any]] = []

    @property
    def threaded(self) -> bool:
        """Whether calls run on the helper thread (else here, when their result is asked for)."""
        return self._executor is not None

    def start(self, function: Callable[..., R], *args: Any) -> Later[R]:
        """Start ``function(*args)`` and return its :class:`Later`.

        The call may run on the thread or here, beside the other calls
        started: it must not share a prepared geometry (nor one it prepares)
        with the caller or with them, for GEOS's prepared geometries are not
        thread-safe (libgeos/geos#825).
        """
        if self._executor is None:
            return Later(function, args, None)
        try:
            future = self._executor.submit(function, *args)
        except RuntimeError:  # the interpreter is shutting down: here, then
            return Later(function, args, None)
        self._futures.append(future)
        return Later(function, args, future)

    def _wait(self) -> None:
        """Wait for every call started (their errors are the caller's, through :meth:`Later.result`)."""
        for future in self._futures:
            if not future.cancelled():
                future.exception()


def _helper_executor() -> ThreadPoolExecutor:
    """Return this process's one helper thread, started on first use (imported then: the command line never pays)."""
    from concurrent.futures import ThreadPoolExecutor

    with _STATE_LOCK:
        if "helper" not in _HELPER:
            _HELPER["helper"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zones-helper")
        return _HELPER["helper"]


@contextlib.contextmanager
def helper_thread(*, wanted: bool = True) -> Iterator[Helper]:
    """Lend this process's helper thread to the caller for the ``with`` block.

    The thread is the caller's if it is ``wanted`` (``False``: too little
    work to be worth a thread), :func:`enabled`, no :func:`shared_map` has
    the worker, and no other caller has the thread (nor is this the thread
    itself); else the :class:`Helper` runs each call here, when its result is
    asked for. Leaving the block waits for every call started.

    Parameters
    ----------
    wanted : bool
        Whether the caller's work is worth the thread.

    Yields
    ------
    Helper
    """
    if not wanted or not enabled() or _IN_USE.locked() or not _HELPER_FREE.acquire(blocking=False):
        yield Helper(None)
        return
    helper = Helper(None)
    try:
        helper = Helper(_helper_executor())
        yield helper
    finally:
        helper._wait()
        _HELPER_FREE.release()


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the worker stopped")
    (size,) = _HEADER.unpack(header)
    return pickle.loads(stream.read(size))  # noqa: S301 -- our own worker's pipe, never outside data


class _Worker:
    """A Python process running :func:`serve`, answering one call at a time."""

    def __init__(self) -> None:
        path = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from zones.engine.cores import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, WORKERS_VARIABLE: "0", "PYTHONPATH": path},
        )
        self.warm = False  # True once it has answered: imports and data loaded
        self.answered = 0  # calls it computed

    def call(self, function: Callable[[T], R], item: T) -> tuple[bool, R | None]:
        """Return ``(True, function(item))`` computed by the worker, or ``(False, None)`` if that failed."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        _send(self.process.stdin, (function.__module__, function.__qualname__, item))
        ok, result = _receive(self.process.stdout)
        self.warm = True
        self.answered += bool(ok)
        return bool(ok), result if ok else None

    def close(self) -> None:
        """End the worker (it ends by itself when this process's end of the pipe closes)."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):  # a worker that died leaves a broken pipe
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _worker() -> _Worker:
    """Return this process's worker, started on first use (again if it died)."""
    with _STATE_LOCK:
        worker = _WORKER.get("worker")
        if worker is None or worker.process.poll() is not None:
            worker = _WORKER["worker"] = _Worker()
            atexit.register(worker.close)
        return worker


def worker_calls() -> int:
    """Return how many calls this process's worker has computed (0 if none was started)."""
    with _STATE_LOCK:
        worker = _WORKER.get("worker")
    return 0 if worker is None else worker.answered


def _drop(worker: _Worker) -> None:
    """Forget a worker that failed; the next list starts another."""
    with _STATE_LOCK:
        if _WORKER.get("worker") is worker:
            del _WORKER["worker"]
    worker.close()


def shared_map(function: Callable[[T], R], items: Iterable[T]) -> Generator[R, None, None]:
    """Yield ``function(item)`` for each item, in order, computed here and in the worker process.

    Parameters
    ----------
    function : callable
        A module-level function (the worker imports it by name); its items
        and results must pickle.
    items : iterable
        The arguments, one call each.

    Yields
    ------
    object
        Each result, in the order of ``items``.
    """
    work = list(items)
    if len(work) < 2 or not enabled() or not _IN_USE.acquire(blocking=False):
        yield from map(function, work)
        return
    try:
        yield from _shared(function, work, _worker())
    finally:
        _IN_USE.release()


def _shared(function: Callable[[T], R], work: list[T], worker: _Worker) -> Generator[R, None, None]:
    """Yield the results of :func:`shared_map`, the worker taking items from the end in a thread of its own."""
    lock = threading.Condition()
    bounds = {"front": 0, "back": len(work), "stop": 0}  # this process takes [front, …), the worker […, back)
    done: dict[int, tuple[bool, Any]] = {}

    def feed() -> None:
        while True:
            with lock:
                if bounds["stop"] or bounds["back"] <= bounds["front"]:
                    return
                bounds["back"] -= 1
                index = bounds["back"]
            foreground.let_pages_load()  # the second core is the browser's while a page loads from this server
            try:
                answer = worker.call(function, work[index])
            except (OSError, EOFError, pickle.PickleError, AttributeError, TypeError):
                _drop(worker)
                answer = (False, None)
            with lock:
                done[index] = answer
                lock.notify_all()
            if not answer[0]:
                return

    thread = threading.Thread(target=feed, name="zones-cores", daemon=True)
    thread.start()
    try:
        for index, item in enumerate(work):
            with lock:
                mine = index >= bounds["front"] and index < bounds["back"]
                if mine:
                    bounds["front"] = index + 1
                else:  # the worker's: wait for it if it is warm and alive, else do it here
                    while index not in done and worker.warm and thread.is_alive():
                        lock.wait(timeout=0.05)
                    answer = done.get(index, (False, None))
            if mine or not answer[0]:
                yield function(item)
            else:
                yield answer[1]
    finally:
        with lock:
            bounds["stop"] = 1
        thread.join()  # at most the worker's item in hand: the pipe is free for the next list


def serve() -> None:
    """Answer pickled ``(module, name, item)`` calls from standard input until it closes (the worker's loop)."""
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything the engine prints stays off the answers
    while True:
        try:
            module, name, item = _receive(sys.stdin.buffer)
        except EOFError:
            return
        try:
            found: Any = importlib.import_module(module)
            for part in name.split("."):
                found = getattr(found, part)
            answer: tuple[bool, object] = (True, found(item))
        except Exception:  # the caller runs it again and sees the error itself
            answer = (False, None)
        try:
            _send(answers, answer)
        except (pickle.PickleError, TypeError, AttributeError):
            _send(answers, (False, None))
