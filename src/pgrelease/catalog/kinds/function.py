"""Functions: CREATE OR REPLACE from ``pg_get_functiondef``; a new signature (arguments,
result) drops and creates the function again. The query also returns procedures. Where a
function goes in the plan (before the tables, after them, after the views it reads)
depends on its body and signature (sqlgen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, Kind, Plan, Statement, compared, tuples


@dataclass(frozen=True)
class Function(CatalogObject):
    KIND: ClassVar[str] = "function"
    COMPARE: ClassVar[tuple[str, ...]] = (
        "arguments", "returns", "language", "volatility", "strict", "security_definer", "leakproof",
        "parallel", "config", "body")
    schema: str
    name: str
    identity_arguments: str
    arguments: str  # with names and defaults
    returns: str | None
    language: str
    volatility: str
    strict: bool
    security_definer: bool
    leakproof: bool
    parallel: str
    config: tuple[str, ...]  # SET options, e.g. "search_path=public"
    body: str
    sql_body: bool  # BEGIN ATOMIC / RETURN body (parsed at creation, so created after tables)
    definition: str  # pg_get_functiondef: CREATE OR REPLACE ...
    depends_on: tuple[str, ...] = ()  # functions, relations, user types it depends on (ordering)

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.name}({self.identity_arguments})"


@dataclass(frozen=True)
class Procedure(Function):
    KIND: ClassVar[str] = "procedure"


class FunctionKind(Kind):
    name = "function"
    rank = 140
    model: ClassVar[type[CatalogObject]] = Function
    queries: ClassVar[tuple[str, ...]] = ("functions",)
    destructive_remove = False
    summary = ()
    renames = True
    drop_rank, create_rank = None, None  # placed by the planner's steps (sqlgen)

    def build(self, row: dict[str, Any]) -> Function:
        row = tuples(row)
        cls = Procedure if row.pop("kind") == "procedure" else Function
        return cls(**row)

    def rename_signature(self, obj: Function, columns: Any, ignore: frozenset[str]) -> Any:
        return (obj.kind, obj.schema, obj.identity_arguments, tuple(compared(obj, ignore | {"position"}).items()))

    def rebuild(self, old: Function, new: Function, attrs: Attrs, plan: Plan) -> bool:
        return bool({"arguments", "returns"} & attrs.keys())

    def create(self, obj: Function, plan: Plan) -> list[Statement]:
        return [Statement(obj.definition.strip(), note=plan.note(obj.key, "create"))]

    def alter(self, old: Function, new: Function, attrs: Attrs, plan: Plan) -> list[Statement]:
        return self.create(new, plan)  # the definition is CREATE OR REPLACE

    def drop(self, obj: Function, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP {obj.kind.upper()} IF EXISTS {obj.identity}", note=plan.note(obj.key, "drop"))]


KIND = FunctionKind()
