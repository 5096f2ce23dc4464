"""No import circle in ``pgrelease.catalog``: each module imports only what comes before it
(the kinds' base, the kinds, the snapshot, the diff, the planner, the package), and a module
never imports its own package (``from . import x``) while that package imports it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import pgrelease.catalog

ROOT = Path(pgrelease.catalog.__file__).parent
PACKAGE = "pgrelease.catalog"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join([PACKAGE, *parts])


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _imports(name: str, source: str | None = None) -> set[str]:
    """Modules of the catalog that ``name`` imports. ``from P import x`` imports package P
    (its ``__init__``) and, when x is a module, P.x as well; ``from P.m import x`` imports P.m."""
    source = MODULES[name].read_text() if source is None else source
    base = name if _is_package(name) else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")
                target = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE):
                continue
            if target in MODULES:
                out.add(target)
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    out.add(f"{target}.{alias.name}")
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in MODULES}
    out.discard(name)
    return out


def _cycle() -> list[str] | None:
    graph = {name: _imports(name) for name in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_no_import_circle_in_the_catalog() -> None:
    assert _cycle() is None, " -> ".join(_cycle() or ())


def test_the_check_sees_a_module_importing_its_package() -> None:
    # the circle there was: diff.py's ``from . import model`` imports the package, which imports diff
    diff = f"{PACKAGE}.diff"
    assert _imports(diff, "from . import model as m\n") == {PACKAGE, f"{PACKAGE}.model"}
    assert _imports(diff, "from .model import Column\n") == {f"{PACKAGE}.model"}
    assert _imports(f"{PACKAGE}.kinds.table", "from . import column\n") == {f"{PACKAGE}.kinds", f"{PACKAGE}.kinds.column"}
    assert diff in _imports(PACKAGE)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_alone(name: str) -> None:
    subprocess.run([sys.executable, "-c", f"import {name}"], check=True)
