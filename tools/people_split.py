"""How the people estimate's error depends on the share of the rural rest spread by area, and how robust the choice is.

``zones.engine.population`` spreads each country's people outside GeoNames places
(``POP_EST`` less the places' sum) over its land, a share :data:`RURAL_AREA_SHARE`
by area and the rest by the places' neighbours. That share was chosen on a grid
against the official regional figures of ``tests/test_population.py`` (issue 23's
goal: each country's median error ≤ 10 %, no region of 50,000 people or more off
by more than 30 %). This script prints, for every share on the grid, each
country's median error and the largest error of a region of 50,000 or more;
then a leave-one-country-out check: the share the other countries' figures would
choose, and the error it gives the country left out (an estimate of the error
where no official figure was used to choose). Last, Norway's and Sweden's own
share (:data:`zones.engine.population.OWN_AREA_SHARES`): their counties' errors
against their statistics offices for each share on a grid of 0.05, the pooled
one among them, and the largest error of the counties the share moves.

Whole regions only, from ``geodata`` directly (no zone: a region's estimate is
its places at their figures plus its shares of the two rural parts), the same
sums :mod:`zones.engine.population` makes for a region wholly inside a zone.

Run: ``.venv/bin/python -m tools.people_split``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final

import numpy as np
import pandas as pd

from geodata import load_countries, load_places, load_regions
from tests import test_population as official
from zones.engine.denominators import remote_area_km2
from zones.engine.population import OWN_AREA_SHARES, OWN_SHARE_NAMES, RURAL_AREA_SHARE, rest_neighbours

#: The shares of the rural rest spread by area that are tried.
GRID: Final = tuple(float(s) for s in np.round(np.arange(0.30, 0.651, 0.025), 3))

#: The shares tried for a country's own (its counties' figures alone).
OWN_GRID: Final = tuple(float(s) for s in np.round(np.arange(0.0, 0.451, 0.05), 3))

#: A county "moves" with the share if its error spans this much over :data:`OWN_GRID`; the own share is the value
#: whose largest error over the counties that move is smallest (Sweden's Gotland and Kronoberg do not move).
MOVES: Final = 0.10

#: The countries of the pooled share, :data:`RURAL_AREA_SHARE`.
POOLED: Final = ("POL", "BLR", "LTU", "LVA", "EST", "RUS")

#: Regions of this many people or more are held to the largest-error goal.
LARGE_PEOPLE: Final = 50_000


def _references() -> Iterator[tuple[str, tuple[str, ...], float, bool]]:
    """Yield ``(country, ISO 3166-2 codes, reference, is_share)`` for every official figure of the tests."""
    for iso, _, _, thousands in official.VOIVODESHIPS:
        yield "POL", (iso,), thousands * 1000.0, False
    for iso, people in official.BELARUS_2024.items():
        yield "BLR", (iso,), float(people), False
    for iso, people in official.LITHUANIA_2023.items():
        yield "LTU", (iso,), float(people), False
    for iso, (people, _, _) in official.RUSSIA.items():
        yield "RUS", (iso,), float(people), False
    for (code, isos), share in official.PUBLISHED_SHARES.items():
        yield code, tuple(isos), float(share), True
    for isos, people in official.NORWAY_2018.items():
        yield "NOR", isos, people / official.NORWAY_2018_TOTAL, True
    for isos, people in official.SWEDEN_2018.items():
        yield "SWE", isos, people / official.SWEDEN_2018_TOTAL, True


def errors(area_share: float, countries: tuple[str, ...] = POOLED) -> pd.DataFrame:
    """Return every official figure's relative error with ``area_share`` of the rural rest spread by area.

    Of ``countries``' figures (by default those of the pooled share). The land of remote parts whose people all
    live in their settlements (Svalbard …) gets none of the rest by area, as in :mod:`zones.engine.population`.

    Returns
    -------
    pandas.DataFrame
        ``country``, ``region`` (ISO codes joined), ``error`` (estimate / official − 1) and
        ``official`` (people; NaN for a share of the country).
    """
    places, regions, country_table = load_places(), load_regions(), load_countries()
    rows = []
    for code in countries:
        here = places[places["adm0_a3"] == code]
        pop_est = float(country_table.loc[code, "pop_est"])
        total = float(here["population"].sum())
        scale, rest = min(1.0, pop_est / total), max(pop_est - total, 0.0)
        own = regions[regions["adm0_a3"] == code].set_index("adm1_code")
        unsettled_km2 = remote_area_km2(own.geometry.to_numpy(), np.full(len(own), code), unsettled=True)
        by_area = area_share * rest * (own["area_km2"] - unsettled_km2) / float(country_table.loc[code, "area_km2"])
        neighbours = rest_neighbours(here)
        by_neighbours = (rest - float(by_area.sum())) * neighbours / neighbours.sum()
        weights = here["population"].to_numpy(dtype=float) * scale + by_neighbours
        in_places = pd.Series(weights).groupby(here["adm1_code"].to_numpy()).sum()
        estimate = (in_places.reindex(own.index).fillna(0.0) + by_area).set_axis(own["iso_3166_2"].to_numpy())
        for country, isos, reference, is_share in _references():
            if country != code:
                continue
            value = float(estimate[list(isos)].sum())
            error = value / pop_est / reference - 1 if is_share else value / reference - 1
            rows.append((code, "+".join(isos), error, np.nan if is_share else reference))
    return pd.DataFrame(rows, columns=["country", "region", "error", "official"])


def summary(table: pd.DataFrame) -> tuple[float, float, str]:
    """Return the largest country median, the largest error of a large region, and that region."""
    medians = table.assign(error=table["error"].abs()).groupby("country")["error"].median()
    worst = _worst(table[table["official"] >= LARGE_PEOPLE])
    return float(medians.drop("LVA", errors="ignore").max()), float(abs(worst["error"])), str(worst["region"])


def _worst(table: pd.DataFrame) -> pd.Series:
    """Return the row of ``table`` with the largest error in size."""
    return table.iloc[int(np.argmax(table["error"].abs().to_numpy()))]


def _others(held: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Return a row filter that keeps every country's figures but ``held``'s."""
    return lambda table: table["country"] != held


