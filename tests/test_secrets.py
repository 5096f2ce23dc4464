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


# -- what the server or an endpoint echoes back -------------------------------------------------
CANARY = "Canary-9f3c2e71"
TOKEN = "ghs_CanaryToken5b8d0a1e"


def forms(secret: str) -> set[str]:
    import base64
    from urllib.parse import quote

    return {secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode().rstrip("=")}


def assert_clean(out: str, *secrets: str) -> None:
    for line in out.splitlines():
        if line.startswith("::add-mask::"):
            continue
        for secret in secrets:
            for form in forms(secret):
                assert form not in line, f"{form!r} leaked: {line[:300]}"


@pytest.fixture
def canary_dsn(fresh_db):
    """The test database, reached as a login role whose password is the canary."""
    from tests.helpers import canary_login

    with canary_login(fresh_db, CANARY) as dsn:
        yield dsn


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_server_messages_echoing_secrets_are_scrubbed(canary_dsn, project, tmp_path, fmt):
    dsn = canary_dsn
    echoed = dsn.url(reveal=True)
    project.add("20240101000001", "leaks", f"""do $$ begin
  raise exception 'cannot use %', '{echoed}'
    using detail = 'password {CANARY} from {echoed}', hint = 'token {TOKEN}';
end $$;""")
    project.add("20240101000002", "notx", f"-- pgrelease: no-transaction\nselect current_setting('x.{CANARY}');\n")
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    code, out = run(["push", "--workdir", str(project.root), "--db-url", echoed, "--format", fmt], env)
    assert code == 1, out
    assert "cannot use postgresql://" in out
    written = summary.read_text() if summary.exists() else ""
    assert_clean(out + written, CANARY, TOKEN)
    (project.migrations / "20240101000001_leaks.sql").write_text("select 1;\n")
    code, out = run(["push", "--workdir", str(project.root), "--db-url", echoed, "--format", fmt], env)
    assert code == 1 and "x." in out  # the no-transaction file fails naming the (masked) setting
    assert_clean(out, CANARY, TOKEN)


def test_secret_url_parameters_never_render():
    from pgrelease.db.dsn import Dsn

    for url in (f"postgresql://u:{CANARY}@h/db?password=other-{CANARY}",
                f"postgresql://u@h/db?password={CANARY}&sslmode=require",
                f"postgresql://u@h/db?sslpassword={CANARY}",
                f"host=h user=u password={CANARY} sslpassword={CANARY}x"):
        dsn = Dsn.parse(url)
        for shown in (str(dsn), repr(dsn), dsn.masked(), str(dsn.to_dict())):
            assert CANARY not in shown, shown


def test_health_url_credentials_and_echoing_endpoint(tmp_path):
    import base64
    import http.server
    import json as jsonlib
    import threading

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            body = jsonlib.dumps({"status": f"ok {self.headers.get('Authorization')} {self.path}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # noqa: ANN002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://app:{CANARY}@127.0.0.1:{server.server_address[1]}/health?token={TOKEN}"
        for fmt in ("text", "json", "github"):
            code, out = run(["health", "--url", url, "--format", fmt])
            assert code in (0, 1), out
            assert "ok Basic" in out or "Basic" in out or fmt == "text"
            assert_clean(out, CANARY, TOKEN, f"app:{CANARY}")
            assert base64.b64encode(f"app:{CANARY}".encode()).decode() not in out
    finally:
        server.shutdown()
