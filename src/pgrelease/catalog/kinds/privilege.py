"""What one grantee holds on one object (table, view, sequence, column, function, schema):
granted and revoked by difference. Objects created by the plan start from a clean ACL
(default privileges may have granted more than the target has)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, Kind, OnAnObject, Plan, Statement

DEFAULT_ACL_TYPES = {
    "table": "tables", "view": "tables", "materialized view": "tables", "sequence": "sequences",
    "function": "functions", "procedure": "functions", "schema": "schemas",
}
GRANT_ON = {
    "table": "TABLE", "view": "TABLE", "materialized view": "TABLE", "sequence": "SEQUENCE",
    "function": "FUNCTION", "procedure": "PROCEDURE", "schema": "SCHEMA",
}
_ROUTINES = ("function", "procedure")

# Privileges that only newer servers have: MAINTAIN arrived in PostgreSQL 17, so a 17+ shadow
# grants it where a 15 target cannot; comparing across majors must not call that drift.
_PRIVILEGES_SINCE = {"MAINTAIN": 170000}


def without_unknown(old: Any, new: Any, min_version: int) -> tuple[Any, Any]:
    """Both sides without the privileges the older server does not know (None when nothing is left)."""
    unknown = frozenset(p for p, since in _PRIVILEGES_SINCE.items() if min_version < since)

    def strip(obj: Any) -> Any:
        if obj is None or not unknown.intersection(obj.privileges):
            return obj
        kept = tuple(p for p in obj.privileges if p not in unknown)
        return dataclasses.replace(obj, privileges=kept) if kept else None

    return (strip(old), strip(new)) if unknown else (old, new)


@dataclass(frozen=True)
class Privilege(OnAnObject, CatalogObject):
    """What one grantee holds on one object (table, view, sequence, column, function, schema)."""

    KIND: ClassVar[str] = "privilege"
    COMPARE: ClassVar[tuple[str, ...]] = ("privileges", "grantable")
    object_type: str  # table | view | materialized view | sequence | column | function | procedure | schema
    object_name: str
    grantee: str  # role name, or PUBLIC
    privileges: tuple[str, ...]
    grantable: tuple[str, ...]  # the subset held WITH GRANT OPTION
    table: str | None = None  # the relation, for relation and column privileges
    column: str | None = None

    @property
    def identity(self) -> str:
        return f"{self.object_type} {self.object_name} to {self.grantee}"


class PrivilegeKind(Kind):
    name = "privilege"
    rank = 180
    model = Privilege
    queries = ("privileges",)
    destructive_remove = False
    renames = False
    summary = ("privileges", "grantable")
    drop_rank, create_rank = 110, 140

    def normalize(self, old: Any, new: Any, *, min_version: int, cross_major: bool) -> tuple[Any, Any]:
        return without_unknown(old, new, min_version)

    def create(self, obj: Privilege, plan: Plan) -> list[Statement]:
        old = plan.a.objects.get(obj.key)
        fresh = obj.owner_key in plan.created_owners or (obj.table and obj.table in plan.created_relations)
        if old is not None and not fresh:
            return self.alter(old, obj, {}, plan)
        return self._grant(obj, obj.privileges, obj.grantable)

    def alter(self, old: Privilege, new: Privilege, attrs: Attrs, plan: Plan) -> list[Statement]:
        out = []
        gone = [x for x in old.privileges if x not in new.privileges]
        out += self._revoke(old, gone)
        lost_option = [x for x in old.grantable if x not in new.grantable and x in new.privileges]
        if lost_option:
            out.append(Statement(f"REVOKE GRANT OPTION FOR {self._on(old, lost_option)} FROM {old.grantee}"))
        added = [x for x in new.privileges if x not in old.privileges]
        newly_grantable = [x for x in new.grantable if x not in old.grantable]
        out += self._grant(new, sorted(set(added) | set(newly_grantable)), newly_grantable)
        return out

    def drop(self, obj: Privilege, plan: Plan) -> list[Statement]:
        if obj.key in plan.create:
            return []  # changed: the creation step grants and revokes the difference
        return self._revoke(obj, obj.privileges)

    def fresh_acls(self, plan: Plan) -> list[Statement]:
        """REVOKE ALL on the objects created here from whoever default privileges (or the
        built-in default of functions) granted something to; the grants follow."""
        out = []
        for kind, name in sorted(plan.created_owners):
            if kind not in DEFAULT_ACL_TYPES:
                continue
            grantees = self._default_grantees(kind, plan)
            if kind in _ROUTINES and ("privilege", f"{kind} {name} to PUBLIC") in plan.b.objects:
                grantees.discard("PUBLIC")  # the built-in default is what b has
            if grantees:
                out.append(Statement(f"REVOKE ALL ON {GRANT_ON[kind]} {name} FROM {', '.join(sorted(grantees))}"))
        return out

    @staticmethod
    def _default_grantees(kind: str, plan: Plan) -> set[str]:
        objtype = DEFAULT_ACL_TYPES.get(kind)
        grantees = set()
        for snap in (plan.a, plan.b):
            for dp in snap.of_kind("default privilege"):
                if dp.object_type == objtype and dp.privileges:  # type: ignore[attr-defined]
                    grantees.add(dp.grantee)  # type: ignore[attr-defined]
        if kind in _ROUTINES:
            grantees.add("PUBLIC")
        return grantees

    @staticmethod
    def _on(p: Privilege, privs: Iterable[str]) -> str:
        if p.object_type == "column":
            return f"{', '.join(f'{x} ({p.column})' for x in privs)} ON TABLE {p.table}"
        return f"{', '.join(privs)} ON {GRANT_ON[p.object_type]} {p.object_name}"

    def _grant(self, p: Privilege, privs: Iterable[str], grantable: Iterable[str] = ()) -> list[Statement]:
        out = []
        plain = [x for x in privs if x not in set(grantable)]
        if plain:
            out.append(Statement(f"GRANT {self._on(p, plain)} TO {p.grantee}"))
        if grantable:
            out.append(Statement(f"GRANT {self._on(p, grantable)} TO {p.grantee} WITH GRANT OPTION"))
        return out

    def _revoke(self, p: Privilege, privs: Iterable[str]) -> list[Statement]:
        privs = list(privs)
        return [Statement(f"REVOKE {self._on(p, privs)} FROM {p.grantee}")] if privs else []


KIND = PrivilegeKind()
