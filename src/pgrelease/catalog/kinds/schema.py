"""Schemas: created first, dropped last (once everything in them has gone)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import CatalogObject, Kind, Plan, Statement


@dataclass(frozen=True)
class Schema(CatalogObject):
    KIND: ClassVar[str] = "schema"
    name: str

    @property
    def identity(self) -> str:
        return self.name


class SchemaKind(Kind):
    name = "schema"
    rank = 10
    model = Schema
    queries = ("schemas",)
    summary = ()
    renames = False
    destructive_remove = True
    drop_rank, create_rank, drop_late = 200, 10, True

    def create(self, obj: Schema, plan: Plan) -> list[Statement]:
        return [Statement(f"CREATE SCHEMA IF NOT EXISTS {obj.name}")]

    def drop(self, obj: Schema, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP SCHEMA IF EXISTS {obj.name}", destructive="drops the schema")]


KIND = SchemaKind()
