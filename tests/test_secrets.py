"""Everything a failing run prints is grepped for the password: it must never appear."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PASSWORD = "Tr0ub4dor-and-3-horses"


def run(args, env_extra=None, cwd=None):
    env = dict(os.environ, **(env_extra or {}))
    env.pop("PGRELEASE_DB_URL", None)
    proc = subprocess.run([sys.executable, "-m", "pgrelease", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_unreachable_host_with_password_in_url(project, fmt):
    project.add("20240101000001", "a", "create table a (id int);")
    code, out = run(["push", "--workdir", str(project.root), "--format", fmt, "--connect-timeout", "1",
                     "--db-url", f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/postgres"])
    assert code == 3 and PASSWORD not in out and "127.0.0.1:1" in out


def test_project_ref_password_from_env_unresolvable_host(project):
    project.add("20240101000001", "a", "create table a (id int);")
    code, out = run(["status", "--workdir", str(project.root), "--project-ref", "abcdefghijklmnopqrst",
                     "--db-host", "db.abcdefghijklmnopqrst.invalid", "--connect-timeout", "1"],
                    {"PGRELEASE_DB_PASSWORD": PASSWORD})
    assert code == 3 and PASSWORD not in out and "db.abcdefghijklmnopqrst.invalid:5432" in out


def test_wrong_password_and_failing_migration(server_dsn, fresh_db, project):
    project.add("20240101000001", "a", f"select '{PASSWORD[:3]}' || no_such_column;")
    code, out = run(["push", "--workdir", str(project.root), "--db-url", fresh_db.with_password(PASSWORD).url(reveal=True)])
    assert code == 3 and PASSWORD not in out and "password authentication failed" in out
    code, out = run(["push", "--workdir", str(project.root), "--db-url", fresh_db.url(reveal=True), "--format", "json"])
    assert code == 1 and fresh_db.password not in out


def test_password_flag_does_not_exist(project):
    code, out = run(["push", "--workdir", str(project.root), "--password", PASSWORD])
    assert code == 2 and "No such option" in out and PASSWORD not in out
