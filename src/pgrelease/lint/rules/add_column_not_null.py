"""add-column-not-null: ADD COLUMN ... NOT NULL without a default on an existing table."""

from __future__ import annotations

from ..ast import constraints, qualified, quote_ident, type_names
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule


class AddColumnNotNull(Rule):
    id = "add-column-not-null"
    category = LOCKS
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
`ALTER TABLE ... ADD COLUMN c ... NOT NULL` without a `DEFAULT` fails on any table that has
rows ("column contains null values"), and if it succeeds (an empty table in staging) it
breaks every deployed application version that inserts rows without the new column. The
runbook says it plainly: new columns start nullable.

Each subcommand of a multi-part `ALTER TABLE` is judged; a table created in the same
migration is not a finding.

Safe alternative: add the column nullable (or `NOT NULL DEFAULT <constant>`, instant since
PostgreSQL 11), backfill, and enforce NOT NULL later with a validated
`CHECK (c IS NOT NULL) NOT VALID` + `VALIDATE CONSTRAINT` (see `set-not-null`)."""
    help = ("add the column nullable (or NOT NULL with a constant DEFAULT), backfill, then enforce NOT NULL via a "
            "validated CHECK")
    bad = [
        Bad("alter table profiles add column plan text not null;",
            [(1, "new column plan of profiles is NOT NULL without a default")]),
        Bad('alter table app."Orders" add column note text, add column "Ref" bigint not null references refs (id);',
            [(1, 'new column "Ref" of app."Orders" is NOT NULL without a default')]),
        Bad("alter table profiles add column id2 bigint primary key;",
            [(1, "new column id2 of profiles is NOT NULL without a default")]),
    ]
    good = [
        "alter table profiles add column plan text;",
        "alter table profiles add column plan text not null default 'free';",
        "create table t (a int);\nalter table t add column b int not null;",
        "alter table profiles add column n bigint generated always as identity;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        out = []
        for i, _, sub in ctx.existing_table_cmds(node, "AT_AddColumn"):
            col = sub.get("def", {}).get("ColumnDef", {})
            kinds = {c.get("contype") for c in constraints(col)}
            if kinds & _FILLED or type_names(col.get("typeName")) in _SERIALS:
                continue
            if "CONSTR_NOTNULL" in kinds or "CONSTR_PRIMARY" in kinds:
                out.append(ctx.hit(f"new column {quote_ident(col.get('colname', ''))} of {qualified(relation)} "
                                   "is NOT NULL without a default: it fails on a table with rows and breaks inserts "
                                   "from deployed code",
                                   col))
        return out


_FILLED = frozenset({"CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"})
_SERIALS = frozenset((s,) for s in ("serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"))
