"""Typed errors. Library code raises these; the CLI renders them and picks the exit code.

Every error carries a one-line ``message`` (the cause), an optional ``hint`` (what to do),
and optional location (``file``, ``line``) and server details (``sqlstate``, ``detail``).
Messages never contain a password: anything naming a target goes through ``Dsn``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3


@dataclass
class PgReleaseError(Exception):
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    sqlstate: str | None = None
    detail: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    exit_code = EXIT_FAILED
    kind = "error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        for key in ("hint", "file", "line", "sqlstate", "detail"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(self.extra)
        return out


class UsageError(PgReleaseError):
    """Bad flags, bad configuration, bad input files: exit 2."""

    exit_code = EXIT_USAGE
    kind = "usage"


class EnvironmentFailure(PgReleaseError):
    """Cannot connect, lock not acquired in time, server cannot start: exit 3."""

    exit_code = EXIT_ENVIRONMENT
    kind = "environment"


class CheckFailed(PgReleaseError):
    """A check or a migration failed: exit 1."""

    exit_code = EXIT_FAILED
    kind = "failed"


class SqlFileError(UsageError):
    """A migration file cannot be run as written (meta-command, transaction control, ...)."""

    kind = "sql-file"


class MigrationFailed(CheckFailed):
    """A statement of a migration failed on the server."""

    kind = "migration"
