"""Row level security policies: roles and expressions altered in place; a new command or
mode, or an expression taken away, drops and creates the policy again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, Kind, OnATable, Plan, Statement


@dataclass(frozen=True)
class Policy(OnATable, CatalogObject):
    KIND: ClassVar[str] = "policy"
    COMPARE: ClassVar[tuple[str, ...]] = ("command", "mode", "roles", "using", "with_check")
    schema: str
    table: str
    name: str
    command: str  # ALL | SELECT | INSERT | UPDATE | DELETE
    mode: str  # permissive | restrictive
    roles: tuple[str, ...]
    using: str | None
    with_check: str | None


class PolicyKind(Kind):
    name = "policy"
    rank = 170
    model = Policy
    queries = ("policies",)
    destructive_remove = False
    summary = ()
    renames = False
    drop_rank, create_rank = 20, 130

    def rebuild(self, old: Policy, new: Policy, attrs: Attrs, plan: Plan) -> bool:
        if {"command", "mode"} & attrs.keys():
            return True
        return any(attrs[a][1] is None for a in ("using", "with_check") if a in attrs)

    def create(self, obj: Policy, plan: Plan) -> list[Statement]:
        sql = (f"CREATE POLICY {obj.name} ON {obj.relation} AS {obj.mode.upper()} FOR {obj.command}"
               f" TO {', '.join(obj.roles)}")
        if obj.using is not None:
            sql += f" USING ({obj.using})"
        if obj.with_check is not None:
            sql += f" WITH CHECK ({obj.with_check})"
        return [Statement(sql)]

    def alter(self, old: Policy, new: Policy, attrs: Attrs, plan: Plan) -> list[Statement]:
        sql = f"ALTER POLICY {new.name} ON {new.relation}"
        if "roles" in attrs:
            sql += f" TO {', '.join(new.roles)}"
        if "using" in attrs:
            sql += f" USING ({new.using})"
        if "with_check" in attrs:
            sql += f" WITH CHECK ({new.with_check})"
        return [Statement(sql)]

    def drop(self, obj: Policy, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP POLICY IF EXISTS {obj.name} ON {obj.relation}")]


KIND = PolicyKind()
