"""transaction-control: BEGIN / COMMIT / ROLLBACK / SAVEPOINT inside a migration."""

from __future__ import annotations

from ...migrations.classify import transaction_control

ID = "transaction-control"
SEVERITY = "error"
NODES = ("TransactionStmt",)
DOC = """\
The runner owns transactions: it runs each migration in one transaction together with its
history row (or, for a no-transaction file, statement by statement). A `COMMIT` inside the
file would commit half a migration without its history row; the Supabase CLI even skips
the rest of the file and every later file after one (supabase/cli#5047). pgrelease push
refuses such a file before running anything; this rule says so at review time, with the
line.

`BEGIN ATOMIC ... END` function bodies are not transaction control and are not findings.

Safe alternative: remove `BEGIN` / `COMMIT`; to run statements outside a transaction put
`-- pgrelease: no-transaction` on the file's first line."""
HELP = ("remove it: pgrelease runs each migration in its own transaction; for statement-by-statement execution put "
        "`-- pgrelease: no-transaction` on the first line")
BAD = [
    "begin;\ncreate table t (a int);\ncommit;",
    "create table t (a int);\nsavepoint s1;\ninsert into t values (1);\nrollback to savepoint s1;",
    "start transaction isolation level serializable;\nselect 1;\nend;",
]
GOOD = [
    "create table t (a int);",
    "create function f() returns int language sql begin atomic select 1; end;",
    "do $$ begin perform 1; commit; end $$;",
]


def check(stmt, ctx):
    command = transaction_control(ctx.statement) or stmt.get("kind", "TRANSACTION").replace("TRANS_STMT_", "")
    return [ctx.hit(f"{command} inside a migration: the runner owns transactions and refuses this file")]
