"""set-not-null: SET NOT NULL on an existing column without a validated CHECK first."""

from __future__ import annotations

from ..ast import qualified, quote_ident
from ..context import not_null_column
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule


class SetNotNull(Rule):
    id = "set-not-null"
    category = LOCKS
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
`ALTER COLUMN ... SET NOT NULL` scans the whole table to prove there is no NULL, holding an
ACCESS EXCLUSIVE lock all the while: no reads, no writes. Since PostgreSQL 12 the scan is
skipped when a *validated* `CHECK (col IS NOT NULL)` constraint already proves it.

Not a finding: a table created in the same migration or pending set, or a column with a
validated `CHECK (col IS NOT NULL)` (or, on PostgreSQL 18, a `NOT NULL ... NOT VALID`
constraint validated since) added by an earlier statement or an earlier migration of the
project (PostgreSQL 12 and later; before 12 the scan always happens). Adding the
table-level `NOT NULL col` constraint without `NOT VALID` scans the same way and is
reported too.

Safe alternative, over two migrations:
1. `ALTER TABLE t ADD CONSTRAINT t_c_not_null CHECK (c IS NOT NULL) NOT VALID;` (instant)
2. `ALTER TABLE t VALIDATE CONSTRAINT t_c_not_null;` (scans without blocking writes), then
   `ALTER TABLE t ALTER COLUMN c SET NOT NULL;` (instant) and drop the check."""
    help = ("first ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it (in an earlier "
            "migration); then SET NOT NULL skips the scan")
    bad = [
        Bad("alter table profiles alter column email set not null;",
            [(1, "making profiles.email NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (no validated")]),
        Bad('alter table app."Orders" alter column note drop default, alter column "Ref" set not null;',
            [(1, 'making app."Orders"."Ref" NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (no')]),
        Bad("alter table profiles add constraint email_nn check (email is not null) not valid;\n"
            "alter table profiles alter column email set not null;",
            [(2, "making profiles.email NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (no validated")]),
        Bad("alter table profiles add constraint email_nn not null email;",
            [(1, "making profiles.email NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (no validated")]),
        Bad({"sql": "alter table profiles add constraint email_nn check (email is not null) not valid;\n"
                    "alter table profiles validate constraint email_nn;\n"
                    "alter table profiles alter column email set not null;", "config": {"postgres_version": 11}},
            [(3, "making profiles.email NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (no validated")]),
    ]
    good = [
        "alter table profiles add constraint email_nn check (email is not null) not valid;\n"
        "alter table profiles validate constraint email_nn;\n"
        "alter table profiles alter column email set not null;",
        {"files": {
            "20240101000000_check.sql":
                "alter table profiles add constraint email_nn check (email is not null) not valid;",
            "20240102000000_validate.sql": "alter table profiles validate constraint email_nn;",
            "20240103000000_not_null.sql": "alter table profiles alter column email set not null;",
        }},
        "create table t (a int);\nalter table t alter column a set not null;",
        "alter table profiles alter column email drop not null;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        out = []
        for i, subtype, sub in ctx.existing_table_cmds(node):
            if subtype == "AT_SetNotNull":
                column = sub.get("name", "")
            elif subtype == "AT_AddConstraint":
                con = sub.get("def", {}).get("Constraint", {})
                if con.get("contype") != "CONSTR_NOTNULL" or con.get("skip_validation"):
                    continue
                column = not_null_column(con)
                if column is None:
                    continue
            else:
                continue
            if ctx.pg_version >= 12 and ctx.not_null_validated(relation, column):
                continue  # PostgreSQL 12+ trusts the validated check and skips the scan
            out.append(ctx.hit(f"making {qualified(relation)}.{quote_ident(column)} NOT NULL scans the whole table "
                               "under an ACCESS EXCLUSIVE lock (no validated CHECK (... IS NOT NULL) proves it first)",
                               ctx.cmd_offset(i)))
        return out
