"""prefer-text: varchar(n) / char(n) instead of text."""

from __future__ import annotations

from ..ast import quote_ident, type_names
from ..rule import TYPES, WARNING, Bad, Body, FileContext, Hit, Rule


class PreferText(Rule):
    id = "prefer-text"
    category = TYPES
    severity = WARNING
    nodes = ("CreateStmt", "AlterTableStmt")
    doc = """\
In PostgreSQL `varchar(n)` is `text` with a length check, and widening it later is an
`ALTER COLUMN ... TYPE` (see `alter-column-type`); `char(n)` pads with spaces and compares
surprisingly. Use `text`, and if a limit matters, a `CHECK (length(col) <= n)` constraint
that can be changed without touching the column's type. (`varchar` without a length is
`text` and is not reported.)"""
    help = "use text, with CHECK (length(col) <= n) if the limit matters"
    bad = [
        Bad("create table profiles (id bigint, handle varchar(32));",
            [(1, "column handle is varchar(n): prefer text")]),
        Bad("create table codes (code char(3), name character varying(200));",
            [(1, "column code is char(n): prefer text"), (1, "column name is varchar(n): prefer text")]),
        Bad('alter table app."Users" add column "Country" character(2);',
            [(1, 'column "Country" is char(n): prefer text')]),
        Bad('create table codes (code bpchar(3), alt "bpchar"(2));',
            # char(n) under its internal name
            [(1, "column code is char(n): prefer text"), (1, "column alt is char(n): prefer text")]),
    ]
    good = [
        "create table profiles (id bigint, handle text check (length(handle) <= 32));",
        "create table t (a varchar);",
        "select 'x'::varchar(10);",
        'create table t (flag "char");',
        "create table t (a bpchar);",  # no length: blank-trimmed text, like varchar without one
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        out = []
        for col, _ in ctx.column_defs(node):
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
