"""What a statement does, read from the splitter's tokens rather than matched with regular
expressions on its text: the few statement heads the shadow looks for before a replay
(``CREATE EXTENSION``, ``CREATE SCHEMA``, ``ALTER SCHEMA ... OWNER TO``), and the schema-
qualified names a file uses (``net.http_post``), inside strings and function bodies too.

Comments never count, quotes are honoured, and a quoted identifier keeps its case while a
bare one folds to lower case, as PostgreSQL reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .split import Token, tokens

__all__ = ["CreateExtension", "create_extension", "create_extensions", "create_schema", "identifier", "qualified_names",
           "schema_owner"]


def identifier(token: Token | None) -> str | None:
    """The name a word or a quoted identifier stands for; None for any other token."""
    if token is None:
        return None
    if token.kind == "ident":
        return token.text[1:-1].replace('""', '"')
    if token.kind == "word":
        return token.text.lower()
    return None


def _words(sql: str, limit: int | None = None) -> list[Token]:
    out: list[Token] = []
    for token in tokens(sql):
        out.append(token)
        if limit is not None and len(out) >= limit:
            break
    return out


def _is(token: Token | None, *words: str) -> bool:
    return token is not None and token.kind == "word" and token.text.lower() in words


def _skip_if_not_exists(toks: list[Token], i: int) -> tuple[int, bool]:
    if _is(_at(toks, i), "if") and _is(_at(toks, i + 1), "not") and _is(_at(toks, i + 2), "exists"):
        return i + 3, True
    return i, False


def _at(toks: list[Token], i: int) -> Token | None:
    return toks[i] if i < len(toks) else None


@dataclass(frozen=True)
class CreateExtension:
    name: str
    if_not_exists: bool
    schema: str | None  # WITH SCHEMA ...
    version: str | None  # VERSION ...


def create_extension(sql: str) -> CreateExtension | None:
    """``CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]``."""
    return _create_extension(_words(sql))


def create_extensions(text: str) -> Iterator[CreateExtension]:
    """Every ``CREATE EXTENSION`` of a whole file's text, in order (never raises on content)."""
    toks = list(tokens(text))
    starts = [i for i, t in enumerate(toks) if _is(t, "create") and _is(_at(toks, i + 1), "extension")
              and (i == 0 or toks[i - 1].kind == "semi")]
    for i in starts:
        end = next((j for j in range(i, len(toks)) if toks[j].kind == "semi"), len(toks))
        head = _create_extension(toks[i:end])
        if head is not None:
            yield head


def _create_extension(toks: list[Token]) -> CreateExtension | None:
    if not (_is(_at(toks, 0), "create") and _is(_at(toks, 1), "extension")):
        return None
    i, guarded = _skip_if_not_exists(toks, 2)
    name = identifier(_at(toks, i))
    if name is None:
        return None
    schema = version = None
    i += 1
    while i < len(toks):
        token = toks[i]
        if _is(token, "schema"):
            schema = identifier(_at(toks, i + 1))
            i += 2
        elif _is(token, "version"):
            value = _at(toks, i + 1)
            version = value.text.strip("'") if value is not None and value.kind == "string" else identifier(value)
            i += 2
        else:
            i += 1
    return CreateExtension(name, guarded, schema, version)


def create_schema(sql: str) -> tuple[str, bool] | None:
    """(name, if_not_exists) of ``CREATE SCHEMA [IF NOT EXISTS] name ...``; None otherwise
    (``CREATE SCHEMA AUTHORIZATION role`` names no schema of its own here)."""
    toks = _words(sql, 6)
    if not (_is(_at(toks, 0), "create") and _is(_at(toks, 1), "schema")):
        return None
    i, guarded = _skip_if_not_exists(toks, 2)
    if _is(_at(toks, i), "authorization"):
        return None
    name = identifier(_at(toks, i))
    return (name, guarded) if name is not None else None


def schema_owner(sql: str) -> tuple[str, str] | None:
    """(schema, new owner) of ``ALTER SCHEMA name OWNER TO role``; None otherwise."""
    toks = _words(sql)
    if len(toks) != 6 or not (_is(toks[0], "alter") and _is(toks[1], "schema") and _is(toks[3], "owner")
                              and _is(toks[4], "to")):
        return None
    schema, owner = identifier(toks[2]), identifier(toks[5])
    return (schema, owner) if schema is not None and owner is not None else None


def qualified_names(sql: str) -> Iterator[tuple[str, str]]:
    """Every ``schema.name`` the text uses, in order, also inside string literals and
    dollar-quoted bodies (a function body or a cron job's command is SQL too)."""
    toks = list(tokens(sql))
    for i, token in enumerate(toks):
        if token.kind in ("string", "dollar"):
            yield from qualified_names(_inner(token))
        elif token.kind in ("word", "ident") and i + 2 < len(toks) and toks[i + 1].text == ".":
            schema, name = identifier(token), identifier(toks[i + 2])
            if schema is not None and name is not None:
                yield schema, name


def _inner(token: Token) -> str:
    text = token.text
    if token.kind == "dollar":
        tag_end = text.index("$", 1) + 1
        return text[tag_end:len(text) - tag_end]
    start = text.index("'") + 1
    return text[start:-1].replace("''", "'")
