"""prefer-jsonb: json columns instead of jsonb."""

from __future__ import annotations

from ..ast import quote_ident, type_names

ID = "prefer-jsonb"
SEVERITY = "warning"
NODES = ("CreateStmt", "AlterTableStmt")
DOC = """\
`json` stores the text as given and re-parses it on every access; it cannot be indexed
with GIN, has no equality operator (so `DISTINCT`, `GROUP BY` and `UNIQUE` fail) and
PostgREST filters on it are limited. `jsonb` is what you want unless you need to keep
key order or duplicate keys byte for byte.

Checked on `CREATE TABLE` columns, `ADD COLUMN` and `ALTER COLUMN ... TYPE`."""
HELP = "use jsonb"
BAD = [
    "create table events (id bigint, payload json);",
    'alter table app."Events" add column meta json[], add column extra jsonb;',
]
GOOD = [
    "create table events (id bigint, payload jsonb);",
    "select '{}'::json;",
    "create table t (a jsonb default '{}'::json::jsonb);",
]


def check(stmt, ctx):
    out = []
    for col, _ in ctx.column_defs(stmt):
        type_name = col.get("typeName")
        if type_names(type_name) == ("json",):
            out.append(ctx.hit(f"column {quote_ident(col.get('colname', '?'))} is json, not jsonb", type_name))
    return out
