"""The width ladder: a scenario's zone and numbers at every slider step, for the browser.

A reader who drags the width slider expects the zone to follow the thumb.
The ladder holds everything the page needs for that without a server: for
one scenario (everything but the width), at every step from 0 to
:data:`MAX_WIDTH_KM` in :data:`STEP_KM` steps,

* the zone as drawn, one outline per side, simplified for display only
  (:func:`zones.web.map_layers.display_geometry`, with the app's tolerance per width
  times :data:`TOLERANCE_FACTOR`);
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
object). Coordinates are integers on the display grid
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
from typing import Any, Final

import numpy as np
import shapely

from geodata.loader import PROVENANCE_PATH
from zones import wording
from zones.engine import disk_cache
from zones.engine.analysis import Analysis, Scenario, analyse, analyses_by_width
from zones.engine.contact import Sides, resolve_sides
from zones.engine.impact import SIDES
from zones.engine.pair_widths import refuse_pair_widths
from zones.web.map_layers import (
    DISPLAY_GRID_DEG,
    ZONE_TOLERANCE_DEG,
    display_geometry,
    display_longitudes,
    zone_tolerance_deg,
)
from zones.wording import format_km

#: The slider's range and step, in km.
MAX_WIDTH_KM: Final = 1000
STEP_KM: Final = 10

#: The ladder's display tolerance is the app's (:func:`zones.web.map_layers.zone_tolerance_deg`) times this:
#: the page is seen zoomed out, and 101 outlines must fit in 600 kB gzip.
TOLERANCE_FACTOR: Final = 1.5

#: Ladders kept in memory (each a few hundred kB of text).
MEMORY_ENTRIES: Final = 8

#: Bump when the ladder's content or encoding changes: older files on disk are then ignored.
CACHE_VERSION: Final = 3


def widths_km() -> tuple[int, ...]:
    """Return the slider's steps in km: 0, 10, …, 1,000."""
    return tuple(range(0, MAX_WIDTH_KM + 1, STEP_KM))


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
        A JSON object (see the module docstring): ``widths_km``, ``sides``
        (the side of each zone outline), ``countries`` (``[adm0_a3, name,
        side, country_area_km2]`` of every country affected at some step),
        ``steps`` (per step: ``totals`` per side as ``[countries, area_km2,
        country_area_km2, share, population]``, ``affected`` as
        ``[country index, area_km2, share, population]`` largest first,
        ``summary``, the step's totals in words in pieces, plain text and figures in
        turn (:func:`zones.wording.summary_parts`), ``live``, the live line under
        the app's slider (:func:`zones.wording.live_line`), and
        ``zone`` as ``[[side, [polygon: [ring, …]], …]]``), ``line``
        (``[[pair, length, [ring, …]], …]``) and ``cities`` (``[name,
        adm0_a3, population, distance_km, from_km, x, y]``).

    Raises
    ------
    NoBorderError
        If the sides share no border.
    ArgumentError
        If ``scenario`` has widths per border pair: the ladder (the live
        slider) draws one width along the whole line.
    """
    refuse_pair_widths(scenario.pair_widths, what="the live slider's ladder")
    sides = resolve_sides(
        scenario.date, allies=scenario.allies, russia_side=scenario.russia_side, nato_side=scenario.nato_side
    )
    return _cached(sides, clip=scenario.clip, sea_borders=scenario.sea_borders)


def ladder_key(scenario: Scenario) -> str:
    """Return a short name of ``scenario``'s ladder: equal for every scenario with the same ladder.

    It names the sides, clipping and sea borders (which fix the line), not the
    date or the widths. Hexadecimal, 24 characters, safe in a file name or URL.
    Refuses widths per border pair, as :func:`ladder_json` does.
    """
    refuse_pair_widths(scenario.pair_widths, what="the live slider's ladder")
    sides = resolve_sides(
        scenario.date, allies=scenario.allies, russia_side=scenario.russia_side, nato_side=scenario.nato_side
    )
    tag = _line_tag(sides, clip=scenario.clip, sea_borders=scenario.sea_borders)
    return hashlib.sha256(tag + _data_fingerprint()).hexdigest()[:24]


def _line_tag(sides: Sides, *, clip: bool, sea_borders: bool) -> bytes:
    """Return what names a ladder besides the data: its line's sides and options, and the ladder's own settings."""
    return repr((sides, clip, sea_borders, MAX_WIDTH_KM, STEP_KM, TOLERANCE_FACTOR, CACHE_VERSION)).encode()


def _scenario_of(sides: Sides, *, clip: bool, sea_borders: bool) -> Scenario:
    """Return the scenario at 0 km whose sides are ``sides`` (given as custom sides: no date needed)."""
    return Scenario(width_km=0.0, russia_side=sides.russia, nato_side=sides.nato, clip=clip, sea_borders=sea_borders)


@functools.lru_cache(maxsize=MEMORY_ENTRIES)
def _cached(sides: Sides, *, clip: bool, sea_borders: bool) -> str:
    """Return the ladder of ``sides``, ``clip`` and ``sea_borders`` from memory, else from disk, else computed."""
    scenario = _scenario_of(sides, clip=clip, sea_borders=sea_borders)
    line = analyse(scenario, regions=False).line  # the contact line is kept by zones.engine.analysis
    tag = _line_tag(sides, clip=clip, sea_borders=sea_borders)
    name = "ladder-" + hashlib.sha256(shapely.to_wkb(line) + tag + _data_fingerprint()).hexdigest()[:24]
    data = disk_cache.load_bytes(name, suffix=".json.gz")
    if data is not None:
        try:
            return gzip.decompress(data).decode("utf-8")
        except (OSError, EOFError, zlib.error, UnicodeDecodeError):  # a damaged file is a miss
            pass
    text = build_ladder(scenario)
    disk_cache.store_bytes(name, gzip.compress(text.encode("utf-8"), mtime=0), suffix=".json.gz")
    return text


@functools.cache
def _data_fingerprint() -> bytes:
    """Return the SHA-256 of ``geodata/provenance.json`` (which records every data file's SHA-256).

    Part of the disk cache's key: rebuilt data never meets a ladder made from the old.
    """
    return hashlib.sha256(PROVENANCE_PATH.read_bytes()).digest()


def clear_memory_cache() -> None:
    """Forget the ladders kept in memory (for benchmarks: the next call reads the disk or computes)."""
    _cached.cache_clear()


def build_ladder(scenario: Scenario) -> str:
    """Compute the ladder of :func:`ladder_json` (no cache).

    Parameters
    ----------
    scenario : Scenario
        As for :func:`ladder_json`; its widths are ignored.

    Returns
    -------
    str
        JSON text.
    """
    refuse_pair_widths(scenario.pair_widths, what="the live slider's ladder")
    base = scenario.replace(width_km=0.0, russia_width_km=None, nato_width_km=None)
    countries: dict[str, int] = {}
    country_rows: list[list[Any]] = []
    steps: list[dict[str, Any]] = []
    city_from: dict[int, list[Any]] = {}
    analysis: Analysis | None = None
    for width_km, analysis in zip(widths_km(), analyses_by_width(base, widths_km(), regions=False), strict=True):
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
                country_rows.append([str(code), str(name), str(side), country_km2])
            rows.append([countries[code], area_km2, share, int(people)])
        totals: Any = analysis.totals.set_index("side")  # pandas' scalar lookups are untyped
        steps.append(
            {
                "totals": {
                    side: [
                        int(totals.at[side, "countries"]),
                        float(totals.at[side, "area_km2"]),
                        float(totals.at[side, "country_area_km2"]),
                        float(totals.at[side, "share"]),
                        int(totals.at[side, "population"]),
                    ]
                    for side in SIDES
                },
                "affected": rows,
                "summary": list(wording.summary_parts(step_totals := wording.totals_of(analysis))),
                "live": wording.live_line(width_km, step_totals),
                "zone": _zone_outlines(analysis),
            }
        )
        for city_id, row in zip(analysis.cities["geonameid"].tolist(), _city_rows(analysis), strict=True):
            city_from.setdefault(int(city_id), [*row[:4], width_km, *row[4:]])
    assert analysis is not None
    ladder = {
        "version": CACHE_VERSION,
        "widths_km": list(widths_km()),
        "grid_deg": DISPLAY_GRID_DEG,
        "sides": sorted({side for step in steps for side, _ in step["zone"]}),
        "countries": country_rows,
        "steps": steps,
        "line": _line_outlines(analysis),
        "cities": sorted(city_from.values(), key=lambda row: (-row[2], row[0])),
    }
    return json.dumps(ladder, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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


def _zone_outlines(analysis: Analysis) -> list[list[Any]]:
    """Return ``[[side, polygons], …]``: the zone's display outline per side."""
    strip = analysis.strip
    tolerance_deg = TOLERANCE_FACTOR * zone_tolerance_deg(analysis)
    geometry = display_geometry(strip.geometry.to_numpy(), tolerance_deg=tolerance_deg)
    return [[str(side), _encode(geom)] for side, geom in zip(strip["side"], geometry, strict=True) if _encode(geom)]


def _line_outlines(analysis: Analysis) -> list[list[Any]]:
    """Return ``[[pair, length, lines], …]``: the contact line per country pair, for display."""
    contact = analysis.contact
    geometry = display_geometry(contact.geometry.to_numpy(), tolerance_deg=ZONE_TOLERANCE_DEG / 4)
    return [
        [f"{r}–{n}", format_km(length_km), [ring for part in _encode(geom) for ring in part]]
        for r, n, length_km, geom in zip(
            contact["russia_name"], contact["nato_name"], contact["length_km"].tolist(), geometry, strict=True
        )
    ]


def _city_rows(analysis: Analysis) -> list[list[Any]]:
    """Return ``[name, adm0_a3, population, distance_km, x, y]`` per city in the zone (x, y on the grid)."""
    cities = analysis.cities
    points = display_longitudes(cities.geometry.to_numpy())  # the zone's longitudes: Alaska's cities east of 180°
    xy = np.rint(shapely.get_coordinates(points) / DISPLAY_GRID_DEG).astype(np.int64)
    return [
        [str(name), str(code), int(people), round(float(km), 1), int(x), int(y)]
        for name, code, people, km, (x, y) in zip(
            cities["name"],
            cities["adm0_a3"],
            cities["population"].tolist(),
            cities["distance_km"].tolist(),
            xy,
            strict=True,
        )
    ]
