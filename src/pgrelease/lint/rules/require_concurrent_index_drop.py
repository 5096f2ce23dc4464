"""require-concurrent-index-drop: DROP INDEX without CONCURRENTLY on an existing index."""

from __future__ import annotations

from ..ast import drop_relations, qualified
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule


class RequireConcurrentIndexDrop(Rule):
    id = "require-concurrent-index-drop"
    category = LOCKS
    severity = ERROR
    nodes = ("DropStmt",)
    doc = """\
A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's *table*: it waits
behind every open transaction that touched the table, and while it waits every read and
write of the table queues behind it. `DROP INDEX CONCURRENTLY` waits for those
transactions without blocking anyone.

`CONCURRENTLY` cannot run inside a transaction block, drops one index per statement and
takes no `CASCADE`; pgrelease's runner detects it and runs such a file statement by
statement, so the fix is to add `CONCURRENTLY`, ideally in a migration file of its own that
starts with `-- pgrelease: no-transaction` and uses `IF EXISTS` (see
`require-if-not-exists`). squawk calls this `require-concurrent-index-deletion`.

Not a finding: an index built earlier in the same migration (or pending set), or one named
the way PostgreSQL names the indexes of a table created there (`t_pkey`, `t_email_key`,
`t_a_idx`) - nobody depends on it yet. (An index of a partitioned table cannot be dropped concurrently: drop
it in a quiet moment, marked `-- pgrelease: ignore require-concurrent-index-drop <reason>`.)"""
    help = ("use DROP INDEX CONCURRENTLY IF EXISTS (one index per statement), in a migration file of its own "
            "starting with `-- pgrelease: no-transaction`")
    bad = [
        Bad("drop index profiles_email_idx;",
            [(1, "DROP INDEX profiles_email_idx without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table")]),
        Bad('drop index if exists app."Orders_ref_idx" cascade;',
            [(1, 'DROP INDEX app."Orders_ref_idx" without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table')]),
        Bad("create index t_a_idx on profiles (a);\ndrop index t_a_idx, profiles_old_idx;",
            [(2, "DROP INDEX profiles_old_idx without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table")]),
    ]
    good = [
        "-- pgrelease: no-transaction\ndrop index concurrently if exists profiles_email_idx;",
        "create index profiles_tmp_idx on profiles (email);\ndrop index profiles_tmp_idx;",
        "create table t (a int);\ncreate index t_a_idx on t (a);\n"
        "alter index t_a_idx rename to t_a_key;\ndrop index t_a_key;",
        "create index i on app.t (a);\ndrop index app.i;",
        "create table t (a int, b int);\ncreate index on t (a, b);\ndrop index t_a_b_idx;",
        "drop table profiles_old;",
        "do $$ begin execute 'drop index profiles_email_idx'; end $$;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        if node.get("removeType") != "OBJECT_INDEX" or node.get("concurrent"):
            return []
        old = [rel for rel in drop_relations(node) if not ctx.is_new_index(rel)]
        if not old:
            return []
        shown = ", ".join(qualified(rel) for rel in old)
        return [ctx.hit(f"DROP INDEX {shown} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table: "
                        "reads and writes queue behind it")]
