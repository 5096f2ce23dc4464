"""What kind of statement is this? Transaction control, no-transaction commands, directives.

Everything here reads the token stream of :func:`pgrelease.migrations.split.tokens`, so
comments between keywords are fine and text inside strings or dollar bodies is never
mistaken for a command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from itertools import islice

from pgrelease.errors import SqlFileError
from pgrelease.migrations.split import Statement, tokens

__all__ = [
    "KNOWN_DIRECTIVES",
    "Block",
    "Refusal",
    "TransactionLayout",
    "check_runnable",
    "file_directive",
    "first_keywords",
    "non_transactional",
    "refusal_error",
    "set_transaction",
    "transaction_control",
    "transaction_layout",
    "without_wrapper",
]

KNOWN_DIRECTIVES = frozenset({"no-transaction"})
_MAX_SYMBOLS = 256  # every rule below is decided within the first few dozen tokens
_FALSE = frozenset({"FALSE", "OFF", "0", "'FALSE'", "'OFF'", "'0'"})
_DIRECTIVE = re.compile(r"\s*--\s*pgrelease\s*:(.*)", re.IGNORECASE)
_DIRECTIVE_SPLIT = re.compile(r"[\s,]+")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _symbols(stmt: Statement, limit: int = _MAX_SYMBOLS) -> list[str]:
    """Leading tokens: words uppercased, anything else as written (quotes included)."""
    return [
        t.text.upper() if t.kind == "word" else t.text for t in islice(tokens(stmt.sql), limit)
    ]


def first_keywords(stmt: Statement, n: int = 3) -> tuple[str, ...]:
    """The leading words of the statement, uppercased, up to ``n`` (stops at a non-word)."""
    out: list[str] = []
    for tok in islice(tokens(stmt.sql), n):
        if tok.kind != "word":
            break
        out.append(tok.text.upper())
    return tuple(out)


# --- transaction control ------------------------------------------------------------


_CONTROL_HEADS = frozenset({"BEGIN", "START", "COMMIT", "ROLLBACK", "END", "ABORT", "SAVEPOINT", "RELEASE",
                            "PREPARE"})
_LEADING_LETTERS = re.compile(r"[A-Za-z]+")


def transaction_control(stmt: Statement) -> str | None:
    """The transaction-control command this statement is (``"COMMIT"``, ...), else None."""
    # fast path: text that starts with a letter starts with its first word, so a leading run
    # of letters that is no transaction-control keyword (nor its start) settles it without
    # tokenizing; anything else (a comment first, as in a recorded history row) goes the long way
    lead = _LEADING_LETTERS.match(stmt.sql)
    if lead is not None and lead.group().upper() not in _CONTROL_HEADS:
        return None
    kw = first_keywords(stmt, 4)
    if not kw:
        return None
    head, rest = kw[0], kw[1:]
    if head == "BEGIN":
        return None if rest[:1] == ("ATOMIC",) else "BEGIN"
    if head == "START":
        return "START TRANSACTION" if rest[:1] == ("TRANSACTION",) else None
    if head in ("COMMIT", "ROLLBACK"):
        if rest[:1] == ("PREPARED",):
            return f"{head} PREPARED"
        if head == "ROLLBACK" and "TO" in rest[:2]:
            return "ROLLBACK TO SAVEPOINT"
        return head
    if head in ("END", "ABORT", "SAVEPOINT"):
        return head
    if head == "RELEASE":
        return "RELEASE SAVEPOINT"
    if head == "PREPARE" and rest[:1] == ("TRANSACTION",):
        return "PREPARE TRANSACTION"
    return None


_OPENS = frozenset({"BEGIN", "START TRANSACTION"})
_CLOSES = frozenset({"COMMIT", "END"})
_SAVEPOINT_HINT = ("remove it: savepoints are not supported in a migration file (a DO block with an EXCEPTION "
                   "clause recovers from an error inside one statement)")
_REFUSED: dict[str, tuple[str, str]] = {  # command -> (reason, hint)
    "ROLLBACK": ("a migration cannot roll back its own work",
                 "remove it: pgrelease rolls back a migration whose statement fails by itself"),
    "SAVEPOINT": ("savepoints are not supported in a migration file", _SAVEPOINT_HINT),
    "RELEASE SAVEPOINT": ("savepoints are not supported in a migration file", _SAVEPOINT_HINT),
    "ROLLBACK TO SAVEPOINT": ("savepoints are not supported in a migration file", _SAVEPOINT_HINT),
    "PREPARE TRANSACTION": ("two-phase commit is not supported in a migration file", "remove it"),
    "COMMIT PREPARED": ("two-phase commit is not supported in a migration file", "remove it"),
    "ROLLBACK PREPARED": ("two-phase commit is not supported in a migration file", "remove it"),
}
_REFUSED["ABORT"] = _REFUSED["ROLLBACK"]


@dataclass(frozen=True)
class Refusal:
    """A statement the runner refuses to run, and why."""

    index: int  # position among the file's statements
    line: int
    command: str
    reason: str
    hint: str

    @property
    def message(self) -> str:
        return f"{self.command} on line {self.line}: {self.reason}"


@dataclass(frozen=True)
class Block:
    """What runs together when a file has transaction control of its own: a BEGIN ...
    COMMIT block (its statements without BEGIN and COMMIT), or one statement outside any
    block (``begin`` is None), which runs on its own as psql runs it (autocommit)."""

    statements: tuple[Statement, ...]
    begin: Statement | None = None
    end: Statement | None = None

    @property
    def explicit(self) -> bool:
        return self.begin is not None

    @property
    def lines(self) -> str:
        if self.begin is None:
            return f"line {self.statements[0].line}"
        end = self.end.end_line if self.end is not None else self.begin.line
        return f"line {end}" if end == self.begin.line else f"lines {self.begin.line}-{end}"

    @property
    def set_transaction(self) -> str | None:
        """``SET TRANSACTION <modes>`` for a BEGIN with modes (isolation level, ...), else None."""
        return set_transaction(self.begin) if self.begin is not None else None


@dataclass(frozen=True)
class TransactionLayout:
    """How a file's own transaction control divides it: ``blocks`` in file order (empty when
    the file has none) and what cannot run as written."""

    blocks: tuple[Block, ...] = ()
    refused: tuple[Refusal, ...] = ()

    @property
    def wrapper(self) -> bool:
        """The file is one BEGIN ... COMMIT block with nothing outside it."""
        return len(self.blocks) == 1 and self.blocks[0].explicit and not self.refused


def set_transaction(begin: Statement) -> str | None:
    """The transaction modes of a ``BEGIN`` / ``START TRANSACTION`` as ``SET TRANSACTION ...``."""
    skip = {"BEGIN": ("WORK", "TRANSACTION"), "START": ("TRANSACTION",)}
    toks = list(islice(tokens(begin.sql), 3))
    i = 1 if toks else 0
    if len(toks) > 1 and toks[1].kind == "word" and toks[1].text.upper() in skip.get(toks[0].text.upper(), ()):
        i = 2
    if i >= len(toks):
        return None
    return "SET TRANSACTION " + begin.sql[toks[i].start:].strip()


def _chains(stmt: Statement) -> bool:
    kw = first_keywords(stmt, 5)
    return "AND" in kw and kw[kw.index("AND") + 1 : kw.index("AND") + 2] == ("CHAIN",)


def transaction_layout(statements: Sequence[Statement], candidates: Container[int] | None = None) -> TransactionLayout:
    """Blocks and refusals of a file's own transaction control, read the way psql runs the
    file (autocommit outside BEGIN ... COMMIT). ``candidates``: indexes of the statements
    that may be transaction control or refuse a transaction block (None: every statement),
    for callers that know the others cannot (the linter, from the parse tree)."""
    blocks: list[Block] = []
    refused: list[Refusal] = []
    begin: Statement | None = None
    inside: list[Statement] = []
    controlled = False

    def refuse(i: int, stmt: Statement, command: str, reason: str, hint: str) -> None:
        refused.append(Refusal(i, stmt.line, command, reason, hint))

    for i, stmt in enumerate(statements):
        candidate = candidates is None or i in candidates
        command = transaction_control(stmt) if candidate else None
        if command is None:
            if begin is None:
                blocks.append(Block((stmt,)))
                continue
            reason = non_transactional(stmt) if candidate else None
            if reason:
                refuse(i, stmt, reason, f"cannot run inside the transaction block opened on line {begin.line}",
                       "move it after the block's COMMIT (statements outside a block run on their own) or into a "
                       "file of its own with `-- pgrelease: no-transaction` on its first line")
            inside.append(stmt)
            continue
        controlled = True
        if command in _OPENS:
            if begin is not None:
                refuse(i, stmt, command, f"inside the transaction block opened on line {begin.line}",
                       "end the open block with COMMIT before the next BEGIN")
            else:
                begin, inside = stmt, []
        elif command in _CLOSES:
            if _chains(stmt):  # commits and opens the next block at once
                refuse(i, stmt, f"{command} AND CHAIN", "chained transactions are not supported in a migration file",
                       "use COMMIT, then BEGIN")
                begin = begin or stmt
            elif begin is None:
                refuse(i, stmt, command, "no BEGIN opened a transaction block before it",
                       "remove it, or add the BEGIN that opens its block")
            else:
                blocks.append(Block(tuple(inside), begin, stmt))
                begin = None
        else:
            reason, hint = _REFUSED.get(command, ("transaction control is not supported here", "remove it"))
            refuse(i, stmt, command, reason, hint)
            if command in ("ROLLBACK", "ABORT", "PREPARE TRANSACTION"):  # ends the open block (refused either way)
                begin = None
    if begin is not None:
        refuse(statements.index(begin), begin, transaction_control(begin) or "BEGIN",
               "the transaction block it opens has no COMMIT before the end of the file",
               "end the block with COMMIT (as written, the server rolls the block back when the session ends)")
        blocks.append(Block(tuple(inside), begin, None))
    if not controlled:
        return TransactionLayout()
    return TransactionLayout(tuple(blocks), tuple(sorted(refused, key=lambda r: (r.line, r.index))))


def refusal_error(refused: Sequence[Refusal], path: str | None) -> SqlFileError:
    """One file's SqlFileError naming every refused line."""
    return SqlFileError.of_lines([(r.line, r.message, r.hint) for r in refused], file=path)


