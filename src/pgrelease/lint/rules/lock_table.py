"""lock-table: an explicit LOCK TABLE on an existing table."""

from __future__ import annotations

from ..ast import qualified
from ..rule import LOCKS, WARNING, Bad, Body, FileContext, Hit, Rule


class LockTable(Rule):
    id = "lock-table"
    category = LOCKS
    severity = WARNING
    nodes = ("LockStmt",)
    doc = """\
An explicit `LOCK TABLE` (ACCESS EXCLUSIVE unless a weaker mode is named) makes every
other session queue behind the migration until it commits; with a long migration that is
an outage, and queued lock requests block even readers that arrive later.

It is a warning, not an error: taking locks in a fixed order up front is a legitimate way
to avoid deadlocks between several `ALTER TABLE`s. Keep the migration short, keep
`lock_timeout` set (pgrelease push sets one per migration), and pick the weakest mode that
works. A table created in the same migration is not a finding."""
    help = ("keep the transaction short, use the weakest lock mode that works, "
            "and rely on lock_timeout (set by pgrelease push)")
    bad = [
        Bad("lock table profiles;",
            [(1, "LOCK TABLE profiles in ACCESS EXCLUSIVE mode queues other sessions until the migration commits")]),
        Bad("lock table only app.\"Orders\", public.items in share row exclusive mode nowait;",
            [(1, 'LOCK TABLE app."Orders", public.items in SHARE ROW EXCLUSIVE mode queues other sessions until the')]),
    ]
    good = [
        "create table t (a int);\nlock table t in access exclusive mode;",
        "select * from profiles for update;",
        "comment on table profiles is 'lock table profiles';",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        old = [r["RangeVar"] for r in node.get("relations", ()) if "RangeVar" in r and not ctx.is_new(r["RangeVar"])]
        if not old:
            return []
        mode = _MODES.get(node.get("mode", 8), "ACCESS EXCLUSIVE")
        return [ctx.hit(f"LOCK TABLE {', '.join(qualified(r) for r in old)} in {mode} mode queues other sessions "
                        "until the migration commits")]


_MODES = {1: "ACCESS SHARE", 2: "ROW SHARE", 3: "ROW EXCLUSIVE", 4: "SHARE UPDATE EXCLUSIVE", 5: "SHARE",
          6: "SHARE ROW EXCLUSIVE", 7: "EXCLUSIVE", 8: "ACCESS EXCLUSIVE"}
