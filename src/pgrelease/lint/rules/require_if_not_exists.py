"""require-if-not-exists: statements a re-run would fail on, in a file run outside a transaction."""

from __future__ import annotations

from ..ast import alter_cmds, drop_relations, qualified, quote_ident
from ..rule import ROBUSTNESS, WARNING, Bad, Body, FileContext, Hit, Rule


class RequireIfNotExists(Rule):
    id = "require-if-not-exists"
    category = ROBUSTNESS
    severity = WARNING
    nodes = ("CreateStmt", "IndexStmt", "CreateSchemaStmt", "CreateSeqStmt", "CreateExtensionStmt", "CreateTableAsStmt",
             "ViewStmt", "CreateFunctionStmt", "CreateTrigStmt", "AlterTableStmt", "DropStmt")
    doc = """\
A migration that runs in one transaction is all or nothing: after a failure nothing of it
is left, and the next push runs it again from a clean slate - so it needs no
`IF NOT EXISTS`, and this rule stays silent for such files.

A file that runs statement by statement (first line `-- pgrelease: no-transaction`, or
auto-detected by the runner, see `no-transaction-implicit`) keeps every statement that
succeeded before a failure, and the history row is not written: the next push runs the
whole file again. Every statement must then survive a second run: `CREATE ... IF NOT
EXISTS`, `CREATE OR REPLACE`, `ADD COLUMN IF NOT EXISTS`, `DROP ... IF EXISTS`.

Beware `CREATE INDEX CONCURRENTLY`: a failed build leaves an INVALID index behind, which
`IF NOT EXISTS` then silently accepts. Precede it with `DROP INDEX CONCURRENTLY IF EXISTS`
of the same name (this rule accepts that too), or check `pg_index.indisvalid` after a
failure. An index without a name cannot be made re-runnable at all: a re-run builds a
second copy."""
    help = "make the statement re-runnable: IF NOT EXISTS / OR REPLACE / IF EXISTS"
    bad = [
        Bad("-- pgrelease: no-transaction\ncreate index concurrently profiles_email_idx on profiles (email);",
            [(2, "this file runs outside a transaction")]),
        Bad("-- pgrelease: no-transaction\ncreate table t (a int);\nalter table t add column b int;",
            [(2, "this file runs outside a transaction"), (3, "this file runs outside a transaction")]),
        Bad("create index concurrently on profiles (email);\nselect 1;",
            [(1, "this file runs outside a transaction and the index on profiles has no name")]),
        Bad("-- pgrelease: no-transaction\ndrop index concurrently profiles_old_idx;",
            [(2, "this file runs outside a transaction")]),
        Bad("-- pgrelease: no-transaction\ncreate function f() returns int language sql as $$ select 1 $$;",
            [(2, "this file runs outside a transaction")]),
    ]
    good = [
        "-- pgrelease: no-transaction\ncreate index concurrently if not exists profiles_email_idx on profiles (email);",
        "-- pgrelease: no-transaction\ndrop index concurrently if exists profiles_email_idx;\n"
        "create index concurrently profiles_email_idx on profiles (email);",
        "create table t (a int);\ncreate index t_a_idx on t (a);",
        "-- pgrelease: no-transaction\ncreate table if not exists t (a int);\n"
        "alter table t add column if not exists b int;\ncreate or replace view v as select 1 as a;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        if ctx.transactional:
            return []
        kind = ctx.kind
        if kind == "IndexStmt":
            if node.get("if_not_exists"):
                return []
            name = node.get("idxname")
            if not name:
                return [ctx.hit("this file runs outside a transaction and the index on "
                                f"{qualified(node.get('relation'))} has no name: a re-run after a failure builds "
                                "a second copy", None,
                                "name the index and use CREATE INDEX CONCURRENTLY IF NOT EXISTS <name>")]
            schema = node.get("relation", {}).get("schemaname") or "public"
            if _named_index_dropped(ctx, name, schema):
                return []
            return [ctx.hit(f"this file runs outside a transaction: a re-run after a failure stops at CREATE INDEX "
                            f"{quote_ident(name)} (already exists)", None,
                            "use IF NOT EXISTS, or DROP INDEX CONCURRENTLY IF EXISTS first (a failed concurrent build "
                            "leaves an INVALID index that IF NOT EXISTS would keep)")]
        what = _not_rerunnable(kind, node)
        if not what:
            return []
        return [ctx.hit(f"this file runs outside a transaction: a re-run after a failure stops at {what}")]


def _named_index_dropped(ctx, name, schema):
    for item in ctx.asts[: ctx.index]:
        if item and item[0] == "DropStmt" and item[1].get("removeType") == "OBJECT_INDEX" and item[1].get("missing_ok"):
            for rel in drop_relations(item[1]):
                if rel["relname"] == name and (rel.get("schemaname") or schema) == schema:
                    return True
    return False


def _not_rerunnable(kind, stmt):
    if kind == "CreateStmt" and not stmt.get("if_not_exists"):
        return f"CREATE TABLE {qualified(stmt.get('relation'))} (already exists)"
    if kind == "CreateSchemaStmt" and not stmt.get("if_not_exists"):
        return f"CREATE SCHEMA {quote_ident(stmt.get('schemaname', ''))} (already exists)"
    if kind == "CreateSeqStmt" and not stmt.get("if_not_exists"):
        return f"CREATE SEQUENCE {qualified(stmt.get('sequence'))} (already exists)"
    if kind == "CreateExtensionStmt" and not stmt.get("if_not_exists"):
        return f"CREATE EXTENSION {quote_ident(stmt.get('extname', ''))} (already exists)"
    if kind == "CreateTableAsStmt" and not stmt.get("if_not_exists"):
        return f"CREATE ... AS {qualified(stmt.get('into', {}).get('rel'))} (already exists)"
    if kind in ("ViewStmt", "CreateFunctionStmt", "CreateTrigStmt") and not stmt.get("replace"):
        label = {"ViewStmt": "CREATE VIEW", "CreateFunctionStmt": "CREATE FUNCTION", "CreateTrigStmt": "CREATE TRIGGER"}
        return f"{label[kind]} without OR REPLACE (already exists)"
    if kind == "DropStmt" and not stmt.get("missing_ok"):
        return "DROP without IF EXISTS (already dropped)"
    if kind == "AlterTableStmt":
        for _, subtype, sub in alter_cmds(stmt):
            if subtype == "AT_AddColumn" and not sub.get("missing_ok"):
                col = sub.get("def", {}).get("ColumnDef", {}).get("colname", "")
                return f"ADD COLUMN {quote_ident(col)} (already exists)"
            if subtype == "AT_DropColumn" and not sub.get("missing_ok"):
                return f"DROP COLUMN {quote_ident(sub.get('name', ''))} (already dropped)"
    return None
