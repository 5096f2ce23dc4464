"""schema-version-bump: schema changes without updating the bot_config schema_version row."""

from __future__ import annotations

from typing import NamedTuple

from ..ast import relation_key
from ..rule import HYGIENE, WARNING, Bad, FileContext, Hit, Rule, RunInfo

_BASE = ("insert into bot_config (config_key, environment, config_value) values "
         "('schema_version', 'production', '{\"version\": \"1.0.0\"}');")


class SchemaVersionBump(Rule):
    id = "schema-version-bump"
    category = HYGIENE
    severity = WARNING
    doc = """\
Projects that use the runbook's schema guard keep the database's schema version in
`bot_config` (`config_key = 'schema_version'`), and the application refuses to start when
it needs a newer schema than the database has. A migration set that changes the schema but
does not bump that row leaves the guard blind: the new application starts against an old
schema, or an old one keeps running against a schema it does not know.

Only applies when the project uses the guard, i.e. some migration mentions both
`bot_config` and `schema_version`. Reported once per run, on the newest migration that
changes the schema, when no linted migration writes the row (an `INSERT`, `UPDATE` or
`MERGE` on `bot_config` mentioning `schema_version`, or a `DO` block doing so)."""
    help = ("update bot_config's schema_version row in the same pending set, e.g. UPDATE bot_config SET config_value = "
            "jsonb_set(config_value, '{version}', '\"1.3.0\"') WHERE config_key = 'schema_version'")
    bad = [
        Bad({"files": {"20240201000000_add_column.sql": "alter table profiles add column nickname text;"},
             "others": {"20240101000000_baseline.sql": _BASE}, "pending": True},
            [(1, "these pending migrations change the schema but none updates the bot_config schema_version row the")]),
        Bad({"files": {"20240201000000_a.sql": "create table a (id bigint);",
                       "20240202000000_b.sql": "create view v as select 1 as x;"},
             "others": {"20240101000000_baseline.sql": _BASE}, "pending": True},
            [("20240202000000_b.sql", 1, "change the schema but none updates the bot_config schema_version row")]),
    ]
    good = [
        {"files": {"20240201000000_add_column.sql": "alter table profiles add column nickname text;\n"
                   "update bot_config set config_value = jsonb_set(config_value, '{version}', '\"1.1.0\"') "
                   "where config_key = 'schema_version';"},
         "others": {"20240101000000_baseline.sql": _BASE}, "pending": True},
        {"files": {"20240201000000_add_column.sql": "alter table profiles add column nickname text;"}, "pending": True},
        {"files": {"20240201000000_data.sql": "insert into profiles (id) values (1);"},
         "others": {"20240101000000_baseline.sql": _BASE}, "pending": True},
        {"files": {"20240201000000_a.sql": "create table a (id bigint);",
                   "20240202000000_bump.sql": "do $$ begin update bot_config set config_value = '{}' "
                   "where config_key = 'schema_version'; end $$;"},
         "others": {"20240101000000_baseline.sql": _BASE}, "pending": True},
    ]

    def __init__(self) -> None:
        self.seen: list[_Seen] = []  # every linted file, in version order

    def finish_file(self, ctx: FileContext) -> list[Hit]:
        """Remember, per file, its first schema change and whether it bumps the version row."""
        first, bumps = None, False
        for index, item in enumerate(ctx.asts):
            if item is None:
                continue
            kind, body = item
            if _bumps(kind, body, ctx.statements[index].sql):
                bumps = True
            if first is None and kind in _SCHEMA:
                first = index
        self.seen.append(_Seen(ctx, first, bumps))
        return []

    def finish_run(self, run: RunInfo) -> list[Hit]:
        if not any(_mentions_guard(c.source.text) for c in run.files) and not any(
                _mentions_guard(o.text) for o in run.others):
            return []
        seen = self.seen
        if any(bumps for _, _, bumps in seen):
            return []
        changed = [(ctx, first) for ctx, first, _ in seen if first is not None]
        if not changed:
            return []
        ctx, index = changed[-1]
        return [Hit("these pending migrations change the schema but none updates the bot_config schema_version row "
                    "the schema guard reads", statement=index, source=ctx)]


_SCHEMA = frozenset({
    "CreateStmt", "AlterTableStmt", "DropStmt", "RenameStmt", "CreateFunctionStmt", "ViewStmt", "CreateEnumStmt",
    "AlterEnumStmt", "CompositeTypeStmt", "CreateTableAsStmt", "CreateSchemaStmt", "CreateDomainStmt",
    "AlterDomainStmt", "AlterObjectSchemaStmt",
})
_WRITES = frozenset({"InsertStmt", "UpdateStmt", "MergeStmt"})


def _mentions_guard(text: str) -> bool:
    lowered = text.lower()
    return "bot_config" in lowered and "schema_version" in lowered


def _bumps(kind, body, sql) -> bool:
    if kind in _WRITES:
        return relation_key(body.get("relation"))[1] == "bot_config" and "schema_version" in sql.lower()
    if kind in ("DoStmt", "SelectStmt", "CallStmt"):
        return _mentions_guard(sql)
    return False


class _Seen(NamedTuple):
    ctx: FileContext
    first_change: int | None  # index of the file's first schema-changing statement
    bumps: bool  # the file writes the schema_version row
