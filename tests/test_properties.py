"""Property-based tests of the ``zones`` API: any input gives a valid result or an ArgumentError.

Every ``@settings`` here is ``derandomize=True`` (the examples are the same on
every run, so CI is reproducible) with a small ``max_examples``: the
geometry-heavy properties call :func:`zones.analyse` (70 ms – 5 s each).
"""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import math
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geodata import load_countries
from tests import oracle
from tests.rfc7946 import check_feature_collection
from zones import ArgumentError, NoBorderError, Scenario, analyse, export
from zones.engine.contact import contact_pairs, resolve_sides
from zones.settings import EARLIEST_DATE, MAX_WIDTH_KM, MIN_WIDTH_KM

REPO = Path(__file__).resolve().parents[1]

#: Cheap properties (validation only).
CHEAP = settings(derandomize=True, deadline=None, max_examples=300, database=None)
#: Properties that look up borders (tens of ms each).
BORDERS = settings(
    derandomize=True, deadline=None, max_examples=60, database=None, suppress_health_check=[HealthCheck.too_slow]
)
#: Properties that run whole analyses (0.1–5 s each).
HEAVY = settings(
    derandomize=True,
    deadline=None,
    max_examples=6,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CODES = tuple(load_countries().index)
#: Neighbours around Russia, Europe and the Caucasus: random sides from here often share a border.
NEAR = (
    "RUS", "BLR", "UKR", "POL", "LTU", "LVA", "EST", "FIN", "NOR", "SWE", "DEU", "CZE", "SVK", "HUN",
    "ROU", "MDA", "GEO", "ARM", "AZE", "TUR", "KAZ", "CHN", "MNG", "AUT", "FRA", "ESP", "USA", "CAN",
)  # fmt: skip
JUNK = ("", " ", "XXX", "pol", "P0L", "../../etc/passwd", "<script>", "RUS;DROP", "🇷🇺", "\u202eLOP", "ALL", "*")

# ---------------------------------------------------------------- strategies

SPECIAL_WIDTHS = (
    0, 0.0, -0.0, 1e-9, 0.001, MAX_WIDTH_KM, math.nextafter(MAX_WIDTH_KM, math.inf), -1, -1e-300, 1e308, math.inf,
    -math.inf, math.nan, "1e309", str(10**400), 10**400, -(10**400), "nan", "-inf", "Infinity", " 100 ", "1_000",
    "100km", "", "0x10", "١٠٠", True, False, None, [], {}, b"100", 1j,
    decimal.Decimal("sNaN"), decimal.Decimal("1e400"), fractions.Fraction(10**400, 3),
    np.float64(100), np.float32(2000), np.int64(7), np.float64("nan"),
)  # fmt: skip

any_width = st.one_of(
    st.sampled_from(SPECIAL_WIDTHS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=MAX_WIDTH_KM),
    st.integers(),
    st.text(max_size=12),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


def _date_texts(day: dt.date) -> st.SearchStrategy[str]:
    """Return the ways a person might write ``day``, ISO or not.

    Parameters
    ----------
    day : datetime.date

    Returns
    -------
    hypothesis.strategies.SearchStrategy of str
    """
    return st.sampled_from(
        [
            day.isoformat(),
            f" {day.isoformat()}\n",
            day.strftime("%Y%m%d"),
            day.strftime("%d/%m/%Y"),
            day.strftime("%m/%d/%Y"),
            day.strftime("%d.%m.%Y"),
            day.strftime("%B %d, %Y"),
            day.isoformat() + "T00:00:00",
            "{}-W{:02d}-{}".format(*day.isocalendar()),
            day.isoformat().replace("-", "/"),
        ]
    )


any_date = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)).flatmap(_date_texts),
    st.datetimes(min_value=dt.datetime(1940, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["", "today", "1991-12-25", "1991-12-26", "0000-00-00", "2021-02-29", "2024-02-29", "-1"]),
    st.text(max_size=16),
    st.integers(),
    st.floats(),
    st.none(),
)

a_code = st.one_of(st.sampled_from(NEAR), st.sampled_from(CODES))
any_side = st.one_of(
    st.none(),
    st.lists(a_code, min_size=1, max_size=4),
    st.lists(st.one_of(a_code, st.sampled_from(JUNK)), min_size=0, max_size=3),
    st.lists(a_code, min_size=1, max_size=3).map(lambda codes: ", ".join(c.lower() for c in codes)),
    st.sampled_from(JUNK),
    st.sampled_from([42, 1.5, b"POL", {"POL": 1}, ("POL", None), [["POL"]]]),
)

