"""Shadow options shared by the commands that replay on a shadow (shadow, drift, gate, impact,
promote): ``--baseline auto|supabase|none`` and ``--superuser``. See docs/hosted-permissions.md."""

from __future__ import annotations

from typing import Any, Callable

import click

from ..errors import UsageError

BASELINES = ("auto", "supabase", "none")


def shadow_baseline_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--baseline auto|supabase|none and --superuser, for every command that replays on a shadow
    (see docs/hosted-permissions.md); the command turns them into ShadowOptions with
    :func:`baseline_choice`."""
    fn = click.option("--superuser", is_flag=True, envvar="PGRELEASE_SHADOW_SUPERUSER",
                      help="Replay as a superuser, not as hosted Supabase's postgres role (no hosted permission checks).")(fn)
    return click.option(
        "--baseline", type=click.Choice(BASELINES), default=None, envvar="PGRELEASE_BASELINE",
        help="What the shadow starts from: the Supabase baseline, none (plain PostgreSQL), or auto: the Supabase"
             " baseline when the target looks like Supabase (auth schema and Supabase's roles); default auto with a"
             " target, supabase without one.")(fn)


def baseline_choice(baseline: str | None, no_baseline: bool = False, *, default: str = "auto") -> str:
    """The --baseline in effect: --no-baseline is the older spelling of --baseline none."""
    if no_baseline and baseline not in (None, "none"):
        raise UsageError(f"--no-baseline contradicts --baseline {baseline}", hint="give one of them")
    return "none" if no_baseline else (baseline or default)
