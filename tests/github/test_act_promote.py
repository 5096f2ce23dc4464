"""The production promotion workflow (.github/workflows/promote-prod.yml) and the promote
composite action, run under act (host mode, offline) as a maintainer starts them:
``act workflow_dispatch --input confirm="CONFIRM PRODUCTION DEPLOYMENT"``.

Set-up, as in test_act.py (see act_harness.py for how act runs): a copy of this repository
whose pull request (the example's last migration) has been merged into ``main``, so
GITHUB_REF is refs/heads/main and GITHUB_SHA the merged head; production is a fresh
database with the Supabase baseline and all of examples/acme's migrations pending; the
local GitHub API (checked against GitHub's OpenAPI description) holds a ``success``
``pgrelease/gate`` status on that head, the ``production`` environment with a required
reviewer, and the merged pull request. The actions reuse the suite's interpreter
(``vars.PGRELEASE_PYTHON``) instead of pip-installing pgrelease on every run.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn

from tests.github.act_harness import ActRepo, run_act, workflow_dispatch_event

REPO = Path(__file__).resolve().parents[2]
REPO_NAME = "acme/app"
PR = 42
ACME = "examples/acme"
PR_MIGRATION = f"{ACME}/supabase/migrations/20250210090000_schema_version_1_1_0.sql"
WORKFLOW = ".github/workflows/promote-prod.yml"
CONFIRM = "CONFIRM PRODUCTION DEPLOYMENT"
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"


def _yaml(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text())


# -- the files say what the runbook says (no act needed) ------------------------------------

def test_workflow_shape():
    """workflow_dispatch with a required confirm input; one job in the production
    environment, never two at once, with exactly the permissions the promotion needs."""
    doc = _yaml(REPO / WORKFLOW)
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert list(on) == ["workflow_dispatch"]
    confirm = on["workflow_dispatch"]["inputs"]["confirm"]
    assert confirm["required"] is True and confirm["type"] == "string" and CONFIRM in confirm["description"]
    assert doc["permissions"] == {}
    assert doc["concurrency"] == {"group": "promote-production", "cancel-in-progress": False}
    job = doc["jobs"]["promote"]
    assert job["environment"] == "production" and job["needs"] == "confirm"
    assert job["permissions"] == {"contents": "read", "statuses": "read", "pull-requests": "write",
                                  "deployments": "read"}
    assert doc["jobs"]["confirm"]["permissions"] == {} and "environment" not in doc["jobs"]["confirm"]
    checkout, promote, upload = job["steps"]
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert promote["uses"] == "./promote" and promote["with"]["workdir"] == ACME
    assert promote["with"]["confirm"] == "${{ inputs.confirm }}"
    assert promote["with"]["db-url"] == "${{ secrets.PROD_DB_URL }}"
    assert promote["with"]["project-ref"] == "${{ secrets.PROD_PROJECT_REF }}"
    assert promote["with"]["db-password"] == "${{ secrets.PROD_DB_PASSWORD }}"
    assert "!env.ACT" in upload["if"]


def test_every_action_input_reaches_the_command():
    """Each input of promote/action.yml is handed to a step through env: (none forgotten,
    none interpolated elsewhere), and each output is one the promote step writes."""
    doc = _yaml(REPO / "promote" / "action.yml")
    used = set()
    for step in doc["runs"]["steps"]:
        for value in (step.get("env") or {}).values():
            used |= set(re.findall(r"inputs\.([a-z0-9-]+)", str(value)))
    assert set(doc["inputs"]) == used
    assert doc["inputs"]["confirm"]["required"] is True
    assert doc["inputs"]["environment"]["default"] == "production"
    assert doc["inputs"]["gate-context"]["default"] == "pgrelease/gate"
    assert doc["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert set(doc["outputs"]) == {"result", "applied", "audit-id", "report", "exit-code"}
    assert all(o["value"].startswith("${{ steps.promote.outputs.") for o in doc["outputs"].values())


def test_readme_usage_block_lints_clean(tmp_path: Path):
    """The workflow promote/README.md tells users to copy passes the same linters as ours."""
    from tests.github.test_workflow_files import _show, actionlint, check_jsonschema, zizmor

    [block] = re.findall(r"```yaml\n(.*?)```", (REPO / "promote" / "README.md").read_text(), re.S)
    wf = tmp_path / ".github" / "workflows" / "promote-prod.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(block.replace("<full commit SHA>", "0123456789abcdef0123456789abcdef01234567"))
    (tmp_path / ".git").mkdir()  # actionlint looks for the repository root
    for res in (actionlint(wf, cwd=tmp_path), check_jsonschema("vendor.github-workflows", wf), zizmor(wf)):
        assert res.returncode == 0, _show(res)


# -- under act --------------------------------------------------------------------------------

def _versions(repo: ActRepo) -> list[str]:
    return sorted(p.name.split("_", 1)[0] for p in (repo.root / ACME / "supabase" / "migrations").glob("*.sql"))


def _recorded(dsn: Dsn) -> list[str]:
    with connect(dsn) as conn:
        if conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone()[0] is None:
            return []
        return [r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations order by 1")]


def _audit_rows(dsn: Dsn) -> list[dict]:
    """The deployment rows of the example's own audit_log (pgrelease writes what it cannot
    put in a column into ``details``)."""
    with connect(dsn) as conn:
        if conn.execute("select to_regclass('public.audit_log')").fetchone()[0] is None:
            return []
        return [dict(id=r[0], actor=r[1], details=r[2]) for r in conn.execute(
            "select id, actor, details from public.audit_log where action = 'deployment' order by id")]


def _assert_no_secret(output: str, *values: str) -> None:
    for value in values:
        assert value and value not in output, "a secret appears in act's output"


def _promote_available() -> bool:
    from click.testing import CliRunner

    from pgrelease.cli import main
    return CliRunner().invoke(main, ["promote", "--help"]).exit_code == 0


@pytest.fixture
def merged(tmp_path: Path) -> ActRepo:
    """The copy with the pull request merged into main (what a maintainer promotes)."""
    repo = ActRepo.create(tmp_path / "copy", pr_files=[PR_MIGRATION])
    repo.merge()
    return repo


@pytest.fixture
def token(github_api, merged: ActRepo) -> str:
    """The local GitHub API as the promotion finds it: the gate passed on the merged head,
    production has a required reviewer, the head came with pull request #42."""
    if not _promote_available():
        pytest.skip("pgrelease promote is not in the CLI yet")
    token = "ghs_" + secrets.token_urlsafe(27)
    github_api.add_token(token)
    github_api.add_repo(REPO_NAME, default_branch="main")
    github_api.add_status(REPO_NAME, merged.head_sha, "success", context="pgrelease/gate")
    github_api.add_environment(REPO_NAME, "production", reviewers=["octocat"])
    github_api.add_pull(REPO_NAME, PR, head_sha=merged.head_sha, merge_commit_sha=merged.head_sha, head_ref="pr",
                        base_ref="main", state="closed", merged=True)
    return token


