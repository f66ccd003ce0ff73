"""A small mutation check of the geodesic core: a change that moves the numbers must fail a fast test.

Run from the repository root::

    .venv/bin/python -m tools.mutate                   # 10 mutants per file drawn with seed 15
    .venv/bin/python -m tools.mutate --per-file 0      # every mutant (615; hours)

Mutants are made at the AST level in ``zones/engine/strip.py``, ``zone.py``,
``impact.py`` and ``geodata/geodesy.py``: arithmetic and comparison operators swapped,
numeric constants tweaked (+1, ×2), ``min``↔``max`` (also NumPy's), a dropped
negation or ``not``, and the two sides' widths swapped. Each mutant is written
into a temporary copy of the repository (the working tree is never touched)
and then:

1. **Probed**: a few scenarios are analysed in a subprocess (with a timeout and
   an empty cache folder), and the zone's area per side and the shares of a few
   countries and the totals by side are compared with the unmutated code. A mutant that moves none of
   them by more than 0.1 % is *equivalent at 0.1 %* and is not tested.
2. **Tested**: the fast tests of the core run against it
   (``-x -q -p no:cacheprovider -m "not browser"``). A failure or a timeout
   kills it; otherwise it *survives*, and its file, line and change are listed.

The goal is no survivor: every change that moves an area or a share by more
than 0.1 % must fail a fast test.

Why not mutmut or cosmic-ray
----------------------------
Both were weighed against this file (December 2026) and neither is used:

* **mutmut 3.8.1** needs libcst, coverage, setproctitle and textual (with
  rich and their own dependencies) in the test environment, none of which it
  has: at least five new packages, two of them compiled, for a 340-line job. It writes its ``mutants/`` folder
  into the working folder and runs only from the project's root, so here it
  could only run in a copy, as this tool already does. Above all it has no
  notion of an equivalent mutant: every mutant the tests do not kill is a
  survivor to be read by hand, and in this code most of them are equivalent
  (the last sample: 21 of 40 moved no area or share by 0.1 %; rounding
  constants, tolerances and densification steps). The probe above sorts
  them by what they do to the numbers, which mutmut cannot. It also mutates
  strings (error messages), which no number depends on.
* **cosmic-ray 8.7.0** applies each mutant to the file in the working tree
  (a run that is killed leaves a mutated file behind), runs the whole test
  command per mutant (the cost this tool pays, without the probe that skips
  the tests for equivalent mutants) and declares thirteen dependencies,
  eleven of them new here (SQLAlchemy, GitPython, aiohttp, stevedore, parso,
  rich and five more).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final, cast

REPO: Final = Path(__file__).resolve().parents[1]
TARGETS: Final = ("zones/engine/strip.py", "zones/engine/zone.py", "zones/engine/impact.py", "geodata/geodesy.py")
#: Fast tests of the core, the quickest and strongest first (``-x`` stops at the first failure).
TESTS: Final = (
    "tests/test_analysis.py",
    "tests/test_strip.py",
    "tests/test_integrity.py",
)
#: A mutant that moves no probed number by more than this share is equivalent.
EQUIVALENT_SHARE: Final = 0.001
#: Relative changes are taken against at least these values (km² for areas, for shares).
FLOOR: Final = {"area": 1.0, "share": 0.01}
PROBE: Final = textwrap.dedent(
    """
    import json
    from zones import Scenario, analyse
    SCENARIOS = [
        dict(width_km=300, date="2021-12-17"),
        dict(width_km=100, russia_width_km=400, nato_width_km=50, date="2021-12-17"),
        dict(width_km=300, nato_width_km=100, clip=True, date="2024-03-07"),
        dict(width_km=12.5, date="2024-03-07"),
        dict(width_km=150, russia_side=("RUS",), nato_side=("USA",), sea_borders=True),
    ]
    COUNTRIES = ("POL", "LTU", "LVA", "EST", "FIN", "NOR", "UKR", "BLR", "RUS", "USA")
    out = {}
    for i, options in enumerate(SCENARIOS):
        a = analyse(Scenario(**options), regions=False)
        for side, area in zip(a.strip["side"], a.strip["area_km2"]):
            out[f"{i} area {side}"] = float(area)
        for side, area, share in zip(a.totals["side"], a.totals["area_km2"], a.totals["share"]):
            out[f"{i} area total {side}"] = float(area)
            out[f"{i} share total {side}"] = float(share)
        shares = a.affected.set_index("adm0_a3")["share"]
        for code in COUNTRIES:
            out[f"{i} share {code}"] = float(shares.get(code, 0.0))
    print(json.dumps(out))
    """
)
SWAPS: Final = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
MIN_MAX: Final = {"min": "max", "max": "min", "minimum": "maximum", "maximum": "minimum"}
WIDTHS: Final = {"russia_width_km": "nato_width_km", "nato_width_km": "russia_width_km"}


@dataclasses.dataclass(frozen=True)
class Mutant:
    """One change at one place: the file, its line, and the code before and after."""

    path: str
    index: int
    line: int
    before: str
    after: str

    @property
    def where(self) -> str:
        """``file:line``."""
        return f"{self.path}:{self.line}"


class _Mutator(ast.NodeTransformer):
    """Apply the ``target``-th possible change (or, with ``target`` None, only count them)."""

    def __init__(self, source: str, target: int | None) -> None:
        self.source = source
        self.target = target
        self.count = 0
        self.found: list[tuple[int, str, str]] = []

    def _offer(self, node: ast.AST, new: ast.AST) -> ast.AST:
        index = self.count
        self.count += 1
        before = ast.get_source_segment(self.source, node) or ast.unparse(node)
        self.found.append((getattr(node, "lineno", 0), before, ast.unparse(new)))
        return new if index == self.target else node

    def _skip(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant)

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        return node if self._skip(node) else self.generic_visit(node)  # docstrings

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node  # never the annotation

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.body = [self.visit(statement) for statement in node.body]
        return node  # not the signature (annotations, defaults)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        swap = SWAPS.get(type(node.op))
        if swap is None:
            return node
        return self._offer(
            node, ast.copy_location(ast.BinOp(node.left, cast("ast.operator", swap()), node.right), node)
        )

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if len(node.ops) != 1 or type(node.ops[0]) not in SWAPS:
            return node
        new = ast.Compare(node.left, [cast("ast.cmpop", SWAPS[type(node.ops[0])]())], node.comparators)
        return self._offer(node, ast.copy_location(new, node))

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return node
        result = self._offer(node, ast.copy_location(ast.Constant(value + 1), node))
        if value not in (0, 1) and result is node:
            result = self._offer(node, ast.copy_location(ast.Constant(value * 2), node))
        return result

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.USub | ast.Not | ast.Invert) and not isinstance(node.operand, ast.Constant):
            return self._offer(node, node.operand)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in MIN_MAX and isinstance(node.ctx, ast.Load):
            return self._offer(node, ast.copy_location(ast.Name(MIN_MAX[node.id], node.ctx), node))
        if node.id in WIDTHS and isinstance(node.ctx, ast.Load):
            return self._offer(node, ast.copy_location(ast.Name(WIDTHS[node.id], node.ctx), node))
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if node.attr in MIN_MAX and isinstance(node.value, ast.Name) and node.value.id == "np":
            return self._offer(node, ast.copy_location(ast.Attribute(node.value, MIN_MAX[node.attr], node.ctx), node))
        return node


def mutants(path: str) -> Iterator[Mutant]:
    """Yield every mutant of one file."""
    source = (REPO / path).read_text()
    counter = _Mutator(source, None)
    counter.visit(ast.parse(source))
    for index, (line, before, after) in enumerate(counter.found):
        yield Mutant(path, index, line, before, after)


def mutated_source(mutant: Mutant) -> str:
    """Return the source of the mutant's file with its one change applied."""
    source = (REPO / mutant.path).read_text()
    mutator = _Mutator(source, mutant.index)
    tree = ast.fix_missing_locations(mutator.visit(ast.parse(source)))
    return ast.unparse(tree)


