"""prefer-jsonb: json columns instead of jsonb."""

from __future__ import annotations

from ..ast import quote_ident, type_names
from ..rule import TYPES, WARNING, Bad, Body, FileContext, Hit, Rule


class PreferJsonb(Rule):
    id = "prefer-jsonb"
    category = TYPES
    severity = WARNING
    nodes = ("CreateStmt", "AlterTableStmt")
    doc = """\
`json` stores the text as given and re-parses it on every access; it cannot be indexed
with GIN, has no equality operator (so `DISTINCT`, `GROUP BY` and `UNIQUE` fail) and
PostgREST filters on it are limited. `jsonb` is what you want unless you need to keep
key order or duplicate keys byte for byte.

Checked on `CREATE TABLE` columns, `ADD COLUMN` and `ALTER COLUMN ... TYPE`."""
    help = "use jsonb"
    bad = [
        Bad("create table events (id bigint, payload json);", [(1, "column payload is json, not jsonb")]),
        Bad('alter table app."Events" add column meta json[], add column extra jsonb;',
            [(1, "column meta is json, not jsonb")]),
    ]
    good = [
        "create table events (id bigint, payload jsonb);",
        "select '{}'::json;",
        "create table t (a jsonb default '{}'::json::jsonb);",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        out = []
        for col, _ in ctx.column_defs(node):
            type_name = col.get("typeName")
            if type_names(type_name) == ("json",):
                out.append(ctx.hit(f"column {quote_ident(col.get('colname', '?'))} is json, not jsonb", type_name))
        return out