valid_date = st.one_of(
    st.sampled_from([dt.date(1997, 5, 27), dt.date(2004, 3, 29), dt.date(2021, 12, 17), dt.date(2023, 4, 4)]),
    st.dates(min_value=EARLIEST_DATE, max_value=dt.date.today()),
)
#: Widths the geometry-heavy properties analyse. Widths under ~0.5 km are left to the tests below:
#: the strip's vertex count grows as width^-1/2 (see test_tiny_width_is_bounded_or_refused).
heavy_width = st.one_of(
    st.sampled_from([0.0, 0.5, 10.0, 100.0, 1000.0, MAX_WIDTH_KM]),
    st.floats(min_value=0.5, max_value=MAX_WIDTH_KM),
)
neighbour_sides = st.one_of(
    st.none(),
    st.lists(st.sampled_from(NEAR), min_size=1, max_size=3, unique=True),
)


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    """Return keyword arguments of a :class:`Scenario`, mostly valid, sometimes not.

    Parameters
    ----------
    draw : hypothesis.strategies.DrawFn

    Returns
    -------
    dict
    """
    kwargs: dict = {"width_km": draw(heavy_width), "date": draw(valid_date)}
    kwargs["allies"] = draw(st.sampled_from(["union-state", "csto"]))
    kwargs["clip"] = draw(st.booleans())
    if draw(st.booleans()):
        kwargs["russia_width_km"] = draw(heavy_width)
        kwargs["nato_width_km"] = draw(heavy_width)
    if draw(st.integers(0, 3)) == 0:
        kwargs["russia_side"] = draw(neighbour_sides)
        kwargs["nato_side"] = draw(neighbour_sides)
    return kwargs


# ---------------------------------------------------------------- invariants


