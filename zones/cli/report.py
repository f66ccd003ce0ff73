"""The ``report`` and ``sweep`` commands of ``python -m zones``: maps and width sweeps as files.

Both validate every option and every output path before computing (with
:mod:`zones.report.choices`, so no other command imports matplotlib), render
everything in memory and only then write, all or nothing
(:func:`zones.output.write_files`): a failure leaves every file as it was and no
temporary file behind.
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from zones import export
from zones._validate import validate_choice
from zones.cli.options import number_option, plural, scenario_from
from zones.engine.analysis import Scenario, analyse
from zones.engine.sweep import MAX_WIDTHS, sweep_table
from zones.errors import ArgumentError
from zones.output import check_out_path, write_files
from zones.report.choices import MAX_DPI, MIN_DPI, SUFFIXES, TABLE_UNITS, validate_layers
from zones.settings import DEFAULT_WIDTH_KM, MAX_WIDTH_KM, MIN_WIDTH_KM, SLIDER_MAX_KM, SLIDER_STEP_KM

#: Output suffixes of the sweep: a chart or the table.
SWEEP_SUFFIXES: Final = (*SUFFIXES, *export.CSV_SUFFIXES)
#: Defaults of the sweep, in km: the app's slider (its share-by-width chart and download are this sweep).
DEFAULT_MAX_WIDTH_KM: Final = float(SLIDER_MAX_KM)
DEFAULT_STEP_KM: Final = float(SLIDER_STEP_KM)


def register(commands: argparse._SubParsersAction[Any], *, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Add the ``report`` and ``sweep`` commands to ``commands``.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        The sub-command registry of ``python -m zones``.
    parents : sequence of argparse.ArgumentParser
        The shared scenario and zone options (``--date``, ``--width-km`` …).
    """
    # report takes several widths: its own --width-km replaces the parent's. The parents are
    # copied first because argparse's "resolve" edits the (shared) parent action in place.
    report = commands.add_parser(
        "report",
        parents=[copy.deepcopy(p) for p in parents],
        allow_abbrev=False,
        conflict_handler="resolve",
        help="a print-ready map of the zone: .png, .svg or .pdf",
        description="Write an A4 landscape map of the zone (PNG at 300 dpi, SVG or PDF), one file per width.",
    )
    report.add_argument(
        "--width-km",
        nargs="+",
        default=[str(DEFAULT_WIDTH_KM)],
        metavar="KM",
        help="width(s) on each side of the border line, km (default: 100); several give one file each, "
        "named like map_100km.png",
    )
    report.add_argument("--out", required=True, help="output file: .png, .svg or .pdf")
    report.add_argument("--dpi", default="300", help="resolution of PNG output, dots per inch (default: 300)")
    report.add_argument("--by", default="countries", help="what the table lists: 'countries' (default) or 'regions'")
    report.add_argument(
        "--layers",
        default="",
        help="optional layers, comma-separated: article-4 (NATO members since 1997), "
        "article-7.1 (Ukraine, South Caucasus, Central Asia), sites (the training areas of exercises above "
        "brigade level) (default: none)",
    )
    report.set_defaults(handler=_run_report)

    # sweep has its own --width-km too: none unless given (then no width is marked on the chart).
    sweep = commands.add_parser(
        "sweep",
        parents=[copy.deepcopy(p) for p in parents],
        allow_abbrev=False,
        conflict_handler="resolve",
        help="each country's share in the zone as the width grows: chart or .csv",
        description="Write each country's share of land in the zone over a range of widths, as a chart "
        "(.png, .svg, .pdf; --width-km, if given, is marked with a dashed line) or a table (.csv).",
    )
    sweep.add_argument(
        "--width-km", default=None, help="width to mark on the chart with a dashed line, km (default: none)"
    )
    sweep.add_argument("--out", required=True, help="output file: .png, .svg, .pdf or .csv")
    sweep.add_argument("--max-width-km", default=str(DEFAULT_MAX_WIDTH_KM), help="largest width, km (default: 1000)")
    sweep.add_argument("--step-km", default=str(DEFAULT_STEP_KM), help="step between widths, km (default: 10)")
    sweep.set_defaults(handler=_run_sweep)


