"""The link's query string, without Streamlit: every hostile value is refused by name, good values round-trip."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from zones.settings import DEFAULT_ALLIES, DEFAULT_WIDTH_KM, DRAFT_PUBLISHED
from zones.web.link import FLAGS, link_params, parse_width, refused, state_from_query, untrusted

MAX_KM = 1000
STEP_KM = 10
RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZWJ = "\u200d"  # ZERO WIDTH JOINER
DEFAULTS = {
    "width_km": DEFAULT_WIDTH_KM,
    "per_side": False,
    "russia_width_km": DEFAULT_WIDTH_KM,
    "nato_width_km": DEFAULT_WIDTH_KM,
    "date": DRAFT_PUBLISHED,
    "allies": DEFAULT_ALLIES,
    "clip": False,
    "sea_borders": False,
    "layer_article_4": False,
    "layer_article_7_1": False,
    "layer_sites": False,
    "regions_country": "",
}


def parse(params: dict[str, str]) -> tuple[dict[str, object], list[str]]:
    values, notes = state_from_query(params, max_width_km=MAX_KM, step_km=STEP_KM)
    return values, notes


def shown(markdown: str) -> str:
    """Return what a reader sees of inert Markdown text: escapes removed, entities decoded."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


def echoed(note: str) -> str:
    """Return the value a note says arrived (between “ and ”)."""
    match = re.search(r"got “(.*?)”, expected", note, flags=re.DOTALL)
    assert match, note
    return match.group(1)


def test_no_link_gives_the_defaults_and_no_note():
    assert parse({}) == (DEFAULTS, [])


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("width_km", "NaN", "0 or a number of km from 0.1 to 1,000"),
        ("width_km", "-Infinity", "0 or a number of km from 0.1 to 1,000"),
        ("width_km", "1e-9", "0 or a number of km from 0.1 to 1,000"),
        ("width_km", "1001", "0 or a number of km from 0.1 to 1,000"),
        ("width_km", "0x10", "0 or a number of km from 0.1 to 1,000"),
        ("width_km", "🇷🇺", "0 or a number of km from 0.1 to 1,000"),
        ("russia_width_km", "1e309", "0 or a number of km from 0.1 to 1,000"),
        ("nato_width_km", "<img src=x onerror=alert(1)>", "0 or a number of km from 0.1 to 1,000"),
        ("date", "1991-12-25", "a date YYYY-MM-DD from 1991-12-26"),
        ("date", "2021-02-30", "a date YYYY-MM-DD from 1991-12-26"),
        ("date", "../../etc/passwd", "a date YYYY-MM-DD from 1991-12-26"),
        ("date", "9999-01-01", "a date YYYY-MM-DD from 1991-12-26"),
        ("allies", "nato", "one of 'union-state', 'csto'"),
        ("allies", RTL + "otsc", "one of 'union-state', 'csto'"),
        ("clip", "maybe", "1 or 0"),
        ("sea_borders", "🌊", "1 or 0"),
        ("date", "31.02.2004", "a date YYYY-MM-DD from 1991-12-26"),
        ("areas", "4,7.2", "4, 7.1 or sites, comma-separated"),
        ("areas", "<b>7</b>", "4, 7.1 or sites, comma-separated"),
        ("country", "POLAND", "a three-letter country code such as POL"),
        ("country", "P0L", "a three-letter country code such as POL"),
    ],
)
def test_a_bad_value_is_refused_with_a_note_naming_it(name, value, allowed):
    values, notes = parse({name: value})
    assert len(notes) == 1
    note = notes[0]
    assert note.startswith(f"Ignored **{name}** in the link: got “")
    assert f"expected {allowed}" in note
    assert "Using" in note
    if name != "date" or "-" in value:  # a day.month.year date is echoed in the ISO form it was read as
        assert shown(echoed(note)) == value.replace(RTL, "")  # what arrived, shown as plain text
    expected = dict(DEFAULTS)
    if name in {"russia_width_km", "nato_width_km"}:
        expected["per_side"] = True  # the link asked for per-side widths; the bad one takes the common width
    assert values == expected


@pytest.mark.parametrize(
    "value",
    ["<script>alert(1)</script>", "**bold** [link](javascript:alert(1))", "x" * 10_000, "🇷🇺" * 5_000, "a" + ZWJ + "b"],
    ids=["script", "markdown", "long", "flags", "zero-width"],
)
def test_junk_is_echoed_short_and_inert(value):
    _, (note,) = parse({"allies": value})
    echo = echoed(note)
    assert len(note) < 300
    assert "<" not in echo
    assert ">" not in echo
    assert re.search(r"(?<!\\)[*\[\]()_`]", echo) is None  # every Markdown character escaped
    assert ZWJ not in echo
    assert RTL not in echo
    plain = shown(echo)
    clean = value.replace(ZWJ, "")
    if len(clean) <= 40:
        assert plain == clean
    else:
        assert plain == clean[:39] + "…"