def check_runnable(statements: Sequence[Statement], path: str | None) -> None:
    """Raise SqlFileError naming every transaction-control statement the runner refuses."""
    layout = transaction_layout(statements)
    if layout.refused:
        raise refusal_error(layout.refused, path)


def without_wrapper(statements: Sequence[str]) -> list[str]:
    """The statements without a whole-file BEGIN ... COMMIT wrapper (as written otherwise)."""
    if len(statements) < 2 or transaction_control(Statement(statements[0], 1, 1, 1)) not in _OPENS:
        return list(statements)  # the common case, decided by the first statement alone
    stmts = [Statement(text, 1, 1, 1) for text in statements]
    if transaction_layout(stmts).wrapper:
        return list(statements[1:-1])
    return list(statements)


# --- commands that refuse to run inside a transaction block ---------------------------


def _index(s: Sequence[str], word: str, start: int = 0) -> int:
    """Position of ``word`` in ``s`` from ``start``, or -1."""
    try:
        return s.index(word, start)
    except ValueError:
        return -1


def _option_false(s: Sequence[str], name: str) -> bool:
    """``name = false`` (or ``name false``) appears among the tokens."""
    i = _index(s, name)
    if i < 0:
        return False
    j = i + 2 if s[i + 1 : i + 2] == ["="] else i + 1
    return j < len(s) and s[j].upper() in _FALSE


