"""Enum types: labels added in place; labels removed or reordered rebuild the type and move
the columns over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, InASchema, Kind, Plan, Statement, literal, temp_name


@dataclass(frozen=True)
class Enum(InASchema, CatalogObject):
    KIND: ClassVar[str] = "enum"
    COMPARE: ClassVar[tuple[str, ...]] = ("labels",)
    schema: str
    name: str
    labels: tuple[str, ...]


def _kept_in_order(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    return [x for x in new if x in old] == list(old)


class EnumKind(Kind):
    name = "enum"
    rank = 40
    model = Enum
    queries = ("enums",)
    summary = ()
    renames = False
    destructive_remove = True
    drop_rank, create_rank, drop_late = 53, 40, True

    def destructive_change(self, attrs: Attrs) -> bool:
        old, new = attrs["labels"]
        return not set(old) <= set(new) or not _kept_in_order(old, new)

    def rebuild(self, old: Enum, new: Enum, attrs: Attrs, plan: Plan) -> bool:
        # Rebuilt in ``alter`` (under a temporary name), not dropped: columns use it.
        old_labels, new_labels = attrs["labels"]
        if not _kept_in_order(old_labels, new_labels):
            plan.enum_rebuilds.add(old.key)
        return False

    def create(self, obj: Enum, plan: Plan) -> list[Statement]:
        labels = ", ".join(literal(x) for x in obj.labels)
        return [Statement(f"CREATE TYPE {obj.identity} AS ENUM ({labels})")]

    def alter(self, old: Enum, new: Enum, attrs: Attrs, plan: Plan) -> list[Statement]:
        if old.key not in plan.enum_rebuilds:
            out = []
            labels = list(new.labels)
            for i, label in enumerate(labels):
                if label in old.labels:
                    continue
                if i > 0:
                    where = f" AFTER {literal(labels[i - 1])}"
                elif len(labels) > 1:
                    where = f" BEFORE {literal(labels[1])}"
                else:
                    where = ""
                out.append(Statement(f"ALTER TYPE {new.identity} ADD VALUE IF NOT EXISTS {literal(label)}{where}"))
            return out
        # Labels removed or reordered: build a new type and move the columns over.
        tmp = temp_name(new.name)
        out = [
            Statement(f"ALTER TYPE {old.identity} RENAME TO {tmp}",
                      destructive="rebuilds the enum; rows holding a removed label make the conversion fail"),
            Statement(f"CREATE TYPE {new.identity} AS ENUM ({', '.join(literal(x) for x in new.labels)})"),
        ]
        for col in plan.a.of_kind("column"):
            if col.type not in (old.identity, old.identity + "[]") or col.key not in plan.b.objects:  # type: ignore[attr-defined]
                continue
            if col.relation in plan.dropped_relations or col.key in plan.drop:
                continue
            arr = "[]" if col.type.endswith("[]") else ""  # type: ignore[attr-defined]
            at = f"ALTER TABLE {col.relation} ALTER COLUMN {col.name}"  # type: ignore[attr-defined]
            if col.default is not None:  # type: ignore[attr-defined]
                out.append(Statement(f"{at} DROP DEFAULT"))
            out.append(Statement(
                f"{at} TYPE {new.identity}{arr} USING {col.name}::text{arr}::{new.identity}{arr}",  # type: ignore[attr-defined]
                destructive="converts the column to the rebuilt enum"))
            target = plan.b.objects[col.key]
            if target.default is not None:  # type: ignore[attr-defined]
                out.append(Statement(f"{at} SET DEFAULT {target.default}"))  # type: ignore[attr-defined]
        out.append(Statement(f"DROP TYPE {old.schema}.{tmp}"))
        return out

    def drop(self, obj: Enum, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP TYPE IF EXISTS {obj.identity}", destructive="drops the type")]


KIND = EnumKind()
