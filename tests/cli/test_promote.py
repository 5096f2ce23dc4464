"""`pgrelease promote` as the promotion workflow runs it: a production database, the local
GitHub API (gate status, default branch, environment, pull requests of commits) and a git
checkout whose history says which pull request brought which migration."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from tests.github.conftest import REPO, TOKEN
from tests.helpers import canary_login, echo_health_endpoint

CONFIRM = "CONFIRM PRODUCTION DEPLOYMENT"
PASSWORD = "Prod-canary-8d2b71"


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


@pytest.fixture
def checkout(example_workdir: Path) -> dict:
    """The example as a git repository: the first ten migrations came with PR #3, the last two
    with PR #5; HEAD is what is promoted."""
    root = example_workdir
    files = sorted((root / "supabase" / "migrations").glob("*.sql"))
    git(root, "init", "-q", "-b", "main")
    for extra in files[10:]:
        extra.rename(extra.with_suffix(".later"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first ten migrations (#3)")
    first = git(root, "rev-parse", "HEAD")
    for extra in files[10:]:
        extra.with_suffix(".later").rename(extra)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "reactions and schema version (#5)")
    head = git(root, "rev-parse", "HEAD")
    return {"root": root, "first": first, "head": head}


@pytest.fixture
def production(supabase_db: Dsn) -> Dsn:
    """Production with the Supabase baseline, reached as a login role whose password is the canary."""
    with canary_login(supabase_db, PASSWORD, "deploy") as dsn:
        yield dsn


@pytest.fixture
def github(github_api, checkout):
    github_api.add_token(TOKEN)
    github_api.add_repo(REPO, default_branch="main")
    github_api.add_status(REPO, checkout["head"], "success", context="pgrelease/gate")
    github_api.add_environment(REPO, "production", reviewers=["alice"])
    github_api.add_pull(REPO, 3, head_sha="1" * 40, merge_commit_sha=checkout["first"], state="closed", merged=True)
    github_api.add_pull(REPO, 5, head_sha="2" * 40, merge_commit_sha=checkout["head"], state="closed", merged=True)
    return github_api


def env_for(tmp_path: Path, api_url: str, sha: str, **extra: str | None) -> dict[str, str | None]:
    env = {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_EVENT_NAME": "workflow_dispatch",
           "GITHUB_EVENT_PATH": None, "GITHUB_REPOSITORY": REPO, "GITHUB_SHA": sha, "GITHUB_REF": "refs/heads/main",
           "GITHUB_ACTOR": "octocat", "GITHUB_API_URL": api_url, "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_RUN_ID": "777", "GITHUB_TOKEN": TOKEN, "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output.txt"), "RUNNER_TEMP": str(tmp_path), "PGRELEASE_CONFIRM": None,
           "PGRELEASE_DB_URL": None, "PGRELEASE_DB_PASSWORD": None, "PGRELEASE_FORMAT": None,
           "APP_SCHEMA_VERSION": None}
    env.update(extra)
    env.setdefault("GITHUB_WORKSPACE", None)
    return env


def promote(tmp_path, api_url, checkout, production: Dsn, *args: str, confirm: str = CONFIRM, **env):
    runner = CliRunner()
    argv = ["promote", "--workdir", str(checkout["root"]), "--db-url", production.url(reveal=True),
            "--confirm", confirm, *args]
    return runner.invoke(main, argv, env=env_for(tmp_path, api_url, checkout["head"], **env))


def audit_rows(dsn: Dsn) -> list[dict]:
    with connect(dsn) as conn:
        if conn.execute("select to_regclass('public.audit_log')").fetchone()[0] is None:
            return []
        return [dict(id=r[0], status=r[1], details=r[2]) for r in conn.execute(
            "select id, details->>'status', details from public.audit_log where action = 'deployment' order by id")]


def recorded(dsn: Dsn) -> list[str]:
    with connect(dsn) as conn:
        if conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone()[0] is None:
            return []
        return [r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations order by 1")]


def outputs(tmp_path: Path) -> dict[str, str]:
    text = (tmp_path / "output.txt").read_text()
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def no_canary(*texts: str) -> None:
    for text in texts:
        for line in text.splitlines():
            if not line.startswith("::add-mask::"):
                assert PASSWORD not in line and TOKEN not in line and quote(PASSWORD, safe="") not in line, line


class Listener:
    """A TCP port that counts the connections made to it (a database nobody may touch)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.accepted = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.sock.getsockname()[1]}/postgres"

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("typed", ["confirm production deployment", "CONFIRM PRODUCTION DEPLOYMENT ",
                                   " CONFIRM PRODUCTION DEPLOYMENT", "CONFIRM  PRODUCTION DEPLOYMENT", "",
                                   "CONFIRM PRODUCTION", "yes"])
def test_wrong_confirmation_touches_nothing(tmp_path, github_api, checkout, typed):
    listener = Listener()
    try:
        env = env_for(tmp_path, github_api.url, checkout["head"])
        result = CliRunner().invoke(main, ["promote", "--workdir", str(checkout["root"]), "--db-url", listener.url,
                                           "--confirm", typed, "--format", "text"], env=env)
    finally:
        listener.close()
    assert result.exit_code == 2, result.output
    assert "confirmation refused" in result.output and "type exactly CONFIRM PRODUCTION DEPLOYMENT" in result.output
    assert listener.accepted == 0 and github_api.requests == []
    assert "Traceback" not in result.output


def test_confirmation_from_the_environment_and_custom_text(tmp_path, github, checkout, production):
    result = promote(tmp_path, github.url, checkout, production, "--expect-confirm", "DEPLOY STAGING",
                     confirm="DEPLOY STAGING", **{"PGRELEASE_CONFIRM": "ignored: the flag wins"})
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("state", [None, "pending", "failure"])
def test_gate_not_passed_blocks(tmp_path, github_api, checkout, production, state):
    github_api.add_token(TOKEN)
    github_api.add_repo(REPO, default_branch="main")
    github_api.add_environment(REPO, "production", reviewers=["alice"])
    if state:
        github_api.add_status(REPO, checkout["head"], state, context="pgrelease/gate")
    github_api.add_status(REPO, checkout["head"], "success", context="another/check")
    result = promote(tmp_path, github_api.url, checkout, production)
    assert result.exit_code == 1, result.output
    assert f"pgrelease/gate is {state or 'missing'}" in result.output
    assert recorded(production) == [] and audit_rows(production) == []
    assert outputs(tmp_path)["result"] == "failed" and outputs(tmp_path)["audit-id"] == ""


def test_skip_gate_check_needs_a_reason_and_records_it(tmp_path, github_api, checkout, production):
    github_api.add_token(TOKEN)
    github_api.add_repo(REPO, default_branch="main")
    result = promote(tmp_path, github_api.url, checkout, production, "--skip-gate-check")
    assert result.exit_code == 2 and "--reason" in result.output and github_api.requests == []
    result = promote(tmp_path, github_api.url, checkout, production, "--skip-gate-check",
                     "--reason", f"hotfix, gate down (db {PASSWORD})")
    assert result.exit_code == 0, result.output
    (row,) = audit_rows(production)
    assert row["details"]["gate_check_skipped"] == "hotfix, gate down (db ***)"
    assert "environment production does not exist" in result.output  # a warning without --require-reviewers


def test_passing_promotion(tmp_path, github, checkout, production):
    result = promote(tmp_path, github.url, checkout, production, "--app-version", "1.1.0")
    assert result.exit_code == 0, result.output
    assert len(recorded(production)) == 12
    (row,) = audit_rows(production)
    details = row["details"]
    assert row["status"] == "succeeded"
    assert details["actor"] == "octocat" and details["commit"] == checkout["head"]
    assert details["confirmation"] == CONFIRM and len(details["applied"]) == 12
    assert details["run_url"] == f"https://github.com/{REPO}/actions/runs/777"
    assert details["preflight"]["gate passed"]["status"] == "ok"
    assert details["finished_at"] and details["duration_ms"] >= 0 and details["failed_step"] is None
    out = outputs(tmp_path)
    assert out["result"] == "ok" and out["applied"] == "12" and out["audit-id"] == str(row["id"])
    report = json.loads(Path(out["report"]).read_text())
    assert [s["name"] for s in report["steps"]] == ["preflight", "impact", "audit", "apply", "verify", "drift",
                                                     "guard", "health", "comment"]
    summary = (tmp_path / "summary.md").read_text()
    assert "deployed to production" in summary and f"audit row `{row['id']}`" in summary
    assert "- [x] Schema version: database schema 1.1.0 matches the application" in summary
    assert "- [ ] Logs:" in summary and "- [x] Database health" in summary
    comments = {n: github.comments_on(REPO, n) for n in (3, 5)}
    assert len(comments[3]) == 1 and len(comments[5]) == 1
    assert "20250106090000" in comments[3][0].body and "20250210090000" not in comments[3][0].body
    assert "20250210090000" in comments[5][0].body and "**production**" in comments[5][0].body
    no_canary(result.output, summary, (tmp_path / "output.txt").read_text(), Path(out["report"]).read_text(),
              json.dumps(details), *(c.body for cs in comments.values() for c in cs))
    again = promote(tmp_path, github.url, checkout, production)
    assert again.exit_code == 0 and len(audit_rows(production)) == 2  # nothing pending: still audited
    assert audit_rows(production)[1]["details"]["applied"] == []


def test_failing_migration_marks_the_row_failed(tmp_path, github, checkout, production):
    bad = checkout["root"] / "supabase" / "migrations" / "20250301000000_broken.sql"
    bad.write_text("create table public.ok_first (id int);\nalter table public.ok_first enable row level security;\n"
                   "select no_such_function();\n")
    git(checkout["root"], "add", "-A")
    git(checkout["root"], "commit", "-q", "-m", "broken")
    head = git(checkout["root"], "rev-parse", "HEAD")
    github.add_status(REPO, head, "success", context="pgrelease/gate")
    checkout = {**checkout, "head": head}
    result = promote(tmp_path, github.url, checkout, production)
    assert result.exit_code == 1, result.output
    assert len(recorded(production)) == 12, result.output  # the earlier ones stay applied and recorded
    (row,) = audit_rows(production)
    assert row["status"] == "failed" and row["details"]["failed_step"] == "apply"
    assert "no_such_function" in row["details"]["error"] and len(row["details"]["applied"]) == 12


def test_lint_error_fails_preflight_naming_the_finding(tmp_path, github, checkout, production):
    (checkout["root"] / "supabase" / "migrations" / "20250301000000_open.sql").write_text(
        "create table public.open_to_all (id int);\n")
    result = promote(tmp_path, github.url, checkout, production, "--skip-gate-check", "--reason", "lint test")
    assert result.exit_code == 1
    assert "; first: require-rls at supabase/migrations/20250301000000_open.sql:1: table public.open_to_all" \
        in result.output
    assert recorded(production) == [] and audit_rows(production) == []


def test_audit_table_without_a_needed_column_fails_preflight(tmp_path, github, checkout, production):
    with connect(production) as conn:
        conn.execute("create table public.audit_log (id bigint generated always as identity, actor text,"
                     " happened text not null)")
    result = promote(tmp_path, github.url, checkout, production)
    assert result.exit_code == 2, result.output
    assert "audit table public.audit_log cannot take pgrelease's rows: column action is missing; column details is" \
           " missing; column happened is NOT NULL without a default" in result.output
    assert recorded(production) == []


def test_missing_audit_table_is_created(tmp_path, github, checkout, production):
    migrations = checkout["root"] / "supabase" / "migrations"
    # a project without its own audit table: the promotion creates pgrelease's
    (migrations / "20250106090500_audit_log.sql").unlink()
    smoke = checkout["root"] / "scripts" / "smoke.sql"
    smoke.write_text(smoke.read_text().replace("perform 1 from public.audit_log limit 1;", ""))
    result = promote(tmp_path, github.url, checkout, production, "--audit-table", "public.deployments")
    assert result.exit_code == 0, result.output
    assert "public.deployments created" in result.output
    with connect(production) as conn:
        rows = conn.execute("select actor, action, target, details->>'status' from public.deployments").fetchall()
    assert rows == [("octocat", "deployment", "production", "succeeded")]


def test_killed_promotion_is_abandoned_by_the_next(tmp_path, github, checkout, production):
    slow = checkout["root"] / "supabase" / "migrations" / "20250301000000_slow.sql"
    slow.write_text("select pg_sleep(10);\n")  # long enough to be killed in; the impact probe runs it too
    env = {k: v for k, v in env_for(tmp_path, github.url, checkout["head"]).items() if v is not None}
    env.update(PATH=os.environ["PATH"], HOME=os.environ.get("HOME", "/tmp"), GITHUB_ACTIONS="false")
    env.pop("GITHUB_OUTPUT"); env.pop("GITHUB_STEP_SUMMARY")  # noqa: E702
    argv = [sys.executable, "-m", "pgrelease", "promote", "--workdir", str(checkout["root"]), "--db-url",
            production.url(reveal=True), "--confirm", CONFIRM, "--skip-gate-check", "--reason", "kill test",
            "--format", "json"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = audit_rows(production)
            if rows and rows[0]["status"] == "started" and len(recorded(production)) == 12:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the promotion never reached its slow migration")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    slow.write_text("select 1;\n")
    result = promote(tmp_path, github.url, checkout, production, "--skip-gate-check", "--reason", "after the kill",
                     "--lock-wait", "30")
    assert result.exit_code == 0, result.output
    first, second = audit_rows(production)
    assert first["status"] == "abandoned" and second["status"] == "succeeded"
    assert "marked 1 earlier deployment row(s) abandoned" in result.output
    assert "20250301000000" in recorded(production)


def test_unreachable_production_is_an_environment_failure(tmp_path, github, checkout):
    closed = Dsn.parse("postgresql://postgres@127.0.0.1:9/postgres")
    result = promote(tmp_path, github.url, checkout, closed, "--connect-timeout", "2")
    assert result.exit_code == 3, result.output
    assert "::error" in result.output and "Traceback" not in result.output


def test_refused_files_fail_preflight_all_at_once(tmp_path, github, checkout, production):
    migrations = checkout["root"] / "supabase" / "migrations"
    (migrations / "20250301000000_rollback.sql").write_text("begin;\ncreate table public.x (id int);\nrollback;\n")
    (migrations / "20250302000000_meta.sql").write_text("\\set ON_ERROR_STOP on\nselect 1;\n")
    result = promote(tmp_path, github.url, checkout, production, "--skip-gate-check", "--reason", "refused files",
                     "--format", "json")
    assert result.exit_code == 2, result.output
    report = json.loads(result.output[result.output.index("{"):])
    files = {e.get("file") for e in report["errors"]}
    assert {"supabase/migrations/20250301000000_rollback.sql", "supabase/migrations/20250302000000_meta.sql"} <= files
    assert recorded(production) == [] and audit_rows(production) == []


# -- every format, a canary in every place a secret can enter ------------------------------------
SSL_PW = "Prod-sslpw-7c3e90"       # ?sslpassword= in the production URL
ENV_PW = "Prod-envpw-2a6f18"       # PGRELEASE_DB_PASSWORD
OTHER_PW = "Prod+other/4d9b=e1"    # the health endpoint's and Redis's passwords (need percent-encoding)


@pytest.fixture
def echo_health():
    """A health endpoint whose reply echoes the request's Authorization header and path."""
    with echo_health_endpoint() as port:
        yield f"http://app:{quote(OTHER_PW, safe='')}@127.0.0.1:{port}/health?token={TOKEN}"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
@pytest.mark.parametrize("echo", ["raise", "warning"])
def test_no_canary_in_any_format_when_the_server_echoes_them(tmp_path, github, checkout, supabase_db, echo_health,
                                                             echo, fmt):
    """Production's password, its ?sslpassword=, PGRELEASE_DB_PASSWORD, GITHUB_TOKEN and the
    health endpoint's and Redis's passwords; the server echoes them (from role settings, not
    from the file) in a failing migration's MESSAGE/DETAIL/HINT, or in a WARNING of one that
    succeeds; the endpoint echoes its Basic authorization. None of them in stdout/stderr, the job
    summary, the step outputs, the report file, the audit row or the pull request comments."""
    from pgrelease import secrets
    from tests.checks.conftest import free_port

    with canary_login(supabase_db, PASSWORD, "prodcn") as production:
        production = production.with_params(sslpassword=SSL_PW)
        settings = {"app.db_url": production.url(reveal=True), "app.env_secrets": f"env={ENV_PW} token={TOKEN}"}
        with connect(supabase_db) as conn:
            for name, value in settings.items():
                conn.execute(f"alter role {production.user} set {name} = '{value}'")
        level = "exception" if echo == "raise" else "warning"
        (checkout["root"] / "supabase" / "migrations" / "20250301000000_echo.sql").write_text(f"""do $$ begin
  raise {level} using message = 'cannot use ' || coalesce(current_setting('app.db_url', true), 'a shadow'),
    detail = 'known ' || coalesce(current_setting('app.env_secrets', true), 'nothing'), hint = 'see the settings';
end $$;
""")  # the drift replay's shadow has no such settings
        git(checkout["root"], "add", "-A")
        git(checkout["root"], "commit", "-q", "-m", "echo (#5)")
        head = git(checkout["root"], "rev-parse", "HEAD")
        github.add_status(REPO, head, "success", context="pgrelease/gate")
        github.add_pull(REPO, 6, head_sha="3" * 40, merge_commit_sha=head, state="closed", merged=True)
        redis_url = f"redis://:{quote(OTHER_PW, safe='')}@127.0.0.1:{free_port()}/0"
        secrets.forget_all()  # only what the promotion itself learns may mask its output
        result = promote(tmp_path, github.url, {**checkout, "head": head}, production, "--format", fmt,
                         "--health-url", echo_health, "--redis-url", redis_url, "--redis-prefix", "prod:",
                         "--app-version", "1.1.0", PGRELEASE_DB_PASSWORD=ENV_PW)
        rows = audit_rows(production)
    texts = [result.output, getattr(result, "stderr", "") if result.stderr_bytes is not None else ""]
    for name in ("summary.md", "output.txt"):
        if (tmp_path / name).exists():
            texts.append((tmp_path / name).read_text())
    texts += [p.read_text() for p in tmp_path.glob("*.json")]
    texts += [json.dumps(row["details"]) for row in rows]
    texts += [c.body for n in (3, 5, 6) for c in github.comments_on(REPO, n)]
    joined = "\n".join(texts).replace('\\"', '"')
    assert "Traceback" not in joined and "password authentication failed" not in joined
    assert rows, joined[-3000:]  # connected and audited
    if echo == "raise":
        assert result.exit_code == 1, joined[-3000:]
        assert "cannot use postgresql://" in joined and "cannot use postgresql://" in json.dumps(rows[-1]["details"])
    else:  # applied, then the health check fails on the endpoint's reply
        assert result.exit_code == 1, result.output[-4000:]
        assert "but status is" in joined and "/health?token=" in joined  # the endpoint's echo reached the report
        assert github.comments_on(REPO, 6), "the promotion commented on the pull request"
    forms = set()
    for secret in (PASSWORD, SSL_PW, ENV_PW, OTHER_PW, TOKEN):
        forms |= {secret, quote(secret, safe=""), quote(secret), base64_forms(secret)}
    forms.add(base64_forms(f"app:{OTHER_PW}"))
    forms |= {form[i:i + 8] for form in list(forms) for i in range(len(form) - 7)}  # a part is a leak too
    for text in texts:
        for line in text.splitlines():
            if not line.startswith("::add-mask::"):
                assert not any(form in line for form in forms), f"secret leaked: {line[:300]}"


def base64_forms(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode().rstrip("=")


# -- the impact step: each pending migration's locks, sized on production; [impact] blocks ----------
def _apply_first_ten(production: Dsn, root: Path) -> list[str]:
    from pgrelease.migrations.apply import PushOptions, push
    from pgrelease.migrations.files import MigrationSet, discover

    migrations = discover(root)
    first = MigrationSet(migrations.directory, migrations.files[:10])
    assert push(production, first, PushOptions(lock_wait=5)).failure is None
    with connect(production) as conn:  # sizes to report: a few rows in posts, then analyze
        conn.execute("analyze")
    return [m.version for m in first.files]


def test_promotion_shows_each_pending_migrations_locks_with_production_sizes(tmp_path, github, checkout, production):
    applied = _apply_first_ten(production, checkout["root"])
    result = promote(tmp_path, github.url, checkout, production)
    assert result.exit_code == 0, result.output
    report = json.loads(Path(outputs(tmp_path)["report"]).read_text())
    impact = next(s for s in report["steps"] if s["name"] == "impact")
    measured = impact["data"]["impact"]
    assert measured["sizes"] is True and [m["version"] for m in measured["migrations"]] == [
        "20250203100000", "20250210090000"]
    reactions = measured["migrations"][0]
    posts = [lock for stmt in reactions["statements"] for lock in stmt["locks"] if lock["relation"] == "public.posts"]
    assert posts and posts[0]["mode"] == "SHARE ROW EXCLUSIVE" and "size_bytes" in posts[0]  # the foreign key
    summary = (tmp_path / "summary.md").read_text()
    assert "Locks and rewrites" in summary and "size on production" in summary and "`public.posts`" in summary
    assert recorded(production) == sorted(applied + ["20250203100000", "20250210090000"])


def test_impact_policy_failure_blocks_the_promotion(tmp_path, github, checkout, production):
    applied = _apply_first_ten(production, checkout["root"])
    (checkout["root"] / "pgrelease.toml").write_text('[impact]\nfail_on = ["SHARE ROW EXCLUSIVE"]\n')
    result = promote(tmp_path, github.url, checkout, production, "--format", "text")
    assert result.exit_code == 1, result.output
    assert "impact policy" in result.output and "public.posts" in result.output
    assert "the [impact] policy failed: nothing was applied or audited" in result.output
    assert recorded(production) == applied and audit_rows(production) == []


def test_impact_max_zero_skips_the_step(tmp_path, github, checkout, production):
    result = promote(tmp_path, github.url, checkout, production, "--impact-max", "0")
    assert result.exit_code == 0, result.output
    report = json.loads(Path(outputs(tmp_path)["report"]).read_text())
    impact = next(s for s in report["steps"] if s["name"] == "impact")
    assert impact["status"] == "skipped" and "--impact-max 0" in impact["skipped"]


def test_cancel_blockers_after_ends_an_idle_production_session_and_audits_it(tmp_path, github, checkout, production):
    import psycopg

    applied = _apply_first_ten(production, checkout["root"])
    blocker = psycopg.connect(production.conninfo(), autocommit=False, application_name="forgotten-console")
    blocker.execute("lock table public.posts in row exclusive mode")  # conflicts with the new foreign key's lock
    pid = blocker.info.backend_pid
    try:
        result = promote(tmp_path, github.url, checkout, production, "--lock-timeout", "100ms",
                         "--cancel-blockers-after", "300ms")
    finally:
        blocker.close()
    assert result.exit_code == 0, result.output
    assert recorded(production) == sorted(applied + ["20250203100000", "20250210090000"])
    (row,) = audit_rows(production)
    (ended,) = row["details"]["terminated_blockers"]
    assert ended["pid"] == pid and ended["terminated"] and ended["application"] == "forgotten-console"
    summary = (tmp_path / "summary.md").read_text()
    assert f"terminated the blocking session pid {pid}" in summary
    no_canary(result.output, summary)
