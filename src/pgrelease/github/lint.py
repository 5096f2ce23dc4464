"""Lint findings for GitHub Actions: an annotation on each finding's line, a summary line,
a findings table for the job summary, and lint's step outputs."""

from __future__ import annotations

from ..report.model import Step
from .syntax import annotation, cell

VERDICT = {"ok": "OK", "failed": "FAILED", "error": "ERROR", "warning": "OK", "skipped": "SKIPPED"}


def lint_annotations(step: Step, title: str = "pgrelease lint", prefix: str = "") -> list[str]:
    lines = []
    for f in step.data.get("findings", ()):
        level = "error" if f["severity"] == "error" else "warning"
        lines.append(annotation(level, f"{f['message']}\nhelp: {f['help']}", file=f["file"], line=f["line"],
                                col=f["column"], title=f["rule"], prefix=prefix))
    for err in step.errors:
        message = err.message + (f"\nhint: {err.hint}" if err.hint else "")
        lines.append(annotation("error", message, file=err.file, line=err.line, title=title, prefix=prefix))
    return lines


def lint_counts(step: Step) -> str:
    summary = step.data.get("summary")
    if not summary:
        return ""
    return (f"{summary['errors']} error(s), {summary['warnings']} warning(s) in "
            f"{summary['files']} file(s), {summary['statements']} statement(s)")


def lint_summary_line(verdict: str, step: Step) -> str:
    counts = lint_counts(step)
    return f"pgrelease lint: {verdict}: {counts}" if counts else f"pgrelease lint: {verdict}"


def findings_table(step: Step, link=None) -> list[str]:  # noqa: ANN001 - link(file, line) -> url | None
    findings = step.data.get("findings", ())
    if not findings:
        return []
    out = ["| | rule | where | message |", "|---|---|---|---|"]
    for f in findings:
        mark = ":x:" if f["severity"] == "error" else ":warning:"
        where = f"`{f['file']}:{f['line']}`"
        url = link(f["file"], f["line"]) if link else None
        if url:
            where = f"[{where}]({url})"
        out.append(f"| {mark} | `{f['rule']}` | {where} | {cell(f['message'])} |")
    return out


def lint_markdown(verdict: str, step: Step) -> str:
    out = [f"### {lint_summary_line(verdict, step)}", ""]
    out += findings_table(step)
    for err in step.errors:
        out.append(f"- :x: {err.message}")
    return "\n".join(out) + "\n"


def lint_outputs(status: str, step: Step) -> dict[str, str]:
    summary = step.data.get("summary", {})
    return {"lint-errors": str(summary.get("errors", 0)), "lint-warnings": str(summary.get("warnings", 0)),
            "lint-status": status}
