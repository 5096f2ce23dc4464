"""Table constraints: primary keys, unique, foreign keys, checks, exclusions. A changed one
is dropped and added again, except NOT VALID becoming valid (VALIDATE CONSTRAINT). Keys and
checks are added before the indexes, foreign keys after them (sqlgen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, Kind, OnATable, Plan, Statement, compared


@dataclass(frozen=True)
class Constraint(OnATable, CatalogObject):
    KIND: ClassVar[str] = "constraint"
    COMPARE: ClassVar[tuple[str, ...]] = ("type", "definition", "validated")
    schema: str
    table: str
    name: str
    type: str  # primary key | unique | foreign key | check | exclusion
    definition: str  # pg_get_constraintdef without a trailing NOT VALID
    validated: bool
    references: str | None  # referenced table of a foreign key


class ConstraintKind(Kind):
    name = "constraint"
    rank = 100
    model = Constraint
    queries = ("constraints",)
    destructive_remove = False
    summary = ()
    renames = True
    drop_rank, create_rank = 60, None

    def build(self, row: dict[str, Any]) -> Constraint:
        definition = row["definition"]
        if not row["validated"] and definition.endswith(" NOT VALID"):
            row["definition"] = definition[: -len(" NOT VALID")]
        return Constraint(**row)

    def rename_signature(self, obj: Constraint, columns: Any, ignore: frozenset[str]) -> Any:
        return (obj.kind, obj.relation, tuple(compared(obj, ignore | {"position"}).items()))

    def rebuild(self, old: Constraint, new: Constraint, attrs: Attrs, plan: Plan) -> bool:
        return set(attrs) != {"validated"} or not new.validated

    def create(self, obj: Constraint, plan: Plan) -> list[Statement]:
        sql = f"ALTER TABLE {obj.relation} ADD CONSTRAINT {obj.name} {obj.definition}"
        if not obj.validated:
            sql += " NOT VALID"
        return [Statement(sql, note=plan.note(obj.key, "add"))]

    def alter(self, old: Constraint, new: Constraint, attrs: Attrs, plan: Plan) -> list[Statement]:
        return [Statement(f"ALTER TABLE {new.relation} VALIDATE CONSTRAINT {new.name}")]

    def drop(self, obj: Constraint, plan: Plan) -> list[Statement]:
        return [Statement(f"ALTER TABLE {obj.relation} DROP CONSTRAINT IF EXISTS {obj.name}",
                          note=plan.note(obj.key, "drop"))]

    def drop_order(self, objs: list[Any]) -> list[Any]:
        """Foreign keys before the keys and unique indexes they rely on; a partition's key
        before the partitioned index its index is attached to."""
        return sorted(objs, key=lambda c: (c.type != "foreign key", c.identity))


KIND = ConstraintKind()
