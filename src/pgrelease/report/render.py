"""Text and JSON renderings of a Report."""

from __future__ import annotations

import json
from typing import Any, Callable

from ..errors import PgReleaseError
from .model import FAIL, OK, SKIP, WARN, Report

_MARK = {OK: "ok", WARN: "warn", FAIL: "FAIL", SKIP: "skip"}

# Commands may register a function that renders their Report.data section as text lines.
DATA_RENDERERS: dict[str, Callable[[Report], list[str]]] = {}


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, default=str, sort_keys=False)


def _ms(value: float | None) -> str:
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


def render_text(report: Report, *, quiet: bool = False) -> str:
    verdict = {"ok": "OK", "failed": "FAILED", "error": "ERROR"}[report.status]
    if quiet:
        return f"{report.command}: {verdict}"
    lines: list[str] = []
    if report.target:
        lines.append(f"target: {report.target}")
    for entry in report.migrations:
        extra = []
        if entry.duration_ms is not None:
            extra.append(_ms(entry.duration_ms))
        if entry.no_transaction:
            extra.append(f"NO TRANSACTION: {entry.no_transaction}")
        if entry.note:
            extra.append(entry.note)
        suffix = f"  ({'; '.join(extra)})" if extra else ""
        lines.append(f"  {entry.status:<12} {entry.version}  {entry.name}{suffix}")
    for check in report.checks:
        where = f" [{check.file}:{check.line}]" if check.file and check.line else ""
        timing = f" ({_ms(check.duration_ms)})" if check.duration_ms is not None else ""
        msg = f": {check.message}" if check.message else ""
        lines.append(f"  [{_MARK.get(check.status, check.status)}] {check.name}{where}{msg}{timing}")
    renderer = DATA_RENDERERS.get(report.command)
    if renderer:
        lines.extend(renderer(report))
    lines.extend(report.details)
    for note in report.notes:
        lines.append(f"note: {note}")
    for warning in report.warnings:
        lines.append(f"warning: {warning}")
    for err in report.errors:
        lines.extend(render_error_lines(err))
    lines.append(f"{report.command}: {verdict}")
    return "\n".join(lines)


def render(report: Report, fmt: str, *, quiet: bool = False) -> str:
    if fmt == "json":
        return render_json(report)
    return render_text(report, quiet=quiet)


def to_jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
