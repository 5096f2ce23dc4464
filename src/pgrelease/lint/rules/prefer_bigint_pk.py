"""prefer-bigint-pk: integer (32-bit or smaller) primary keys."""

from __future__ import annotations

from ..ast import constraints, names, quote_ident, type_names
from ..rule import TYPES, WARNING, Bad, Body, FileContext, Hit, Rule


class PreferBigintPk(Rule):
    id = "prefer-bigint-pk"
    category = TYPES
    severity = WARNING
    nodes = ("CreateStmt", "AlterTableStmt")
    doc = """\
An `integer` primary key runs out at 2,147,483,647 rows (or inserts, counting gaps and
rollbacks), and widening it later is an `ALTER COLUMN ... TYPE` that rewrites the table
and every table referencing it. Start with `bigint` (or `uuid`): the extra 4 bytes per
row are cheaper than that migration.

Single-column primary keys of type `smallint`, `integer`, `serial` or `smallserial` are
reported, declared on the column or as a table constraint."""
    help = "use bigint (e.g. bigint generated always as identity primary key) or uuid"
    bad = [
        Bad("create table profiles (id integer primary key, name text);",
            [(1, "primary key id is int4: prefer bigint")]),
        Bad("create table events (id serial primary key);", [(1, "primary key id is serial: prefer bigint")]),
        Bad("create table t (id int4 not null, name text, constraint t_pkey primary key (id));",
            [(1, "primary key id is int4: prefer bigint")]),
        Bad("alter table t add column id2 smallint primary key;", [(1, "primary key id2 is int2: prefer bigint")]),
    ]
    good = [
        "create table profiles (id bigint generated always as identity primary key);",
        "create table t (id uuid primary key default gen_random_uuid());",
        "create table pairs (a int, b int, primary key (a, b));",
        "create table t (id bigint primary key, n integer);",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        out = []
        columns = {}
        for col, _ in ctx.column_defs(node):
            columns[col.get("colname", "")] = col
            if any(c.get("contype") == "CONSTR_PRIMARY" for c in constraints(col)) and _is_small(col.get("typeName")):
                out.append(ctx.hit(f"primary key {quote_ident(col.get('colname', '?'))} is "
                                   f"{type_names(col.get('typeName'))[0]}: prefer bigint", col.get("typeName")))
        if ctx.kind == "CreateStmt":
            for elt in node.get("tableElts", ()):
                con = elt.get("Constraint")
                if not con or con.get("contype") != "CONSTR_PRIMARY":
                    continue
                keys = names(con.get("keys"))
                col = columns.get(keys[0]) if len(keys) == 1 else None
                if col is not None and _is_small(col.get("typeName")):
                    out.append(ctx.hit(f"primary key {quote_ident(keys[0])} is "
                                       f"{type_names(col.get('typeName'))[0]}: prefer bigint", con))
        return out


_SMALL = frozenset({"int4", "int2", "int", "integer", "smallint", "serial", "serial4", "smallserial", "serial2"})


def _is_small(type_name) -> bool:
    parts = type_names(type_name)
    return len(parts) == 1 and parts[0] in _SMALL and not type_name.get("arrayBounds")
