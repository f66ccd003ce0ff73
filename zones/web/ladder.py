"""The width ladder: a scenario's zone and numbers at every slider step, for the browser.

A reader who drags the width slider expects the zone to follow the thumb.
The ladder holds everything the page needs for that without a server: for
one scenario (everything but the width), at every step from 0 to
:data:`zones.settings.SLIDER_MAX_KM` in :data:`zones.settings.SLIDER_STEP_KM` steps,

* the zone as drawn, one outline per side, simplified for display only
  (:func:`zones.web.map_layers.display_geometry`, with the app's tolerance per width
  times :data:`TOLERANCE_FACTOR`); a clipped side is its countries' land
  dissolved along their shared borders (``analyse(..., exact_shapes=False)``:
  the same points as the exported union, much faster);
* the numbers, exactly as :func:`zones.analyse` gives them at that width
  (``regions=False``): per side the countries, affected land, share of those
  countries' land and people; per country its land in the zone, share and
  people; and the totals in words (:mod:`zones.wording`), finished, for the
  app's live line and the published page;

and, once, the contact line and the cities of the widest step with their
geodesic distance to the line and the first step whose zone holds them (the
browser filters them by width; ``from_km`` rather than ``distance_km``, so
the count at every step is exactly ``analyse``'s).

Key and caches
--------------
The ladder depends on the sides (which fix the contact line) and on
clipping, not on the date: the few distinct lines across all dates and
readings share one ladder each. It is kept in memory (:data:`MEMORY_ENTRIES`
ladders, least recently used dropped) and on disk as gzip JSON through
:mod:`zones.engine.disk_cache` (keyed by the line's WKB and the sides).

Limits
------
The ladder covers the same width on both sides only; per-side widths are
not on it (the page says so and the CLI refuses them).

Encoding
--------
JSON text (an immutable ``str``, so a cache never hands out a shared mutable
object): objects with named fields, and ``"schema"``: :data:`SCHEMA_VERSION`,
which ``ladder.js`` checks (it refuses a ladder of another schema, and the
page falls back to the plain slider). Every text the browser shows is
finished here (:mod:`zones.wording`): areas, shares, people, the width, each
side's line and each city's tooltip; the browser formats no number. Coordinates are integers on the display grid
(:data:`zones.web.map_layers.DISPLAY_GRID_DEG`, 0.001° ≈ 100 m): each ring is a flat
list ``[x0, y0, dx1, dy1, …]``, the first point absolute and every other one
the difference from the one before. Longitudes are the web map's
(:func:`zones.web.map_layers.display_longitudes`): across the antimeridian they run
past 180°, so the Bering Strait's zone is one shape. Numbers are full-precision floats.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import zlib
from typing import Any, Final, cast

import numpy as np
import pandas as pd
import shapely

from geodata.loader import data_fingerprint
from zones import wording
from zones.colours import share_opacity
from zones.engine import disk_cache, progress
from zones.engine.analysis import Analysis, Scenario, analyses_by_width, scenario_contact
from zones.engine.contact import Sides, resolve_sides
from zones.engine.impact import SIDES
from zones.engine.pair_widths import refuse_pair_widths
from zones.engine.sweep import SWEEP_COLUMNS, long_table, sweep_table
from zones.settings import SIDE_NAMES, SLIDER_MAX_KM, SLIDER_STEP_KM
from zones.web.map_layers import (
    DISPLAY_GRID_DEG,
    ZONE_TOLERANCE_DEG,
    city_radius_px,
    display_geometry,
    display_longitudes,
    zone_tolerance_deg,
)
from zones.wording import format_km, format_km2, format_people, format_share, share_of_touched_land

#: The ladder's display tolerance is the app's (:func:`zones.web.map_layers.zone_tolerance_deg`) times this:
#: the page is seen zoomed out, and 101 outlines must fit in 600 kB gzip.
TOLERANCE_FACTOR: Final = 1.5

#: The suffix of a ladder's file in the disk cache (gzip JSON).
LADDER_SUFFIX: Final = ".json.gz"

#: Ladders kept in memory (each a few hundred kB of text).
MEMORY_ENTRIES: Final = 8

#: Bump when the ladder's content or encoding changes: older files on disk are then ignored.
CACHE_VERSION: Final = 10  # 10: Crimea's people; 9, 8: Sweden's, Norway's own share; 7: Svalbard's, remote parts

#: The wire format's version: ``ladder.js`` reads this schema only (``SCHEMA`` there), and says so for any other.
SCHEMA_VERSION: Final = 2


def widths_km() -> tuple[int, ...]:
    """Return the slider's steps in km: 0, 10, …, 1,000."""
    return tuple(range(0, SLIDER_MAX_KM + 1, SLIDER_STEP_KM))


