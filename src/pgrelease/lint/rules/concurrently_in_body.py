"""concurrently-in-body: a CONCURRENTLY command inside a DO block or function body."""

from __future__ import annotations

from collections.abc import Iterator

from ...migrations.split import tokens
from ..rule import ERROR, ROBUSTNESS, Bad, Body, FileContext, Hit, Rule


class ConcurrentlyInBody(Rule):
    id = "concurrently-in-body"
    category = ROBUSTNESS
    severity = ERROR
    nodes = ("DoStmt", "CreateFunctionStmt")
    doc = """\
`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY` and
`DETACH PARTITION ... CONCURRENTLY` refuse to run inside a transaction block *or a
function*: in a `DO` block, a PL/pgSQL or SQL function (directly or through `EXECUTE`) they
always fail with "cannot be executed from a function". The runner only sees the top-level
statement (`DO ...`), so it cannot run such a file outside a transaction either: the push
fails.

The body is not parsed as SQL: the rule looks for the keywords in the body's text and in
the string literals inside it (`EXECUTE 'create index concurrently ...'`, `format(...)`),
skipping comments. A plain `CREATE INDEX` inside a body is not judged (the linter does not
know which table a dynamic statement touches).

Safe alternative: run the command as a top-level statement, in a migration file of its own
that starts with `-- pgrelease: no-transaction`."""
    help = ("run the CONCURRENTLY command as a top-level statement, in a migration file of its own starting with "
            "`-- pgrelease: no-transaction`")
    bad = [
        Bad("do $$ begin execute 'create index concurrently if not exists i on profiles (email)'; end $$;",
            [(1, "CREATE INDEX CONCURRENTLY inside a DO block always fails")]),
        Bad("create function rebuild() returns void language plpgsql as $fn$\nbegin\n"
            "  reindex table concurrently profiles;\nend $fn$;",
            [(1, "REINDEX ... CONCURRENTLY inside a function body always fails")]),
        Bad("do $$ begin execute format('drop index concurrently %I', 'profiles_old_idx'); end $$;",
            [(1, "DROP INDEX CONCURRENTLY inside a DO block always fails")]),
        Bad("do language plpgsql 'begin execute ''alter table m detach partition m_2020 concurrently''; end';",
            [(1, "DETACH PARTITION ... CONCURRENTLY inside a DO block always fails")]),
    ]
    good = [
        "-- pgrelease: no-transaction\ncreate index concurrently if not exists i on profiles (email);",
        "do $$ begin -- not create index concurrently here\n perform 1; end $$;",
        "do $$ begin refresh materialized view concurrently daily_totals; end $$;",
        "create function f() returns text language sql as $$ select 'index concurrently' $$;",
        "create function f() returns int as 'mylib', 'create_index_concurrently' language c;",
    ]

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        body = _body(node, ctx.kind)
        if not body or "concurrently" not in body.lower():
            return []
        found = list(dict.fromkeys(_concurrent(body)))
        if not found:
            return []
        where = "a DO block" if ctx.kind == "DoStmt" else "a function body"
        return [ctx.hit(f"{', '.join(found)} inside {where} always fails: PostgreSQL refuses CONCURRENTLY inside a "
                        "function or transaction block")]


_MAX_DEPTH = 3  # strings inside strings inside the body
_SKIP_LANGUAGES = frozenset({"c", "internal"})
_VERBS = ("reindex", "drop", "create")


def _defs(items) -> dict:
    out = {}
    for item in items or ():
        d = item.get("DefElem")
        if d:
            out[d.get("defname")] = d.get("arg")
    return out


def _body(stmt, kind: str) -> str | None:
    opts = _defs(stmt.get("args") if kind == "DoStmt" else stmt.get("options"))
    language = (opts.get("language") or {}).get("String", {}).get("sval", "").lower()
    if language in _SKIP_LANGUAGES:
        return None
    body = opts.get("as") or {}
    if "List" in body:
        items = body["List"].get("items", [])
        body = items[0] if items else {}
    return body.get("String", {}).get("sval")


def _unquote(text: str) -> str:
    if text.startswith("$"):
        tag = text[: text.index("$", 1) + 1]
        return text[len(tag) : -len(tag)] if len(text) >= 2 * len(tag) else ""
    start = text.find("'")
    return text[start + 1 : -1].replace("''", "'") if start >= 0 else ""


def _concurrent(text: str, depth: int = 0) -> Iterator[str]:
    """The CONCURRENTLY commands in ``text``: 'CREATE INDEX CONCURRENTLY', ..."""
    words: list[str] = []  # the words of the current inner statement
    for tok in tokens(text):
        kind = tok.kind
        if kind == "semi":
            words = []
        elif kind in ("string", "dollar"):
            if depth < _MAX_DEPTH and "concurrently" in tok.text.lower():
                yield from _concurrent(_unquote(tok.text), depth + 1)
        elif kind == "word":
            w = tok.text.lower()
            if w == "concurrently" and words:
                verb = next((v for v in _VERBS if v in words), None)
                if words[-1] == "index" and verb is not None:
                    yield f"{verb.upper()} INDEX CONCURRENTLY"
                elif "reindex" in words:
                    yield "REINDEX ... CONCURRENTLY"
                elif "detach" in words and "partition" in words:
                    yield "DETACH PARTITION ... CONCURRENTLY"
            words.append(w)
