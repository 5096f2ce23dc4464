"""GitHub Actions workflow-command syntax and the files Actions reads back."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ..secrets import scrub


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, *, file: str | None = None, line: int | None = None,
               col: int | None = None, title: str | None = None, prefix: str = "") -> str:
    """One workflow command: ``::error file=F,line=L,col=C,title=T::message``. ``prefix`` is
    the project's path in the repository (see ``repo_path``): GitHub places annotations by
    repository paths, while pgrelease names files relative to the project."""
    if file and prefix not in ("", ".") and not file.startswith("/"):
        file = f"{prefix.rstrip('/')}/{file}"
    props = [f"{key}={escape_property(str(value))}"
             for key, value in (("file", file), ("line", line), ("col", col), ("title", title)) if value is not None]
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{escape_data(message)}"


def add_mask(secret: str) -> str:
    """``::add-mask::`` so the runner hides ``secret`` in every later log line."""
    return f"::add-mask::{escape_data(secret)}"


def append_env_file(variable: str, text: str) -> None:
    """Append to the file a GitHub variable names ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT), scrubbed."""
    path = os.environ.get(variable)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(scrub(text))


def cell(text: str | None) -> str:
    """Text safe inside a markdown table cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")


def repo_path(workdir: Path) -> str:
    """The workdir as a path inside the repository (``examples/acme``, ``.``): for the comment
    marker and for links to file lines. Relative to $GITHUB_WORKSPACE in Actions, else to
    the git work tree; as given (relative) or ``.`` (absolute) when neither holds it."""
    here = Path(workdir).resolve()
    roots = [os.environ["GITHUB_WORKSPACE"]] if os.environ.get("GITHUB_WORKSPACE") else []
    try:
        top = subprocess.run(["git", "-C", str(here), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=30)
        if top.returncode == 0 and top.stdout.strip():
            roots.append(top.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    for root in roots:
        try:
            return here.relative_to(Path(root).resolve()).as_posix() or "."
        except ValueError:
            continue
    return "." if Path(workdir).is_absolute() else Path(workdir).as_posix()
