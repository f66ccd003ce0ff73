"""The simple values the app's caches are keyed by: a :class:`zones.Scenario` as a hashable tuple, and back.

Streamlit's caches hash their arguments; a tuple of numbers, text and flags
hashes fast and the same in every session, where a scenario object would not.

>>> from zones import Scenario
>>> key = ScenarioKey.of(Scenario(width_km=300, date="2021-12-17"))
>>> key.width_km, key.date_iso, key.widthless()
(300.0, '2021-12-17', ('2021-12-17', 'union-state', False, False))
>>> key.scenario() == Scenario(width_km=300, date="2021-12-17")
True
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from zones.engine.analysis import Scenario
from zones.engine.pair_widths import PairWidth


class ScenarioKey(NamedTuple):
    """A scenario's widths, date, reading, clipping, sea borders and widths per pair, as plain values."""

    width_km: float
    russia_width_km: float
    nato_width_km: float
    date_iso: str
    allies: str
    clip: bool
    sea_borders: bool
    pair_widths: tuple[PairWidth, ...] = ()

    @classmethod
    def of(cls, scenario: Scenario) -> ScenarioKey:
        """Return the key of a (validated) scenario."""
        russia_km, nato_km, day = scenario.russia_width_km, scenario.nato_width_km, scenario.date
        if russia_km is None or nato_km is None or day is None:
            raise ValueError("a Scenario has its widths and date set once validated")
        return cls(
            scenario.width_km,
            russia_km,
            nato_km,
            day.isoformat(),
            scenario.allies,
            scenario.clip,
            scenario.sea_borders,
            scenario.pair_widths,
        )

    @classmethod
    def line(cls, date_iso: str, allies: str, clip: bool, sea_borders: bool) -> ScenarioKey:
        """Return the key of a line's scenario at width 0 (the sweep's, the thresholds', the pairs' table)."""
        return cls(0.0, 0.0, 0.0, date_iso, allies, clip, sea_borders)

    def at_width(
        self, width_km: float, russia_width_km: float | None = None, nato_width_km: float | None = None
    ) -> ScenarioKey:
        """Return this key at another width: the same on both sides, or ``russia_width_km`` and ``nato_width_km``."""
        russia_km = width_km if russia_width_km is None else russia_width_km
        nato_km = width_km if nato_width_km is None else nato_width_km
        return self._replace(width_km=width_km, russia_width_km=russia_km, nato_width_km=nato_km)

    def scenario(self) -> Scenario:
        """Return the scenario of this key."""
        return Scenario(
            width_km=self.width_km,
            russia_width_km=self.russia_width_km,
            nato_width_km=self.nato_width_km,
            date=dt.date.fromisoformat(self.date_iso),
            allies=self.allies,
            clip=self.clip,
            sea_borders=self.sea_borders,
            pair_widths=self.pair_widths,
        )

    def widthless(self) -> tuple[str, str, bool, bool]:
        """Return everything but the widths: the key of the sweep, the thresholds and the first view."""
        return (self.date_iso, self.allies, self.clip, self.sea_borders)
