"""Publishing to GitHub through PyGithub: one PR comment edited in place, one commit status.

- The comment is found by a hidden marker (``comment_marker``) in its body, never by its
  author (a GitHub App, a PAT and ``github-actions[bot]`` all have other logins); no
  other comment is touched.
- The status goes on the pull request's head commit, its description cut to GitHub's
  140 characters, its link the workflow run.
- Publishing never raises for GitHub's sake: 5xx answers, rate limits (403/429),
  connection errors and timeouts are retried with exponential backoff, waiting for a
  rate-limit reset only when it comes within ``max_wait``; what still fails is a
  one-line entry in ``PublishResult.errors``. 401, 404 and 422 are not retried.

PyGithub's own retrying is switched off (``retry=None``): its ``GithubRetry`` retries
POSTs too, and sleeps until ``X-RateLimit-Reset`` with no cap unless
``max_rate_limit_wait`` is given. Here each attempt re-reads the comments before it
writes, so a retried create after a timeout edits the comment the first attempt made
instead of posting a second one.
"""

from __future__ import annotations

import email.utils
import math
import posixpath
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException
from github.GithubObject import NotSet
from github.Requester import Requester

from ..errors import UsageError
from ..secrets import shorten
from .context import GitHubContext

COMMENT_LIMIT = 65536         # characters GitHub accepts in an issue comment body
DESCRIPTION_LIMIT = 140       # characters GitHub accepts in a commit status description
STATES = ("success", "failure", "error", "pending")
SECONDARY_RATE_WAIT = 60.0    # GitHub: wait at least a minute after a secondary limit without Retry-After

_CUT_NOTE = ("\n\n---\n*This comment was cut at GitHub's 65,536-character limit;"
             " the full report is in the workflow run's log and job summary.*")

T = TypeVar("T")


@dataclass(frozen=True)
class PublishOptions:
    retries: int = 3           # further attempts after the first one
    backoff: float = 1.0       # seconds before the first retry, doubled each time
    max_wait: float = 60.0     # seconds one publish may spend waiting in all; a longer rate limit gives up
    timeout: float = 10.0      # seconds per request (PyGithub takes whole seconds: rounded up)


@dataclass
class PublishResult:
    comment: str = "skipped"    # created | updated | skipped | failed
    comment_url: str | None = None
    status: str = "skipped"     # set | skipped | failed
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def comment_marker(workdir: str, tool: str = "gate") -> str:
    """The hidden HTML comment that names a pgrelease comment, one per tool and workdir:
    ``<!-- pgrelease:gate workdir=examples/acme -->``. "./x/", "x" and "x/." give the same
    marker; characters that could end an HTML comment are percent-encoded."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", tool or ""):
        raise UsageError(f"comment marker tool must be lower-case letters, digits and dashes: {tool!r}")
    path = posixpath.normpath((workdir or ".").replace("\\", "/"))
    return f"<!-- pgrelease:{tool} workdir={quote(path, safe='/._-~+@,=:')} -->"


def fit_comment(body: str, marker: str) -> str:
    """``body`` with ``marker`` in it, cut with a note when over GitHub's limit."""
    if marker not in body:
        body = f"{marker}\n{body}"
    if len(body) <= COMMENT_LIMIT:
        return body
    rest = body.replace(marker, "")
    keep = COMMENT_LIMIT - len(marker) - 1 - len(_CUT_NOTE)
    return f"{marker}\n{rest[:keep].rstrip()}{_CUT_NOTE}"


