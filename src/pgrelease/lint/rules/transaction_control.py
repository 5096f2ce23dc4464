"""transaction-control: transaction control the runner refuses (ROLLBACK, SAVEPOINT, unbalanced blocks, ...)."""

from __future__ import annotations

ID = "transaction-control"
SEVERITY = "error"
NODES = ()
DOC = """\
pgrelease runs a migration's own `BEGIN ... COMMIT` as written (the runner's own code,
`migrations.parse`, decides for the runner and for this linter):

- a file that is one `BEGIN` (or `START TRANSACTION`) ... `COMMIT` (or `END`) block from
  start to end runs like any other file, in one transaction with its history row: not a
  finding;
- a file with several blocks, or statements outside its block, runs block by block as psql
  runs it: `transaction-blocks` warns about that.

What the runner cannot run as written is refused before anything runs, and reported here
with its line: `ROLLBACK` / `ABORT` (a migration cannot roll back its own work),
`SAVEPOINT` / `RELEASE` / `ROLLBACK TO`, `PREPARE TRANSACTION` / `COMMIT PREPARED`,
`COMMIT AND CHAIN`, a `BEGIN` inside an open block, a `COMMIT` with no `BEGIN`, a `BEGIN`
with no `COMMIT`, and a statement that cannot run in a transaction block
(`CREATE INDEX CONCURRENTLY`, ...) inside one.

`BEGIN ATOMIC ... END` function bodies and `COMMIT` inside a procedure or `DO` body are not
transaction control of the file and are not findings.

Safe alternative: remove the statement the message names; to run statements outside a
transaction, put them after the block's `COMMIT`, or in a file of their own with
`-- pgrelease: no-transaction` on its first line."""
HELP = "remove it; statements that cannot run in a transaction go after the block's COMMIT or in a no-transaction file"
BAD = [
    "create table t (a int);\nsavepoint s1;\ninsert into t values (1);\nrollback to savepoint s1;",
    "begin;\ncreate table t (a int);\nrollback;",
    "create table t (a int);\ncommit;",
    "begin;\ncreate table t (a int);",
    "begin;\ncreate table t (a int);\nbegin;\ncreate table u (a int);\ncommit;",
    "begin;\ncreate index concurrently t_a_idx on t (a);\ncommit;",
    "prepare transaction 'deploy';",
]
GOOD = [
    "create table t (a int);",
    "begin;\ncreate table t (a int);\ncommit;",
    "-- wrapped\nstart transaction isolation level serializable;\nselect 1;\nend;",
    "create function f() returns int language sql begin atomic select 1; end;",
    "do $$ begin perform 1; commit; end $$;",
]


def check(stmt, ctx):  # judged on the whole file (the runner's layout of its blocks), in finish()
    return []


def finish(ctx):
    execution = ctx.execution
    if execution is None:
        return []
    out = []
    for refusal in execution.layout.refused:
        ctx.at_statement(refusal.index, ctx.base_of(refusal.index))
        out.append(ctx.hit(f"{refusal.message}: the runner refuses this file before running anything",
                           help=refusal.hint))
    return out
