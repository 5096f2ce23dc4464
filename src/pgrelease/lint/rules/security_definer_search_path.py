"""security-definer-search-path: SECURITY DEFINER function without a fixed search_path."""

from __future__ import annotations

from ..ast import bool_option, def_options, names, quote_ident

ID = "security-definer-search-path"
SEVERITY = "error"
NODES = ("CreateFunctionStmt", "AlterFunctionStmt")
DOC = """\
A `SECURITY DEFINER` function runs with its owner's privileges (on Supabase usually
`postgres`) but resolves unqualified names through the *caller's* `search_path`. A caller
who can create objects in any schema on that path can plant a function or operator that
the definer function then runs as its owner: privilege escalation (CVE-2018-1058 class;
Supabase's advisor reports it as `function_search_path_mutable`).

Reported for `CREATE FUNCTION/PROCEDURE ... SECURITY DEFINER` and `ALTER FUNCTION ...
SECURITY DEFINER` without a `SET search_path` clause.

Safe alternative: `SET search_path = ''` and schema-qualify every name in the body (or
`SET search_path = pg_catalog, public` with care)."""
HELP = "add SET search_path = '' to the function and schema-qualify the names in its body"
BAD = [
    "create function public.is_admin() returns boolean language sql security definer as $$ "
    "select exists (select 1 from admins where user_id = auth.uid()) $$;",
    "create or replace procedure app.purge() language plpgsql security definer as $$ begin delete from t; end $$;",
    "alter function public.is_admin() security definer;",
]
GOOD = [
    "create function public.is_admin() returns boolean language sql security definer set search_path = '' as $$ "
    "select exists (select 1 from public.admins where user_id = auth.uid()) $$;",
    "create function f() returns int language sql security invoker as $$ select 1 $$;",
    "create function f() returns int language sql security definer set search_path from current as 'select 1';",
    "alter function f() set search_path = pg_catalog, public;",
]


def _search_path_fixed(options) -> bool:
    for item in options or ():
        body = item.get("DefElem", {})
        if body.get("defname") == "set":
            var = body.get("arg", {}).get("VariableSetStmt", {})
            if var.get("name") == "search_path" and var.get("kind") in ("VAR_SET_VALUE", "VAR_SET_CURRENT"):
                return True
    return False


def check(stmt, ctx):
    if ctx.kind == "CreateFunctionStmt":
        options = stmt.get("options")
        parts = names(stmt.get("funcname"))
        what = "PROCEDURE" if stmt.get("is_procedure") else "FUNCTION"
    else:
        options = stmt.get("actions")
        parts = names(stmt.get("func", {}).get("objname"))
        what = "FUNCTION"
    security = def_options(options).get("security")
    if security is None or not bool_option(security) or _search_path_fixed(options):
        return []
    name = ".".join(quote_ident(p) for p in parts)
    return [ctx.hit(f"SECURITY DEFINER {what} {name} has no fixed search_path: callers can make it run their "
                    "objects with the owner's privileges", security)]
