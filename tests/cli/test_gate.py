"""`pgrelease gate` as GitHub Actions runs it: the environment and event file Actions sets,
a real staging database, the embedded shadow, and the local GitHub API that checks every
request against GitHub's OpenAPI description."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from tests.github.conftest import HEAD_SHA, PR, REPO, TOKEN
from tests.helpers import canary_login

PASSWORD = "Canary-pw-5f1e9c"  # the staging password: must never show
MARKER = "<!-- pgrelease:gate workdir="


@pytest.fixture
def workdir(example_workdir: Path) -> Path:
    return example_workdir


@pytest.fixture
def staging_url(supabase_db: Dsn) -> Iterator[str]:
    """Staging with the Supabase baseline, reached as a login role whose password is the
    canary; its sessions act as the server's own superuser (hosted Supabase runs migrations as
    `postgres`, whose default privileges the baseline sets), so the objects are owned alike."""
    with canary_login(supabase_db, PASSWORD, "gate") as dsn:
        yield dsn.url(reveal=True)


class Actions:
    """The files and variables a GitHub Actions job gives a step."""

    def __init__(self, root: Path, api_url: str, *, head_repo: str = REPO) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.event = root / "event.json"
        self.event.write_text(json.dumps({"pull_request": {
            "number": PR, "head": {"sha": HEAD_SHA, "repo": {"full_name": head_repo}},
            "base": {"ref": "main", "repo": {"full_name": REPO}}}}))
        self.summary = root / "summary.md"
        self.output = root / "output.txt"
        self.temp = root / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.api_url = api_url

    def env(self, **extra: str) -> dict[str, str]:
        env = {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_EVENT_NAME": "pull_request",
               "GITHUB_EVENT_PATH": str(self.event), "GITHUB_REPOSITORY": REPO, "GITHUB_SHA": "0" * 40,
               "GITHUB_API_URL": self.api_url, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "4242",
               "GITHUB_TOKEN": TOKEN, "GITHUB_STEP_SUMMARY": str(self.summary), "GITHUB_OUTPUT": str(self.output),
               "RUNNER_TEMP": str(self.temp), "PGRELEASE_DB_URL": None, "PGRELEASE_DB_PASSWORD": None,
               "PGRELEASE_FORMAT": None, "APP_SCHEMA_VERSION": None}
        env.update(extra)
        return env

    def outputs(self) -> dict[str, str]:
        return dict(line.split("=", 1) for line in self.output.read_text().splitlines() if "=" in line)


def run_gate(actions: Actions, workdir: Path, *args: str, **env: str):
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    env.setdefault("GITHUB_WORKSPACE", str(workdir))  # the checkout: the project sits at its root
    return runner.invoke(main, ["gate", "--workdir", str(workdir), *args], env=actions.env(**env))


@pytest.fixture
def actions(tmp_path: Path, github_api, pr_context) -> Actions:
    return Actions(tmp_path / "actions", github_api.url)


def gate_comments(github_api):
    return [c for c in github_api.comments_on(REPO, PR) if MARKER in c.body]


def assert_no_canary(*texts: str) -> None:
    forms = {PASSWORD, quote(PASSWORD, safe=""), TOKEN, base64.b64encode(PASSWORD.encode()).decode().rstrip("="),
             base64.b64encode(TOKEN.encode()).decode().rstrip("=")}
    for text in texts:
        for line in text.splitlines():
            if line.startswith("::add-mask::"):
                continue  # the runner hides these lines and every later occurrence of the value
            for form in forms:
                assert form not in line, f"secret leaked: {line[:200]}"


def everything(result, actions: Actions, github_api) -> list[str]:
    report = actions.temp / "pgrelease-gate.json"
    texts = [result.stdout, getattr(result, "stderr", "") or "",
             actions.summary.read_text() if actions.summary.exists() else "",
             actions.output.read_text() if actions.output.exists() else "",
             report.read_text() if report.exists() else ""]
    texts += [c.body for c in github_api.comments_on(REPO, PR)]
    texts += [f"{s.description} {s.target_url}" for s in github_api.statuses_for(REPO, HEAD_SHA)]
    return texts


def test_first_run_comments_and_sets_success(actions, workdir, staging_url, github_api):
    result = run_gate(actions, workdir, "--db-url", staging_url)
    assert result.exit_code == 0, result.stdout
    (comment,) = gate_comments(github_api)
    assert "pgrelease gate passed" in comment.body
    assert "`20250210090000`" in comment.body and "```mermaid" in comment.body
    assert "[workflow run](https://github.com/acme/app/actions/runs/4242)" in comment.body
    (status,) = github_api.statuses_for(REPO, HEAD_SHA)
    assert (status.state, status.context) == ("success", "pgrelease/gate")
    assert status.target_url == "https://github.com/acme/app/actions/runs/4242"
    assert len(status.description) <= 140 and status.description.startswith("passed")
    outputs = actions.outputs()
    assert outputs["result"] == "ok" and outputs["applied"] == "12" and outputs["pending"] == "12"
    assert outputs["lint-errors"] == "0" and outputs["drift"] == "false"
    report = json.loads(Path(outputs["report"]).read_text())
    assert [s["name"] for s in report["steps"]] == ["link", "plan", "lint", "shadow", "impact", "push", "verify",
                                                     "drift", "guard", "publish"]
    assert "pgrelease gate passed" in actions.summary.read_text()
    assert "::group::push: ok" in result.stdout
    assert result.stdout.splitlines()[0].startswith("::add-mask::")
    assert_no_canary(*everything(result, actions, github_api))
    assert github_api.last_token == TOKEN


def test_second_run_edits_the_same_comment(actions, workdir, staging_url, github_api):
    github_api.add_comment(REPO, PR, "LGTM from another bot", user="other-bot[bot]")
    assert run_gate(actions, workdir, "--db-url", staging_url).exit_code == 0
    (first,) = gate_comments(github_api)
    (workdir / "supabase" / "migrations" / "20250301090000_post_tags.sql").write_text(
        "create table public.post_tags (post_id uuid not null references public.posts (id), tag text not null,"
        " primary key (post_id, tag));\nalter table public.post_tags enable row level security;\n")
    result = run_gate(actions, workdir, "--db-url", staging_url)
    assert result.exit_code == 0, result.stdout
    (second,) = gate_comments(github_api)
    assert second.id == first.id and "20250301090000" in second.body and "public__post_tags" in second.body
    assert [c.body for c in github_api.comments_on(REPO, PR) if MARKER not in c.body] == ["LGTM from another bot"]
    assert actions.outputs()["applied"] == "1"


def test_failing_verify_file_fails_with_its_section(actions, workdir, staging_url, github_api):
    (workdir / "supabase" / "verify" / "99_has_posts.sql").write_text(
        "select count(*) > 0 as has_posts from public.posts;\n")
    result = run_gate(actions, workdir, "--db-url", staging_url)
    assert result.exit_code == 1, result.stdout
    (comment,) = gate_comments(github_api)
    assert "pgrelease gate failed: shadow, verify" in comment.body
    assert "Verify on staging: 4 of 5 passed" in comment.body
    assert "`supabase/verify/99_has_posts.sql:1`" in comment.body and "returned false (has_posts)" in comment.body
    assert github_api.statuses_for(REPO, HEAD_SHA)[-1].state == "failure"
    assert "::error file=supabase/verify/99_has_posts.sql,line=1" in result.stdout
    assert actions.outputs()["result"] == "failed"


def test_lint_error_fails_and_links_the_line(actions, workdir, staging_url, github_api):
    assert run_gate(actions, workdir, "--db-url", staging_url).exit_code == 0
    (workdir / "supabase" / "migrations" / "20250301090000_drop.sql").write_text(
        "-- cleanup\ndrop table public.post_reactions;\n")
    result = run_gate(actions, workdir, "--db-url", staging_url)
    assert result.exit_code == 1
    (comment,) = gate_comments(github_api)
    assert "`drop-table`" in comment.body
    assert f"https://github.com/acme/app/blob/{HEAD_SHA}/supabase/migrations/20250301090000_drop.sql#L2" in comment.body
    assert "not pushed: lint failed" in comment.body
    assert github_api.statuses_for(REPO, HEAD_SHA)[-1].state == "failure"
    assert actions.outputs()["lint-errors"] == "1"


def test_drift_on_staging_fails(actions, workdir, staging_url, github_api):
    assert run_gate(actions, workdir, "--db-url", staging_url).exit_code == 0
    with connect(Dsn.parse(staging_url)) as conn:
        conn.execute("alter table public.posts add column made_by_hand text")
    result = run_gate(actions, workdir, "--db-url", staging_url)
    assert result.exit_code == 1
    (comment,) = gate_comments(github_api)
    assert "Drift details" in comment.body and "made_by_hand" in comment.body
    assert actions.outputs()["drift"] == "true"


def test_github_errors_are_retried(actions, workdir, staging_url, github_api):
    github_api.fail_next(2, status=500)
    result = run_gate(actions, workdir, "--db-url", staging_url)
    assert result.exit_code == 0, result.stdout
    assert len(gate_comments(github_api)) == 1
    assert github_api.statuses_for(REPO, HEAD_SHA)[-1].state == "success"


def test_github_down_leaves_the_verdict_to_the_checks(actions, workdir, staging_url, github_api):
    github_api.down()
    result = run_gate(actions, workdir, "--db-url", staging_url)
    github_api.up()
    assert result.exit_code == 0, result.stdout
    assert "::warning title=pgrelease gate::publishing:" in result.stdout
    assert "pgrelease gate passed" in actions.summary.read_text()
    assert actions.outputs()["result"] == "ok"
    assert gate_comments(github_api) == []


def test_fork_without_secrets_lints_and_replays(tmp_path, workdir, github_api, pr_context):
    actions = Actions(tmp_path / "fork", github_api.url, head_repo="someone/app")
    result = run_gate(actions, workdir)
    assert result.exit_code == 0, result.stdout
    (comment,) = gate_comments(github_api)
    assert "a pull request from a fork gets no secrets" in comment.body
    assert "| :fast_forward: | push |" in comment.body
    assert "| :white_check_mark: | shadow |" in comment.body


def test_text_format_and_usage_errors(tmp_path, workdir, actions):
    bad_event = tmp_path / "bad.json"
    bad_event.write_text("{not json")
    result = run_gate(actions, workdir, "--format", "text", GITHUB_EVENT_PATH=str(bad_event))
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout
    result = run_gate(actions, tmp_path / "missing", "--format", "json")
    assert result.exit_code == 2 and json.loads(result.stdout)["errors"][0]["kind"] == "usage"


def test_comment_on_failure_only_and_off(actions, workdir, staging_url, github_api):
    check = workdir / "supabase" / "verify" / "99_has_posts.sql"
    check.write_text("select count(*) > 0 as has_posts from public.posts;\n")
    assert run_gate(actions, workdir, "--db-url", staging_url, "--comment", "on-failure").exit_code == 1
    (failed,) = gate_comments(github_api)
    check.unlink()
    assert run_gate(actions, workdir, "--db-url", staging_url, "--comment", "on-failure").exit_code == 0
    (fixed,) = gate_comments(github_api)  # the failure comment is brought up to date, not left stale
    assert fixed.id == failed.id and "pgrelease gate passed" in fixed.body
    github_api.comments[(REPO, PR)].clear()
    assert run_gate(actions, workdir, "--db-url", staging_url, "--comment", "on-failure").exit_code == 0
    assert gate_comments(github_api) == []  # passing, and no earlier comment: nothing posted
    assert run_gate(actions, workdir, "--db-url", staging_url, "--comment", "off").exit_code == 0
    assert gate_comments(github_api) == []
    assert [s.state for s in github_api.statuses_for(REPO, HEAD_SHA)] == ["failure", "success", "success", "success"]


# -- every format, a canary in every place a secret can enter ------------------------------------
SSL_PW = "Canary-sslpw-3e8a41"      # ?sslpassword= in the staging URL
ENV_PW = "Canary-envpw-9b27d0"      # PGRELEASE_DB_PASSWORD
SHADOW_PW = "Canary+shadow/6c1f=2"  # the shadow URL's password (needs percent-encoding)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_canary_in_any_format_when_the_server_echoes_them(actions, workdir, supabase_db, make_db, github_api,
                                                             fmt):
    """The staging password, its ?sslpassword=, PGRELEASE_DB_PASSWORD, GITHUB_TOKEN and the
    shadow URL's password, each echoed by the server in a failing migration's message, detail
    and hint (from role settings: the file holds none of them), grepped for in stdout, stderr,
    the job summary, the step outputs, the report file, the PR comment and the commit status."""
    from pgrelease import secrets

    staging_base = canary_login(supabase_db, PASSWORD, "gatecn")
    with staging_base as staging:
        staging = staging.with_params(sslpassword=SSL_PW)
        shadow_db = make_db()
        echoed = {"app.db_url": staging.url(reveal=True), "app.env_secrets": f"env={ENV_PW} token={TOKEN}"}
        with canary_login(shadow_db, SHADOW_PW, "gatesh") as shadow:
            echoed["app.shadow_url"] = shadow.url(reveal=True)
            with connect(supabase_db) as conn:
                for role in (staging.user, shadow.user):
                    for name, value in echoed.items():
                        conn.execute(f"alter role {role} set {name} = '{value}'")
            (workdir / "supabase" / "migrations" / "20250301090000_echo.sql").write_text("""do $$ begin
  raise exception using message = 'cannot use ' || current_setting('app.db_url'),
    detail = 'shadow ' || current_setting('app.shadow_url'), hint = 'known ' || current_setting('app.env_secrets');
