"""The training areas a zone would close: each area's side, distance to the line and the width that reaches it.

Article 7 bars "military exercises or other military activities above the
brigade level" in the zone. Such exercises are held on a few dozen large
training areas, listed with their sources in ``geodata/sites.csv`` (see
:func:`geodata.load_sites`). For a :class:`~zones.engine.analysis.Scenario` this
module gives each area

* its **side** on the scenario's date (``russia``, ``nato`` or ``third``), by
  its country's membership (:func:`zones.engine.impact.side_of`);
* its **distance** to the scenario's contact line, the exact geodesic
  distance on WGS84 (:func:`zones.engine.cities.distance_to_line_km`, a few metres
  long at most);
* the **first width** that reaches it. The zone's width on a side is
  measured from the line, so an area on Russia's or NATO's side is reached
  once *that side's* width equals its distance, whatever the other side's
  width; with the plain symmetric reading that is simply its distance. An
  area in a third country is reached by the larger of the two widths
  (the zone's envelope over the sea and third countries, see
  :mod:`zones.engine.zone`), so its first width is again its distance, read as the
  larger width; with ``clip`` no width reaches it (``NaN``);
* whether it is **inside** the zone at the scenario's widths: its distance is
  at most the width that applies to it. This is the exact reading; the drawn
  zone's edge is within max(0.1 % of W, 50 m) of it (:mod:`zones.engine.strip`).

The sentence the app and the report print is :func:`sites_sentence`.

>>> from zones.engine.analysis import Scenario
>>> table = sites_table(Scenario(width_km=150, date="2021-12-17", allies="union-state"))
>>> sorted(set(table["side"]))
['nato', 'russia', 'third']
"""

from __future__ import annotations

from typing import Final, cast

import geopandas as gpd
import numpy as np

from geodata import load_sites
from zones.engine.analysis import Scenario, pair_in_effect, scenario_contact
from zones.engine.cities import distance_to_line_km
from zones.engine.impact import side_of
from zones.wording import format_km, side_widths_in_words

#: Columns of :func:`sites_table`, in order (plus Point geometry).
SITE_TABLE_COLUMNS: Final = (
    "name",
    "country",
    "side",
    "distance_km",
    "first_width_km",
    "inside",
    "exercises",
    "lon",
    "lat",
    "coordinate_source",
    "source_url",
)

#: What the zone would bar on an area inside it, in the draft's words.
CLOSED_TO: Final = "closed to exercises above brigade level"


