"""require-concurrent-index: CREATE INDEX without CONCURRENTLY on an existing table."""

from __future__ import annotations

from ..ast import qualified

ID = "require-concurrent-index"
SEVERITY = "error"
NODES = ("IndexStmt",)
DOC = """\
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
HELP = ("use CREATE INDEX CONCURRENTLY, in a migration file of its own starting with "
        "`-- pgrelease: no-transaction`")
BAD = [
    "create index profiles_email_idx on profiles (email);",
    'create unique index if not exists orders_ref_key on app."Orders" using btree ("Ref");',
    "create table t (a int);\ncreate index on other_table (a);",
]
GOOD = [
    "-- pgrelease: no-transaction\ncreate index concurrently if not exists profiles_email_idx on profiles (email);",
    "create table t (a int);\ncreate index t_a_idx on t (a);",
    "create table app.\"Orders\" (\"Ref\" text);\ncreate unique index on app.\"Orders\" (\"Ref\");",
    "create function f() returns void language sql as $$ create index i on profiles (email) $$;",
]


def check(stmt, ctx):
    relation = stmt.get("relation")
    if stmt.get("concurrent") or ctx.is_new(relation):
        return []
    kind = "UNIQUE INDEX" if stmt.get("unique") else "INDEX"
    return [ctx.hit(f"CREATE {kind} on {qualified(relation)} without CONCURRENTLY blocks writes to the table "
                    "while the index builds")]