def ladder_json(scenario: Scenario) -> str:
    """Return the width ladder of ``scenario``'s line and sides as JSON text.

    Parameters
    ----------
    scenario : Scenario
        Date, reading of Russia's side, custom sides, clipping and sea borders; its widths
        are ignored (the ladder covers every step, the same width on both
        sides).

    Returns
    -------
    str
        A JSON object (see the module docstring and :func:`build_ladder`).

    Raises
    ------
    NoBorderError
        If the sides share no border.
    ArgumentError
        If ``scenario`` has widths per border pair: the ladder (the live
        slider) draws one width along the whole line.
    """
    sides = _ladder_sides(scenario)
    return _cached(sides, clip=scenario.clip, sea_borders=scenario.sea_borders)


def ladder_key(scenario: Scenario) -> str:
    """Return a short name of ``scenario``'s ladder: equal for every scenario with the same ladder.

    It names the sides, clipping and sea borders (which fix the line), not the
    date or the widths. Hexadecimal, 24 characters, safe in a file name or URL.
    Refuses widths per border pair, as :func:`ladder_json` does.
    """
    sides = _ladder_sides(scenario)
    tag = _line_tag(sides, clip=scenario.clip, sea_borders=scenario.sea_borders)
    return hashlib.sha256(tag + data_fingerprint().encode()).hexdigest()[:24]  # rebuilt data: another file


def _ladder_sides(scenario: Scenario) -> Sides:
    """Return the sides of ``scenario``'s ladder; refuse widths per border pair (the ladder has one width)."""
    refuse_pair_widths(scenario.pair_widths, what="the live slider's ladder")
    return resolve_sides(
        scenario.date, allies=scenario.allies, russia_side=scenario.russia_side, nato_side=scenario.nato_side
    )


def _line_tag(sides: Sides, *, clip: bool, sea_borders: bool) -> bytes:
    """Return what names a ladder besides the data: its line's sides and options, and the ladder's own settings."""
    return repr((sides, clip, sea_borders, SLIDER_MAX_KM, SLIDER_STEP_KM, TOLERANCE_FACTOR, CACHE_VERSION)).encode()


def _scenario_of(sides: Sides, *, clip: bool, sea_borders: bool) -> Scenario:
    """Return the scenario at 0 km whose sides are ``sides`` (given as custom sides: no date needed)."""
    return Scenario(width_km=0.0, russia_side=sides.russia, nato_side=sides.nato, clip=clip, sea_borders=sea_borders)


@functools.lru_cache(maxsize=MEMORY_ENTRIES)
def _cached(sides: Sides, *, clip: bool, sea_borders: bool) -> str:
    """Return the ladder of ``sides``, ``clip`` and ``sea_borders`` from memory, else from disk, else computed."""
    scenario = _scenario_of(sides, clip=clip, sea_borders=sea_borders)
    name = _file_name(sides, clip=clip, sea_borders=sea_borders)
    text = _from_disk(name)
    if text is not None:
        return text
    text = build_ladder(scenario)
    data = gzip.compress(text.encode("utf-8"), mtime=0)
    disk_cache.store_bytes(name, data, suffix=LADDER_SUFFIX)
    _shares_in(data)  # read once here, off the claims panel's path (stored_shares then finds it in memory)
    return text


@functools.lru_cache(maxsize=64)
def _file_name(sides: Sides, *, clip: bool, sea_borders: bool) -> str:
    """Return the name of the ladder's file in the disk cache (the data's fingerprint is :mod:`disk_cache`'s part)."""
    _sides, _contact, line = scenario_contact(_scenario_of(sides, clip=clip, sea_borders=sea_borders))  # analyse's line
    tag = _line_tag(sides, clip=clip, sea_borders=sea_borders)
    return "ladder-" + hashlib.sha256(shapely.to_wkb(line) + tag).hexdigest()[:24]


def _stored_name(scenario: Scenario) -> str:
    """Return the name of ``scenario``'s ladder file (widths per pair refused, as by :func:`ladder_json`)."""
    return _file_name(_ladder_sides(scenario), clip=scenario.clip, sea_borders=scenario.sea_borders)


def _from_disk(name: str) -> str | None:
    """Return the ladder kept on disk under ``name``, or ``None`` (none, or a damaged file: a miss)."""
    data = disk_cache.load_bytes(name, suffix=LADDER_SUFFIX)
    return None if data is None else _decompressed(data)


