"""security-definer-search-path: SECURITY DEFINER function without a fixed search_path."""

from __future__ import annotations

from typing import Any

from ..ast import bool_option, def_options, names, quote_ident
from ..context import function_key
from ..rule import ERROR, TYPES, Bad, Body, FileContext, Hit, Rule, RunInfo


class SecurityDefinerSearchPath(Rule):
    id = "security-definer-search-path"
    category = TYPES
    severity = ERROR
    nodes = ("CreateFunctionStmt", "AlterFunctionStmt", "DropStmt")
    doc = """\
A `SECURITY DEFINER` function runs with its owner's privileges (on Supabase usually
`postgres`) but resolves unqualified names through the *caller's* `search_path`. A caller
who can create objects in any schema on that path can plant a function or operator that
the definer function then runs as its owner: privilege escalation (CVE-2018-1058 class;
Supabase's advisor reports it as `function_search_path_mutable`).

Reported for `CREATE FUNCTION/PROCEDURE ... SECURITY DEFINER` and `ALTER FUNCTION ...
SECURITY DEFINER` without a `SET search_path` clause, unless a later statement of the same
lint run (in this file or a later one, linting a whole history in version order, say)
settles it: `ALTER FUNCTION ... SET search_path`, `ALTER FUNCTION ... SECURITY INVOKER`,
a `CREATE OR REPLACE` of the same function, or its `DROP`.

Safe alternative: `SET search_path = ''` and schema-qualify every name in the body (or
`SET search_path = pg_catalog, public` with care)."""
    help = "add SET search_path = '' to the function and schema-qualify the names in its body"
    bad = [
        Bad("create function public.is_admin() returns boolean language sql security definer as $$ "
            "select exists (select 1 from admins where user_id = auth.uid()) $$;",
            [(1, "SECURITY DEFINER FUNCTION public.is_admin has no fixed search_path")]),
        Bad("create or replace procedure app.purge() language plpgsql security definer as $$ "
            "begin delete from t; end $$;",
            [(1, "SECURITY DEFINER PROCEDURE app.purge has no fixed search_path")]),
        Bad("alter function public.is_admin() security definer;",
            [(1, "SECURITY DEFINER FUNCTION public.is_admin has no fixed search_path")]),
    ]
    good = [
        "create function public.is_admin() returns boolean language sql security definer set search_path = '' as $$ "
        "select exists (select 1 from public.admins where user_id = auth.uid()) $$;",
        "create function f() returns int language sql security invoker as $$ select 1 $$;",
        "create function f() returns int language sql security definer set search_path from current as 'select 1';",
        "alter function f() set search_path = pg_catalog, public;",
        {"files": {"20240101000000_admin.sql": "create function public.is_admin(uid uuid[]) returns boolean "
                                               "language sql security definer as $$ select true $$;",
                   "20240201000000_fix.sql": "alter function public.is_admin(uuid[]) set search_path = '';"}},
        "create function f() returns int language sql security definer as 'select 1';\n"
        "create or replace function f() returns int language sql security definer set search_path = '' as 'select 1';",
    ]

    def __init__(self) -> None:
        # findings wait for the rest of the run, by routine: a later statement may settle them
        self.waiting: dict[tuple[Any, ...], Hit] = {}

    def check(self, ctx: FileContext, node: Body) -> list[Hit]:
        waiting = self.waiting
        if ctx.kind == "DropStmt":
            if node.get("removeType") in ("OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE"):
                for obj in node.get("objects", ()):
                    _settle(waiting, _object_key(obj.get("ObjectWithArgs", {})))
            return []
        if ctx.kind == "CreateFunctionStmt":
            options = node.get("options")
            parts = names(node.get("funcname"))
            what = "PROCEDURE" if node.get("is_procedure") else "FUNCTION"
            key = _create_key(node)
            waiting.pop(key, None)  # this definition replaces an earlier one
        else:
            options = node.get("actions")
            parts = names(node.get("func", {}).get("objname"))
            what = "FUNCTION"
            key = _object_key(node.get("func", {}))
            if _settles(options):
                _settle(waiting, key)
                return []
        security = def_options(options).get("security")
        if security is None or not bool_option(security) or _search_path_fixed(options):
            return []
        name = ".".join(quote_ident(p) for p in parts)
        hit = ctx.hit(f"SECURITY DEFINER {what} {name} has no fixed search_path: callers can make it run their "
                      "objects with the owner's privileges", security)
        hit.source = ctx
        waiting[key] = hit
        return []

    def finish_run(self, run: RunInfo) -> list[Hit]:
        return list(self.waiting.values())


def _search_path_fixed(options) -> bool:
    for item in options or ():
        body = item.get("DefElem", {})
        if body.get("defname") == "set":
            var = body.get("arg", {}).get("VariableSetStmt", {})
            if var.get("name") == "search_path" and var.get("kind") in ("VAR_SET_VALUE", "VAR_SET_CURRENT"):
                return True
    return False


def _settles(options) -> bool:
    """An ALTER FUNCTION action that leaves no definer function with a mutable search_path."""
    if _search_path_fixed(options):
        return True
    security = def_options(options).get("security")
    return security is not None and not bool_option(security)


def _create_key(stmt):
    params = [p["FunctionParameter"].get("argType", {}) for p in stmt.get("parameters", ())
              if p.get("FunctionParameter", {}).get("mode", "FUNC_PARAM_DEFAULT")
              in ("FUNC_PARAM_DEFAULT", "FUNC_PARAM_IN", "FUNC_PARAM_INOUT", "FUNC_PARAM_VARIADIC")]
    return function_key(stmt.get("funcname", []), params)


def _object_key(obj):
    args = None if obj.get("args_unspecified") else [a.get("TypeName", {}) for a in obj.get("objargs", ())]
    return function_key(obj.get("objname", []), args)


def _settle(waiting, key) -> None:
    """Forget the waiting findings of the function ``key`` names (all overloads when its
    arguments are not given)."""
    for other in list(waiting):
        if other == key or (key[2] is None and other[:2] == key[:2]):
            del waiting[other]
