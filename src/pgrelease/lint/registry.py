"""The rule registry, built by listing ``lint/rules/``: every module there holds one
:class:`~pgrelease.lint.rule.Rule` subclass whose ``id`` is the module's name with ``-``
for ``_``. :func:`interface_problems` says what a rule class lacks (the registry refuses
such a rule; tests/lint/test_rules.py checks every module with it)."""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

import pglast.ast

from .rules import module_names
from .rule import CATEGORIES, ERROR, WARNING, Bad, Rule

__all__ = ["CATEGORIES", "ENGINE_REPORTED", "IGNORE_COMMENT", "RULES", "RULES_BY_CATEGORY", "SYNTAX_ERROR",
           "interface_problems", "rule_of"]

# Rules the engine reports itself, while reading and parsing a file: they need no method.
SYNTAX_ERROR, IGNORE_COMMENT = "syntax-error", "ignore-comment"
ENGINE_REPORTED = frozenset({SYNTAX_ERROR, IGNORE_COMMENT})


def rule_of(module: ModuleType) -> type[Rule]:
    """The one Rule subclass a rule module defines."""
    found = [obj for obj in vars(module).values()
             if inspect.isclass(obj) and issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__]
    if len(found) != 1:
        raise TypeError(f"{module.__name__} must define exactly one Rule subclass, found {len(found)}")
    return found[0]


def interface_problems(rule: type[Rule], module_name: str | None = None) -> list[str]:
    """What ``rule`` lacks of the interface; empty when it is complete."""
    problems: list[str] = []

    def need(attr: str, ok: bool, what: str) -> None:
        if not ok:
            problems.append(f"{attr}: {what}")

    for attr in ("id", "category", "severity", "doc", "help", "bad", "good"):
        need(attr, hasattr(rule, attr), "missing")
    if problems:
        return problems
    rule_id = rule.id
    need("id", isinstance(rule_id, str) and rule_id == rule_id.lower() and " " not in rule_id and "_" not in rule_id,
         f"{rule_id!r} is not a kebab-case id")
    if module_name is not None:
        need("id", rule_id == module_name.replace("_", "-"), f"{rule_id!r} does not match its module {module_name}")
    need("category", rule.category in CATEGORIES, f"{rule.category!r} is not one of {CATEGORIES}")
    need("severity", rule.severity in (ERROR, WARNING), f"{rule.severity!r} is neither {ERROR!r} nor {WARNING!r}")
    need("default_enabled", isinstance(rule.default_enabled, bool), "not a bool")
    need("doc", isinstance(rule.doc, str) and len(rule.doc.strip().splitlines()) >= 3,
         "fewer than three lines (what it catches, why it hurts, the safe alternative)")
    need("help", isinstance(rule.help, str) and bool(rule.help.strip()), "empty")
    need("bad", len(rule.bad) >= 2 and all(isinstance(b, Bad) and b.findings for b in rule.bad),
         "needs at least two Bad(example, [(line, message part), ...]) examples")
    need("good", len(rule.good) >= 2 and not any(isinstance(g, Bad) for g in rule.good),
         "needs at least two examples the rule does not report")
    nodes = rule.nodes
    need("nodes", isinstance(nodes, tuple) and all(isinstance(n, str) and hasattr(pglast.ast, n) for n in nodes),
         f"{nodes!r} is not a tuple of pglast node type names")
    if nodes:
        need("check", rule.overrides("check"), "the rule names nodes but does not implement check(ctx, node)")
    else:
        need("check", not rule.overrides("check"), "implemented, but nodes is empty: nothing would call it")
        if rule_id not in ENGINE_REPORTED:
            need("nodes", rule.overrides("finish_file") or rule.overrides("finish_run"),
                 "empty, and neither finish_file nor finish_run is implemented: the rule can never report")
    return problems


def _load() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for name in module_names():
        module = importlib.import_module(f"{__package__}.rules.{name}")
        rule = rule_of(module)
        problems = interface_problems(rule, name)
        if problems:
            raise TypeError(f"lint rule {module.__name__}: " + "; ".join(problems))
        found[rule.id] = rule
    return found


_ALL = _load()
# In the documentation's order: by category, then by id.
RULES: dict[str, type[Rule]] = {
    r.id: r for r in sorted(_ALL.values(), key=lambda r: (CATEGORIES.index(r.category), r.id))
}
RULES_BY_CATEGORY: dict[str, list[type[Rule]]] = {c: [r for r in RULES.values() if r.category == c] for c in CATEGORIES}
