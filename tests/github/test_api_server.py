"""The local GitHub API itself: it refuses what GitHub's description refuses, accepts what
it accepts, answers with bodies that fit the description, and fails on purpose."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest
import requests
from jsonschema import Draft202012Validator

from tests.github.api_server import REPO_ROOT, Description, GitHubAPI, _Reply, to_json_schema
from tests.github.conftest import HEAD_SHA, PR, REPO, TOKEN

AUTH = {"Authorization": f"token {TOKEN}"}


def call(api: GitHubAPI, method: str, path: str, **kwargs) -> requests.Response:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    return requests.request(method, api.url + path, headers=headers, timeout=kwargs.pop("timeout", 5), **kwargs)


def kinds(api: GitHubAPI) -> list[str]:
    return [v.kind for v in api.take_violations()]


# -- refusing ------------------------------------------------------------------------------

def test_unknown_path_is_a_violation(github_api):
    res = call(github_api, "GET", f"/repos/{REPO}/pull-requests/{PR}")
    assert res.status_code == 404 and res.json()["message"] == "Not Found"
    assert kinds(github_api) == ["unknown-path"]


def test_wrong_method_is_a_violation(github_api):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    res = call(github_api, "DELETE", f"/repos/{REPO}/pulls/{PR}")
    assert res.status_code == 404
    res = call(github_api, "PUT", f"/repos/{REPO}/issues/{PR}/comments", json={"body": "x"})
    assert res.status_code == 404
    violations = github_api.take_violations()
    assert [v.kind for v in violations] == ["method", "method"]
    assert "only GET, POST" in violations[1].message


def test_bad_path_parameter_is_a_violation(github_api):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    assert call(github_api, "GET", f"/repos/{REPO}/issues/seven/comments").status_code == 404
    assert call(github_api, "PATCH", f"/repos/{REPO}/issues/comments/1.5", json={"body": "x"}).status_code == 404
    assert kinds(github_api) == ["path-parameter", "path-parameter"]


def test_bad_query_parameter_is_a_violation(github_api):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    res = call(github_api, "GET", f"/repos/{REPO}/issues/{PR}/comments", params={"per_page": "lots"})
    assert res.status_code == 422
    assert kinds(github_api) == ["query-parameter"]


def test_status_with_unknown_state_is_refused(github_api):
    github_api.add_repo(REPO)
    res = call(github_api, "POST", f"/repos/{REPO}/statuses/{HEAD_SHA}", json={"state": "green", "context": "ci"})
    assert res.status_code == 422 and "green" in res.json()["message"]
    violations = github_api.take_violations()
    assert [v.kind for v in violations] == ["request-body"]
    assert "state" in violations[0].message
    assert github_api.statuses_for(REPO, HEAD_SHA) == []


@pytest.mark.parametrize("body", [{}, {"text": "hello"}, {"body": 42}, {"body": None}])
def test_comment_without_a_string_body_is_refused(github_api, body):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    res = call(github_api, "POST", f"/repos/{REPO}/issues/{PR}/comments", json=body)
    assert res.status_code == 422
    assert kinds(github_api) == ["request-body"]
    assert github_api.comments_on(REPO, PR) == []


def test_body_that_is_not_json_is_refused(github_api):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    res = call(github_api, "POST", f"/repos/{REPO}/issues/{PR}/comments", data=b"body=hello",
               headers={"Content-Type": "application/json"})
    assert res.status_code == 400 and res.json()["message"] == "Problems parsing JSON"
    assert call(github_api, "POST", f"/repos/{REPO}/issues/{PR}/comments").status_code == 400
    assert kinds(github_api) == ["request-body", "request-body"]


def test_no_authorization_is_401_and_tokens_are_recorded(github_api):
    github_api.add_repo(REPO)
    res = requests.get(f"{github_api.url}/repos/{REPO}", timeout=5)
    assert res.status_code == 401 and res.json()["message"] == "Requires authentication"
    assert github_api.tokens == []
    assert call(github_api, "GET", f"/repos/{REPO}").status_code == 200
    res = call(github_api, "GET", f"/repos/{REPO}", headers={"Authorization": "Bearer other-token"})
    assert res.status_code == 200
    assert github_api.tokens == [TOKEN, "other-token"] and github_api.last_token == "other-token"
    github_api.add_token(TOKEN)
    res = call(github_api, "GET", f"/repos/{REPO}", headers={"Authorization": "Bearer other-token"})
    assert res.status_code == 401 and res.json()["message"] == "Bad credentials"


# -- accepting, with answers that fit the description ---------------------------------------

def assert_fits(description: Description, operation_id: str, res: requests.Response) -> None:
    op = description.operations[operation_id]
    body = res.json() if res.content else None
    assert description.response_errors(op, res.status_code, body) == [], operation_id


def test_comment_lifecycle(github_api, github_description):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    res = call(github_api, "POST", f"/repos/{REPO}/issues/{PR}/comments", json={"body": "first"})
    assert res.status_code == 201
    assert_fits(github_description, "issues/create-comment", res)
    created = res.json()
    assert created["body"] == "first" and created["user"]["login"] == "github-actions[bot]"
    assert created["url"] == f"{github_api.url}/repos/{REPO}/issues/comments/{created['id']}"
    assert res.headers["location"] == created["url"]

    res = call(github_api, "PATCH", f"/repos/{REPO}/issues/comments/{created['id']}", json={"body": "second"})
    assert res.status_code == 200 and res.json()["body"] == "second"
    assert_fits(github_description, "issues/update-comment", res)
    res = call(github_api, "GET", f"/repos/{REPO}/issues/comments/{created['id']}")
    assert res.status_code == 200 and res.json()["body"] == "second"
    assert_fits(github_description, "issues/get-comment", res)
    res = call(github_api, "GET", f"/repos/{REPO}/issues/{PR}/comments")
    assert [c["body"] for c in res.json()] == ["second"]
    assert_fits(github_description, "issues/list-comments", res)
    assert [c.body for c in github_api.comments[REPO, PR]] == ["second"]

    assert call(github_api, "GET", f"/repos/{REPO}/issues/comments/999999").status_code == 404
    assert call(github_api, "GET", f"/repos/{REPO}/issues/8/comments").status_code == 404
    assert call(github_api, "GET", "/repos/acme/unknown/issues/7/comments").status_code == 404
    assert not github_api.violations


def test_comment_pagination_follows_github_link_headers(github_api, github_description):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    for n in range(5):
        github_api.add_comment(REPO, PR, f"comment {n}")
    url = f"{github_api.url}/repos/{REPO}/issues/{PR}/comments?per_page=2"
    bodies, pages = [], 0
    while url:
        res = requests.get(url, headers=AUTH, timeout=5)
        assert res.status_code == 200
        assert_fits(github_description, "issues/list-comments", res)
        bodies += [c["body"] for c in res.json()]
        pages += 1
        if pages == 1:
            assert 'rel="next"' in res.headers["link"] and 'page=3>; rel="last"' in res.headers["link"]
        url = res.links.get("next", {}).get("url")
    assert bodies == [f"comment {n}" for n in range(5)] and pages == 3
    assert 'rel="prev"' in res.headers["link"] and 'rel="next"' not in res.headers["link"]


def test_statuses_combined_and_listed(github_api, github_description):
    github_api.add_repo(REPO)
    for state, context in (("pending", "ci"), ("success", "ci"), ("failure", "lint")):
        res = call(github_api, "POST", f"/repos/{REPO}/statuses/{HEAD_SHA}",
                   json={"state": state, "context": context, "description": None, "target_url": None})
        assert res.status_code == 201
        assert_fits(github_description, "repos/create-commit-status", res)
    assert res.json()["creator"]["login"] == "github-actions[bot]"
    res = call(github_api, "GET", f"/repos/{REPO}/commits/{HEAD_SHA}/status")
    assert_fits(github_description, "repos/get-combined-status-for-ref", res)
    combined = res.json()
    assert combined["state"] == "failure" and combined["total_count"] == 2 and combined["sha"] == HEAD_SHA
    assert {s["context"]: s["state"] for s in combined["statuses"]} == {"ci": "success", "lint": "failure"}
    res = call(github_api, "GET", f"/repos/{REPO}/commits/{HEAD_SHA}/statuses")
    assert_fits(github_description, "repos/list-commit-statuses-for-ref", res)
    assert [s["state"] for s in res.json()] == ["failure", "success", "pending"]
    res = call(github_api, "GET", f"/repos/{REPO}/commits/{'0' * 40}/status")
    assert res.json()["state"] == "pending" and res.json()["total_count"] == 0


def test_refs_with_slashes_match_like_on_github(github_api, github_description):
    github_api.add_repo(REPO)
    res = call(github_api, "GET", f"/repos/{REPO}/commits/heads/release/1.0/status")
    assert res.status_code == 200 and res.json()["sha"] == "heads/release/1.0"
    match = github_description.match("GET", f"/repos/{REPO}/contents/docs/guide/a.md")
    assert match.violation is None and match.params["path"] == "docs/guide/a.md"
    # a slash is not allowed everywhere: an issue number is one segment
    assert github_description.match("GET", f"/repos/{REPO}/issues/7/8/comments").violation[0] == "unknown-path"
    assert not github_api.violations


def test_comment_over_65536_characters_is_refused_like_github(github_api, github_description):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    res = call(github_api, "POST", f"/repos/{REPO}/issues/{PR}/comments", json={"body": "x" * 65537})
    assert res.status_code == 422 and "too long" in res.json()["errors"][0]["message"]
    assert_fits(github_description, "issues/create-comment", res)
    assert github_api.comments_on(REPO, PR) == []


def test_add_repo_is_idempotent(github_api):
    github_api.add_repo(REPO, private=True, default_branch="trunk", visibility="private")
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    github_api.add_comment(REPO, PR, "x")
    repo = call(github_api, "GET", f"/repos/{REPO}").json()
    assert (repo["private"], repo["default_branch"], repo["visibility"]) == (True, "trunk", "private")


def test_status_description_over_140_is_refused_like_github(github_api):
    github_api.add_repo(REPO)
    res = call(github_api, "POST", f"/repos/{REPO}/statuses/{HEAD_SHA}", json={"state": "success",
                                                                             "description": "x" * 141})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "description"


def test_pull_repository_environment_and_commit_pulls(github_api, github_description):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA, head_repo="fork-owner/app", base_ref="main",
                        merge_commit_sha="b" * 40)
    github_api.add_environment(REPO, "production", reviewers=["alice", ("Team", "dba")], wait_timer=5,
                               branch_policy={"protected_branches": True, "custom_branch_policies": False})
    res = call(github_api, "GET", f"/repos/{REPO}/pulls/{PR}")
    assert_fits(github_description, "pulls/get", res)
    pull = res.json()
    assert pull["number"] == PR and pull["head"]["sha"] == HEAD_SHA and pull["base"]["ref"] == "main"
    assert pull["head"]["repo"]["full_name"] == "fork-owner/app" and pull["base"]["repo"]["full_name"] == REPO

    res = call(github_api, "GET", f"/repos/{REPO}")
    assert_fits(github_description, "repos/get", res)
    assert res.json()["full_name"] == REPO and res.json()["default_branch"] == "main"
    assert res.json()["url"] == f"{github_api.url}/repos/{REPO}"

    res = call(github_api, "GET", f"/repos/{REPO}/environments/production")
    assert_fits(github_description, "repos/get-environment", res)
    rules = {r["type"]: r for r in res.json()["protection_rules"]}
    assert rules["wait_timer"]["wait_timer"] == 5
    assert [r["type"] for r in rules["required_reviewers"]["reviewers"]] == ["User", "Team"]
    assert rules["required_reviewers"]["reviewers"][0]["reviewer"]["login"] == "alice"
    assert "branch_policy" in rules
    assert call(github_api, "GET", f"/repos/{REPO}/environments/staging").status_code == 404

    for sha in (HEAD_SHA, "b" * 40):
        res = call(github_api, "GET", f"/repos/{REPO}/commits/{sha}/pulls")
        assert_fits(github_description, "repos/list-pull-requests-associated-with-commit", res)
        assert [p["number"] for p in res.json()] == [PR]
    assert call(github_api, "GET", f"/repos/{REPO}/commits/{'c' * 40}/pulls").json() == []
    assert call(github_api, "GET", f"/repos/{REPO}/pulls/8").status_code == 404


def test_answers_point_at_the_server_not_at_github(github_api):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    text = call(github_api, "GET", f"/repos/{REPO}/pulls/{PR}").text
    assert "https://api.github.com" not in text and f"{github_api.url}/repos/{REPO}/pulls/{PR}" in text


# -- the validator can fail ----------------------------------------------------------------

def test_hand_made_wrong_responses_fail_validation(github_description):
    op = github_description.operations["issues/create-comment"]
    good = github_description.template(op, 201)
    assert github_description.response_errors(op, 201, good) == []
    wrong_id = {**good, "id": "one"}
    assert any(e.startswith("id:") for e in github_description.response_errors(op, 201, wrong_id))
    missing = {k: v for k, v in good.items() if k != "html_url"}
    assert any("html_url" in e for e in github_description.response_errors(op, 201, missing))
    null_user = {**good, "user": None}              # user is nullable: allowed
    assert github_description.response_errors(op, 201, null_user) == []
    null_id = {**good, "id": None}                  # id is not: refused
    assert github_description.response_errors(op, 201, null_id)
    status_op = github_description.operations["repos/create-commit-status"]
    assert github_description.response_errors(status_op, 201, {"state": "success"})
    assert github_description.response_errors(status_op, 200, good) == [
        "status 200 is not documented for repos/create-commit-status"]


def test_server_checks_its_own_answers(github_api):
    github_api.add_repo(REPO)
    github_api._routes["repos/get"] = lambda op, request, **params: _Reply(200, {"id": "not a repository"})
    assert call(github_api, "GET", f"/repos/{REPO}").status_code == 200
    violations = github_api.take_violations()
    assert [v.kind for v in violations] == ["response"] and "repos/get 200" in violations[0].message


def test_openapi_30_keywords_are_translated():
    nullable = to_json_schema({"type": "string", "nullable": True, "example": "x", "x-github": {}})
    assert nullable == {"type": ["string", "null"]}
    assert to_json_schema({"type": "string", "enum": ["a"], "nullable": True})["enum"] == ["a", None]
    wrapped = Draft202012Validator(to_json_schema({"allOf": [{"type": "object", "required": ["a"]}],
                                                   "nullable": True}))
    assert wrapped.is_valid(None) and wrapped.is_valid({"a": 1}) and not wrapped.is_valid({})
    assert not Draft202012Validator(to_json_schema({"type": "string"})).is_valid(None)
    exclusive = Draft202012Validator(to_json_schema({"type": "integer", "minimum": 0, "exclusiveMinimum": True}))
    assert not exclusive.is_valid(0) and exclusive.is_valid(1)
    read_only = {"type": "object", "required": ["id", "name"],
                 "properties": {"id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}}}
    assert Draft202012Validator(to_json_schema(read_only, "request")).is_valid({"name": "x"})
    assert not Draft202012Validator(to_json_schema(read_only, "response")).is_valid({"name": "x"})


def test_every_request_and_used_response_schema_translates_to_valid_json_schema(github_description):
    for op in github_description.operations.values():
        if op.request_schema is not None:
            Draft202012Validator.check_schema(to_json_schema(op.request_schema, "request"))
    for operation_id in ("issues/list-comments", "issues/create-comment", "issues/update-comment", "pulls/get",
                         "repos/get", "repos/get-environment", "repos/get-combined-status-for-ref",
                         "repos/list-pull-requests-associated-with-commit", "repos/create-commit-status"):
        op = github_description.operations[operation_id]
        status = 201 if op.method == "POST" else 200
        Draft202012Validator.check_schema(to_json_schema(github_description.response_schema(op, status)))


# -- failing on purpose --------------------------------------------------------------------

def test_fail_next(github_api):
    github_api.add_repo(REPO)
    github_api.fail_next(2, 502, method="GET", path=r"^/repos/acme/app$")
    assert call(github_api, "POST", f"/repos/{REPO}/statuses/{HEAD_SHA}", json={"state": "success"}).status_code == 201
    assert [call(github_api, "GET", f"/repos/{REPO}").status_code for _ in range(3)] == [502, 502, 200]


@pytest.mark.parametrize("status", [403, 429])
def test_rate_limit_headers(github_api, status):
    github_api.add_repo(REPO)
    github_api.rate_limit(1, status=status, reset_in=120, retry_after=30 if status == 429 else None)
    res = call(github_api, "GET", f"/repos/{REPO}")
    assert res.status_code == status
    assert res.headers["x-ratelimit-remaining"] == "0"
    assert 100 < int(res.headers["x-ratelimit-reset"]) - time.time() <= 121
    assert res.headers.get("retry-after") == ("30" if status == 429 else None)
    assert res.json()["message"].startswith("API rate limit exceeded")
    res = call(github_api, "GET", f"/repos/{REPO}")
    assert res.status_code == 200 and int(res.headers["x-ratelimit-remaining"]) > 0


def test_delay_and_down(github_api):
    github_api.add_repo(REPO)
    github_api.delay_next(1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{github_api.url}/repos/{REPO}", headers=AUTH, timeout=0.2)
    port = int(github_api.url.rsplit(":", 1)[1])
    github_api.down()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{github_api.url}/repos/{REPO}", headers=AUTH, timeout=2)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    github_api.up()
    assert github_api.url.endswith(f":{port}")
    assert call(github_api, "GET", f"/repos/{REPO}").status_code == 200


def test_recorded_fixture_shapes_the_answers(github_api):
    github_api.add_repo(REPO)
    res = call(github_api, "POST", f"/repos/{REPO}/statuses/{HEAD_SHA}", json={"state": "success"})
    # headers and body fields as recorded from api.github.com by @octokit/fixtures
    assert res.headers["x-github-media-type"] == "github.v3; format=json"
    assert res.headers["content-type"].startswith("application/json")
    assert res.json()["avatar_url"].startswith("https://avatars.githubusercontent.com/")


def test_reset_forgets_everything(github_api):
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA)
    github_api.add_comment(REPO, PR, "x")
    call(github_api, "GET", "/nope")
    github_api.reset()
    assert github_api.comments == {} and github_api.requests == [] and github_api.violations == []
    assert call(github_api, "GET", f"/repos/{REPO}").status_code == 404


def test_fixture_fails_a_test_that_broke_the_contract(tmp_path):
    test_file = tmp_path / "test_inner.py"
    test_file.write_text(textwrap.dedent("""
        import requests
        from tests.github.conftest import github_api, github_description  # noqa: F401

        def test_breaks_contract(github_api):
            requests.get(github_api.url + "/no/such/endpoint", headers={"Authorization": "token t"}, timeout=5)

        def test_keeps_contract(github_api):
            github_api.add_repo("acme/app")
            requests.get(github_api.url + "/repos/acme/app", headers={"Authorization": "token t"}, timeout=5)
    """))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "--import-mode=importlib", f"--rootdir={tmp_path}", "-o", "pythonpath=", str(test_file)],
                         cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    # the call passed; the teardown (and so the test) errored, naming the violation
    assert "2 passed, 1 error" in run.stdout, run.stdout + run.stderr
    assert "ERROR at teardown of test_breaks_contract" in run.stdout
    assert "unknown-path: GET /no/such/endpoint" in run.stdout and "test_keeps_contract" not in run.stdout