def _width_name(path: Path, width_km: float) -> Path:
    """Return ``path`` with the width in its name, e.g. ``map_100km.png``."""
    return path.with_name(f"{path.stem}_{width_km:g}km{path.suffix}")


def _run_report(args: argparse.Namespace) -> str:
    """Write one map per width."""
    out = check_out_path(args.out, allowed_suffixes=SUFFIXES)
    dpi = int(
        number_option(
            args.dpi,
            argument="dpi",
            allowed=f"a whole number from {MIN_DPI} to {MAX_DPI}",
            low=MIN_DPI,
            high=MAX_DPI,
            whole=True,
        )
    )
    by = validate_choice(args.by, argument="by", allowed=TABLE_UNITS)
    layers = validate_layers(args.layers)
    scenarios: dict[float, Scenario] = {}
    for width in args.width_km:
        scenario = scenario_from(args, width_km=width)
        scenarios.setdefault(scenario.width_km, scenario)
    if len(scenarios) == 1:
        paths = {out: next(iter(scenarios.values()))}
    else:
        paths = {_width_name(out, width): scenario for width, scenario in scenarios.items()}
    fmt = out.suffix.lower().lstrip(".")
    from zones.report.map_figure import render_map  # lazy: matplotlib, for the commands that draw only

    contents = {
        path: render_map(analyse(scenario), fmt=fmt, dpi=dpi, layers=layers, by=by) for path, scenario in paths.items()
    }
    write_files(contents)
    names = ", ".join(str(p) for p in contents)
    return f"wrote {len(contents)} map{'s' if len(contents) > 1 else ''}: {names}"


def _run_sweep(args: argparse.Namespace) -> str:
    """Write the sweep's chart or table."""
    out = check_out_path(args.out, allowed_suffixes=SWEEP_SUFFIXES)
    max_km = number_option(
        args.max_width_km,
        argument="max_width_km",
        allowed=f"a number of km from 0 to {MAX_WIDTH_KM:,.0f}",
        low=0,
        high=MAX_WIDTH_KM,
    )
    step_km = number_option(
        args.step_km,
        argument="step_km",
        allowed=f"a number of km from {MIN_WIDTH_KM:g} to {MAX_WIDTH_KM:,.0f}",
        low=MIN_WIDTH_KM,
        high=MAX_WIDTH_KM,
    )
    if args.russia_width_km is not None or args.nato_width_km is not None:
        option = "russia_width_km" if args.russia_width_km is not None else "nato_width_km"
        raise ArgumentError(
            option, getattr(args, option), "unset for a sweep", "The sweep uses one width on both sides."
        )
    scenario = scenario_from(args, width_km=str(DEFAULT_WIDTH_KM) if args.width_km is None else None)
    count = int(max_km // step_km) + 1
    if count > MAX_WIDTHS:
        raise ArgumentError(
            "step_km", args.step_km, f"a step giving at most {MAX_WIDTHS:,} widths up to {max_km:,g} km"
        )
    widths_km = [round(i * step_km, 6) for i in range(count)]
    if widths_km[-1] < max_km:
        widths_km.append(max_km)
    table = sweep_table(scenario, widths_km=widths_km)
    if out.suffix.lower() in export.CSV_SUFFIXES:
        export.write_csv(table, out)
    else:
        marked_km = None if args.width_km is None else scenario.width_km
        from zones.report.sweep_chart import render_sweep  # lazy: matplotlib, for the commands that draw only

        content = render_sweep(table, current_width_km=marked_km, fmt=out.suffix.lower().lstrip("."))
        write_files({out: content})
    countries = plural(table["adm0_a3"].nunique(), "country", nouns="countries")
    return f"wrote a sweep of {plural(len(widths_km), 'width')}, {countries}, to {out}"
