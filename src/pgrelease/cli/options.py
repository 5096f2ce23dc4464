"""Options and plumbing shared by every click command: output format, target, error rendering.

A command function returns a ``Report``; ``@reporting`` renders it in the chosen format and
exits with its code. A ``PgReleaseError`` raised anywhere becomes a report with that error
and its exit code. Nothing is printed with a password: targets are ``Dsn`` objects.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

import click

from ..db.options import ConnectOptions
from ..errors import EXIT_USAGE, PgReleaseError, UsageError
from ..report.model import Report
from ..report.render import render
from ..secrets import scrub
from ..settings import TargetSpec, resolve_target
from .types import DURATION, DURATION_SECONDS, PORT, POSITIVE_SECONDS, SECONDS

FORMATS = ("text", "json", "github")


def default_format() -> str:
    """``github`` under GitHub Actions, else ``text``."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def format_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default=default_format, envvar="PGRELEASE_FORMAT",
        help="Output format (default: github under GitHub Actions, else text).",
    )(fn)


def output_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--quiet", "-q", is_flag=True, help="Print only the verdict.")(fn)
    return format_option(fn)


def workdir_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
        envvar="PGRELEASE_WORKDIR", help="Project directory holding supabase/migrations.",
    )(fn)


def target_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--db-url / --project-ref (+ PGRELEASE_DB_PASSWORD) and connection knobs -> kwarg ``target``."""
    options = [
        click.option("--db-url", envvar="PGRELEASE_DB_URL", help="Target database URL (env PGRELEASE_DB_URL)."),
        click.option("--project-ref", envvar="PGRELEASE_PROJECT_REF",
                     help="Supabase project ref; password from env PGRELEASE_DB_PASSWORD."),
        click.option("--db-host", help="Override the host (e.g. a pooler)."),
        click.option("--db-port", type=PORT, help="Override the port."),
        click.option("--db-user", help="Override the user."),
        click.option("--connect-timeout", type=POSITIVE_SECONDS, default=10.0, show_default=True,
                     envvar="PGRELEASE_CONNECT_TIMEOUT", help="Seconds per connection attempt."),
    ]
    for option in reversed(options):
        fn = option(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        spec = TargetSpec(
            db_url=kwargs.pop("db_url"),
            project_ref=kwargs.pop("project_ref"),
            db_host=kwargs.pop("db_host"),
            db_port=kwargs.pop("db_port"),
            db_user=kwargs.pop("db_user"),
        )
        kwargs["target"] = spec
        kwargs["connect_options"] = ConnectOptions(timeout=kwargs.pop("connect_timeout"))
        return fn(*args, **kwargs)

    return wrapper


def apply_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """How migrations are applied, for every command that applies them (push, gate, promote):
    --lock-wait, --lock-timeout, --lock-retry-budget, --statement-timeout and
    --cancel-blockers-after -> kwarg ``push_options`` (a ``PushOptions``; the command adds
    what is its own with ``dataclasses.replace``)."""
    options = [
        click.option("--lock-wait", type=SECONDS, default=60.0, show_default=True,
                     help="Seconds to wait for another run's migration lock before exiting 3."),
        click.option("--lock-timeout", type=DURATION, default="500ms", show_default=True,
                     help="lock_timeout per attempt: the longest the application queues behind a migration"
                          " ('0' = off); retried within --lock-retry-budget."),
        click.option("--lock-retry-budget", type=SECONDS, default=300.0, show_default=True,
                     help="Seconds to keep retrying a migration that hit lock_timeout (backoff with jitter)."),
        click.option("--statement-timeout", type=DURATION, default="0", show_default=True,
                     help="statement_timeout per migration ('0' = off)."),
        click.option("--cancel-blockers-after", type=DURATION_SECONDS, default=None, metavar="DURATION",
                     envvar="PGRELEASE_CANCEL_BLOCKERS_AFTER",
                     help="While a migration waits for a lock, end (pg_terminate_backend) each session blocking it"
                          " that has been idle in transaction this long, e.g. 30s; reported as a warning."
                          " Off by default."),
    ]
    for option in reversed(options):
        fn = option(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..migrations.apply import PushOptions  # noqa: PLC0415 - psycopg only for commands that run

        kwargs["push_options"] = PushOptions(
            lock_wait=kwargs.pop("lock_wait"), lock_timeout=kwargs.pop("lock_timeout").strip(),
            lock_retry_budget=kwargs.pop("lock_retry_budget"),
            statement_timeout=kwargs.pop("statement_timeout").strip(),
            cancel_blockers_after=kwargs.pop("cancel_blockers_after"))
        return fn(*args, **kwargs)

    return wrapper


def echo(text: str) -> None:
    """Print to stdout through the secret scrubber."""
    click.echo(scrub(text))


def emit(report: Report, fmt: str, quiet: bool, workdir: Path | None = None) -> None:
    if fmt == "github":
        from ..github.workflow import emit_github, repo_path  # noqa: PLC0415

        emit_github(report, quiet=quiet, echo=echo, prefix=repo_path(workdir) if workdir is not None else "")
        return
    echo(render(report, fmt, quiet=quiet))


class Printed:
    """What a command returns when it printed its report itself (the gate writes the github
    format in its own order): only the exit code is left to do."""

    def __init__(self, report: Report) -> None:
        self.report = report


def reporting(command: str) -> Callable[[Callable[..., Report]], Callable[..., None]]:
    """Render the returned Report (or a raised PgReleaseError) and exit with its code."""

    def decorate(fn: Callable[..., Report]) -> Callable[..., None]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> None:
            fmt = kwargs.get("fmt", "text")
            quiet = kwargs.get("quiet", False)
            try:
                report = fn(*args, **kwargs)
            except PgReleaseError as err:
                report = Report(command=command, errors=err.parts())
            except KeyboardInterrupt:
                click.echo(f"{command}: interrupted", err=True)
                sys.exit(130)
            if isinstance(report, Printed):
                sys.exit(report.report.exit_code)
            emit(report, fmt, quiet, kwargs.get("workdir"))
            sys.exit(report.exit_code)

        return wrapper

    return decorate


def dsn_from(spec: TargetSpec, *, required: bool = True):  # noqa: ANN201 - Dsn | None
    return resolve_target(spec, required=required)


class Progress:
    """Live progress on a terminal (one rewritten line), one line per item in CI logs.

    Writes to stderr so stdout stays a clean report (JSON stays parseable)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty() and os.environ.get("CI") is None
        self.started = time.monotonic()

    def __call__(self, event: str, **info: Any) -> None:
        if not self.enabled:
            return
        index, total, name = info.get("index"), info.get("total"), info.get("name", "")
        label = f"{info['label']} " if info.get("label") else ""
        elapsed = time.monotonic() - self.started
        if event == "start" and self.tty:
            click.echo(f"\r\033[K{label}[{index}/{total}] {name} ... {elapsed:.1f}s", nl=False, err=True)
        elif event == "done":
            duration = info.get("duration_ms", 0.0)
            status = info.get("status", "applied")
            prefix = "\r\033[K" if self.tty else ""
            click.echo(f"{prefix}{label}[{index}/{total}] {status} {name} ({duration:.0f}ms)", err=True)


def fail_usage(message: str, hint: str | None = None) -> None:
    raise UsageError(message, hint=hint)


__all__ = [
    "EXIT_USAGE", "Progress", "apply_options", "dsn_from", "emit", "output_options", "reporting", "target_options",
    "workdir_option", "fail_usage",
]