def _skip_parens(s: Sequence[str], i: int) -> int:
    """Index after a parenthesized group starting at ``i`` (``i`` itself if none)."""
    if i >= len(s) or s[i] != "(":
        return i
    depth = 0
    for j in range(i, len(s)):
        depth += {"(": 1, ")": -1}.get(s[j], 0)
        if depth == 0:
            return j + 1
    return len(s)


def _create(s: list[str]) -> str | None:
    i = 2 if s[1:2] == ["UNIQUE"] else 1
    if s[i : i + 2] == ["INDEX", "CONCURRENTLY"]:
        return "CREATE INDEX CONCURRENTLY"
    if s[1:2] in (["DATABASE"], ["TABLESPACE"]):
        return f"CREATE {s[1]}"
    if s[1:2] == ["SUBSCRIPTION"] and not _option_false(s, "CREATE_SLOT"):
        return "CREATE SUBSCRIPTION (creates a replication slot)"
    return None


def _drop(s: list[str]) -> str | None:
    if s[1:3] == ["INDEX", "CONCURRENTLY"]:
        return "DROP INDEX CONCURRENTLY"
    if s[1:2] in (["DATABASE"], ["TABLESPACE"], ["SUBSCRIPTION"]):
        return f"DROP {s[1]}"
    return None


