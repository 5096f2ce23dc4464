"""alter-column-type: changing the type of an existing column."""

from __future__ import annotations

from ..ast import qualified, quote_ident, type_names
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class AlterColumnType(Rule):
    id = "alter-column-type"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
`ALTER COLUMN ... TYPE` takes an ACCESS EXCLUSIVE lock and, unless the change is binary
compatible (e.g. `varchar(n)` to `text`), rewrites the whole table and its indexes while
every read and write waits. It also changes what deployed code receives, so it is not
additive.

Each subcommand of a multi-part `ALTER TABLE` is judged; a column of a table created in
the same migration is not a finding.

Safe alternative: add a new column with the new type, backfill it in batches, move the
application over, then drop the old column later."""
    help = "add a new column with the new type, backfill in batches, switch the application, drop the old column later"
    bad = [
        Bad("alter table profiles alter column age type bigint;",
            [(1, "changing the type of profiles.age to int8 locks the table and may rewrite it")]),
        Bad('alter table app."Orders" add column note text, '
            'alter column "Total" set data type numeric(12,2) using "Total"::numeric;',
            [(1, 'changing the type of app."Orders"."Total" to numeric locks the table and may rewrite it')]),
    ]
    good = [
        "create table t (a int);\nalter table t alter column a type bigint;",
        "alter table profiles add column age_big bigint;",
        "alter table profiles alter column age set default 0;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        out = []
        for i, _, sub in ctx.existing_table_cmds(node, "AT_AlterColumnType"):
            new_type = ".".join(type_names(sub.get("def", {}).get("ColumnDef", {}).get("typeName")))
            out.append(ctx.hit(f"changing the type of {qualified(relation)}.{quote_ident(sub.get('name', ''))} to "
                               f"{new_type} locks the table and may rewrite it", ctx.cmd_offset(i)))
        return out
