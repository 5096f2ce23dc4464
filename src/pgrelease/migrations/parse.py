"""How the runner will execute a migration file; the linter reads the same answer.

A file runs in one transaction with its history row, unless

* its first line says ``-- pgrelease: no-transaction``, or one of its statements cannot run
  in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...): then it runs statement
  by statement;
* it has transaction blocks of its own (``BEGIN; ... COMMIT;`` more than once, or with
  statements outside the block): then it runs block by block as psql would, each block in
  its own transaction, each statement outside a block on its own.

A file that is one ``BEGIN ... COMMIT`` block from start to end runs exactly like a file
without it: the wrapper is dropped and the statements run in one transaction with the
history row. Rollbacks, savepoints, two-phase commit and unbalanced blocks are refused
(:func:`parse_migrations` names every such line of every file before anything runs).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

from ..errors import SqlFileError
from .classify import Block, TransactionLayout, file_directive, non_transactional, refusal_error, transaction_layout
from .files import MigrationFile
from .split import Statement, split_sql

DIRECTIVE_REASON = "the file says -- pgrelease: no-transaction"
WRAPPER_NOTE = "ran as one transaction: its BEGIN/COMMIT wrapper was dropped"
_SHOWN_BLOCKS = 6


@dataclass(frozen=True)
class Execution:
    """How the runner executes a file: ``no_transaction`` says why not in one transaction
    (None: one transaction); ``blocks`` are set when it runs block by block; ``wrapper``
    when a whole-file BEGIN ... COMMIT is dropped; ``layout.refused`` is what cannot run."""

    no_transaction: str | None
    layout: TransactionLayout = TransactionLayout()
    wrapper: bool = False

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.layout.blocks if self.no_transaction is not None else ()


@dataclass(frozen=True)
class ParsedMigration:
    file: MigrationFile
    statements: list[Statement]  # what runs, in order (the file's own BEGIN / COMMIT left out)
    no_transaction: str | None  # why the file runs outside a transaction; None when it does not
    written: tuple[Statement, ...] = ()  # every statement as written: what the history row records
    blocks: tuple[Block, ...] = ()  # set when the file runs block by block (its own BEGIN / COMMIT)
    wrapper: Block | None = None  # the whole-file BEGIN ... COMMIT that was dropped

    @property
    def transactional(self) -> bool:
        return self.no_transaction is None

    @property
    def statement_texts(self) -> list[str]:
        """The statements as written, BEGIN / COMMIT included (as the Supabase CLI records them)."""
        return [s.sql for s in (self.written or self.statements)]

    @property
    def set_transaction(self) -> str | None:
        """``SET TRANSACTION ...`` carrying the modes of a dropped wrapper's BEGIN, if any."""
        return self.wrapper.set_transaction if self.wrapper is not None else None


def describe_blocks(blocks: tuple[Block, ...]) -> str:
    """``its own BEGIN/COMMIT blocks run one by one ...``: the reason a file runs block by block."""
    parts = [f"block {b.lines}" if b.explicit else f"{b.lines} on its own" for b in blocks]
    if len(parts) > _SHOWN_BLOCKS:
        explicit = sum(1 for b in blocks if b.explicit)
        parts = parts[: _SHOWN_BLOCKS - 1] + [f"... ({explicit} blocks and {len(blocks) - explicit} statements"
                                             " outside blocks in all)"]
    row = "with the last block" if blocks and blocks[-1].explicit else "after the last statement"
    return (f"its own BEGIN/COMMIT blocks run one by one, each committed on its own, as psql runs them: "
            f"{', '.join(parts)}; the history row is written {row}")


def plan_execution(statements: list[Statement], directives: set[str],
                   candidates: Container[int] | None = None) -> Execution:
    """The runner's decision for a file. ``candidates``: indexes of the statements that may be
    transaction control or refuse a transaction block (None: all), for the linter."""
    layout = transaction_layout(statements, candidates)
    if "no-transaction" in directives:
        if layout.blocks:
            return Execution(f"{DIRECTIVE_REASON}; {describe_blocks(layout.blocks)}", layout)
        return Execution(DIRECTIVE_REASON, layout)
    if layout.wrapper:
        return Execution(None, layout, wrapper=True)
    if layout.blocks:
        return Execution(describe_blocks(layout.blocks), layout)
    for i, stmt in enumerate(statements):
        reason = non_transactional(stmt) if candidates is None or i in candidates else None
        if reason:
            return Execution(f"line {stmt.line}: {reason} cannot run inside a transaction block", layout)
    return Execution(None, layout)


def execution_mode(statements: list[Statement], directives: set[str]) -> str | None:
    """None for one transaction, else the reason the file runs statement (or block) by statement."""
    return plan_execution(statements, directives).no_transaction


def parse_migration(migration: MigrationFile) -> ParsedMigration:
    """Split and check a file; raises SqlFileError (one per file, naming every refused line)
    before anything runs if it cannot run as written.

    A file is parsed once: the result is kept on the file beside its cached text (a shadow
    run asks for it when it refuses unrunnable files up front, chooses its server, loads the
    baseline and applies), so every step sees the same statements."""
    cached = migration.__dict__.get(_PARSED)
    if cached is not None:
        return cached
    parsed = _parse(migration)
    migration.__dict__[_PARSED] = parsed  # as cached_property stores the text: on a frozen dataclass too
    return parsed


_PARSED = "_parsed"


def _parse(migration: MigrationFile) -> ParsedMigration:
    path = migration.display_path
    text = migration.text
    problems: list[SqlFileError] = []
    try:
        directives = file_directive(text, path=path)
    except SqlFileError as err:
        directives = set()
        problems.append(err)
    try:
        statements = split_sql(text, path=path)
    except SqlFileError as err:
        raise _merged(problems + [err], path) from None
    execution = plan_execution(statements, directives)
    if execution.layout.refused:
        problems.append(refusal_error(execution.layout.refused, path))
    if problems:
        raise _merged(problems, path)
    if execution.wrapper:
        (wrapper,) = execution.layout.blocks
        return ParsedMigration(migration, list(wrapper.statements), None, tuple(statements), wrapper=wrapper)
    if execution.blocks:
        running = [s for b in execution.blocks for s in b.statements]
        return ParsedMigration(migration, running, execution.no_transaction, tuple(statements), execution.blocks)
    return ParsedMigration(migration, statements, execution.no_transaction, tuple(statements))


def _merged(problems: list[SqlFileError], path: str) -> SqlFileError:
    if len(problems) == 1:
        return problems[0]
    lines = [(line, message, err.hint) for err in problems for line, message in err.refused_lines]
    return SqlFileError.of_lines(lines, file=path)


def parse_migrations(migrations: Iterable[MigrationFile]) -> list[ParsedMigration]:
    """Parse every file; raise one SqlFileError naming every file that cannot run (and in
    each, every refused line) before anything runs."""
    parsed: list[ParsedMigration] = []
    refused: list[SqlFileError] = []
    for migration in migrations:
        try:
            parsed.append(parse_migration(migration))
        except SqlFileError as err:
            refused.append(err)
    if refused:
        raise SqlFileError.combine(refused)
    return parsed
