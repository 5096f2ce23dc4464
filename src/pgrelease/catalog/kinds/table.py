"""Tables: ordinary and partitioned, partitions and INHERITS children, persistence, storage
options and row level security. A new type, partitioning or parent list rebuilds the table;
partitions are detached and attached around their parent's changes (sqlgen)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..base import Attrs, CatalogObject, InASchema, Kind, Plan, Statement, compared, topo
from .column import column_def

_RESHAPE = {"type", "partition_by", "inherits"}


@dataclass(frozen=True)
class Table(InASchema, CatalogObject):
    KIND: ClassVar[str] = "table"
    COMPARE: ClassVar[tuple[str, ...]] = (
        "type", "partition_by", "partition_of", "partition_bound", "inherits", "persistence",
        "options", "rls_enabled", "rls_forced")
    schema: str
    name: str
    type: str  # ordinary | partitioned
    persistence: str  # permanent | unlogged
    partition_by: str | None
    partition_of: str | None
    partition_bound: str | None
    inherits: tuple[str, ...]
    options: tuple[str, ...]
    rls_enabled: bool
    rls_forced: bool
    cloned: tuple[str, ...] = ()  # "constraint c" / "index s.i" a partition has from its parent

    @property
    def relation(self) -> str:
        return self.identity


class TableKind(Kind):
    name = "table"
    rank = 80
    model = Table
    queries = ("tables",)
    summary = ()
    renames = True
    destructive_remove = True
    drop_rank, create_rank = None, 70  # dropped in sqlgen's table order (foreign keys, partitions)

    def destructive_change(self, attrs: Attrs) -> bool:
        return bool(_RESHAPE & attrs.keys())

    def rename_signature(self, obj: Table, columns: Any, ignore: frozenset[str]) -> Any:
        return (obj.kind, obj.schema, tuple(compared(obj, ignore | {"position"}).items()),
                columns.get(obj.identity, ()))

    def rebuild(self, old: Table, new: Table, attrs: Attrs, plan: Plan) -> bool:
        return bool(_RESHAPE & attrs.keys())

    def create_order(self, objs: list[Any]) -> list[Any]:
        """Parents before their partitions and children."""
        tables = {t.identity: t for t in objs}
        return [tables[n] for n in topo(tables, lambda n: [p for p in (tables[n].partition_of, *tables[n].inherits) if p])]

    def create(self, obj: Table, plan: Plan) -> list[Statement]:
        t = obj
        cols = sorted(plan.columns_of(t.identity), key=lambda c: c.position)
        unlogged = "UNLOGGED " if t.persistence == "unlogged" else ""
        if t.partition_of:
            sql = f"CREATE {unlogged}TABLE {t.identity} PARTITION OF {t.partition_of}"
            if cols:
                sql += " (" + ", ".join(column_def(c) for c in cols) + ")"
            sql += f" {t.partition_bound}"
        else:
            body = ",\n    ".join(column_def(c) for c in cols)
            sql = f"CREATE {unlogged}TABLE {t.identity} (\n    {body}\n)" if cols else f"CREATE {unlogged}TABLE {t.identity} ()"
            if t.inherits:
                sql += f" INHERITS ({', '.join(t.inherits)})"
        if t.partition_by:
            sql += f" PARTITION BY {t.partition_by}"
        if t.options:
            sql += f" WITH ({', '.join(t.options)})"
        out = [Statement(sql, note=plan.note(t.key, "create"))]
        if t.rls_enabled:
            out.append(Statement(f"ALTER TABLE {t.identity} ENABLE ROW LEVEL SECURITY"))
        if t.rls_forced:
            out.append(Statement(f"ALTER TABLE {t.identity} FORCE ROW LEVEL SECURITY"))
        return out

    def alter(self, old: Table, new: Table, attrs: Attrs, plan: Plan) -> list[Statement]:
        out = []
        name = new.identity
        if ("partition_of" in attrs or "partition_bound" in attrs) and old not in plan.detached:
            if old.partition_of:
                out += self.detach(old)  # (attached again, or to another parent, in attach())
        if "persistence" in attrs:
            out.append(Statement(f"ALTER TABLE {name} SET {'UNLOGGED' if new.persistence == 'unlogged' else 'LOGGED'}"))
        if "options" in attrs:
            keys_new = {o.split("=", 1)[0] for o in new.options}
            gone = [o.split("=", 1)[0] for o in old.options if o.split("=", 1)[0] not in keys_new]
            if gone:
                out.append(Statement(f"ALTER TABLE {name} RESET ({', '.join(gone)})"))
            if new.options:
                out.append(Statement(f"ALTER TABLE {name} SET ({', '.join(new.options)})"))
        if "rls_enabled" in attrs:
            out.append(Statement(f"ALTER TABLE {name} {'ENABLE' if new.rls_enabled else 'DISABLE'} ROW LEVEL SECURITY"))
        if "rls_forced" in attrs:
            out.append(Statement(f"ALTER TABLE {name} {'FORCE' if new.rls_forced else 'NO FORCE'} ROW LEVEL SECURITY"))
        return out

    def drop(self, obj: Table, plan: Plan) -> list[Statement]:
        return [Statement(f"DROP TABLE IF EXISTS {obj.identity}", destructive="drops the table and its data",
                          note=plan.note(obj.key, "drop"))]

    def detach(self, t: Table) -> list[Statement]:
        """DETACH PARTITION, then drop what the partition had from its parent and would keep
        as its own (constraints, indexes): a's snapshot does not list them, so whatever b has
        on the table is added by the plan anyway."""
        out = [Statement(f"ALTER TABLE {t.partition_of} DETACH PARTITION {t.identity}")]
        for entry in t.cloned:
            what, name = entry.split(" ", 1)
            if what == "constraint":
                out.append(Statement(f"ALTER TABLE {t.identity} DROP CONSTRAINT IF EXISTS {name}"))
            else:
                out.append(Statement(f"DROP INDEX IF EXISTS {name}"))
        return out

    def attach(self, t: Table, plan: Plan) -> list[Statement]:
        """ATTACH PARTITION. PostgreSQL wants the table to have its parent's CHECK
        constraints already (they then merge): the ones it lacks are added first."""
        out = []
        for con in plan.b.of_kind("constraint"):
            if con.relation == t.partition_of and con.type == "check":  # type: ignore[attr-defined]
                own = ("constraint", f"{t.identity}.{con.name}")  # type: ignore[attr-defined]
                if own not in plan.a.objects or own in plan.drop:
                    out.append(Statement(f"ALTER TABLE {t.identity} ADD CONSTRAINT {con.name} {con.definition}"))  # type: ignore[attr-defined]
        out.append(Statement(f"ALTER TABLE {t.partition_of} ATTACH PARTITION {t.identity} {t.partition_bound}"))
        return out


KIND = TableKind()
