"""The `github` output format: GitHub Actions workflow commands, job summary and step outputs.

- ``::error file=F,line=L,title=T::message`` for each error and failed check, so GitHub shows
  it on the migration line of the pull request; ``::warning::`` for warnings.
- The plain text report inside ``::group::`` so the log stays readable (one group per step
  for a pipeline).
- Markdown appended to ``$GITHUB_STEP_SUMMARY`` and ``key=value`` lines appended to
  ``$GITHUB_OUTPUT`` when those variables are set.

What a step of a given kind contributes is looked up by its kind (lint's findings, ...).
Everything written here comes from a Report, whose targets are already masked.
"""

from __future__ import annotations

from collections.abc import Callable

from ..report.model import FAIL, WARN, Report, Step
from ..report.render import VERDICT, render_text, step_lines
from .lint import lint_annotations, lint_markdown, lint_outputs, lint_summary_line
from .syntax import add_mask, annotation, append_env_file, cell, escape_data, escape_property, repo_path

__all__ = ["add_mask", "annotation", "append_env_file", "cell", "emit_github", "escape_data", "escape_property",
           "repo_path", "report_annotations", "report_markdown", "report_outputs", "step_annotations", "summary_line"]


def step_annotations(step: Step, title: str, prefix: str = "") -> list[str]:
    if step.kind == "lint":
        return lint_annotations(step, prefix=prefix)
    lines = []
    for err in step.errors:
        message = err.message + (f"\nhint: {err.hint}" if err.hint else "")
        lines.append(annotation("error", message, file=err.file, line=err.line, title=title, prefix=prefix))
    for check in step.checks:
        if check.status in (FAIL, WARN):
            level = "error" if check.status == FAIL else "warning"
            lines.append(annotation(level, f"{check.name}: {check.message}", file=check.file, line=check.line,
                                    title=title, prefix=prefix))
    lines.extend(annotation("warning", w, title=title) for w in step.warnings)
    return lines


def report_annotations(report: Report, prefix: str = "") -> list[str]:
    title = f"pgrelease {report.command}"
    return [line for step in report.steps for line in step_annotations(step, title, prefix)]


def summary_line(report: Report) -> str:
    if not report.pipeline and report.steps[0].kind == "lint":
        return lint_summary_line(VERDICT[report.status], report.steps[0])
    return f"pgrelease {report.command}: {VERDICT[report.status]}"


_MARKS = {"ok": ":white_check_mark:", "warning": ":warning:", "failed": ":x:", "skipped": ":fast_forward:"}


def migrations_table(step: Step) -> list[str]:
    if not step.migrations:
        return []
    out = ["| version | name | status | time |", "|---|---|---|---|"]
    for m in step.migrations:
        took = f"{m.duration_ms:.0f} ms" if m.duration_ms is not None else ""
        status = m.status + (" (no transaction)" if m.no_transaction else "")
        out.append(f"| `{m.version}` | {cell(m.name)} | {status} | {took} |")
    return out + [""]


def checks_table(step: Step) -> list[str]:
    if not step.checks:
        return []
    out = ["| | check | result |", "|---|---|---|"]
    for c in step.checks:
        out.append(f"| {_MARKS.get(c.status, '')} | {cell(c.name)} | {cell(c.message)} |")
    return out + [""]


def problems_list(step: Step) -> list[str]:
    out = []
    for err in step.errors:
        where = f" (`{err.file}:{err.line}`)" if err.file and err.line else (f" (`{err.file}`)" if err.file else "")
        out.append(f"- :x: {cell(err.message)}{where}" + (f"<br>hint: {cell(err.hint)}" if err.hint else ""))
    out += [f"- :warning: {cell(w)}" for w in step.warnings]
    return out


def report_markdown(report: Report) -> str:
    if not report.pipeline and report.steps[0].kind == "lint":
        return lint_markdown(VERDICT[report.status], report.steps[0])
    out = [f"### {summary_line(report)}", ""]
    if report.target:
        out += [f"Target: `{report.target}`", ""]
    for step in report.steps:
        if report.pipeline:
            out += [f"#### {_MARKS.get(step.status, '')} {step.name}" + (f": {cell(step.summary)}" if step.summary else ""),
                    ""]
        out += migrations_table(step) + checks_table(step) + problems_list(step)
        if report.pipeline:
            out.append("")
    return "\n".join(out).rstrip() + "\n\n"


def report_outputs(report: Report) -> dict[str, str]:
    if not report.pipeline and report.steps[0].kind == "lint":
        return lint_outputs(report.status, report.steps[0])
    return {
        "status": report.status,
        "exit-code": str(report.exit_code),
        "applied": str(sum(1 for m in report.migrations if m.status == "applied")),
        "pending": str(sum(1 for m in report.migrations if m.status in ("pending", "would-apply"))),
        "failed-checks": str(sum(1 for c in report.checks if c.status == FAIL)),
    }


def emit_github(report: Report, *, quiet: bool = False, echo: Callable[[str], object] = print,
                markdown: str | None = None, outputs: dict[str, str] | None = None, prefix: str = "") -> None:
    """Print workflow commands (and, unless quiet, the text report in a group); write the
    job summary and step outputs. ``prefix``: the project's path in the repository."""
    lint = not report.pipeline and report.steps[0].kind == "lint"
    if not (lint and quiet):
        for line in report_annotations(report, prefix):
            echo(line)
    if not quiet and not lint:
        if report.pipeline:
            for step in report.steps:
                echo(f"::group::{step.name}: {step.status}" + (f" ({step.summary})" if step.summary else ""))
                echo("\n".join(step_lines(step)) or "(nothing to show)")
                echo("::endgroup::")
        else:
            echo(f"::group::pgrelease {report.command} report")
            echo(render_text(report))
            echo("::endgroup::")
    echo(summary_line(report))
    append_env_file("GITHUB_STEP_SUMMARY", markdown or report_markdown(report))
    values = report_outputs(report) if outputs is None else outputs
    append_env_file("GITHUB_OUTPUT", "".join(f"{key}={value}\n" for key, value in values.items()))
