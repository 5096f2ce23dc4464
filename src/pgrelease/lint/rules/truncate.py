"""truncate: TRUNCATE of an existing table."""

from __future__ import annotations

from ..ast import qualified
from ..rule import DESTRUCTIVE, ERROR, Bad, Body, FileContext, Hit, Rule


class Truncate(Rule):
    id = "truncate"
    category = DESTRUCTIVE
    severity = ERROR
    nodes = ("TruncateStmt",)
    doc = """\
`TRUNCATE` deletes every row of a table (and with `CASCADE`, of every table that references
it) under an ACCESS EXCLUSIVE lock. In a migration that is almost always data loss.

Truncating a table created in the same migration is not a finding.

Safe alternative: delete exactly the rows you mean with `DELETE ... WHERE`, in batches for
large tables; if emptying the table really is the intent, say so with
`-- pgrelease: ignore truncate <reason>`."""
    help = ("delete only the rows you mean (DELETE ... WHERE, in batches); "
            "or mark it `-- pgrelease: ignore truncate <reason>`")
    bad = [
        Bad("truncate table audit_log;", [(1, "TRUNCATE audit_log deletes every row")]),
        Bad("truncate profiles, sessions restart identity cascade;",
            [(1, "TRUNCATE profiles, sessions deletes every row")]),
    ]
    good = [
        "create table staging_import (id bigint);\ntruncate staging_import;",
        "delete from sessions where expires_at < now();",
        "comment on table sessions is 'truncate sessions nightly';",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        old = []
        for item in node.get("relations", ()):
            rel = item.get("RangeVar")
            if rel and not ctx.is_new(rel):
                old.append(qualified(rel))
        if not old:
            return []
        return [ctx.hit(f"TRUNCATE {', '.join(old)} deletes every row")]
