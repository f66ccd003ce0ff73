"""How far a long computation has got, for a caller's progress bar, with no callback passed through every layer.

A caller that shows progress (the app's bars) wraps the work in
:func:`reporting`; deep inside, the work calls :func:`step` as it goes.
Elsewhere :func:`step` does nothing. The callback lives in a
:class:`contextvars.ContextVar`, so concurrent computations (one per
Streamlit session, each in its own thread or copied context) never see each
other's.

>>> seen = []
>>> with reporting(lambda done, total: seen.append((done, total))):
...     for k in range(1, 4):
...         step(k, 3)
>>> step(1, 1)  # no one is listening: nothing happens
>>> seen
[(1, 3), (2, 3), (3, 3)]
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Final

#: A progress callback: ``callback(done, total)``.
Reporter = Callable[[int, int], None]

_REPORTER: Final[ContextVar[Reporter | None]] = ContextVar("zones_progress", default=None)


@contextlib.contextmanager
def reporting(callback: Reporter) -> Iterator[None]:
    """Send the :func:`step` calls made inside the block (in this context) to ``callback(done, total)``."""
    token = _REPORTER.set(callback)
    try:
        yield
    finally:
        _REPORTER.reset(token)


def step(done: int, total: int) -> None:
    """Report that ``done`` of ``total`` steps are finished (to the reporter of the enclosing :func:`reporting`)."""
    callback = _REPORTER.get()
    if callback is not None:
        callback(done, total)
