"""Where a run publishes to: repository, pull request, head commit, API URL, token.

``GitHubContext.from_env()`` reads what GitHub Actions provides (``GITHUB_REPOSITORY``,
the event JSON at ``GITHUB_EVENT_PATH``, ``GITHUB_SHA``, ``GITHUB_API_URL``, ...);
explicit arguments win over the environment. For a ``pull_request`` event the head
commit comes from the event (``GITHUB_SHA`` is then the test merge commit, not the
commit a status belongs on). Malformed input raises ``UsageError`` with a hint; the
token never appears in ``repr``/``str``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from ..secrets import known_secrets, scrub

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"

_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_SHA = re.compile(r"^[0-9a-fA-F]{7,64}$")


@dataclass(frozen=True)
class GitHubContext:
    repository: str | None      # "owner/name"
    pr_number: int | None
    head_sha: str | None        # PR head sha (from the event), else GITHUB_SHA
    base_ref: str | None        # PR base branch name, e.g. "main"
    head_repo: str | None       # "owner/name" of the PR head (differs from repository for forks)
    api_url: str = DEFAULT_API_URL
    server_url: str = DEFAULT_SERVER_URL
    run_url: str | None = None
    event_name: str | None = None
    token: str | None = field(default=None, repr=False)

    @property
    def is_fork(self) -> bool:
        """The pull request comes from another repository (its token is read-only)."""
        return (self.repository is not None and self.head_repo is not None
                and self.head_repo.lower() != self.repository.lower())

    def scrub(self, text: str) -> str:
        """``text`` with the token (raw, percent-encoded, base64) and every other secret the
        run knows masked, through the one scrubber (``pgrelease.secrets``)."""
        return scrub(text, known_secrets() | ({self.token} if self.token else set()))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, repository: str | None = None,
                 pr_number: int | str | None = None, sha: str | None = None, api_url: str | None = None,
                 token: str | None = None) -> GitHubContext:
        env = os.environ if environ is None else environ

        def var(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        event_name = var("GITHUB_EVENT_NAME")
        event = _read_event(var("GITHUB_EVENT_PATH"))
        pull = event.get("pull_request") if isinstance(event.get("pull_request"), dict) else None
        issue = event.get("issue") if isinstance(event.get("issue"), dict) else None

        event_number: Any = None
        event_sha: str | None = None
        base_ref = head_repo = None
        if pull is not None:
            event_number = pull.get("number")
            event_sha = _dig(pull, "head", "sha")
            base_ref = _dig(pull, "base", "ref")
            head_repo = _dig(pull, "head", "repo", "full_name")
        elif issue is not None and issue.get("pull_request"):
            event_number = issue.get("number")  # issue_comment on a pull request: no head sha in the event

        repo = _repository(repository if repository is not None else var("GITHUB_REPOSITORY"),
                           "--repository" if repository is not None else "GITHUB_REPOSITORY")
        if pr_number is not None:
            number = _pr_number(pr_number, "--pr")
        elif event_number is not None:
            number = _pr_number(event_number, "the event's pull_request.number")
        else:
            number = None

        if sha is not None:
            head_sha = _sha(sha, "--sha")
        elif event_sha is not None:
            head_sha = _sha(event_sha, "the event's pull_request.head.sha")
        elif issue is not None and pull is None and number is not None:
            head_sha = None  # GITHUB_SHA is the default branch here, not the pull request's head
        elif var("GITHUB_SHA"):
            head_sha = _sha(var("GITHUB_SHA") or "", "GITHUB_SHA")
        else:
            head_sha = None

        api = _url(api_url if api_url is not None else var("GITHUB_API_URL"), DEFAULT_API_URL,
                   "--github-api-url" if api_url is not None else "GITHUB_API_URL")
        server = _url(var("GITHUB_SERVER_URL"), DEFAULT_SERVER_URL, "GITHUB_SERVER_URL")
        run_id = var("GITHUB_RUN_ID")
        run_url = f"{server}/{repo}/actions/runs/{run_id}" if repo and run_id and run_id.isdigit() else None
        return cls(repository=repo, pr_number=number, head_sha=head_sha,
                   base_ref=base_ref if isinstance(base_ref, str) and base_ref else None,
                   head_repo=head_repo if isinstance(head_repo, str) and head_repo else None,
                   api_url=api, server_url=server, run_url=run_url, event_name=event_name,
                   token=token if token else var("GITHUB_TOKEN"))


def _read_event(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    hint = "GITHUB_EVENT_PATH must name the event JSON file GitHub Actions writes; unset it outside Actions"
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise UsageError(f"GITHUB_EVENT_PATH names a missing file: {path}", hint=hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read GITHUB_EVENT_PATH {path}: {exc.__class__.__name__}", hint=hint) from None
    except ValueError as exc:
        raise UsageError(f"GITHUB_EVENT_PATH {path} is not JSON: {str(exc).splitlines()[0]}", hint=hint) from None
    if not isinstance(data, dict):
        raise UsageError(f"GITHUB_EVENT_PATH {path} is not a JSON object", hint=hint)
    return data


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _repository(value: str | None, source: str) -> str | None:
    if value is None:
        return None
    if not _REPOSITORY.match(value):
        raise UsageError(f"{source} is not owner/name: {value!r}",
                         hint="give the repository as owner/name, e.g. acme/app")
    return value


def _pr_number(value: Any, source: str) -> int:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number <= 0:
        raise UsageError(f"{source} is not a positive pull request number: {value!r}",
                         hint="give the pull request number, e.g. --pr 42")
    return number


def _sha(value: str, source: str) -> str:
    if not isinstance(value, str) or not _SHA.match(value.strip()):
        raise UsageError(f"{source} is not a commit sha: {value!r}",
                         hint="give the full hexadecimal commit sha (git rev-parse HEAD)")
    return value.strip()


def _url(value: str | None, default: str, source: str) -> str:
    if value is None:
        return default
    if not re.match(r"^https?://[^\s/]+", value):
        raise UsageError(f"{source} is not an http(s) URL: {value!r}",
                         hint=f"leave it unset for GitHub.com ({default})")
    return value.rstrip("/")
