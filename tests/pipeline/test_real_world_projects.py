"""Shadow, lint and drift on migration sets written the way real Supabase projects write them.

The projects under tests/pipeline/real_world/ follow the styles found in public repositories:

- dbpull_pg15: a `supabase db pull` dump of a project from the PostgreSQL 15 generation
  (``SET ...``, ``CREATE EXTENSION IF NOT EXISTS "pgsodium" WITH SCHEMA "pgsodium"``, owners,
  grants, default privileges, ``RESET ALL``), then a `supabase db diff` migration and a dump
  with "schema changes for auth and storage".
- queues_mfa: Supabase Queues switched on from the dashboard (pgmq), a queue fed by a signup
  trigger, an RLS helper reading auth.mfa_factors, Realtime Authorization on realtime.messages.
- hosted_versions, vector_pinned, net_before_create, timescale_rebuild, postgis_places: extension
  habits of public projects (each file names the project it follows): versions pinned as the
  dashboard and `supabase db diff` write them, `alter extension ... update to`, pg_cron created
  `with schema extensions`, pg_net used before a later file creates it, a hypertable rebuilt,
  postgis on a PostgreSQL 15 project; replayed on the embedded 18 and on Debian's 15.

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



# ------------------------------------------------------------------------------------------
# extensions as hosted Supabase has them, on the embedded 18 and on Debian's PostgreSQL 15
# (excerpts of public projects' migrations, each file naming its source)
# ------------------------------------------------------------------------------------------
PG15_BIN = Path("/usr/lib/postgresql/15/bin")
ON_BOTH = ["pg18", pytest.param("pg15", marks=pytest.mark.skipif(
    not (PG15_BIN / "postgres").exists(), reason="no PostgreSQL 15 at /usr/lib/postgresql/15/bin"))]


def _shadow_on(project: Path, server: str):
    from pgrelease.pipeline.shadow import ShadowOptions

    return shadow(project, ShadowOptions(pg_bin=str(PG15_BIN) if server == "pg15" else None))


@pytest.mark.parametrize("server", ON_BOTH)
@pytest.mark.parametrize("project", [
    "hosted_versions",  # pinned pgmq 1.4.4 from the dashboard, pg_net/pg_jsonschema/pg_hashids pinned, updates
    "net_before_create",  # GRANT ... ON SCHEMA net before a later file creates pg_net IF NOT EXISTS
    "timescale_rebuild",  # a hypertable dropped and made again (PostgreSQL 15 projects' timescaledb)
])
def test_extension_habits_replay(project, server):
    report = _shadow_on(REAL_WORLD / project, server)
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert {m.status for m in report.migrations} == {"applied"}


def test_pg_net_used_before_it_is_created_is_enabled_from_the_start():
    parsed = _parsed(REAL_WORLD / "net_before_create")
    created, implied = required_extensions(parsed)
    assert "pg_net" in created and "pg_net" in implied
    # created first (or without IF NOT EXISTS, which would fail on a project that had it): not implied
    assert "pgmq" not in required_extensions(_parsed(REAL_WORLD / "hosted_versions"))[1]


@pytest.mark.parametrize("server", ON_BOTH)
def test_pinned_pgvector_replays_where_the_server_has_pgvector(server):
    """vector 0.8.0 pinned (hosted's) on the wheel's pgvector 0.8.6; Debian has no pgvector for 15:
    the run stops before anything runs (exit 3), naming the extension and the package."""
    from pgrelease.errors import EnvironmentFailure

    if server == "pg18":
        report = _shadow_on(REAL_WORLD / "vector_pinned", server)
        assert report.exit_code == 0, [e.to_dict() for e in report.errors]
        return
    with pytest.raises(EnvironmentFailure) as failure:
        _shadow_on(REAL_WORLD / "vector_pinned", server)
    assert failure.value.exit_code == 3 and "extension vector" in str(failure.value)
    assert "postgresql-15-pgvector" in failure.value.hint


@pytest.mark.parametrize("server", ON_BOTH)
def test_postgis_replays_on_15_and_the_embedded_18_names_the_installation_to_use(server):
    from pgrelease.errors import EnvironmentFailure

    has_postgis = (Path("/usr/share/postgresql/15/extension") / "postgis.control").exists()
    if server == "pg15":
        if not has_postgis:
            pytest.skip("Debian postgresql-15-postgis-3 is not installed (scripts/test.sh installs it)")
        report = _shadow_on(REAL_WORLD / "postgis_places", server)
        assert report.exit_code == 0, [e.to_dict() for e in report.errors]
        return
    with pytest.raises(EnvironmentFailure) as failure:
        _shadow_on(REAL_WORLD / "postgis_places", server)
    assert failure.value.exit_code == 3 and "\n" not in failure.value.hint
    if has_postgis:
        assert f"pass --pg-bin {PG15_BIN}" in failure.value.hint
    res = run_cli("shadow", "--workdir", REAL_WORLD / "postgis_places", "--format", "json")
    assert res.exit_code == 3
