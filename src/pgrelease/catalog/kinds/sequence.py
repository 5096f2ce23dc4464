"""Sequences: options altered in place; ownership (OWNED BY) set once the columns exist and
released before a drop would take the sequence along (sqlgen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, InASchema, Kind, Plan, Statement


@dataclass(frozen=True)
class Sequence(InASchema, CatalogObject):
    KIND: ClassVar[str] = "sequence"
    COMPARE: ClassVar[tuple[str, ...]] = (
        "data_type", "start", "increment", "min_value", "max_value", "cache", "cycle", "owned_by")
    schema: str
    name: str
    data_type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool
    owned_by: str | None


class SequenceKind(Kind):
    name = "sequence"
    rank = 70
    model = Sequence
    queries = ("sequences",)
    summary = ()
    renames = False
    destructive_remove = True
    drop_rank, create_rank, drop_late = 50, 50, True

    def create(self, obj: Sequence, plan: Plan) -> list[Statement]:
        return [Statement(
            f"CREATE SEQUENCE {obj.identity} AS {obj.data_type} INCREMENT BY {obj.increment}"
            f" MINVALUE {obj.min_value} MAXVALUE {obj.max_value} START WITH {obj.start} CACHE {obj.cache}"
            f" {'CYCLE' if obj.cycle else 'NO CYCLE'}")]

    def alter(self, old: Sequence, new: Sequence, attrs: Attrs, plan: Plan) -> list[Statement]:
        opts = []
        if "data_type" in attrs:
            opts.append(f"AS {new.data_type}")
        if "increment" in attrs:
            opts.append(f"INCREMENT BY {new.increment}")
        if "min_value" in attrs:
            opts.append(f"MINVALUE {new.min_value}")
        if "max_value" in attrs:
            opts.append(f"MAXVALUE {new.max_value}")
        if "start" in attrs:
            opts.append(f"START WITH {new.start}")
        if "cache" in attrs:
            opts.append(f"CACHE {new.cache}")
        if "cycle" in attrs:
            opts.append("CYCLE" if new.cycle else "NO CYCLE")
        out = []
        if opts:
            out.append(Statement(f"ALTER SEQUENCE {new.identity} {' '.join(opts)}"))
        if "owned_by" in attrs and new.owned_by is None:
            out.append(self.release(new))
        return out

    def own(self, seq: Sequence) -> Statement:
        """OWNED BY its column (set once the column exists)."""
        return Statement(f"ALTER SEQUENCE {seq.identity} OWNED BY {seq.owned_by}")

    def release(self, seq: Sequence) -> Statement:
        """OWNED BY NONE: before its column goes, or the DROP would take the sequence along."""
        return Statement(f"ALTER SEQUENCE {seq.identity} OWNED BY NONE")

    def drop(self, obj: Sequence, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP SEQUENCE IF EXISTS {obj.identity}",
                          destructive="drops the sequence and its current value")]


KIND = SequenceKind()
