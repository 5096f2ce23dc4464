"""What the promotion asks GitHub before it deploys: the gate's commit status, the default
branch, the environment's protection rules, and (afterwards) the pull requests a commit
belongs to. Same client, retries and rate-limit budget as publishing (``publish._Session``);
a read that still fails raises ``GitHubUnavailable`` (exit 3: GitHub was required)."""

from __future__ import annotations

from dataclasses import dataclass

from github import GithubException

from ..errors import EnvironmentFailure, UsageError
from .context import GitHubContext
from .publish import PublishOptions, _GaveUp, _Session


class GitHubUnavailable(EnvironmentFailure):
    """A GitHub read the run depends on failed after its retries."""


@dataclass(frozen=True)
class Protection:
    exists: bool
    reviewers: tuple[str, ...] = ()  # "user:alice", "team:dba"
    wait_timer: int = 0


class GitHubReader:
    def __init__(self, ctx: GitHubContext, options: PublishOptions = PublishOptions()) -> None:
        if not ctx.repository:
            raise UsageError("no repository to ask GitHub about", hint="set GITHUB_REPOSITORY or pass --repo OWNER/NAME")
        if not ctx.token:
            raise UsageError("no GitHub token", hint="set GITHUB_TOKEN (in a workflow: ${{ github.token }})")
        self.ctx = ctx
        self.session = _Session(ctx, options)

    def __enter__(self) -> "GitHubReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def _read(self, what: str, operation):  # noqa: ANN001, ANN202
        try:
            return self.session.attempt(operation)
        except _GaveUp as exc:
            raise GitHubUnavailable(f"GitHub: {what}: {self.ctx.scrub(str(exc))}",
                                    hint="retry when GitHub answers; check the token's permissions") from None

    def commit_status(self, sha: str, context: str) -> str | None:
        """The latest state of status ``context`` on ``sha`` (success, pending, failure,
        error), or None when there is none."""
        def read() -> str | None:
            repo = self.session.github.get_repo(self.ctx.repository)
            combined = repo.get_commit(sha).get_combined_status()
            for status in combined.statuses:  # newest state per context
                if status.context == context:
                    return status.state
            return None
        return self._read(f"reading the commit status {context} of {sha[:12]}", read)

    def default_branch(self) -> str:
        return self._read("reading the repository",
                          lambda: self.session.github.get_repo(self.ctx.repository).default_branch)

    def environment(self, name: str) -> Protection:
        def read() -> Protection:
            repo = self.session.github.get_repo(self.ctx.repository)
            try:
                rules = repo.get_environment(name).protection_rules or []  # (lazy objects: read here)
            except GithubException as exc:
                if exc.status == 404:
                    return Protection(False)
                raise
            reviewers: list[str] = []
            wait = 0
            for rule in rules:
                if rule.type == "required_reviewers":
                    for reviewer in rule.reviewers or []:
                        kind = (reviewer.type or "").lower()
                        who = getattr(reviewer.reviewer, "login", None) or getattr(reviewer.reviewer, "slug", None)
                        reviewers.append(f"{kind}:{who}")
                elif rule.type == "wait_timer":
                    wait = int(rule.wait_timer or 0)
            return Protection(True, tuple(reviewers), wait)
        return self._read(f"reading the environment {name}", read)

    def pulls_of_commit(self, sha: str) -> list[int]:
        def read() -> list[int]:
            commit = self.session.github.get_repo(self.ctx.repository).get_commit(sha)
            return sorted({pull.number for pull in commit.get_pulls()})
        return self._read(f"listing the pull requests of {sha[:12]}", read)
