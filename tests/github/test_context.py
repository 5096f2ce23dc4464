"""GitHubContext.from_env: what a workflow run on a pull request publishes to."""

from __future__ import annotations

import json

import pytest

from pgrelease.errors import UsageError
from pgrelease.github.context import GitHubContext

HEAD = "3f786850e387550fdab836ed7e6dc881de23001b"
MERGE = "0123456789abcdef0123456789abcdef01234567"
TOKEN = "ghs_ContextToken0123456789"


def pull_request_event(tmp_path, *, number=42, head_repo="acme/app", **extra):
    event = {"action": "synchronize", "number": number,
             "pull_request": {"number": number, "head": {"sha": HEAD, "ref": "add-orders",
                                                          "repo": {"full_name": head_repo} if head_repo else None},
                              "base": {"ref": "main", "sha": MERGE, "repo": {"full_name": "acme/app"}}}}
    event.update(extra)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    return path


def actions_env(tmp_path, event_path=None, **overrides):
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/app", "GITHUB_EVENT_NAME": "pull_request",
           "GITHUB_SHA": MERGE, "GITHUB_RUN_ID": "987654321", "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_API_URL": "https://api.github.com", "GITHUB_TOKEN": TOKEN}
    if event_path is not None:
        env["GITHUB_EVENT_PATH"] = str(event_path)
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_pull_request_event(tmp_path):
    ctx = GitHubContext.from_env(actions_env(tmp_path, pull_request_event(tmp_path)))
    assert ctx.repository == "acme/app" and ctx.pr_number == 42
    assert ctx.head_sha == HEAD, "the PR head, not GITHUB_SHA (the test merge commit)"
    assert ctx.base_ref == "main" and ctx.head_repo == "acme/app" and not ctx.is_fork
    assert ctx.api_url == "https://api.github.com" and ctx.server_url == "https://github.com"
    assert ctx.run_url == "https://github.com/acme/app/actions/runs/987654321"
    assert ctx.event_name == "pull_request" and ctx.token == TOKEN


def test_fork_pull_request(tmp_path):
    ctx = GitHubContext.from_env(actions_env(tmp_path, pull_request_event(tmp_path, head_repo="someone/app")))
    assert ctx.is_fork and ctx.head_repo == "someone/app"
    deleted_fork = GitHubContext.from_env(actions_env(tmp_path, pull_request_event(tmp_path, head_repo=None)))
    assert deleted_fork.head_repo is None and not deleted_fork.is_fork


def test_push_event_uses_github_sha(tmp_path):
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"ref": "refs/heads/main", "after": MERGE}))
    ctx = GitHubContext.from_env(actions_env(tmp_path, event, GITHUB_EVENT_NAME="push"))
    assert ctx.pr_number is None and ctx.head_sha == MERGE and ctx.base_ref is None and ctx.event_name == "push"


def test_issue_comment_on_a_pull_request_has_no_head_sha(tmp_path):
    event = tmp_path / "comment.json"
    event.write_text(json.dumps({"issue": {"number": 5, "pull_request": {"url": "x"}}, "comment": {"id": 1}}))
    ctx = GitHubContext.from_env(actions_env(tmp_path, event, GITHUB_EVENT_NAME="issue_comment"))
    assert ctx.pr_number == 5 and ctx.head_sha is None


def test_explicit_arguments_win(tmp_path):
    ctx = GitHubContext.from_env(actions_env(tmp_path, pull_request_event(tmp_path)), repository="other/repo",
                                 pr_number="9", sha="abcdef1", api_url="https://ghe.example.com/api/v3/",
                                 token="explicit-token")
    assert (ctx.repository, ctx.pr_number, ctx.head_sha) == ("other/repo", 9, "abcdef1")
    assert ctx.api_url == "https://ghe.example.com/api/v3" and ctx.token == "explicit-token"
    assert ctx.run_url == "https://github.com/other/repo/actions/runs/987654321"


def test_outside_actions_everything_is_unknown():
    ctx = GitHubContext.from_env({})
    assert (ctx.repository, ctx.pr_number, ctx.head_sha, ctx.run_url, ctx.token) == (None, None, None, None, None)
    assert ctx.api_url == "https://api.github.com" and not ctx.is_fork
    blank = GitHubContext.from_env({"GITHUB_REPOSITORY": "", "GITHUB_SHA": " ", "GITHUB_EVENT_PATH": ""})
    assert blank.repository is None and blank.head_sha is None


def test_reads_os_environ_by_default(tmp_path, monkeypatch):
    for key, value in actions_env(tmp_path, pull_request_event(tmp_path, number=3)).items():
        monkeypatch.setenv(key, value)
    assert GitHubContext.from_env().pr_number == 3


def test_token_is_never_shown(tmp_path):
    ctx = GitHubContext.from_env(actions_env(tmp_path, pull_request_event(tmp_path)))
    assert TOKEN not in repr(ctx) and TOKEN not in str(ctx) and "acme/app" in repr(ctx)
    assert ctx.scrub(f"echo {TOKEN} back") == "echo *** back"


@pytest.mark.parametrize("setup, needle", [
    (lambda p: {"GITHUB_EVENT_PATH": str(p / "missing.json")}, "missing file"),
    (lambda p: {"GITHUB_EVENT_PATH": str(_write(p, "{not json"))}, "not JSON"),
    (lambda p: {"GITHUB_EVENT_PATH": str(_write(p, "[1, 2]"))}, "not a JSON object"),
    (lambda p: {"GITHUB_REPOSITORY": "acme"}, "not owner/name"),
    (lambda p: {"GITHUB_REPOSITORY": "acme/app/extra"}, "not owner/name"),
    (lambda p: {"GITHUB_EVENT_PATH": str(_write(p, json.dumps({"pull_request": {"number": 0}})))},
     "not a positive pull request number"),
    (lambda p: {"GITHUB_EVENT_PATH": str(_write(p, json.dumps({"pull_request": {"number": "x"}})))},
     "not a positive pull request number"),
    (lambda p: {"GITHUB_SHA": "not-a-sha"}, "not a commit sha"),
    (lambda p: {"GITHUB_API_URL": "api.github.com"}, "not an http(s) URL"),
])
def test_malformed_environment_is_a_usage_error(tmp_path, setup, needle):
    with pytest.raises(UsageError) as info:
        GitHubContext.from_env(setup(tmp_path))
    err = info.value
    assert needle in err.message and "\n" not in err.message and err.hint and err.exit_code == 2
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__), "no chained traceback"


@pytest.mark.parametrize("number", [0, -3, "abc", "4.5", True])
def test_explicit_pr_number_must_be_positive(number):
    with pytest.raises(UsageError, match="positive pull request number"):
        GitHubContext.from_env({}, pr_number=number)


def test_explicit_bad_repository():
    with pytest.raises(UsageError, match=r"--repository is not owner/name"):
        GitHubContext.from_env({"GITHUB_REPOSITORY": "acme/app"}, repository="nope")


def _write(directory, text):
    path = directory / "event.json"
    path.write_text(text)
    return path