def assert_analysis_invariants(analysis) -> None:
    """Assert the strip invariants of one :class:`zones.Analysis`.

    Valid geometries; the zone covers the contact line when a width is > 0;
    areas positive; shares in [0, 1]; affected land no larger than its
    country; cities no farther from the line than the widest side (× 1.001 +
    50 m, the strip's accuracy).

    Parameters
    ----------
    analysis : zones.Analysis
    """
    scenario = analysis.scenario
    widest_km = max(scenario.russia_width_km, scenario.nato_width_km)
    assert analysis.strip.crs.to_epsg() == 4326
    assert analysis.strip.geometry.is_valid.all()
    assert analysis.affected.geometry.is_valid.all()
    assert (analysis.strip["area_km2"] > 0).all()
    zone = analysis.zone
    if widest_km == 0:
        assert zone.is_empty
        assert analysis.affected.empty
        assert analysis.cities.empty
    else:
        assert not zone.is_empty
        xy = shapely.get_coordinates(analysis.line)[:: max(1, len(shapely.get_coordinates(analysis.line)) // 2000)]
        shapely.prepare(zone)
        points = shapely.points(xy)
        if scenario.symmetric and not scenario.clip:
            assert shapely.covers(zone, points).all()
        else:  # the line is the edge between the two sides' pieces
            assert shapely.dwithin(zone, points, 1e-7).all()
    affected = analysis.affected
    assert affected["share"].between(0, 1).all()
    assert (affected["area_km2"] > 0).all()
    # 1e-6: a wholly covered country cut by the zone's edge gains vertices, and geodesic edges between them
    # enclose a few thousand m² more than the stored whole-country area (Finland: +7e-9)
    assert (affected["area_km2"] <= affected["country_area_km2"] * (1 + 1e-6)).all()
    assert analysis.totals["share"].between(0, 1).all()
    assert (analysis.cities["distance_km"] <= widest_km * 1.001 + 0.05).all()
    assert (analysis.cities["distance_km"] >= 0).all()


def attempt(function, /, *args, **kwargs):
    """Return ``(function(*args, **kwargs), None)``, or ``(None, error)`` if it raised an ArgumentError.

    Any other exception propagates and fails the test. The caller must then
    assert whether the input had to be accepted or refused (a validator that
    refused everything would otherwise pass).

    Parameters
    ----------
    function : callable
    *args, **kwargs
        Passed on.

    Returns
    -------
    tuple
    """
    try:
        return function(*args, **kwargs), None
    except ArgumentError as exc:
        return None, exc


def expected_width_km(value: object) -> float | None:
    """Return the width the specification accepts for ``value``, or ``None`` where it must be refused.

    Written from the documented rule ("0, or a finite number of km from 0.1 to
    2,000, given as a number or a string holding one; booleans refused"),
    parsing text with :class:`decimal.Decimal` rather than the validator's ``float``.
    """
    if value is None or isinstance(value, bool | np.bool_ | complex | list | dict):
        return None
    if isinstance(value, bytes):  # Python reads bytes holding ASCII digits as a number
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return None
    try:
        number = float(decimal.Decimal(value.strip())) if isinstance(value, str) else float(value)
    except (ValueError, OverflowError, ArithmeticError):
        return None
    if not math.isfinite(number) or not (number == 0 or MIN_WIDTH_KM <= number <= MAX_WIDTH_KM):
        return None
    return number


# ---------------------------------------------------------------- validation (cheap)


@CHEAP
@given(value=any_width)
def test_width_is_a_finite_number_in_range_or_an_argument_error(value):
    scenario, error = attempt(Scenario, width_km=value)
    expected = expected_width_km(value)
    if expected is None:
        assert error is not None, f"{value!r} should be refused"
        assert error.argument == "width_km"
        assert "width_km" in str(error)
        return
    assert error is None, f"{value!r} should be accepted as {expected} km: {error}"
    assert scenario.width_km == expected
    assert type(scenario.width_km) is float
    assert 0 <= scenario.width_km <= MAX_WIDTH_KM
    assert scenario.russia_width_km == scenario.nato_width_km == scenario.width_km
    assert not isinstance(value, bool | type(None))


@CHEAP
@given(width=any_width, russia=st.one_of(st.none(), any_width), nato=st.one_of(st.none(), any_width))
def test_per_side_widths_are_valid_or_an_argument_error(width, russia, nato):
    scenario, error = attempt(Scenario, width_km=width, russia_width_km=russia, nato_width_km=nato)
    valid = [
        expected_width_km(width) is not None,
        russia is None or expected_width_km(russia) is not None,
        nato is None or expected_width_km(nato) is not None,
    ]
    if not all(valid):
        assert error is not None
        first_bad = ("width_km", "russia_width_km", "nato_width_km")[valid.index(False)]
        assert error.argument in {"width_km", "russia_width_km", "nato_width_km"}
        assert (
            error.argument == first_bad
            or not valid[("width_km", "russia_width_km", "nato_width_km").index(error.argument)]
        )
        return
    assert error is None, error
    for name, given_value in (("russia_width_km", russia), ("nato_width_km", nato)):
        value = getattr(scenario, name)
        assert 0 <= value <= MAX_WIDTH_KM
        assert value == (scenario.width_km if given_value is None else float(given_value))
    assert scenario.symmetric == (scenario.russia_width_km == scenario.nato_width_km)
    assert scenario.replace(width_km=scenario.width_km) == scenario


@CHEAP
@given(value=any_date)
def test_date_is_from_1991_12_26_to_today_or_an_argument_error(value):
    today = dt.date.today()
    scenario, error = attempt(Scenario, date=value)
    assume(dt.date.today() == today)  # the clock did not cross midnight during the call
    day = value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            day = dt.datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:  # e.g. 2021-02-29
            day = None
    must_accept = value is None or (isinstance(day, dt.date) and EARLIEST_DATE <= day <= today)
    must_refuse = (
        (isinstance(day, dt.date) and not EARLIEST_DATE <= day <= today)
        or not isinstance(value, str | dt.date | type(None))
        or (isinstance(value, str) and not any(c.isdigit() for c in value))
    )
    assert not (must_accept and error is not None), f"{value!r} should be accepted: {error}"
    assert not (must_refuse and error is None), f"{value!r} should be refused"
    if error is not None:
        assert error.argument == "date"
        return
    assert type(scenario.date) is dt.date
    assert EARLIEST_DATE <= scenario.date <= today
    if value is None:
        assert scenario.date == today
    elif isinstance(value, dt.datetime):
        assert scenario.date == value.date()
    elif isinstance(value, dt.date):
        assert scenario.date == value
    else:
        assert isinstance(value, str)
        assert scenario.date == dt.date.fromisoformat(value.strip())


@BORDERS
@given(russia=any_side, nato=any_side, date=st.one_of(valid_date, any_date), allies=st.sampled_from(["csto", "x"]))
def test_custom_sides_give_a_contact_line_or_an_argument_error(russia, nato, date, allies):
    sides, error = attempt(resolve_sides, date, allies=allies, russia_side=russia, nato_side=nato)
    pairs = None
    if error is None:
        pairs, error = attempt(contact_pairs, sides)
    if error is not None:
        assert error.argument in {"date", "allies", "russia_side", "nato_side"}
        if isinstance(error, NoBorderError):
            assert "No land border" in str(error)
        return
    russia_features, nato_features = set(sides.features("russia")), set(sides.features("nato"))
    assert not russia_features & nato_features
    assert len(pairs) > 0
    assert set(pairs["russia_side"]) <= russia_features
    assert set(pairs["nato_side"]) <= nato_features
    assert (pairs["length_km"] > 0).all()
    assert pairs.geometry.is_valid.all()


# ---------------------------------------------------------------- analyses (heavy)


@HEAVY
@given(kwargs=scenarios())
def test_analyse_meets_the_strip_invariants_or_raises_an_argument_error(kwargs):
    analysis, error = attempt(lambda: analyse(Scenario(**kwargs)))
    if error is not None:
        assert error.argument in {"width_km", "russia_width_km", "nato_width_km", "russia_side", "nato_side"}
        return
    assert_analysis_invariants(analysis)


@settings(HEAVY, max_examples=5)
@given(
    kwargs=scenarios(),
    widths=st.lists(heavy_width, min_size=2, max_size=2, unique=True),
)
def test_strip_area_and_affected_land_grow_with_the_width(kwargs, widths):
    kwargs = {k: v for k, v in kwargs.items() if k not in {"russia_width_km", "nato_width_km", "width_km"}}
    narrow, wide = sorted(widths)
    try:
        small = analyse(Scenario(width_km=narrow, **kwargs))
        large = analyse(Scenario(width_km=wide, **kwargs))
    except ArgumentError:
        return
    # the strip edge lies within max(0.1 % of the width, 50 m) of the true one: area slack = perimeter × that
    slack_km = 0.001 * wide + 0.05
    perimeter_km = 2 * small.contact["length_km"].sum() + 2 * math.pi * wide
    assert small.strip["area_km2"].sum() <= large.strip["area_km2"].sum() + 2 * slack_km * perimeter_km
    if wide - narrow > 2 * slack_km:
        assert small.zone.difference(large.zone).area < 1e-6 * max(small.zone.area, 1e-9) + 1e-9
    land_small = small.affected.set_index("adm0_a3")["area_km2"]
    land_large = large.affected.set_index("adm0_a3")["area_km2"].reindex(land_small.index, fill_value=0)
    assert (land_small <= land_large * (1 + 1e-6) + 1.0).all()
    assert set(small.cities["geonameid"]) <= set(large.cities["geonameid"]) or wide - narrow <= 2 * slack_km


@settings(HEAVY, max_examples=4)
@given(kwargs=scenarios(), kind=st.sampled_from(["strip", "affected", "cities"]))
def test_exported_geojson_is_rfc7946_and_keeps_the_areas(kwargs, kind, tmp_path_factory):
    try:
        analysis = analyse(Scenario(**kwargs))
    except ArgumentError:
        return
    frame = getattr(export, f"{kind}_frame")(analysis)
    path = export.write_geojson(frame, tmp_path_factory.mktemp("geojson") / f"{kind}.geojson")
    check_feature_collection(path)
    back = gpd.read_file(path)
    assert len(back) == len(frame)
    if kind != "cities" and len(back):
        areas = np.array([oracle.geodesic_area_km2(g) for g in back.geometry])
        np.testing.assert_allclose(areas, frame["area_km2"], rtol=1e-4)


# ---------------------------------------------------------------- tiny widths


def test_smallest_width_meets_the_invariants():
    analysis = analyse(Scenario(width_km=0.1, russia_side=("NOR",), nato_side=("SWE",)))
    assert_analysis_invariants(analysis)
    assert 0 < analysis.strip["area_km2"].sum() < 2 * 0.1 * 1.01 * analysis.contact["length_km"].sum() + 0.1


@pytest.mark.parametrize("width_km", [1e-9, 0.001, 0.0999])
def test_widths_below_the_floor_are_refused(width_km):
    with pytest.raises(ArgumentError, match=r"'width_km' should be 0 or a number of km from 0.1 to 2,000"):
        Scenario(width_km=width_km)


TINY_WIDTH_PROBE = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # fail fast instead of exhausting the machine
    from zones import ArgumentError, Scenario, analyse
    try:
        analysis = analyse(Scenario(width_km=float(sys.argv[1]), date="1997-05-27"))
    except ArgumentError as exc:
        print("refused:", exc)
    else:
        print("ok:", analysis.strip["area_km2"].sum())
    """
)


@pytest.mark.parametrize("width_km", ["5e-324", "1e-108", "1e-15", "1e-9"])
def test_tiny_width_is_refused_without_exhausting_memory(width_km):
    result = subprocess.run(
        [sys.executable, "-c", TINY_WIDTH_PROBE, width_km],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-500:]
    # every one of these widths is below the 0.1 km floor: refused, quickly, with the argument named
    assert result.stdout.startswith("refused: 'width_km' should be 0 or a number of km from 0.1"), result.stdout


def test_numpy_bool_width_is_refused_like_bool():
    with pytest.raises(ArgumentError, match="width_km"):
        Scenario(width_km=np.True_)
