"""The command line: ``zones COMMAND [options]`` (also ``python -m zones COMMAND``).

The shared options live in :mod:`zones.cli.options`; the commands that
draw (``report``, ``sweep``) in :mod:`zones.cli.report`. Every command
validates its options first, writes its output atomically (:mod:`zones.output`)
and exits with code 0 on success and 2 on bad input, with a one-line message
that names the option, what arrived and what is allowed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from pyogrio.errors import DataSourceError

from geodata import load_regions
from zones import __version__, export, wording
from zones._validate import validate_choice, validate_codes, validate_region
from zones.cli import report as report_cli
from zones.cli.options import (
    PROG,
    Handler,
    line_scenario,
    option_name,
    plural,
    scenario_from,
    scenario_options,
    width_options,
)
from zones.downloads import command_frame, frame_bytes, thresholds_frame
from zones.engine.analysis import analyse, border_pairs
from zones.engine.contact import contact_line, merged_line
from zones.engine.draft_areas import territories
from zones.engine.pair_widths import refuse_pair_widths
from zones.engine.share_thresholds import UNITS, thresholds
from zones.engine.sites import scenario_sites_sentence
from zones.errors import ArgumentError
from zones.output import check_out_path, write_files
from zones.settings import COUNTRY_PARTS


def _write(frame: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Write ``frame`` to ``out`` as the app's download of it (:func:`zones.downloads.frame_bytes`); return it."""
    write_files({out: frame_bytes(frame, out.suffix)})
    return frame


def _run_strip(args: argparse.Namespace) -> str:
    """Write the zone: one feature (side ``all``), or one per side present when clipped or widths differ."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES)
    frame = _write(command_frame("strip", scenario_from(args)), out)
    sides = f" ({'side' if len(frame) == 1 else 'sides'} {', '.join(frame['side'])})" if len(frame) else ""
    return f"wrote {plural(len(frame), 'feature')}{sides}, {frame['area_km2'].sum():,.0f} km², to {out}"


def _run_affected(args: argparse.Namespace) -> str:
    """Write the affected countries."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES + export.CSV_SUFFIXES)
    scenario = scenario_from(args)
    analysis = analyse(scenario)
    frame = _write(command_frame("affected", scenario, analysis=analysis), out)
    countries = plural(len(frame), "affected country", nouns="affected countries")
    return f"wrote {countries} to {out}: {wording.summary_text(wording.totals_of(analysis))}"


def _run_regions(args: argparse.Namespace) -> str:
    """Write the affected regions (optionally of one country)."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES + export.CSV_SUFFIXES)
    country = validate_codes(args.country, argument="country")[0] if args.country else None
    frame = _write(command_frame("regions", scenario_from(args), country=country), out)
    count = plural(len(frame), "affected region")
    return f"wrote {count}, {frame['area_km2'].sum():,.0f} km² of land, to {out}"


def _run_thresholds(args: argparse.Namespace) -> str:
    """Write the width at which each country's or region's share reaches each level."""
    out = check_out_path(args.out, allowed_suffixes=export.CSV_SUFFIXES)
    by = validate_choice(args.by, argument="by", allowed=UNITS)
    countries = validate_codes(args.country, argument="country") if args.country else None
    region = validate_region(args.region) if args.region else None
    scenario = scenario_from(args, width_km="0")
    refuse_pair_widths(scenario.pair_widths, what="the thresholds")
    if region is not None:  # a region is measured on its own: only its country's regions are computed
        owner = load_regions().set_index("adm1_code").at[region, "adm0_a3"]
        countries = (COUNTRY_PARTS.get(owner, owner),)
        by = "regions"
    table = thresholds(scenario, by=by, countries=countries)
    if region is not None:
        table = table[table["adm1_code"] == region]
    table = thresholds_frame(table, scenario)
    write_files({out: export.csv_bytes(table)})
    units = table.drop_duplicates(["adm0_a3", "adm1_code", "name"])
    unit = plural(len(units), "country", nouns="countries") if by == "countries" else plural(len(units), "region")
    unreached = int(table["width_km"].isna().sum())
    whole_only = int((table["width_whole_km"].isna() & table["width_km"].notna()).sum())
    beyond = f"; {plural(unreached, 'level')} not within 2,000 km (left empty, see 'note')" if unreached else ""
    beyond += f"; {whole_only} more for the whole country" if whole_only else ""
    return f"wrote the widths of {plural(len(table), 'level')} for {unit} to {out}{beyond}"


def _run_cities(args: argparse.Namespace) -> str:
    """Write the cities in the zone."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES + export.CSV_SUFFIXES)
    frame = _write(command_frame("cities", scenario_from(args)), out)
    return f"wrote {plural(len(frame), 'city', nouns='cities')}, {frame['population'].sum():,} people, to {out}"


