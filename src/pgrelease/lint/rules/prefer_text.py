"""prefer-text: varchar(n) / char(n) instead of text."""

from __future__ import annotations

from ..ast import quote_ident, type_names

ID = "prefer-text"
SEVERITY = "warning"
NODES = ("CreateStmt", "AlterTableStmt")
DOC = """\
In PostgreSQL `varchar(n)` is `text` with a length check, and widening it later is an
`ALTER COLUMN ... TYPE` (see `alter-column-type`); `char(n)` pads with spaces and compares
surprisingly. Use `text`, and if a limit matters, a `CHECK (length(col) <= n)` constraint
that can be changed without touching the column's type. (`varchar` without a length is
`text` and is not reported.)"""
HELP = "use text, with CHECK (length(col) <= n) if the limit matters"
BAD = [
    "create table profiles (id bigint, handle varchar(32));",
    "create table codes (code char(3), name character varying(200));",
    'alter table app."Users" add column "Country" character(2);',
    'create table codes (code bpchar(3), alt "bpchar"(2));',  # char(n) under its internal name
]
GOOD = [
    "create table profiles (id bigint, handle text check (length(handle) <= 32));",
    "create table t (a varchar);",
    "select 'x'::varchar(10);",
    'create table t (flag "char");',
    "create table t (a bpchar);",  # no length: blank-trimmed text, like varchar without one
]


def check(stmt, ctx):
    out = []
    for col, _ in ctx.column_defs(stmt):
        type_name = col.get("typeName") or {}
        parts = type_names(type_name)
        full = [n.get("String", {}).get("sval") for n in type_name.get("names", [])]
        if parts == ("varchar",) and type_name.get("typmods"):
            shown = "varchar(n)"
        elif parts == ("bpchar",) and (full[:1] == ["pg_catalog"] or type_name.get("typmods")):
            shown = "char(n)"
        else:
            continue
        out.append(ctx.hit(f"column {quote_ident(col.get('colname', '?'))} is {shown}: prefer text", type_name))
    return out
