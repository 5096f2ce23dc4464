"""Lint configuration: the ``[lint]`` table of ``pgrelease.toml``.

    [lint]
    postgres_version = 15               # major version of the target (default 15, Supabase's)
    disable = ["prefer-text"]           # rules to turn off
    enable = ["require-lock-timeout"]   # rules that are off by default
    exposed_schemas = ["public"]        # schemas the Supabase Data API serves

    [lint.severity]                     # change a rule's severity: error | warning | off
    prefer-jsonb = "error"
    drop-column = "warning"

Anything unknown (a key, a rule id, a severity) is a usage error (exit 2): a typo in a
rule name must not silently turn a rule back on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .rules import rule_ids

__all__ = ["DEFAULT_PG_VERSION", "ERROR", "LintConfig", "SEVERITIES", "WARNING", "load_lint_config"]

ERROR, WARNING, OFF = "error", "warning", "off"
SEVERITIES = (ERROR, WARNING)
DEFAULT_PG_VERSION = 15
_KEYS = frozenset({"postgres_version", "disable", "enable", "severity", "exposed_schemas"})


@dataclass(frozen=True)
class LintConfig:
    postgres_version: int = DEFAULT_PG_VERSION
    disable: frozenset[str] = frozenset()
    enable: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    exposed_schemas: tuple[str, ...] = ("public",)
    source: str = "defaults"  # where this came from, for messages

    def severity_of(self, rule_id: str, default: str, default_enabled: bool = True) -> str | None:
        """The severity a rule runs at, or None when it is off."""
        level = self.severity.get(rule_id)
        if level == OFF or rule_id in self.disable:
            return None
        if not default_enabled and rule_id not in self.enable and level is None:
            return None
        return level or default

    def with_overrides(self, *, postgres_version: int | None = None,
                       disable: Iterable[str] = (), enable: Iterable[str] = ()) -> "LintConfig":
        """Command-line flags on top of the file."""
        out = self
        if postgres_version is not None:
            out = replace(out, postgres_version=_version(postgres_version, "--pg-version"))
        disable, enable = frozenset(disable), frozenset(enable)
        if disable or enable:
            _check_ids(disable | enable, "--disable/--enable")
            out = replace(out, disable=(out.disable | disable) - enable, enable=out.enable | enable)
        return out

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], source: str = "pgrelease.toml") -> "LintConfig":
        """Validate a ``[lint]`` table."""
        if not isinstance(table, Mapping):
            raise UsageError(f"[lint] in {source} must be a table", file=source)
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise UsageError(f"unknown key lint.{unknown[0]} in {source}", file=source,
                             hint="known keys: " + ", ".join(sorted(_KEYS)))
        disable = _id_list(table.get("disable", []), "lint.disable", source)
        enable = _id_list(table.get("enable", []), "lint.enable", source)
        severity_table = table.get("severity", {})
        if not isinstance(severity_table, Mapping):
            raise UsageError(f"lint.severity in {source} must be a table of rule = \"error\"|\"warning\"|\"off\"",
                             file=source)
        _check_ids(severity_table, "lint.severity", source)
        severity: dict[str, str] = {}
        for rule_id, level in severity_table.items():
            if level not in (ERROR, WARNING, OFF):
                raise UsageError(f"lint.severity.{rule_id} = {level!r} in {source}", file=source,
                                 hint='a severity is "error", "warning" or "off"')
            severity[rule_id] = level
        schemas = table.get("exposed_schemas", ["public"])
        if not isinstance(schemas, list) or not all(isinstance(s, str) for s in schemas):
            raise UsageError(f"lint.exposed_schemas in {source} must be a list of schema names", file=source)
        version = _version(table.get("postgres_version", DEFAULT_PG_VERSION), f"lint.postgres_version in {source}")
        return cls(postgres_version=version, disable=frozenset(disable), enable=frozenset(enable),
                   severity=severity, exposed_schemas=tuple(schemas), source=source)


def _version(value: Any, what: str) -> int:
    try:
        major = int(str(value).split(".")[0])
    except ValueError:
        major = -1
    if isinstance(value, bool) or not 9 <= major <= 99:
        raise UsageError(f"{what} = {value!r} is not a PostgreSQL major version",
                         hint="give the target's major version, e.g. 15 or 17")
    return major


def _id_list(value: Any, what: str, source: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{what} in {source} must be a list of rule ids", file=source)
    _check_ids(value, what, source)
    return list(value)


def _check_ids(ids: Iterable[str], what: str, source: str | None = None) -> None:
    known = rule_ids()
    for rule_id in ids:
        if rule_id not in known:
            where = f" in {source}" if source else ""
            raise UsageError(f"{what}: unknown rule {rule_id!r}{where}", file=source,
                             hint="see docs/lint.md for the rule ids")


def load_lint_config(workdir: Path) -> LintConfig:
    """The ``[lint]`` table of ``<workdir>/pgrelease.toml``, or the defaults."""
    from ..settings import CONFIG_FILE, load_config

    table = load_config(workdir).get("lint")
    if table is None:
        return LintConfig()
    return LintConfig.from_mapping(table, source=CONFIG_FILE)