end $$;
""")
            secrets.forget_all()  # only what the gate itself learns may mask its output
            result = run_gate(actions, workdir, "--db-url", staging.url(reveal=True), "--shadow-url",
                              shadow.url(reveal=True), "--format", fmt, PGRELEASE_DB_PASSWORD=ENV_PW)
    texts = everything(result, actions, github_api)
    joined = "\n".join(texts).replace('\\"', '"')
    assert result.exit_code == 1, joined[-3000:]
    assert "Traceback" not in joined and "password authentication failed" not in joined
    assert "cannot use postgresql://" in joined  # the echo reached the output, masked
    (comment,) = gate_comments(github_api)
    assert "cannot use postgresql://" in comment.body  # ... and the PR comment
    forms = {SSL_PW, ENV_PW, SHADOW_PW, quote(SHADOW_PW, safe=""), quote(SHADOW_PW),
             base64.b64encode(SHADOW_PW.encode()).decode().rstrip("=")}
    forms |= {form[i:i + 8] for form in list(forms) for i in range(len(form) - 7)}  # a part is a leak too
    for text in texts:
        for line in text.splitlines():
            if not line.startswith("::add-mask::"):
                assert not any(form in line for form in forms), f"secret leaked: {line[:300]}"
    assert_no_canary(*texts)
