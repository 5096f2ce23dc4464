"""Syntax errors found before a replay runs anything.

PostgreSQL's own grammar (libpg_query, through pglast) reads every statement of every file; the
first one it refuses is reported as the server would report it (SQLSTATE 42601, its message),
naming the file and line, before any migration runs. So a shadow replay of a project whose tenth
file says ``create policy if not exists`` (not PostgreSQL) stops at once, at that file's line,
instead of replaying nine files first.

pglast's grammar is one PostgreSQL major's (:data:`GRAMMAR_MAJOR`): a server of a newer major
may accept what it refuses, so the check is made only for servers up to that major. A server of
an older major may refuse what it accepts; the server reports that one when it runs it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..errors import MigrationFailed
from .parse import ParsedMigration
from .split import Statement


def grammar_major() -> int:
    """The PostgreSQL major of pglast's grammar (18 for pglast 8)."""
    from pglast.parser import parse_sql_json

    return int(json.loads(parse_sql_json("select 1"))["version"]) // 10000


def _error(sql: str) -> tuple[str, int | None] | None:
    from pglast.parser import ParseError, parse_sql_json

    try:
        parse_sql_json(sql)
    except ParseError as err:
        args = err.args
        location = args[1] if len(args) > 1 and isinstance(args[1], int) else None
        return (str(args[0]) if args else str(err)), location
    except Exception:  # noqa: BLE001 - not pglast's to judge (encoding, ...): the server decides
        return None
    return None


def _statements(item: ParsedMigration) -> list[Statement]:
    return [s for s in (item.written or item.statements) if s.copy_data is None]


def first_syntax_error(parsed: Iterable[ParsedMigration]) -> MigrationFailed | None:
    """The first statement PostgreSQL's grammar refuses, as a MigrationFailed naming its file and
    line (the line of the error itself, within a statement of several lines); None when every
    statement parses. Each file is parsed at once; only a file with an error statement by statement."""
    for item in parsed:
        statements = _statements(item)
        if not statements or _error("\n;\n".join(s.sql for s in statements)) is None:
            continue
        for stmt in statements:
            found = _error(stmt.sql)
            if found is None:
                continue
            message, location = found
            if location is None and "end of input" in message:
                location = len(stmt.sql.rstrip())
            line = stmt.line + (stmt.sql[:location].count("\n") if location is not None else 0)
            migration = item.file
            return MigrationFailed(
                f"{message} (found before the replay ran anything: PostgreSQL's grammar refuses this statement)",
                hint=f"fix {migration.display_path} line {line}; pgrelease lint names every syntax error",
                file=migration.display_path, line=line, sqlstate="42601",
                extra={"migration": migration.version, "statement": stmt.sql})
    return None
