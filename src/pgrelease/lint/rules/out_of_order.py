"""out-of-order: a pending migration whose version is not newer than every applied one."""

from __future__ import annotations

from ..rule import ERROR, HYGIENE, Bad, Hit, Rule, RunInfo


class OutOfOrder(Rule):
    id = "out-of-order"
    category = HYGIENE
    severity = ERROR
    doc = """\
Migrations run in version order. A new migration whose version is not greater than every
migration already applied (or already on the base branch) is out of order: `pgrelease push`
and `supabase db push` refuse it without `--include-all`, and when forced it runs after
migrations that were written assuming it did not exist - the classic result of two
branches made on different days (supabase/cli#611, #1882).

Judged only when the linter knows what is new: with `--db-url` (pending vs. applied
versions) or `--base REF` (changed files vs. the others). A changed file that is older
than the newest existing one is also how an edit of an applied migration shows up.

Safe alternative: rename the file to a fresh timestamp (`pgrelease new NAME`)."""
    help = ("rename the file to a version newer than every applied migration "
            "(pgrelease new NAME makes a fresh timestamp)")
    bad = [
        Bad({"files": {"20240101000000_late.sql": "select 1;"}, "applied": ["20240201000000"], "pending": True},
            [(1, "version 20240101000000 is not newer than 20240201000000, which is already applied or present")]),
        Bad({"files": {"20240101000000_late.sql": "select 1;"},
             "others": {"20240301000000_existing.sql": "select 1;"}, "pending": True},
            [(1, "version 20240101000000 is not newer than 20240301000000, which is already applied or present")]),
        Bad({"files": {"20240201000000_same.sql": "select 1;"}, "applied": ["20240201000000"], "pending": True},
            [(1, "version 20240201000000 is not newer than 20240201000000, which is already applied or present")]),
    ]
    good = [
        {"files": {"20240301000000_new.sql": "select 1;"}, "applied": ["20240201000000"], "pending": True},
        {"files": {"20240101000000_a.sql": "select 1;", "20240102000000_b.sql": "select 1;"}, "pending": True},
        {"files": {"20240101000000_old.sql": "select 1;"}, "others": {"20240301000000_x.sql": "select 1;"}},
    ]

    def finish_run(self, run: RunInfo) -> list[Hit]:
        if not run.pending:
            return []
        known = set(run.applied) | {o.version for o in run.others if o.version}
        if not known:
            return []
        newest = max(known, key=lambda v: (int(v), v))
        out = []
        for ctx in run.files:
            version = ctx.source.version
            if version and (int(version), version) <= (int(newest), newest):
                out.append(Hit(f"version {version} is not newer than {newest}, which is already applied or present: "
                               "this migration would run out of order", line=1, source=ctx))
        return out
