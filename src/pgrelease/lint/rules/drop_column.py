"""drop-column: ALTER TABLE ... DROP COLUMN on an existing table."""

from __future__ import annotations

from ..ast import qualified, quote_ident
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class DropColumn(Rule):
    id = "drop-column"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
`ALTER TABLE ... DROP COLUMN` destroys the column's data, and every deployed application
version that still selects or inserts the column fails at once. Under the additive-only
policy columns are only ever added.

Each subcommand of a multi-part `ALTER TABLE` is judged on its own. Dropping a column of a
table created in the same migration is not a finding.

Safe alternative: stop reading and writing the column in the application, deploy that,
then drop the column in a later cleanup migration marked
`-- pgrelease: ignore drop-column <reason>`."""
    help = ("stop reading and writing the column in the application first; drop it later in a cleanup "
            "migration marked `-- pgrelease: ignore drop-column <reason>`")
    bad = [
        Bad("alter table profiles drop column email;",
            [(1, "ALTER TABLE profiles DROP COLUMN email destroys the column's data and breaks code that still uses")]),
        Bad('alter table app."User Data" add column note text, drop column if exists "Legacy";',
            [(1, 'ALTER TABLE app."User Data" DROP COLUMN "Legacy" destroys the column\'s data and breaks code that')]),
        Bad("alter table only public.profiles drop email cascade;",
            [(1, "ALTER TABLE public.profiles DROP COLUMN email destroys the column's data and breaks code that")]),
    ]
    good = [
        "create table t (a int, b int);\nalter table t drop column b;",
        "alter table profiles add column nickname text;",
        "comment on column profiles.email is 'alter table profiles drop column email';",
        "alter table profiles drop constraint profiles_email_check;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        return [
            ctx.hit(f"ALTER TABLE {qualified(relation)} DROP COLUMN {quote_ident(sub.get('name', ''))} destroys "
                    "the column's data and breaks code that still uses it", ctx.cmd_offset(i))
            for i, _, sub in ctx.existing_table_cmds(node, "AT_DropColumn")
        ]
