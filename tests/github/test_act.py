"""The real workflow and composite actions, run under act (host mode, offline).

See act_harness.py for how act is run. The staging database is a fresh database on the
suite's embedded server with the Supabase baseline (what a new Supabase project has); the
GitHub API is the local one from api_server.py (fixture ``github_api``). The actions reuse
the suite's interpreter (``vars.PGRELEASE_PYTHON``), which has this pgrelease installed,
instead of pip-installing it on every run.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

import pytest

from pgrelease.db.baseline import apply_supabase_baseline
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn

from tests.github.act_harness import ActRepo, pull_request_event, run_act

REPO_NAME = "acme/app"
PR = 42
ACME = "examples/acme"
PR_MIGRATION = f"{ACME}/supabase/migrations/20250210090000_schema_version_1_1_0.sql"
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"


def _versions(repo: ActRepo) -> list[str]:
    """The example project's migration versions, as the copy under test has them."""
    return sorted(p.name.split("_", 1)[0] for p in (repo.root / ACME / "supabase" / "migrations").glob("*.sql"))


@pytest.fixture
def staging(fresh_db: Dsn) -> Dsn:
    """A fresh database shaped like a new Supabase project."""
    with connect(fresh_db) as conn:
        apply_supabase_baseline(conn)
    return fresh_db


def _recorded(dsn: Dsn) -> list[str]:
    with connect(dsn) as conn:
        rows = conn.execute("select version from supabase_migrations.schema_migrations order by version").fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def act_repo(tmp_path: Path) -> ActRepo:
    return ActRepo.create(tmp_path / "copy", pr_files=[PR_MIGRATION])


def _event(repo: ActRepo) -> dict:
    return pull_request_event(REPO_NAME, PR, head_sha=repo.head_sha, base_sha=repo.base_sha)


def _assert_no_secret(output: str, *values: str) -> None:
    for value in values:
        assert value and value not in output, "a secret appears in act's output"


# -- the root action ----------------------------------------------------------------------

ROOT_WORKFLOW = f"""\
name: root action
on: pull_request
permissions: {{}}
jobs:
  root:
    runs-on: ubuntu-latest
    steps:
      - uses: {CHECKOUT}
      - id: push
        uses: ./
        with:
          command: push
          workdir: {ACME}
          args: --format 'github' --lock-wait 30
          db-url: ${{{{ secrets.STAGING_DB_URL }}}}
          python: ${{{{ vars.PGRELEASE_PYTHON }}}}
      - id: status
        uses: ./
        with:
          command: status
          workdir: {ACME}
          db-url: ${{{{ secrets.STAGING_DB_URL }}}}
          python: ${{{{ vars.PGRELEASE_PYTHON }}}}
      - id: hostile
        continue-on-error: true
        uses: ./
        with:
          command: status
          args: --workdir '$(touch PWNED)' ; touch PWNED2 `touch PWNED3`
          python: ${{{{ vars.PGRELEASE_PYTHON }}}}
      - id: badcommand
        continue-on-error: true
        uses: ./
        with:
          command: status; touch PWNED4
          python: ${{{{ vars.PGRELEASE_PYTHON }}}}
      - id: oldpython
        continue-on-error: true
        uses: ./
        with:
          command: status
          python: ./fake-python/python3.10
      - name: check the outputs
        shell: bash
        env:
          PUSH: ${{{{ steps.push.outputs.exit-code }}}}
          STATUS: ${{{{ steps.status.outputs.exit-code }}}}
          HOSTILE: ${{{{ steps.hostile.outputs.exit-code }}}}
          HOSTILE_OUTCOME: ${{{{ steps.hostile.outcome }}}}
          BADCOMMAND: ${{{{ steps.badcommand.outputs.exit-code }}}}
          OLDPYTHON: ${{{{ steps.oldpython.outcome }}}}
        run: |
          echo "push=$PUSH status=$STATUS hostile=$HOSTILE/$HOSTILE_OUTCOME badcommand=$BADCOMMAND oldpython=$OLDPYTHON"
          test "$PUSH" = 0 && test "$STATUS" = 0
          test "$HOSTILE" = 2 && test "$HOSTILE_OUTCOME" = failure && test "$BADCOMMAND" = 2
          test "$OLDPYTHON" = failure
          for f in PWNED PWNED2 PWNED3 PWNED4; do
            test ! -e "$f" && test ! -e "{ACME}/$f" || {{ echo "$f exists: args were expanded"; exit 1; }}
          done
          echo ALL-CHECKS-PASSED
"""


def test_root_action(act_repo: ActRepo, staging: Dsn, tmp_path: Path):
    act_repo.write(".github/workflows/act-root.yml", ROOT_WORKFLOW)
    fake = act_repo.write("fake-python/python3.10", "#!/bin/sh\necho 3.10.12\n")
    fake.chmod(0o755)
    run = run_act(act_repo.root, ".github/workflows/act-root.yml", event=_event(act_repo), tmp=tmp_path / "act",
                  secrets={"STAGING_DB_URL": staging.url(reveal=True)},
                  variables={"PGRELEASE_PYTHON": sys.executable})
    assert run.succeeded and "ALL-CHECKS-PASSED" in run.output, run
    assert _recorded(staging) == _versions(act_repo)
    assert "reusing the pgrelease already installed" in run.output
    assert "pgrelease needs Python 3.11 or newer" in run.output and "ubuntu-24.04" in run.output, run
    assert "command must be one pgrelease subcommand" in run.output
    _assert_no_secret(run.output, staging.password)


