"""Indexes, as the server prints them; a changed one is dropped and created again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import CatalogObject, InASchema, Kind, Plan, Statement, compared


@dataclass(frozen=True)
class Index(InASchema, CatalogObject):
    KIND: ClassVar[str] = "index"
    COMPARE: ClassVar[tuple[str, ...]] = ("table", "unique", "method", "columns", "predicate", "valid")
    schema: str
    name: str
    table: str  # schema-qualified
    method: str
    unique: bool
    nulls_not_distinct: bool
    valid: bool
    columns: str  # "(a, lower(b)) INCLUDE (c) NULLS NOT DISTINCT WITH (...)" as the server prints it
    predicate: str | None
    definition: str

    @property
    def relation(self) -> str:
        return self.table


class IndexKind(Kind):
    name = "index"
    rank = 110
    model = Index
    queries = ("indexes",)
    destructive_remove = False
    summary = ()
    renames = True
    always_rebuilt = True
    drop_rank, create_rank = 70, None

    def build(self, row: dict[str, Any]) -> Index:
        definition: str = row["definition"]
        partial = row.pop("partial")
        marker = f" USING {row['method']} "
        rest = definition.split(marker, 1)[1] if marker in definition else definition
        predicate = None
        if partial and " WHERE " in rest:
            rest, predicate = rest.rsplit(" WHERE ", 1)
        return Index(columns=rest, predicate=predicate, **row)

    def rename_signature(self, obj: Index, columns: Any, ignore: frozenset[str]) -> Any:
        return (obj.kind, obj.relation, tuple(compared(obj, ignore | {"position"}).items()))

    def create(self, obj: Index, plan: Plan) -> list[Statement]:
        # An index on a partitioned table prints as ON ONLY; without it, it cascades to partitions.
        return [Statement(obj.definition.replace(" ON ONLY ", " ON ", 1), note=plan.note(obj.key, "create"))]

    def drop(self, obj: Index, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP INDEX IF EXISTS {obj.identity}", note=plan.note(obj.key, "drop"))]


KIND = IndexKind()
