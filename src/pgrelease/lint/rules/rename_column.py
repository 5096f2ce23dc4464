"""rename-column: renaming a column of an existing table."""

from __future__ import annotations

from ..ast import qualified, quote_ident

ID = "rename-column"
SEVERITY = "error"
NODES = ("RenameStmt",)
DOC = """\
`ALTER TABLE ... RENAME COLUMN` breaks every deployed query that names the column the
moment the migration commits, and an application rollback cannot fix it.

Renaming a column of a table created in the same migration is not a finding.

Safe alternative: add the new column, write both (or a trigger that copies), backfill,
move reads over, and drop the old column later."""
HELP = "add the new column, copy and backfill, move the application over, drop the old column later"
BAD = [
    "alter table profiles rename column email to email_address;",
    'alter table app."Users" rename "FullName" to full_name;',
]
GOOD = [
    "create table t (a int);\nalter table t rename column a to b;",
    "alter table profiles add column email_address text;",
    "select 'alter table profiles rename column a to b';",
    "alter table profiles rename constraint profiles_pkey to profiles_primary;",
]


def check(stmt, ctx):
    if stmt.get("renameType") != "OBJECT_COLUMN":
        return []
    relation = stmt.get("relation")
    if ctx.is_new(relation):
        return []
    return [ctx.hit(f"renaming column {quote_ident(stmt.get('subname', ''))} of {qualified(relation)} to "
                    f"{quote_ident(stmt.get('newname', ''))} breaks code that uses the old name", relation)]
