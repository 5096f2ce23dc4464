"""delete-without-where: DELETE of every row of an existing table."""

from __future__ import annotations

from ..ast import qualified
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class DeleteWithoutWhere(Rule):
    id = "delete-without-where"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("DeleteStmt",)
    doc = """\
A `DELETE` without a `WHERE` clause removes every row of the table: in a migration this is
almost always a mistake (a `WHERE` line lost in review), and it cannot be rolled back once
committed.

Deleting from a table created in the same migration is not a finding, nor is a `DELETE`
inside a function or `DO` body (the linter reads statements, not procedural code).

Safe alternative: add the `WHERE` clause that names the rows; if all rows really must go,
say so with `-- pgrelease: ignore delete-without-where <reason>`."""
    help = ("add a WHERE clause naming the rows to delete, "
            "or mark it `-- pgrelease: ignore delete-without-where <reason>`")
    bad = [
        Bad("delete from profiles;", [(1, "DELETE FROM profiles has no WHERE clause: it deletes every row")]),
        Bad('delete from app."Sessions" as s;',
            [(1, 'DELETE FROM app."Sessions" has no WHERE clause: it deletes every row')]),
        Bad("with gone as (select 1) delete from public.events;",
            [(1, "DELETE FROM public.events has no WHERE clause: it deletes every row")]),
    ]
    good = [
        "delete from profiles where deleted_at is not null;",
        "delete from t using u where t.id = u.id;",
        "create table tmp (a int);\ninsert into tmp values (1);\ndelete from tmp;",
        "do $$ begin delete from profiles; end $$;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        if node.get("whereClause") or ctx.is_new(relation):
            return []
        return [ctx.hit(f"DELETE FROM {qualified(relation)} has no WHERE clause: it deletes every row", relation)]
