"""Text and JSON renderings of a Report.

A one-step report renders as it always has (migrations, checks, the step's data section,
notes, warnings, errors, verdict); a pipeline report renders each step under its own
heading. The data section of a step is found by its kind in ``TEXT_SECTIONS``."""

from __future__ import annotations

import json
from typing import Any

from ..errors import PgReleaseError
from .model import FAIL, OK, SKIP, WARN, Report, Step
from .sections import TEXT_SECTIONS

_MARK = {OK: "ok", WARN: "warn", FAIL: "FAIL", SKIP: "skip"}
VERDICT = {"ok": "OK", "failed": "FAILED", "error": "ERROR"}


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, default=str, sort_keys=False)


def ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value / 1000:.2f}s" if value >= 1000 else f"{value:.0f}ms"


def render_error_lines(err: PgReleaseError) -> list[str]:
    where = ""
    if err.file:
        where = f"{err.file}:{err.line}: " if err.line else f"{err.file}: "
    state = f" [SQLSTATE {err.sqlstate}]" if err.sqlstate else ""
    lines = [f"error: {where}{err.message}{state}"]
    if err.detail:
        lines.append(f"  detail: {err.detail}")
    if err.hint:
        lines.append(f"  hint: {err.hint}")
    return lines


def step_lines(step: Step) -> list[str]:
    lines: list[str] = []
    for entry in step.migrations:
        extra = []
        if entry.duration_ms is not None:
            extra.append(ms(entry.duration_ms))
        if entry.no_transaction:
            extra.append(f"NO TRANSACTION: {entry.no_transaction}")
        if entry.note:
            extra.append(entry.note)
        suffix = f"  ({'; '.join(extra)})" if extra else ""
        lines.append(f"  {entry.status:<12} {entry.version}  {entry.name}{suffix}")
    for check in step.checks:
        where = f" [{check.file}:{check.line}]" if check.file and check.line else ""
        timing = f" ({ms(check.duration_ms)})" if check.duration_ms is not None else ""
        msg = f": {check.message}" if check.message else ""
        lines.append(f"  [{_MARK.get(check.status, check.status)}] {check.name}{where}{msg}{timing}")
    section = TEXT_SECTIONS.get(step.kind)
    if section:
        lines.extend(section(step))
    lines.extend(step.details)
    for note in step.notes:
        lines.append(f"note: {note}")
    for warning in step.warnings:
        lines.append(f"warning: {warning}")
    for err in step.errors:
        lines.extend(render_error_lines(err))
    return lines


def render_text(report: Report, *, quiet: bool = False) -> str:
    verdict = VERDICT[report.status]
    if quiet:
        return f"{report.command}: {verdict}"
    lines: list[str] = []
    if report.target:
        lines.append(f"target: {report.target}")
    if not report.pipeline:
        lines.extend(step_lines(report.steps[0]))
    else:
        for step in report.steps:
            timing = f" ({ms(step.duration_ms)})" if step.duration_ms is not None else ""
            summary = f": {step.summary}" if step.summary else ""
            lines.append(f"== {step.name} [{_MARK.get(step.status, step.status)}]{summary}{timing}")
            lines.extend(step_lines(step))
    lines.append(f"{report.command}: {verdict}")
    return "\n".join(lines)


def render(report: Report, fmt: str, *, quiet: bool = False) -> str:
    if fmt == "json":
        return render_json(report)
    return render_text(report, quiet=quiet)


def to_jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