def _dispatch(repo: ActRepo, workflow: str, tmp: Path, *, confirm: str, production: Dsn, token: str, api_url: str):
    env = {"GITHUB_API_URL": api_url, "GITHUB_REPOSITORY": REPO_NAME}
    if os.environ.get("PGRELEASE_TEST_PG_BIN"):  # the drift replay on the same PostgreSQL as production
        env["PGRELEASE_PG_BIN"] = os.environ["PGRELEASE_TEST_PG_BIN"]
    return run_act(repo.root, workflow, event=workflow_dispatch_event(REPO_NAME, workflow), tmp=tmp,
                   event_name="workflow_dispatch", inputs={"confirm": confirm},
                   secrets={"GITHUB_TOKEN": token, "PROD_DB_URL": production.url(reveal=True)},
                   variables={"PGRELEASE_PYTHON": sys.executable}, env=env)


def test_promote_workflow(merged: ActRepo, supabase_db: Dsn, github_api, token: str, tmp_path: Path):
    production = supabase_db
    run = _dispatch(merged, WORKFLOW, tmp_path / "act", confirm=CONFIRM, production=production, token=token,
                    api_url=github_api.url)
    assert run.succeeded, run
    assert "confirmed" in run.output and "reusing the pgrelease already installed" in run.output
    assert _recorded(production) == _versions(merged)
    [row] = _audit_rows(production)
    assert row["details"]["status"] == "succeeded", row
    assert row["details"]["commit"] == merged.head_sha and row["details"]["confirmation"] == CONFIRM
    assert len(row["details"]["applied"]) == len(_versions(merged))
    # the composite action's outputs, as act logs them
    for output in ("result=ok", f"applied={len(_versions(merged))}", f"audit-id={row['id']}", "report=/"):
        assert f"::set-output:: {output}" in run.output, output
    # pre-flight asked GitHub: the gate status of the head, the environment's rules
    assert github_api.requests_to("repos/get-environment"), run
    statuses = (github_api.requests_to("repos/get-combined-status-for-ref")
                + github_api.requests_to("repos/list-commit-statuses-for-ref"))
    assert statuses and all(merged.head_sha in r.path for r in statuses)
    # the merged pull request hears that its migration is in production
    [comment] = github_api.comments_on(REPO_NAME, PR)
    assert "20250210090000" in comment.body and "production" in comment.body
    _assert_no_secret(run.output, production.password, token)
    _assert_no_secret(comment.body, production.password, token)


