"""The gate's markdown: the PR comment (one, edited in place) and the job summary.

The verdict comes first, then one line per step, the migrations, lint findings linked to
their lines at the head commit, the locks and rewrites of the pending migrations, verify
results, the drift summary, the guard, an ER diagram of the tables the pull request
changes, and a link to the run. Long parts fold
into ``<details>``; the whole stays under GitHub's 65,536-character limit."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..report.locks import BLOCKS, what_text, where_text
from ..report.model import FAIL, WARN, Report, Step
from ..report.render import ms
from .lint import findings_table
from .syntax import cell

COMMENT_LIMIT = 65_536
_BUDGET = 60_000  # leaves room for the marker, the footer and the truncation note
_MARKS = {"ok": ":white_check_mark:", "warning": ":warning:", "failed": ":x:", "skipped": ":fast_forward:"}
_FOLD_ROWS = 15


@dataclass(frozen=True)
class CommentContext:
    marker: str = ""
    workdir: str = "."
    server_url: str = "https://github.com"
    repository: str | None = None
    sha: str | None = None
    run_url: str | None = None
    er_diagram: str | None = None
    summary_hint: bool = True  # say where the full report is when truncated


def _link(ctx: CommentContext):  # noqa: ANN202
    if not (ctx.repository and ctx.sha):
        return None
    prefix = "" if ctx.workdir in (".", "") else ctx.workdir.strip("/") + "/"

    def link(file: str, line: int | None) -> str:
        url = f"{ctx.server_url}/{ctx.repository}/blob/{ctx.sha}/{quote(prefix + file)}"
        return url + (f"#L{line}" if line else "")

    return link


def _fold(title: str, lines: list[str], *, open_: bool = False) -> list[str]:
    if not lines:
        return []
    if len(lines) <= _FOLD_ROWS and not title.startswith("Drift details"):
        return [f"**{title}**", "", *lines, ""]
    return [f"<details{' open' if open_ else ''}><summary><b>{title}</b></summary>", "", *lines, "", "</details>", ""]


def _steps_table(report: Report) -> list[str]:
    out = ["| | step | result | time |", "|---|---|---|---|"]
    for step in report.steps:
        out.append(f"| {_MARKS.get(step.status, '')} | {step.name} | {cell(step.summary)} | {ms(step.duration_ms)} |")
    return out + [""]


def _migrations(report: Report) -> list[str]:
    shadow, push, plan = report.step("shadow"), report.step("push"), report.step("plan")
    staging = {m.version: m for m in (push.migrations if push else [])}
    planned = {m.version: m for m in (plan.migrations if plan else [])}
    rows = []
    pending = set(staging) | set(planned)
    for m in (shadow.migrations if shadow else []):
        if pending and m.version not in pending:
            continue
        on_staging = staging.get(m.version) or planned.get(m.version)
        staging_text = on_staging.status if on_staging else ("not pushed" if push and push.skipped else "")
        took = ms((on_staging.duration_ms if on_staging and on_staging.duration_ms is not None else m.duration_ms))
        mode = " (no transaction)" if m.no_transaction else ""
        rows.append(f"| `{m.version}` | {cell(m.name)} | {m.status}{mode} | {staging_text} | {took} |")
    if not rows:
        return []
    title = f"Migrations ({len(rows)} pending)" if pending else f"Migrations ({len(rows)} replayed)"
    return _fold(title, ["| version | name | shadow | staging | time |", "|---|---|---|---|---|", *rows])


def _checks(step: Step | None, title: str) -> list[str]:
    if step is None or not step.checks:
        return []
    failed = [c for c in step.checks if c.status == FAIL]
    rows = ["| | check | where | result |", "|---|---|---|---|"]
    for c in sorted(step.checks, key=lambda c: c.status != FAIL):
        where = f"`{c.file}:{c.line}`" if c.file and c.line else (f"`{c.file}`" if c.file else "")
        rows.append(f"| {_MARKS.get(c.status, '')} | {cell(c.name)} | {where} | {cell(c.message)} |")
    return _fold(f"{title}: {len(step.checks) - len(failed)} of {len(step.checks)} passed", rows, open_=bool(failed))


def _problems(report: Report) -> list[str]:
    out = []
    for step in report.steps:
        for err in step.errors:
            where = f" `{err.file}:{err.line}`" if err.file and err.line else (f" `{err.file}`" if err.file else "")
            state = f" [SQLSTATE {err.sqlstate}]" if err.sqlstate else ""
            out.append(f"- :x: **{step.name}**{where}: {cell(err.message)}{state}"
                       + (f"<br>hint: {cell(err.hint)}" if err.hint else ""))
        out += [f"- :warning: **{step.name}**: {cell(w)}" for w in step.warnings]
        out += [f"- {step.name}: {cell(n)}" for n in step.notes if step.name in ("plan", "push", "link")]
    return out + ([""] if out else [])


_QUIET_MODES = ("ACCESS SHARE", "ROW SHARE")


def _impact(report: Report, target: str = "staging") -> list[str]:
    """One row per (statement, relation) that locks an existing relation beyond reads, rewrites
    it or reads it in full; the policy's verdict marks its row. ``target``: where the sizes
    come from (the gate: staging; the promotion's deployment summary: production)."""
    step = report.step("impact")
    data = step.data.get("impact") if step is not None and step.skipped is None else None
    if not data or not data.get("migrations"):
        return []
    verdicts = {(c.file, c.line, c.data.get("relation")): c.status for c in step.checks}  # type: ignore[union-attr]
    rows = []
    for m in data["migrations"]:
        for stmt in m["statements"]:
            for lock in stmt["locks"]:
                if lock["mode"] in _QUIET_MODES and not (lock.get("scan") or lock.get("rewrite")):
                    continue
                mark = _MARKS.get(verdicts.get((m["file"], stmt["line"], lock["relation"]), ""), "")
                held = " (held)" if lock.get("held") else ""
                stated = "" if lock.get("measured", True) else " (not measured: outside a transaction)"
                size = where_text(lock).strip(" ()")
                rows.append(f"| {mark} | `{m['version']}` | {stmt['line']} | {cell(what_text(lock))}{held}{stated} |"
                            f" `{cell(lock['relation'])}` | {cell(size)} | {cell(lock['blocks'])} |")
    count = len(data["migrations"])
    if not rows:
        return [f"**Locks and rewrites**: the {count} pending migration(s) lock no existing table beyond reads", ""]
    blocking = sum(1 for m in data["migrations"] for s in m["statements"] for lock in s["locks"]
                   if lock["mode"] in BLOCKS and not lock.get("held"))
    title = f"Locks and rewrites ({count} pending migration(s), {blocking} blocking)"
    table = [f"| | version | line | lock | relation | size on {target} | while held |",
             "|---|---|---|---|---|---|---|", *rows]
    return _fold(title, table, open_=any(c.status in (FAIL, WARN) for c in step.checks))  # type: ignore[union-attr]


impact_table = _impact  # for the deployment summary (github/deploy.py)


def _drift(report: Report) -> list[str]:
    step = report.step("drift")
    if step is None or step.skipped is not None or not step.details:
        return []
    return _fold("Drift details", ["```", *[line.strip("\n") for line in step.details], "```"],
                 open_=step.status == FAIL)


def _diagram(ctx: CommentContext) -> list[str]:
    if not ctx.er_diagram:
        return []
    return ["<details open><summary><b>Tables this pull request changes</b></summary>", "", "```mermaid",
            ctx.er_diagram.rstrip(), "```", "", "</details>", ""]


def _heading(report: Report, ctx: CommentContext) -> str:
    failed = [s.name for s in report.steps if s.status == FAIL]
    where = f" · `{ctx.workdir}`" if ctx.workdir not in (".", "") else ""
    if report.status == "ok":
        return f"### :white_check_mark: pgrelease gate passed{where}"
    verdict = "failed" if report.status == "failed" else "could not finish"
    return f"### :x: pgrelease gate {verdict}: {', '.join(failed) or 'error'}{where}"


def gate_markdown(report: Report, ctx: CommentContext = CommentContext()) -> str:
    """The comment body (marker first, when given) and job summary."""
    head = [ctx.marker] if ctx.marker else []
    head += [_heading(report, ctx), ""]
    lint = report.step("lint")
    findings = findings_table(lint, _link(ctx)) if lint is not None else []
    parts = [
        _steps_table(report),
        _problems(report),
        _fold(f"Lint findings ({len(findings) - 2})", findings, open_=lint is not None and lint.status == FAIL),
        _migrations(report),
        _impact(report),
        _checks(report.step("verify"), "Verify on staging"),
        _checks(report.step("shadow"), "Verify on the shadow"),
        _drift(report),
        _diagram(ctx),
    ]
    guard = report.step("guard")
    if guard is not None and guard.skipped is None:
        parts.append([f"**Schema guard**: {_MARKS.get(guard.status, '')} {cell(guard.summary)}", ""])
    footer = []
    links = [f"[workflow run]({ctx.run_url})" if ctx.run_url else "",
             f"commit `{ctx.sha[:7]}`" if ctx.sha else ""]
    if any(links):
        footer = [" · ".join(x for x in links if x)]
    body = _assemble(head, parts, footer, ctx)
    return body


def _assemble(head: list[str], parts: list[list[str]], footer: list[str], ctx: CommentContext) -> str:
    def join(chunks: list[list[str]]) -> str:
        return "\n".join(head + [line for chunk in chunks for line in chunk] + footer).rstrip() + "\n"

    text = join(parts)
    if len(text) <= _BUDGET:
        return text
    # drop the longest parts (after the steps table and the problems) until it fits
    kept = list(parts)
    dropped = 0
    while len(join(kept)) > _BUDGET:
        sizes = [(len("\n".join(p)), i) for i, p in enumerate(kept) if i >= 2 and p]
        if not sizes:
            break
        _, index = max(sizes)
        kept[index] = []
        dropped += 1
    note = ["", f"> :scissors: {dropped} section(s) left out to stay under GitHub's comment limit"
            + ("; the job summary of the workflow run has the full report." if ctx.summary_hint else ".")]
    text = join(kept + [note])
    if len(text) > _BUDGET:  # one part alone is too long: cut it
        text = text[:_BUDGET] + "\n\n> :scissors: cut to stay under GitHub's comment limit.\n"
    return text
