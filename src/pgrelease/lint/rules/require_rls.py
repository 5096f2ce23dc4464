"""require-rls: a new table in an exposed schema without ENABLE ROW LEVEL SECURITY."""

from __future__ import annotations

from typing import NamedTuple

from ..ast import alter_cmds, qualified, relation_key
from ..rule import ERROR, TYPES, Bad, Body, FileContext, Hit, Rule, RunInfo, TableKey


class RequireRls(Rule):
    id = "require-rls"
    category = TYPES
    severity = ERROR
    nodes = ("CreateStmt", "CreateTableAsStmt", "SelectStmt", "AlterTableStmt")
    doc = """\
On Supabase the Data API (PostgREST) serves every table of the exposed schemas (`public`
by default) to the `anon` and `authenticated` roles, which get table privileges by default.
A table without row level security is therefore readable - and often writable - by anyone
holding the project's public anon key. Enabling RLS with no policy denies everything;
policies then open exactly what should be open.

Reported for `CREATE TABLE` (and `CREATE TABLE AS`, `SELECT INTO`) in an exposed schema
when neither the same migration nor a later one of the same lint run (linting a whole
history in version order, say) has an `ALTER TABLE ... ENABLE ROW LEVEL SECURITY` for it.
Temporary tables are skipped. The exposed schemas are `[lint] exposed_schemas`
(default `["public"]`); an unqualified name counts as `public`."""
    help = "add ALTER TABLE <table> ENABLE ROW LEVEL SECURITY; to the same migration, then create policies"
    bad = [
        Bad("create table profiles (id bigint primary key, name text);",
            [(1, "table profiles is in the exposed schema public but neither this migration nor a later one enables")]),
        Bad("create table public.notes (id bigint);\ncreate table public.tags (id bigint);\n"
            "alter table public.notes enable row level security;",
            [(2, "table public.tags is in the exposed schema public but neither this migration nor a later one")]),
        Bad("create table snapshot as select * from profiles;",
            [(1, "table snapshot is in the exposed schema public but neither this migration nor a later one enables")]),
        Bad({"sql": "create table api.items (id bigint);", "config": {"exposed_schemas": ["public", "api"]}},
            [(1, "table api.items is in the exposed schema api but neither this migration nor a later one enables")]),
    ]
    good = [
        "create table profiles (id bigint primary key);\nalter table profiles enable row level security;",
        {"files": {"20240101000000_notes.sql": "create table public.notes (id bigint);",
                   "20240201000000_notes_rls.sql": "alter table public.notes enable row level security;"}},
        'create table "Notes" (id bigint);\nalter table public."Notes" enable row level security;',
        "create table private.audit (id bigint);",
        "create temporary table scratch (id bigint);",
        "create table api.items (id bigint);",
    ]

    def __init__(self) -> None:
        self.open: dict[TableKey, list[Hit]] = {}  # tables left without RLS by earlier files, for finish_run

    def start_file(self, ctx: FileContext) -> None:
        self.enabled: set[TableKey] = set()  # tables this file enables RLS on
        self.created: list[_Created] = []  # tables in exposed schemas this file creates

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        kind = ctx.kind
        if kind == "AlterTableStmt":
            if any(subtype == "AT_EnableRowSecurity" for _, subtype, _ in alter_cmds(node)):
                key = relation_key(node.get("relation"))
                self.enabled.add(key)
                self.open.pop(key, None)  # an earlier file's table gets it here
            return []
        if kind == "CreateStmt":
            relation = node.get("relation")
        elif kind == "CreateTableAsStmt":
            if node.get("objtype") != "OBJECT_TABLE":
                return []
            relation = node.get("into", {}).get("rel")
        else:
            relation = (node.get("intoClause") or {}).get("rel")
        if not relation or relation.get("relpersistence") == "t":
            return []
        key = relation_key(relation)
        if key[0] in ctx.config.exposed_schemas:
            self.created.append(_Created(key, ctx.index, qualified(relation), relation))
        return []

    def finish_file(self, ctx: FileContext) -> list[Hit]:
        """A table this file leaves without RLS waits for the rest of the run (a later file may enable it)."""
        for key, index, shown, relation in self.created:
            if key in self.enabled:
                continue
            ctx.at_statement(index, ctx.base_of(index))
            hit = ctx.hit(f"table {shown} is in the exposed schema {key[0]} but neither this migration nor a later one "
                          "enables row level security on it: the Data API serves it to anyone with the anon key",
                          relation,
                          f"add ALTER TABLE {shown} ENABLE ROW LEVEL SECURITY; to this migration, then create "
                          "policies for what anon and authenticated may see")
            hit.source = ctx
            self.open.setdefault(key, []).append(hit)
        return []

    def finish_run(self, run: RunInfo) -> list[Hit]:
        return [hit for hits in self.open.values() for hit in hits]


class _Created(NamedTuple):
    key: TableKey
    index: int  # of the CREATE statement in its file
    shown: str  # the table's name as the message shows it
    relation: Body
