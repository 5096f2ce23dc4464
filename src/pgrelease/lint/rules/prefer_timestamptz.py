"""prefer-timestamptz: timestamp without time zone."""

from __future__ import annotations

from ..ast import quote_ident, type_names
from ..rule import TYPES, WARNING, Bad, Body, FileContext, Hit, Rule


class PreferTimestamptz(Rule):
    id = "prefer-timestamptz"
    category = TYPES
    severity = WARNING
    nodes = ("CreateStmt", "AlterTableStmt")
    doc = """\
`timestamp` (without time zone) stores a wall-clock reading with no zone: the same
instant written from servers or clients in different zones comes out different, and
`now()` is silently converted using the session's TimeZone. `timestamptz` stores an
instant and converts on display. Supabase's own tables use `timestamptz` throughout."""
    help = "use timestamptz (timestamp with time zone)"
    bad = [
        Bad("create table events (id bigint, created_at timestamp default now());",
            [(1, "column created_at is timestamp without time zone")]),
        Bad("alter table profiles add column seen_at timestamp without time zone, add column x int;",
            [(1, "column seen_at is timestamp without time zone")]),
        Bad("create table t (a timestamp(3)[]);", [(1, "column a is timestamp without time zone")]),
    ]
    good = [
        "create table events (id bigint, created_at timestamptz not null default now());",
        "alter table profiles add column seen_at timestamp with time zone;",
        "select now()::timestamp;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        out = []
        for col, _ in ctx.column_defs(node):
            type_name = col.get("typeName")
            if type_names(type_name) == ("timestamp",):
                out.append(ctx.hit(f"column {quote_ident(col.get('colname', '?'))} is timestamp without time zone",
                                   type_name))
        return out
