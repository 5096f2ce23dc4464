"""What the rules know beyond the statement in front of them.

``RunState`` lives for one lint run (a set of migration files, in version order);
``FileContext`` is the ``ctx`` every rule's ``check(ctx, node)`` receives: the file, how
the runner will execute it, and what earlier statements did; ``RunInfo`` is what
``finish_run(run)`` sees. What the context tracks:

* tables created earlier in the same migration, or in an earlier migration of the same
  pending set, are *new*: nobody reads or writes them yet, so locking or rewriting them is
  free (squawk#349 is the false positive this avoids);
* NOT NULL checks added and validated earlier (in any earlier migration), so that
  ``SET NOT NULL`` can skip its full-table scan;
* whether ``lock_timeout`` was set earlier in the file;
* objects the same migration drops and then creates again (an atomic replace).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..migrations.split import Statement, tokens
from .ast import DEFAULT_SCHEMA, Body, alter_cmds, column_defs, const_value, func_name, names, relation_key, type_signature

if TYPE_CHECKING:
    from ..migrations.parse import Execution
    from .config import LintConfig
    from .source import Source

__all__ = ["FileContext", "Hit", "RunInfo", "RunState", "function_key", "may_refuse_transaction", "not_null_column"]

TableKey = tuple[str, str]


@dataclass(slots=True)
class Hit:
    """What a rule found: a message, where (a character offset in the statement, None for
    its start) and optionally a help text more specific than the rule's ``help``."""

    message: str
    offset: int | None = None
    help: str | None = None
    statement: int | None = None  # index in the file; None: the statement being checked
    source: "FileContext | None" = None  # for run-level hits: the file the hit belongs to
    line: int | None = None  # for file-level hits without a statement


@dataclass
class RunState:
    """State shared by all files of one lint run."""

    config: "LintConfig"
    pending: bool = False  # the linted files are not applied yet: their tables are new to each other
    new_tables: set[TableKey] = field(default_factory=set)  # created by earlier pending files
    new_indexes: set[TableKey] = field(default_factory=set)  # (schema, index) built by earlier pending files
    not_null_checks: dict[tuple[TableKey, str], str] = field(default_factory=dict)  # (table, con) -> column
    validated_not_null: set[tuple[TableKey, str]] = field(default_factory=set)  # (table, column)

    def observe_constraints(self, body: Body) -> None:
        """Record NOT NULL checks an ALTER TABLE adds or validates."""
        table = relation_key(body.get("relation"))
        for cmd in body.get("cmds", ()):
            sub = cmd.get("AlterTableCmd", {})
            subtype = sub.get("subtype")
            if subtype == "AT_AddConstraint":
                con = sub.get("def", {}).get("Constraint", {})
                column = not_null_column(con)
                if column is None:
                    continue
                name = con.get("conname", "")
                self.not_null_checks[(table, name)] = column
                if not con.get("skip_validation"):
                    self.validated_not_null.add((table, column))
            elif subtype == "AT_ValidateConstraint":
                column = self.not_null_checks.get((table, sub.get("name", "")))
                if column is not None:
                    self.validated_not_null.add((table, column))


def not_null_column(con: Body) -> str | None:
    """The column a ``CHECK (col IS NOT NULL)`` or table-level ``NOT NULL col`` constraint covers."""
    contype = con.get("contype")
    if contype == "CONSTR_CHECK":
        expr = con.get("raw_expr", {}).get("NullTest")
        if expr and expr.get("nulltesttype") == "IS_NOT_NULL":
            ref = expr.get("arg", {}).get("ColumnRef")
            if ref:
                parts = names(ref.get("fields"))
                return parts[-1] if parts else None
    elif contype == "CONSTR_NOTNULL":
        keys = names(con.get("keys"))
        if len(keys) == 1:
            return keys[0]
    return None


def function_key(funcname: list[Body], argtypes: list[Body] | None) -> tuple[Any, ...]:
    """(schema, name, arg types or None) identifying a routine for drop/re-create matching."""
    parts = names(funcname)
    schema = parts[0] if len(parts) > 1 else DEFAULT_SCHEMA
    args = None if argtypes is None else tuple(type_signature(t) for t in argtypes)
    return (schema, parts[-1] if parts else "", args)


