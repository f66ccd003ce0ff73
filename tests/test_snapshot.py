"""Every export of the 81 fixed scenarios of :mod:`tools.snapshot` keeps its fingerprint, on any machine.

The fingerprints live in ``tests/fingerprints.json.gz``, committed with the code: every label exactly,
every measured number (areas, shares, people, lengths, shapes' extents) within its tolerance
(:func:`tools.snapshot.tolerance`), so that the last bits in which CPUs' maths libraries differ do not
fail a run. A refactor that changes no number passes as it is; a change that moves a number fails here,
naming the scenario, the export and the number. When the change is meant, say by how much the outputs
moved (``python -m tools.snapshot --dump`` before and after, then ``--measure``), and write the file
again with ``python -m tools.snapshot --out tests/fingerprints.json.gz``: no test writes into the checkout.
"""

from __future__ import annotations

from typing import Any, Final

import pytest

from tools.snapshot import (
    FINGERPRINTS,
    MEASURES,
    differences,
    exports,
    fingerprint,
    read_fingerprints,
    scenarios,
    significant_digits,
)

SCENARIOS: Final = dict(scenarios())
COMMITTED: Final = read_fingerprints(FINGERPRINTS)


def test_the_scenarios_are_the_81_of_tools_snapshot_and_all_are_fingerprinted() -> None:
    assert len(SCENARIOS) == 81  # the names are unique: none was lost as the dict was built
    assert set(COMMITTED) == set(SCENARIOS)
    assert all(set(outputs) == set(MEASURES) for outputs in COMMITTED.values())


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_export_keeps_its_fingerprint(name: str) -> None:
    options: dict[str, Any] = SCENARIOS[name]
    found = {}
    for output, data in exports(options).items():
        now = fingerprint(output, data)
        if lines := differences(COMMITTED[name][output], now, significant=significant_digits(output)):
            found[output] = lines
    assert not found, found


# --- the comparison itself, on hand-made exports -----------------------------------------------------------


def feature_collection(*rows: tuple[str, float, float]) -> bytes:
    """A regions-like GeoJSON export: one square feature per ``(code, area_km2, west edge in degrees)``."""
    features = [
        f'{{"type": "Feature", "properties": {{"iso_3166_2": "{code}", "area_km2": {area!r}}}, "geometry": '
        f'{{"type": "Polygon", "coordinates": [[[{x}, 50.0], [{x + 1}, 50.0], [{x + 1}, 51.0], [{x}, 51.0], '
        f"[{x}, 50.0]]]}}}}"
        for code, area, x in rows
    ]
    return f'{{"type": "FeatureCollection", "features": [{", ".join(features)}]}}'.encode()


@pytest.mark.parametrize(
    ("output", "now", "moved"),
    [
        ("regions", [("PL-20", 1234.567, 20.0), ("PL-28", 99.0, 21.0)], False),  # the same
        ("regions", [("PL-20", 1234.567 + 0.009, 20.0), ("PL-28", 99.0, 21.0)], False),  # a hundredth of a km²
        ("regions", [("PL-20", 1234.567 + 0.02, 20.0), ("PL-28", 99.0, 21.0)], True),  # two hundredths
        ("regions", [("PL-28", 99.0, 21.0), ("PL-20", 1234.567, 20.0)], False),  # a near tie swapped
        ("regions", [("PL-20", 1234.567, 20.0), ("PL-29", 99.0, 21.0)], True),  # another region
        ("regions", [("PL-20", 1234.567, 20.0)], True),  # a region lost
        ("strip", [("PL-20", 1234.567, 20.0), ("PL-28", 99.0, 21.0 + 2e-6)], False),  # a shape moved 0.2 m
        ("strip", [("PL-20", 1234.567, 20.0), ("PL-28", 99.0, 21.0 + 1e-4)], True),  # a shape moved 11 m
    ],
)
def test_the_fingerprint_holds_within_its_tolerance_only(
    output: str, now: list[tuple[str, float, float]], moved: bool
) -> None:
    before = fingerprint(output, feature_collection(("PL-20", 1234.567, 20.0), ("PL-28", 99.0, 21.0)))
    assert bool(differences(before, fingerprint(output, feature_collection(*now)))) is moved


def test_a_csv_number_may_move_by_its_last_printed_digit_only() -> None:
    header = "side,countries,area_km2,population,share\n"
    before = fingerprint("totals", (header + "nato,7,452077,28448481,0.502647\n").encode())
    for row, moved in [
        ("nato,7,452078,28448481,0.502647", False),  # a rounding that fell the other way
        ("nato,7,452079,28448481,0.502647", True),
        ("nato,7,452077,28448481,0.502648", False),
        ("nato,7,452077,28448481,0.50265", True),
        ("nato,8,452077,28448481,0.502647", True),  # a label
    ]:
        now = fingerprint("totals", (header + row + "\n").encode())
        assert bool(differences(before, now, significant=significant_digits("totals"))) is moved, row


def test_a_row_without_a_shape_keeps_its_place() -> None:
    def collection(shaped: bool) -> bytes:
        square = '{"type": "Polygon", "coordinates": [[[20, 50], [21, 50], [21, 51], [20, 51], [20, 50]]]}'
        features = [
            f'{{"type": "Feature", "properties": {{"side": "nato", "area_km2": 5.0}}, "geometry": {square}}}',
            '{"type": "Feature", "properties": {"side": "russia", "area_km2": 0.0}, "geometry": '
            + (square if shaped else "null")
            + "}",
        ]
        return f'{{"type": "FeatureCollection", "features": [{", ".join(features)}]}}'.encode()

    before = fingerprint("strip", collection(shaped=False))
    assert before["shape_deg"][1] == []
    assert differences(before, fingerprint("strip", collection(shaped=False))) == []
    assert differences(before, fingerprint("strip", collection(shaped=True))) == ["the rows with a shape differ"]