INSTALL_WORKFLOW = f"""\
name: install
on: pull_request
permissions: {{}}
jobs:
  install:
    runs-on: ubuntu-latest
    steps:
      - uses: {CHECKOUT}
      - uses: ./
        with:
          command: lint
          workdir: {ACME}
          python: ${{{{ vars.BASE_PYTHON }}}}
      - uses: ./pr-gate
        with:
          workdir: {ACME}
          comment: "off"
          args: --no-publish
          python: ${{{{ vars.BASE_PYTHON }}}}
"""


@pytest.mark.skipif(os.environ.get("PGRELEASE_TEST_ACTION_INSTALL") != "1",
                    reason="pip-installs pgrelease from the package index; PGRELEASE_TEST_ACTION_INSTALL=1 runs it")
def test_actions_install_into_a_venv(act_repo: ActRepo, tmp_path: Path):
    """What a GitHub runner does: a venv in RUNNER_TEMP made with a plain interpreter, pgrelease
    pip-installed from the checkout; the second action step of the job reuses that venv.
    Needs the package index (not run by default); prints how long the install took."""
    act_repo.write(".github/workflows/act-install.yml", INSTALL_WORKFLOW)
    base = getattr(sys, "_base_executable", sys.executable)
    run = run_act(act_repo.root, ".github/workflows/act-install.yml", event=_event(act_repo), tmp=tmp_path / "act",
                  variables={"BASE_PYTHON": base}, block_internet=False, timeout=600)
    assert run.succeeded, run
    [took] = re.findall(r"installed in \d+ s", run.output)
    assert "reusing " in run.output and "from an earlier step of this job" in run.output
    print(f"\naction install step: {took}")


# -- the PR workflow ----------------------------------------------------------------------

FAILING_VERIFY = f"{ACME}/supabase/verify/99_deliberately_failing.sql"


def _gate_available() -> bool:
    from click.testing import CliRunner

    from pgrelease.cli import main
    return CliRunner().invoke(main, ["gate", "--help"]).exit_code == 0


def test_pr_workflow(act_repo: ActRepo, staging: Dsn, github_api, tmp_path: Path):
    if not _gate_available():
        pytest.skip("pgrelease gate is not in the CLI yet")
    token = "ghs_" + secrets.token_urlsafe(27)
    github_api.add_token(token)
    github_api.add_repo(REPO_NAME)
    github_api.add_pull(REPO_NAME, PR, head_sha=act_repo.head_sha, head_ref="pr", base_ref="main")
    workflow = ".github/workflows/pr-migrations.yml"
    env = {"GITHUB_API_URL": github_api.url, "GITHUB_REPOSITORY": REPO_NAME}
    if os.environ.get("PGRELEASE_TEST_PG_BIN"):  # the shadow on the same PostgreSQL as staging
        env["PGRELEASE_PG_BIN"] = os.environ["PGRELEASE_TEST_PG_BIN"]
    common = dict(secrets={"GITHUB_TOKEN": token, "STAGING_DB_URL": staging.url(reveal=True)},
                  variables={"PGRELEASE_PYTHON": sys.executable}, env=env)

    first = run_act(act_repo.root, workflow, event=_event(act_repo), tmp=tmp_path / "act1", **common)
    assert first.succeeded, first
    assert _recorded(staging) == _versions(act_repo)
    [comment] = github_api.comments_on(REPO_NAME, PR)
    assert comment.body.startswith(f"<!-- pgrelease:gate workdir={ACME} -->")
    [status] = [s for s in github_api.statuses_for(REPO_NAME, act_repo.head_sha)]
    assert (status.state, status.context) == ("success", "pgrelease/gate")
    first_body = comment.body

    act_repo.write(FAILING_VERIFY, "do $$ begin raise exception 'deliberately failing verify check'; end $$;\n")
    head = act_repo.commit("a failing verify script", add=[FAILING_VERIFY])
    github_api.add_pull(REPO_NAME, PR, head_sha=head, head_ref="pr", base_ref="main")
    second = run_act(act_repo.root, workflow, event=_event(act_repo), tmp=tmp_path / "act2", **common)
    assert second.returncode != 0 and "🏁  Job failed" in second.output, second
    [edited] = github_api.comments_on(REPO_NAME, PR)
    assert edited.id == comment.id and edited.body != first_body
    assert "deliberately failing verify check" in edited.body or "99_deliberately_failing" in edited.body
    assert github_api.statuses_for(REPO_NAME, head)[-1].state == "failure"

    for run in (first, second):
        _assert_no_secret(run.output, staging.password, token)


def test_pr_workflow_without_staging_secrets(act_repo: ActRepo, github_api, tmp_path: Path):
    """A fork's pull request: no staging secrets. The gate lints and replays, passes, and
    says staging was skipped, in the job log and in its one comment."""
    if not _gate_available():
        pytest.skip("pgrelease gate is not in the CLI yet")
    token = "ghs_" + secrets.token_urlsafe(27)
    github_api.add_token(token)
    github_api.add_pull(REPO_NAME, PR, head_sha=act_repo.head_sha, head_ref="pr", base_ref="main")
    run = run_act(act_repo.root, ".github/workflows/pr-migrations.yml", event=_event(act_repo), tmp=tmp_path / "act",
                  secrets={"GITHUB_TOKEN": token}, variables={"PGRELEASE_PYTHON": sys.executable},
                  env={"GITHUB_API_URL": github_api.url})
    assert run.succeeded, run
    [comment] = github_api.comments_on(REPO_NAME, PR)
    for text in (run.output, comment.body):
        assert re.search(r"skipped: [^\n]*staging", text), text
    assert github_api.statuses_for(REPO_NAME, act_repo.head_sha)[-1].state == "success"
    _assert_no_secret(run.output, token)
