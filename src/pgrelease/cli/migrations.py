"""`pgrelease push`, `status`, `new`, `repair` and `shadow`: the migration engine's commands."""

from __future__ import annotations

from pathlib import Path

import click

from . import main
from .types import POSITIVE_SECONDS
from .options import Progress, apply_options, dsn_from, output_options, reporting, target_options, workdir_option
from .shadow_options import baseline_choice, shadow_baseline_options


@main.command()
@workdir_option
@target_options
@apply_options
@click.option("--lock-retries", type=click.IntRange(0, 1000), default=1000, show_default=True,
              help="At most this many retries of a migration that hit lock_timeout (within the budget).")
@click.option("--include-all", is_flag=True, help="Apply pending migrations older than the newest applied one.")
@click.option("--allow-edited", is_flag=True, help="Accept applied migrations whose files changed since.")
@click.option("--dry-run", is_flag=True, help="Print the plan; touch nothing (not even the history table).")
@output_options
@reporting("push")
def push(workdir: Path, target, connect_options, push_options, lock_retries: int,  # noqa: ANN001
         include_all: bool, allow_edited: bool, dry_run: bool, fmt: str, quiet: bool):
    """Apply pending migrations to the target database."""
    from dataclasses import replace

    from .. import commands

    dsn = dsn_from(target)
    options = replace(push_options, lock_retries=lock_retries, include_all=include_all, allow_edited=allow_edited,
                      dry_run=dry_run)
    return commands.push(workdir, dsn, options, connect_options=connect_options,
                         progress=Progress(enabled=not quiet and fmt != "json"))


@main.command()
@workdir_option
@target_options
@output_options
@reporting("status")
def status(workdir: Path, target, connect_options, fmt: str, quiet: bool):  # noqa: ANN001
    """List local and recorded migrations side by side."""
    from .. import commands

    return commands.status(workdir, dsn_from(target), connect_options=connect_options)


@main.command()
@click.argument("name")
@workdir_option
@click.option("--create", is_flag=True, help="Create supabase/migrations when the project has no supabase/ yet.")
@output_options
@reporting("new")
def new(name: str, workdir: Path, create: bool, fmt: str, quiet: bool):  # noqa: ANN201
    """Create supabase/migrations/<UTC timestamp>_<NAME>.sql."""
    from .. import commands

    return commands.new(workdir, name, create=create)


@main.command()
@click.argument("versions", nargs=-1)
@click.option("--status", "status_value", type=click.Choice(["applied", "reverted"]), required=True,
              help="applied: record the local file as applied; reverted: remove the history row.")
@workdir_option
@target_options
@output_options
@reporting("repair")
def repair(versions: tuple[str, ...], status_value: str, workdir: Path, target, connect_options,  # noqa: ANN001
           fmt: str, quiet: bool):
    """Edit the migration history (runs no migration SQL), like `supabase migration repair`."""
    from .. import commands

    return commands.repair(workdir, dsn_from(target), status_value, list(versions), connect_options=connect_options)


@main.command()
@workdir_option
@click.option("--shadow-url", envvar="PGRELEASE_SHADOW_URL",
              help="An existing EMPTY database to replay on instead of the embedded server.")
@click.option("--pg-bin", envvar="PGRELEASE_PG_BIN", help="bin directory of a local PostgreSQL for the embedded server.")
@click.option("--no-baseline", is_flag=True, help="Do not load the Supabase baseline (same as --baseline none).")
@shadow_baseline_options
@click.option("--no-checks", is_flag=True, help="Skip scripts/smoke.sql and supabase/verify/*.sql.")
@click.option("--connect-timeout", type=POSITIVE_SECONDS, default=10.0, show_default=True,
              envvar="PGRELEASE_CONNECT_TIMEOUT")
@output_options
@reporting("shadow")
def shadow(workdir: Path, shadow_url: str | None, pg_bin: str | None, no_baseline: bool, baseline: str | None,
           superuser: bool, no_checks: bool, connect_timeout: float, fmt: str, quiet: bool):  # noqa: ANN201
    """Replay every migration on a throwaway database, then run smoke and verify SQL."""
    from ..db.dsn import Dsn
    from ..db.options import ConnectOptions
    from ..commands import shadow as run_shadow
    from ..pipeline.shadow import ShadowOptions

    # no target: --baseline auto has nothing to look at, so it is the Supabase baseline
    choice = baseline_choice(baseline, no_baseline, default="supabase")
    options = ShadowOptions(shadow_url=Dsn.parse(shadow_url) if shadow_url else None,
                            baseline=choice != "none", pg_bin=pg_bin, run_checks=not no_checks, superuser=superuser)
    return run_shadow(workdir, options, connect_options=ConnectOptions(timeout=connect_timeout),
                      progress=Progress(enabled=not quiet and fmt != "json"))

