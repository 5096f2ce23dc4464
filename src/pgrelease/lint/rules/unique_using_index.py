"""unique-using-index: ADD PRIMARY KEY / UNIQUE that builds its index under a lock."""

from __future__ import annotations

from ..ast import constraints, qualified, quote_ident
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule


class UniqueUsingIndex(Rule):
    id = "unique-using-index"
    category = LOCKS
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
`ALTER TABLE ... ADD PRIMARY KEY` or `ADD UNIQUE` builds the backing index while holding
an ACCESS EXCLUSIVE lock: on a large table, minutes of no reads and no writes. The same
goes for a `PRIMARY KEY` or `UNIQUE` clause on `ADD COLUMN`.

A table created in the same migration or pending set is not a finding.

Safe alternative: build the index first with `CREATE UNIQUE INDEX CONCURRENTLY` (in a
`-- pgrelease: no-transaction` migration), then attach it instantly with
`ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx` (or
`UNIQUE USING INDEX`)."""
    help = "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY / UNIQUE USING INDEX"
    bad = [
        Bad("alter table profiles add primary key (id);",
            [(1, "adding PRIMARY KEY to profiles builds its index under an ACCESS EXCLUSIVE lock")]),
        Bad('alter table app."Orders" add column note text, add constraint "Orders_ref_key" unique ("Ref");',
            [(1, 'adding UNIQUE to app."Orders" builds its index under an ACCESS EXCLUSIVE lock')]),
        Bad("alter table profiles add column handle text unique;",
            [(1, "new column handle is UNIQUE: its index is built on profiles under an ACCESS EXCLUSIVE lock")]),
    ]
    good = [
        "alter table profiles add constraint profiles_pkey primary key using index profiles_id_idx;",
        "alter table profiles add constraint profiles_email_key unique using index profiles_email_idx;",
        "create table t (id bigint, email text);\nalter table t add primary key (id), add unique (email);",
        "create table t (id bigint primary key, email text unique);",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        out = []
        for i, subtype, sub in ctx.existing_table_cmds(node, "AT_AddConstraint", "AT_AddColumn"):
            if subtype == "AT_AddConstraint":
                con = sub.get("def", {}).get("Constraint", {})
                kind = _KINDS.get(con.get("contype"))
                if kind is None or con.get("indexname"):
                    continue
                out.append(ctx.hit(f"adding {kind} to {qualified(relation)} builds its index under an ACCESS EXCLUSIVE "
                                   "lock", con))
            elif subtype == "AT_AddColumn":
                col = sub.get("def", {}).get("ColumnDef", {})
                for con in constraints(col):
                    kind = _KINDS.get(con.get("contype"))
                    if kind is not None:
                        out.append(ctx.hit(f"new column {quote_ident(col.get('colname', ''))} is {kind}: its index is "
                                           f"built on {qualified(relation)} under an ACCESS EXCLUSIVE lock", con))
        return out


_KINDS = {"CONSTR_PRIMARY": "PRIMARY KEY", "CONSTR_UNIQUE": "UNIQUE"}
