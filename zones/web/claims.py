"""The claims the app's "At what width does a claim hold?" panel tests: a country, a share of its land, the words.

Data only. The panel (``app.py``) and its download (:mod:`zones.downloads`)
measure, for each claim, the smallest width at which the zone holds that
share of the country's land (:func:`zones.thresholds`); the panel's sentences
are :func:`zones.web.app_text.claim_parts`. A share of Norway is of mainland
Norway (:mod:`zones.engine.denominators`), as the claims read it.

>>> CLAIM_COUNTRIES
('BLR', 'EST', 'FIN', 'LTU', 'LVA', 'NOR', 'POL', 'SWE', 'UKR')
"""

from __future__ import annotations

from typing import Final, NamedTuple


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
