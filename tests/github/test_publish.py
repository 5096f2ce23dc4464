"""publish(): one PR comment edited in place and one commit status, through PyGithub, over
real HTTP to the local GitHub API; failures become results, never exceptions."""

from __future__ import annotations

import dataclasses
import time

import pytest

from pgrelease.errors import UsageError
from pgrelease.github.publish import (
    COMMENT_LIMIT,
    DESCRIPTION_LIMIT,
    PublishOptions,
    PublishResult,
    comment_marker,
    publish,
)
from tests.github.conftest import HEAD_SHA, PR, REPO, TOKEN

FAST = PublishOptions(retries=3, backoff=0.01, max_wait=5.0, timeout=1.0)
MARKER = comment_marker("examples/acme")


def gate(ctx, body="### pgrelease gate: OK", state="success", description="3 migrations checked",
         marker=MARKER, options=FAST, **kwargs) -> PublishResult:
    return publish(ctx, marker=marker, body=body, status_state=state, status_description=description,
                   options=options, **kwargs)


def ours(api):
    return [c for c in api.comments_on(REPO, PR) if MARKER in c.body]


# -- the marker ----------------------------------------------------------------------------

def test_comment_marker_normalises_the_workdir():
    assert comment_marker("examples/acme") == "<!-- pgrelease:gate workdir=examples/acme -->"
    assert comment_marker("./examples/acme/") == comment_marker("examples//acme") == comment_marker("examples/acme")
    assert comment_marker(".") == comment_marker("./") == comment_marker("") == "<!-- pgrelease:gate workdir=. -->"
    assert comment_marker("x", tool="promote") == "<!-- pgrelease:promote workdir=x -->"
    assert comment_marker("x") not in comment_marker("x-2") and comment_marker("x-2") not in comment_marker("x")
    odd = comment_marker("a b/--> <x>")
    assert odd.count("-->") == 1 and odd.endswith(" -->") and "%20" in odd
    with pytest.raises(UsageError):
        comment_marker("x", tool="Gate Tool")


# -- the comment and the status -----------------------------------------------------------

def test_first_publish_creates_the_comment_and_a_success_status(github_api, pr_context):
    result = gate(pr_context)
    assert result == PublishResult(comment="created", comment_url=result.comment_url, status="set", errors=[])
    [comment] = github_api.comments_on(REPO, PR)
    assert comment.body.startswith(MARKER) and "### pgrelease gate: OK" in comment.body
    assert comment.user == "github-actions[bot]"
    assert result.comment_url == f"https://github.com/{REPO}/pull/{PR}#issuecomment-{comment.id}"
    [status] = github_api.statuses_for(REPO, HEAD_SHA)
    assert (status.state, status.context, status.description) == ("success", "pgrelease/gate",
                                                                  "3 migrations checked")
    assert status.target_url == pr_context.run_url
    assert github_api.last_token == TOKEN and set(github_api.tokens) == {TOKEN}
    assert github_api.requests[0].headers["authorization"] == f"token {TOKEN}"
    assert [r.operation_id for r in github_api.requests] == [
        "issues/list-comments", "issues/create-comment", "repos/create-commit-status"]


def test_second_publish_edits_the_same_comment(github_api, pr_context):
    first = gate(pr_context, body="first run", state="failure")
    second = gate(pr_context, body="second run", state="success")
    assert (first.comment, second.comment) == ("created", "updated")
    [comment] = github_api.comments_on(REPO, PR)
    assert "second run" in comment.body and "first run" not in comment.body
    assert first.comment_url == second.comment_url
    assert [s.state for s in github_api.statuses_for(REPO, HEAD_SHA)] == ["failure", "success"]
    assert len(github_api.requests_to("issues/update-comment")) == 1


