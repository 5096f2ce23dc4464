"""Columns of tables: written inline in CREATE TABLE for a new table, else added, altered
(type, default, NOT NULL, identity, generation expression, compression) or dropped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, Kind, OnATable, Plan, Statement, compared


@dataclass(frozen=True)
class Column(OnATable, CatalogObject):
    KIND: ClassVar[str] = "column"
    COMPARE: ClassVar[tuple[str, ...]] = (
        "type", "not_null", "default", "identity_kind", "generated", "collation", "compression", "position")
    LABELS: ClassVar[dict[str, str]] = {"identity_kind": "identity"}
    schema: str
    table: str
    name: str
    position: int
    type: str
    not_null: bool
    default: str | None
    identity_kind: str | None  # always | by default
    generated: str | None  # "<expr> STORED" | "<expr> VIRTUAL"
    collation: str | None
    compression: str | None
    inherited: bool = False  # from a parent (partition, INHERITS): kept apart, see Snapshot


def column_def(col: Column) -> str:
    parts = [col.name, col.type]
    if col.compression:
        parts += ["COMPRESSION", col.compression]
    if col.collation:
        parts += ["COLLATE", col.collation]
    if col.generated:
        expr, how = col.generated.rsplit(" ", 1)
        parts.append(f"GENERATED ALWAYS AS ({expr}) {how}")
    if col.default is not None:
        parts += ["DEFAULT", col.default]
    if col.identity_kind:
        parts.append(f"GENERATED {col.identity_kind.upper()} AS IDENTITY")
    if col.not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


class ColumnKind(Kind):
    name = "column"
    rank = 90
    model = Column
    queries = ("columns",)
    summary = ()
    renames = True
    destructive_remove = True
    drop_rank, create_rank = 90, 80

    def build(self, row: dict[str, Any]) -> Column:
        row["inherited"] = bool(row.pop("inhcount", 0))
        return Column(**row)

    def destructive_change(self, attrs: Attrs) -> bool:
        return "type" in attrs

    def rename_signature(self, obj: Column, columns: Any, ignore: frozenset[str]) -> Any:
        return (obj.kind, obj.relation, tuple(compared(obj, ignore | {"position"}).items()))

    def rebuild(self, old: Column, new: Column, attrs: Attrs, plan: Plan) -> bool:
        if "generated" in attrs:
            return not self._generated_in_place(old, new, attrs, plan.a.server_version_num)
        return "identity" in attrs and attrs["identity"][1] is not None and bool(old.generated)

    @staticmethod
    def _generated_in_place(old: Column, new: Column, attrs: Attrs, version: int) -> bool:
        """A stored generated column that becomes a plain one keeps its values (DROP
        EXPRESSION); one whose expression changes is altered in place on 17+ (SET
        EXPRESSION). Anything else (a plain column becoming generated, virtual columns) is
        dropped and added again."""
        if "type" in attrs or "collation" in attrs:
            return False
        was, will = old.generated, new.generated
        if not was or not was.endswith(" STORED"):
            return False
        if will is None:
            return True
        return will.endswith(" STORED") and version >= 170000

    def create(self, obj: Column, plan: Plan) -> list[Statement]:
        return [Statement(f"ALTER TABLE {obj.relation} ADD COLUMN {column_def(obj)}", note=plan.note(obj.key, "add"))]

    def alter(self, old: Column, new: Column, attrs: Attrs, plan: Plan) -> list[Statement]:
        out = []
        at = f"ALTER TABLE {new.relation} ALTER COLUMN {new.name}"
        retyped = "type" in attrs or "collation" in attrs
        if "generated" in attrs:  # in place: see _generated_in_place
            if new.generated is None:
                out.append(Statement(f"{at} DROP EXPRESSION"))
            else:
                out.append(Statement(f"{at} SET EXPRESSION AS ({new.generated.rsplit(' ', 1)[0]})"))
        if "identity" in attrs and old.identity_kind and not new.identity_kind:
            out.append(Statement(f"{at} DROP IDENTITY"))
        if old.default is not None and ("default" in attrs or retyped):
            out.append(Statement(f"{at} DROP DEFAULT"))
        if retyped:
            sql = f"{at} TYPE {new.type}"
            if new.collation or "collation" in attrs:
                sql += f" COLLATE {new.collation or 'pg_catalog.default'}"
            if "type" in attrs:
                sql += f" USING {new.name}::{new.type}"
            out.append(Statement(sql, destructive="changes the column's type (rewrites the table; values must convert)"
                                 if "type" in attrs else None))
        if new.default is not None and ("default" in attrs or (retyped and old.default is not None)):
            out.append(Statement(f"{at} SET DEFAULT {new.default}"))
        if "not_null" in attrs:
            out.append(Statement(f"{at} {'SET' if new.not_null else 'DROP'} NOT NULL"))
        if "identity" in attrs and new.identity_kind:
            how = new.identity_kind.upper()
            if old.identity_kind:
                out.append(Statement(f"{at} SET GENERATED {how}"))
            else:
                out.append(Statement(f"{at} ADD GENERATED {how} AS IDENTITY"))
        if "compression" in attrs:
            out.append(Statement(f"{at} SET COMPRESSION {new.compression or 'default'}"))
        return out

    def drop(self, obj: Column, plan: Plan) -> list[Statement]:
        rebuilt = obj.key in plan.create
        return [Statement(
            f"ALTER TABLE {obj.relation} DROP COLUMN IF EXISTS {obj.name}",
            destructive=None if rebuilt and obj.generated else "drops the column and its data",
            note=plan.note(obj.key, "drop"))]


KIND = ColumnKind()
