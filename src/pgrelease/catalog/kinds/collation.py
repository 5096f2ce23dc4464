"""Collations made with CREATE COLLATION. Nothing of a collation can be altered: a changed
one is dropped and created again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import CatalogObject, InASchema, Kind, Plan, Statement, literal


@dataclass(frozen=True)
class Collation(InASchema, CatalogObject):
    KIND: ClassVar[str] = "collation"
    COMPARE: ClassVar[tuple[str, ...]] = ("provider", "lc_collate", "lc_ctype", "locale", "deterministic", "rules")
    schema: str
    name: str
    provider: str  # libc | icu | builtin
    lc_collate: str | None  # libc only
    lc_ctype: str | None  # libc only
    locale: str | None  # icu, builtin
    deterministic: bool
    rules: str | None  # ICU tailoring rules (16+)


class CollationKind(Kind):
    name = "collation"
    rank = 30
    model = Collation
    queries = ("collations",)
    destructive_remove = False
    summary = ()
    renames = False
    always_rebuilt = True
    drop_rank, create_rank, drop_late = 54, 30, True

    def create(self, obj: Collation, plan: Plan) -> list[Statement]:
        opts = [f"provider = {obj.provider}"]
        if obj.provider == "libc":
            opts += [f"lc_collate = {literal(obj.lc_collate or '')}", f"lc_ctype = {literal(obj.lc_ctype or '')}"]
        else:
            opts.append(f"locale = {literal(obj.locale or '')}")
        if not obj.deterministic:
            opts.append("deterministic = false")
        if obj.rules:
            opts.append(f"rules = {literal(obj.rules)}")
        return [Statement(f"CREATE COLLATION {obj.identity} ({', '.join(opts)})")]

    def drop(self, obj: Collation, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP COLLATION IF EXISTS {obj.identity}")]


KIND = CollationKind()
