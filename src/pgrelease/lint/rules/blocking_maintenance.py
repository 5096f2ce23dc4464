"""blocking-maintenance: VACUUM FULL, CLUSTER, REINDEX / REFRESH MATERIALIZED VIEW without CONCURRENTLY."""

from __future__ import annotations

from ..ast import bool_option, def_options, qualified
from ..rule import ERROR, LOCKS, Bad, Body, FileContext, Hit, Rule


class BlockingMaintenance(Rule):
    id = "blocking-maintenance"
    category = LOCKS
    severity = ERROR
    nodes = ("VacuumStmt", "ClusterStmt", "ReindexStmt", "RefreshMatViewStmt")
    doc = """\
`VACUUM FULL` and `CLUSTER` rewrite a table under an ACCESS EXCLUSIVE lock (no reads, no
writes until done); `REINDEX` without `CONCURRENTLY` blocks writes to the table and reads
that would use the index; `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` blocks every
read of the view while it recomputes. They do not belong in a migration that runs against
production during the day.

Not a finding: a plain `VACUUM` / `ANALYZE`, `REINDEX ... CONCURRENTLY`,
`REFRESH MATERIALIZED VIEW CONCURRENTLY`, or maintenance of a table or materialized view
created in the same migration.

Safe alternative: `REINDEX ... CONCURRENTLY`; `REFRESH MATERIALIZED VIEW CONCURRENTLY`
(needs a unique index on the view); for bloat, pg_repack or a maintenance window outside
the migration pipeline. `REINDEX SYSTEM` has no concurrent form and belongs in a
maintenance window."""
    help = ("use REINDEX ... CONCURRENTLY; rewrite bloated tables with pg_repack or in a maintenance window, "
            "not in a migration")
    bad = [
        Bad("vacuum full profiles;", [(1, "VACUUM FULL rewrites profiles under an ACCESS EXCLUSIVE lock")]),
        Bad("vacuum (full, analyze) app.\"Orders\";",
            [(1, 'VACUUM FULL rewrites app."Orders" under an ACCESS EXCLUSIVE lock')]),
        Bad("cluster profiles using profiles_pkey;",
            [(1, "CLUSTER profiles rewrites the table under an ACCESS EXCLUSIVE lock")]),
        Bad("reindex table profiles;", [(1, "REINDEX profiles without CONCURRENTLY blocks writes while it rebuilds")]),
        Bad("reindex index profiles_email_idx;",
            [(1, "REINDEX profiles_email_idx without CONCURRENTLY blocks writes while it rebuilds")]),
        Bad("refresh materialized view app.daily_totals;",
            [(1, "REFRESH MATERIALIZED VIEW app.daily_totals without CONCURRENTLY blocks every read of the view")]),
        Bad("-- pgrelease: no-transaction\nreindex system;",
            [(2, "REINDEX SYSTEM rebuilds the system catalogs' indexes under exclusive locks")]),
    ]
    good = [
        "-- pgrelease: no-transaction\nvacuum analyze profiles;",
        "-- pgrelease: no-transaction\nreindex table concurrently profiles;",
        "-- pgrelease: no-transaction\nreindex (concurrently) index profiles_email_idx;",
        "vacuum (full false) profiles;",
        "create table t (a int);\ncluster t using t_pkey;",
        "create table t (a int primary key);\nreindex index t_pkey;",
        "refresh materialized view concurrently app.daily_totals;",
        "create materialized view mv as select 1 as a with no data;\nrefresh materialized view mv;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        if ctx.kind == "VacuumStmt":
            return _vacuum(node, ctx)
        if ctx.kind == "RefreshMatViewStmt":
            relation = node.get("relation")
            if node.get("concurrent") or ctx.is_new(relation):
                return []
            return [ctx.hit(f"REFRESH MATERIALIZED VIEW {qualified(relation)} without CONCURRENTLY blocks every read "
                            "of the view until it is recomputed",
                            help="use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view)")]
        if ctx.kind == "ReindexStmt":
            if node.get("kind") == "REINDEX_OBJECT_SYSTEM":
                return [ctx.hit("REINDEX SYSTEM rebuilds the system catalogs' indexes under exclusive locks and has "
                                "no CONCURRENTLY form",
                                help="reindex the system catalogs in a maintenance window, not in a migration")]
            if bool_option(def_options(node.get("params")).get("concurrently")):
                return []
            relation = node.get("relation")
            if relation is not None and node.get("kind") == "REINDEX_OBJECT_TABLE" and ctx.is_new(relation):
                return []
            if relation is not None and node.get("kind") == "REINDEX_OBJECT_INDEX" and ctx.is_new_index(relation):
                return []
            what = qualified(relation) if relation else node.get("name", "")
            return [ctx.hit(f"REINDEX {what} without CONCURRENTLY blocks writes while it rebuilds")]
        relation = node.get("relation")  # ClusterStmt
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
