"""constraint-not-valid: ADD FOREIGN KEY / CHECK without NOT VALID on an existing table."""

from __future__ import annotations

from ..ast import alter_cmds, constraints, qualified, quote_ident
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule, TableKey


class ConstraintNotValid(Rule):
    id = "constraint-not-valid"
    category = LOCKS
    severity = ERROR
    nodes = ("AlterTableStmt",)
    doc = """\
Adding a `FOREIGN KEY` or `CHECK` constraint validates every existing row while holding a
lock that blocks writes (ACCESS EXCLUSIVE for a CHECK; SHARE ROW EXCLUSIVE on both tables
for a foreign key). `NOT VALID` adds the constraint instantly (it applies to new rows), and
a later `VALIDATE CONSTRAINT` checks old rows under a lock that lets reads and writes go on.

Also reported: `VALIDATE CONSTRAINT` in the same transactional migration that added the
constraint `NOT VALID` - the first statement's lock is held until commit, so the
validation scan blocks writes anyway. Validate in the next migration.

A `REFERENCES` clause on `ADD COLUMN` of an existing table is reported as well (the new
column is added, then checked, under ACCESS EXCLUSIVE). A table created in the same
migration or pending set is not a finding.

Safe alternative: `ADD CONSTRAINT ... NOT VALID` in one migration, `VALIDATE CONSTRAINT`
in the next."""
    help = "add the constraint with NOT VALID, then VALIDATE CONSTRAINT it in a later migration"
    bad = [
        Bad("alter table orders add constraint orders_user_fk foreign key (user_id) references profiles (id);",
            [(1, "adding FOREIGN KEY constraint orders_user_fk to orders without NOT VALID checks every row while")]),
        Bad("alter table orders add constraint positive_total check (total >= 0);",
            [(1, "adding CHECK constraint positive_total to orders without NOT VALID checks every row while writes")]),
        Bad('alter table app."Orders" add column note text, '
            'add constraint "Orders_fk" foreign key ("UserId") references app."Users";',
            [(1, 'adding FOREIGN KEY constraint "Orders_fk" to app."Orders" without NOT VALID checks every row')]),
        Bad("alter table orders add column user_id bigint references profiles (id);",
            [(1, "new column user_id REFERENCES another table")]),
        Bad("alter table orders add constraint c check (total >= 0) not valid;\n"
            "alter table orders validate constraint c;",
            [(2, "VALIDATE CONSTRAINT c runs in the same transaction that added it NOT VALID")]),
    ]
    good = [
        "alter table orders add constraint orders_user_fk foreign key (user_id) references profiles (id) not valid;",
        "alter table orders validate constraint orders_user_fk;",
        "create table t (a int, b int);\nalter table t add constraint t_b_check check (b > 0);",
        "create table items (id bigint primary key, order_id bigint references orders (id));",
        "-- pgrelease: no-transaction\nalter table orders add constraint c check (total >= 0) not valid;\n"
        "alter table orders validate constraint c;",
    ]

    def start_file(self, ctx: FileContext) -> None:
        self.not_valid: set[tuple[TableKey, str]] = set()  # (table, constraint) added NOT VALID in this file

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        relation = node.get("relation")
        if ctx.is_new(relation):
            return []
        out = []
        pending = self.not_valid
        table = (relation.get("schemaname") or "public", relation.get("relname"))
        for i, subtype, sub in alter_cmds(node):
            if subtype == "AT_AddConstraint":
                con = sub.get("def", {}).get("Constraint", {})
                kind = _KINDS.get(con.get("contype"))
                if kind is None:
                    continue
                if con.get("skip_validation"):
                    pending.add((table, con.get("conname", "")))
                    continue
                name = f" {quote_ident(con['conname'])}" if con.get("conname") else ""
                out.append(ctx.hit(f"adding {kind} constraint{name} to {qualified(relation)} without NOT VALID checks "
                                   "every row while writes are blocked", con))
            elif subtype == "AT_AddColumn":
                col = sub.get("def", {}).get("ColumnDef", {})
                for con in constraints(col):
                    if con.get("contype") == "CONSTR_FOREIGN":
                        out.append(ctx.hit(
                            f"new column {quote_ident(col.get('colname', ''))} REFERENCES another table: "
                            f"the foreign key is checked against every row of {qualified(relation)} "
                            "under an ACCESS EXCLUSIVE lock", con,
                            "add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and "
                            "VALIDATE it in a later migration"))
            elif subtype == "AT_ValidateConstraint" and ctx.transactional:
                if (table, sub.get("name", "")) in pending:
                    out.append(ctx.hit(
                        f"VALIDATE CONSTRAINT {quote_ident(sub.get('name', ''))} runs in the same transaction "
                        "that added it NOT VALID: that lock is still held, so the validation scan blocks writes",
                        ctx.cmd_offset(i),
                        "validate the constraint in the next migration"))
        return out


_KINDS = {"CONSTR_FOREIGN": "FOREIGN KEY", "CONSTR_CHECK": "CHECK"}
