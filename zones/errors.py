"""Exceptions raised by :mod:`zones`.

Each subclasses a built-in exception so that callers can catch either. The
UI and the CLI turn them into friendly messages (the CLI exits with code 2).
"""

from __future__ import annotations

from typing import Any, Final

#: Longest echo of a received value in a message, in characters.
MAX_SHOWN_CHARS: Final = 80


class ArgumentError(ValueError):
    """An argument has a value that is not allowed.

    Parameters
    ----------
    argument : str
        Name of the argument, as the caller spelled it (``width_km``).
    received : Any
        The value that arrived.
    allowed : str
        What is allowed, in words (``"a number from 0 to 2,000 km"``).
    hint : str, optional
        One more sentence, such as close matches.
    """

    def __init__(self, argument: str, received: Any, allowed: str, hint: str = "") -> None:
        self.argument = argument
        self.received = received
        self.allowed = allowed
        self.hint = hint
        shown = repr(received)
        if len(shown) > MAX_SHOWN_CHARS:  # never echo a huge value back in full
            shown = f"{shown[: MAX_SHOWN_CHARS - 1]}… ({len(shown):,} characters)"
        message = f"'{argument}' should be {allowed}, got {shown}"
        super().__init__(f"{message}. {hint}" if hint else message)


class NoBorderError(ArgumentError):
    """The two sides share no land border, so there is no contact line."""