def fit_description(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= DESCRIPTION_LIMIT else text[:DESCRIPTION_LIMIT - 1].rstrip() + "\u2026"


def publish(ctx: GitHubContext, *, marker: str, body: str | None, status_state: str | None,
            status_description: str = "", status_context: str = "pgrelease/gate",
            target_url: str | None = None, options: PublishOptions = PublishOptions(),
            create: bool = True) -> PublishResult:
    """Create or edit the PR comment carrying ``marker`` and set the commit status.

    ``body=None`` or no PR number skips the comment; ``create=False`` only edits an
    existing comment (the comment is "skipped" when there is none); ``status_state=None`` or no head sha
    skips the status. ``target_url`` defaults to the run URL. Never raises for GitHub's
    failures (see the module doc); raises ``UsageError`` only for a bad argument.
    """
    if not marker or not marker.strip():
        raise UsageError("publish needs a comment marker", hint="build one with comment_marker(workdir)")
    if status_state is not None and status_state not in STATES:
        raise UsageError(f"commit status state must be one of {', '.join(STATES)}: {status_state!r}")
    result = PublishResult()
    want_comment = body is not None and ctx.pr_number is not None and ctx.repository is not None
    want_status = status_state is not None and bool(ctx.head_sha) and ctx.repository is not None
    if not (want_comment or want_status):
        return result
    if not ctx.token:
        message = "no GitHub token: set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})"
        if want_comment:
            result.comment = "failed"
            result.errors.append(f"PR comment: {message}")
        if want_status:
            result.status = "failed"
            result.errors.append(f"commit status: {message}")
        return result

    try:
        session = _Session(ctx, options)
    except Exception as exc:  # noqa: BLE001 - a bad api_url must not become a traceback
        reason = f"cannot set up the GitHub client for {ctx.api_url}: {exc.__class__.__name__}"
        result.comment = "failed" if want_comment else "skipped"
        result.status = "failed" if want_status else "skipped"
        result.errors = [_one_line(ctx.scrub(reason))]
        return result
    try:
        if want_comment:
            assert body is not None
            text = fit_comment(ctx.scrub(body), marker)
            try:
                result.comment, result.comment_url = session.attempt(
                    lambda: _upsert_comment(session.github, ctx, marker, text, create))
            except _GaveUp as exc:
                result.comment = "failed"
                result.errors.append(f"PR comment on {ctx.repository}#{ctx.pr_number}: {exc}")
        if want_status:
            assert status_state is not None
            description = fit_description(ctx.scrub(status_description))
            link = target_url or ctx.run_url
            try:
                session.attempt(lambda: _set_status(session.github, ctx, status_state, description,
                                                    status_context, link))
                result.status = "set"
            except _GaveUp as exc:
                result.status = "failed"
                result.errors.append(f"commit status on {ctx.head_sha}: {exc}")
    finally:
        session.close()
    result.errors = [_one_line(ctx.scrub(e)) for e in result.errors]
    return result


# --------------------------------------------------------------------------------------
# The two operations (each attempt starts from scratch, so a retry is safe)
# --------------------------------------------------------------------------------------

def _upsert_comment(gh: Github, ctx: GitHubContext, marker: str, text: str,
                    create: bool = True) -> tuple[str, str | None]:
    assert ctx.repository is not None and ctx.pr_number is not None
    issue = gh.get_repo(ctx.repository).get_issue(ctx.pr_number)
    for comment in issue.get_comments():
        if marker in (comment.body or ""):
            comment.edit(text)
            return "updated", comment.html_url
    if not create:
        return "skipped", None
    created = issue.create_comment(text)
    return "created", created.html_url


def _set_status(gh: Github, ctx: GitHubContext, state: str, description: str, context: str,
                target_url: str | None) -> None:
    assert ctx.repository is not None and ctx.head_sha is not None
    commit = gh.get_repo(ctx.repository).get_commit(ctx.head_sha)
    commit.create_status(state, target_url=target_url if target_url else NotSet,
                         description=description if description else NotSet, context=context)


# --------------------------------------------------------------------------------------
# Retrying
# --------------------------------------------------------------------------------------

class _GaveUp(Exception):
    """An operation failed for good; the message is one line, for PublishResult.errors."""


class _Session:
    """One PyGithub client and one waiting budget (``max_wait``) for a whole publish."""

    def __init__(self, ctx: GitHubContext, options: PublishOptions) -> None:
        self.ctx = ctx
        self.options = options
        self.waited = 0.0
        self.unreachable = False
        self.github = Github(auth=Auth.Token(ctx.token or ""), base_url=ctx.api_url,
                             timeout=max(1, math.ceil(options.timeout)), user_agent="pgrelease",
                             per_page=100, retry=None, lazy=True,
                             seconds_between_requests=None, seconds_between_writes=None)

    def close(self) -> None:
        try:
            self.github.close()
        except Exception:  # noqa: BLE001 - closing must not turn a result into an exception
            pass

    def attempt(self, operation: Callable[[], T]) -> T:
        # once GitHub proved unreachable in this publish, later operations get one try only
        attempts = 1 if self.unreachable else max(0, self.options.retries) + 1
        for number in range(attempts):
            try:
                return operation()
            except Exception as exc:  # noqa: BLE001 - every failure becomes a result entry
                reason, retryable, wait = self._classify(exc)
                network = isinstance(exc, requests.exceptions.RequestException)
            last = number == attempts - 1
            if not retryable:
                raise _GaveUp(reason)
            if last:
                self.unreachable = self.unreachable or network
                raise _GaveUp(f"{reason} (gave up after {attempts} attempt{'s' if attempts > 1 else ''})")
            backoff = max(self.options.backoff, 0.0) * (2 ** number)
            delay = backoff if wait is None else max(wait, backoff)
            budget = self.options.max_wait - self.waited
            if wait is not None and delay > budget:
                raise _GaveUp(f"{reason}; GitHub asks to wait {math.ceil(delay)} s, more than the"
                              f" {self.options.max_wait:g} s allowed (max_wait), so gave up")
            if delay > budget:
                if budget <= 0:
                    raise _GaveUp(f"{reason} (gave up after {number + 1} attempts: max_wait"
                                  f" {self.options.max_wait:g} s spent)")
                delay = budget
            if delay > 0:
                time.sleep(delay)
                self.waited += delay
        raise AssertionError("unreachable")

    def _classify(self, exc: Exception) -> tuple[str, bool, float | None]:
        """(one-line reason, retry it?, seconds GitHub asks to wait or None)."""
        if isinstance(exc, GithubException):
            status = exc.status
            headers = {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}
            message = exc.data.get("message") if isinstance(exc.data, dict) else None
            message = str(message or exc.message or "").strip()
            details = exc.data.get("errors") if isinstance(exc.data, dict) else None
            if isinstance(details, list):
                found = [str(d.get("message") or d.get("code")) for d in details if isinstance(d, dict)]
                if found:
                    message = f"{message} ({'; '.join(found[:3])})"
            text = f"GitHub answered {status}" + (f": {message}" if message else "")
            if status in (403, 429) and _rate_limited(status, headers, message):
                return f"{text} (rate limited)", True, _rate_limit_wait(headers, message)
            if status >= 500:
                return text, True, None
            return text + _advice(status, message, self.ctx), False, None
        if isinstance(exc, requests.exceptions.Timeout):
            return f"no answer from {self.ctx.api_url} within {math.ceil(self.options.timeout)} s", True, None
        if isinstance(exc, requests.exceptions.ConnectionError):
            return f"cannot reach {self.ctx.api_url}: {_connection_reason(exc)}", True, None
        if isinstance(exc, requests.exceptions.RequestException):
            return f"request to {self.ctx.api_url} failed: {exc.__class__.__name__}", True, None
        return f"unexpected answer or error ({exc.__class__.__name__}: {shorten(str(exc), 200)})", False, None


def _rate_limited(status: int, headers: dict[str, str], message: str) -> bool:
    return (status == 429 or headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
            or Requester.isRateLimitError(message))


def _rate_limit_wait(headers: dict[str, str], message: str) -> float | None:
    retry_after = headers.get("retry-after")
    if retry_after:
        if retry_after.strip().isdigit():
            return float(retry_after.strip())
        when = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
        if when is not None:
            return max(when.timestamp() - time.time(), 0.0)
    reset = headers.get("x-ratelimit-reset")
    if headers.get("x-ratelimit-remaining") == "0" and reset and reset.isdigit():
        return max(int(reset) - time.time(), 0.0)
    if Requester.isSecondaryRateLimitError(message):
        return SECONDARY_RATE_WAIT
    return None


def _advice(status: int, message: str, ctx: GitHubContext) -> str:
    if status == 401:
        return " (check the token: GITHUB_TOKEN is missing, expired or wrong)"
    if status == 403:
        fork = "this pull request comes from a fork, whose token is read-only; " if ctx.is_fork else ""
        return f" ({fork}give the workflow `permissions: pull-requests: write, statuses: write`)"
    if status == 404:
        return " (the repository, pull request or commit does not exist, or the token cannot see it)"
    return ""


def _connection_reason(exc: Exception) -> str:
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if found:
        return found.group(1).strip().rstrip(".")
    for known in ("Connection refused", "Connection reset", "Connection aborted", "RemoteDisconnected",
                  "Name or service not known", "timed out"):
        if known.lower() in text.lower():
            return known
    return exc.__class__.__name__


def _one_line(text: str) -> str:
    return " ".join(text.split())
