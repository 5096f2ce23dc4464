"""No import circle in ``pgrelease.catalog``: each module imports only what comes before it
(the kinds' base, the kinds, the snapshot, the diff, the planner, the package), and a module
never imports its own package (``from . import x``) while that package imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pgrelease.catalog
from tests.test_import_cycles import cycles, graph, imports, modules_of

ROOT = Path(pgrelease.catalog.__file__).parent
PACKAGE = "pgrelease.catalog"
MODULES = modules_of(ROOT, PACKAGE)


def _imports(name: str, source: str | None = None) -> set[str]:
    """Modules of the catalog that ``name`` imports (see tests/test_import_cycles.py)."""
    return imports(name, MODULES[name].read_text() if source is None else source, MODULES, PACKAGE)


def _cycle() -> list[str] | None:
    found = cycles(graph(MODULES, PACKAGE))
    return found[0] if found else None


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
