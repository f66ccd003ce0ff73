"""Every word and number a reader sees: km, km², shares, people, and a scenario's totals as one story.

The app, the live line, the published page, the CLI and the report all take
their numbers (:func:`format_km`, :func:`format_km2`, :func:`format_share`,
:func:`format_people`), their days (:func:`day_in_words`), the readings' names
(:data:`READING_NAMES`, :data:`READING_LONG_NAMES`) and their sentences from here.

Every surface that sums the zone's land, people and cities builds its
sentence here, from the same :class:`Totals`, so the same scenario reads the
same everywhere:

* **the parties' land** (:data:`PARTIES_LAND`): NATO's side and Russia's
  side together, then each side's;
* **third countries apart**: land of countries on neither side that the
  zone reaches, never added to the parties' total;
* all land in the zone (the parties' and third countries' together) is
  shown on no surface, so no sum of it can pass for the parties';
* **people and cities** are counted over the same set, the parties' land,
  and the sentence says so.

The app's headline cards take their labels and lines from :data:`LABELS`,
:func:`parties_delta`, :func:`side_delta` and :func:`third_delta`; the width
ladder (:mod:`zones.web.ladder`) carries :func:`summary_parts` and
:func:`live_line` for every step, finished, so the browser's live line and
the published page put them in as text and build no words of their own; the
CLI prints :func:`summary_text` and the report prints it under its title.

>>> totals = Totals(
...     km2={"nato": 452_076.61, "russia": 467_628.52, "third": 226_953.05},
...     countries={"nato": 7, "russia": 2, "third": 3},
...     people={"nato": 28_323_983, "russia": 19_694_829, "third": 7_489_011},
...     cities={"nato": 228, "russia": 88, "third": 68},
... )
>>> print(summary_text(totals))
919,705 km² of the parties' land in the zone (NATO's side 452,077 km², Russia's side 467,629 km²), \
about 48,000,000 people and 316 cities of 15,000 or more on it; third countries apart: 226,953 km² in 3 countries
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, cast

from geodata import load_countries
from zones.settings import SIDE_NAMES

if TYPE_CHECKING:
    from zones.engine.analysis import Analysis, Scenario
    from zones.engine.contact import Sides


# Numbers: distances, areas, shares and head counts, the same on every surface.


def format_km(value_km: float) -> str:
    """Return a distance such as ``"1,234 km"``.

    >>> format_km(1234.4)
    '1,234 km'
    """
    return f"{value_km:,.0f} km"


def format_km2(value_km2: float) -> str:
    """Return an area such as ``"1,234 km²"`` (``"< 1 km²"`` for tiny non-zero areas).

    >>> format_km2(1_234_567.8)
    '1,234,568 km²'
    >>> format_km2(0.2), format_km2(0.0)
    ('< 1 km²', '0 km²')
    """
    if 0 < value_km2 < 0.5:
        return "< 1 km²"
    return f"{value_km2:,.0f} km²"


def format_share(share: float) -> str:
    """Return a share (0–1) as a percentage such as ``"71.3 %"`` (``"< 0.1 %"`` when tiny).

    >>> format_share(0.7132)
    '71.3 %'
    >>> format_share(0.00001), format_share(0.0)
    ('< 0.1 %', '0.0 %')
    """
    if 0 < share < 0.0005:
        return "< 0.1 %"
    return f"{100 * share:.1f} %"


def round_people(count: float) -> int:
    """Return an estimated head count rounded to three significant figures (halves up).

    >>> round_people(2_845_123), round_people(85_393), round_people(437.4), round_people(0.4)
    (2850000, 85400, 437, 0)
    """
    if count < 0.5:
        return 0
    unit = 10 ** max(0, math.floor(math.log10(count)) - 2)
    return int(math.floor(count / unit + 0.5) * unit)


def people_figure(count: float) -> str:
    """Return an estimated head count's figure alone, as :func:`format_people` writes it (for a table's cells).

    >>> people_figure(10_437_512), people_figure(85_393), people_figure(0)
    ('10,400,000', '85,400', '0')
    """
    return f"{round_people(count):,}"


def format_people(count: float) -> str:
    """Return an estimated head count in the one form the app, its map and the HTML page use.

    Three significant figures written out in full (``ladder.js``'s ``people``
    writes the same), so that figures side by side compare at a glance: no
    "about 2.8 M" beside "about 85,393".

    >>> format_people(2_845_123), format_people(85_393), format_people(0)
    ('about 2,850,000 people', 'about 85,400 people', '0 people')
    """
    return "0 people" if round_people(count) == 0 else f"about {people_figure(count)} people"


#: The sides whose land is the parties' land, in the order the sentences name them.
PARTY_SIDES: Final = ("nato", "russia")

#: The name of the parties' land (both sides together) in the zone.
PARTIES_LAND: Final = "the parties' land in the zone"

#: Short labels of the app's headline numbers, per total.
LABELS: Final = MappingProxyType(
    {
        "parties": "Parties' land",
        "nato": SIDE_NAMES["nato"],
        "russia": SIDE_NAMES["russia"],
        "third": "Third countries",
    }
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Totals:
    """A scenario's land, countries, people and cities in the zone, per side (``nato``, ``russia``, ``third``).

    Parameters
    ----------
    km2 : mapping of str to float
        Land in the zone per side, in km².
    countries : mapping of str to int
        Countries of each side that the zone reaches.
    people : mapping of str to int
        Estimated people on each side's land in the zone.
    cities : mapping of str to int
        Cities (GeoNames, ≥ 15,000 people) in the zone per side.
    """

    km2: Mapping[str, float]
    countries: Mapping[str, int]
    people: Mapping[str, int]
    cities: Mapping[str, int]

    @property
    def parties_km2(self) -> float:
        """The parties' land in the zone, both sides, in km²."""
        return sum(float(self.km2[side]) for side in PARTY_SIDES)

    @property
    def parties_countries(self) -> int:
        """The parties' countries that the zone reaches."""
        return _parties(self.countries)

    @property
    def parties_people(self) -> int:
        """Estimated people on the parties' land in the zone."""
        return _parties(self.people)

    @property
    def parties_cities(self) -> int:
        """Cities of 15,000 or more on the parties' land in the zone."""
        return _parties(self.cities)


