"""alter-column-type: changing the type of an existing column."""

from __future__ import annotations

from ..ast import qualified, quote_ident, type_names

ID = "alter-column-type"
SEVERITY = "error"
NODES = ("AlterTableStmt",)
DOC = """\
`ALTER COLUMN ... TYPE` takes an ACCESS EXCLUSIVE lock and, unless the change is binary
compatible (e.g. `varchar(n)` to `text`), rewrites the whole table and its indexes while
every read and write waits. It also changes what deployed code receives, so it is not
additive.

Each subcommand of a multi-part `ALTER TABLE` is judged; a column of a table created in
the same migration is not a finding.

Safe alternative: add a new column with the new type, backfill it in batches, move the
application over, then drop the old column later."""
HELP = "add a new column with the new type, backfill in batches, switch the application, drop the old column later"
BAD = [
    "alter table profiles alter column age type bigint;",
    'alter table app."Orders" add column note text, alter column "Total" set data type numeric(12,2) using "Total"::numeric;',
]
GOOD = [
    "create table t (a int);\nalter table t alter column a type bigint;",
    "alter table profiles add column age_big bigint;",
    "alter table profiles alter column age set default 0;",
]


def check(stmt, ctx):
    relation = stmt.get("relation")
    out = []
    for i, _, sub in ctx.existing_table_cmds(stmt, "AT_AlterColumnType"):
        new_type = ".".join(type_names(sub.get("def", {}).get("ColumnDef", {}).get("typeName")))
        out.append(ctx.hit(f"changing the type of {qualified(relation)}.{quote_ident(sub.get('name', ''))} to "
                           f"{new_type} locks the table and may rewrite it", ctx.cmd_offset(i)))
    return out