class FileContext:
    """The ``ctx`` of a rule: one migration file, advanced statement by statement."""

    def __init__(self, source: "Source", statements: list[Statement], directives: set[str],
                 no_transaction: str | None, run: RunState) -> None:
        self.source = source
        self.statements = statements
        self.directives = directives
        self.no_transaction = no_transaction
        self.execution: Execution | None = None  # the runner's plan for the file (set by the engine)
        self.run = run
        self.config = run.config
        self.asts: list[tuple[str, Body] | None] = [None] * len(statements)
        self.created: set[TableKey] = set()
        self.created_indexes: set[TableKey] = set()  # (schema, index name) built earlier in this file
        self.lock_timeout = False
        self.creates: dict[tuple[Any, ...], list[int]] = {}  # object key -> indexes of its CREATEs
        # advanced by the engine
        self.index = -1
        self.kind = ""  # node type of the statement being checked, e.g. "AlterTableStmt"
        self.statement: Statement | None = None
        self.base = 0  # byte offset of the statement in the text pglast parsed
        self.bases: list[int] = []  # the same for every statement (set by the engine)
        self._encoded: bytes | None = None
        self._segments: list[int] | None = None
        self._columns: list[tuple[Body, int | None]] | None = None

    # --- what the rules ask -----------------------------------------------------------

    @property
    def pg_version(self) -> int:
        return self.config.postgres_version

    @property
    def transactional(self) -> bool:
        """True when the runner executes the whole file in one transaction."""
        return self.no_transaction is None

    @property
    def sql(self) -> str:
        return self.statement.sql if self.statement is not None else ""

    def is_new(self, rangevar: Body | None) -> bool:
        """The table was created earlier in this migration (or in an earlier pending one)."""
        if not rangevar or rangevar.get("relpersistence") == "t":
            return bool(rangevar)
        key = relation_key(rangevar)
        return key in self.created or (self.run.pending and key in self.run.new_tables)

    def is_new_index(self, rangevar: Body | None) -> bool:
        """The index was built earlier in this migration (or in an earlier pending one), by name
        or as PostgreSQL names the indexes of a table created there (``t_pkey``, ``t_a_idx``)."""
        if not rangevar:
            return False
        key = relation_key(rangevar)
        if key in self.created_indexes or (self.run.pending and key in self.run.new_indexes):
            return True
        schema, name = key
        if not _DEFAULT_INDEX_SUFFIX.search(name):
            return False
        tables = self.created | self.run.new_tables if self.run.pending else self.created
        return any(s == schema and name.startswith(t + "_") for s, t in tables)

    def existing_table_cmds(self, stmt: Body, *subtypes: str) -> Iterator[tuple[int, str, Body]]:
        """ALTER TABLE subcommands of the given subtypes (all when none given), but only when
        the table already exists: what a table new in this migration does is not a risk."""
        if self.is_new(stmt.get("relation")):
            return
        for i, subtype, sub in alter_cmds(stmt):
            if not subtypes or subtype in subtypes:
                yield i, subtype, sub

    def not_null_validated(self, rangevar: Body | None, column: str) -> bool:
        return (relation_key(rangevar), column) in self.run.validated_not_null

    def recreated_later(self, key: tuple[Any, ...]) -> bool:
        """A later statement of this migration creates the object (again)."""
        return any(i > self.index for i in self.creates.get(key, ()))

    def created_earlier(self, key: tuple[Any, ...]) -> bool:
        """An earlier statement of this migration created the object."""
        return any(i < self.index for i in self.creates.get(key, ()))

    def hit(self, message: str, at: Body | int | None = None, help: str | None = None) -> Hit:
        """A finding at a node (its ``location``), a character offset, or the statement start."""
        return Hit(message, self.offset_of(at), help, self.index)

    def offset_of(self, at: Body | int | None) -> int | None:
        if at is None:
            return None
        if isinstance(at, int):
            return at if at >= 0 else None
        loc = at.get("location", -1)
        if loc is None or loc < 0:
            return None
        rel = loc - self.base
        if rel < 0:
            return None
        sql = self.sql
        if sql.isascii():
            return rel
        if self._encoded is None:
            self._encoded = sql.encode("utf-8")
        return len(self._encoded[:rel].decode("utf-8", errors="ignore"))

    def cmd_offset(self, i: int) -> int | None:
        """Character offset of the i-th subcommand of an ALTER TABLE (or TABLE-like) statement."""
        if self._segments is None:
            self._segments = _segments(self.sql)
        return self._segments[i] if 0 <= i < len(self._segments) else None

    def column_defs(self, body: Body) -> list[tuple[Body, int | None]]:
        """``ast.column_defs`` of the statement being checked, computed once for all rules."""
        if self._columns is None:
            self._columns = list(column_defs(self.kind, body))
        return self._columns

    def base_of(self, index: int) -> int:
        return self.bases[index] if 0 <= index < len(self.bases) else 0

    # --- moved along by the engine ----------------------------------------------------

    def at_statement(self, index: int, base: int) -> None:
        self.index = index
        self.statement = self.statements[index]
        item = self.asts[index]
        self.kind = item[0] if item is not None else ""
        self.base = base
        self._encoded = None
        self._segments = None
        self._columns = None

    def prepare(self) -> None:
        """Look ahead once: what this migration creates, for drop-then-create detection."""
        for i, item in enumerate(self.asts):
            if item is None:
                continue
            kind, body = item
            if kind == "ViewStmt":
                self._creates(("view",) + relation_key(body.get("view")), i)
            elif kind == "CreateTableAsStmt" and body.get("objtype") == "OBJECT_MATVIEW":
                self._creates(("matview",) + relation_key(body.get("into", {}).get("rel")), i)
            elif kind == "CreateEnumStmt" or kind == "CreateRangeStmt":
                self._creates(("type",) + _qualified_names(body.get("typeName")), i)
            elif kind == "CompositeTypeStmt":
                self._creates(("type",) + relation_key(body.get("typevar")), i)
            elif kind == "CreateDomainStmt":
                self._creates(("type",) + _qualified_names(body.get("domainname")), i)
            elif kind == "CreateSchemaStmt":
                self._creates(("schema", body.get("schemaname", "")), i)
            elif kind == "CreateSeqStmt":
                self._creates(("sequence",) + relation_key(body.get("sequence")), i)
            elif kind == "CreateExtensionStmt":
                self._creates(("extension", body.get("extname", "")), i)
            elif kind == "CreateFunctionStmt":
                params = [
                    p["FunctionParameter"].get("argType", {})
                    for p in body.get("parameters", ())
                    if p.get("FunctionParameter", {}).get("mode", "FUNC_PARAM_DEFAULT")
                    in ("FUNC_PARAM_DEFAULT", "FUNC_PARAM_IN", "FUNC_PARAM_INOUT", "FUNC_PARAM_VARIADIC")
                ]
                key = function_key(body.get("funcname", []), params)
                self._creates(("function",) + key, i)
                self._creates(("function",) + key[:2] + (None,), i)

    def _creates(self, key: tuple[Any, ...], index: int) -> None:
        self.creates.setdefault(key, []).append(index)

    def observe(self, kind: str, body: Body) -> None:
        """Update what later statements see."""
        if kind == "CreateStmt":
            self._created(body.get("relation"))
        elif kind == "CreateTableAsStmt":
            self._created(body.get("into", {}).get("rel"))
        elif kind == "SelectStmt":
            into = body.get("intoClause")
            if into:
                self._created(into.get("rel"))
            else:
                self._set_config(body)
        elif kind == "IndexStmt":
            name = body.get("idxname")
            if name:  # an index lives in its table's schema
                key = (relation_key(body.get("relation"))[0], name)
                self.created_indexes.add(key)
                if self.run.pending:
                    self.run.new_indexes.add(key)
        elif kind == "AlterTableStmt":
            self.run.observe_constraints(body)
        elif kind == "RenameStmt":
            if body.get("renameType") == "OBJECT_TABLE" and self.is_new(body.get("relation")):
                schema, _ = relation_key(body.get("relation"))
                self._created_key((schema, body.get("newname", "")))
            elif body.get("renameType") == "OBJECT_INDEX" and self.is_new_index(body.get("relation")):
                schema, _ = relation_key(body.get("relation"))
                self.created_indexes.add((schema, body.get("newname", "")))
                if self.run.pending:
                    self.run.new_indexes.add((schema, body.get("newname", "")))
        elif kind == "VariableSetStmt" and body.get("name") == "lock_timeout":
            if body.get("kind") == "VAR_SET_VALUE":
                self.lock_timeout = _nonzero(const_value((body.get("args") or [None])[0]))
            else:
                self.lock_timeout = False

    def _created(self, rangevar: Body | None) -> None:
        if rangevar:
            self._created_key(relation_key(rangevar))

    def _created_key(self, key: TableKey) -> None:
        self.created.add(key)
        if self.run.pending:
            self.run.new_tables.add(key)

    def _set_config(self, body: Body) -> None:
        for target in body.get("targetList", ()):
            call = target.get("ResTarget", {}).get("val", {}).get("FuncCall")
            if call and func_name(call) == "set_config":
                args = call.get("args", [])
                if len(args) >= 2 and const_value(args[0]) == "lock_timeout":
                    self.lock_timeout = _nonzero(const_value(args[1]))


