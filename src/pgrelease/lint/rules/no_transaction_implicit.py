"""no-transaction-implicit: a file the runner will run outside a transaction without saying so."""

from __future__ import annotations

from ...migrations.classify import non_transactional
from ..context import may_refuse_transaction
from ..rule import LOCKS, WARNING, Bad, FileContext, Hit, Rule


class NoTransactionImplicit(Rule):
    id = "no-transaction-implicit"
    category = LOCKS
    severity = WARNING
    doc = """\
Some statements cannot run inside a transaction block: `CREATE INDEX CONCURRENTLY`,
`REINDEX ... CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `VACUUM`, `ALTER TYPE ... ADD VALUE`
on old servers, ... pgrelease's runner detects them (the same code, `migrations.parse`,
decides for the runner and for this linter) and runs such a file statement by statement,
outside a transaction. That works, but the file loses atomicity: if its third statement
fails, the first two stay applied and the history row is not written, so the next push
runs them again.

This rule reports a file with more than one statement that the runner will run that way
only because of auto-detection. It is silent when the file's first line says
`-- pgrelease: no-transaction` (the author chose it; `require-if-not-exists` then checks
that the statements can be re-run) and for a file holding a single statement.

Safe alternative: put the statement that needs to run outside a transaction in a migration
of its own with `-- pgrelease: no-transaction` on the first line, and keep the other
statements in a normal, atomic migration. When the index is on a table created in the same
migration, `CONCURRENTLY` is unnecessary: drop it and the file stays atomic."""
    help = ("move the statement into its own migration file that starts with `-- pgrelease: no-transaction`, "
            "keeping the rest atomic")
    bad = [
        Bad("alter table profiles add column nickname text;\n"
            "create index concurrently profiles_nick_idx on profiles (nickname);",
            [(2, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block")]),
        Bad("create table t (a int);\ncreate index concurrently t_a_idx on t (a);",
            [(2, "CREATE INDEX CONCURRENTLY cannot run inside a transaction block")]),
        Bad("update profiles set plan = 'free' where plan is null;\nvacuum profiles;",
            [(2, "VACUUM cannot run inside a transaction block")]),
    ]
    good = [
        "-- pgrelease: no-transaction\ncreate index concurrently if not exists i on profiles (email);\n"
        "create index concurrently if not exists j on profiles (created_at);",
        "create index concurrently if not exists profiles_nick_idx on profiles (nickname);",
        "alter table profiles add column nickname text;\ncreate index profiles_nick_idx on profiles (nickname);",
        "alter table profiles add column nickname text;\n"
        "comment on column profiles.nickname is 'create index concurrently later';",
    ]

    def finish_file(self, ctx: FileContext) -> list[Hit]:
        if ctx.no_transaction is None or "no-transaction" in ctx.directives or len(ctx.statements) < 2:
            return []
        if ctx.execution is not None and ctx.execution.blocks:  # its own BEGIN/COMMIT decide: transaction-blocks
            return []
        index, reason = _first_non_transactional(ctx, True)
        if index is None:
            index, reason = _first_non_transactional(ctx, False)
        if index is not None:
            item = ctx.asts[index]
            help = None
            ctx.at_statement(index, ctx.base_of(index))
            if item is not None and item[0] == "IndexStmt":
                relation = item[1].get("relation")
                if relation and (relation.get("schemaname") or "public", relation.get("relname")) in ctx.created:
                    help = ("the table is created in this migration: drop CONCURRENTLY (a new, empty table needs "
                            "no concurrent build) and the whole file runs in one transaction")
            if "cannot run" not in reason:
                reason += " cannot run inside a transaction block"
            message = (f"this file will run statement by statement, outside a transaction, because "
                       f"{reason}: if a later statement fails, the earlier ones stay applied")
            return [ctx.hit(message, None, help)]
        return []


def _first_non_transactional(ctx, candidates_only):
    for index, stmt in enumerate(ctx.statements):
        item = ctx.asts[index]
        if candidates_only and item is not None and not may_refuse_transaction(*item):
            continue
        reason = non_transactional(stmt)
        if reason:
            return index, reason
    return None, None
