"""update-without-where: UPDATE of every row of an existing table."""

from __future__ import annotations

from ..ast import qualified
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class UpdateWithoutWhere(Rule):
    id = "update-without-where"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("UpdateStmt",)
    doc = """\
An `UPDATE` without a `WHERE` clause overwrites a column in every row: if that is a
mistake the old values are gone, and even when intended (a backfill) it rewrites every row
of a live table in one transaction, holding row locks on all of them and bloating the
table.

Updating a table created in the same migration is not a finding.

Safe alternative: add the `WHERE` clause that names the rows (for a backfill,
`WHERE new_column IS NULL`, run in batches by primary-key range); if the whole table really
must change at once, mark it `-- pgrelease: ignore update-without-where <reason>`."""
    help = ("add a WHERE clause naming the rows (backfills: WHERE col IS NULL, in batches), or mark it "
            "`-- pgrelease: ignore update-without-where <reason>`")
    bad = [
        Bad("update profiles set email = lower(email);",
            [(1, "UPDATE profiles has no WHERE clause: it rewrites every row")]),
        Bad("alter table profiles add column plan text;\nupdate public.profiles set plan = 'free';",
            [(2, "UPDATE public.profiles has no WHERE clause: it rewrites every row")]),
        Bad('update "Accounts" set "Balance" = 0 from other;',
            [(1, 'UPDATE "Accounts" has no WHERE clause: it rewrites every row')]),
    ]
    good = [
        "update profiles set plan = 'free' where plan is null;",
        "create table t (a int);\ninsert into t values (1);\nupdate t set a = 2;",
        "update profiles set plan = 'free' where id between 1 and 10000;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        if node.get("whereClause") or ctx.is_new(relation):
            return []
        return [ctx.hit(f"UPDATE {qualified(relation)} has no WHERE clause: it rewrites every row", relation)]
