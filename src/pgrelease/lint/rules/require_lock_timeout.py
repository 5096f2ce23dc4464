"""require-lock-timeout: ACCESS EXCLUSIVE work without lock_timeout (off by default)."""

from __future__ import annotations

from ..ast import alter_cmds, bool_option, def_options, drop_relations, qualified
from ..rule import ROBUSTNESS, WARNING, Bad, Body, FileContext, Hit, Rule


class RequireLockTimeout(Rule):
    id = "require-lock-timeout"
    category = ROBUSTNESS
    severity = WARNING
    default_enabled = False
    nodes = ("AlterTableStmt", "DropStmt", "TruncateStmt", "RenameStmt", "LockStmt", "VacuumStmt", "ClusterStmt",
             "ReindexStmt", "AlterObjectSchemaStmt", "RefreshMatViewStmt")
    doc = """\
A statement that needs an ACCESS EXCLUSIVE lock waits behind any long-running query on the
table, and while it waits every other query queues behind *it*: a one-millisecond
`ALTER TABLE` can stall the application for as long as the slowest open transaction.
`SET lock_timeout = '5s'` makes the migration fail fast instead (and be retried).

Off by default: `pgrelease push` sets `lock_timeout` (`--lock-timeout`, default 5s) on
every migration it runs and retries lock timeouts, so files it applies are covered
(squawk#678). Enable it (`[lint] enable = ["require-lock-timeout"]`) when the same files
are also applied by other tools (`supabase db push`, psql). It only looks at statements
that take ACCESS EXCLUSIVE locks on tables that existed before the migration - never at a
plain `CREATE TABLE` (squawk#673) - and reports the first one per file.

Safe alternative: `SET lock_timeout = '5s';` (or `SET LOCAL`) at the top of the file."""
    help = "start the file with SET lock_timeout = '5s'; (pgrelease push sets one itself)"
    bad = [
        Bad("alter table profiles add column nickname text;",
            [(1, "this statement takes an ACCESS EXCLUSIVE lock on profiles and no lock_timeout is set")]),
        Bad("truncate audit_log;\nalter table profiles drop column email;",
            [(1, "this statement takes an ACCESS EXCLUSIVE lock on audit_log and no lock_timeout is set")]),
        Bad("set lock_timeout = 0;\nalter table profiles rename column a to b;",
            [(2, "this statement takes an ACCESS EXCLUSIVE lock on profiles and no lock_timeout is set")]),
        Bad("alter table profiles rename to users;",
            [(1, "this statement takes an ACCESS EXCLUSIVE lock on profiles and no lock_timeout is set")]),
        Bad("refresh materialized view daily_totals;",
            [(1, "this statement takes an ACCESS EXCLUSIVE lock on daily_totals and no lock_timeout is set")]),
        Bad("-- pgrelease: no-transaction\nalter table measurements detach partition measurements_2020 concurrently;",
            [(2, "this statement takes an ACCESS EXCLUSIVE lock on measurements_2020 and no lock_timeout is set")]),
    ]
    good = [
        "set lock_timeout = '5s';\nalter table profiles add column nickname text;",
        "select set_config('lock_timeout', '2s', true);\nalter table profiles add column nickname text;",
        "create table t (a int);\nalter table t add column b int;",
        "alter table profiles validate constraint profiles_email_nn;",
        "create index concurrently i on profiles (email);",
        "refresh materialized view concurrently daily_totals;",
        "create table m_2020 partition of measurements for values in (2020);\n"
        "alter table measurements detach partition m_2020 concurrently;",
    ]

    def start_file(self, ctx: FileContext) -> None:
        self.reported = False  # the first such statement of a file is reported, not the others

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        if ctx.lock_timeout or self.reported:
            return []
        old = [r for r in _targets(node, ctx) if r and not ctx.is_new(r)]
        if not old:
            return []
        self.reported = True
        return [ctx.hit(f"this statement takes an ACCESS EXCLUSIVE lock on {qualified(old[0])} and no lock_timeout is "
                        "set: while it waits for the lock, every query on the table queues behind it")]


# ALTER TABLE subcommands that take a weaker lock than ACCESS EXCLUSIVE.
_WEAKER = frozenset({
    "AT_ValidateConstraint", "AT_SetStatistics", "AT_ClusterOn", "AT_DropCluster", "AT_SetRelOptions",
    "AT_ResetRelOptions", "AT_AttachPartition", "AT_DetachPartitionFinalize", "AT_EnableTrig", "AT_DisableTrig",
    "AT_EnableTrigAll", "AT_DisableTrigAll", "AT_EnableTrigUser", "AT_DisableTrigUser", "AT_EnableAlwaysTrig",
    "AT_EnableReplicaTrig", "AT_SetCompression",
})
_DROPS = frozenset({"OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_MATVIEW", "OBJECT_VIEW", "OBJECT_FOREIGN_TABLE"})


def _alter_targets(stmt):
    """What an ALTER TABLE takes an ACCESS EXCLUSIVE lock on: the table, unless every
    subcommand takes less; DETACH PARTITION ... CONCURRENTLY locks only the partition so."""
    out = []
    for _, subtype, sub in alter_cmds(stmt):
        cmd = sub.get("def", {}).get("PartitionCmd", {})
        if subtype == "AT_DetachPartition" and cmd.get("concurrent"):
            out.append(cmd.get("name"))
        elif subtype not in _WEAKER:
            return [stmt.get("relation")]
    return out


def _targets(stmt, ctx):
    """Relations the statement takes an ACCESS EXCLUSIVE lock on; empty if none."""
    kind = ctx.kind
    if kind == "AlterTableStmt":
        return _alter_targets(stmt)
    if kind == "DropStmt":
        if stmt.get("removeType") not in _DROPS or stmt.get("concurrent"):
            return []
        return drop_relations(stmt)
    if kind == "TruncateStmt":
        return [r["RangeVar"] for r in stmt.get("relations", ()) if "RangeVar" in r]
    if kind == "RefreshMatViewStmt":
        return [] if stmt.get("concurrent") else [stmt.get("relation")]
    if kind in ("RenameStmt", "AlterObjectSchemaStmt", "ClusterStmt"):
        return [stmt["relation"]] if stmt.get("relation") else []
    if kind == "LockStmt":
        if stmt.get("mode", 8) != 8:
            return []
        return [r["RangeVar"] for r in stmt.get("relations", ()) if "RangeVar" in r]
    if kind == "VacuumStmt":
        if not bool_option(def_options(stmt.get("options")).get("full")):
            return []
        return [r.get("VacuumRelation", {}).get("relation") for r in stmt.get("rels", ())] or [{"relname": "*"}]
    if kind == "ReindexStmt":
        if bool_option(def_options(stmt.get("params")).get("concurrently")):
            return []
        return [stmt.get("relation") or {"relname": stmt.get("name", "")}]
    return []
