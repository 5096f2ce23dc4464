"""drop-column: ALTER TABLE ... DROP COLUMN on an existing table."""

from __future__ import annotations

from ..ast import qualified, quote_ident

ID = "drop-column"
SEVERITY = "error"
NODES = ("AlterTableStmt",)
DOC = """\
`ALTER TABLE ... DROP COLUMN` destroys the column's data, and every deployed application
version that still selects or inserts the column fails at once. Under the additive-only
policy columns are only ever added.

Each subcommand of a multi-part `ALTER TABLE` is judged on its own. Dropping a column of a
table created in the same migration is not a finding.

Safe alternative: stop reading and writing the column in the application, deploy that,
then drop the column in a later cleanup migration marked
`-- pgrelease: ignore drop-column <reason>`."""
HELP = ("stop reading and writing the column in the application first; drop it later in a cleanup "
        "migration marked `-- pgrelease: ignore drop-column <reason>`")
BAD = [
    "alter table profiles drop column email;",
    'alter table app."User Data" add column note text, drop column if exists "Legacy";',
    "alter table only public.profiles drop email cascade;",
]
GOOD = [
    "create table t (a int, b int);\nalter table t drop column b;",
    "alter table profiles add column nickname text;",
    "comment on column profiles.email is 'alter table profiles drop column email';",
    "alter table profiles drop constraint profiles_email_check;",
]


def check(stmt, ctx):
    relation = stmt.get("relation")
    return [
        ctx.hit(f"ALTER TABLE {qualified(relation)} DROP COLUMN {quote_ident(sub.get('name', ''))} destroys "
                "the column's data and breaks code that still uses it", ctx.cmd_offset(i))
        for i, _, sub in ctx.existing_table_cmds(stmt, "AT_DropColumn")
    ]