def _run_sites(args: argparse.Namespace) -> str:
    """Write the training areas with their distance to the line and whether the zone covers them."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES + export.CSV_SUFFIXES)
    scenario = scenario_from(args)
    frame = _write(command_frame("sites", scenario), out)
    return f"wrote {plural(len(frame), 'training area')} to {out}: {scenario_sites_sentence(scenario, frame)}"


def _run_html(args: argparse.Namespace) -> str:
    """Write the self-contained HTML page with the width slider."""
    from zones.web import publish  # lazy: Leaflet and the web map are needed by this command only

    out = check_out_path(args.out, allowed_suffixes=publish.HTML_SUFFIXES)
    path = publish.write_page(scenario_from(args), out)
    return f"wrote the zone at every width from 0 to 1,000 km, {path.stat().st_size / 1e6:.1f} MB, to {path}"


def _run_contact(args: argparse.Namespace) -> str:
    """Write the contact line, one feature per country pair (or dissolved); ``pair_width_km`` with ``--pair-width``."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES + export.CSV_SUFFIXES)
    pairs = contact_line(
        args.date,
        allies=args.allies,
        russia_side=args.russia_side,
        nato_side=args.nato_side,
        sea_borders=args.sea_borders,
    )
    if args.pair_width:  # the pairs' own widths, checked on this line (NaN: the common width)
        pairs = pairs.assign(pair_width_km=border_pairs(line_scenario(args))["pair_width_km"].to_numpy())
    if args.dissolve:
        import geopandas as gpd

        pairs = gpd.GeoDataFrame(
            {"pairs": [len(pairs)], "length_km": [pairs["length_km"].sum()]},
            geometry=[merged_line(pairs)],
            crs=pairs.crs,
        )
    export.write_by_suffix(pairs, out)
    return f"wrote {plural(len(pairs), 'feature')}, {pairs['length_km'].sum():,.0f} km of border, to {out}"