def test_other_comments_are_left_untouched(github_api, pr_context):
    human = github_api.add_comment(REPO, PR, "LGTM, but check the index", user="alice")
    other_bot = github_api.add_comment(REPO, PR, "Coverage 91%", user="codecov[bot]", user_type="Bot")
    same_bot_other_workdir = github_api.add_comment(REPO, PR, comment_marker("examples/other") + "\nother project",
                                                    user="github-actions[bot]", user_type="Bot")
    mentions_pgrelease = github_api.add_comment(REPO, PR, "pgrelease:gate workdir=examples/acme (quoted)",
                                                user="github-actions[bot]", user_type="Bot")
    before = {c.id: (c.body, c.updated_at) for c in github_api.comments_on(REPO, PR)}
    assert gate(pr_context).comment == "created"
    assert gate(pr_context, body="again").comment == "updated"
    after = {c.id: (c.body, c.updated_at) for c in github_api.comments_on(REPO, PR)}
    for kept in (human, other_bot, same_bot_other_workdir, mentions_pgrelease):
        assert after[kept.id] == before[kept.id]
    assert len(after) == 5 and len(ours(github_api)) == 1
    patched = {r.path for r in github_api.requests if r.method == "PATCH"}
    assert patched == {f"/repos/{REPO}/issues/comments/{ours(github_api)[0].id}"}


def test_marker_is_found_whoever_wrote_the_comment(github_api, pr_context):
    # an older run posted through a GitHub App: another login, same marker
    old = github_api.add_comment(REPO, PR, MARKER + "\nold report", user="pgrelease-app[bot]", user_type="Bot")
    assert gate(pr_context, body="new report").comment == "updated"
    [comment] = github_api.comments_on(REPO, PR)
    assert comment.id == old.id and "new report" in comment.body


def test_two_workdirs_keep_two_comments(github_api, pr_context):
    a, b = comment_marker("examples/acme"), comment_marker("examples/acme-2")
    for _ in range(2):
        assert gate(pr_context, marker=a, body="acme").status == "set"
        gate(pr_context, marker=b, body="acme-2", status_context="pgrelease/gate (acme-2)")
    comments = github_api.comments_on(REPO, PR)
    assert len(comments) == 2
    assert {c.body for c in comments} == {f"{a}\nacme", f"{b}\nacme-2"}


def test_marker_on_a_later_page_is_found(github_api, pr_context):
    for n in range(130):
        github_api.add_comment(REPO, PR, f"chatter {n}")
    gate(pr_context, body="report 1")
    gate(pr_context, body="report 2")
    assert len(github_api.comments_on(REPO, PR)) == 131 and len(ours(github_api)) == 1
    pages = [r.query.get("page", ["1"])[0] for r in github_api.requests_to("issues/list-comments")]
    assert pages == ["1", "2", "1", "2"]


def test_body_none_or_no_pr_skips_the_comment(github_api, pr_context):
    result = gate(pr_context, body=None)
    assert (result.comment, result.status) == ("skipped", "set")
    no_pr = dataclasses.replace(pr_context, pr_number=None)
    result = gate(no_pr)
    assert (result.comment, result.status) == ("skipped", "set")
    assert github_api.comments_on(REPO, PR) == [] and len(github_api.statuses_for(REPO, HEAD_SHA)) == 2


def test_no_sha_or_no_state_skips_the_status(github_api, pr_context):
    result = gate(dataclasses.replace(pr_context, head_sha=None))
    assert (result.comment, result.status) == ("created", "skipped")
    assert gate(pr_context, state=None).status == "skipped"
    assert github_api.statuses_for(REPO, HEAD_SHA) == []


def test_nothing_to_do_makes_no_request(github_api, pr_context):
    result = gate(pr_context, body=None, state=None)
    assert (result.comment, result.status, result.errors) == ("skipped", "skipped", [])
    assert github_api.requests == []


def test_no_token_fails_without_a_request(github_api, pr_context):
    result = gate(dataclasses.replace(pr_context, token=None))
    assert (result.comment, result.status) == ("failed", "failed")
    assert all("GITHUB_TOKEN" in e for e in result.errors) and github_api.requests == []


def test_bad_state_is_a_usage_error(pr_context):
    with pytest.raises(UsageError, match="state must be one of"):
        gate(pr_context, state="green")


def test_description_is_cut_to_140(github_api, pr_context):
    long = "lint: " + " ".join(f"warning-{n}" for n in range(60))
    assert gate(pr_context, description=long).status == "set"
    [status] = github_api.statuses_for(REPO, HEAD_SHA)
    assert DESCRIPTION_LIMIT - 10 < len(status.description) <= DESCRIPTION_LIMIT
    assert status.description.endswith("\u2026")
    assert status.description[:-1] in long


