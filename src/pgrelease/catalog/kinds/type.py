"""Composite types: attributes added, dropped and retyped in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, InASchema, Kind, Plan, Statement, split_ident, topo


@dataclass(frozen=True)
class CompositeType(InASchema, CatalogObject):
    KIND: ClassVar[str] = "type"
    COMPARE: ClassVar[tuple[str, ...]] = ("attributes",)
    schema: str
    name: str
    attributes: tuple[str, ...]  # "name type [COLLATE c]" in order
    depends_on: tuple[str, ...] = ()  # user types of the attributes (ordering)


class CompositeTypeKind(Kind):
    name = "type"
    rank = 60
    model = CompositeType
    queries = ("composite_types",)
    summary = ()
    renames = False
    destructive_remove = True
    drop_rank, create_rank, drop_late = 51, None, True

    def destructive_change(self, attrs: Attrs) -> bool:
        old, new = attrs["attributes"]
        return not set(old) <= set(new)

    def create(self, obj: CompositeType, plan: Plan) -> list[Statement]:
        return [Statement(f"CREATE TYPE {obj.identity} AS ({', '.join(obj.attributes)})")]

    def alter(self, old: CompositeType, new: CompositeType, attrs: Attrs, plan: Plan) -> list[Statement]:
        def parse(entries: tuple[str, ...]) -> dict[str, str]:
            return {split_ident(e)[0]: split_ident(e)[1].strip() for e in entries}

        before, after = parse(old.attributes), parse(new.attributes)
        out = []
        for name in before:
            if name not in after:
                out.append(Statement(f"ALTER TYPE {new.identity} DROP ATTRIBUTE {name}",
                                     destructive="drops the attribute"))
        for name, typ in after.items():
            if name not in before:
                out.append(Statement(f"ALTER TYPE {new.identity} ADD ATTRIBUTE {name} {typ}"))
            elif before[name] != typ:
                out.append(Statement(f"ALTER TYPE {new.identity} ALTER ATTRIBUTE {name} TYPE {typ}",
                                     destructive="changes the attribute's type"))
        return out

    def drop(self, obj: CompositeType, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP TYPE IF EXISTS {obj.identity}", destructive="drops the type")]

    def drop_order(self, objs: list[Any]) -> list[Any]:
        """Types using another one first."""
        types = {t.identity: t for t in objs}
        return [types[n] for n in reversed(topo(types, lambda n: types[n].depends_on))]


KIND = CompositeTypeKind()
