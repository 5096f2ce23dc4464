"""blocking-maintenance: VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY."""

from __future__ import annotations

from ..ast import bool_option, def_options, qualified

ID = "blocking-maintenance"
SEVERITY = "error"
NODES = ("VacuumStmt", "ClusterStmt", "ReindexStmt")
DOC = """\
`VACUUM FULL` and `CLUSTER` rewrite a table under an ACCESS EXCLUSIVE lock (no reads, no
writes until done); `REINDEX` without `CONCURRENTLY` blocks writes to the table and reads
that would use the index. They do not belong in a migration that runs against production
during the day.

Not a finding: a plain `VACUUM` / `ANALYZE`, `REINDEX ... CONCURRENTLY`, or maintenance of a
table created in the same migration.

Safe alternative: `REINDEX ... CONCURRENTLY`; for bloat, pg_repack or a maintenance window
outside the migration pipeline."""
HELP = "use REINDEX ... CONCURRENTLY; rewrite bloated tables with pg_repack or in a maintenance window, not in a migration"
BAD = [
    "vacuum full profiles;",
    "vacuum (full, analyze) app.\"Orders\";",
    "cluster profiles using profiles_pkey;",
    "reindex table profiles;",
    "reindex index profiles_email_idx;",
]
GOOD = [
    "-- pgrelease: no-transaction\nvacuum analyze profiles;",
    "-- pgrelease: no-transaction\nreindex table concurrently profiles;",
    "-- pgrelease: no-transaction\nreindex (concurrently) index profiles_email_idx;",
    "vacuum (full false) profiles;",
    "create table t (a int);\ncluster t using t_pkey;",
]


def check(stmt, ctx):
    if ctx.kind == "VacuumStmt":
        return _vacuum(stmt, ctx)
    if ctx.kind == "ReindexStmt":
        if bool_option(def_options(stmt.get("params")).get("concurrently")):
            return []
        relation = stmt.get("relation")
        if relation is not None and stmt.get("kind") == "REINDEX_OBJECT_TABLE" and ctx.is_new(relation):
            return []
        what = qualified(relation) if relation else stmt.get("name", "")
        return [ctx.hit(f"REINDEX {what} without CONCURRENTLY blocks writes while it rebuilds")]
    relation = stmt.get("relation")  # ClusterStmt
    if relation is not None and ctx.is_new(relation):
        return []
    what = f" {qualified(relation)}" if relation else ""
    return [ctx.hit(f"CLUSTER{what} rewrites the table under an ACCESS EXCLUSIVE lock")]


def _vacuum(stmt, ctx):
    if not stmt.get("is_vacuumcmd") or not bool_option(def_options(stmt.get("options")).get("full")):
        return []
    rels = [r.get("VacuumRelation", {}).get("relation") for r in stmt.get("rels", ())]
    old = [r for r in rels if r and not ctx.is_new(r)]
    if rels and not old:
        return []
    what = ", ".join(qualified(r) for r in old) if old else "every table"
    return [ctx.hit(f"VACUUM FULL rewrites {what} under an ACCESS EXCLUSIVE lock")]
