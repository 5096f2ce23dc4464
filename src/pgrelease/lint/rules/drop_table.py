"""drop-table: DROP TABLE of a table that exists before this migration."""

from __future__ import annotations

from ..ast import drop_relations, qualified
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class DropTable(Rule):
    id = "drop-table"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("DropStmt",)
    doc = """\
`DROP TABLE` destroys a table and every row in it. Under the runbook's additive-only policy
a migration never removes what a deployed application may still read: an application
rollback after this migration would meet a missing table, and the data cannot come back
without a restore.

Not a finding: dropping a table created earlier in the same migration (or in an earlier
migration of the same pending set), e.g. a scratch table used for a backfill.

Safe alternative: stop using the table in the application, ship that, and drop the table
in a later, deliberate cleanup migration that says so with
`-- pgrelease: ignore drop-table <reason>`."""
    help = ("stop using the table in the application first; drop it later in a deliberate cleanup migration "
            "marked `-- pgrelease: ignore drop-table <reason>`")
    bad = [
        Bad("drop table profiles;", [(1, "DROP TABLE profiles destroys the table and its data")]),
        Bad('drop table if exists app."Audit Log", public.events cascade;',
            [(1, 'DROP TABLE app."Audit Log", public.events destroys the table and its data')]),
        Bad("create table scratch (id bigint);\ndrop table scratch, profiles;",
            [(2, "DROP TABLE profiles destroys the table and its data")]),
    ]
    good = [
        "create table scratch (id bigint);\ninsert into scratch select 1;\ndrop table scratch;",
        "-- drop table profiles; (commented out)\nselect 1;",
        "create function f() returns void language plpgsql as $$ begin drop table profiles; end $$;",
        "drop view profile_names;  -- a view, see drop-object",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        kind = _KINDS.get(node.get("removeType"))
        if kind is None:
            return []
        old = [rel for rel in drop_relations(node) if not ctx.is_new(rel)]
        if not old:
            return []
        what = ", ".join(qualified(rel) for rel in old)
        return [ctx.hit(f"DROP {kind} {what} destroys the table and its data")]


_KINDS = {"OBJECT_TABLE": "TABLE", "OBJECT_FOREIGN_TABLE": "FOREIGN TABLE"}
