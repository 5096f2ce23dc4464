"""Lint migrations before they reach a database.

Library entry points (the CLI is a thin layer over them):

* :func:`lint_files` - lint given files or sources, optionally knowing the rest of the
  project (``others``), the versions applied to the target (``applied``) and whether the
  linted files are exactly the pending set (``pending``);
* :func:`lint_project` - choose the files like ``pgrelease lint`` does (explicit files,
  pending against a database, changed since a git ref, or all) and lint them;
* :func:`lint_report` - the same, as a :class:`~pgrelease.report.model.Report`.

Findings carry rule id, severity, file, line, column, statement excerpt, message and help.

Where things are: ``rule.py`` (what a rule is: start here to write one), ``rules/`` (one
module per rule), ``registry.py`` (finds them), ``engine.py`` (runs them over a file),
``context.py`` (what a rule knows beyond its statement), ``ast.py`` (parse-tree helpers),
``config.py`` (the ``[lint]`` table), ``source.py`` (a file to lint), ``api.py`` and
``selection.py`` (the entry points above). How to add a rule: docs/lint.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..report.model import Report
from .api import EXAMPLE_FILE, lint_example, lint_files, lint_sql
from .config import LintConfig, load_lint_config
from .engine import FileSummary, Finding, LintResult
from .selection import LintRun, Selection, changed_since, lint_project, select
from .source import Source

__all__ = [
    "EXAMPLE_FILE", "FileSummary", "Finding", "LintConfig", "LintResult", "LintRun", "Selection", "Source",
    "changed_since", "lint_example", "lint_files", "lint_project", "lint_report", "lint_sql", "load_lint_config",
    "select",
]


def lint_report(workdir: Path, *, files: Iterable[Path | str] = (), dsn: Any = None, base: str | None = None,
                config: LintConfig | None = None, connect_options: Any = None) -> Report:
    """``pgrelease lint`` as a Report: ``data["findings"]``; failed when any finding is an error."""
    from ..report.steps import lint_step

    selection, result = lint_project(workdir, files=files, dsn=dsn, base=base, config=config,
                                     connect_options=connect_options)
    return Report.of("lint", lint_step(LintRun(selection, result)), target=selection.target)