def _decompressed(data: bytes) -> str | None:
    """Return the text of a ladder file's bytes (gzip), or ``None`` if they are damaged."""
    try:
        return gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError):
        return None


def _stored(scenario: Scenario) -> dict[str, Any] | None:
    """Return ``scenario``'s ladder read from disk (parsed), or ``None`` (widths per pair: as :func:`ladder_json`)."""
    text = _from_disk(_stored_name(scenario))
    return None if text is None else cast("dict[str, Any]", json.loads(text))


def stored_shares(scenario: Scenario) -> dict[str, tuple[list[float], list[float], list[float]]] | None:
    """Return each country's shares at every step of ``scenario``'s ladder if it exists already, else ``None``.

    Nothing is computed: the ladder is read from disk, where
    :func:`ladder_json` keeps every ladder it computes (a file already read,
    or just written, is not read again: :func:`_shares_in`). The shares are ``analyse``'s:
    ``{code: (widths_km, share, share_whole_country)}``, the share of the
    stated part (:mod:`zones.engine.denominators`) and of the whole country,
    at the steps where the country has land in the zone (0 elsewhere), for
    :func:`zones.engine.share_thresholds.thresholds_from_shares`.

    Raises
    ------
    ArgumentError
        If ``scenario`` has widths per border pair (as :func:`ladder_json`).
    """
    data = disk_cache.load_bytes(_stored_name(scenario), suffix=LADDER_SUFFIX)
    found = None if data is None else _shares_in(data)
    if found is None:
        return None
    widths, rows = found
    return {code: (list(widths), list(stated), list(whole)) for code, stated, whole in rows}  # the caller's own lists


#: One ladder's shares as :func:`_shares_in` keeps them: the widths, then per country its code and both shares.
_Shares = tuple[tuple[float, ...], tuple[tuple[str, tuple[float, ...], tuple[float, ...]], ...]]


@functools.lru_cache(maxsize=MEMORY_ENTRIES)
def _shares_in(data: bytes) -> _Shares | None:
    """Return the shares in a ladder file's bytes (see :func:`stored_shares`), ``None`` if damaged; kept in memory.

    Reading a ladder's 3 MB of JSON for its shares took 65 ms (more on a
    busy machine), a tenth of the claims panel; a ladder just computed is
    read here once, by :func:`_cached`. Keyed by the file's bytes, so a
    rewritten file is read again.
    """
    text = _decompressed(data)
    if text is None:
        return None
    ladder = json.loads(text)
    steps, countries = ladder.get("steps", []), ladder.get("countries", [])
    widths = tuple(float(step["width_km"]) for step in steps)
    shares = {row["code"]: ([0.0] * len(widths), [0.0] * len(widths)) for row in countries}
    for k, step in enumerate(steps):
        for affected in step["affected"]:
            country = countries[affected["country"]]
            stated, whole = shares[country["code"]]
            stated[k] = affected["share"]
            whole[k] = min(max(affected["area_km2"] / country["country_area_km2"], 0.0), 1.0)  # as analyse's
    return widths, tuple((code, tuple(stated), tuple(whole)) for code, (stated, whole) in shares.items())


def stored_sweep(scenario: Scenario) -> pd.DataFrame | None:
    """Return :func:`zones.engine.sweep.sweep_table` at the ladder's widths from the stored ladder, else ``None``.

    Nothing is computed: the ladder is read from disk, as by :func:`stored_shares`. Its widths are the
    slider's steps (:func:`widths_km`, the app's sweep's), and its numbers are ``analyse``'s, the sweep's
    too: the table is the one :func:`~zones.engine.sweep.sweep_table` computes, in a fraction of a second
    instead of 101 analyses.

    Raises
    ------
    ArgumentError
        If ``scenario`` has widths per border pair (as :func:`ladder_json`).
    """
    ladder = _stored(scenario)
    if ladder is None:
        return None
    countries = ladder["countries"]
    frames = []
    for step in ladder["steps"]:
        rows = [
            (float(step["width_km"]), *(countries[row["country"]][k] for k in ("code", "name", "side")),
             row["area_km2"], row["share"])
            for row in step["affected"]
        ]  # fmt: skip
        if rows:
            frames.append(pd.DataFrame(rows, columns=list(SWEEP_COLUMNS)))
    first = scenario.replace(width_km=float(ladder["widths_km"][0]), russia_width_km=None, nato_width_km=None)
    return long_table(frames, [float(w) for w in ladder["widths_km"]], first)


