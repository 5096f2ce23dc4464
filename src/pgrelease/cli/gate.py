"""`pgrelease gate`: the PR gate (lint, shadow replay, push to staging, verify, drift,
guard), published on the pull request as one comment and a commit status."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from . import main
from .options import Printed, Progress, apply_options, echo, output_options, reporting, target_options, workdir_option
from .shadow_options import baseline_choice, shadow_baseline_options

@main.command()
@workdir_option
@target_options
@click.option("--shadow-url", envvar="PGRELEASE_SHADOW_URL",
              help="An existing EMPTY database for the replay instead of the embedded server.")
@click.option("--pg-bin", envvar="PGRELEASE_PG_BIN", help="bin directory of a local PostgreSQL for the embedded server.")
@click.option("--no-baseline", is_flag=True, help="Do not load the Supabase baseline on the shadow (--baseline none).")
@shadow_baseline_options
@click.option("--base", envvar="PGRELEASE_BASE", metavar="REF",
              help="Lint migrations changed since REF (default: origin/<the pull request's base branch>).")
@click.option("--impact-max", type=click.IntRange(0, 100_000), default=50, show_default=True,
              help="Measure locks and rewrites for at most this many pending migrations (0: never).")
@click.option("--no-push", is_flag=True, help="Do not apply pending migrations to staging (a dry run of the gate).")
@click.option("--app-version", envvar="APP_SCHEMA_VERSION",
              help="The application's schema version for the guard (env APP_SCHEMA_VERSION).")
@apply_options
@click.option("--comment", type=click.Choice(["on", "off", "on-failure"]), default="on", show_default=True,
              envvar="PGRELEASE_COMMENT", help="Post the result as a PR comment (one, edited in place).")
@click.option("--status-context", default="pgrelease/gate", show_default=True, envvar="PGRELEASE_STATUS_CONTEXT",
              help="Context of the commit status (what branch protection requires).")
@click.option("--github-api-url", envvar="PGRELEASE_GITHUB_API_URL",
              help="GitHub REST API URL (default $GITHUB_API_URL, else https://api.github.com).")
@click.option("--repo", "repository", metavar="OWNER/NAME", help="Repository (default $GITHUB_REPOSITORY).")
@click.option("--pr", "pr_number", type=int, help="Pull request number (default: from the event).")
@click.option("--sha", help="Head commit for the status (default: from the event).")
@click.option("--no-publish", is_flag=True, help="Do not comment or set a status (the job summary is still written).")
@click.option("--report-file", envvar="PGRELEASE_REPORT_FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the JSON report here (default in Actions: $RUNNER_TEMP/pgrelease-gate.json).")
@output_options
@reporting("gate")
def gate(workdir: Path, target, connect_options, shadow_url: str | None, pg_bin: str | None,  # noqa: ANN001, ANN201, PLR0913
         no_baseline: bool, baseline: str | None, superuser: bool, base: str | None, impact_max: int, no_push: bool, app_version: str | None, push_options,
         comment: str, status_context: str, github_api_url: str | None,
         repository: str | None, pr_number: int | None, sha: str | None, no_publish: bool,
         report_file: Path | None, fmt: str, quiet: bool):
    """The PR gate: lint, replay on a shadow, push to staging, verify, drift, guard; post the
    result on the pull request (one comment, edited in place) and a commit status.

    \b
    Exit 0 when every check passed, 1 when one failed, 2 usage, 3 environment.
    Without a staging target (a fork's pull request has no secrets) it still lints and
    replays, and says that staging was skipped."""
    from ..db.dsn import Dsn
    from ..github.context import GitHubContext
    from ..github.syntax import add_mask
    from dataclasses import replace

    from ..pipeline.drift import DriftOptions
    from ..pipeline.gate import GateOptions, gate as run_gate
    from ..pipeline.shadow import ShadowOptions
    from ..secrets import known_secrets, register
    from ..settings import resolve_target

    if not workdir.is_dir():
        from ..errors import UsageError

        raise UsageError(f"--workdir {workdir} is not a directory", hint="point --workdir at the project that holds"
                         " supabase/migrations")
    choice = baseline_choice(baseline, no_baseline)
    github = GitHubContext.from_env(repository=repository, pr_number=pr_number, sha=sha, api_url=github_api_url)
    register(github.token)
    staging = resolve_target(target, required=False)
    if fmt == "github":  # before anything else is printed: the runner hides these from every later line
        for secret in sorted(known_secrets()):
            for form in {secret, _quoted(secret)}:
                click.echo(add_mask(form))
    skipped_why = "no staging target given (--db-url / --project-ref, or PGRELEASE_DB_URL)"
    if staging is None and github.is_fork:
        skipped_why = "a pull request from a fork gets no secrets, so there is no staging target"
    elif staging is None and os.environ.get("GITHUB_ACTIONS") == "true":
        skipped_why = "no staging secret in this run (STAGING_DB_URL, or STAGING_PROJECT_REF + STAGING_DB_PASSWORD)"
    base_is_default = base is None and github.base_ref is not None
    if base_is_default:
        base = f"origin/{github.base_ref}"
    options = GateOptions(
        staging=staging, staging_skipped=skipped_why,
        shadow=ShadowOptions(shadow_url=Dsn.parse(shadow_url) if shadow_url else None, baseline=choice != "none",
                             baseline_auto=choice == "auto", pg_bin=pg_bin, superuser=superuser),
        base=base, base_is_default=base_is_default, push=not no_push, impact_max=impact_max,
        push_options=replace(push_options, include_all=True),
        app_version=app_version or None,
        drift=DriftOptions(pg_bin=pg_bin, baseline=choice != "none", baseline_auto=choice == "auto",
                           superuser=superuser),
    )
    run = run_gate(workdir, options, connect_options=connect_options,
                   progress=Progress(enabled=not quiet and fmt != "json"))
    report = run.report
    from ..github.workflow import repo_path

    _publish(run, github, workdir=repo_path(workdir), comment=comment, status_context=status_context,
             publish_enabled=not no_publish, fmt=fmt, quiet=quiet, report_file=report_file)
    return Printed(report)


def _quoted(secret: str) -> str:
    from urllib.parse import quote

    return quote(secret, safe="")


def _publish(run: Any, github: Any, *, workdir: str, comment: str, status_context: str, publish_enabled: bool,
             fmt: str, quiet: bool, report_file: Path | None) -> None:
    from ..github.comment import gate_markdown
    from ..github.gate import comment_context, publish_step
    from ..github.syntax import append_env_file
    from ..github.workflow import emit_github
    from ..report.render import render
    from ..secrets import scrub

    report = run.report
    markdown = gate_markdown(report, comment_context(github, workdir, run.er_diagram))
    if publish_enabled and (github.pr_number is not None or github.head_sha) and github.repository:
        report.add_step(publish_step(report, markdown, github, workdir=workdir, comment=comment,
                                     status_context=status_context))
        markdown = gate_markdown(report, comment_context(github, workdir, run.er_diagram))
    if report_file is None and os.environ.get("GITHUB_ACTIONS") == "true" and os.environ.get("RUNNER_TEMP"):
        report_file = Path(os.environ["RUNNER_TEMP"]) / "pgrelease-gate.json"
    if report_file is not None:
        try:
            report_file.parent.mkdir(parents=True, exist_ok=True)
            report_file.write_text(scrub(json.dumps(report.to_dict(), indent=2, default=str)) + "\n")
        except OSError as exc:
            click.echo(f"warning: could not write the report file {report_file}: {exc.strerror}", err=True)
            report_file = None
    if fmt == "github":
        emit_github(report, quiet=quiet, echo=echo, markdown=markdown, outputs=gate_outputs(report, report_file),
                    prefix=workdir)
    else:
        echo(render(report, fmt, quiet=quiet))
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            append_env_file("GITHUB_STEP_SUMMARY", markdown)


def gate_outputs(report: Any, report_file: Path | None) -> dict[str, str]:
    lint = report.step("lint")
    drift = report.step("drift")
    summary = lint.data.get("summary", {}) if lint is not None else {}
    return {
        "result": report.status,
        "exit-code": str(report.exit_code),
        "applied": str(sum(1 for m in (report.step("push").migrations if report.step("push") else [])
                           if m.status == "applied")),
        "pending": str(len((report.step("plan").data.get("plan", {}) if report.step("plan") else {}).get("pending", []))),
        "lint-errors": str(summary.get("errors", 0)),
        "drift": ("skipped" if drift is None or drift.skipped is not None
                  else "true" if drift.status == "failed" else "false"),
        "report": str(report_file) if report_file else "",
    }