def test_target_url_given_or_none(github_api, pr_context):
    gate(pr_context, target_url="https://example.com/report")
    gate(dataclasses.replace(pr_context, run_url=None), description="")
    first, second = github_api.statuses_for(REPO, HEAD_SHA)
    assert first.target_url == "https://example.com/report"
    assert second.target_url is None and second.description is None


def test_body_over_github_limit_is_cut_with_a_note(github_api, pr_context):
    body = "| migration | status |\n" + "| 20240101000001_x | ok |\n" * 5000
    assert len(body) > COMMENT_LIMIT
    assert gate(pr_context, body=body).comment == "created"
    [comment] = github_api.comments_on(REPO, PR)
    assert len(comment.body) <= COMMENT_LIMIT and comment.body.startswith(MARKER)
    assert "65,536-character limit" in comment.body


# -- failures ------------------------------------------------------------------------------

def test_500_twice_then_200_still_posts(github_api, pr_context):
    github_api.fail_next(2, 500, method="POST", path="/issues/")
    result = gate(pr_context)
    assert (result.comment, result.status, result.errors) == ("created", "set", [])
    creates = github_api.requests_to("issues/create-comment")
    assert [r.status for r in creates] == [500, 500, 201]
    assert len(github_api.comments_on(REPO, PR)) == 1


def test_5xx_on_every_attempt_gives_up(github_api, pr_context):
    github_api.fail_next(100, 503, path="/statuses/")
    result = gate(pr_context, options=dataclasses.replace(FAST, retries=2))
    assert (result.comment, result.status) == ("created", "failed")
    [error] = result.errors
    assert "503" in error and "gave up after 3 attempts" in error and HEAD_SHA in error
    assert len(github_api.requests_to("repos/create-commit-status")) == 3


@pytest.mark.parametrize("status, retry_after", [(403, None), (429, 1), (403, 1)])
def test_rate_limit_with_a_short_reset_is_waited_for(github_api, pr_context, status, retry_after):
    github_api.rate_limit(1, status=status, reset_in=1, retry_after=retry_after, path="/statuses/")
    started = time.monotonic()
    result = gate(pr_context)
    elapsed = time.monotonic() - started
    assert (result.comment, result.status, result.errors) == ("created", "set", [])
    assert [r.status for r in github_api.requests_to("repos/create-commit-status")] == [status, 201]
    assert elapsed < 4
    if retry_after:
        assert elapsed >= 0.9, "Retry-After was honoured"


def test_pygithub_does_not_retry_on_its_own(github_api, pr_context):
    # PyGithub's default GithubRetry would retry these (and sleep until the reset): publish
    # switches it off and does its own bounded retrying, so retries=0 means one request each
    github_api.fail_next(5, 500, path="/statuses/")
    github_api.rate_limit(5, status=403, reset_in=2, path="/issues/")
    result = gate(pr_context, options=dataclasses.replace(FAST, retries=0))
    assert (result.comment, result.status) == ("failed", "failed")
    assert [r.operation_id for r in github_api.requests] == ["issues/list-comments", "repos/create-commit-status"]


def test_rate_limit_far_in_the_future_gives_up_quickly(github_api, pr_context):
    github_api.rate_limit(1, status=403, reset_in=3600, path="/issues/")
    github_api.rate_limit(1, status=429, reset_in=3600, retry_after=3600, path="/statuses/")
    started = time.monotonic()
    result = gate(pr_context, options=PublishOptions(retries=3, backoff=0.01, max_wait=10, timeout=1))
    assert time.monotonic() - started < 2, "no long sleep"
    assert (result.comment, result.status) == ("failed", "failed")
    assert len(result.errors) == 2
    for error in result.errors:
        assert "rate limit" in error and "max_wait" in error and "\n" not in error
    assert len(github_api.requests) == 2, "no retry when the wait exceeds max_wait"


def test_secondary_rate_limit_without_headers_waits_a_minute_so_gives_up(github_api, pr_context):
    github_api.fail_next(1, 403, path="/statuses/", body={
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        "documentation_url": "https://docs.github.com"})
    started = time.monotonic()
    result = gate(pr_context)
    assert time.monotonic() - started < 2 and result.status == "failed" and "asks to wait 60 s" in result.errors[0]