def _alter(s: list[str]) -> str | None:
    target = s[1:2]
    if target == ["SYSTEM"]:
        return "ALTER SYSTEM"
    if target == ["TABLE"]:
        detach = _index(s, "DETACH")
        if detach >= 0 and s[detach + 1 : detach + 2] == ["PARTITION"]:
            if _index(s, "CONCURRENTLY", detach) >= 0:
                return "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY"
    if target == ["DATABASE"]:
        i = _index(s, "SET")
        if i >= 0 and s[i + 1 : i + 2] == ["TABLESPACE"]:
            return "ALTER DATABASE ... SET TABLESPACE"
    if target == ["SUBSCRIPTION"]:
        refresh = _index(s, "REFRESH")
        if refresh >= 0 and s[refresh + 1 : refresh + 2] == ["PUBLICATION"]:
            return "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"
        if _index(s, "PUBLICATION") >= 0 and not _option_false(s, "REFRESH"):
            return "ALTER SUBSCRIPTION ... PUBLICATION (refreshes the publication)"
    return None


def _reindex(s: list[str]) -> str | None:
    i = _skip_parens(s, 1)
    options = s[1:i]  # "(" ... ")" or nothing
    c = _index(options, "CONCURRENTLY")
    if (c >= 0 and options[c + 1].upper() not in _FALSE) or s[i + 1 : i + 2] == ["CONCURRENTLY"]:
        return "REINDEX ... CONCURRENTLY"
    if s[i : i + 1] in (["SCHEMA"], ["DATABASE"], ["SYSTEM"]):
        return f"REINDEX {s[i]}"
    return None


def _cluster(s: list[str]) -> str | None:
    i = _skip_parens(s, 1)
    rest = [w for w in s[i:] if w != "VERBOSE"]
    return None if rest else "CLUSTER without a table"


def _vacuum(s: list[str]) -> str | None:
    return "VACUUM"


def _discard(s: list[str]) -> str | None:
    return "DISCARD ALL" if s[1:2] == ["ALL"] else None


_RULES: dict[str, Callable[[list[str]], str | None]] = {
    "ALTER": _alter,
    "CLUSTER": _cluster,
    "CREATE": _create,
    "DISCARD": _discard,
    "DROP": _drop,
    "REINDEX": _reindex,
    "VACUUM": _vacuum,
}


def non_transactional(stmt: Statement) -> str | None:
    """The command that cannot run inside a transaction block (``"VACUUM"``, ...), else None.

    The answer is short, to be completed by the caller: "<reason> cannot run inside a
    transaction block".
    """
    lead = _LEADING_LETTERS.match(stmt.sql)  # fast path, as in transaction_control
    if lead is not None and lead.group().upper() not in _RULES:
        return None
    head = first_keywords(stmt, 1)
    rule = _RULES.get(head[0]) if head else None
    if rule is None:
        return None
    if head[0] in _NEEDS_WORD and not _DECISIVE_WORD.search(stmt.sql):
        return None  # fast path: ALTER/CREATE/DROP refuse a transaction only with one of these words
    return rule(_symbols(stmt))


_NEEDS_WORD = frozenset({"ALTER", "CREATE", "DROP"})
_DECISIVE_WORD = re.compile(r"\b(?:concurrently|system|database|tablespace|subscription)\b", re.IGNORECASE)


# --- file directive and change detection ----------------------------------------------


def file_directive(text: str, *, path: str | None = None) -> set[str]:
    """Directives from a first line like ``-- pgrelease: no-transaction``.

    ``-- pgrelease: ignore ...`` on line 1 is a lint suppression, not a file directive.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    m = _NEWLINE.search(text)
    m = _DIRECTIVE.fullmatch(text[: m.start()] if m else text)
    if m is None:
        return set()
    words = [w.lower().replace("_", "-") for w in _DIRECTIVE_SPLIT.split(m.group(1)) if w]
    if words[:1] == ["ignore"]:
        return set()
    unknown = [w for w in words if w not in KNOWN_DIRECTIVES]
    if unknown or not words:
        what = f"unknown pgrelease directive {unknown[0]!r}" if unknown else "empty pgrelease directive"
        raise SqlFileError(
            f"{what} on line 1",
            hint="known directives: " + ", ".join(sorted(KNOWN_DIRECTIVES)),
            file=path,
            line=1,
        )
    return set(words)