def is_stored(scenario: Scenario) -> bool:
    """Return whether ``scenario``'s ladder is on disk already (:func:`stored_shares` and :func:`stored_sweep` read it).

    Raises
    ------
    ArgumentError
        If ``scenario`` has widths per border pair (as :func:`ladder_json`).
    """
    return disk_cache.is_stored(_stored_name(scenario), suffix=LADDER_SUFFIX)


def sweep_of(scenario: Scenario) -> pd.DataFrame:
    """Return the sweep over the slider's steps (:func:`widths_km`): from the stored ladder if any, else computed.

    The same table either way (:func:`stored_sweep`); computed, it takes up to a minute and reports its
    progress (:mod:`zones.engine.progress`).
    """
    table = stored_sweep(scenario)
    return sweep_table(scenario, widths_km()) if table is None else table


def clear_memory_cache() -> None:
    """Forget the ladders kept in memory (for benchmarks: the next call reads the disk or computes)."""
    _cached.cache_clear()
    _shares_in.cache_clear()


def build_ladder(scenario: Scenario) -> str:
    """Compute the ladder of :func:`ladder_json` (no cache).

    Parameters
    ----------
    scenario : Scenario
        As for :func:`ladder_json`; its widths are ignored.

    Returns
    -------
    str
        JSON text of one object with named fields: ``schema`` (:data:`SCHEMA_VERSION`), ``widths_km``,
        ``grid_deg``, ``sides`` (those with a zone outline), ``countries`` (``code``, ``name``, ``side``,
        ``country_area_km2`` of every country affected at some step), ``steps`` (per step ``width_km``,
        ``width`` in words, ``totals`` per side: ``countries``, ``area_km2``, ``country_area_km2``, ``share``,
        ``population`` and the side's line in ``words``; ``affected``, largest first: ``country`` (index in
        ``countries``), ``area_km2``, ``share``, ``population``, the same as ``area``, ``share_text`` and
        ``people`` in words, and the shading's ``opacity``; ``summary`` and ``live``, the totals in words;
        ``zone``: ``side`` and ``polygons``), ``line`` (``pair``, ``length``, ``rings``) and ``cities``
        (``name``, ``adm0_a3``, ``population``, ``distance_km``, ``from_km``, ``x``, ``y``, ``radius_px``,
        ``label``).
    """
    refuse_pair_widths(scenario.pair_widths, what="the live slider's ladder")
    base = scenario.replace(width_km=0.0, russia_width_km=None, nato_width_km=None)
    countries: dict[str, int] = {}
    country_rows: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    city_from: dict[int, dict[str, Any]] = {}
    analysis: Analysis | None = None
    for width_km, analysis in zip(
        widths_km(), analyses_by_width(base, widths_km(), regions=False, exact_shapes=False), strict=True
    ):
        affected = analysis.affected
        rows = []
        for code, name, side, country_km2, area_km2, share, people in zip(
            affected["adm0_a3"],
            affected["name"],
            affected["side"],
            affected["country_area_km2"].tolist(),
            affected["area_km2"].tolist(),
            affected["share"].tolist(),
            affected["population"].tolist(),
            strict=True,
        ):
            if code not in countries:
                countries[code] = len(country_rows)
                country_rows.append(_country_record(code, name, side, country_km2))
            rows.append(_affected_record(countries[code], area_km2, share, people))
        totals: Any = analysis.totals.set_index("side")  # pandas' scalar lookups are untyped
        steps.append(
            {
                "width_km": width_km,
                "width": format_km(width_km),
                "totals": {side: _totals_record(totals, side) for side in SIDES},
                "affected": rows,
                "summary": list(wording.summary_parts(step_totals := wording.totals_of(analysis))),
                "live": wording.live_line(width_km, step_totals),
                "zone": _zone_outlines(analysis),
            }
        )
        cities = analysis.cities
        new = cities[~cities["geonameid"].isin(list(city_from))]  # a city's row is made at its first step only
        for city_id, row in zip(new["geonameid"].tolist(), _city_rows(new), strict=True):
            city_from[int(city_id)] = {**row, "from_km": width_km}
        progress.step(len(steps), len(widths_km()))  # a bar's, or a background job's point to give way
    assert analysis is not None
    ladder = {
        "schema": SCHEMA_VERSION,
        "widths_km": list(widths_km()),
        "grid_deg": DISPLAY_GRID_DEG,
        "sides": sorted({piece["side"] for step in steps for piece in step["zone"]}),
        "countries": country_rows,
        "steps": steps,
        "line": _line_outlines(analysis),
        "cities": sorted(city_from.values(), key=lambda city: (-city["population"], city["name"])),
    }
    return json.dumps(ladder, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _country_record(code: str, name: str, side: str, country_km2: float) -> dict[str, Any]:
    """Return a country of the ladder: ``code`` (adm0_a3), ``name``, ``side`` and its land ``country_area_km2``."""
    return {"code": str(code), "name": str(name), "side": str(side), "country_area_km2": country_km2}


def _affected_record(country: int, area_km2: float, share: float, people: float) -> dict[str, Any]:
    """Return one affected country at one step: its numbers, the same in words, and its shading's opacity.

    ``country`` is its index in the ladder's ``countries``.
    """
    return {
        "country": country,
        "area_km2": area_km2,
        "share": share,
        "population": int(people),
        "area": format_km2(area_km2),
        "share_text": format_share(share),
        "people": format_people(people),
        "opacity": round(share_opacity(share), 2),  # zones.colours: the app's map and the report shade alike
    }


def _totals_record(totals: Any, side: str) -> dict[str, Any]:
    """Return one side's totals at one step, with the side's line in words (empty when it has no country)."""
    countries = int(totals.at[side, "countries"])
    share = float(totals.at[side, "share"])
    return {
        "countries": countries,
        "area_km2": float(totals.at[side, "area_km2"]),
        "country_area_km2": float(totals.at[side, "country_area_km2"]),
        "share": share,
        "population": int(totals.at[side, "population"]),
        "words": (f"{SIDE_NAMES[side]}: {share_of_touched_land(share, countries)}" if countries else ""),
    }


def _encode(geometry: shapely.Geometry) -> list[list[list[int]]]:
    """Return the polygons or lines of ``geometry`` as lists of delta-encoded integer rings."""
    out = []
    for part in shapely.get_parts(geometry):
        if part.is_empty:
            continue
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        encoded = []
        for ring in rings:
            xy = np.rint(shapely.get_coordinates(ring) / DISPLAY_GRID_DEG).astype(np.int64)
            if len(xy) < 2:
                continue
            deltas = np.vstack([xy[:1], np.diff(xy, axis=0)])
            encoded.append(deltas.ravel().tolist())
        if encoded:
            out.append(encoded)
    return out


def _zone_outlines(analysis: Analysis) -> list[dict[str, Any]]:
    """Return ``[{"side", "polygons"}, …]``: the zone's display outline per side."""
    strip = analysis.strip
    tolerance_deg = TOLERANCE_FACTOR * zone_tolerance_deg(analysis)
    geometry = display_geometry(strip.geometry.to_numpy(), tolerance_deg=tolerance_deg)
    encoded = [(str(side), _encode(geom)) for side, geom in zip(strip["side"], geometry, strict=True)]
    return [{"side": side, "polygons": polygons} for side, polygons in encoded if polygons]


def _line_outlines(analysis: Analysis) -> list[dict[str, Any]]:
    """Return ``[{"pair", "length", "rings"}, …]``: the contact line per country pair, for display."""
    contact = analysis.contact
    geometry = display_geometry(contact.geometry.to_numpy(), tolerance_deg=ZONE_TOLERANCE_DEG / 4)
    return [
        {"pair": f"{r}–{n}", "length": format_km(length_km), "rings": [ring for part in _encode(geom) for ring in part]}
        for r, n, length_km, geom in zip(
            contact["russia_name"], contact["nato_name"], contact["length_km"].tolist(), geometry, strict=True
        )
    ]


def _city_rows(cities: pd.DataFrame) -> list[dict[str, Any]]:
    """Return each of ``cities``: name, adm0_a3, population, distance_km, x, y (on the grid), radius and tooltip.

    ``cities`` is an ``Analysis.cities`` frame or some of its rows (a city's row is made once, at its first step).
    """
    points = display_longitudes(cities.geometry.to_numpy())  # the zone's longitudes: Alaska's cities east of 180°
    xy = np.rint(shapely.get_coordinates(points) / DISPLAY_GRID_DEG).astype(np.int64)
    radius = city_radius_px(cities["population"].to_numpy()).tolist()
    return [
        {
            "name": str(name),
            "adm0_a3": str(code),
            "population": int(people),
            "distance_km": round(float(km), 1),
            "x": int(x),
            "y": int(y),
            "radius_px": r_px,
            "label": f"{name}: {int(people):,} people, {format_km(km)} from the border",
        }
        for name, code, people, km, (x, y), r_px in zip(
            cities["name"],
            cities["adm0_a3"],
            cities["population"].tolist(),
            cities["distance_km"].tolist(),
            xy,
            radius,
            strict=True,
        )
    ]
