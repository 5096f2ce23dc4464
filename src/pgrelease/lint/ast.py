"""Helpers over the JSON form of PostgreSQL's parse tree (``pglast.parser.parse_sql_json``).

The linter walks plain dicts and lists decoded from libpg_query's JSON output, never
pglast's Python node objects: decoding the JSON is several times faster and the dict shape
is exactly the server's ``nodes/parsenodes.h`` (``{"AlterTableStmt": {"relation": ...}}``).

A *node* is a one-key dict ``{TypeName: body}``; a *body* is the dict inside. Fields equal
to their default (false, 0, empty) are left out by libpg_query, so always use ``.get``.
Locations are byte offsets into the parsed text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = [
    "DEFAULT_SCHEMA",
    "Body",
    "bool_option",
    "const_value",
    "def_options",
    "find",
    "func_name",
    "names",
    "node_type",
    "qualified",
    "quote_ident",
    "relation_key",
    "type_names",
    "type_signature",
    "unwrap",
    "walk",
    "alter_cmds",
    "column_defs",
    "constraints",
    "drop_relations",
]

Body = dict[str, Any]
DEFAULT_SCHEMA = "public"  # where an unqualified name lands with the default search_path


def node_type(node: Body) -> str:
    """``"AlterTableStmt"`` for ``{"AlterTableStmt": {...}}``."""
    for key in node:
        return key
    return ""


def unwrap(node: Body) -> Body:
    """The body of a one-key node dict."""
    for value in node.values():
        return value
    return {}


def names(items: list[Body] | None) -> tuple[str, ...]:
    """``[{"String": {"sval": "pg_catalog"}}, ...]`` -> ``("pg_catalog", ...)``."""
    if not items:
        return ()
    out = []
    for item in items:
        s = item.get("String")
        if s is not None:
            out.append(s.get("sval", ""))
        elif "A_Star" in item:
            out.append("*")
    return tuple(out)


def relation_key(rangevar: Body | None) -> tuple[str, str]:
    """(schema, name) of a RangeVar body; an unqualified name is taken to be in ``public``."""
    if not rangevar:
        return (DEFAULT_SCHEMA, "")
    return (rangevar.get("schemaname") or DEFAULT_SCHEMA, rangevar.get("relname", ""))


_SAFE_IDENT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_$")


def quote_ident(name: str) -> str:
    """Quote an identifier the way PostgreSQL would need it written."""
    if name and not name[0].isdigit() and name[0] != "$" and all(c in _SAFE_IDENT for c in name):
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(rangevar: Body | None) -> str:
    """A relation name as written in messages: ``"My Table"``, ``app.users``."""
    if not rangevar:
        return "?"
    rel = quote_ident(rangevar.get("relname", ""))
    schema = rangevar.get("schemaname")
    return f"{quote_ident(schema)}.{rel}" if schema else rel


def type_names(type_name: Body | None) -> tuple[str, ...]:
    """Names of a TypeName body without a leading ``pg_catalog``: ``("varchar",)``."""
    if not type_name:
        return ()
    parts = names(type_name.get("names"))
    if len(parts) > 1 and parts[0] == "pg_catalog":
        return parts[1:]
    return parts


def type_signature(type_name: Body | None) -> tuple[str, ...]:
    """``type_names`` with array brackets kept on the last name: ``("uuid[]",)``, as in a
    routine's signature (``f(uuid)`` and ``f(uuid[])`` are two functions)."""
    parts = type_names(type_name)
    bounds = len(type_name.get("arrayBounds") or ()) if type_name else 0
    if parts and bounds:
        return parts[:-1] + (parts[-1] + "[]" * bounds,)
    return parts


def func_name(funccall: Body) -> str:
    """The unqualified, lowercased name of a FuncCall body."""
    parts = names(funccall.get("funcname"))
    return parts[-1].lower() if parts else ""


