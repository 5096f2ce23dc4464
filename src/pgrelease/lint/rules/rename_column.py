"""rename-column: renaming a column of an existing table."""

from __future__ import annotations

from ..ast import qualified, quote_ident
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class RenameColumn(Rule):
    id = "rename-column"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("RenameStmt",)
    doc = """\
`ALTER TABLE ... RENAME COLUMN` breaks every deployed query that names the column the
moment the migration commits, and an application rollback cannot fix it.

Renaming a column of a table created in the same migration is not a finding.

Safe alternative: add the new column, write both (or a trigger that copies), backfill,
move reads over, and drop the old column later."""
    help = "add the new column, copy and backfill, move the application over, drop the old column later"
    bad = [
        Bad("alter table profiles rename column email to email_address;",
            [(1, "renaming column email of profiles to email_address breaks code that uses the old name")]),
        Bad('alter table app."Users" rename "FullName" to full_name;',
            [(1, 'renaming column "FullName" of app."Users" to full_name breaks code that uses the old name')]),
    ]
    good = [
        "create table t (a int);\nalter table t rename column a to b;",
        "alter table profiles add column email_address text;",
        "select 'alter table profiles rename column a to b';",
        "alter table profiles rename constraint profiles_pkey to profiles_primary;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        if node.get("renameType") != "OBJECT_COLUMN":
            return []
        relation = node.get("relation")
        if ctx.is_new(relation):
            return []
        return [ctx.hit(f"renaming column {quote_ident(node.get('subname', ''))} of {qualified(relation)} to "
                        f"{quote_ident(node.get('newname', ''))} breaks code that uses the old name", relation)]
