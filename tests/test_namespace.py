"""The public namespace: names that say what they are, and every name the docs use exists."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

import geodata
import zones

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _modules(package) -> set[str]:
    folder = Path(package.__file__).parent
    return {path.stem for path in folder.glob("*.py")} | {
        p.name for p in folder.iterdir() if (p / "__init__.py").exists()
    }


@pytest.mark.parametrize("package", [zones, geodata], ids=lambda p: p.__name__)
def test_no_public_name_shares_its_name_with_a_module(package):
    """``import zones.x as m`` must give the module ``x``, never a function the package re-exports as ``x``."""
    assert sorted(set(package.__all__) & _modules(package)) == []


def _dotted_names() -> set[str]:
    """Return every ``zones.…`` or ``geodata.…`` name in code spans of the README and docs/ (``(`` when called)."""
    found: set[str] = set()
    for path in DOCS:
        for span in re.findall(r"`([^`\n]+)`", path.read_text(encoding="utf-8")):
            found |= set(re.findall(r"(?<![\w./-])((?:zones|geodata)(?:\.[A-Za-z_]\w*)+\(?)", span))
    return found


def _resolves(written: str) -> bool:
    """Return whether a dotted name exists, and is callable where the docs call it."""
    name = written.rstrip("(")
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(thing, attribute):
                return False
            thing = getattr(thing, attribute)
        return callable(thing) or not written.endswith("(")
    return False


def test_every_name_the_docs_use_exists():
    names = _dotted_names()
    assert len(names) > 5
    assert sorted(name for name in names if not _resolves(name)) == []


def test_no_module_imports_another_modules_private_names():
    """A private helper another module needs belongs in a module of its own (or a private module)."""
    offenders = []
    for folder in ("zones", "geodata"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module
                    and node.module.split(".")[0] in ("zones", "geodata")
                ):
                    private_module = any(part.startswith("_") for part in node.module.split("."))
                    names = [
                        alias.name for alias in node.names if alias.name.startswith("_") and alias.name != "__version__"
                    ]
                    if names and not private_module:
                        offenders.append(f"{path.relative_to(REPO)}: from {node.module} import {', '.join(names)}")
    assert offenders == []


#: The layers of the package, bottom to top, and what each may import at run time (``TYPE_CHECKING`` apart).
#: ``shared`` is the top of ``zones``: modules used by more than one audience. ``downloads`` (the files a
#: scenario gives, for the app and the CLI alike) sits above the export, the report and the web.
SHARED = {"errors", "settings", "_validate", "wording", "output", "colours", "draft"}
MAY_IMPORT = {
    "geodata": {"geodata"},
    "shared": {"geodata", "shared"},
    "engine": {"geodata", "shared", "engine"},
    "export": {"geodata", "shared", "engine", "export"},
    "report": {"geodata", "shared", "engine", "export", "report"},
    "web": {"geodata", "shared", "engine", "export", "web"},
    "api": {"geodata", "shared", "engine", "api"},
    "downloads": {"geodata", "shared", "engine", "export", "report", "web", "downloads"},
    "cli": {"geodata", "shared", "engine", "export", "report", "web", "api", "downloads", "cli"},
    "app": {"geodata", "shared", "engine", "export", "report", "web", "api", "downloads"},
}


def _layer(module: str) -> str:
    """Return the layer of a first-party module name (``zones.engine.strip`` is ``engine``)."""
    parts = module.split(".")
    if parts[0] == "geodata":
        return "geodata"
    if parts[0] == "app":
        return "app"
    if len(parts) == 1:
        return "api"
    if parts[1] in SHARED:
        return "shared"
    if parts[1] == "__main__":
        return "cli"
    return parts[1] if parts[1] in MAY_IMPORT else "api"


def _runtime_imports(path: Path) -> set[str]:
    """Return the first-party modules a file imports at run time (imports under ``if TYPE_CHECKING:`` apart)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {
                f"{node.module}.{alias.name}"
                if importlib.util.find_spec(node.module) and _is_module(f"{node.module}.{alias.name}")
                else node.module
                for alias in node.names
            }
    return {name for name in found if name.split(".")[0] in ("zones", "geodata")}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def test_each_layer_imports_only_the_layers_below_it():
    """The engine never imports the report, the web or the CLI; geodata never imports zones; and so on.

    The layers and what each may import are :data:`MAY_IMPORT`; each subpackage's
    docstring says the same in words.
    """
    paths = [REPO / "app.py", *sorted((REPO / "zones").rglob("*.py")), *sorted((REPO / "geodata").rglob("*.py"))]
    offenders = []
    for path in paths:
        importer = _module_name(path)
        allowed = MAY_IMPORT[_layer(importer)]
        for imported in sorted(_runtime_imports(path)):
            if _layer(imported) not in allowed:
                offenders.append(f"{importer} ({_layer(importer)}) imports {imported} ({_layer(imported)})")
    assert len(paths) > 60
    assert offenders == []


def test_each_subpackage_says_what_it_holds_and_may_import():
    for name in ("engine", "report", "web", "cli"):
        doc = importlib.import_module(f"zones.{name}").__doc__ or ""
        assert "Holds" in doc, name
        assert "Imports:" in doc, name


def test_no_module_of_zones_imports_streamlit():
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "zones").rglob("*.py"))
        if re.search(r"^\s*(import|from)\s+streamlit", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert offenders == []


def test_the_command_line_draws_nothing_until_a_command_draws():
    """``zones affected`` and the other table commands start without matplotlib or folium (0.7 s of imports).

    The drawing commands import them when they run (``benchmarks/bench_cli.py``: ``zones --help`` took
    1.5 s of CPU with them, 0.8 s without).
    """
    code = "import sys, zones.cli.main; print(sorted({'matplotlib', 'folium', 'streamlit'} & set(sys.modules)))"
    started = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert started.stdout.strip() == "[]"