def test_untrusted_drops_control_and_format_characters_only():
    assert untrusted("a\x00b\u200fc\u202ed\td") == "abcdd"
    assert untrusted("Łódź") == "Łódź"
    assert untrusted(12.5) == "12\\.5"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"width_km": "300"}, {"width_km": 300.0, "russia_width_km": 300.0, "nato_width_km": 300.0}),
        ({"width_km": " 200 "}, {"width_km": 200.0, "russia_width_km": 200.0, "nato_width_km": 200.0}),
        ({"width_km": "1_000"}, {"width_km": 1000.0, "russia_width_km": 1000.0, "nato_width_km": 1000.0}),
        ({"width_km": "-0"}, {"width_km": 0.0, "russia_width_km": 0.0, "nato_width_km": 0.0}),
        (
            {"russia_width_km": "50", "nato_width_km": "400"},
            {"per_side": True, "russia_width_km": 50.0, "nato_width_km": 400.0},
        ),
        (
            {"width_km": "300", "nato_width_km": "20"},
            {"width_km": 300.0, "per_side": True, "russia_width_km": 300.0, "nato_width_km": 20.0},
        ),
        ({"date": "2004-03-29"}, {"date": dt.date(2004, 3, 29)}),
        ({"date": "1991-12-26"}, {"date": dt.date(1991, 12, 26)}),
        ({"date": "29.03.2004"}, {"date": dt.date(2004, 3, 29)}),  # as readers type it: day.month.year
        ({"date": "1.4.2009"}, {"date": dt.date(2009, 4, 1)}),
        ({"areas": "7.1"}, {"layer_article_7_1": True}),
        ({"areas": " 4, 7.1 "}, {"layer_article_4": True, "layer_article_7_1": True}),
        ({"areas": ""}, {}),
        ({"areas": "Sites"}, {"layer_sites": True}),
        ({"country": "pol"}, {"regions_country": "POL"}),
        ({"allies": " CSTO "}, {"allies": "csto"}),
        ({"clip": "TRUE", "sea_borders": "on"}, {"clip": True, "sea_borders": True}),
        ({"clip": "0", "sea_borders": "no"}, {}),
        ({"<script>": "alert(1)", "x" * 1000: "y"}, {}),
    ],
    ids=repr,
)
def test_good_values_round_trip_without_a_note(params, expected):
    values, notes = parse(params)
    assert notes == []
    assert values == {**DEFAULTS, **expected}


@pytest.mark.parametrize(
    "link",
    [
        {"width_km": "300", "date": "2021-12-17", "allies": "union-state"},
        {
            "russia_width_km": "400",
            "nato_width_km": "150",
            "date": "2004-03-29",
            "allies": "csto",
            "clip": "1",
            "sea_borders": "1",
            "areas": "4,7.1,sites",
            "country": "FIN",
        },
    ],
    ids=["plain", "every-setting"],
)
def test_the_link_written_reads_back_as_itself(link):
    """Every setting the app keeps (areas and the regions' country included) is written into the link it makes."""
    values, notes = parse(link)
    assert notes == []
    assert link_params(values) == link


def test_a_width_off_the_slider_is_rounded_with_a_note():
    values, notes = parse({"width_km": "104.9", "nato_width_km": "0.1"})
    assert values["width_km"] == 100.0
    assert values["nato_width_km"] == 0.0
    assert notes == [
        "Rounded **width_km** from 104.9 km to 100 km: the slider moves in 10 km steps.",
        "Rounded **nato_width_km** from 0.1 km to 0 km: the slider moves in 10 km steps.",
    ]


def test_a_bad_common_width_names_the_default_and_a_bad_side_the_common_width():
    values, notes = parse({"width_km": "wide", "russia_width_km": "300", "nato_width_km": "far"})
    assert values["width_km"] == DEFAULT_WIDTH_KM
    assert values["russia_width_km"] == 300.0
    assert values["nato_width_km"] == DEFAULT_WIDTH_KM
    assert notes[0].endswith(f"Using the default: {DEFAULT_WIDTH_KM:,.0f} km on each side.")
    assert notes[1].startswith("Ignored **nato_width_km**")
    assert notes[1].endswith(f"Using {DEFAULT_WIDTH_KM:,.0f} km.")


def test_every_setting_bad_at_once_gives_one_note_each_in_order():
    params = {
        "width_km": "'; DROP TABLE zones; --",
        "russia_width_km": "inf",
        "nato_width_km": "-10",
        "date": "2021-13-01",
        "allies": "warsaw-pact",
        "clip": "2",
        "sea_borders": "\u202eno",
    }
    values, notes = parse(params)
    assert [re.match(r"Ignored \*\*(\w+)\*\*", n).group(1) for n in notes] == list(params)
    assert values == {**DEFAULTS, "per_side": True}


def test_flag_defaults_are_named_in_words():
    for name, default in FLAGS:
        _, (note,) = parse({name: "2"})
        assert note.endswith(f"Using the default: {default}.")


def test_the_slider_limits_are_the_callers():
    notes: list[str] = []
    assert parse_width("450", name="width_km", notes=notes, max_width_km=400, step_km=50) is None
    assert notes == [refused("width_km", "450", "0 or a number of km from 0.1 to 400")]
    assert parse_width("130", name="width_km", notes=notes, max_width_km=400, step_km=50) == 150.0
    _, notes_date = state_from_query(
        {"date": "x"}, max_width_km=MAX_KM, step_km=STEP_KM, default_date=dt.date(2000, 1, 2)
    )
    assert notes_date[0].endswith("Using the default: 2 January 2000 (draft published).")


@pytest.mark.parametrize(("raw", "expected"), [(" 1 ", True), ("\tYes\n", True), (" off", False), ("0 ", False)])
def test_flags_are_read_with_spaces_and_case_around_them(raw, expected):
    """A flag copied with spaces around it (a pasted link) is read, not refused."""
    for name, _default in FLAGS:
        values, notes = parse({name: raw})
        assert notes == []
        assert values[name] is expected
