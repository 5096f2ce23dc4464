"""truncate: TRUNCATE of an existing table."""

from __future__ import annotations

from ..ast import qualified

ID = "truncate"
SEVERITY = "error"
NODES = ("TruncateStmt",)
DOC = """\
`TRUNCATE` deletes every row of a table (and with `CASCADE`, of every table that references
it) under an ACCESS EXCLUSIVE lock. In a migration that is almost always data loss.

Truncating a table created in the same migration is not a finding.

Safe alternative: delete exactly the rows you mean with `DELETE ... WHERE`, in batches for
large tables; if emptying the table really is the intent, say so with
`-- pgrelease: ignore truncate <reason>`."""
HELP = "delete only the rows you mean (DELETE ... WHERE, in batches); or mark it `-- pgrelease: ignore truncate <reason>`"
BAD = [
    "truncate table audit_log;",
    "truncate profiles, sessions restart identity cascade;",
]
GOOD = [
    "create table staging_import (id bigint);\ntruncate staging_import;",
    "delete from sessions where expires_at < now();",
    "comment on table sessions is 'truncate sessions nightly';",
]


def check(stmt, ctx):
    old = []
    for item in stmt.get("relations", ()):
        rel = item.get("RangeVar")
        if rel and not ctx.is_new(rel):
            old.append(qualified(rel))
    if not old:
        return []
    return [ctx.hit(f"TRUNCATE {', '.join(old)} deletes every row")]
