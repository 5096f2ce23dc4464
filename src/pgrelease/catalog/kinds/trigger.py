"""Triggers: a new definition drops and creates the trigger again; its enabled state is
altered in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, Kind, OnATable, Plan, Statement


@dataclass(frozen=True)
class Trigger(OnATable, CatalogObject):
    KIND: ClassVar[str] = "trigger"
    COMPARE: ClassVar[tuple[str, ...]] = ("definition", "enabled")
    schema: str
    table: str
    name: str
    definition: str
    enabled: str  # enabled | disabled | replica | always


_STATE = {"enabled": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA", "always": "ENABLE ALWAYS"}


class TriggerKind(Kind):
    name = "trigger"
    rank = 160
    model = Trigger
    queries = ("triggers",)
    destructive_remove = False
    summary = ()
    renames = False
    drop_rank, create_rank = 30, 120

    def rebuild(self, old: Trigger, new: Trigger, attrs: Attrs, plan: Plan) -> bool:
        return "definition" in attrs

    def create(self, obj: Trigger, plan: Plan) -> list[Statement]:
        out = [Statement(obj.definition)]
        if obj.enabled != "enabled":
            out.append(self._state(obj))
        return out

    def alter(self, old: Trigger, new: Trigger, attrs: Attrs, plan: Plan) -> list[Statement]:
        return [self._state(new)]

    def drop(self, obj: Trigger, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP TRIGGER IF EXISTS {obj.name} ON {obj.relation}")]

    @staticmethod
    def _state(trg: Trigger) -> Statement:
        return Statement(f"ALTER TABLE {trg.relation} {_STATE[trg.enabled]} TRIGGER {trg.name}")


KIND = TriggerKind()
