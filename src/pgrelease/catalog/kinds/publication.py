"""Publications: tables and schemas added and dropped, options set; switching to or from
FOR ALL TABLES drops and creates the publication again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, Kind, Plan, Statement, literal, split_ident


@dataclass(frozen=True)
class Publication(CatalogObject):
    KIND: ClassVar[str] = "publication"
    COMPARE: ClassVar[tuple[str, ...]] = ("all_tables", "operations", "via_root", "tables", "schemas")
    name: str
    all_tables: bool
    operations: tuple[str, ...]
    via_root: bool
    tables: tuple[str, ...]  # "schema.table [(cols)] [WHERE (...)]"
    schemas: tuple[str, ...]

    @property
    def identity(self) -> str:
        return self.name


def qualified_prefix(text: str) -> str:
    """The leading ``schema.name`` of a publication entry such as 'public.t (a) WHERE (...)'."""
    schema, rest = split_ident(text)
    name, _ = split_ident(rest[1:])
    return f"{schema}.{name}"


class PublicationKind(Kind):
    name = "publication"
    rank = 200
    model = Publication
    queries = ("publications",)
    destructive_remove = False
    summary = ()
    renames = False
    drop_rank, create_rank = 10, 160

    def rebuild(self, old: Publication, new: Publication, attrs: Attrs, plan: Plan) -> bool:
        return "all_tables" in attrs

    def create(self, obj: Publication, plan: Plan) -> list[Statement]:
        sql = f"CREATE PUBLICATION {obj.name}"
        if obj.all_tables:
            sql += " FOR ALL TABLES"
        else:
            targets = [f"TABLE {t}" for t in obj.tables] + [f"TABLES IN SCHEMA {s}" for s in obj.schemas]
            if targets:
                sql += " FOR " + ", ".join(targets)
        sql += f" WITH ({self._options(obj)})"
        return [Statement(sql)]

    def alter(self, old: Publication, new: Publication, attrs: Attrs, plan: Plan) -> list[Statement]:
        out = []
        for entry in old.tables:
            if entry not in new.tables:
                out.append(Statement(f"ALTER PUBLICATION {new.name} DROP TABLE {qualified_prefix(entry)}"))
        for schema in old.schemas:
            if schema not in new.schemas:
                out.append(Statement(f"ALTER PUBLICATION {new.name} DROP TABLES IN SCHEMA {schema}"))
        for entry in new.tables:
            if entry not in old.tables:
                out.append(Statement(f"ALTER PUBLICATION {new.name} ADD TABLE {entry}"))
        for schema in new.schemas:
            if schema not in old.schemas:
                out.append(Statement(f"ALTER PUBLICATION {new.name} ADD TABLES IN SCHEMA {schema}"))
        if "operations" in attrs or "via_root" in attrs:
            out.append(Statement(f"ALTER PUBLICATION {new.name} SET ({self._options(new)})"))
        return out

    def drop(self, obj: Publication, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP PUBLICATION IF EXISTS {obj.name}")]

    @staticmethod
    def _options(pub: Publication) -> str:
        return (f"publish = {literal(', '.join(pub.operations))},"
                f" publish_via_partition_root = {str(pub.via_root).lower()}")


KIND = PublicationKind()
