"""`pgrelease lint`: check migrations for unsafe operations before they reach a database.

Formats: text (``file:line:col: error[rule] message`` + help), json (the Report, findings in
``findings``), github (workflow-command annotations on the migration lines, a summary line,
markdown appended to ``$GITHUB_STEP_SUMMARY`` and counts written to ``$GITHUB_OUTPUT``).
Exit codes: 0 no error-level finding; 1 at least one; 2 usage or configuration error;
3 the database of ``--db-url`` could not be reached.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import main
from .options import dsn_from, emit, output_options, target_options, workdir_option
from ..errors import PgReleaseError
from ..report.model import Report

@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@workdir_option
@target_options
@click.option("--base", metavar="REF",
              help="Lint migrations changed since REF (git diff REF... -- supabase/migrations), when no --db-url.")
@click.option("--pg-version", type=int, help="Major version of the target PostgreSQL (overrides [lint] postgres_version).")
@click.option("--disable", "disabled", multiple=True, metavar="RULE", help="Turn a rule off (repeatable).")
@click.option("--enable", "enabled", multiple=True, metavar="RULE",
              help="Turn a rule on, e.g. require-lock-timeout (repeatable).")
@output_options
def lint(files: tuple[Path, ...], workdir: Path, target, connect_options, base: str | None,  # noqa: ANN001
         pg_version: int | None, disabled: tuple[str, ...], enabled: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """Lint migrations: destructive changes, locks and rewrites, Supabase habits.

    FILES default to: the migrations pending on --db-url if given; else those changed
    since --base REF; else all of supabase/migrations. Configure rules in pgrelease.toml
    [lint]; silence one statement with `-- pgrelease: ignore <rule-id> <reason>` on the
    line before it."""
    from ..lint import lint_report
    from ..lint.config import load_lint_config

    try:
        config = load_lint_config(workdir).with_overrides(postgres_version=pg_version, disable=disabled,
                                                         enable=enabled)
        dsn = None if files else dsn_from(target, required=False)
        report = lint_report(workdir, files=files, dsn=dsn, base=base, config=config,
                             connect_options=connect_options)
    except PgReleaseError as err:
        report = Report(command="lint", errors=err.parts())
    except KeyboardInterrupt:
        click.echo("lint: interrupted", err=True)
        sys.exit(130)
    emit(report, fmt, quiet, workdir)
    sys.exit(report.exit_code)
