"""Schema supabase_functions on the shadow: only on projects that enabled Database Webhooks.

The Supabase baseline has it (a project that enabled webhooks from the dashboard has it before
its migrations, which then call ``supabase_functions.http_request()`` in triggers); a new hosted
project has not (the supabase/postgres image creates the role supabase_functions_admin but not the
schema). :func:`creates_webhooks_schema` says when the migrations make the schema themselves, and
the shadow then starts without it (``sql/without_supabase_functions.sql``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable


WEBHOOKS_SCHEMA = "supabase_functions"
_WEBHOOK_OBJECTS = ("CreateStmt", "CreateFunctionStmt", "ViewStmt", "CreateSeqStmt", "IndexStmt")


def creates_webhooks_schema(statements: Iterable[str]) -> bool:
    """Do the migrations make schema supabase_functions themselves, as on a project without Database
    Webhooks (new hosted projects have no such schema; enabling webhooks creates it)? Yes for a
    plain ``CREATE SCHEMA supabase_functions``; for ``CREATE SCHEMA IF NOT EXISTS`` only when they
    also create objects in it (``create or replace function supabase_functions.http_request(...)``),
    since a guarded CREATE followed by triggers calling ``supabase_functions.http_request()`` is
    a project that has webhooks enabled."""
    from pglast.parser import parse_sql_json

    from ..migrations.heads import create_schema

    guarded = False
    fills = False
    for text in statements:
        if WEBHOOKS_SCHEMA not in text.lower():
            continue
        made = create_schema(text)
        if made is not None and made[0] == WEBHOOKS_SCHEMA:
            if not made[1]:
                return True
            guarded = True
            continue
        try:
            stmts = json.loads(parse_sql_json(text)).get("stmts") or []
        except Exception:  # noqa: BLE001 - not parseable here: the server decides
            continue
        for node in (s.get("stmt") or {} for s in stmts):
            for kind, body in node.items():
                if kind in _WEBHOOK_OBJECTS and _schema_of(kind, body) == WEBHOOKS_SCHEMA:
                    fills = True
    return guarded and fills


def _schema_of(kind: str, body: dict) -> str | None:
    if kind == "CreateFunctionStmt":
        names = [n["String"]["sval"] for n in body.get("funcname") or [] if "String" in n]
        return names[0] if len(names) >= 2 else None
    relation = body.get({"ViewStmt": "view", "CreateSeqStmt": "sequence"}.get(kind, "relation")) or {}
    return relation.get("schemaname")
