"""The gate's PR comment: a realistic failing run rendered and compared with a reviewed
markdown file; the size limit; links; folding."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pgrelease.db.connect import connect
from pgrelease.github.comment import COMMENT_LIMIT, CommentContext, gate_markdown
from pgrelease.migrations.outcome import MigrationEntry
from pgrelease.pipeline.gate import GateOptions, gate
from pgrelease.pipeline.shadow import ShadowOptions
from pgrelease.report.model import Report, Step

EXPECTED = Path(__file__).parent / "expected" / "gate_comment_failed.md"
CTX = dict(marker="<!-- pgrelease:gate workdir=examples/acme -->", workdir="examples/acme", repository="acme/app",
           sha="3f786850e387550fdab836ed7e6dc881de23001b", run_url="https://github.com/acme/app/actions/runs/4242")


def _normalise(report: Report) -> None:
    """Fix what differs between runs and servers: timings, the staging address, versions."""
    for step in report.steps:
        step.duration_ms = None if step.duration_ms is None else 12.0
        for m in step.migrations:
            m.duration_ms = None if m.duration_ms is None else 3.0
        for c in step.checks:
            c.duration_ms = None if c.duration_ms is None else 1.0
        step.summary = re.sub(r"staging \S+: PostgreSQL .+$", "staging db.example:5432: PostgreSQL 15.8", step.summary)
        step.summary = re.sub(r"embedded PostgreSQL \d+ \([^)]*\)", "embedded PostgreSQL 15", step.summary)
        step.warnings = [w for w in step.warnings if "the shadow runs PostgreSQL" not in w]
        for m in step.data.get("impact", {}).get("migrations", ()):  # table sizes differ by server
            for lock in (lock for s in m["statements"] for lock in s["locks"] if "size_bytes" in lock):
                lock["size_bytes"], lock["rows"] = 16384, None


def test_failing_run_renders_as_reviewed(example_workdir, supabase_db):
    workdir, fresh_db = example_workdir, supabase_db
    options = GateOptions(staging=fresh_db, shadow=ShadowOptions(pg_bin=os.environ.get("PGRELEASE_TEST_PG_BIN")))
    assert gate(workdir, options).report.exit_code == 0
    (workdir / "supabase" / "migrations" / "20250301090000_post_tags.sql").write_text(
        "-- tags on posts\ncreate table public.post_tags (\n  post_id uuid not null references public.posts (id),\n"
        "  tag text not null,\n  primary key (post_id, tag)\n);\n"
        "alter table public.post_tags enable row level security;\n"
        "create index post_tags_tag_idx on public.post_tags (tag);\nalter table public.profiles add column bio text;\n")
    (workdir / "supabase" / "verify" / "99_has_posts.sql").write_text(
        "-- staging keeps a few demo posts\nselect count(*) > 0 as has_posts from public.posts;\n")
    with connect(fresh_db) as conn:  # and someone changed staging by hand
        conn.execute("alter table public.posts add column made_by_hand text")
    run = gate(workdir, options)
    assert run.report.exit_code == 1
    assert [s.status for s in run.report.steps] == ["ok", "ok", "warning", "failed", "ok", "ok", "failed", "failed",
                                                     "skipped"]
    _normalise(run.report)
    markdown = gate_markdown(run.report, CommentContext(**CTX, er_diagram=run.er_diagram))
    if os.environ.get("PGRELEASE_UPDATE_EXPECTED"):
        EXPECTED.write_text(markdown)
    assert markdown == EXPECTED.read_text()


def _report_with(rows: int) -> Report:
    report = Report("gate", steps=[])
    shadow = report.add_step(Step("shadow", summary="replayed"))
    shadow.migrations = [MigrationEntry(f"{20250101000000 + i}", f"migration_number_{i}_" + "x" * 80, "applied", 1.0)
                         for i in range(rows)]
    report.add_step(Step("drift", summary="1 difference", details=["  + table public.t" + "y" * 100] * rows,
                         failed=True))
    return report


def test_long_reports_stay_under_githubs_limit():
    markdown = gate_markdown(_report_with(3000), CommentContext(**CTX))
    assert len(markdown) < COMMENT_LIMIT
    assert markdown.startswith(CTX["marker"])
    assert "left out to stay under GitHub's comment limit; the job summary of the workflow run has the full report" \
        in markdown
    assert "| :x: | drift | 1 difference |" in markdown  # the steps table always survives


def test_short_parts_are_inline_long_parts_fold():
    small = gate_markdown(_report_with(3), CommentContext(**CTX))
    assert "**Migrations (3 replayed)**" in small and "<details" in small  # drift details always fold
    large = gate_markdown(_report_with(40), CommentContext(**CTX))
    assert "<details><summary><b>Migrations (40 replayed)</b></summary>" in large


def test_no_links_without_repository_and_sha():
    report = Report("gate", steps=[])
    lint = report.add_step(Step("lint", failed=True))
    lint.data["findings"] = [{"severity": "error", "rule": "drop-table", "file": "supabase/migrations/1_x.sql",
                              "line": 3, "column": 1, "message": "DROP TABLE t | destroys it", "help": "h"}]
    markdown = gate_markdown(report, CommentContext())
    assert "| :x: | `drop-table` | `supabase/migrations/1_x.sql:3` | DROP TABLE t \\| destroys it |" in markdown
    assert "](" not in markdown
