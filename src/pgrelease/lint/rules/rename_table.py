"""rename-table: renaming (or moving) an existing table or view."""

from __future__ import annotations

from ..ast import qualified, quote_ident, relation_key
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class RenameTable(Rule):
    id = "rename-table"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("RenameStmt", "AlterObjectSchemaStmt")
    doc = """\
Renaming a table or view (`ALTER TABLE ... RENAME TO`, or moving it with `SET SCHEMA`)
breaks every deployed application version that uses the old name, the moment the
migration commits; the API layer (PostgREST on Supabase) serves the new name only.

Renaming a table created in the same migration is not a finding.

Safe alternative: create the new table, or a view with the new name over the old table,
move the application over, and remove the old name later (expand, migrate, contract)."""
    help = ("expand and contract: add the new name (a new table, or a view over the old one), "
            "move the application, drop the old name later")
    bad = [
        Bad("alter table profiles rename to users;",
            [(1, "ALTER TABLE profiles RENAME TO users breaks code that uses the old name")]),
        Bad('alter table if exists app."Orders" rename to purchases;',
            [(1, 'ALTER TABLE app."Orders" RENAME TO purchases breaks code that uses the old name')]),
        Bad("alter view active_users rename to current_users;",
            [(1, "ALTER VIEW active_users RENAME TO current_users breaks code that uses the old name")]),
        Bad("alter table profiles set schema private;",
            [(1, "ALTER TABLE profiles SET SCHEMA private moves it away from the name code uses")]),
    ]
    good = [
        "create table draft (id bigint);\nalter table draft rename to final;",
        "alter index profiles_email_idx rename to profiles_email_key;",
        "create view users as select * from profiles;",
        "alter table profiles rename constraint a to b;",
        "create view v1 as select 1 as a;\nalter view v1 rename to v2;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        if "renameType" in node:
            kind = _KINDS.get(node.get("renameType"))
            if kind is None or ctx.is_new(relation) or _view_created_here(node, ctx):
                return []
            return [ctx.hit(f"ALTER {kind} {qualified(relation)} RENAME TO {quote_ident(node.get('newname', ''))} "
                            "breaks code that uses the old name", relation)]
        kind = _KINDS.get(node.get("objectType"))
        if kind is None or relation is None or ctx.is_new(relation):
            return []
        return [ctx.hit(f"ALTER {kind} {qualified(relation)} SET SCHEMA {quote_ident(node.get('newschema', ''))} "
                        "moves it away from the name code uses", relation)]


_KINDS = {"OBJECT_TABLE": "TABLE", "OBJECT_VIEW": "VIEW", "OBJECT_MATVIEW": "MATERIALIZED VIEW",
          "OBJECT_FOREIGN_TABLE": "FOREIGN TABLE"}


def _view_created_here(stmt, ctx):
    kind = {"OBJECT_VIEW": "view", "OBJECT_MATVIEW": "matview"}.get(stmt.get("renameType"))
    return kind is not None and ctx.created_earlier((kind,) + relation_key(stmt.get("relation")))