def _run_territories(args: argparse.Namespace) -> str:
    """Write the territories an article of the draft names (Article 4 or 7(1))."""
    out = check_out_path(args.out, allowed_suffixes=export.GEOJSON_SUFFIXES + export.CSV_SUFFIXES)
    frame = territories(args.article, args.date)
    export.write_by_suffix(frame, out)
    return f"wrote {len(frame)} states, {frame['area_km2'].sum():,.0f} km² of land, to {out}"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``zones`` (also ``python -m zones``)."""
    parser = argparse.ArgumentParser(
        allow_abbrev=False,
        prog=PROG,
        description="Article 7 buffer zones: contact lines, geodesic strips and what they cover.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    scenario = scenario_options()

    contact = commands.add_parser(
        "contact",
        parents=[scenario],
        allow_abbrev=False,
        help="the land border between the two sides",
        description="Write the land border between Russia's side and NATO's side as RFC 7946 GeoJSON or CSV.",
    )
    contact.add_argument("--out", required=True, help="output file: .geojson or .csv")
    contact.add_argument("--dissolve", action="store_true", help="write one merged feature instead of one per pair")
    contact.set_defaults(handler=_run_contact)

    zone = width_options()
    for name, handler, summary, suffixes in (
        (
            "strip",
            _run_strip,
            "the zone along the border line: one feature (side 'all'); with --clip one per side (russia, "
            "nato); with different widths per side, one more for the sea and third countries (third)",
            ".geojson",
        ),
        ("affected", _run_affected, "the affected countries: land area and share", ".geojson or .csv"),
        ("cities", _run_cities, "the cities (≥ 15,000 people) in the zone", ".geojson or .csv"),
        ("regions", _run_regions, "the affected regions: land area, share and people", ".geojson or .csv"),
        (
            "sites",
            _run_sites,
            "the training areas where exercises above brigade level were held: side, distance to the line, "
            "the first width that reaches each, and whether the zone covers it",
            ".geojson or .csv",
        ),
    ):
        command = commands.add_parser(
            name,
            parents=[scenario, zone],
            allow_abbrev=False,
            help=summary,
            description=f"Write {summary}, as RFC 7946 GeoJSON{'' if suffixes == '.geojson' else ' or CSV'}.",
        )
        command.add_argument("--out", required=True, help=f"output file: {suffixes}")
        if name == "regions":
            command.add_argument("--country", default=None, metavar="CODE", help="only this country's regions")
        command.set_defaults(handler=handler)

    page = commands.add_parser(
        "html",
        parents=[scenario, zone],
        allow_abbrev=False,
        help="one self-contained HTML page with a width slider, to publish",
        description="Write one HTML file that works offline: the zone with a width slider (0–1,000 km, the same "
        "on both sides), the headline numbers and the country table at every width, and the data credits.",
    )
    page.add_argument("--out", required=True, help="output file: .html")
    page.set_defaults(handler=_run_html)

    threshold = commands.add_parser(
        "thresholds",
        parents=[scenario],
        allow_abbrev=False,
        help="at what width each country's (or region's) share reaches a tenth, a third, half, 90 %% and all "
        "(every region of every country takes many minutes: use --country)",
        description="Write, for each country or region within 2,000 km of the line, the width (km, exact to "
        "0.5 km, the same on both sides) at which its share of land in the zone first reaches 10 %%, a third, "
        "half, 90 %% and all of it, as CSV; empty where no width up to 2,000 km does (the 'note' column says "
        "so). A share is of the country's stated part ('denominator': mainland Norway, metropolitan France …, "
        "else the whole country); 'width_whole_km' is the width for the whole country.",
    )
    threshold.add_argument("--by", default="countries", help="'countries' (default) or 'regions'")
    threshold.add_argument(
        "--country", default=None, metavar="CODES", help="only these countries (ADM0_A3 codes, comma-separated)"
    )
    threshold.add_argument(
        "--region", default=None, metavar="CODE", help="only this region (ISO 3166-2 code; adm1_code if shared)"
    )
    threshold.add_argument("--clip", action="store_true", help="keep only the parties' own land")
    threshold.add_argument("--out", required=True, help="output file: .csv")
    threshold.set_defaults(handler=_run_thresholds, width_km="0", russia_width_km=None, nato_width_km=None)
    areas = commands.add_parser(
        "territories",
        allow_abbrev=False,
        help="the states an article of the draft names: Article 4 or Article 7(1)",
        description="Write the territories of Article 4 (NATO members that joined after 27 May 1997) or of "
        "Article 7's first sentence (Ukraine and other states of Eastern Europe, the South Caucasus and Central "
        "Asia, read narrowly) as RFC 7946 GeoJSON or CSV.",
    )
    areas.add_argument("--article", required=True, help="'4' or '7.1'")
    areas.add_argument(
        "--date",
        default=None,
        help="day of NATO membership, YYYY-MM-DD, from 1991-12-26; borders are today's (default: today)",
    )
    areas.add_argument("--out", required=True, help="output file: .geojson or .csv")
    areas.set_defaults(handler=_run_territories)

    report_cli.register(commands, parents=[scenario, zone])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input).

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        message = handler(args)
    except ArgumentError as exc:
        option = option_name(exc.argument)
        print(f"{PROG} {args.command}: error: {exc} (option {option})", file=sys.stderr)
        return 2
    except (OSError, DataSourceError) as exc:  # the --out folder exists but cannot take the file
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        print(f"{PROG} {args.command}: error: cannot write {args.out!r}: {reason} (option --out)", file=sys.stderr)
        return 2
    print(message)
    return 0