@dataclass
class RunInfo:
    """What set-level rules (``finish_run``) see. The files' parse trees are gone by then:
    a set-level rule keeps what it needs of each file on itself (in ``finish_file``)."""

    files: list[FileContext]
    others: list["Source"]  # files of the project that are not being linted (applied, or left out)
    applied: set[str]  # versions recorded in the target database
    pending: bool  # the linted files are exactly what is not applied yet
    config: "LintConfig"


# The suffixes of the names PostgreSQL gives indexes: ChooseRelationName's "pkey", "key",
# "excl" and "idx", with a number appended when the name is taken.
_DEFAULT_INDEX_SUFFIX = re.compile(r"_(?:pkey|key|excl|idx)\d*$")


def _qualified_names(items: list[Body] | None) -> tuple[str, str]:
    """(schema, name) of a name list such as a type's; unqualified means public."""
    parts = names(items)
    if not parts:
        return (DEFAULT_SCHEMA, "")
    return (parts[-2] if len(parts) > 1 else DEFAULT_SCHEMA, parts[-1])


def _nonzero(value: Any) -> bool:
    if value is None:
        return False
    text = str(value).strip().lower()
    return bool(text) and text.lstrip("0").lstrip(".0") not in ("", "s", "ms", "min")


def _segments(sql: str) -> list[int]:
    """Start offsets of the comma-separated subcommands of ``ALTER TABLE name sub, sub``."""
    toks = list(tokens(sql))
    i, n = 0, len(toks)
    # skip ALTER <kind> [IF EXISTS] [ONLY] up to the relation name
    words = {"alter", "table", "foreign", "materialized", "view", "index", "sequence", "if", "exists", "only"}
    while i < n and toks[i].kind == "word" and toks[i].text.lower() in words:
        i += 1
    # the (possibly qualified) name, then an optional *
    if i < n and toks[i].kind in ("word", "ident"):
        i += 1
        while i + 1 < n and toks[i].text == "." and toks[i + 1].kind in ("word", "ident"):
            i += 2
    if i < n and toks[i].text == "*":
        i += 1
    out = [toks[i].start] if i < n else []
    depth = 0
    take_next = False
    for tok in toks[i:]:
        if take_next:
            out.append(tok.start)
            take_next = False
        if tok.kind == "op":
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif tok.text == "," and depth == 0:
                take_next = True
    return out


_REFUSING = frozenset({
    "VacuumStmt", "ReindexStmt", "ClusterStmt", "CreatedbStmt", "DropdbStmt", "AlterDatabaseStmt",
    "CreateTableSpaceStmt", "DropTableSpaceStmt", "AlterSystemStmt", "CreateSubscriptionStmt",
    "AlterSubscriptionStmt", "DropSubscriptionStmt", "DiscardStmt",
})


def may_refuse_transaction(kind: str, body: Body) -> bool:
    """Could the runner's ``non_transactional`` flag this statement? (A superset, by node type.)"""
    if kind in _REFUSING:
        return True
    if kind in ("IndexStmt", "DropStmt"):
        return bool(body.get("concurrent"))
    if kind == "AlterTableStmt":
        return any(c.get("AlterTableCmd", {}).get("subtype") == "AT_DetachPartition" for c in body.get("cmds", ()))
    return False
