"""The workflow files and composite actions pass actionlint, GitHub's JSON schemas
(check-jsonschema's vendor.github-workflows / vendor.github-actions) and zizmor (offline),
with no findings; each linter is shown to fail on a deliberately bad file, so a green run
means something. No `run:` block interpolates `${{ }}` (script injection): inputs reach
scripts through `env:` only. Remote actions are pinned by full commit SHA with a version
comment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SKIP_DIRS = {".git", ".venv", "node_modules", "build", "dist"}


def _repo_files() -> list[Path]:
    """Files git tracks plus untracked ones it does not ignore (new files are linted too)."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                         check=True, capture_output=True).stdout.decode()
    paths = [REPO / n for n in sorted(set(out.split("\0"))) if n]
    return [p for p in paths if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(REPO).parts)]


def workflow_files() -> list[Path]:
    return [p for p in _repo_files()
            if p.parent == REPO / ".github" / "workflows" and p.suffix in (".yml", ".yaml")]


def action_files() -> list[Path]:
    return [p for p in _repo_files() if p.name in ("action.yml", "action.yaml")
            and not p.relative_to(REPO).parts[0] in ("tests", "examples", "docs", "bench")]


WORKFLOWS = workflow_files()
ACTIONS = action_files()
ALL = WORKFLOWS + ACTIONS


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in {BIN} (pip install -e '.[test]')")
    return str(path)


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


def actionlint(*files: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return _run(_tool("actionlint"), "-no-color", *map(str, files), cwd=cwd)


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return _run(_tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files))


def zizmor(*files: Path) -> subprocess.CompletedProcess[str]:
    return _run(_tool("zizmor"), "--offline", "--no-progress", "--format", "plain", *map(str, files))


def _show(res: subprocess.CompletedProcess[str]) -> str:
    return f"exit {res.returncode}\n{res.stdout}\n{res.stderr}"


def test_the_files_are_there():
    names = {p.relative_to(REPO).as_posix() for p in ALL}
    assert {"action.yml", "pr-gate/action.yml", ".github/workflows/pr-migrations.yml",
            "promote/action.yml", ".github/workflows/promote-prod.yml"} <= names


# -- the real files: no findings --------------------------------------------------------

def test_actionlint():
    res = actionlint(*WORKFLOWS)
    assert res.returncode == 0, _show(res)


def test_workflow_schema():
    res = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert res.returncode == 0, _show(res)


def test_action_schema():
    res = check_jsonschema("vendor.github-actions", *ACTIONS)
    assert res.returncode == 0, _show(res)


def test_zizmor():
    res = zizmor(*ALL)
    assert res.returncode == 0, _show(res)
    assert "No findings to report" in res.stdout + res.stderr, _show(res)


def _yaml(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text())


def _walk(node, trail=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield trail + (str(key),), key, value
            yield from _walk(value, trail + (str(key),))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, trail + (str(i),))


def run_blocks_with_expressions(path: Path) -> list[str]:
    return ["/".join(trail) for trail, key, value in _walk(_yaml(path))
            if key == "run" and isinstance(value, str) and "${{" in value]


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


# (one test over all files rather than one per file: the file list must not differ between
# pytest-xdist workers while someone adds a workflow)
def test_no_expression_inside_run():
    found = {_name(p): blocks for p in ALL if (blocks := run_blocks_with_expressions(p))}
    assert found == {}, "pass inputs to scripts through env:, never ${{ }} inside run:"


def pin_problems(paths: list[Path]) -> list[str]:
    problems = []
    for path in paths:
        for line in path.read_text().splitlines():
            m = re.match(r"\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$", line)
            if not m or m.group(1).startswith(("./", "docker://")):
                continue
            if not re.fullmatch(r"[0-9a-f]{40}", m.group(1).partition("@")[2]):
                problems.append(f"{path.name}: {line.strip()}: pin by full commit SHA")
            elif not (m.group(2) and re.search(r"v\d", m.group(2))):
                problems.append(f"{path.name}: {line.strip()}: add a # vX.Y.Z comment")
    return problems


def shell_problems(paths: list[Path]) -> list[str]:
    """Run steps that do not name bash (composite actions must name a shell; workflows
    too, unless defaults.run.shell is bash)."""
    problems = []
    for path in paths:
        doc = _yaml(path)
        default = ((doc.get("defaults") or {}).get("run") or {}).get("shell")
        for trail, key, value in _walk(doc):
            if key == "steps" and isinstance(value, list):
                problems += [f"{path.name}: {'/'.join(trail)}: {step['run']!r}" for step in value
                             if isinstance(step, dict) and "run" in step and step.get("shell", default) != "bash"]
    return problems


def test_remote_actions_pinned_by_sha():
    assert pin_problems(ALL) == []


def test_bash_everywhere():
    assert shell_problems(ALL) == []


# -- each linter can fail -----------------------------------------------------------------

BAD_WORKFLOW = """\
name: bad
on: pull_request_target
permissions: write-all
jobs:
  bad:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }} ${{ steps.nope.outputs.x }} ${{ foo.bar }}"
"""

BAD_SCHEMA_WORKFLOW = """\
name: bad
on: pull_request
jobs:
  bad:
    runs-on: ubuntu-latest
    steps: 3
"""

BAD_ACTION = """\
name: bad
description: no runs section, an unknown key
inputs:
  x:
    required: maybe
"""


def test_actionlint_can_fail(tmp_path: Path):
    wf = tmp_path / ".github" / "workflows" / "bad.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text(BAD_WORKFLOW)
    res = actionlint(wf, cwd=tmp_path)
    assert res.returncode == 1, _show(res)
    assert "foo" in res.stdout and "steps.nope" in res.stdout


def test_check_jsonschema_can_fail(tmp_path: Path):
    wf, action = tmp_path / "bad.yml", tmp_path / "action.yml"
    wf.write_text(BAD_SCHEMA_WORKFLOW)
    action.write_text(BAD_ACTION)
    res = check_jsonschema("vendor.github-workflows", wf)
    assert res.returncode == 1 and "steps" in res.stdout, _show(res)
    res = check_jsonschema("vendor.github-actions", action)
    assert res.returncode == 1 and "runs" in res.stdout, _show(res)


def test_zizmor_can_fail(tmp_path: Path):
    wf = tmp_path / "bad.yml"
    wf.write_text(BAD_WORKFLOW)
    res = zizmor(wf)
    assert res.returncode >= 10, _show(res)  # 10 + the worst severity found
    for audit in ("template-injection", "dangerous-triggers", "unpinned-uses"):
        assert audit in res.stdout, _show(res)


def test_own_checks_can_fail(tmp_path: Path):
    wf = tmp_path / "bad.yml"
    wf.write_text(BAD_WORKFLOW + "      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830\n")
    assert run_blocks_with_expressions(wf) == ["jobs/bad/steps/1/run"]
    assert [p.rsplit(": ", 1)[1] for p in pin_problems([wf])] == ["pin by full commit SHA", "add a # vX.Y.Z comment"]
    assert len(shell_problems([wf])) == 1