def _chosen(tables: dict[float, pd.DataFrame], keep: Callable[[pd.DataFrame], pd.Series]) -> float:
    """Return the share whose kept figures have the smallest largest large-region error (then median)."""

    def score(share: float) -> tuple[float, float]:
        median, largest, _ = summary(tables[share][keep(tables[share])])
        return largest, median

    return min(tables, key=score)


def main() -> None:
    """Print the grid and the leave-one-country-out check."""
    tables = {share: errors(share) for share in GRID}
    print(f"{'area share':>10}  {'largest median':>14}  {'largest error, ≥ 50,000 people':>32}")
    for share, table in tables.items():
        median, largest, region = summary(table)
        mark = "  ← zones.engine.population" if abs(share - RURAL_AREA_SHARE) < 1e-9 else ""
        print(f"{share:>10.3f}  {median:>14.1%}  {largest:>24.1%} {region:<7}{mark}")
    print("\nLeave one country out: the share the others choose, and the left-out country's errors")
    for held in ("POL", "BLR", "LTU", "RUS"):
        share = _chosen(tables, _others(held))
        left = tables[share][tables[share]["country"] == held]
        worst = _worst(left[left["official"] >= LARGE_PEOPLE])
        print(
            f"{held}: {share:.3f}; median {left['error'].abs().median():.1%}, "
            f"largest {worst['error']:+.1%} ({worst['region']})"
        )
    for code in OWN_AREA_SHARES:
        print(f"\n{OWN_SHARE_NAMES[code]}'s own share: its counties' shares of the country against its statistics'")
        own = {share: errors(share, (code,)).set_index("region")["error"] for share in OWN_GRID}
        grid = pd.DataFrame(own)
        moved = grid.index[grid.max(axis=1) - grid.min(axis=1) >= MOVES]
        print(f"counties that move {MOVES:.0%} or more over the grid: {', '.join(map(str, moved))}")
        for share, error in own.items():
            mark = "  ← zones.engine.population" if abs(share - OWN_AREA_SHARES[code]) < 1e-9 else ""
            mark += "  (the pooled share)" if abs(share - RURAL_AREA_SHARE) < 1e-9 else ""
            county = str(error.abs().idxmax())
            print(
                f"{share:>5.2f}  median {error.abs().median():>5.1%}  largest {error[county]:+.1%} ({county[:12]}), "
                f"of those that move {error[moved].abs().max():.1%}{mark}"
            )


if __name__ == "__main__":
    main()
