"""transaction-control: transaction control the runner refuses (ROLLBACK, SAVEPOINT, unbalanced blocks, ...)."""

from __future__ import annotations

from ..rule import ERROR, ROBUSTNESS, Bad, FileContext, Hit, Rule


class TransactionControl(Rule):
    id = "transaction-control"
    category = ROBUSTNESS
    severity = ERROR
    doc = """\
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
    help = ("remove it; statements that cannot run in a transaction go after the block's COMMIT "
            "or in a no-transaction file")
    bad = [
        Bad("create table t (a int);\nsavepoint s1;\ninsert into t values (1);\nrollback to savepoint s1;",
            [(2, "SAVEPOINT on line 2: savepoints are not supported in a migration file"),
             (4, "ROLLBACK TO SAVEPOINT on line 4: savepoints are not supported in a migration file")]),
        Bad("begin;\ncreate table t (a int);\nrollback;",
            [(3, "ROLLBACK on line 3: a migration cannot roll back its own work")]),
        Bad("create table t (a int);\ncommit;",
            [(2, "COMMIT on line 2: no BEGIN opened a transaction block before it")]),
        Bad("begin;\ncreate table t (a int);",
            [(1, "BEGIN on line 1: the transaction block it opens has no COMMIT before the end of the file")]),
        Bad("begin;\ncreate table t (a int);\nbegin;\ncreate table u (a int);\ncommit;",
            [(3, "BEGIN on line 3: inside the transaction block opened on line 1")]),
        Bad("begin;\ncreate index concurrently t_a_idx on t (a);\ncommit;",
            [(2, "CREATE INDEX CONCURRENTLY on line 2: cannot run inside the transaction block opened on line 1")]),
        Bad("prepare transaction 'deploy';",
            [(1, "PREPARE TRANSACTION on line 1: two-phase commit is not supported in a migration file")]),
    ]
    good = [
        "create table t (a int);",
        "begin;\ncreate table t (a int);\ncommit;",
        "-- wrapped\nstart transaction isolation level serializable;\nselect 1;\nend;",
        "create function f() returns int language sql begin atomic select 1; end;",
        "do $$ begin perform 1; commit; end $$;",
    ]

    def finish_file(self, ctx: FileContext) -> list[Hit]:
        execution = ctx.execution
        if execution is None:
            return []
        out = []
        for refusal in execution.layout.refused:
            ctx.at_statement(refusal.index, ctx.base_of(refusal.index))
            out.append(ctx.hit(f"{refusal.message}: the runner refuses this file before running anything",
                               help=refusal.hint))
        return out