def _copy_repo(folder: Path) -> Path:
    """Copy the tracked files into ``folder`` (the virtualenv is linked, not copied)."""
    files = subprocess.run(
        [shutil.which("git") or "git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, target)
    return folder


def _environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ, ZONES_CACHE_DIR=str(cache), PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    return env


def _run(copy: Path, command: list[str], *, timeout_s: float) -> subprocess.CompletedProcess[str] | None:
    """Run ``command`` in ``copy`` with an empty cache folder; None if it times out."""
    with tempfile.TemporaryDirectory(prefix="zones-mutate-cache-") as cache:
        try:
            return subprocess.run(
                command,
                cwd=copy,
                env=_environment(Path(cache)),
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None


def probe(copy: Path, *, timeout_s: float) -> dict[str, float] | None:
    """Return the probed numbers of the code in ``copy``, or None if the probe fails or times out."""
    result = _run(copy, [sys.executable, "-c", PROBE], timeout_s=timeout_s)
    if result is None or result.returncode != 0:
        return None
    numbers: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return numbers


def moves(base: dict[str, float], numbers: dict[str, float] | None) -> float:
    """Largest relative change of a probed number (inf if the probe failed or a side appeared or vanished)."""
    if numbers is None or set(numbers) != set(base):
        return float("inf")
    worst = 0.0
    for key, value in base.items():
        floor = FLOOR["share"] if " share " in key else FLOOR["area"]
        new = numbers[key]
        if math.isnan(new) or math.isnan(value):
            worst = max(worst, 0.0 if math.isnan(new) and math.isnan(value) else math.inf)
            continue
        worst = max(worst, abs(new - value) / max(abs(value), floor))
    return worst


def killed(copy: Path, *, timeout_s: float) -> str:
    """Run the fast tests on ``copy``: return ``"killed"``, ``"killed (timeout)"`` or ``"survived"``."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not browser", *TESTS]
    result = _run(copy, command, timeout_s=timeout_s)
    if result is None:
        return "killed (timeout)"
    return "survived" if result.returncode == 0 else "killed"


def _order(mutant: Mutant) -> int:
    return mutant.index


def main(argv: list[str] | None = None) -> int:
    """Run the mutation check and print the table; return 1 if a mutant that moves a number survives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-file", type=int, default=10, help="mutants drawn per file (0: all); default 10")
    parser.add_argument("--seed", type=int, default=15, help="seed of the sample; default 15")
    parser.add_argument("--probe-timeout", type=float, default=120.0, help="seconds per probe; default 120")
    parser.add_argument("--test-timeout", type=float, default=600.0, help="seconds per test run; default 600")
    parser.add_argument("--only", choices=TARGETS, action="append", help="mutate only this file (repeatable)")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    args = parser.parse_args(argv)
    every = [m for path in TARGETS for m in mutants(path)]
    chosen: list[Mutant] = []
    for path in TARGETS:
        mine = [m for m in every if m.path == path]
        if args.only and path not in args.only:
            continue
        rng = random.Random(f"{args.seed}:{path}")  # noqa: S311 - a reproducible sample per file, not a secret
        chosen += mine if args.per_file <= 0 else sorted(rng.sample(mine, min(args.per_file, len(mine))), key=_order)
    if args.list:
        for m in chosen:
            print(f"{m.where}: {m.before} -> {m.after}")
        return 0
    print(f"{len(chosen)} of {len(every)} mutants (seed {args.seed}) in {', '.join(TARGETS)}", flush=True)
    rows: list[tuple[Mutant, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="zones-mutate-") as folder:
        copy = _copy_repo(Path(folder))
        (copy / ".venv").symlink_to(REPO / ".venv")
        base = probe(copy, timeout_s=args.probe_timeout)
        if base is None:
            print("the unmutated probe failed", file=sys.stderr)
            return 2
        for number, mutant in enumerate(chosen, 1):
            original = (copy / mutant.path).read_text()
            start = time.perf_counter()
            try:
                (copy / mutant.path).write_text(mutated_source(mutant))
                moved = moves(base, probe(copy, timeout_s=args.probe_timeout))
                outcome = "equivalent" if moved <= EQUIVALENT_SHARE else killed(copy, timeout_s=args.test_timeout)
            finally:
                (copy / mutant.path).write_text(original)
            rows.append((mutant, moved, outcome))
            print(
                f"[{number}/{len(chosen)}] {mutant.where}: {mutant.before} -> {mutant.after}: "
                f"moves {moved:.2%}, {outcome} ({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
    survivors = [(m, moved) for m, moved, outcome in rows if outcome == "survived"]
    equivalent = sum(outcome == "equivalent" for _, _, outcome in rows)
    print()
    print("| mutants | equivalent at 0.1 % | killed | survived |")
    print("|---:|---:|---:|---:|")
    print(f"| {len(rows)} | {equivalent} | {len(rows) - equivalent - len(survivors)} | {len(survivors)} |")
    for m, moved in survivors:
        print(f"survivor {m.where} (moves {moved:.2%}):\n  - {m.before}\n  + {m.after}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
