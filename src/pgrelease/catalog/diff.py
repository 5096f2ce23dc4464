"""Compare two snapshots: what was added, removed or changed, grouped by object kind.

``diff(a, b)`` describes how to get from ``a`` to ``b``. Objects are matched by key (kind,
schema-qualified identity), so a rename shows as a removal plus an addition; when the two
sides are otherwise identical, both changes carry a hint naming the other one.

Columns of a table that is added or removed are part of that table and are not listed on
their own; everything else (constraints, indexes, policies, privileges, ...) is.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .base import Key, compared
from .kinds import KIND_ORDER, KINDS
from .kinds.column import Column
from .snapshot import Snapshot

ACTION_ORDER = {"remove": 0, "add": 1, "change": 2}
KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}
SYMBOL = {"add": "+", "remove": "-", "change": "~"}


@dataclass(frozen=True)
class Change:
    """One difference. ``attributes`` maps an attribute to (old, new): for an addition
    old is None, for a removal new is None."""

    kind: str
    action: str  # add | remove | change
    name: str  # the schema-qualified identity
    attributes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    destructive: bool = False
    hint: str | None = None

    @property
    def key(self) -> Key:
        return (self.kind, self.name)

    @property
    def symbol(self) -> str:
        return SYMBOL[self.action]

    def sort_key(self) -> tuple[int, str, int]:
        return (KIND_RANK.get(self.kind, len(KIND_RANK)), self.name, ACTION_ORDER[self.action])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "action": self.action,
            "name": self.name,
            "destructive": self.destructive,
            "attributes": {k: {"old": _jsonable(o), "new": _jsonable(n)} for k, (o, n) in self.attributes.items()},
        }
        if self.hint:
            out["hint"] = self.hint
        return out


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _relinked_tables(a: Snapshot, b: Snapshot) -> set[str]:
    """Tables on both sides whose parent changed (partition detached or attached, INHERITS)."""
    out = set()
    for tb in b.of_kind("table"):
        ta = a.objects.get(tb.key)
        if ta is not None and (ta.partition_of, ta.inherits) != (tb.partition_of, tb.inherits):  # type: ignore[attr-defined]
            out.add(tb.identity)
    return out


def _plain_column(col: Column | None) -> Column | None:
    return dataclasses.replace(col, inherited=False) if col is not None else None


def diff(a: Snapshot, b: Snapshot, *, compare_column_order: bool = False) -> list[Change]:
    """Changes that turn ``a`` into ``b``, in display order (see ``kinds.KIND_ORDER``).

    Column order (``position``) is ignored unless ``compare_column_order``: it cannot be
    changed without rebuilding the table, and columns added later always come last.
    """
    ignore = frozenset() if compare_column_order else frozenset({"position"})
    min_version = min(a.server_version_num, b.server_version_num)
    cross_major = a.server_version_num // 10000 != b.server_version_num // 10000
    changes: list[Change] = []
    relinked = _relinked_tables(a, b)
    for key in a.objects.keys() | b.objects.keys():
        old, new = a.objects.get(key), b.objects.get(key)
        kind, name = key
        if kind == "column" and (old is None or new is None):
            # A table detached from its parent (or attached to one) keeps its columns: on one
            # side they are inherited (the parent's), on the other its own. Compare them.
            ref = old or new
            if ref.relation in relinked:  # type: ignore[union-attr]
                old = old or _plain_column(a.inherited_columns.get(name))
                new = new or _plain_column(b.inherited_columns.get(name))
        rules = KINDS[kind]
        old, new = rules.normalize(old, new, min_version=min_version, cross_major=cross_major)
        if old is None and new is None:
            continue
        if old is None:
            assert new is not None
            if kind == "column" and ("table", new.relation) not in a.objects:
                continue
            attrs = {k: (None, v) for k, v in compared(new, ignore).items()}
            changes.append(Change(kind, "add", name, attrs))
        elif new is None:
            if kind == "column" and ("table", old.relation) not in b.objects:
                continue
            attrs = {k: (v, None) for k, v in compared(old, ignore).items()}
            changes.append(Change(kind, "remove", name, attrs, destructive=rules.destructive_remove))
        elif old != new:  # fast path: most objects are equal field for field
            va, vb = compared(old, ignore), compared(new, ignore)
            attrs = {k: (va[k], vb[k]) for k in va if va[k] != vb[k]}
            if attrs:
                changes.append(Change(kind, "change", name, attrs, destructive=rules.destructive_change(attrs)))
    changes = _rename_hints(changes, a, b, ignore)
    changes.sort(key=Change.sort_key)
    return changes


# -- renames ------------------------------------------------------------------------------
class _TableColumns:
    """Column signatures of a table, computed only for the tables asked about."""

    def __init__(self, snap: Snapshot, ignore: frozenset[str]) -> None:
        self.snap, self.ignore = snap, ignore | {"position"}
        self.by_table: dict[str, list[Column]] | None = None

    def get(self, table: str, default: Any = ()) -> tuple[Any, ...]:
        if self.by_table is None:
            self.by_table = defaultdict(list)
            for col in self.snap.of_kind("column"):
                assert isinstance(col, Column)
                self.by_table[col.relation].append(col)
        cols = sorted(self.by_table.get(table, ()), key=lambda c: c.position)
        return tuple((c.name, *compared(c, self.ignore).values()) for c in cols) or default


def _rename_hints(changes: list[Change], a: Snapshot, b: Snapshot, ignore: frozenset[str]) -> list[Change]:
    removed: dict[Any, list[int]] = defaultdict(list)
    added: dict[Any, list[int]] = defaultdict(list)
    cols_a, cols_b = _TableColumns(a, ignore), _TableColumns(b, ignore)
    for i, ch in enumerate(changes):
        rules = KINDS[ch.kind]
        if ch.action == "change" or not rules.renames:
            continue
        if ch.action == "remove":
            removed[rules.rename_signature(a.objects[ch.key], cols_a, ignore)].append(i)
        else:
            added[rules.rename_signature(b.objects[ch.key], cols_b, ignore)].append(i)
    out = list(changes)
    for sig, rem in removed.items():
        add = added.get(sig, [])
        if sig is None or len(rem) != 1 or len(add) != 1:
            continue
        r, n = changes[rem[0]], changes[add[0]]
        out[rem[0]] = Change(r.kind, r.action, r.name, r.attributes, r.destructive,
                             hint=f"possibly renamed to {n.name}")
        out[add[0]] = Change(n.kind, n.action, n.name, n.attributes, n.destructive,
                             hint=f"possibly renamed from {r.name}")
    return out
