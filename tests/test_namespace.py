"""The public namespace: names that say what they are, and every name the docs use exists."""

from __future__ import annotations

import ast
import importlib
import re
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
