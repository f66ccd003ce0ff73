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
from collections.abc import Iterator
from typing import Final

#: The longest a background job waits at one step for a reader's work to end, in seconds: long enough for a
#: map image (1–1.5 s), short enough that ten readers at work still let a ladder write a width every 2 s.
MAX_WAIT_S: Final = 2.0


class _Readers:
    """How many pieces of work a reader waits for are running, and a condition to wait for none."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.running = 0


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


def give_way(max_wait_s: float = MAX_WAIT_S) -> float:
    """Wait while work a reader waits for runs (:func:`waited_for`), at most ``max_wait_s``; return the seconds waited.

    Returns at once (``0.0``) when none runs. Call it only from background
    work: called inside :func:`waited_for`, it would wait for itself.
    """
    with _READERS.condition:
        if _READERS.running == 0:
            return 0.0
        start = time.monotonic()
        _READERS.condition.wait_for(lambda: _READERS.running == 0, timeout=max_wait_s)
        return time.monotonic() - start
