"""GitHub Actions workflow-command syntax and the files Actions reads back."""

from __future__ import annotations

import os

from ..report.scrub import scrub


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, *, file: str | None = None, line: int | None = None,
               col: int | None = None, title: str | None = None) -> str:
    """One workflow command: ``::error file=F,line=L,col=C,title=T::message``."""
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
