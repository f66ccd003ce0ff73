"""The claims the app's "At what width does a claim hold?" panel tests: a country, a share of its land, the words.

The panel (``app.py``) and its download (:mod:`zones.downloads`) measure,
for each claim, the smallest width at which the zone holds that share of
the country's land (:func:`zones.thresholds`); the panel's sentences are
:func:`zones.web.app_text.claim_parts`. A share of Norway is of mainland
Norway (:mod:`zones.engine.denominators`), as the claims read it. The
panel needs only the claims' own levels: once the line's width ladder
exists (:mod:`zones.web.ladder`, every country's share every 10 km) each
is bracketed within 10 km and settled with a few exact zones
(:func:`claim_widths`). A clipped line's claims read the unclipped line's
ladder as well: clipping leaves each party's land in the zone as it is, and
only drops the third countries, whose rows the clipped panel leaves out.

While the line's ladder is being written for the live slider, the panel
waits for it rather than compute the same widths beside it
(:func:`ladder_wait`), unless the ladder costs much more than the claims'
own widths (a clipped or a sea-border line's: 2–4 times, measured in
``docs/performance.md``) or is queued behind another
(:meth:`zones.web.jobs.LadderWait.worth_waiting`).

>>> CLAIM_COUNTRIES
('BLR', 'EST', 'FIN', 'LTU', 'LVA', 'NOR', 'POL', 'SWE', 'UKR')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final, NamedTuple

import pandas as pd

from zones.engine.analysis import Scenario
from zones.engine.share_thresholds import ShareSteps, is_stored, thresholds, thresholds_from_shares

if TYPE_CHECKING:
    from zones.web.jobs import LadderJobs, LadderWait


class Claim(NamedTuple):
    """One claim: ``share`` (0–1) of the land of the country ``code`` (``ADM0_A3``) lies in the zone."""

    code: str
    share: float
    words: str


#: The claims, in the panel's order.
CLAIMS: Final = (
    Claim("EST", 1.0, "All of Estonia"),
    Claim("LVA", 1.0, "All of Latvia"),
    Claim("LTU", 1.0, "All of Lithuania"),
    Claim("POL", 0.3333, "A third of Poland"),
    Claim("UKR", 0.1, "A tenth of Ukraine"),
    Claim("UKR", 0.3333, "A third of Ukraine"),
    Claim("FIN", 0.5, "Half of Finland"),
    Claim("NOR", 0.1, "A tenth of mainland Norway"),
    Claim("SWE", 0.1, "A tenth of Sweden"),
    Claim("BLR", 1.0, "All of Belarus"),
)

#: The countries the claims name, sorted: the thresholds computed for the panel and its download.
CLAIM_COUNTRIES: Final = tuple(sorted({claim.code for claim in CLAIMS}))


def claim_widths(scenario: Scenario, *, later: Callable[[Callable[[], object]], None] | None = None) -> pd.DataFrame:
    """Return the width at which each claim holds: the rows of :func:`zones.thresholds` for the claims' levels.

    From the line's width ladder when it exists already
    (:func:`ladder_shares`,
    :func:`zones.engine.share_thresholds.thresholds_from_shares`: the claims'
    rows only, in the order of :data:`CLAIMS`), else every level of the
    claims' countries (:func:`zones.thresholds`, slower: its own ladder of
    exact zones). The widths are the same either way.

    Parameters
    ----------
    scenario : Scenario
        Its widths are ignored; one width along the whole line (no widths per pair).
    later : callable, optional
        Takes work to run in the background (:meth:`zones.web.jobs.LadderJobs.later`). When the widths come
        from the ladder, the claims' countries' thresholds of every level (the claims' download,
        :func:`zones.downloads.claims_thresholds`) are not computed on the way: they are handed to
        ``later``, unless stored already, so that the download is made at once a little later.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`zones.thresholds`; with ``clip`` no third countries.
    """
    shares = ladder_shares(scenario)
    if shares is None:
        return thresholds(scenario, countries=CLAIM_COUNTRIES)
    if later is not None and not is_stored(scenario, countries=CLAIM_COUNTRIES):
        later(functools.partial(thresholds, scenario, countries=CLAIM_COUNTRIES))  # the claims' download's table
    levels = tuple(dict.fromkeys((claim.code, claim.share) for claim in CLAIMS))
    return thresholds_from_shares(scenario, levels, shares=shares)


def ladder_shares(scenario: Scenario) -> Mapping[str, ShareSteps] | None:
    """Return the shares of ``scenario``'s stored ladder (:func:`zones.web.ladder.stored_shares`), or ``None``.

    For a clipped line, the unclipped line's ladder serves when the clipped one is not stored: the same
    shares for every party's country (see the module docstring).

    Raises
    ------
    ArgumentError
        If ``scenario`` has widths per border pair (as :func:`zones.web.ladder.ladder_json`).
    """
    from zones.web.ladder import stored_shares  # lazy: the ladder needs folium; the CLI needs CLAIM_COUNTRIES only

    shares = stored_shares(scenario)
    if shares is None and scenario.clip:
        shares = stored_shares(scenario.replace(clip=False))
    return shares


def ladder_wait(ladders: LadderJobs, scenario: Scenario) -> LadderWait | None:
    """Return the panel's wait on the ladder job of ``scenario``'s line, or ``None``: then it computes its own.

    ``None`` when :func:`claim_widths` answers at once without it: a ladder it reads is stored
    (:func:`ladder_shares`), or the claims' thresholds are (:func:`zones.engine.share_thresholds.is_stored`);
    when the line's ladder costs much more than the claims' own widths: a sea-border line's (a longer line, its
    sea zones), a clipped line's (each width clipped to the parties' land; the claims' own widths reuse the
    unclipped line's work); and when there is no job to wait on
    (:meth:`zones.web.jobs.LadderJobs.awaited`: the live slider off, the job failed). A clipped line waits on
    the unclipped line's ladder if its job is under way (it is the same line: :func:`ladder_shares`), and
    starts none.

    Parameters
    ----------
    ladders : zones.web.jobs.LadderJobs
        The process's ladder jobs.
    scenario : Scenario
        The line (its widths are ignored; no widths per pair).
    """
    from zones.web import ladder  # lazy, as in ladder_shares

    unclipped = scenario.replace(clip=False)
    if ladder.is_stored(scenario) or ladder.is_stored(unclipped) or is_stored(scenario, countries=CLAIM_COUNTRIES):
        return None
    if scenario.sea_borders:
        return None
    return ladders.awaited(unclipped, start=not scenario.clip)