def test_wrong_confirmation_stops_the_workflow(merged: ActRepo, supabase_db: Dsn, github_api, token: str,
                                               tmp_path: Path):
    """Lower case: the confirm job fails, the production job never starts (no reviewer is
    asked, no secret handed out): nothing applied, no audit row, not one GitHub request."""
    run = _dispatch(merged, WORKFLOW, tmp_path / "act", confirm=CONFIRM.lower(), production=supabase_db,
                    token=token, api_url=github_api.url)
    assert run.returncode != 0 and "🏁  Job failed" in run.output, run
    assert "Promotion not confirmed" in run.output, run
    assert "pgrelease promote" not in run.output.split("Promotion not confirmed", 1)[1], run
    assert _recorded(supabase_db) == [] and _audit_rows(supabase_db) == []
    assert github_api.requests == []
    _assert_no_secret(run.output, supabase_db.password, token)


ACTION_WORKFLOW = f"""\
name: promote action
on:
  workflow_dispatch:
    inputs:
      confirm:
        description: the typed text
        required: true
        type: string
permissions: {{}}
jobs:
  promote:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: {CHECKOUT}
      - id: promote
        continue-on-error: true
        uses: ./promote
        with:
          workdir: {ACME}
          confirm: ${{{{ inputs.confirm }}}}
          db-url: ${{{{ secrets.PROD_DB_URL }}}}
          require-reviewers: "true"
          reason: $(touch PWNED) `touch PWNED2`
          python: ${{{{ vars.PGRELEASE_PYTHON }}}}
      - id: badflag
        continue-on-error: true
        uses: ./promote
        with:
          workdir: {ACME}
          confirm: ${{{{ inputs.confirm }}}}
          skip-gate-check: "yes please"
          python: ${{{{ vars.PGRELEASE_PYTHON }}}}
      - name: check the outputs
        shell: bash
        env:
          CODE: ${{{{ steps.promote.outputs.exit-code }}}}
          OUTCOME: ${{{{ steps.promote.outcome }}}}
          BADFLAG: ${{{{ steps.badflag.outputs.exit-code }}}}
        run: |
          echo "promote=$CODE/$OUTCOME badflag=$BADFLAG"
          test "$CODE" = 2 && test "$OUTCOME" = failure && test "$BADFLAG" = 2
          for f in PWNED PWNED2; do
            test ! -e "$f" && test ! -e "{ACME}/$f" || {{ echo "$f exists: an input was expanded"; exit 1; }}
          done
          echo ALL-CHECKS-PASSED
"""


def test_promote_action_refuses_a_near_miss(merged: ActRepo, supabase_db: Dsn, github_api, token: str,
                                            tmp_path: Path):
    """The action on its own (no confirm job in front of it): a trailing space reaches
    pgrelease as typed and is refused with exit 2 before any connection or GitHub request;
    a flag input that is not true/false is a usage error; no input is ever expanded."""
    merged.write(".github/workflows/act-promote-action.yml", ACTION_WORKFLOW)
    run = _dispatch(merged, ".github/workflows/act-promote-action.yml", tmp_path / "act", confirm=CONFIRM + " ",
                    production=supabase_db, token=token, api_url=github_api.url)
    assert run.succeeded and "ALL-CHECKS-PASSED" in run.output, run
    assert "confirmation refused" in run.output, run
    assert "the input for --skip-gate-check must be true or false" in run.output, run
    assert _recorded(supabase_db) == [] and _audit_rows(supabase_db) == []
    assert github_api.requests == []
    _assert_no_secret(run.output, supabase_db.password, token)
