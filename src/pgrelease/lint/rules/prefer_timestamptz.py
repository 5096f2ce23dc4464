"""prefer-timestamptz: timestamp without time zone."""

from __future__ import annotations

from ..ast import quote_ident, type_names

ID = "prefer-timestamptz"
SEVERITY = "warning"
NODES = ("CreateStmt", "AlterTableStmt")
DOC = """\
`timestamp` (without time zone) stores a wall-clock reading with no zone: the same
instant written from servers or clients in different zones comes out different, and
`now()` is silently converted using the session's TimeZone. `timestamptz` stores an
instant and converts on display. Supabase's own tables use `timestamptz` throughout."""
HELP = "use timestamptz (timestamp with time zone)"
BAD = [
    "create table events (id bigint, created_at timestamp default now());",
    "alter table profiles add column seen_at timestamp without time zone, add column x int;",
    "create table t (a timestamp(3)[]);",
]
GOOD = [
    "create table events (id bigint, created_at timestamptz not null default now());",
    "alter table profiles add column seen_at timestamp with time zone;",
    "select now()::timestamp;",
]


def check(stmt, ctx):
    out = []
    for col, _ in ctx.column_defs(stmt):
        type_name = col.get("typeName")
        if type_names(type_name) == ("timestamp",):
            out.append(ctx.hit(f"column {quote_ident(col.get('colname', '?'))} is timestamp without time zone",
                               type_name))
    return out