def _parties(counts: Mapping[str, int]) -> int:
    """Return a count summed over the parties' two sides."""
    return sum(int(counts[side]) for side in PARTY_SIDES)


def totals_of(analysis: Analysis) -> Totals:
    """Return the :class:`Totals` of an analysis (its ``totals`` per side, its cities counted per side)."""
    totals: Any = analysis.totals.set_index("side")  # pandas' scalar lookups are untyped
    city_sides = analysis.cities["side"].value_counts().to_dict()
    sides = (*PARTY_SIDES, "third")
    return Totals(
        km2={side: float(totals.at[side, "area_km2"]) for side in sides},
        countries={side: int(totals.at[side, "countries"]) for side in sides},
        people={side: int(totals.at[side, "population"]) for side in sides},
        cities={side: int(city_sides.get(side, 0)) for side in sides},
    )


def countries_in_words(count: int) -> str:
    """Return ``"1 country"`` or ``"7 countries"``.

    >>> countries_in_words(1), countries_in_words(12)
    ('1 country', '12 countries')
    """
    return f"{count:,} {'country' if count == 1 else 'countries'}"


def people_in_words(count: float) -> str:
    """Return an estimated head count in the one form every surface uses (:func:`zones.wording.format_people`).

    >>> people_in_words(8_561_234), people_in_words(85_393), people_in_words(0)
    ('about 8,560,000 people', 'about 85,400 people', '0 people')
    """
    return format_people(count)


def summary_parts(totals: Totals) -> tuple[str, ...]:
    """Return the summary sentence in pieces: plain text and figures in turn (odd positions are figures).

    Joined, the pieces are :func:`summary_text`; the app and the published
    page set the figures in bold.
    """
    third = int(totals.countries["third"])
    third_parts = (
        ("none", "")
        if third == 0 and totals.km2["third"] == 0
        else (format_km2(totals.km2["third"]), f" in {countries_in_words(third)}")
    )
    return (
        "",
        format_km2(totals.parties_km2),
        f" of {PARTIES_LAND} ({SIDE_NAMES['nato']} ",
        format_km2(totals.km2["nato"]),
        f", {SIDE_NAMES['russia']} ",
        format_km2(totals.km2["russia"]),
        "), ",
        people_in_words(totals.parties_people),
        " and ",
        f"{totals.parties_cities:,}",
        f" {'city' if totals.parties_cities == 1 else 'cities'} of 15,000 or more on it; third countries apart: ",
        third_parts[0],
        third_parts[1],
    )


def summary_text(totals: Totals) -> str:
    """Return the summary sentence as plain text (the CLI's summary line, the report, the live line)."""
    return "".join(summary_parts(totals))


def live_line(width_km: float, totals: Totals) -> str:
    """Return the live line under the slider at one width: ``"At 300 km: "`` and :func:`summary_text`."""
    return f"At {format_km(width_km)}: {summary_text(totals)}"


def _people_and_cities(totals: Totals, sides: tuple[str, ...]) -> str:
    """Return ``"about 28.3 M people, 228 cities"``: the people and cities on ``sides``' land in the zone."""
    cities = sum(int(totals.cities[side]) for side in sides)
    people = sum(int(totals.people[side]) for side in sides)
    return f"{people_in_words(people)}, {cities:,} {'city' if cities == 1 else 'cities'}"


