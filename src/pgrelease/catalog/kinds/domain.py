"""Domains: default, NOT NULL and CHECK constraints altered in place; a new base type or
collation rebuilds the domain. Created with the functions its CHECKs may call (sqlgen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, InASchema, Kind, Plan, Statement, split_ident, topo


@dataclass(frozen=True)
class Domain(InASchema, CatalogObject):
    KIND: ClassVar[str] = "domain"
    COMPARE: ClassVar[tuple[str, ...]] = ("base_type", "not_null", "default", "collation", "constraints")
    schema: str
    name: str
    base_type: str
    not_null: bool
    default: str | None
    collation: str | None
    constraints: tuple[str, ...]  # "name CHECK (...)"
    depends_on: tuple[str, ...] = ()  # functions its CHECK constraints call (ordering)


class DomainKind(Kind):
    name = "domain"
    rank = 50
    model = Domain
    queries = ("domains",)
    summary = ()
    renames = False
    destructive_remove = True
    drop_rank, create_rank, drop_late = 52, None, True

    def destructive_change(self, attrs: Attrs) -> bool:
        return "base_type" in attrs

    def rebuild(self, old: Domain, new: Domain, attrs: Attrs, plan: Plan) -> bool:
        return bool({"base_type", "collation"} & attrs.keys())

    def create(self, obj: Domain, plan: Plan) -> list[Statement]:
        sql = f"CREATE DOMAIN {obj.identity} AS {obj.base_type}"
        if obj.collation:
            sql += f" COLLATE {obj.collation}"
        if obj.default is not None:
            sql += f" DEFAULT {obj.default}"
        if obj.not_null:
            sql += " NOT NULL"
        for con in obj.constraints:
            sql += f" CONSTRAINT {con}"
        return [Statement(sql)]

    def alter(self, old: Domain, new: Domain, attrs: Attrs, plan: Plan) -> list[Statement]:
        out = []
        if old.default != new.default:
            out.append(Statement(f"ALTER DOMAIN {new.identity} DROP DEFAULT" if new.default is None
                                 else f"ALTER DOMAIN {new.identity} SET DEFAULT {new.default}"))
        if old.not_null != new.not_null:
            out.append(Statement(f"ALTER DOMAIN {new.identity} {'SET' if new.not_null else 'DROP'} NOT NULL"))
        before = {split_ident(c)[0]: c for c in old.constraints}
        after = {split_ident(c)[0]: c for c in new.constraints}
        for name, text in before.items():
            if after.get(name) != text:
                out.append(Statement(f"ALTER DOMAIN {new.identity} DROP CONSTRAINT IF EXISTS {name}"))
        for name, text in after.items():
            if before.get(name) != text:
                out.append(Statement(f"ALTER DOMAIN {new.identity} ADD CONSTRAINT {text}"))
        return out

    def drop(self, obj: Domain, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP DOMAIN IF EXISTS {obj.identity}", destructive="drops the domain")]

    def drop_order(self, objs: list[Any]) -> list[Any]:
        """A domain over another one first."""
        doms = {d.identity: d for d in objs}
        return [doms[n] for n in reversed(topo(doms, lambda n: [doms[n].base_type]))]


KIND = DomainKind()
