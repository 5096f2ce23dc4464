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

    def parts(self) -> "list[PgReleaseError]":
        """The errors a report shows for this one: itself (a combined error: each of its parts)."""
        return [self]

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
    """A migration file cannot be run as written (meta-command, transaction control, ...).

    One error per file: when a file has several refused lines, ``message`` names them all,
    ``line`` is the first and ``extra["refused"]`` lists each (``line``, ``message``)."""

    kind = "sql-file"

    @classmethod
    def of_lines(cls, problems: "list[tuple[int, str, str | None]]", *, file: str | None = None) -> "SqlFileError":
        """One file's error from its refused lines: (line, message, hint) each."""
        problems = sorted(problems, key=lambda p: p[0])
        hints = list(dict.fromkeys(h for _, _, h in problems if h))
        return cls("; ".join(m for _, m, _ in problems), hint="; ".join(hints) or None, file=file,
                   line=problems[0][0] if problems else None,
                   extra={"refused": [{"line": line, "message": m} for line, m, _ in problems]})

    @property
    def refused_lines(self) -> "list[tuple[int, str]]":
        """(line, message) of every refused line of the file."""
        listed = self.extra.get("refused")
        if listed:
            return [(r["line"], r["message"]) for r in listed]
        return [(self.line or 1, self.message)]

    @staticmethod
    def combine(errors: "list[SqlFileError]") -> "SqlFileError":
        """One error for every refused file: the file's own error when there is one, else
        a RefusedFiles naming each file (its ``errors`` keep each file's error)."""
        if len(errors) == 1:
            return errors[0]
        where = ", ".join(f"{e.file} ({_lines(e)})" for e in errors)
        return RefusedFiles(
            f"{len(errors)} migration files cannot run as written: {where}",
            hint="nothing ran; fix every file listed (each error names its lines), then run again",
            file=errors[0].file, line=errors[0].line,
            extra={"files": [e.to_dict() for e in errors]}, errors=list(errors),
        )


def _lines(err: SqlFileError) -> str:
    lines = [str(line) for line, _ in err.refused_lines]
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(lines)


@dataclass
class RefusedFiles(SqlFileError):
    """Several migration files cannot run as written, found before anything ran. A report
    shows each file's error (``parts()``); the exception's message names them all."""

    errors: "list[SqlFileError]" = field(default_factory=list)

    def parts(self) -> "list[PgReleaseError]":
        return list(self.errors)


class MigrationFailed(CheckFailed):
    """A statement of a migration failed on the server."""

    kind = "migration"