def parties_delta(totals: Totals) -> str:
    """Return the line under the parties' land in the app's headline: countries, people and cities on that land.

    >>> t = Totals(km2={"nato": 1.0, "russia": 1.0, "third": 0.0}, countries={"nato": 7, "russia": 2, "third": 0},
    ...            people={"nato": 28_323_983, "russia": 19_694_829, "third": 0}, cities={"nato": 228, "russia": 88,
    ...            "third": 0})
    >>> parties_delta(t)
    'in the zone: 9 countries of the two sides · about 48,000,000 people and 316 cities of 15,000 or more on it'
    """
    return (
        f"in the zone: {countries_in_words(totals.parties_countries)} of the two sides · "
        + _people_and_cities(totals, PARTY_SIDES).replace(", ", " and ", 1)
        + " of 15,000 or more on it"
    )


def share_of_touched_land(share: float, count: int) -> str:
    """Return a side's share of the land of the countries its zone reaches, in the one form every surface uses.

    >>> share_of_touched_land(0.162, 1), share_of_touched_land(0.0731, 7)
    ('16.2 % of the land of the country it touches', '7.3 % of the land of the 7 countries it touches')
    """
    touched = "the country" if count == 1 else f"the {countries_in_words(count)}"
    return f"{format_share(share)} of the land of {touched} it touches"


def side_delta(totals: Totals, side: str, *, share: float) -> str:
    """Return the line under one side's land in the app's headline: its share, countries, people and cities.

    >>> t = Totals(km2={"nato": 51_620.0}, countries={"nato": 1}, people={"nato": 195_000}, cities={"nato": 0})
    >>> side_delta(t, "nato", share=0.162)
    '16.2 % of the land of the country it touches · about 195,000 people, 0 cities'
    """
    return share_of_touched_land(share, int(totals.countries[side])) + " · " + _people_and_cities(totals, (side,))


def third_delta(totals: Totals) -> str:
    """Return the line under third countries' land in the app's headline: apart from the parties' total."""
    return (
        f"{countries_in_words(int(totals.countries['third']))} on neither side, not in the parties' total · "
        + _people_and_cities(totals, ("third",))
    )


# Days, the reading, the sides and the line in words.


def day_in_words(day: dt.date) -> str:
    """Return a day in words, as every surface writes it: ``17 December 2021``.

    >>> day_in_words(dt.date(2021, 12, 17)), day_in_words(dt.date(1997, 5, 27))
    ('17 December 2021', '27 May 1997')
    """
    return f"{day.day} {day:%B %Y}"


#: The readings of Russia's side in words, short (subtitles: "Russia's side: the Union State (Belarus, Russia)").
READING_NAMES: Final = MappingProxyType({"union-state": "the Union State", "csto": "the CSTO"})

#: The readings of Russia's side in words, long, where the reading stands alone (the app's headline and its
#: choice of Russia's side): who is on Russia's side.
READING_LONG_NAMES: Final = MappingProxyType(
    {"union-state": "Russia with Belarus (the Union State)", "csto": "Russia with the CSTO"}
)


def country_names(codes: tuple[str, ...]) -> list[str]:
    """Return the Natural Earth names of ``ADM0_A3`` codes; an unknown code stays as it is.

    Parameters
    ----------
    codes : tuple of str
        ``ADM0_A3`` codes.

    Returns
    -------
    list of str

    Examples
    --------
    >>> country_names(("RUS", "BLR", "XXX"))
    ['Russia', 'Belarus', 'XXX']
    """
    countries = load_countries()
    return [str(countries.loc[c, "name"]) if c in countries.index else c for c in codes]


def side_widths_in_words(russia_width_km: float, nato_width_km: float) -> str:
    """Return two different widths, one per side, in words (one wording for every surface).

    >>> side_widths_in_words(400, 150)
    "400 km on Russia's side and 150 km on NATO's side"
    """
    return f"{format_km(russia_width_km)} on Russia's side and {format_km(nato_width_km)} on NATO's side"


def line_in_words(sea_borders: bool) -> str:
    """Return which border line the zone is drawn from, in words.

    >>> line_in_words(False)
    'the border on land only'
    """
    return "the border on land and at sea (territorial sea)" if sea_borders else "the border on land only"


def sides_in_words(scenario: Scenario, sides: Sides) -> str:
    """Return the two sides in the app's words, for a subtitle.

    Parameters
    ----------
    scenario : Scenario
        Date, reading of Russia's side and custom sides.
    sides : Sides
        The sides' country codes (:func:`zones.engine.contact.resolve_sides`).

    Returns
    -------
    str
        E.g. "NATO's members on 17 December 2021 · Russia's side: the Union
        State (Russia, Belarus)"; custom sides are listed by name.
    """
    russia = ", ".join(country_names(sides.russia))
    if scenario.russia_side or scenario.nato_side:
        reading = f"custom sides: {russia} vs {', '.join(country_names(sides.nato))}"
    else:
        reading = f"Russia's side: {READING_NAMES.get(scenario.allies, scenario.allies)} ({russia})"
    day = cast(dt.date, scenario.date)  # a Scenario's date is validated: never None
    return f"NATO's members on {day_in_words(day)} · {reading}"
