"""ALTER DEFAULT PRIVILEGES entries, per role, schema (or global), object type and grantee;
``revoked`` lists built-in defaults taken away (global entries only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, Kind, Plan, Statement
from .privilege import without_unknown


@dataclass(frozen=True)
class DefaultPrivilege(CatalogObject):
    KIND: ClassVar[str] = "default privilege"
    COMPARE: ClassVar[tuple[str, ...]] = ("privileges", "grantable", "revoked")
    role: str
    schema: str | None  # None: the role's global default
    object_type: str  # tables | sequences | functions | types | schemas
    grantee: str
    privileges: tuple[str, ...]
    grantable: tuple[str, ...]
    revoked: tuple[str, ...]  # built-in defaults taken away (global entries only)

    @property
    def identity(self) -> str:
        where = f" in schema {self.schema}" if self.schema else ""
        return f"{self.object_type}{where} for {self.role} to {self.grantee}"


class DefaultPrivilegeKind(Kind):
    name = "default privilege"
    rank = 190
    model = DefaultPrivilege
    queries = ("default_privileges",)
    destructive_remove = False
    renames = False
    summary = ("privileges", "grantable", "revoked")
    drop_rank, create_rank = 120, 150

    def normalize(self, old: Any, new: Any, *, min_version: int, cross_major: bool) -> tuple[Any, Any]:
        return without_unknown(old, new, min_version)

    def create(self, obj: DefaultPrivilege, plan: Plan) -> list[Statement]:
        return self._change(None, obj)

    def alter(self, old: DefaultPrivilege, new: DefaultPrivilege, attrs: Attrs, plan: Plan) -> list[Statement]:
        return self._change(old, new)

    def drop(self, obj: DefaultPrivilege, plan: Plan) -> list[Statement]:
        return self._change(obj, None)

    @staticmethod
    def _change(old: DefaultPrivilege | None, new: DefaultPrivilege | None) -> list[Statement]:
        ref = new or old
        assert ref is not None
        head = f"ALTER DEFAULT PRIVILEGES FOR ROLE {ref.role}"
        if ref.schema:
            head += f" IN SCHEMA {ref.schema}"
        on = ref.object_type.upper()
        granted_old = set(old.privileges) if old else set()
        granted_new = set(new.privileges) if new else set()
        opt_old = set(old.grantable) if old else set()
        opt_new = set(new.grantable) if new else set()
        rev_old = set(old.revoked) if old else set()
        rev_new = set(new.revoked) if new else set()
        out = []
        if granted_old - granted_new:
            out.append(Statement(f"{head} REVOKE {', '.join(sorted(granted_old - granted_new))} ON {on} FROM {ref.grantee}"))
        if (opt_old - opt_new) & granted_new:
            privs = ", ".join(sorted((opt_old - opt_new) & granted_new))
            out.append(Statement(f"{head} REVOKE GRANT OPTION FOR {privs} ON {on} FROM {ref.grantee}"))
        plain = (granted_new - granted_old) - opt_new
        if plain:
            out.append(Statement(f"{head} GRANT {', '.join(sorted(plain))} ON {on} TO {ref.grantee}"))
        if opt_new - opt_old:
            out.append(Statement(f"{head} GRANT {', '.join(sorted(opt_new - opt_old))} ON {on} TO {ref.grantee} WITH GRANT OPTION"))
        if rev_new - rev_old:
            out.append(Statement(f"{head} REVOKE {', '.join(sorted(rev_new - rev_old))} ON {on} FROM {ref.grantee}"))
        if rev_old - rev_new:
            out.append(Statement(f"{head} GRANT {', '.join(sorted(rev_old - rev_new))} ON {on} TO {ref.grantee}"))
        return out


KIND = DefaultPrivilegeKind()
