"""What kind of statement is this? Transaction control, no-transaction commands, directives.

Everything here reads the token stream of :func:`pgrelease.migrations.split.tokens`, so
comments between keywords are fine and text inside strings or dollar bodies is never
mistaken for a command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from pgrelease.errors import SqlFileError
from pgrelease.migrations.split import Statement, tokens

__all__ = [
    "KNOWN_DIRECTIVES",
    "check_runnable",
    "file_directive",
    "first_keywords",
    "non_transactional",
    "normalize_for_compare",
    "transaction_control",
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


def transaction_control(stmt: Statement) -> str | None:
    """The transaction-control command this statement is (``"COMMIT"``, ...), else None."""
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


def check_runnable(statements: Iterable[Statement], path: str | None) -> None:
    """Raise SqlFileError for the first transaction-control statement of a migration."""
    for stmt in statements:
        command = transaction_control(stmt)
        if command is not None:
            raise SqlFileError(
                f"{command} on line {stmt.line}: transaction control inside a migration file",
                hint=(
                    "pgrelease runs each migration in its own transaction: remove BEGIN/COMMIT; "
                    "statements that cannot run in a transaction belong in their own file with "
                    "`-- pgrelease: no-transaction` on its first line"
                ),
                file=path,
                line=stmt.line,
            )


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


def _normalize_one(sql: str) -> str:
    lines = _NEWLINE.sub("\n", sql.lstrip("\ufeff")).split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    if text.endswith(";"):
        text = "\n".join(line.rstrip() for line in text[:-1].split("\n")).strip("\n")
    return text


def normalize_for_compare(statements: Sequence[str]) -> str:
    """Canonical text of a migration's statements, to tell whether an applied file changed.

    Line endings, trailing whitespace, blank edge lines, a BOM and a trailing ``;`` do not
    count; any other difference does.
    """
    normalized = (_normalize_one(sql) for sql in statements)
    return "\n;\n".join(text for text in normalized if text)
