"""The promotion's deployment summary (terminal and $GITHUB_STEP_SUMMARY), with the
runbook's post-deployment checklist, and the comments on the deployed pull requests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..report.model import FAIL, OK, Report, Step
from ..report.render import ms
from .syntax import cell

_MARKS = {"ok": ":white_check_mark:", "warning": ":warning:", "failed": ":x:", "skipped": ":fast_forward:"}


def _check_line(step: Step | None, name: str) -> tuple[bool, str]:
    if step is None or step.skipped is not None:
        return False, "not checked" + (f" ({step.skipped})" if step is not None and step.skipped else "")
    check = next((c for c in step.checks if c.name == name), None) if name else None
    if check is not None:
        return check.status == OK, check.message
    return step.status == OK, step.summary


def checklist(report: Report, *, health_url: str | None, app_version: str | None) -> list[str]:
    """The runbook's post-deployment checklist; what pgrelease checked is ticked."""
    health = report.step("health")
    guard = report.step("guard")
    lines = []
    db_ok, db_text = _check_line(health, "database server")
    lines.append(f"- [{'x' if db_ok else ' '}] Database health: {db_text}")
    if health_url:
        http = next((c for c in (health.checks if health else []) if c.name.startswith("http")), None)
        ok = http is not None and http.status == OK
        lines.append(f"- [{'x' if ok else ' '}] App health URL {health_url}: {http.message if http else 'not checked'}")
    else:
        lines.append("- [ ] App health URL: open it and check it answers (pass --health-url to have pgrelease check it)")
    if guard is not None and guard.skipped is None:
        lines.append(f"- [{'x' if guard.status == OK else ' '}] Schema version: {guard.summary}")
    else:
        lines.append("- [ ] Schema version: compare the application's APP_SCHEMA_VERSION with bot_config"
                     + ("" if app_version else " (pass --app-version to have pgrelease check it)"))
    lines.append("- [ ] Logs: read the application's and the database's logs since the deployment for new errors")
    lines.append("- [ ] Core features: try sign-in and the main flows the deployed migrations touch")
    return lines


def deployment_markdown(report: Report, *, environment: str, audit_id: str | None, run_url: str | None,
                        sha: str | None, health_url: str | None = None, app_version: str | None = None) -> str:
    verdict = {"ok": ":white_check_mark: deployed", "failed": ":x: deployment failed",
               "error": ":x: deployment could not run"}[report.status]
    out = [f"### {verdict} to {environment}", ""]
    facts = [f"commit `{sha[:12]}`" if sha else "", f"audit row `{audit_id}`" if audit_id else "",
             f"[workflow run]({run_url})" if run_url else ""]
    if any(facts):
        out += [" · ".join(f for f in facts if f), ""]
    out += ["| | step | result | time |", "|---|---|---|---|"]
    for step in report.steps:
        out.append(f"| {_MARKS.get(step.status, '')} | {step.name} | {cell(step.summary)} | {ms(step.duration_ms)} |")
    out.append("")
    preflight = report.step("preflight")
    if preflight is not None and preflight.checks:
        out += ["**Pre-flight**", "", "| | check | result |", "|---|---|---|"]
        out += [f"| {_MARKS.get(c.status, '')} | {cell(c.name)} | {cell(c.message)} |" for c in preflight.checks]
        out.append("")
    from .comment import impact_table  # noqa: PLC0415

    out += impact_table(report, environment)
    apply = report.step("apply")
    if apply is not None and apply.migrations:
        out += ["**Migrations**", "", "| version | name | result | time |", "|---|---|---|---|"]
        out += [f"| `{m.version}` | {cell(m.name)} | {m.status} | {ms(m.duration_ms)} |" for m in apply.migrations]
        out.append("")
    for step in report.steps:
        if step.name in ("verify", "health") and step.checks:
            out += [f"**{step.name.capitalize()}**", "", "| | check | result |", "|---|---|---|"]
            out += [f"| {_MARKS.get(c.status, '')} | {cell(c.name)} | {cell(c.message)} |"
                    for c in sorted(step.checks, key=lambda c: c.status != FAIL)]
            out.append("")
    problems = [f"- :x: **{s.name}**: {cell(e.message)}" + (f"<br>hint: {cell(e.hint)}" if e.hint else "")
                for s in report.steps for e in s.errors]
    problems += [f"- :warning: **{s.name}**: {cell(w)}" for s in report.steps for w in s.warnings]
    if problems:
        out += problems + [""]
    if report.step("apply") is not None and report.step("apply").skipped is None:
        out += ["**Post-deployment checklist**", "", *checklist(report, health_url=health_url, app_version=app_version), ""]
    return "\n".join(out).rstrip() + "\n"


def deployed_pulls_comment(environment: str, versions: list[str], *, run_url: str | None, sha: str | None) -> str:
    shown = ", ".join(f"`{v}`" for v in versions)
    where = f" by [this workflow run]({run_url})" if run_url else ""
    commit = f" (commit `{sha[:12]}`)" if sha else ""
    return (f":rocket: The migrations of this pull request are in **{environment}**{commit}: {shown}."
            f" Deployed{where}.\n")


def commits_of(workdir: Path, files: list[str]) -> list[str]:
    """Commits that added or changed ``files`` (relative to ``workdir``), newest first."""
    if not files:
        return []
    try:
        proc = subprocess.run(["git", "-C", str(workdir), "log", "--format=%H", "--", *files], capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.strip() for line in proc.stdout.splitlines() if line.strip()] if proc.returncode == 0 else []


def comment_deployed_pulls(ctx, reader, workdir: Path, applied: dict[str, str], *, environment: str,  # noqa: ANN001
                           marker_workdir: str) -> Step:
    """Comment on each pull request whose migration files were just deployed. ``applied``:
    file (relative to the workdir) -> version. Failures are warnings."""
    from dataclasses import replace

    from .publish import comment_marker, publish
    from .reads import GitHubUnavailable

    step = Step("comment")
    by_pull: dict[int, list[str]] = {}
    try:
        for file, version in applied.items():
            for sha in commits_of(workdir, [file]):
                for number in reader.pulls_of_commit(sha):
                    if version not in by_pull.setdefault(number, []):
                        by_pull[number].append(version)
    except GitHubUnavailable as err:
        step.warnings.append(err.message)
    if not applied:
        step.skipped = "nothing was applied"
    elif not by_pull and not step.warnings:
        step.notes.append("no pull request found for the deployed migration files (git history of the checkout)")
    marker = comment_marker(marker_workdir, tool="promote")
    done = []
    for number, versions in sorted(by_pull.items()):
        body = deployed_pulls_comment(environment, sorted(versions, key=lambda v: (int(v), v)), run_url=ctx.run_url,
                                      sha=ctx.head_sha)
        result = publish(replace(ctx, pr_number=number), marker=f"{marker[:-4]} run={ctx.run_url or ''} -->",
                         body=body, status_state=None)
        step.warnings.extend(f"#{number}: {e}" for e in result.errors)
        if result.comment in ("created", "updated"):
            done.append(f"#{number}")
    step.data["pulls"] = sorted(by_pull)
    step.summary = f"commented on {', '.join(done)}" if done else (f"skipped: {step.skipped}" if step.skipped
                                                                   else "no pull request commented")
    return step
