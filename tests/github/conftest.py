"""Fixtures for the GitHub layer: a local GitHub REST API held to GitHub's OpenAPI description.

- ``github_description``: the description, parsed once per test session (worker).
- ``github_api``: a fresh ``GitHubAPI`` server per test; the test fails at teardown when
  any request (or answer) broke the contract.
- ``pr_context``: a pull request on that server (acme/app#7) and the ``GitHubContext``
  a workflow run on it would have.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pgrelease.github.context import GitHubContext
from tests.github.api_server import Description, GitHubAPI

TOKEN = "ghs_TestToken0123456789abcdefABCDEF0123"
REPO = "acme/app"
PR = 7
HEAD_SHA = "3f786850e387550fdab836ed7e6dc881de23001b"


@pytest.fixture(scope="session")
def github_description() -> Description:
    return Description.load()


@pytest.fixture
def github_api(github_description: Description) -> Iterator[GitHubAPI]:
    api = GitHubAPI(github_description).start()
    try:
        yield api
    finally:
        api.stop()
    if api.violations:
        pytest.fail("the local GitHub API saw requests (or gave answers) outside GitHub's contract:\n"
                    + "\n".join(f"  {v}" for v in api.violations), pytrace=False)


@pytest.fixture
def pr_context(github_api: GitHubAPI) -> GitHubContext:
    github_api.add_pull(REPO, PR, head_sha=HEAD_SHA, base_ref="main", head_ref="add-orders")
    return GitHubContext(repository=REPO, pr_number=PR, head_sha=HEAD_SHA, base_ref="main", head_repo=REPO,
                         api_url=github_api.url, server_url="https://github.com",
                         run_url=f"https://github.com/{REPO}/actions/runs/4242", event_name="pull_request",
                         token=TOKEN)
