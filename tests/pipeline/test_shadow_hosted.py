"""Shadow replays of hosted Supabase habits: the extensions it offers (and refuses), the roles a
project uses without creating them (supabase/roles.sql, the target's own roles), and the shadow's
major version following the target's."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import replace
from pathlib import Path

import json

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.errors import MigrationFailed
from pgrelease.db.baseline import apply_supabase_baseline
from pgrelease.db.connect import connect
from pgrelease.db.embedded import find_binaries, local_installation
from pgrelease.db.roles import RoleSpec, create_roles, target_roles
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover
from pgrelease.pipeline.drift import DriftOptions, drift
from pgrelease.pipeline.gate import GateOptions, gate
from pgrelease.commands import shadow
from pgrelease.pipeline.shadow import ShadowOptions, replayed_shadow, shadow_binaries_for_target

HOSTED = Path(__file__).resolve().parents[1] / "fixtures" / "hosted"
EMBEDDED_MAJOR = find_binaries(None).major
PG15 = local_installation(15)


@pytest.fixture(autouse=True)
def _no_pg_bin(monkeypatch):
    monkeypatch.delenv("PGRELEASE_PG_BIN", raising=False)


def project(tmp_path: Path, files: dict[str, str], roles_sql: str | None = None) -> Path:
    root = tmp_path / "p"
    (root / "supabase" / "migrations").mkdir(parents=True)
    for name, text in files.items():
        (root / "supabase" / "migrations" / name).write_text(text)
    if roles_sql is not None:
        (root / "supabase" / "roles.sql").write_text(roles_sql)
    return root


# -- item 2: extensions ---------------------------------------------------------------------------
def test_project_with_hosted_extensions_replays_and_sees_pgmq_15():
    report = shadow(HOSTED / "extensions")
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert [m.status for m in report.migrations] == ["applied"] * 3


def test_timescaledb_project_replays_for_postgresql_15_and_is_refused_for_17(tmp_path):
    report = shadow(HOSTED / "timeseries")
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    with pytest.raises(Exception) as info:
        with replayed_shadow(HOSTED / "timeseries", ShadowOptions(target_major=17)):
            pass
    err = info.value
    assert err.sqlstate == "0A000" and err.exit_code == 1
    assert err.message == "extension timescaledb is not available on Supabase (PostgreSQL 17 projects)"
    assert "only on PostgreSQL 15" in err.hint and err.line == 2 and err.file.endswith("_metrics.sql")


def test_extension_supabase_does_not_offer_fails_as_hosted_fails(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int);\n",
                              "20250101000001_py.sql": "-- scoring in python\n\ncreate extension plpython3u;\n"})
    res = CliRunner().invoke(main, ["shadow", "--workdir", str(root), "--format", "json"])
    assert res.exit_code == 1, res.output  # a failed migration, as on hosted Supabase; not "install it" (3)
    report = json.loads(res.stdout)
    [err] = report["errors"]
    assert err["sqlstate"] == "0A000" and err["message"] == "extension plpython3u is not available on Supabase"
    assert err["file"].endswith("20250101000001_py.sql") and err["line"] == 3
    assert "does not offer" in err["hint"] and "apt-get" not in err["hint"]
    assert report["applied"] == []  # refused before anything replayed


# -- item 4: roles ----------------------------------------------------------------------------------
def test_roles_sql_is_applied_before_the_replay():
    with replayed_shadow(HOSTED / "roles", ShadowOptions()) as run:
        assert run.ok, run.failure
        assert any("supabase/roles.sql" in n for n in run.notes)
        with connect(run.dsn) as conn:
            assert conn.execute("select has_table_privilege('reporting', 'public.daily_totals', 'select')").fetchone()[0]


def test_without_roles_sql_the_grant_fails(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(HOSTED / "roles", root)
    (root / "supabase" / "roles.sql").unlink()
    report = shadow(root)
    assert report.exit_code == 1 and report.errors[0].sqlstate == "42704"


def test_a_failing_roles_sql_names_its_line(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "select 1;\n"},
                   roles_sql="CREATE ROLE \"x_ok\";\nALTER ROLE \"no_such_role_here\" WITH LOGIN;\n")
    with pytest.raises(MigrationFailed) as info:
        with replayed_shadow(root, ShadowOptions()):
            pass
    err = info.value
    assert err.file == "supabase/roles.sql" and err.line == 2 and err.sqlstate == "42704"


@pytest.fixture
def target_with_role(supabase_db):
    """Staging as hosted Supabase has it, plus a role made in the dashboard (not in any migration)."""
    role = f"analyst_{uuid.uuid4().hex[:8]}"
    with connect(supabase_db) as conn:
        conn.execute(f"create role {role} nologin noinherit bypassrls connection limit 3")
        conn.execute(f"grant authenticated to {role}")
    yield supabase_db, role
    with connect(supabase_db) as conn:
        conn.execute(f"drop owned by {role}")
        conn.execute(f"drop role {role}")


def grant_project(tmp_path: Path, role: str) -> Path:
    return project(tmp_path, {"20250101000000_t.sql": "create table public.t (id int primary key);\n"
                                                      "alter table public.t enable row level security;\n"
                                                      f"grant select on public.t to {role};\n"})


def test_target_roles_reads_names_and_attributes_never_passwords(target_with_role):
    target, role = target_with_role
    with connect(target) as conn:
        specs = {s.name: s for s in target_roles(conn)}
    assert specs[role] == RoleSpec(role, inherit=False, bypassrls=True, connlimit=3, member_of=("authenticated",))
    assert not {"anon", "authenticated", "service_role", "postgres", "supabase_admin", target.user} & set(specs)
    assert all(not name.startswith("pg_") for name in specs)


def test_create_roles_makes_what_the_shadow_lacks(supabase_db, make_db):
    spec = RoleSpec(f"writer_{uuid.uuid4().hex[:8]}", login=True, member_of=("authenticated", "no_such_group"))
    try:
        with connect(supabase_db) as conn:
            assert create_roles(conn, [spec]) == [spec.name]
            assert create_roles(conn, [spec]) == []  # cluster-wide: made once
            row = conn.execute("select rolcanlogin, pg_has_role(%s, 'authenticated', 'member') from pg_roles"
                               " where rolname = %s", (spec.name, spec.name)).fetchone()
            assert row == (True, True)
    finally:
        with connect(supabase_db) as conn:
            conn.execute(f"drop role if exists {spec.name}")


def test_drift_creates_the_targets_roles_on_the_shadow(target_with_role, tmp_path):
    target, role = target_with_role
    root = grant_project(tmp_path, role)
    assert push(target, discover(root), PushOptions(lock_wait=5)).failure is None
    result = drift(root, target, DriftOptions())
    assert result.replay is not None and result.replay.ok, result.replay.failure if result.replay else None
    assert any(role in n and "no passwords" in n for n in result.notes)
    assert result.diff is not None and not result.diff.has_changes, result.diff


def test_gate_creates_the_staging_roles_on_the_shadow(target_with_role, tmp_path):
    target, role = target_with_role
    root = grant_project(tmp_path, role)
    run = gate(root, GateOptions(staging=target, push_options=PushOptions(lock_wait=10, include_all=True)))
    status = {s.name: s.status for s in run.report.steps}
    assert status["shadow"] in ("ok", "warning") and status["push"] == "ok", run.report.to_dict()
    shadow_step = next(s for s in run.report.steps if s.name == "shadow")
    assert any(role in n for n in shadow_step.notes)


# -- item 6: the shadow's major -----------------------------------------------------------------------
def test_target_major_of_the_embedded_server_changes_nothing(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "select 1;\n"})
    options = ShadowOptions(target_major=EMBEDDED_MAJOR)
    assert shadow_binaries_for_target(options, discover(root)) == (options, [])


def test_explicit_pg_bin_wins(tmp_path, monkeypatch):
    root = project(tmp_path, {"20250101000000_a.sql": "select 1;\n"})
    options = ShadowOptions(target_major=15, pg_bin="/somewhere/bin")
    assert shadow_binaries_for_target(options, discover(root)) == (options, [])
    monkeypatch.setenv("PGRELEASE_PG_BIN", "/elsewhere/bin")
    assert shadow_binaries_for_target(ShadowOptions(target_major=15), discover(root))[1] == []


def test_no_local_installation_of_the_targets_major_warns_once(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int);\n"})
    with replayed_shadow(root, ShadowOptions(target_major=16)) as run:
        assert run.ok
        warnings = [w for w in run.warnings if "the shadow runs PostgreSQL" in w]
        assert warnings == [f"the shadow runs PostgreSQL {EMBEDDED_MAJOR} and the target 16: no local PostgreSQL 16"
                            " installation was used (install it, e.g. apt-get install postgresql-16, or pass"
                            " --pg-bin /usr/lib/postgresql/16/bin, or --shadow-url with a PostgreSQL 16 server),"
                            f" so syntax only PostgreSQL {EMBEDDED_MAJOR} accepts passes the shadow"]


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_a_local_installation_of_the_targets_major_is_the_default(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create extension if not exists pg_trgm with schema extensions;\n"
                                                      "create table public.a (id int);\n"})
    with replayed_shadow(root, ShadowOptions(target_major=15)) as run:
        assert run.ok and run.server_version.startswith("15") and "PostgreSQL 15" in run.label
        assert not [w for w in run.warnings if "the shadow runs PostgreSQL" in w]


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_local_installation_lacking_an_extension_keeps_the_embedded_server(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create extension if not exists pg_net with schema extensions;\n"})
    with replayed_shadow(root, ShadowOptions(target_major=15)) as run:
        assert run.ok and run.server_version.startswith(str(EMBEDDED_MAJOR))
        [warning] = [w for w in run.warnings if "the shadow runs PostgreSQL" in w]
        assert warning.startswith(f"the local PostgreSQL 15 ({PG15}) lacks pg_net")


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_drift_against_a_postgresql_15_target_replays_on_15(tmp_path):
    from pgrelease.db.embedded import EmbeddedServer

    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int primary key);\n"})
    with EmbeddedServer(bin_dir=str(PG15)) as server:
        with connect(server.dsn) as conn:
            apply_supabase_baseline(conn)
        assert push(server.dsn, discover(root), PushOptions(lock_wait=5)).failure is None
        result = drift(root, server.dsn, DriftOptions())
    assert result.replay.server_version.startswith("15") and not result.drifted
    assert not any("the shadow runs PostgreSQL" in n for n in result.notes + result.warnings)
