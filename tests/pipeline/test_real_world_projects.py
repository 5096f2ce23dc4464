"""Shadow, lint and drift on migration sets written the way real Supabase projects write them.

The projects under tests/pipeline/real_world/ follow the styles found in public repositories:

- dbpull_pg15: a `supabase db pull` dump of a project from the PostgreSQL 15 generation
  (``SET ...``, ``CREATE EXTENSION IF NOT EXISTS "pgsodium" WITH SCHEMA "pgsodium"``, owners,
  grants, default privileges, ``RESET ALL``), then a `supabase db diff` migration and a dump
  with "schema changes for auth and storage".
- queues_mfa: Supabase Queues switched on from the dashboard (pgmq), a queue fed by a signup
  trigger, an RLS helper reading auth.mfa_factors, Realtime Authorization on realtime.messages.

A target here is a fresh database made to look like the hosted project the migrations were
written for (the baseline, plus what that generation of projects had from the start), with the
migrations pushed; drift must then find nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.baseline import PREINSTALLED_IN_OWN_SCHEMA, apply_supabase_baseline, missing_extensions
from pgrelease.db.connect import connect
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover
from pgrelease.migrations.parse import parse_migration
from pgrelease.commands import shadow
from pgrelease.pipeline.shadow import preinstalled_extensions, required_extensions

REAL_WORLD = Path(__file__).resolve().parent / "real_world"
DBPULL = REAL_WORLD / "dbpull_pg15"
QUEUES = REAL_WORLD / "queues_mfa"


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _parsed(project: Path):
    return [parse_migration(m) for m in discover(project).files]


def _write_project(root: Path, *files: tuple[str, str]) -> Path:
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    for name, text in files:
        (migrations / name).write_text(text)
    return root


def hosted_like(dsn, project: Path) -> None:
    """Baseline, the extensions that generation of projects had from the start, then a push."""
    parsed = _parsed(project)
    created, implied = required_extensions(parsed)
    with connect(dsn) as conn:
        apply_supabase_baseline(conn)
        missing = missing_extensions(conn, created + implied)
        if missing:
            pytest.skip(f"the target server cannot install {[name for name, _ in missing]}")
        for name in preinstalled_extensions(parsed):
            schema = PREINSTALLED_IN_OWN_SCHEMA[name]
            if not conn.execute("select 1 from pg_extension where extname = %s", (name,)).fetchone():
                conn.execute(f'create schema if not exists "{schema}"; create extension "{name}" with schema "{schema}"')
        for name in implied:  # enabled from the dashboard
            conn.execute(f'create extension if not exists "{name}"')
    result = push(dsn, discover(project), PushOptions(lock_wait=5))
    assert result.failure is None, result.failure


# ------------------------------------------------------------------------------------------
# supabase db pull dumps of PostgreSQL 15 generation projects
# ------------------------------------------------------------------------------------------
def test_db_pull_dump_replays_with_the_extensions_it_expects_preinstalled():
    report = shadow(DBPULL)
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert [m.status for m in report.migrations] == ["applied"] * 3
    assert any("installed extension pgsodium in schema pgsodium" in note for note in report.notes), report.notes


def test_db_pull_dump_has_no_drift_against_its_hosted_project(fresh_db):
    hosted_like(fresh_db, DBPULL)
    res = run_cli("drift", "--workdir", DBPULL, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["diff"]["changes"] == []


def test_db_pull_dump_lints_without_crashing():
    res = run_cli("lint", "--workdir", DBPULL, "--format", "json")
    report = json.loads(res.stdout)
    assert report["errors"] == []
    severities = [f["severity"] for f in report["findings"]]
    # exit 1 exactly when a finding is an error; a dump of a working hosted project has none
    assert res.exit_code == (1 if "error" in severities else 0) == 0, report["findings"]
    assert report["summary"]["errors"] == severities.count("error")
    assert report["summary"]["warnings"] == severities.count("warning")
    assert report["summary"]["files"] == 3
    rules = {f["rule"] for f in report["findings"]}
    assert not any("syntax" in rule or "parse" in rule for rule in rules), rules


def test_preinstalled_extensions_are_only_those_the_migrations_expect(tmp_path):
    def expected(*files):
        project = _write_project(tmp_path / f"p{len(list(tmp_path.iterdir()))}", *files)
        return preinstalled_extensions(_parsed(project))

    dump = 'CREATE EXTENSION IF NOT EXISTS "pgsodium" WITH SCHEMA "pgsodium";\n'
    assert expected(("20240101000000_a.sql", dump)) == ["pgsodium"]
    assert expected(("20240101000000_a.sql", "create extension if not exists pgsodium schema pgsodium version '3.1.9';")) \
        == ["pgsodium"]
    assert expected(("20240101000000_a.sql", 'CREATE EXTENSION IF NOT EXISTS "supabase_vault" WITH SCHEMA "vault";\n'
                                             'CREATE EXTENSION IF NOT EXISTS "pg_graphql" WITH SCHEMA "graphql";')) \
        == ["supabase_vault", "pg_graphql"]
    # the project creates the schema itself first: nothing is assumed
    assert expected(("20240101000000_a.sql", "create schema if not exists pgsodium;"),
                    ("20240101000001_b.sql", dump)) == []
    # no IF NOT EXISTS: this fails on a hosted project that has it, so the shadow must fail too
    assert expected(("20240101000000_a.sql", "create extension pgsodium with schema pgsodium;")) == []
    # an extension no hosted project ever had from the start
    assert expected(("20240101000000_a.sql", "create extension if not exists pgmq with schema pgmq;")) == []
    # in a comment only
    assert expected(("20240101000000_a.sql", "-- " + dump)) == []


def test_pgsodium_without_if_not_exists_still_fails_like_on_a_hosted_project(tmp_path):
    project = _write_project(
        tmp_path / "p",
        ("20240101000000_sodium.sql", "create extension pgsodium with schema pgsodium;\n"))
    report = shadow(project)
    assert report.exit_code == 1
    assert report.errors[0].sqlstate == "3F000"  # schema "pgsodium" does not exist
    assert not any("pgsodium" in note for note in report.notes)


# ------------------------------------------------------------------------------------------
# Supabase Queues (pgmq), MFA-aware RLS, Realtime Authorization
# ------------------------------------------------------------------------------------------
def test_queues_and_mfa_project_replays():
    report = shadow(QUEUES)
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert [m.status for m in report.migrations] == ["applied"] * 4


def test_queues_and_mfa_project_has_no_drift(fresh_db):
    hosted_like(fresh_db, QUEUES)
    res = run_cli("drift", "--workdir", QUEUES, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["diff"]["changes"] == []
    with connect(fresh_db) as conn:  # the signup trigger feeds the queue on the target
        conn.execute("insert into auth.users (id, email) values (gen_random_uuid(), 'ada@example.com')")
        message = conn.execute("select message ->> 'email' from pgmq.read('welcome_email', 30, 1)").fetchone()
        assert message == ("ada@example.com",)


def test_queue_used_without_create_extension_is_enabled_like_the_dashboard(tmp_path):
    project = _write_project(
        tmp_path / "p",
        ("20250101000000_jobs.sql",
         "select pgmq.create('jobs');\n"
         "create function public.enqueue(payload jsonb) returns bigint language sql set search_path = '' as $$\n"
         "  select * from pgmq.send('jobs', payload)\n$$;\n"))
    report = shadow(project)
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert any("enabled extension pgmq" in note for note in report.notes), report.notes

