"""drop-object: DROP of a database, schema, type, domain, function, procedure, view, sequence, extension."""

from __future__ import annotations

from ..ast import drop_relations, names, quote_ident, type_signature
from ..context import function_key
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class DropObject(Rule):
    id = "drop-object"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("DropStmt", "DropdbStmt")
    doc = """\
Dropping a database, schema, type, domain, function, procedure, aggregate, view, materialized view,
sequence or extension removes something deployed code may call or select from (and
`DROP SCHEMA ... CASCADE` or `DROP EXTENSION` can take tables with them). Under the
additive-only policy such objects are replaced, not removed.

Not findings:
- a view, materialized view or function that the same migration creates again (a drop
  and re-create, e.g. to change a view's columns), when the file runs in one transaction
  so nobody sees the gap;
- an object created earlier in the same migration (a helper function for a backfill).

Safe alternative: `CREATE OR REPLACE` where the signature allows it; otherwise create the
new object beside the old one, move the application over, and drop the old one later in a
cleanup migration marked `-- pgrelease: ignore drop-object <reason>`."""
    help = ("replace instead of removing (CREATE OR REPLACE, or drop and re-create in the same migration); "
            "drop only in a deliberate cleanup migration marked `-- pgrelease: ignore drop-object <reason>`")
    bad = [
        Bad("drop schema analytics cascade;",
            [(1, "DROP SCHEMA analytics CASCADE (and everything that depends on it) removes an object deployed code")]),
        Bad("drop function public.touch_updated_at();",
            [(1, "DROP FUNCTION public.touch_updated_at() removes an object deployed code may use")]),
        Bad("drop function public.members_of(uuid[]);\n"
            "create function public.members_of(uuid) returns setof uuid language sql as $$ select $1 $$;",
            [(1, "DROP FUNCTION public.members_of(uuid[]) removes an object deployed code may use")]),
        Bad("drop view active_users;", [(1, "DROP VIEW active_users removes an object deployed code may use")]),
        Bad("drop type mood;\ndrop extension pg_trgm;",
            [(1, "DROP TYPE mood removes an object deployed code may use"),
             (2, "DROP EXTENSION pg_trgm removes an object deployed code may use")]),
        Bad("drop database if exists analytics;", [(1, "DROP DATABASE analytics removes a whole database")]),
        # a drop and re-create in a file that runs outside a transaction leaves a gap
        Bad("-- pgrelease: no-transaction\ndrop view v;\ncreate view v as select 1 as a;",
            [(2, "DROP VIEW v removes an object deployed code may use")]),
    ]
    good = [
        "drop view active_users;\ncreate view active_users as select id, email from profiles where active;",
        "create function tmp_backfill() returns void language sql as $$ update t set a = 1 where a is null $$;\n"
        "select tmp_backfill();\ndrop function tmp_backfill();",
        "drop function f(int);\ncreate function f(int) returns int language sql as $$ select $1 $$;",
        "drop index profiles_email_idx;",
        "create or replace view active_users as select id from profiles;",
        "create type app.step as enum ('a', 'b');\ncreate schema scratch;\ncreate sequence scratch.s;\n"
        "drop sequence scratch.s;\ndrop type app.step;\ndrop schema scratch;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        if ctx.kind == "DropdbStmt":
            return [ctx.hit(f"DROP DATABASE {quote_ident(node.get('dbname', ''))} removes a whole database")]
        kind = _KINDS.get(node.get("removeType"))
        if kind is None:
            return []
        dropped = []
        for shown, key in _objects(node):
            if key is not None:
                if ctx.created_earlier(key):
                    continue
                if ctx.transactional and ctx.recreated_later(key):
                    continue
            dropped.append(shown)
        if not dropped:
            return []
        cascade = " CASCADE (and everything that depends on it)" if node.get("behavior") == "DROP_CASCADE" else ""
        return [ctx.hit(f"DROP {kind} {', '.join(dropped)}{cascade} removes an object deployed code may use")]


_KINDS = {
    "OBJECT_SCHEMA": "SCHEMA", "OBJECT_TYPE": "TYPE", "OBJECT_DOMAIN": "DOMAIN", "OBJECT_FUNCTION": "FUNCTION",
    "OBJECT_PROCEDURE": "PROCEDURE", "OBJECT_ROUTINE": "ROUTINE", "OBJECT_AGGREGATE": "AGGREGATE",
    "OBJECT_VIEW": "VIEW", "OBJECT_MATVIEW": "MATERIALIZED VIEW", "OBJECT_SEQUENCE": "SEQUENCE",
    "OBJECT_EXTENSION": "EXTENSION",
}
_ROUTINES = ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE")


def _objects(stmt):
    """(display name, context key or None) for each dropped object."""
    remove = stmt.get("removeType")
    if remove in _ROUTINES or remove == "OBJECT_AGGREGATE":
        for obj in stmt.get("objects", ()):
            body = obj.get("ObjectWithArgs", {})
            parts = names(body.get("objname"))
            args = None if body.get("args_unspecified") else [a.get("TypeName", {}) for a in body.get("objargs", ())]
            key = ("function",) + function_key(body.get("objname", []), args)
            shown = ".".join(quote_ident(p) for p in parts)
            yield (shown + ("" if args is None else f"({', '.join('.'.join(type_signature(a)) for a in args)})"), key)
    elif remove in ("OBJECT_TYPE", "OBJECT_DOMAIN"):
        for obj in stmt.get("objects", ()):
            parts = names(obj.get("TypeName", {}).get("names"))
            key = ("type", parts[-2] if len(parts) > 1 else "public", parts[-1]) if parts else None
            yield ".".join(quote_ident(p) for p in parts), key
    elif remove in ("OBJECT_SCHEMA", "OBJECT_EXTENSION"):
        for obj in stmt.get("objects", ()):
            name = obj.get("String", {}).get("sval", "")
            yield quote_ident(name), ("schema" if remove == "OBJECT_SCHEMA" else "extension", name)
    else:
        kind = {"OBJECT_VIEW": "view", "OBJECT_MATVIEW": "matview", "OBJECT_SEQUENCE": "sequence"}.get(remove)
        for rel in drop_relations(stmt):
            shown = ".".join(quote_ident(p) for p in (rel.get("schemaname"), rel["relname"]) if p)
            key = (kind, rel.get("schemaname") or "public", rel["relname"]) if kind else None
            yield shown, key
