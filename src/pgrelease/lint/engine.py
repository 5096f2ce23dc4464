"""The lint engine: split each file the way the runner does, parse it with PostgreSQL's own
grammar (pglast / libpg_query, JSON form), run the rules, apply ignores, return findings.

Per file:

1. ``file_directive`` + ``split_sql`` + ``plan_execution``: the very functions the runner
   uses (``migrations.parse``), so the linter judges a file by how it will really run (one
   transaction, statement by statement, or block by block) and refuses what it refuses.
2. One ``parse_sql_json`` call for the whole file (its statements joined again), mapped
   back onto the runner's statements; if that fails (a syntax error, or the two splitters
   disagree) every statement is parsed on its own, so each syntax error is a finding with
   its own line and column and the other statements are still checked.
3. Every enabled rule gets ``start_file(ctx)``; then, statement by statement, every rule
   whose ``nodes`` names the statement's node type gets ``check(ctx, body)``, and the
   context learns from the statement (new tables, lock_timeout, ...).
4. Rules with ``finish_file(ctx)`` see the whole file; rules with ``finish_run(run)`` the set.

What a rule is (``lint/rule.py``) and which rules there are (``lint/registry.py``) live apart.
"""

from __future__ import annotations

import gc
import json
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from ..errors import SqlFileError
from ..migrations.classify import file_directive
from ..migrations.parse import plan_execution
from ..migrations.split import Statement, split_sql
from .config import ERROR, WARNING, LintConfig
from .context import FileContext, Hit, RunInfo, RunState, may_refuse_transaction
from .registry import IGNORE_COMMENT as IGNORE_RULE, RULES, SYNTAX_ERROR as SYNTAX
from .rule import Rule
from .source import Source

__all__ = ["Engine", "FileSummary", "Finding", "LintResult", "RunInfo", "Source"]

_IGNORE = re.compile(r"--\s*pgrelease\s*:\s*ignore\b[ \t]*(.*)", re.IGNORECASE)
_SEPARATOR = ";\n"
_EXCERPT = 120


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # error | warning
    file: str
    line: int
    column: int
    message: str
    help: str
    excerpt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "file": self.file, "line": self.line,
                "column": self.column, "message": self.message, "help": self.help, "excerpt": self.excerpt}


@dataclass(frozen=True)
class FileSummary:
    file: str
    statements: int
    no_transaction: str | None  # why the runner runs it statement by statement; None: one transaction

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "statements": self.statements}
        if self.no_transaction:
            out["no_transaction"] = self.no_transaction
        return out


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return sum(f.statements for f in self.files)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def counts_by_rule(self) -> list[dict[str, Any]]:
        """``{"rule", "severity", "count"}`` per rule that found something: errors first, then
        by count (highest first) and rule id."""
        counts: dict[tuple[str, str], int] = {}
        for f in self.findings:
            counts[(f.rule, f.severity)] = counts.get((f.rule, f.severity), 0) + 1
        order = sorted(counts.items(), key=lambda item: (item[0][1] != ERROR, -item[1], item[0][0]))
        return [{"rule": rule, "severity": severity, "count": count} for (rule, severity), count in order]


@dataclass
class _Ignore:
    rules: tuple[str, ...]
    reason: str
    line: int
    text: str


