"""Views: a changed one is dropped and created again, with what reads it (sqlgen orders them
by the dependencies the snapshot read). The query also returns materialized views."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import CatalogObject, InASchema, Kind, Plan, Statement, compared, tuples


@dataclass(frozen=True)
class View(InASchema, CatalogObject):
    KIND: ClassVar[str] = "view"
    COMPARE: ClassVar[tuple[str, ...]] = ("definition", "options")
    schema: str
    name: str
    definition: str
    options: tuple[str, ...]
    depends_on: tuple[str, ...]

    @property
    def relation(self) -> str:
        return self.identity


@dataclass(frozen=True)
class MaterializedView(View):
    KIND: ClassVar[str] = "materialized view"


# pg_get_viewdef prints column references differently across majors (15 qualifies them with
# the table, 16+ drops the qualifier when it is unambiguous). Across majors, definitions are
# compared with qualifiers removed on both sides.
_QUALIFIER = re.compile(r'(?<![\w."])(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")\.(?=[A-Za-z_"])')


class ViewKind(Kind):
    name = "view"
    rank = 120
    model: ClassVar[type[CatalogObject]] = View
    queries: ClassVar[tuple[str, ...]] = ("views",)
    destructive_remove = False
    summary = ()
    renames = True
    drop_rank, create_rank = None, None  # placed by the planner's steps (sqlgen)
    always_rebuilt = True
    keyword: ClassVar[str] = "VIEW"

    def build(self, row: dict[str, Any]) -> View:
        row = tuples(row)
        cls = MaterializedView if row.pop("kind") == "materialized view" else View
        row["definition"] = row["definition"].strip().rstrip(";")
        return cls(**row)

    def normalize(self, old: Any, new: Any, *, min_version: int, cross_major: bool) -> tuple[Any, Any]:
        if cross_major and old is not None and new is not None:
            old, new = (dataclasses.replace(v, definition=_QUALIFIER.sub("", v.definition or "")) for v in (old, new))
        return old, new

    def rename_signature(self, obj: View, columns: Any, ignore: frozenset[str]) -> Any:
        return (obj.kind, obj.schema, None, tuple(compared(obj, ignore | {"position"}).items()))

    def create(self, obj: View, plan: Plan) -> list[Statement]:
        opts = f" WITH ({', '.join(obj.options)})" if obj.options else ""
        return [Statement(f"CREATE {self.keyword} {obj.identity}{opts} AS\n{obj.definition}",
                          note=plan.note(obj.key, "create"))]

    def drop(self, obj: View, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP {self.keyword} IF EXISTS {obj.identity}", note=plan.note(obj.key, "drop"))]


KIND = ViewKind()
