"""The `github` output format: GitHub Actions workflow commands, job summary and step outputs.

- ``::error file=F,line=L,title=T::message`` for each error and failed check, so GitHub shows
  it on the migration line of the pull request; ``::warning::`` for warnings.
- The plain text report inside ``::group::`` so the log stays readable.
- Markdown appended to ``$GITHUB_STEP_SUMMARY`` and ``key=value`` lines appended to
  ``$GITHUB_OUTPUT`` when those variables are set.

Everything written here comes from a Report, whose targets are already masked.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from ..report.model import FAIL, WARN, Report
from ..report.render import render_text

_VERDICT = {"ok": "OK", "failed": "FAILED", "error": "ERROR"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, *, file: str | None = None, line: int | None = None,
               col: int | None = None, title: str | None = None) -> str:
    """One workflow command: ``::error file=F,line=L,col=C,title=T::message``."""
    props = [f"{key}={escape_property(str(value))}"
             for key, value in (("file", file), ("line", line), ("col", col), ("title", title)) if value is not None]
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}"


def append_env_file(variable: str, text: str) -> None:
    """Append to the file a GitHub variable names ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT)."""
    path = os.environ.get(variable)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)


def report_annotations(report: Report) -> list[str]:
    title = f"pgrelease {report.command}"
    lines = []
    for err in report.errors:
        message = err.message + (f"\nhint: {err.hint}" if err.hint else "")
        lines.append(annotation("error", message, file=err.file, line=err.line, title=title))
    for check in report.checks:
        if check.status in (FAIL, WARN):
            level = "error" if check.status == FAIL else "warning"
            lines.append(annotation(level, f"{check.name}: {check.message}", file=check.file, line=check.line,
                                    title=title))
    lines.extend(annotation("warning", w, title=title) for w in report.warnings)
    return lines


def summary_line(report: Report) -> str:
    return f"pgrelease {report.command}: {_VERDICT[report.status]}"


def report_markdown(report: Report) -> str:
    out = [f"### {summary_line(report)}", ""]
    if report.target:
        out += [f"Target: `{report.target}`", ""]
    if report.migrations:
        out += ["| version | name | status | time |", "|---|---|---|---|"]
        for m in report.migrations:
            took = f"{m.duration_ms:.0f} ms" if m.duration_ms is not None else ""
            status = m.status + (" (no transaction)" if m.no_transaction else "")
            out.append(f"| `{m.version}` | {_cell(m.name)} | {status} | {took} |")
        out.append("")
    if report.checks:
        marks = {"ok": ":white_check_mark:", "warning": ":warning:", "failed": ":x:", "skipped": ":fast_forward:"}
        out += ["| | check | result |", "|---|---|---|"]
        for c in report.checks:
            out.append(f"| {marks.get(c.status, '')} | {_cell(c.name)} | {_cell(c.message)} |")
        out.append("")
    for err in report.errors:
        where = f" (`{err.file}:{err.line}`)" if err.file and err.line else (f" (`{err.file}`)" if err.file else "")
        out.append(f"- :x: {_cell(err.message)}{where}" + (f"<br>hint: {_cell(err.hint)}" if err.hint else ""))
    out += [f"- :warning: {_cell(w)}" for w in report.warnings]
    return "\n".join(out).rstrip() + "\n\n"


def report_outputs(report: Report) -> dict[str, str]:
    return {
        "status": report.status,
        "exit-code": str(report.exit_code),
        "applied": str(sum(1 for m in report.migrations if m.status == "applied")),
        "pending": str(sum(1 for m in report.migrations if m.status in ("pending", "would-apply"))),
        "failed-checks": str(sum(1 for c in report.checks if c.status == FAIL)),
    }


def emit_github(report: Report, *, quiet: bool = False, annotations: Iterable[str] | None = None,
                summary: str | None = None, markdown: str | None = None,
                outputs: Mapping[str, str] | None = None, echo=print) -> None:  # noqa: ANN001
    """Print workflow commands (and, unless quiet, the text report in a group); write the
    job summary and step outputs. Commands may pass their own annotations and summary."""
    for line in (annotations if annotations is not None else report_annotations(report)):
        echo(line)
    if not quiet:
        echo(f"::group::pgrelease {report.command} report")
        echo(render_text(report))
        echo("::endgroup::")
    echo(summary or summary_line(report))
    append_env_file("GITHUB_STEP_SUMMARY", markdown or report_markdown(report))
    values = report_outputs(report) if outputs is None else dict(outputs)
    append_env_file("GITHUB_OUTPUT", "".join(f"{key}={value}\n" for key, value in values.items()))


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")