class Engine:
    def __init__(self, config: LintConfig | None = None) -> None:
        self.config = config or LintConfig()
        self.severity: dict[str, str] = {}
        for rule_id, rule in RULES.items():
            level = self.config.severity_of(rule_id, rule.severity, rule.default_enabled)
            if level is not None:
                self.severity[rule_id] = level

    # --- public -------------------------------------------------------------------------

    def run(self, sources: list[Source], *, others: list[Source] = (), applied: set[str] | frozenset[str] = frozenset(),
            pending: bool = False) -> LintResult:
        # Decoding parse trees makes millions of small dicts and lists; the cyclic garbage
        # collector would rescan them again and again (a quarter of the run) to find no cycles.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run(sources, others, applied, pending)
        finally:
            if enabled:
                gc.enable()

    def _run(self, sources: list[Source], others: list[Source], applied: set[str] | frozenset[str],
             pending: bool) -> LintResult:
        rules = _Rules([RULES[rule_id]() for rule_id in self.severity])  # fresh state for this run
        state = RunState(self.config, pending=pending)
        for other in sorted(others, key=lambda s: s.sort_key):
            self._prescan(other, state)
        result = LintResult()
        contexts: list[FileContext] = []
        ignores_by_file: dict[int, list[list[_Ignore]]] = {}
        for source in sorted(sources, key=lambda s: s.sort_key):
            ctx, ignores = self._lint_file(source, state, result, rules)
            contexts.append(ctx)
            ignores_by_file[id(ctx)] = ignores
        info = RunInfo(contexts, list(others), set(applied), pending, self.config)
        for rule in rules.run_finishers:
            for hit in rule.finish_run(info):
                ctx = hit.source
                self._emit(rule.id, hit, ctx, ignores_by_file.get(id(ctx), []), result)
        result.findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
        return result

    # --- one file ------------------------------------------------------------------------

    def _lint_file(self, source: Source, state: RunState, result: LintResult,
                   rules: "_Rules") -> tuple[FileContext, list[list[_Ignore]]]:
        early: list[tuple[str, str, int]] = []  # (rule, message, line) found before statements exist
        if source.read_error is not None:
            err = source.read_error
            early.append((SYNTAX, err.message + (f" ({err.hint})" if err.hint else ""), err.line or 1))
        try:
            directives = file_directive(source.text, path=source.display)
        except SqlFileError as err:
            directives = set()
            early.append((SYNTAX, err.message + (f" ({err.hint})" if err.hint else ""), err.line or 1))
        try:
            statements = split_sql(source.text, path=source.display)
        except SqlFileError as err:  # one finding per refused line (every psql meta-command)
            statements = []
            early.extend((SYNTAX, message + (f" ({err.hint})" if err.hint else ""), line)
                         for line, message in err.refused_lines)
        ctx = FileContext(source, statements, directives, None, state)
        for rule, message, line in early:
            if rule in self.severity:
                self._emit(rule, Hit(message, line=line), ctx, [], result)
        ignores = self._ignores(ctx, result)
        bases = ctx.bases = self._parse(ctx, ignores, result)
        # The runner's own decision (migrations.parse.plan_execution), asked only about the
        # statements that can be transaction control or refuse a transaction block at all:
        # same answer, a fraction of the work.
        candidates = {i for i, item in enumerate(ctx.asts)
                      if item is None or item[0] == "TransactionStmt" or may_refuse_transaction(*item)}
        ctx.execution = plan_execution(statements, directives, candidates)
        ctx.no_transaction = ctx.execution.no_transaction
        result.files.append(FileSummary(source.display, len(statements), ctx.no_transaction))
        ctx.prepare()
        for rule in rules.starters:
            rule.start_file(ctx)
        dispatch = rules.by_node
        for i, item in enumerate(ctx.asts):
            if item is None:
                continue
            kind, body = item
            checking = dispatch.get(kind)
            if checking:
                ctx.at_statement(i, bases[i])
                for rule in checking:
                    for hit in rule.check(ctx, body):
                        self._emit(rule.id, hit, ctx, ignores, result)
            elif kind not in _OBSERVED:
                continue
            else:
                ctx.at_statement(i, bases[i])
            ctx.observe(kind, body)
        for rule in rules.file_finishers:
            for hit in rule.finish_file(ctx):
                self._emit(rule.id, hit, ctx, ignores, result)
        # Let the parse trees go now (set-level rules keep what they need in finish_file()):
        # the next file's trees reuse their memory instead of growing the process.
        ctx.asts = [None] * len(ctx.asts)
        return ctx, ignores

    def _parse(self, ctx: FileContext, ignores: list[list[_Ignore]], result: LintResult) -> list[int]:
        """Fill ``ctx.asts``; return each statement's byte offset in the parsed text."""
        statements = ctx.statements
        if not statements:
            return []
        texts = [s.sql for s in statements]
        joined = _SEPARATOR.join(texts)
        ascii_only = joined.isascii()
        step = len(_SEPARATOR)
        # (surrogatepass: text handed in through the library may hold lone surrogates; the
        # parser then refuses it and every statement gets its own syntax-error finding)
        sizes = ([len(t) + step for t in texts] if ascii_only
                 else [len(t.encode("utf-8", "surrogatepass")) + step for t in texts])
        starts = [0, *accumulate(sizes[:-1])]
        try:
            parsed = json.loads(parse_sql_json(joined)).get("stmts", [])
        except ParseError:
            parsed = None
        except Exception:  # noqa: BLE001 - anything else from the parser: take the slow path
            parsed = None
        if parsed is not None and [p.get("stmt_location", 0) for p in parsed] == starts:
            ctx.asts = [next(iter(p["stmt"].items())) for p in parsed]
            return starts
        for i, stmt in enumerate(statements):
            try:
                items = json.loads(parse_sql_json(stmt.sql)).get("stmts", [])
            except ParseError as err:
                self._syntax_error(ctx, i, err, ignores, result)
                continue
            except Exception as err:  # noqa: BLE001 - e.g. a nesting limit in the parser
                self._syntax_error(ctx, i, err, ignores, result)
                continue
            if items:
                for kind, body in items[0]["stmt"].items():
                    ctx.asts[i] = (kind, body)
        return [0] * len(statements)

    def _syntax_error(self, ctx: FileContext, index: int, err: Exception, ignores: list[list[_Ignore]],
                      result: LintResult) -> None:
        if SYNTAX not in self.severity:
            return
        args = getattr(err, "args", ())
        message = str(args[0]) if args else str(err)
        location = args[1] if len(args) > 1 and isinstance(args[1], int) else None
        if isinstance(err, UnicodeError):  # text given through the library, not read from a file
            message, location = "the statement is not valid UTF-8 text (it holds a lone surrogate)", None
        ctx.at_statement(index, 0)
        if location is not None:
            offset = location  # pglast reports a parse error's position in characters (node locations are bytes)
        elif "end of input" in message:
            offset = len(ctx.statements[index].sql.rstrip())  # just past the last token
        else:
            offset = None
        hit = Hit(f"syntax error: {message}" if not message.startswith("syntax error") else message,
                  offset, None, index)
        self._emit(SYNTAX, hit, ctx, ignores, result)

    def _prescan(self, source: Source, state: RunState) -> None:
        """Learn NOT NULL checks from files that are not linted (already applied)."""
        if "constraint" not in source.text.lower():
            return
        try:
            statements = split_sql(source.text, path=source.display)
            tree = json.loads(parse_sql_json(_SEPARATOR.join(s.sql for s in statements)))
        except Exception:  # noqa: BLE001 - an unparsable applied file teaches nothing
            return
        for item in tree.get("stmts", []):
            body = item["stmt"].get("AlterTableStmt")
            if body is not None:
                state.observe_constraints(body)

    # --- ignores -------------------------------------------------------------------------

    def _ignores(self, ctx: FileContext, result: LintResult) -> list[list[_Ignore]]:
        """``-- pgrelease: ignore <rule-id>[,<rule-id>] <reason>`` comments before each statement."""
        out: list[list[_Ignore]] = []
        lines: list[str] | None = None
        for i, stmt in enumerate(ctx.statements):
            found: list[_Ignore] = []
            for comment in stmt.leading_comments:
                m = _IGNORE.match(comment)
                if m is None:
                    continue
                if lines is None:
                    lines = ctx.source.text.splitlines()
                parts = m.group(1).strip().split(None, 1)
                rules = tuple(r for r in parts[0].split(",") if r) if parts else ()
                reason = parts[1].strip() if len(parts) > 1 else ""
                ignore = _Ignore(rules, reason, _comment_line(lines, stmt, comment), comment.strip())
                found.append(ignore)
                self._check_ignore(ctx, i, ignore, result)
            out.append(found)
        return out

    def _check_ignore(self, ctx: FileContext, index: int, ignore: _Ignore, result: LintResult) -> None:
        if IGNORE_RULE not in self.severity:
            return
        problems = []
        if not ignore.rules:
            problems.append("names no rule")
        unknown = [r for r in ignore.rules if r not in RULES]
        if unknown:
            problems.append(f"names unknown rule {unknown[0]!r}")
        if not ignore.reason:
            problems.append("gives no reason")
        if problems:
            message = f"ignore comment {' and '.join(problems)}: {ignore.text}"
            self._emit(IGNORE_RULE, Hit(message, statement=index, line=ignore.line), ctx, [], result)

    # --- findings --------------------------------------------------------------------------

    def _emit(self, rule: str, hit: Hit, ctx: FileContext, ignores: list[list[_Ignore]], result: LintResult) -> None:
        index = hit.statement  # None: the file as a whole (ignored by comments before its first statement)
        if ignores:
            scope = ignores[index] if index is not None and 0 <= index < len(ignores) else ignores[0]
            if any(rule in ig.rules for ig in scope):
                return
        stmt = ctx.statements[index] if index is not None and 0 <= index < len(ctx.statements) else None
        if hit.line is not None:
            line, column = hit.line, 1
        elif stmt is not None:
            line, column = _position(stmt, hit.offset)
        else:
            line, column = 1, 1
        excerpt = " ".join(stmt.sql.split())[:_EXCERPT] if stmt is not None else ""
        result.findings.append(Finding(rule, self.severity[rule], ctx.source.display, line, column,
                                       hit.message, hit.help or RULES[rule].help, excerpt))


