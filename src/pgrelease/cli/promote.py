"""`pgrelease promote`: the production promotion (confirmation, pre-flight, audit row, apply,
verify, health), with a deployment summary and comments on the deployed pull requests."""

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
@click.option("--confirm", envvar="PGRELEASE_CONFIRM", help="The typed confirmation (the workflow's confirm input).")
@click.option("--expect-confirm", default="CONFIRM PRODUCTION DEPLOYMENT", show_default=True,
              help="The exact text --confirm must be.")
@click.option("--environment", default="production", show_default=True, help="GitHub environment of the job.")
@click.option("--require-reviewers", is_flag=True, help="Fail pre-flight when the environment has no required reviewers.")
@click.option("--skip-gate-check", is_flag=True, help="Do not require the gate's success status (needs --reason).")
@click.option("--reason", help="Why the gate check is skipped (written to the audit row).")
@click.option("--gate-context", default="pgrelease/gate", show_default=True, help="Commit status the gate sets.")
@click.option("--allow-ref", "allow_refs", multiple=True, metavar="REF",
              help="Also promote from this ref (repeatable; default: only the default branch).")
@click.option("--audit-table", default="public.audit_log", show_default=True, help="Table the deployment is audited in.")
@click.option("--app-version", envvar="APP_SCHEMA_VERSION", help="The application's schema version for the guard.")
@click.option("--health-url", envvar="PGRELEASE_HEALTH_URL", help="Application health endpoint to check after the apply.")
@click.option("--redis-url", envvar="REDIS_URL", help="Redis to health-check after the apply.")
@click.option("--redis-prefix", envvar="REDIS_PREFIX", help="This deployment's Redis key prefix, e.g. prod:.")
@apply_options
@click.option("--impact-max", type=click.IntRange(0, 100_000), default=50, show_default=True,
              help="Measure locks and rewrites (with production's table sizes) for at most this many pending"
                   " migrations (0: never).")
@click.option("--shadow-url", envvar="PGRELEASE_SHADOW_URL", help="An EMPTY database for the drift replay.")
@click.option("--pg-bin", envvar="PGRELEASE_PG_BIN", help="bin directory of a local PostgreSQL for the shadow.")
@shadow_baseline_options
@click.option("--no-comment", is_flag=True, help="Do not comment on the deployed pull requests.")
@click.option("--github-api-url", envvar="PGRELEASE_GITHUB_API_URL", help="GitHub REST API URL (default $GITHUB_API_URL).")
@click.option("--repo", "repository", metavar="OWNER/NAME", help="Repository (default $GITHUB_REPOSITORY).")
@click.option("--sha", help="Commit being promoted (default $GITHUB_SHA).")
@click.option("--ref", help="Ref being promoted (default $GITHUB_REF).")
@click.option("--report-file", envvar="PGRELEASE_REPORT_FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the JSON report here (default in Actions: $RUNNER_TEMP/pgrelease-promote.json).")
@output_options
@reporting("promote")
def promote(workdir: Path, target, connect_options, confirm: str | None, expect_confirm: str,  # noqa: ANN001, ANN201, PLR0913
            environment: str, require_reviewers: bool, skip_gate_check: bool, reason: str | None, gate_context: str,
            allow_refs: tuple[str, ...], audit_table: str, app_version: str | None, health_url: str | None,
            redis_url: str | None, redis_prefix: str | None, push_options, impact_max: int,
            shadow_url: str | None, pg_bin: str | None, baseline: str | None,
            superuser: bool, no_comment: bool,
            github_api_url: str | None, repository: str | None, sha: str | None, ref: str | None,
            report_file: Path | None, fmt: str, quiet: bool):
    """Promote to production: exact confirmation, pre-flight (gate status, default branch,
    reviewers, lock, plan, lint, audit table), audit row, apply, verify, drift, guard, health.

    \b
    Exit 0 deployed and verified; 1 a migration or check failed; 2 usage (a wrong
    confirmation stops before any connection or API call); 3 environment."""
    from ..checks.audit import parse_table_name
    from ..checks.health import HealthOptions, validate as validate_health
    from ..db.dsn import Dsn
    from ..errors import UsageError
    from ..github.context import GitHubContext
    from ..github.syntax import add_mask
    from ..pipeline.drift import DriftOptions
    from ..pipeline.promote import GitHubFacts, PromoteOptions, check_confirmation, promote as run_promote
    from ..pipeline.shadow import ShadowOptions
    from ..secrets import known_secrets, register
    from ..settings import resolve_target

    check_confirmation(confirm, expect_confirm)  # first: a wrong text touches nothing
    if skip_gate_check and not (reason or "").strip():
        raise UsageError("--skip-gate-check needs --reason TEXT", hint="the reason is written to the audit row")
    if not workdir.is_dir():
        raise UsageError(f"--workdir {workdir} is not a directory", hint="point --workdir at the project that holds"
                         " supabase/migrations")
    parse_table_name(audit_table)
    health = HealthOptions(url=health_url or None, redis_url=redis_url or None, redis_prefix=redis_prefix)
    production = resolve_target(target)
    validate_health(production, health)
    github = GitHubContext.from_env(repository=repository, sha=sha, api_url=github_api_url)
    register(github.token)
    if fmt == "github":
        from urllib.parse import quote

        for secret in sorted(known_secrets()):
            for form in {secret, quote(secret, safe="")}:
                click.echo(add_mask(form))
    facts = GitHubFacts(repository=github.repository, sha=github.head_sha, ref=ref or os.environ.get("GITHUB_REF"),
                        actor=os.environ.get("GITHUB_ACTOR") or _os_user(), run_url=github.run_url)
    choice = baseline_choice(baseline)
    options = PromoteOptions(
        production=production, confirm=confirm, expect_confirm=expect_confirm, environment=environment,
        require_reviewers=require_reviewers, skip_gate_check=skip_gate_check, skip_reason=reason,
        gate_context=gate_context, allow_refs=allow_refs, audit_table=audit_table, app_version=app_version or None,
        health=health,
        push_options=push_options, impact_max=impact_max,
        shadow=ShadowOptions(shadow_url=Dsn.parse(shadow_url) if shadow_url else None, pg_bin=pg_bin,
                             baseline=choice != "none", baseline_auto=choice == "auto", superuser=superuser),
        drift=DriftOptions(shadow_url=Dsn.parse(shadow_url) if shadow_url else None, pg_bin=pg_bin,
                           baseline=choice != "none", baseline_auto=choice == "auto", superuser=superuser),
        facts=facts,
    )
    reader = _reader(github)
    try:
        run = run_promote(workdir, options, reader=reader, connect_options=connect_options,
                          progress=Progress(enabled=not quiet and fmt != "json"))
        if run.applied and reader is not None and not no_comment:
            from ..github.deploy import comment_deployed_pulls
            from ..github.workflow import repo_path

            applied = dict(zip(run.applied_files, run.applied))
            run.report.add_step(comment_deployed_pulls(github, reader, workdir, applied, environment=environment,
                                                       marker_workdir=repo_path(workdir)))
    finally:
        if reader is not None:
            reader.__exit__(None, None, None)
    _emit(run, options, fmt=fmt, quiet=quiet, report_file=report_file, workdir=workdir)
    return Printed(run.report)


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in a container is fine
        return "unknown"


