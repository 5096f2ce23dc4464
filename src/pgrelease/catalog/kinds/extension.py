"""Extensions: created at a version in a schema; updated, moved, or re-created to downgrade."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, Kind, Plan, Statement, literal


@dataclass(frozen=True)
class Extension(CatalogObject):
    KIND: ClassVar[str] = "extension"
    COMPARE: ClassVar[tuple[str, ...]] = ("version", "schema")
    name: str
    version: str
    schema: str

    @property
    def identity(self) -> str:
        return self.name


def _version_key(version: str) -> tuple[int, ...] | None:
    parts = [p for p in re.split(r"[^0-9]+", version) if p]
    return tuple(int(p) for p in parts) if parts else None


def is_downgrade(old: str, new: str) -> bool:
    """Whether extension version ``new`` is older than ``old`` ("1.3" < "1.4" < "1.10")."""
    ko, kn = _version_key(old), _version_key(new)
    return ko is not None and kn is not None and kn < ko


class ExtensionKind(Kind):
    name = "extension"
    rank = 20
    model = Extension
    queries = ("extensions",)
    summary = ()
    renames = False
    destructive_remove = True
    drop_rank, create_rank, drop_late = 56, 20, True

    def create(self, obj: Extension, plan: Plan) -> list[Statement]:
        return [Statement(
            f"CREATE EXTENSION IF NOT EXISTS {obj.name} WITH SCHEMA {obj.schema} VERSION {literal(obj.version)}")]

    def alter(self, old: Extension, new: Extension, attrs: Attrs, plan: Plan) -> list[Statement]:
        out = []
        if "schema" in attrs:
            out.append(Statement(f"ALTER EXTENSION {new.name} SET SCHEMA {new.schema}"))
        if "version" in attrs and is_downgrade(old.version, new.version):
            # extensions ship update scripts forwards only: re-create at the older version
            out.append(Statement(f"DROP EXTENSION {new.name}", destructive=(
                f"downgrades {new.name} from {old.version} to {new.version} by re-creating it; fails while"
                " objects depend on it")))
            out.append(Statement(
                f"CREATE EXTENSION {new.name} WITH SCHEMA {new.schema} VERSION {literal(new.version)}"))
        elif "version" in attrs:
            out.append(Statement(f"ALTER EXTENSION {new.name} UPDATE TO {literal(new.version)}"))
        return out

    def drop(self, obj: Extension, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP EXTENSION IF EXISTS {obj.name}",
                          destructive="drops the extension and the objects it owns")]


KIND = ExtensionKind()
