"""`pgrelease impact`: the locks, rewrites and full scans each pending migration takes, measured
on a shadow; the ``[impact]`` policy of pgrelease.toml turns it into a check (exit 1)."""

from __future__ import annotations

from pathlib import Path

import click

from . import main
from .options import Progress, dsn_from, output_options, reporting, target_options, workdir_option
from .shadow_options import baseline_choice, shadow_baseline_options
from .types import DURATION


@main.command()
@workdir_option
@target_options
@click.option("--shadow-url", envvar="PGRELEASE_SHADOW_URL",
              help="An existing EMPTY database for the probe instead of the embedded server.")
@click.option("--pg-bin", envvar="PGRELEASE_PG_BIN", help="bin directory of a local PostgreSQL for the embedded server.")
@click.option("--no-baseline", is_flag=True, help="Do not load the Supabase baseline on the shadow (--baseline none).")
@shadow_baseline_options
@click.option("--statement-timeout", type=DURATION, default="0", show_default=True,
              help="statement_timeout per migration on the shadow ('0' = off).")
@output_options
@reporting("impact")
def impact(workdir: Path, target, connect_options, shadow_url: str | None, pg_bin: str | None,  # noqa: ANN001, ANN201
           no_baseline: bool, baseline: str | None, superuser: bool, statement_timeout: str, fmt: str,
           quiet: bool):
    """Show what each pending migration locks, rewrites or reads in full.

    \b
    With --db-url / --project-ref: the migrations that target has not applied, with each
    table's size and row estimate there (the applied ones are replayed on the shadow first).
    Without a target: every migration, on an empty project.
    Exit 1 when the [impact] policy of pgrelease.toml fails a lock, 2 usage, 3 environment."""
    from ..db.dsn import Dsn
    from ..commands import impact as impact_report
    from ..pipeline.impact import ImpactOptions, load_impact_policy
    from ..pipeline.shadow import ShadowOptions, for_target

    policy = load_impact_policy(workdir)  # a bad [impact] table is exit 2 before anything connects
    dsn = dsn_from(target, required=False)
    choice = baseline_choice(baseline, no_baseline)
    shadow = ShadowOptions(shadow_url=Dsn.parse(shadow_url) if shadow_url else None, baseline=choice != "none",
                           baseline_auto=choice == "auto" and dsn is not None, pg_bin=pg_bin, superuser=superuser)
    if dsn is not None:
        shadow = for_target(shadow, dsn, connect_options)  # the target's major and its own roles
    options = ImpactOptions(shadow=shadow, statement_timeout=statement_timeout.strip())
    return impact_report(workdir, dsn, options, policy=policy, connect_options=connect_options,
                         progress=Progress(enabled=not quiet and fmt != "json"))