def test_server_down_fails_with_one_line_errors(github_api, pr_context):
    github_api.down()
    started = time.monotonic()
    result = gate(pr_context)
    assert time.monotonic() - started < 3
    assert (result.comment, result.status) == ("failed", "failed")
    assert len(result.errors) == 2
    comment_error, status_error = result.errors
    assert "cannot reach" in comment_error and "Connection refused" in comment_error
    assert "gave up after 4 attempts" in comment_error
    assert "gave up after 1 attempt" in status_error, "GitHub already proved unreachable"
    assert all("\n" not in e and "Traceback" not in e for e in result.errors)


def test_timeout_is_retried_without_a_second_comment(github_api, pr_context):
    # the create takes effect but its answer comes after the client's timeout
    github_api.delay_next(2.5, method="POST", path="/issues/")
    result = gate(pr_context)
    assert (result.comment, result.status, result.errors) == ("updated", "set", [])
    assert len(github_api.comments_on(REPO, PR)) == 1


def test_timeout_every_time_gives_up(github_api, pr_context):
    github_api.delay_next(2.5, count=10, path="/statuses/")
    result = gate(pr_context, options=dataclasses.replace(FAST, retries=1))
    assert result.status == "failed" and "no answer from" in result.errors[0] and "within 1 s" in result.errors[0]


@pytest.mark.parametrize("status, message, needle", [
    (401, "Bad credentials", "check the token"),
    (404, "Not Found", "does not exist"),
    (422, "Validation Failed", "422"),
    (403, "Resource not accessible by integration", "pull-requests: write"),
])
def test_client_errors_are_not_retried(github_api, pr_context, status, message, needle):
    github_api.fail_next(1, status, path="/issues/", body={"message": message, "documentation_url": "x"})
    result = gate(pr_context)
    assert result.comment == "failed" and result.status == "set"
    assert needle in result.errors[0] and message in result.errors[0]
    assert len(github_api.requests_to("issues/list-comments")) == 1


def test_unknown_pull_request_is_a_404_failure(github_api, pr_context):
    result = gate(dataclasses.replace(pr_context, pr_number=99))
    assert result.comment == "failed" and "GitHub answered 404" in result.errors[0]


def test_fork_token_without_write_access(github_api, pr_context):
    fork = dataclasses.replace(pr_context, head_repo="someone/app")
    github_api.fail_next(1, 403, path="/issues/", body={"message": "Resource not accessible by integration",
                                                        "documentation_url": "x"})
    result = gate(fork)
    assert "comes from a fork" in result.errors[0]


def test_token_never_appears_in_errors_or_comment(github_api, pr_context):
    github_api.fail_next(1, 401, path="/issues/",
                         body={"message": f"Bad credentials: token {TOKEN} is revoked", "documentation_url": "x"})
    github_api.fail_next(5, 500, path="/statuses/",
                         body={"message": f"boom with {TOKEN}", "documentation_url": "x"})
    result = gate(pr_context, description=f"leaked {TOKEN}")
    assert (result.comment, result.status) == ("failed", "failed")
    assert all(TOKEN not in e for e in result.errors) and "***" in result.errors[0]
    assert TOKEN not in repr(result)
    github_api.down()
    down = gate(pr_context)
    assert all(TOKEN not in e for e in down.errors)
    github_api.up()
    gate(pr_context, body=f"report that echoes {TOKEN}", description=f"leaked {TOKEN}")
    [comment] = github_api.comments_on(REPO, PR)
    assert TOKEN not in comment.body and "echoes ***" in comment.body
    assert all(TOKEN not in (s.description or "") for s in github_api.statuses_for(REPO, HEAD_SHA))


def test_publish_never_raises_on_a_garbled_answer(github_api, pr_context):
    github_api.fail_next(1, 200, path="/issues/", body={"not": "a list"})
    result = gate(pr_context)
    assert result.comment == "failed" and result.status == "set" and len(result.errors) == 1


def test_bad_api_url_is_a_failed_result(pr_context):
    result = gate(dataclasses.replace(pr_context, api_url="not a url"))
    assert (result.comment, result.status) == ("failed", "failed") and len(result.errors) == 1
