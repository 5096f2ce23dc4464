"""require-rls: a new table in an exposed schema without ENABLE ROW LEVEL SECURITY."""

from __future__ import annotations

from ..ast import alter_cmds, qualified, relation_key

ID = "require-rls"
SEVERITY = "error"
NODES = ("CreateStmt", "CreateTableAsStmt", "SelectStmt", "AlterTableStmt")
DOC = """\
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
HELP = "add ALTER TABLE <table> ENABLE ROW LEVEL SECURITY; to the same migration, then create policies"
BAD = [
    "create table profiles (id bigint primary key, name text);",
    "create table public.notes (id bigint);\ncreate table public.tags (id bigint);\n"
    "alter table public.notes enable row level security;",
    "create table snapshot as select * from profiles;",
    {"sql": "create table api.items (id bigint);", "config": {"exposed_schemas": ["public", "api"]}},
]
GOOD = [
    "create table profiles (id bigint primary key);\nalter table profiles enable row level security;",
    {"files": {"20240101000000_notes.sql": "create table public.notes (id bigint);",
               "20240201000000_notes_rls.sql": "alter table public.notes enable row level security;"}},
    'create table "Notes" (id bigint);\nalter table public."Notes" enable row level security;',
    "create table private.audit (id bigint);",
    "create temporary table scratch (id bigint);",
    "create table api.items (id bigint);",
]


def check(stmt, ctx):
    state = ctx.state(ID)
    kind = ctx.kind
    if kind == "AlterTableStmt":
        if any(subtype == "AT_EnableRowSecurity" for _, subtype, _ in alter_cmds(stmt)):
            key = relation_key(stmt.get("relation"))
            state.setdefault("enabled", set()).add(key)
            ctx.run_state(ID).setdefault("open", {}).pop(key, None)  # an earlier file's table gets it here
        return []
    if kind == "CreateStmt":
        relation = stmt.get("relation")
    elif kind == "CreateTableAsStmt":
        if stmt.get("objtype") != "OBJECT_TABLE":
            return []
        relation = stmt.get("into", {}).get("rel")
    else:
        relation = (stmt.get("intoClause") or {}).get("rel")
    if not relation or relation.get("relpersistence") == "t":
        return []
    key = relation_key(relation)
    if key[0] in ctx.config.exposed_schemas:
        state.setdefault("created", []).append((key, ctx.index, qualified(relation), relation))
    return []


def finish(ctx):
    """A table this file leaves without RLS waits for the rest of the run (a later file may enable it)."""
    state = ctx.state(ID)
    enabled = state.get("enabled", set())
    waiting = ctx.run_state(ID).setdefault("open", {})
    for key, index, shown, relation in state.get("created", ()):
        if key in enabled:
            continue
        ctx.at_statement(index, ctx.base_of(index))
        hit = ctx.hit(f"table {shown} is in the exposed schema {key[0]} but neither this migration nor a later one "
                      "enables row level security on it: the Data API serves it to anyone with the anon key", relation,
                      f"add ALTER TABLE {shown} ENABLE ROW LEVEL SECURITY; to this migration, then create "
                      "policies for what anon and authenticated may see")
        hit.source = ctx
        waiting.setdefault(key, []).append(hit)
    return []


def finish_run(run):
    return [hit for hits in run.run_state(ID).get("open", {}).values() for hit in hits]
