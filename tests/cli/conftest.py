"""The CLI tests use the local GitHub API of tests/github."""

from tests.github.conftest import github_api, github_description, pr_context  # noqa: F401 - fixtures
