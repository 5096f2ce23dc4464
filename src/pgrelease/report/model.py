"""The one result shape every command returns: a Report is an ordered list of steps.

A single command (push, status, lint, ...) is a report of one step, and its fields
(``report.migrations``, ``report.checks``, ``report.errors``, ...) are that step's. A pipeline
(the gate) adds one step per stage; its flat fields then read as the concatenation of every
step's, and are read-only: write into a step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import EXIT_FAILED, EXIT_OK, PgReleaseError
from ..migrations.outcome import MigrationEntry

OK, WARN, FAIL, SKIP = "ok", "warning", "failed", "skipped"
_RANK = {OK: 0, SKIP: 0, WARN: 1, FAIL: 2}

__all__ = ["FAIL", "OK", "SKIP", "WARN", "CheckEntry", "MigrationEntry", "Report", "Step"]


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
class Step:
    """One stage of a run: what it did (migrations, checks, data) and how it went."""

    name: str
    kind: str = ""  # which renderers show its data; defaults to the name
    migrations: list[MigrationEntry] = field(default_factory=list)
    checks: list[CheckEntry] = field(default_factory=list)
    errors: list[PgReleaseError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)  # extra text lines (text format only; JSON has data)
    failed: bool = False  # set when a check fails without an exception
    warned: bool = False  # set when something deserves a look without failing (lint warnings)
    skipped: str | None = None  # why the step did not run
    summary: str = ""  # one line for tables and PR comments
    duration_ms: float | None = None

    def __post_init__(self) -> None:
        self.kind = self.kind or self.name

    @property
    def worst_check(self) -> str:
        worst = OK
        for check in self.checks:
            if _RANK.get(check.status, 0) > _RANK[worst]:
                worst = check.status
        return worst

    @property
    def status(self) -> str:
        if self.skipped is not None:
            return SKIP
        if self.errors or self.failed or self.worst_check == FAIL:
            return FAIL
        if self.warnings or self.warned or self.worst_check == WARN:
            return WARN
        return OK

    @property
    def exit_code(self) -> int:
        if self.errors:
            return max(err.exit_code for err in self.errors)
        return EXIT_FAILED if self.status == FAIL else EXIT_OK

    def add_check(self, name: str, status: str, message: str = "", **kwargs: Any) -> CheckEntry:
        entry = CheckEntry(name, status, message, **kwargs)
        self.checks.append(entry)
        return entry

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status}
        if self.duration_ms is not None:
            out["duration_ms"] = round(self.duration_ms, 1)
        if self.summary:
            out["summary"] = self.summary
        if self.skipped is not None:
            out["skipped"] = self.skipped
        if self.migrations:
            out["migrations"] = [m.to_dict() for m in self.migrations]
        if self.checks:
            out["checks"] = [c.to_dict() for c in self.checks]
        if self.errors:
            out["errors"] = [e.to_dict() for e in self.errors]
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.notes:
            out["notes"] = list(self.notes)
        if self.data:
            out["data"] = self.data
        return out


_STEP_FIELDS = ("migrations", "checks", "errors", "warnings", "notes", "data", "details")


class Report:
    """``Report("push", target=...)`` is a one-step report; ``Report("gate", steps=[])`` a
    pipeline whose steps are added with :meth:`add_step`."""

    def __init__(self, command: str, target: str | None = None, *, steps: list[Step] | None = None,
                 **single: Any) -> None:
        self.command = command
        self.target = target  # always a masked URL or a label
        self.pipeline = steps is not None
        if steps is None:
            steps = [Step(command, **single)]
        elif single:
            raise TypeError("a pipeline report takes its content in steps")
        self.steps: list[Step] = steps

    @classmethod
    def of(cls, command: str, step: Step, *, target: str | None = None) -> "Report":
        """A one-step report holding ``step``."""
        report = cls(command, target)
        report.steps = [step]
        return report

    # -- one-step reports read and write their step; pipelines read every step ------------
    @property
    def single(self) -> Step | None:
        return self.steps[0] if not self.pipeline else None

    def add_step(self, step: Step) -> Step:
        self.steps.append(step)
        self.pipeline = True
        return step

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def _collect(self, attr: str) -> Any:
        if self.single is not None:
            return getattr(self.single, attr)
        if attr == "data":
            merged: dict[str, Any] = {}
            for step in self.steps:
                merged.update(step.data)
            return merged
        return [item for step in self.steps for item in getattr(step, attr)]

    def _set(self, attr: str, value: Any) -> None:
        if self.single is None:
            raise AttributeError(f"set {attr} on a step of a pipeline report")
        setattr(self.single, attr, value)

    migrations = property(lambda self: self._collect("migrations"), lambda self, v: self._set("migrations", v))
    checks = property(lambda self: self._collect("checks"), lambda self, v: self._set("checks", v))
    errors = property(lambda self: self._collect("errors"), lambda self, v: self._set("errors", v))
    warnings = property(lambda self: self._collect("warnings"), lambda self, v: self._set("warnings", v))
    notes = property(lambda self: self._collect("notes"), lambda self, v: self._set("notes", v))
    data = property(lambda self: self._collect("data"), lambda self, v: self._set("data", v))
    details = property(lambda self: self._collect("details"), lambda self, v: self._set("details", v))

    @property
    def failed(self) -> bool:
        return any(step.status == FAIL for step in self.steps)

    @failed.setter
    def failed(self, value: bool) -> None:
        self._set("failed", value)

    @property
    def worst_check(self) -> str:
        worst = OK
        for step in self.steps:
            if _RANK[step.worst_check] > _RANK[worst]:
                worst = step.worst_check
        return worst

    @property
    def exit_code(self) -> int:
        errors = self.errors
        if errors:
            return max(err.exit_code for err in errors)
        if self.failed:
            return EXIT_FAILED
        return EXIT_OK

    @property
    def status(self) -> str:
        code = self.exit_code
        if code == EXIT_OK:
            return "ok"
        return "failed" if code == EXIT_FAILED else "error"

    def add_check(self, name: str, status: str, message: str = "", **kwargs: Any) -> CheckEntry:
        if self.single is None:
            raise AttributeError("add checks to a step of a pipeline report")
        return self.single.add_check(name, status, message, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"command": self.command, "status": self.status, "exit_code": self.exit_code}
        if self.target:
            out["target"] = self.target
        migrations = self.migrations
        out["migrations"] = [m.to_dict() for m in migrations]
        out["applied"] = [m.to_dict() for m in migrations if m.status == "applied"]
        out["pending"] = [m.to_dict() for m in migrations if m.status in ("pending", "would-apply")]
        out["checks"] = [c.to_dict() for c in self.checks]
        out["errors"] = [e.to_dict() for e in self.errors]
        out["warnings"] = list(self.warnings)
        if self.notes:
            out["notes"] = list(self.notes)
        if self.pipeline:
            out["steps"] = [s.to_dict() for s in self.steps]
        else:
            out.update(self.data)
        return out
