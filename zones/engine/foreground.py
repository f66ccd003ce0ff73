"""Work a reader waits for goes first: background jobs give way to it between their steps.

The app's background jobs (:class:`zones.web.jobs.LadderJobs`: the width
ladders written after the first paint, the presets' behind them) share the
server's process, and Python's global lock, with what a reader is waiting
for: a map image being drawn, a claims panel or a table being computed. On
a cold server a map PNG that takes about 1 s alone took 7 s beside a
ladder. Work a reader waits for runs inside :func:`waited_for`; a
background job calls :func:`give_way` between its steps (a ladder: between
two widths), which waits while any such work runs, for at most
``max_wait_s`` at a time, so a server that is never idle still finishes its
ladders.

Above both come the browser's requests. A new page fetches some 130 scripts
and styles, and its map's files, from the same process: while the server
answers them (:func:`serving`, around each HTTP request), background jobs
pause as for a reader's work, and a reader's own long computation (a claims
panel first computed, with its bar) pauses at its next step too
(:func:`let_pages_load`, at most ``max_wait_s``), so the page and its map come
first and the computation follows.

>>> give_way(0.5)  # nothing is waited for: no wait
0.0
>>> import threading
>>> waited = []
>>> with waited_for():
...     background = threading.Thread(target=lambda: waited.append(give_way(0.2)))
...     background.start()
...     background.join()  # still inside: the background job waits its longest, then goes on
>>> waited[0] >= 0.2
True
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Final

#: The longest a background job waits at one step for a reader's work to end, in seconds: long enough for a
#: map image (1–1.5 s), short enough that ten readers at work still let a ladder write a width every 2 s.
MAX_WAIT_S: Final = 2.0


#: The longest a reader's computation waits at one step while the browser's requests are answered, in seconds:
#: about what a new page's scripts and its map's files take on a busy 2-core machine.
MAX_PAGE_WAIT_S: Final = 1.0


class _Readers:
    """How many pieces of work a reader waits for, and requests, are running, and a condition to wait for none."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.running = 0
        self.serving = 0


_READERS: Final = _Readers()


@contextlib.contextmanager
def waited_for() -> Iterator[None]:
    """Run the block as work a reader waits for: background jobs pause at their next :func:`give_way` until it ends."""
    with _READERS.condition:
        _READERS.running += 1
    try:
        yield
    finally:
        with _READERS.condition:
            _READERS.running -= 1
            _READERS.condition.notify_all()


@contextlib.contextmanager
def serving() -> Iterator[None]:
    """Run the block as the answer to a browser's request: computations pause at their next step until it ends.

    >>> with serving():
    ...     round(let_pages_load(0.1), 1)  # a computation waits its longest, then goes on
    0.1
    """
    with _READERS.condition:
        _READERS.serving += 1
    try:
        yield
    finally:
        with _READERS.condition:
            _READERS.serving -= 1
            _READERS.condition.notify_all()


def give_way(max_wait_s: float = MAX_WAIT_S) -> float:
    """Wait while work a reader waits for runs (:func:`waited_for`, :func:`serving`), at most ``max_wait_s``.

    Returns the seconds waited: at once (``0.0``) when none runs. Call it only
    from background work: called inside :func:`waited_for`, it would wait for itself.
    """
    return _wait(lambda: _READERS.running == 0 and _READERS.serving == 0, max_wait_s)


def let_pages_load(max_wait_s: float = MAX_PAGE_WAIT_S) -> float:
    """Wait while the browser's requests are answered (:func:`serving`), at most ``max_wait_s``; return the seconds.

    For a reader's own long computation, between its steps: the page it will
    be shown on loads first. Returns at once (``0.0``) when no request is answered.
    """
    return _wait(lambda: _READERS.serving == 0, max_wait_s)


def _wait(idle: Callable[[], bool], max_wait_s: float) -> float:
    """Wait until ``idle()`` (checked under the condition), at most ``max_wait_s``; return the seconds waited."""
    with _READERS.condition:
        if idle():
            return 0.0
        start = time.monotonic()
        _READERS.condition.wait_for(idle, timeout=max_wait_s)
        return time.monotonic() - start
