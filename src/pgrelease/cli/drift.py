"""`pgrelease diff` (two databases) and `pgrelease drift` (a database against its migrations)."""

from __future__ import annotations

from pathlib import Path

import click

from . import main
from .types import POSITIVE_SECONDS
from .options import Progress, dsn_from, output_options, reporting, target_options, workdir_option
from .shadow_options import baseline_choice, shadow_baseline_options
from ..db.connect import ConnectOptions
from ..db.dsn import Dsn
from ..commands import diff as diff_report, drift as drift_report
from ..pipeline.drift import DriftOptions


def schema_options(fn):  # noqa: ANN001, ANN201
    fn = click.option("--exclude-schema", "exclude_schemas", multiple=True,
                      help="Also exclude this schema (repeatable); Supabase-managed schemas are excluded by default.")(fn)
    fn = click.option("--schema", "schemas", multiple=True, help="Compare only this schema (repeatable).")(fn)
    fn = click.option("--sql", "with_sql", is_flag=True,
                      help="Also print a best-effort SQL script; destructive statements are marked.")(fn)
    return fn


@main.command()
@click.option("--from", "from_url", required=True, help="Database URL of the 'from' side.")
@click.option("--to", "to_url", required=True, help="Database URL of the 'to' side.")
@click.option("--connect-timeout", type=POSITIVE_SECONDS, default=10.0, show_default=True)
@schema_options
@output_options
@reporting("diff")
def diff(from_url: str, to_url: str, connect_timeout: float, schemas: tuple[str, ...],  # noqa: ANN201
         exclude_schemas: tuple[str, ...], with_sql: bool, fmt: str, quiet: bool):
    """Show how the schema of --to differs from --from (exit 1 when they differ)."""
    return diff_report(Dsn.parse(from_url), Dsn.parse(to_url),
                       DriftOptions(schemas=schemas or None, exclude_schemas=exclude_schemas, with_sql=with_sql),
                       connect_options=ConnectOptions(timeout=connect_timeout))


@main.command()
@workdir_option
@target_options
@click.option("--shadow-url", envvar="PGRELEASE_SHADOW_URL", help="An existing EMPTY database for the replay.")
@click.option("--pg-bin", envvar="PGRELEASE_PG_BIN", help="bin directory of a local PostgreSQL for the embedded server.")
@click.option("--no-baseline", is_flag=True, help="Do not load the Supabase baseline on the shadow (--baseline none).")
@shadow_baseline_options
@schema_options
@output_options
@reporting("drift")
def drift(workdir: Path, target, connect_options, shadow_url: str | None, pg_bin: str | None,  # noqa: ANN001, ANN201
          no_baseline: bool, baseline: str | None, superuser: bool, schemas: tuple[str, ...],
          exclude_schemas: tuple[str, ...], with_sql: bool, fmt: str, quiet: bool):
    """Replay the migrations the target has applied on a shadow and diff shadow -> target.

    Anything in the target that the migrations do not produce, or the other way round, is
    drift: exit 1."""
    choice = baseline_choice(baseline, no_baseline)
    options = DriftOptions(schemas=schemas or None, exclude_schemas=exclude_schemas, with_sql=with_sql,
                           shadow_url=Dsn.parse(shadow_url) if shadow_url else None, pg_bin=pg_bin,
                           baseline=choice != "none", baseline_auto=choice == "auto", superuser=superuser)
    return drift_report(workdir, dsn_from(target), options, connect_options=connect_options,
                        progress=Progress(enabled=not quiet and fmt != "json"))
