"""The gate pipeline end to end on a real server: a staging database with the Supabase
baseline, the embedded shadow, and the example project (copied, so each test can change it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover
from pgrelease.pipeline.gate import GateOptions, gate
from pgrelease.pipeline.shadow import ShadowOptions

PG_BIN = os.environ.get("PGRELEASE_TEST_PG_BIN") or None


@pytest.fixture
def workdir(example_workdir: Path) -> Path:
    return example_workdir


@pytest.fixture
def staging(supabase_db: Dsn) -> Dsn:
    return supabase_db


def options(staging: Dsn | None, **extra) -> GateOptions:
    return GateOptions(staging=staging, shadow=ShadowOptions(pg_bin=PG_BIN),
                       push_options=PushOptions(lock_wait=10, include_all=True), **extra)


def steps(report) -> dict[str, str]:
    return {s.name: s.status for s in report.steps}


def recorded(dsn: Dsn) -> list[str]:
    with connect(dsn) as conn:
        exists = conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone()[0]
        if exists is None:
            return []
        return [r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations order by 1")]


def add(workdir: Path, name: str, sql: str) -> Path:
    path = workdir / "supabase" / "migrations" / name
    path.write_text(sql)
    return path


def test_first_run_pushes_everything_and_passes(workdir, staging):
    run = gate(workdir, options(staging))
    report = run.report
    assert report.exit_code == 0, [(s.name, [e.message for e in s.errors]) for s in report.steps]
    assert steps(report) == {"link": "ok", "plan": "ok", "lint": "ok", "shadow": "ok", "impact": "ok", "push": "ok",
                             "verify": "ok", "drift": "ok", "guard": "skipped"}
    assert len(recorded(staging)) == 12
    assert [m.status for m in report.step("push").migrations] == ["applied"] * 12
    assert report.step("drift").summary == "no differences"
    assert len(run.pending) == 12
    assert run.er_diagram is not None and "public__posts" in run.er_diagram


def test_second_run_with_a_new_migration_pushes_only_it(workdir, staging):
    assert gate(workdir, options(staging)).report.exit_code == 0
    add(workdir, "20250301090000_post_tags.sql",
        "create table public.post_tags (post_id uuid not null references public.posts (id), tag text not null,"
        " primary key (post_id, tag));\nalter table public.post_tags enable row level security;\n")
    run = gate(workdir, options(staging))
    report = run.report
    assert report.exit_code == 0, report.to_dict()
    assert [m.version for m in report.step("push").migrations] == ["20250301090000"]
    assert report.step("lint").data["summary"]["files"] == 1  # what is pending on staging (no base ref here)
    assert run.pending == ["20250301090000"]
    assert "public__post_tags" in run.er_diagram and "public__posts" in run.er_diagram


def test_lint_error_blocks_the_push(workdir, staging):
    assert gate(workdir, options(staging)).report.exit_code == 0
    before = recorded(staging)
    add(workdir, "20250301090000_drop_reactions.sql", "drop table public.post_reactions;\n")
    report = gate(workdir, options(staging)).report
    assert report.exit_code == 1
    assert steps(report)["lint"] == "failed"
    push_step = report.step("push")
    assert push_step.skipped == "not pushed: lint failed"
    assert recorded(staging) == before  # nothing reached staging
    assert report.step("verify").skipped and report.step("drift").skipped
    assert report.step("shadow").status == "ok"  # read-only steps still ran


def test_failing_verify_on_staging_fails_the_gate(workdir, staging):
    (workdir / "supabase" / "verify" / "99_posts_have_authors.sql").write_text(
        "select 1;\nselect count(*) > 0 as posts_exist from public.posts;\n")
    report = gate(workdir, options(staging)).report
    assert report.exit_code == 1
    verify = report.step("verify")
    assert verify.status == "failed"
    (failed,) = [c for c in verify.checks if c.status == "failed"]
    assert (failed.file, failed.line, failed.message) == (
        "supabase/verify/99_posts_have_authors.sql", 2, "returned false (posts_exist)")
    assert report.step("push").status == "ok"  # a check on the shadow does not stop the push
    assert len(recorded(staging)) == 12


def test_drift_made_by_hand_on_staging(workdir, staging):
    assert gate(workdir, options(staging)).report.exit_code == 0
    with connect(staging) as conn:
        conn.execute("create table public.made_in_the_dashboard (id int primary key)")
    report = gate(workdir, options(staging)).report
    assert report.exit_code == 1
    drift = report.step("drift")
    assert drift.status == "failed"
    assert any("made_in_the_dashboard" in line for line in drift.details)


def test_without_staging_it_lints_and_replays(workdir):
    why = "a pull request from a fork gets no secrets, so there is no staging target"
    report = gate(workdir, options(None, staging_skipped=why)).report
    assert report.exit_code == 0
    assert steps(report) == {"link": "skipped", "plan": "skipped", "lint": "ok", "shadow": "ok", "impact": "ok",
                             "push": "skipped",
                             "verify": "skipped", "drift": "skipped", "guard": "skipped"}
    assert report.step("push").skipped == why
    assert report.step("lint").data["mode"] == "all"


def test_unreachable_staging_is_an_environment_failure(workdir):
    closed = Dsn.parse("postgresql://postgres:<staging-db-password>@127.0.0.1:9/postgres".replace(
        "<staging-db-password>", "not-a-real-password"))
    from pgrelease.db.connect import ConnectOptions

    report = gate(workdir, options(closed), connect_options=ConnectOptions(timeout=2, retries=0)).report
    assert report.exit_code == 3
    assert steps(report)["link"] == "failed"
    assert steps(report)["shadow"] == "ok" and steps(report)["lint"] == "ok"
    assert report.step("push").skipped == "staging is not reachable"


def test_edited_applied_migration_blocks_the_push(workdir, staging):
    assert gate(workdir, options(staging)).report.exit_code == 0
    profiles = workdir / "supabase" / "migrations" / "20250108101500_profiles.sql"
    profiles.write_text(profiles.read_text() + "\ncreate index profiles_created_idx on public.profiles (created_at);\n")
    add(workdir, "20250301090000_more.sql", "create table public.more (id bigint primary key);\n"
                                            "alter table public.more enable row level security;\n")
    report = gate(workdir, options(staging)).report
    assert report.exit_code == 1
    assert "changed since staging applied them" in report.step("plan").errors[0].message
    assert report.step("push").skipped == "not pushed: plan failed"
    assert "20250301090000" not in recorded(staging)


def test_other_branches_migrations_on_shared_staging(workdir, staging, tmp_path):
    other = tmp_path / "other-branch"
    shutil.copytree(workdir, other)
    add(other, "20250305000000_other_branch.sql", "create table public.other_branch (id bigint primary key);\n"
                                                  "alter table public.other_branch enable row level security;\n")
    assert push(staging, discover(other), PushOptions(lock_wait=5)).failure is None
    # this branch brings an older migration than the other branch's
    add(workdir, "20250301090000_this_branch.sql", "create table public.this_branch (id bigint primary key);\n"
                                                   "alter table public.this_branch enable row level security;\n")
    report = gate(workdir, options(staging)).report
    assert report.exit_code == 0, report.to_dict()
    plan = report.step("plan")
    assert any("20250305000000" in note and "another branch" in note for note in plan.notes)
    assert [m.status for m in plan.migrations] == ["out-of-order"]
    assert [m.version for m in report.step("push").migrations] == ["20250301090000"]
    drift = report.step("drift")
    assert drift.status == "ok", drift.details  # the other branch's table came from its history row
    assert any("replayed from their history rows" in n for n in drift.notes)


def test_guard_against_staging(workdir, staging):
    report = gate(workdir, options(staging, app_version="1.1.0")).report
    assert report.step("guard").status == "ok"
    report = gate(workdir, options(staging, app_version="2.0.0")).report
    assert report.exit_code == 1 and report.step("guard").status == "failed"


def test_no_push_is_a_dry_run(workdir, staging):
    report = gate(workdir, options(staging, push=False)).report
    assert report.step("push").skipped == "--no-push"
    assert report.step("verify").skipped.startswith("--no-push")
    assert recorded(staging) == []


def test_impact_is_measured_up_to_impact_max(workdir, staging):
    report = gate(workdir, options(staging, impact_max=5)).report  # 12 pending
    impact = report.step("impact")
    assert impact.skipped.startswith("12 pending migrations, more than --impact-max 5")
    assert report.exit_code == 0 and report.step("push").status == "ok"
