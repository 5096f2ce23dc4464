"""out-of-order: a pending migration whose version is not newer than every applied one."""

from __future__ import annotations

from ..context import Hit

ID = "out-of-order"
SEVERITY = "error"
NODES = ()
DOC = """\
Migrations run in version order. A new migration whose version is not greater than every
migration already applied (or already on the base branch) is out of order: `pgrelease push`
and `supabase db push` refuse it without `--include-all`, and when forced it runs after
migrations that were written assuming it did not exist - the classic result of two
branches made on different days (supabase/cli#611, #1882).

Judged only when the linter knows what is new: with `--db-url` (pending vs. applied
versions) or `--base REF` (changed files vs. the others). A changed file that is older
than the newest existing one is also how an edit of an applied migration shows up.

Safe alternative: rename the file to a fresh timestamp (`pgrelease new NAME`)."""
HELP = "rename the file to a version newer than every applied migration (pgrelease new NAME makes a fresh timestamp)"
BAD = [
    {"files": {"20240101000000_late.sql": "select 1;"}, "applied": ["20240201000000"], "pending": True},
    {"files": {"20240101000000_late.sql": "select 1;"},
     "others": {"20240301000000_existing.sql": "select 1;"}, "pending": True},
    {"files": {"20240201000000_same.sql": "select 1;"}, "applied": ["20240201000000"], "pending": True},
]
GOOD = [
    {"files": {"20240301000000_new.sql": "select 1;"}, "applied": ["20240201000000"], "pending": True},
    {"files": {"20240101000000_a.sql": "select 1;", "20240102000000_b.sql": "select 1;"}, "pending": True},
    {"files": {"20240101000000_old.sql": "select 1;"}, "others": {"20240301000000_x.sql": "select 1;"}},
]


def check(stmt, ctx):  # judged on the whole set of linted files, in finish_run()
    return []


def finish_run(run):
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