class _Rules:
    """The enabled rules of one run, by what the engine calls them for."""

    def __init__(self, rules: list[Rule]) -> None:
        self.by_node: dict[str, list[Rule]] = {}
        for rule in rules:
            for kind in rule.nodes:
                self.by_node.setdefault(kind, []).append(rule)
        self.starters = [r for r in rules if r.overrides("start_file")]
        self.file_finishers = [r for r in rules if r.overrides("finish_file")]
        self.run_finishers = [r for r in rules if r.overrides("finish_run")]


# Statement kinds the context learns from even when no rule looks at them.
_OBSERVED = frozenset({"CreateStmt", "CreateTableAsStmt", "SelectStmt", "AlterTableStmt", "RenameStmt",
                       "VariableSetStmt", "IndexStmt"})


def _position(stmt: Statement, offset: int | None) -> tuple[int, int]:
    """(line, column) of a character offset inside a statement."""
    if not offset:
        return stmt.line, stmt.column
    sql = stmt.sql
    newlines = sql.count("\n", 0, offset)
    if not newlines:
        return stmt.line, stmt.column + offset
    return stmt.line + newlines, offset - sql.rfind("\n", 0, offset)


def _comment_line(lines: list[str], stmt: Statement, comment: str) -> int:
    """The line a leading comment of ``stmt`` is on."""
    needle = comment.rstrip()
    for number in range(min(stmt.line, len(lines)), 0, -1):
        if lines[number - 1].rstrip().endswith(needle):
            return number
    return stmt.line