def sites_table(scenario: Scenario) -> gpd.GeoDataFrame:
    """Return every training area with its side, distance to the line, first width and whether the zone covers it.

    Parameters
    ----------
    scenario : Scenario
        The reading: date and sides (which give the line and each area's
        side), widths and ``clip``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per area of :func:`geodata.load_sites`, nearest the line
        first: columns :data:`SITE_TABLE_COLUMNS` and Point geometry,
        EPSG:4326. ``distance_km`` is the geodesic distance to the contact
        line in km; ``first_width_km`` the smallest width that reaches the
        area (its distance, read on its own side; ``NaN`` for an area in a
        third country when ``clip``); ``inside`` whether the zone at the
        scenario's widths covers it (with widths per pair: whether it lies
        within some pair's width of that pair's part of the line).

    Raises
    ------
    NoBorderError
        If the scenario's sides share no border.
    """
    sides, _contact, line = scenario_contact(scenario)
    sites = load_sites()
    side = side_of(sites["country"].to_numpy(), sides)
    distance_km = distance_to_line_km(sites["lon"].to_numpy(), sites["lat"].to_numpy(), line)
    russia_km, nato_km = side_widths_km(scenario)
    third = side == "third"
    first_width_km = np.where(third & scenario.clip, np.nan, distance_km)
    applies_km = np.select(
        [side == "russia", side == "nato"],
        [russia_km, nato_km],
        default=-np.inf if scenario.clip else max(russia_km, nato_km),
    )
    inside = distance_km <= applies_km
    if scenario.pair_widths:  # within some pair's width (on its side) of that pair's part of the line
        _, pair_km, pair_width_km = pair_in_effect(scenario, sites["lon"].to_numpy(), sites["lat"].to_numpy(), side)
        inside = (pair_km <= pair_width_km) & ~(third & scenario.clip)
    table = sites.assign(side=side, distance_km=distance_km, first_width_km=first_width_km, inside=inside)
    table = table[[*SITE_TABLE_COLUMNS, "geometry"]].sort_values("distance_km", kind="stable")
    return gpd.GeoDataFrame(table.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")


def sites_counts(table: gpd.GeoDataFrame) -> dict[str, tuple[int, int]]:
    """Return, per side, (areas inside the zone, areas on that side) of a :func:`sites_table`.

    >>> import pandas as pd
    >>> sites_counts(pd.DataFrame({"side": ["nato", "nato", "russia"], "inside": [True, False, False]}))
    {'russia': (0, 1), 'nato': (1, 2), 'third': (0, 0)}
    """
    return {
        side: (int((table["inside"] & (table["side"] == side)).sum()), int((table["side"] == side).sum()))
        for side in ("russia", "nato", "third")
    }


def sites_sentence(
    table: gpd.GeoDataFrame, *, russia_width_km: float, nato_width_km: float | None = None, pair_words: str = ""
) -> str:
    """Return the sentence on the areas a zone would close, as the app and the report print it.

    Areas in third countries are left out: the draft binds only the parties.

    Parameters
    ----------
    table : geopandas.GeoDataFrame
        A :func:`sites_table` (its ``side`` and ``inside`` columns).
    russia_width_km : float
        The zone's width on Russia's side, km (the common width when equal).
    nato_width_km : float, optional
        The width on NATO's side, km; defaults to ``russia_width_km``.
    pair_words : str
        The widths per pair in words (``Scenario.pair_widths_words``), named
        after the common widths: ``"at 150 km, except 50 km along Russia–Norway, …"``.

    Returns
    -------
    str
        E.g. ``"at 150 km, 3 of 15 areas on NATO's side and 5 of 17 on
        Russia's would be closed to exercises above brigade level"``; with
        different widths it starts ``"at 100 km on Russia's side and 150 km
        on NATO's side, …"`` (:func:`zones.wording.side_widths_in_words`).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"side": ["nato", "nato", "russia"], "inside": [True, False, False]})
    >>> sites_sentence(table, russia_width_km=150)
    "at 150 km, 1 of 2 areas on NATO's side and 0 of 1 on Russia's would be closed to exercises above brigade level"
    >>> sites_sentence(table, russia_width_km=100, nato_width_km=150)[:45]
    "at 100 km on Russia's side and 150 km on NATO"
    """
    nato_width_km = russia_width_km if nato_width_km is None else nato_width_km
    counts = sites_counts(table)
    (nato_in, nato_all), (russia_in, russia_all) = counts["nato"], counts["russia"]
    if russia_width_km == nato_width_km:
        widths = f"at {format_km(russia_width_km)}"
    else:
        widths = f"at {side_widths_in_words(russia_width_km, nato_width_km)}"
    if pair_words:
        widths += f", except {pair_words}"
    area = "area" if nato_all == 1 else "areas"
    return (
        f"{widths}, {nato_in} of {nato_all} {area} on NATO's side and {russia_in} of {russia_all} on Russia's "
        f"would be {CLOSED_TO}"
    )


def scenario_sites_sentence(scenario: Scenario, table: gpd.GeoDataFrame | None = None) -> str:
    """Return :func:`sites_sentence` at ``scenario``'s widths (its :func:`sites_table` unless given)."""
    table = sites_table(scenario) if table is None else table
    russia_km, nato_km = side_widths_km(scenario)
    return sites_sentence(
        table, russia_width_km=russia_km, nato_width_km=nato_km, pair_words=scenario.pair_widths_words
    )


def side_widths_km(scenario: Scenario) -> tuple[float, float]:
    """Return the scenario's widths on Russia's and NATO's side, km (normalised to floats on construction).

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    tuple of float
        ``(russia_width_km, nato_width_km)``.
    """
    return cast("float", scenario.russia_width_km), cast("float", scenario.nato_width_km)
