"""The lint rules, one module per rule (see ``pgrelease.lint.rule`` for what a module
holds). Nothing here names them: ``pgrelease.lint.registry`` finds them by listing this
folder, and a rule's id is its module's name with ``-`` for ``_``. A module whose name
starts with ``_`` is not a rule (a place for helpers several rules share)."""

from __future__ import annotations

import pkgutil

__all__ = ["rule_ids"]


def module_names() -> list[str]:
    """The rule modules' names, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def rule_ids() -> frozenset[str]:
    """Every rule id, known without importing a rule (the configuration checks ids with it)."""
    return frozenset(name.replace("_", "-") for name in module_names())
