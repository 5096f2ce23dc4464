"""What a lint rule is: read this to write one.

A rule is one module in ``lint/rules/``, named after its id (``drop-table`` lives in
``rules/drop_table.py``), holding one subclass of :class:`Rule`. The registry finds it by
listing that folder; nothing else needs to name it. A rule declares

* ``id``, ``category`` (one of :data:`CATEGORIES`), ``severity`` (:data:`ERROR` or
  :data:`WARNING`), and ``default_enabled = False`` if it is off unless
  ``[lint] enable`` names it;
* ``doc`` (what it catches, why it hurts, the safe alternative) and ``help`` (one line,
  shown with every finding unless the hit brings its own);
* ``bad`` and ``good``: example migrations, run as tests (tests/lint/test_rules.py). A
  :class:`Bad` example says what the rule must report there: the line of each finding and
  a part of its message. An example is the SQL text of one migration file, or a dict
  describing a project (see :func:`pgrelease.lint.lint_example`);
* ``nodes``: the statement node types (pglast's, e.g. ``"AlterTableStmt"``) that
  :meth:`Rule.check` is called for.

and implements what it needs of

* ``check(ctx, node)``: one statement; ``node`` is its parse tree (a dict, pglast's JSON
  form), ``ctx`` the :class:`~pgrelease.lint.context.FileContext` (the file, how the
  runner executes it, what earlier statements did). Return :class:`Hit` values, made with
  ``ctx.hit(message, at=node_or_offset, help=...)``;
* ``start_file(ctx)``: before the file's first statement (reset per-file state here);
* ``finish_file(ctx)``: after its last statement, for what only the whole file shows;
* ``finish_run(run)``: after every file, for what only the whole set shows
  (:class:`~pgrelease.lint.context.RunInfo`); such hits name their file with
  ``source=ctx``.

State: the engine makes a new instance of every enabled rule for each lint run, so a rule
keeps what it learns as typed attributes of ``self``: across files as set in
``__init__``, within one file as (re)set in ``start_file``. A small example::

    class DropTable(Rule):
        id = "drop-table"
        category = DESTRUCTIVE
        severity = ERROR
        nodes = ("DropStmt",)
        doc = \"\"\"...\"\"\"
        help = "stop using the table first; drop it later in a deliberate cleanup migration"
        bad = [Bad("drop table profiles;", [(1, "DROP TABLE profiles destroys the table")]),
               Bad("drop table a;\\ndrop table b;", [(1, "DROP TABLE a"), (2, "DROP TABLE b")])]
        good = ["create table t (id bigint);\\ndrop table t;", "-- drop table t;\\nselect 1;"]

        def check(self, ctx: FileContext, node: Body) -> list[Hit]:
            old = [rel for rel in drop_relations(node) if not ctx.is_new(rel)]
            return [ctx.hit(f"DROP TABLE {qualified(old[0])} destroys the table")] if old else []
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Union

from .ast import Body
from .config import ERROR, WARNING
from .context import FileContext, Hit, RunInfo, TableKey

__all__ = [
    "CATEGORIES", "DESTRUCTIVE", "ERROR", "Bad", "Body", "Example", "FileContext", "HYGIENE", "Hit", "LINTER", "LOCKS",
    "ROBUSTNESS", "Rule", "RunInfo", "TYPES", "TableKey", "WARNING",
]

DESTRUCTIVE = "Destructive (the additive-only policy)"
LOCKS = "Locks and rewrites on existing tables"
ROBUSTNESS = "Robustness"
TYPES = "Types and Supabase habits"
HYGIENE = "Project hygiene"
LINTER = "The linter itself"
CATEGORIES = (DESTRUCTIVE, LOCKS, ROBUSTNESS, TYPES, HYGIENE, LINTER)  # in the documentation's order

# One migration file's SQL, or a project: {"files": {name: sql}, "others": ..., "applied": [...], ...}
Example = Union[str, Mapping[str, Any]]
# What a finding must show: (line, part of the message), or (file name, line, part of the message)
Expected = Union[tuple[int, str], tuple[str, int, str]]


@dataclass(frozen=True)
class Bad:
    """An example the rule must report: exactly these findings, in file and line order."""

    example: Example
    findings: Sequence[Expected]


class Rule:
    """The interface every lint rule implements (see the module's documentation)."""

    id: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    nodes: ClassVar[tuple[str, ...]] = ()
    doc: ClassVar[str]
    help: ClassVar[str]
    bad: ClassVar[Sequence[Bad]]
    good: ClassVar[Sequence[Example]]

    def start_file(self, ctx: FileContext) -> None:
        """Before the file's first statement."""

    def check(self, ctx: FileContext, node: Body) -> Iterable[Hit]:
        """One statement whose node type is in ``nodes``."""
        return ()

    def finish_file(self, ctx: FileContext) -> Iterable[Hit]:
        """After the file's last statement."""
        return ()

    def finish_run(self, run: RunInfo) -> Iterable[Hit]:
        """After every file of the run."""
        return ()

    @classmethod
    def overrides(cls, method: str) -> bool:
        """The rule implements ``method`` itself (the engine calls only those)."""
        return getattr(cls, method) is not getattr(Rule, method)
