"""Defaults and limits of the buffer-zone model, each documented.

Module globals on a Streamlit server are shared by every user, so every
constant here is immutable.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Final

#: Day the North Atlantic Treaty was signed.
NATO_FOUNDED: Final = dt.date(1949, 4, 4)

#: Earliest date accepted: 26 December 1991, the day the USSR was dissolved (the Soviet of the
#: Republics' declaration No. 142-N), from which the Russian Federation, one of the two parties,
#: existed as a state on its own.
EARLIEST_DATE: Final = dt.date(1991, 12, 26)

#: Day Russia published its draft agreement with NATO.
DRAFT_PUBLISHED: Final = dt.date(2021, 12, 17)

#: NATO–Russia Founding Act.
FOUNDING_ACT: Final = dt.date(1997, 5, 27)

#: Reading of "Russia and its military allies" used when none is given.
DEFAULT_ALLIES: Final = "union-state"

#: Largest strip width accepted, in km on each side of the border line.
MAX_WIDTH_KM: Final = 2000.0

#: Smallest positive width accepted, in km: below the strip's 50 m accuracy floor
#: a zone is meaningless (0 is accepted and gives an empty zone).
MIN_WIDTH_KM: Final = 0.1

#: Strip width shown when none is given, in km.
DEFAULT_WIDTH_KM: Final = 100.0

#: The width slider of the app and of the published page, in km on each side of the border line: its
#: largest width and its step. The width ladder (:mod:`zones.web.ladder`) holds one zone per step, so
#: 101 steps must fit in a page; the share-by-width chart and the link's widths use the same steps.
SLIDER_MAX_KM: Final = 1000
SLIDER_STEP_KM: Final = 10

#: Decimal places of longitude and latitude in exported GeoJSON (≈ 0.1 m).
GEOJSON_DECIMALS: Final = 6

#: Smallest population of the GeoNames cities considered.
MIN_CITY_POPULATION: Final = 15_000

#: Smallest piece of a country counted as affected, in km² (0.1 ha). Overlays
#: of shared borders leave numerical slivers of ~10⁻¹¹ km² along them.
MIN_AFFECTED_AREA_KM2: Final = 0.001

#: Plain-language names of the sides, for tables, legends and tooltips.
SIDE_NAMES: Final = MappingProxyType(
    {"russia": "Russia's side", "nato": "NATO's side", "third": "Third countries", "all": "Both sides"}
)

#: Natural Earth features that are part of a country rather than a dependency of it, listed with
#: that country in tables, counts and sweeps (their land and area added to it). Åland is an
#: autonomous region of Finland; Greenland and the Faroe Islands stay apart from Denmark, whose
#: share of land they would swamp, and Svalbard is inside Natural Earth's Norway already.
COUNTRY_PARTS: Final = MappingProxyType({"ALD": "FIN"})