def _reader(github: Any) -> Any:
    if not (github.repository and github.token):
        return None
    from ..github.reads import GitHubReader

    return GitHubReader(github)


def _emit(run: Any, options: Any, *, fmt: str, quiet: bool, report_file: Path | None, workdir: Path) -> None:
    from ..github.deploy import deployment_markdown
    from ..github.syntax import append_env_file
    from ..github.workflow import emit_github, repo_path
    from ..report.render import render
    from ..secrets import scrub

    report = run.report
    markdown = deployment_markdown(report, environment=options.environment, audit_id=run.audit_id,
                                   run_url=options.facts.run_url, sha=options.facts.sha,
                                   health_url=options.health.url, app_version=options.app_version)
    if report_file is None and os.environ.get("GITHUB_ACTIONS") == "true" and os.environ.get("RUNNER_TEMP"):
        report_file = Path(os.environ["RUNNER_TEMP"]) / "pgrelease-promote.json"
    if report_file is not None:
        data = report.to_dict()
        data["audit_id"] = run.audit_id
        try:
            report_file.parent.mkdir(parents=True, exist_ok=True)
            report_file.write_text(scrub(json.dumps(data, indent=2, default=str)) + "\n")
        except OSError as exc:
            click.echo(f"warning: could not write the report file {report_file}: {exc.strerror}", err=True)
            report_file = None
    outputs = {"result": report.status, "exit-code": str(report.exit_code), "applied": str(len(run.applied)),
               "audit-id": run.audit_id or "", "report": str(report_file) if report_file else ""}
    if fmt == "github":
        emit_github(report, quiet=quiet, echo=echo, markdown=markdown, outputs=outputs, prefix=repo_path(workdir))
        return
    if fmt == "json":
        data = report.to_dict()
        data["audit_id"] = run.audit_id
        echo(json.dumps(data, indent=2, default=str))
    else:
        echo(render(report, fmt, quiet=quiet))
        if not quiet and report.step("apply") is not None and report.step("apply").skipped is None:
            echo("\n" + markdown.split("**Post-deployment checklist**", 1)[-1].strip()
                 if "**Post-deployment checklist**" in markdown else "")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        append_env_file("GITHUB_STEP_SUMMARY", markdown)
