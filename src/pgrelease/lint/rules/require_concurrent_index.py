"""require-concurrent-index: CREATE INDEX without CONCURRENTLY on an existing table."""

from __future__ import annotations

from ..ast import qualified
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule


class RequireConcurrentIndex(Rule):
    id = "require-concurrent-index"
    category = LOCKS
    severity = ERROR
    nodes = ("IndexStmt",)
    doc = """\
A plain `CREATE INDEX` holds a SHARE lock on the table for the whole build: every
`INSERT`, `UPDATE` and `DELETE` waits, for minutes on a large table.
`CREATE INDEX CONCURRENTLY` builds without blocking writes.

pgrelease's runner knows that `CONCURRENTLY` cannot run inside a transaction block and runs
such a file statement by statement (squawk cannot know this, squawk#338): so the fix is
simply to add `CONCURRENTLY`, ideally in a migration file of its own that starts with
`-- pgrelease: no-transaction` (see `no-transaction-implicit`).

Not a finding: an index on a table created earlier in the same migration or pending set
(squawk#349) - it is empty and nobody uses it yet.
(A partitioned table cannot be indexed concurrently: create the index `ON ONLY` the parent,
build each partition's index concurrently and `ATTACH PARTITION` them.)"""
    help = ("use CREATE INDEX CONCURRENTLY, in a migration file of its own starting with "
            "`-- pgrelease: no-transaction`")
    bad = [
        Bad("create index profiles_email_idx on profiles (email);",
            [(1, "CREATE INDEX on profiles without CONCURRENTLY blocks writes to the table while the index builds")]),
        Bad('create unique index if not exists orders_ref_key on app."Orders" using btree ("Ref");',
            [(1, 'CREATE UNIQUE INDEX on app."Orders" without CONCURRENTLY blocks writes to the table while the')]),
        Bad("create table t (a int);\ncreate index on other_table (a);",
            [(2, "CREATE INDEX on other_table without CONCURRENTLY blocks writes to the table")]),
    ]
    good = [
        "-- pgrelease: no-transaction\ncreate index concurrently if not exists profiles_email_idx on profiles (email);",
        "create table t (a int);\ncreate index t_a_idx on t (a);",
        "create table app.\"Orders\" (\"Ref\" text);\ncreate unique index on app.\"Orders\" (\"Ref\");",
        "create function f() returns void language sql as $$ create index i on profiles (email) $$;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        if node.get("concurrent") or ctx.is_new(relation):
            return []
        kind = "UNIQUE INDEX" if node.get("unique") else "INDEX"
        return [ctx.hit(f"CREATE {kind} on {qualified(relation)} without CONCURRENTLY blocks writes to the table "
                        "while the index builds")]
