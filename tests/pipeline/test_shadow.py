"""Shadow replay on the embedded server with the Supabase baseline, and its failure paths."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.commands import shadow
from pgrelease.pipeline.shadow import ShadowOptions

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "acme"
FIXTURES = REPO / "tests" / "fixtures" / "projects"


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_example_project_replays_and_verifies():
    res = run_cli("shadow", "--workdir", EXAMPLE, "--format", "json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["status"] == "ok"
    names = [m["name"] for m in report["migrations"]]
    assert len(names) >= 12 and all(m["status"] == "applied" for m in report["migrations"])
    assert all("duration_ms" in m for m in report["migrations"])
    kinds = {c["name"].split()[0] for c in report["checks"]}
    assert kinds == {"smoke", "verify"} and all(c["status"] == "ok" for c in report["checks"])
    assert any(m.get("no_transaction") for m in report["migrations"])  # the CONCURRENTLY index file


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()) if FIXTURES.exists() else [])
def test_realistic_supabase_projects_replay(name):
    report = shadow(FIXTURES / name)
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert report.migrations and all(m.status == "applied" for m in report.migrations)


def test_failing_migration_is_reported_per_migration(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    migs = sorted((project / "supabase" / "migrations").glob("*.sql"))
    broken = migs[3]
    broken.write_text(broken.read_text() + "\nselect no_such_function();\n")
    report = shadow(project)
    assert report.exit_code == 1
    statuses = [m.status for m in report.migrations]
    assert statuses[:3] == ["applied"] * 3 and statuses[3] == "failed" and set(statuses[4:]) == {"not-run"}
    err = report.errors[0]
    assert err.file.endswith(broken.name) and err.sqlstate == "42883" and err.line > 1
    assert not report.checks  # verify scripts do not run on a half-replayed schema


def test_verify_failure_is_a_failed_check(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(EXAMPLE, project)
    (project / "supabase" / "verify" / "zz_broken.sql").write_text(
        "select 1;\ndo $$ begin raise exception 'expected table public.nope'; end $$;\n")
    res = run_cli("shadow", "--workdir", project)
    assert res.exit_code == 1
    assert "expected table public.nope" in res.stdout and "zz_broken.sql:2" in res.stdout


def test_missing_extension_is_named_before_replay(tmp_path):
    project = tmp_path / "p"
    (project / "supabase" / "migrations").mkdir(parents=True)
    (project / "supabase" / "migrations" / "20240101000000_a.sql").write_text("create table a (id int);")
    (project / "supabase" / "migrations" / "20240101000001_gis.sql").write_text(
        "create extension if not exists postgis with schema extensions;")
    res = run_cli("shadow", "--workdir", project)
    assert res.exit_code == 3
    assert "postgis" in res.stdout and "hint:" in res.stdout
    assert "applied" not in res.stdout  # nothing was replayed


def test_shadow_url_must_be_empty(fresh_db, tmp_path):
    with connect(fresh_db) as conn:
        conn.execute("create table public.leftover (id int)")
    res = run_cli("shadow", "--workdir", EXAMPLE, "--shadow-url", fresh_db.url(reveal=True))
    assert res.exit_code == 2 and "not empty" in res.stdout
    assert fresh_db.password not in res.output
    with connect(fresh_db) as conn:  # untouched
        assert conn.execute("select count(*) from pg_namespace where nspname = 'auth'").fetchone()[0] == 0


def test_shadow_url_empty_database(fresh_db):
    report = shadow(EXAMPLE, ShadowOptions(shadow_url=fresh_db))
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    # the replay went to the given database, not to an embedded server of its own
    versions = sorted(p.name.split("_", 1)[0] for p in (EXAMPLE / "supabase" / "migrations").glob("*.sql"))
    with connect(fresh_db) as conn:
        assert conn.execute("select count(*) from pg_namespace where nspname = 'auth'").fetchone()[0] == 1
        assert conn.execute("select to_regclass('public.posts') is not null").fetchone()[0]
        assert [r[0] for r in conn.execute(
            "select version from supabase_migrations.schema_migrations order by version")] == versions


def test_no_baseline_fails_on_supabase_objects():
    report = shadow(EXAMPLE, ShadowOptions(baseline=False))
    assert report.exit_code == 1
    assert report.errors[0].sqlstate in ("3F000", "42P01", "42704", "42883")  # auth schema/roles missing


def test_unrunnable_file_refused_before_server_starts(tmp_path):
    project = tmp_path / "p"
    (project / "supabase" / "migrations").mkdir(parents=True)
    (project / "supabase" / "migrations" / "20240101000000_a.sql").write_text("savepoint s;\ncreate table a (id int);\n")
    res = run_cli("shadow", "--workdir", project, "--format", "json")
    assert res.exit_code == 2
    err = json.loads(res.stdout)["errors"][0]
    assert err["line"] == 1 and err["file"].endswith("20240101000000_a.sql")


def test_extension_used_without_create_is_enabled_like_the_dashboard(tmp_path):
    project = tmp_path / "p"
    (project / "supabase" / "migrations").mkdir(parents=True)
    (project / "supabase" / "migrations" / "20240101000000_hook.sql").write_text(
        "create table public.events (id bigint generated always as identity primary key, payload jsonb);\n"
        "alter table public.events enable row level security;\n"
        "create function public.notify() returns trigger language plpgsql security definer set search_path = '' as $$\n"
        "begin\n  perform net.http_post(url := 'https://example.invalid/hook', body := new.payload);\n  return new;\nend;\n$$;\n"
        "create trigger events_notify after insert on public.events for each row execute function public.notify();\n"
        "insert into public.events (payload) values ('{\"a\": 1}');\n")
    report = shadow(project)
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert any("enabled extension pg_net" in n for n in report.notes)
