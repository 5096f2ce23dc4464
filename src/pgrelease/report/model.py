"""The one result shape every command returns; renderers turn it into text or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import EXIT_FAILED, EXIT_OK, PgReleaseError

OK, WARN, FAIL, SKIP = "ok", "warning", "failed", "skipped"
_RANK = {OK: 0, SKIP: 0, WARN: 1, FAIL: 2}


@dataclass
class MigrationEntry:
    version: str
    name: str
    status: str  # applied | pending | would-apply | failed | skipped | recorded
    duration_ms: float | None = None
    file: str | None = None
    no_transaction: str | None = None  # why it ran outside a transaction, when it did
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"version": self.version, "name": self.name, "status": self.status}
        if self.duration_ms is not None:
            out["duration_ms"] = round(self.duration_ms, 1)
        for key in ("file", "no_transaction", "note"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


@dataclass
class CheckEntry:
    name: str
    status: str  # ok | warning | failed | skipped
    message: str = ""
    duration_ms: float | None = None
    file: str | None = None
    line: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status, "message": self.message}
        if self.duration_ms is not None:
            out["duration_ms"] = round(self.duration_ms, 1)
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        if self.data:
            out["data"] = self.data
        return out


@dataclass
class Report:
    command: str
    target: str | None = None  # always a masked URL or a label
    migrations: list[MigrationEntry] = field(default_factory=list)
    checks: list[CheckEntry] = field(default_factory=list)
    errors: list[PgReleaseError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)  # extra text lines (text format only; JSON has data)
    failed: bool = False  # set by a step when a check fails without an exception

    @property
    def worst_check(self) -> str:
        worst = OK
        for check in self.checks:
            if _RANK.get(check.status, 0) > _RANK[worst]:
                worst = check.status
        return worst

    @property
    def exit_code(self) -> int:
        if self.errors:
            return max(err.exit_code for err in self.errors)
        if self.failed or self.worst_check == FAIL:
            return EXIT_FAILED
        return EXIT_OK

    @property
    def status(self) -> str:
        code = self.exit_code
        if code == EXIT_OK:
            return "ok"
        return "failed" if code == EXIT_FAILED else "error"

    def add_check(self, name: str, status: str, message: str = "", **kwargs: Any) -> CheckEntry:
        entry = CheckEntry(name, status, message, **kwargs)
        self.checks.append(entry)
        return entry

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"command": self.command, "status": self.status, "exit_code": self.exit_code}
        if self.target:
            out["target"] = self.target
        out["migrations"] = [m.to_dict() for m in self.migrations]
        out["applied"] = [m.to_dict() for m in self.migrations if m.status == "applied"]
        out["pending"] = [m.to_dict() for m in self.migrations if m.status in ("pending", "would-apply")]
        out["checks"] = [c.to_dict() for c in self.checks]
        out["errors"] = [e.to_dict() for e in self.errors]
        out["warnings"] = list(self.warnings)
        if self.notes:
            out["notes"] = list(self.notes)
        out.update(self.data)
        return out
