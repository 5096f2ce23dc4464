"""How the runner will execute a migration file; the linter reads the same answer.

A file runs in one transaction with its history row, unless its first line says
``-- pgrelease: no-transaction`` or one of its statements cannot run in a transaction block
(CREATE INDEX CONCURRENTLY, VACUUM, ...): then it runs statement by statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from .classify import check_runnable, file_directive, non_transactional
from .files import MigrationFile
from .split import Statement, split_sql

DIRECTIVE_REASON = "the file says -- pgrelease: no-transaction"


@dataclass(frozen=True)
class ParsedMigration:
    file: MigrationFile
    statements: list[Statement]
    no_transaction: str | None  # why the file runs outside a transaction; None when it does not

    @property
    def transactional(self) -> bool:
        return self.no_transaction is None

    @property
    def statement_texts(self) -> list[str]:
        return [s.sql for s in self.statements]


def execution_mode(statements: list[Statement], directives: set[str]) -> str | None:
    """None for one transaction, else the reason the file runs statement by statement."""
    if "no-transaction" in directives:
        return DIRECTIVE_REASON
    for stmt in statements:
        reason = non_transactional(stmt)
        if reason:
            return f"line {stmt.line}: {reason} cannot run inside a transaction block"
    return None


def parse_migration(migration: MigrationFile) -> ParsedMigration:
    """Split and check a file; raises SqlFileError before anything runs if it cannot run."""
    text = migration.text
    directives = file_directive(text)
    statements = split_sql(text, path=migration.display_path)
    check_runnable(statements, migration.display_path)
    return ParsedMigration(migration, statements, execution_mode(statements, directives))
