"""No import circle anywhere in ``pgrelease``.

The graph is read statically (``ast``), so it sees every import a module makes: at the top,
inside functions, and under ``if TYPE_CHECKING:`` (a type-only import still ties the two
modules together for a reader, and turns into a real circle the day someone needs the name
at run time). Edges:

* ``import pgrelease.a.b`` and ``from pgrelease.a.b import x``: the module ``pgrelease.a.b``
  (not the packages on the way, which are always imported before any module inside them);
* ``from P import x`` where ``P.x`` is a module: ``P.x`` as well as ``P`` (the package's
  ``__init__``);
* relative imports resolved against the importing module's package.

A module importing its own package (``from . import x`` inside ``P/m.py``, where ``P/__init__``
imports ``m``) is a circle too, the kind catalog/ had.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pgrelease

ROOT = Path(pgrelease.__file__).parent
PACKAGE = "pgrelease"


def _module_name(path: Path, root: Path = ROOT, package: str = PACKAGE) -> str:
    parts = [p for p in path.relative_to(root).with_suffix("").parts if p != "__init__"]
    return ".".join([package, *parts])


def modules_of(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Path]:
    return {_module_name(p, root, package): p for p in sorted(root.rglob("*.py"))}


MODULES = modules_of()


def imports(name: str, source: str, modules: dict[str, Path], package: str = PACKAGE) -> set[str]:
    """The modules of ``modules`` that module ``name`` (whose text is ``source``) imports."""
    is_package = modules.get(name, Path()).name == "__init__.py"
    base = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")
                parts = parts[: len(parts) - node.level + 1]
                target = ".".join(parts + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != package and not target.startswith(package + "."):
                continue
            if target in modules:
                out.add(target)
            for alias in node.names:
                if f"{target}.{alias.name}" in modules:
                    out.add(f"{target}.{alias.name}")
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name in modules}
    out.discard(name)
    return out


def graph(modules: dict[str, Path] = MODULES, package: str = PACKAGE) -> dict[str, set[str]]:
    return {name: imports(name, path.read_text(encoding="utf-8"), modules, package) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted; a
    group is one circle or several that share modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(out)


def _one_circle(edges: dict[str, set[str]], group: list[str]) -> list[str]:
    """One concrete path round a group, for the failure message."""
    members = set(group)
    start = group[0]
    path, seen = [start], {start}
    while True:
        nxt = sorted(m for m in edges[path[-1]] if m in members)
        back = [m for m in nxt if m == start]
        if back and len(path) > 1:
            return path + [start]
        fresh = [m for m in nxt if m not in seen]
        if not fresh:  # shorter way back exists; show the path so far and the group
            return path + [nxt[0] if nxt else start]
        path.append(fresh[0])
        seen.add(fresh[0])


def test_no_import_circle_in_pgrelease() -> None:
    edges = graph()
    found = cycles(edges)
    assert not found, "\n".join(f"{len(g)} modules: " + " -> ".join(_one_circle(edges, g)) for g in found)


def test_the_walk_sees_every_kind_of_import(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from .sub import b\n",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub.b import X\n",
        "sub/__init__.py": "",
        "sub/b.py": "def f():\n    from .. import a\n",
        "sub/c.py": "from . import b\nimport pkg.a\n",
    }
    for rel, text in files.items():
        (pkg / rel).write_text(text)
    modules = modules_of(pkg, "pkg")
    edges = graph(modules, "pkg")
    assert edges["pkg"] == {"pkg.sub", "pkg.sub.b"}
    assert edges["pkg.a"] == {"pkg.sub.b"}  # type-only, relative
    assert edges["pkg.sub.b"] == {"pkg", "pkg.a"}  # inside a function; `from .. import a` is the module a
    assert edges["pkg.sub.c"] == {"pkg.sub", "pkg.sub.b", "pkg.a"}  # `from . import b`: the package and b
    assert cycles(edges) == [["pkg", "pkg.a", "pkg.sub.b"]]