def const_value(node: Body | None) -> Any:
    """The Python value of an ``A_Const`` (or ``TypeCast`` of one) node, else None."""
    if not node:
        return None
    if "TypeCast" in node:
        return const_value(node["TypeCast"].get("arg"))
    body = node.get("A_Const")
    if body is None:
        return None
    if body.get("isnull"):
        return None
    for key, inner in body.items():
        if key == "sval":
            return inner.get("sval", "")
        if key == "ival":
            return inner.get("ival", 0)
        if key == "fval":
            return inner.get("fval", "0")
        if key == "boolval":
            return inner.get("boolval", False)
        if key == "bsval":
            return inner.get("bsval", "")
    return None


def def_options(options: list[Body] | None) -> dict[str, Body]:
    """``[{"DefElem": {"defname": "full", ...}}]`` -> ``{"full": <DefElem body>}``."""
    out: dict[str, Body] = {}
    for item in options or ():
        body = item.get("DefElem")
        if body is not None:
            out[body.get("defname", "").lower()] = body
    return out


_FALSE_WORDS = frozenset({"false", "off", "0", "no"})


def bool_option(defelem: Body | None) -> bool:
    """The truth of an option like ``(FULL)``, ``(FULL true)``, ``(CONCURRENTLY false)``."""
    if defelem is None:
        return False
    arg = defelem.get("arg")
    if arg is None:
        return True
    if "Boolean" in arg:
        return bool(arg["Boolean"].get("boolval", False))
    if "String" in arg:
        return arg["String"].get("sval", "").lower() not in _FALSE_WORDS
    if "Integer" in arg:
        return arg["Integer"].get("ival", 0) != 0
    value = const_value(arg)
    return bool(value) and str(value).lower() not in _FALSE_WORDS


def walk(node: Any) -> Iterator[tuple[str, Body]]:
    """Every (type, body) pair under ``node``, depth first, the node itself included."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                for key, value in item.items():
                    if isinstance(value, dict) and key[:1].isupper():
                        yield key, value
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)


def find(node: Any, kind: str) -> Iterator[Body]:
    """Bodies of every ``kind`` node under ``node``."""
    for key, body in walk(node):
        if key == kind:
            yield body


# --- table-shaped statements ---------------------------------------------------------------


def alter_cmds(body: Body) -> Iterator[tuple[int, str, Body]]:
    """(index, subtype, AlterTableCmd body) of an AlterTableStmt body."""
    for i, cmd in enumerate(body.get("cmds", ())):
        sub = cmd.get("AlterTableCmd")
        if sub is not None:
            yield i, sub.get("subtype", ""), sub


def column_defs(kind: str, body: Body) -> Iterator[tuple[Body, int | None]]:
    """ColumnDef bodies a CREATE TABLE or ALTER TABLE (ADD COLUMN / ALTER COLUMN TYPE)
    declares, each with its ALTER TABLE subcommand index (None for CREATE TABLE)."""
    if kind == "CreateStmt":
        for elt in body.get("tableElts", ()):
            col = elt.get("ColumnDef")
            if col is not None:
                yield col, None
    elif kind == "AlterTableStmt":
        for i, subtype, sub in alter_cmds(body):
            if subtype in ("AT_AddColumn", "AT_AlterColumnType"):
                col = sub.get("def", {}).get("ColumnDef")
                if col is not None:
                    yield col, i


def constraints(col: Body) -> list[Body]:
    """Constraint bodies of a ColumnDef."""
    return [c["Constraint"] for c in col.get("constraints", ()) if "Constraint" in c]


def drop_relations(body: Body) -> list[Body]:
    """RangeVar-like bodies (schemaname, relname) of the objects a DropStmt names."""
    out = []
    for obj in body.get("objects", ()):
        parts = names(obj.get("List", {}).get("items")) if "List" in obj else names([obj])
        if not parts:
            continue
        rel: Body = {"relname": parts[-1]}
        if len(parts) > 1:
            rel["schemaname"] = parts[-2]
        out.append(rel)
    return out
