"""The planner: best-effort DDL that turns the database of snapshot ``a`` into that of ``b``.

``to_sql(changes, a, b)`` returns statements to run one by one, outside a single
transaction block (``ALTER TYPE ... ADD VALUE`` and friends need that). Each statement
that can lose data is preceded by a ``-- destructive: <why>`` comment line; a removal and
an addition that look like a rename carry a ``-- note:`` line suggesting the RENAME.

Each kind writes its own statements (``kinds/<kind>.py``: ``create``, ``drop``, ``alter``,
and ``rebuild`` for changes made by dropping and creating again); the planner decides which
objects are dropped, created and altered, what a rebuild drags along (expansion), and in
which order, which is the dependency order PostgreSQL needs: first drops, from dependants
to what they depend on, then creations and alterations the other way round, then
privileges, publications and comments, and last what simply goes away (functions,
sequences, types, extensions, schemas). A kind takes its place with ``drop_rank`` and
``create_rank``; the kinds whose objects depend on each other across kinds (views,
functions, domains, composite types, tables linked by foreign keys or partitioning, keys
and indexes) are placed by the planner's own steps (``DROP_STEPS``, ``CREATE_STEPS``),
ordered by the dependencies the snapshot read from ``pg_depend``. Objects that must be
rebuilt (a changed view, an index, a constraint, a function whose signature changed) are
dropped and created again, and what hangs off or depends on them (grants, comments, indexes
of a materialized view, views and functions that use them, foreign keys pointing at them,
partitions, owned sequences) is put back from ``b`` or kept aside while they are rebuilt.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Callable

from .base import CatalogObject, Key, Statement
from .base import topo as _topo
from .diff import Change
from .kinds import KINDS
from .kinds.column import Column
from .kinds.privilege import PrivilegeKind
from .kinds.sequence import Sequence, SequenceKind
from .kinds.table import Table, TableKind
from .snapshot import Snapshot

RELATION_KINDS = ("table", "view", "materialized view")
FUNCTION_KINDS = ("function", "procedure")

_Alter = tuple[Any, Any, dict[str, tuple[Any, Any]]]


def to_sql(changes: Iterable[Change], a: Snapshot, b: Snapshot) -> list[str]:
    """Statements (each a string, possibly with leading comment lines) from ``a`` to ``b``."""
    return [st.render() for st in _Planner(list(changes), a, b).plan()]


@dataclass(frozen=True)
class Step:
    """One of the planner's own steps: its place among the kinds' ranks, the kinds it
    places, and whether it runs with the late drops (after the creations)."""

    rank: int
    kinds: tuple[str, ...]
    run: Callable[[_Planner], list[Statement]]
    late: bool = False


# -- the planner -------------------------------------------------------------------------------
class _Planner:
    def __init__(self, changes: list[Change], a: Snapshot, b: Snapshot) -> None:
        self.changes = changes
        self.a, self.b = a, b
        self.drop: dict[Key, CatalogObject] = {}
        self.create: dict[Key, CatalogObject] = {}
        self.alter: dict[Key, _Alter] = {}
        self.hints: dict[Key, str] = {c.key: c.hint for c in changes if c.hint}
        self.enum_rebuilds: set[Key] = set()
        self.columns_b: dict[str, list[Column]] = {}
        for col in b.of_kind("column"):
            self.columns_b.setdefault(col.relation or "", []).append(col)  # type: ignore[arg-type]

    # -- what kinds read (base.Plan) --------------------------------------------------------------
    def note(self, key: Key, verb: str) -> str | None:
        hint = self.hints.get(key)
        if not hint:
            return None
        return f"{key[0]} {key[1]} is {hint}; if so, use ALTER ... RENAME instead of this {verb}"

    def columns_of(self, relation: str) -> list[Column]:
        return list(self.columns_b.get(relation, ()))

    # -- classification ------------------------------------------------------------------
    @staticmethod
    def _obj(snap: Snapshot, key: Key) -> Any:
        """The object behind a change: a column of a detached (attached) partition may be
        one the table inherited on that side."""
        obj = snap.objects.get(key)
        if obj is None and key[0] == "column":
            col = snap.inherited_columns.get(key[1])
            if col is not None:
                obj = dataclasses.replace(col, inherited=False)
        if obj is None:
            raise KeyError(key)
        return obj

    def classify(self) -> None:
        for ch in self.changes:
            key = ch.key
            if ch.action == "add":
                self.create[key] = self._obj(self.b, key)
            elif ch.action == "remove":
                self.drop[key] = self._obj(self.a, key)
            else:
                old, new = self._obj(self.a, key), self._obj(self.b, key)
                if KINDS[ch.kind].rebuild(old, new, ch.attributes, self):
                    self.drop[key] = old
                    self.create[key] = new
                else:
                    self.alter[key] = (old, new, ch.attributes)

    # -- expansion: what a rebuild drags along ----------------------------------------------
    def expand(self) -> None:
        a, b = self.a, self.b
        # Tables whose columns change type (or disappear): views reading them are rebuilt;
        # policies and triggers on tables whose column types change are rebuilt around it.
        retyped: set[str] = set()
        for key, (old, new, attrs) in self.alter.items():
            if key[0] == "column" and ({"type", "collation"} & attrs.keys()):
                retyped.add(old.relation or "")
        for key in self.enum_rebuilds:
            enum = a.objects[key]
            for col in a.of_kind("column"):
                if col.type in (enum.identity, enum.identity + "[]"):  # type: ignore[attr-defined]
                    retyped.add(col.relation or "")
        reshaped = set(retyped)
        for key, obj in self.drop.items():
            if key[0] == "column":
                reshaped.add(obj.relation or "")
        for rel in sorted(retyped):
            for kind in ("policy", "trigger"):
                for obj in a.of_kind(kind):
                    if obj.relation == rel and obj.key in b.objects and obj.key not in self.create:
                        self.drop[obj.key] = obj
                        self.create[obj.key] = b.objects[obj.key]
                        self.alter.pop(obj.key, None)
        # A policy altered on a table that loses columns may still use one of them (it is
        # altered to use the new ones): it is dropped before the columns and created again.
        for key, (old, new, attrs) in list(self.alter.items()):
            if key[0] == "policy" and old.relation in reshaped:
                self._rebuild_too(old)

        # Views and functions: rebuild every view (still in b) that reads a view, function or
        # enum being rebuilt or dropped, a reshaped table or a rebuilt table; and every
        # function (still in b) whose signature or SQL-standard body uses one of those
        # (PostgreSQL refuses to drop what they depend on).
        rebuilt_tables = {k[1] for k in self.drop if k[0] == "table" and k in self.create}
        views_a = {v.identity: v for kind in ("view", "materialized view") for v in a.of_kind(kind)}
        funcs_a = {f.identity: f for kind in FUNCTION_KINDS for f in a.of_kind(kind)}
        gone = {k[1] for k in self.drop if k[0] in ("view", "materialized view", "table", *FUNCTION_KINDS)}
        gone |= {k[1] for k in self.enum_rebuilds}
        gone |= {k[1] for k in self.drop if k[0] in ("domain", "type", "enum", "collation")}
        changed = True
        while changed:
            changed = False
            for name, view in views_a.items():
                if view.key in self.drop:
                    continue
                reads = set(view.depends_on)  # type: ignore[attr-defined]
                if reads & (gone | reshaped | rebuilt_tables):
                    self._rebuild_too(view)
                    gone.add(name)
                    changed = True
            for name, fn in funcs_a.items():
                if fn.key in self.drop:
                    continue
                uses = set(fn.depends_on)  # type: ignore[attr-defined]
                if uses & gone or (fn.sql_body and uses & reshaped):  # type: ignore[attr-defined]
                    self._rebuild_too(fn)
                    gone.add(name)
                    changed = True

        # Primary/unique constraints rebuilt: foreign keys that point at their table go too.
        for key, obj in list(self.drop.items()):
            if key[0] == "constraint" and key in self.create and obj.type in ("primary key", "unique"):  # type: ignore[attr-defined]
                for fk in b.of_kind("constraint"):
                    if fk.references == obj.relation and fk.key not in self.create:  # type: ignore[attr-defined]
                        if fk.key in a.objects:
                            self.drop[fk.key] = a.objects[fk.key]
                        self.create[fk.key] = fk
                        self.alter.pop(fk.key, None)

        # Objects created here (new or rebuilt) get everything that hangs off them from b;
        # whatever hung off the old ones went with the DROP.
        self.dropped_relations = {k[1] for k in self.drop if k[0] in RELATION_KINDS}
        self.created_relations = {k[1] for k in self.create if k[0] in RELATION_KINDS}
        attached = ("privilege", "comment", "default privilege")
        self.created_owners = {k for k in self.create if k[0] not in attached}
        dropped_owners = {k for k in self.drop if k[0] not in attached}
        for kind in ("constraint", "index", "trigger", "policy", "comment", "privilege"):
            for obj in b.of_kind(kind):
                if obj.relation in self.created_relations or getattr(obj, "owner_key", None) in self.created_owners:
                    if obj.key not in self.create:
                        self.create[obj.key] = obj
                    self.alter.pop(obj.key, None)
            for key in [k for k, o in self.drop.items() if k[0] == kind and (
                    o.relation in self.dropped_relations or getattr(o, "owner_key", None) in dropped_owners)]:
                del self.drop[key]  # it goes with what it hangs off
        # Columns of created tables are written inline in CREATE TABLE.
        for key in [k for k, o in self.create.items() if k[0] == "column" and o.relation in self.created_relations]:
            del self.create[key]
        for key in [k for k, o in self.drop.items() if k[0] == "column" and o.relation in self.dropped_relations]:
            del self.drop[key]
        for key in [k for k, o in self.alter.items() if k[0] == "column" and o[0].relation in self.dropped_relations]:
            del self.alter[key]
        self.pin_foreign_keys()
        # Partitions b keeps whose parent is dropped (or rebuilt): detached first, or the DROP
        # would take them along; attached again later where b has them as partitions.
        self.detached: list[Table] = [
            t for t in a.of_kind("table")  # type: ignore[misc]
            if t.partition_of in self.dropped_relations and t.key not in self.drop and t.key in b.objects]  # type: ignore[attr-defined]
        # Sequences b keeps whose owning column is dropped here (with its table, or to be
        # added again): released first, or the DROP would take them along.
        self.released: list[Sequence] = []
        for seq in a.of_kind("sequence"):
            owner = seq.owned_by and a.objects.get(("column", seq.owned_by))  # type: ignore[attr-defined]
            if owner and seq.key in b.objects and seq.key not in self.drop and (
                    owner.relation in self.dropped_relations or owner.key in self.drop):
                self.released.append(seq)  # type: ignore[arg-type]
        self.dropped_names = {k[1] for k in self.drop if k[0] in (*RELATION_KINDS, "type", "enum", "domain")}

    def _rebuild_too(self, obj: CatalogObject) -> None:
        """Drop ``obj`` (of a) and, when b still has it, create it again from b."""
        self.drop[obj.key] = obj
        self.alter.pop(obj.key, None)
        if obj.key in self.b.objects:
            self.create[obj.key] = self.b.objects[obj.key]

    def pin_foreign_keys(self) -> None:
        """Foreign keys that must be dropped on their own, before what they point at goes.

        A foreign key depends on the referenced table (and its partitions) and on the unique
        index behind the referenced columns. When that table is dropped or rebuilt, or that
        key or index dropped, the foreign key is dropped first, and added again (from b)
        when b still has it. A foreign key on a table that is itself dropped would go with
        its table, but tables are dropped one at a time: it is dropped first unless its
        table is dropped before the table it points at."""
        a = self.a
        partitions: dict[str, list[str]] = {}
        for t in a.of_kind("table"):
            if t.partition_of:  # type: ignore[attr-defined]
                partitions.setdefault(t.partition_of, []).append(t.identity)  # type: ignore[attr-defined]

        def family(rel: str) -> set[str]:
            out, todo = set(), [rel]
            while todo:
                r = todo.pop()
                if r not in out:
                    out.add(r)
                    todo += partitions.get(r, [])
            return out

        losing_key = set()  # tables whose unique keys or indexes are dropped
        for key, obj in self.drop.items():
            if key[0] == "constraint" and obj.type in ("primary key", "unique"):  # type: ignore[attr-defined]
                losing_key.add(obj.relation)
            elif key[0] == "index" and obj.unique:  # type: ignore[attr-defined]
                losing_key.add(obj.relation)
        self.table_drop_order, position = self._table_drop_order(family)
        for fk in a.of_kind("constraint"):
            if fk.type != "foreign key" or fk.key in self.drop:  # type: ignore[attr-defined]
                continue
            target = fk.references  # type: ignore[attr-defined]
            own = fk.relation
            gone = family(target) & self.dropped_relations
            if own in self.dropped_relations:
                # it goes with its table, unless what it points at goes first
                needs = target in losing_key or any(
                    position.get(t, -1) < position.get(own, -1) for t in gone if t != own)
            else:
                needs = bool(gone) or target in losing_key
            if not needs:
                continue
            self.drop[fk.key] = fk
            self.alter.pop(fk.key, None)
            if fk.key in self.b.objects and fk.key not in self.create and own not in self.created_relations:
                self.create[fk.key] = self.b.objects[fk.key]

    def _table_drop_order(self, family: Callable[[str], set[str]]) -> tuple[list[str], dict[str, int]]:
        """Dropped tables in a workable order, and for each its group's place in it.

        A table and its dropped partitions and children form a group, dropped children
        first. Groups with foreign keys go before the groups they point at (cycles broken by
        name: pin_foreign_keys drops those keys first)."""
        tables = {o.identity: o for o in self._of(self.drop, "table")}
        parents = {n: [p for p in (t.partition_of, *t.inherits) if p in tables] for n, t in tables.items()}
        root: dict[str, str] = {n: n for n in tables}

        def find(n: str) -> str:
            while root[n] != n:
                root[n] = root[root[n]]
                n = root[n]
            return n

        for n, ps in parents.items():
            for p in ps:
                root[find(n)] = find(p)
        groups: dict[str, list[str]] = {}
        for n in tables:
            groups.setdefault(find(n), []).append(n)
        refs: dict[str, set[str]] = {}
        for fk in self.a.of_kind("constraint"):
            if fk.type == "foreign key" and fk.relation in tables:  # type: ignore[attr-defined]
                g = find(fk.relation)  # type: ignore[arg-type]
                refs.setdefault(g, set()).update(
                    find(t) for t in family(fk.references) if t in tables)  # type: ignore[attr-defined,arg-type]
        group_order = list(reversed(_topo(groups, lambda g: sorted(refs.get(g, set()) - {g}))))
        order: list[str] = []
        place: dict[str, int] = {}
        for i, g in enumerate(group_order):
            members = {n: tables[n] for n in groups[g]}
            for n in reversed(_topo(members, lambda n: parents[n])):
                order.append(n)
                place[n] = i
        return order, place

    # -- output --------------------------------------------------------------------------------
    def plan(self) -> list[Statement]:
        if not self.changes:
            return []
        self.classify()
        self.expand()
        self.place_routines()
        out: list[Statement] = [Statement("SET check_function_bodies = off")]
        out += self._run(DROP_STEPS, "drop", late=False)
        out += self._run(CREATE_STEPS, "create", late=False)
        out += self._run(DROP_STEPS, "drop", late=True)
        return out

    def _run(self, steps: list[tuple[int, Any]], what: str, *, late: bool) -> list[Statement]:
        out: list[Statement] = []
        for _, step in steps:
            if isinstance(step, Step):
                if step.late == late:
                    out += step.run(self)
            elif what == "create":
                for obj in step.create_order(self._of(self.create, step.name)):
                    out += step.create(obj, self)
                for old, new, attrs in self._alters(step.name):
                    out += step.alter(old, new, attrs, self)
            elif not late or step.drop_late:
                # a kind dropped late: the rebuilt ones with the other drops, the rest late
                objs = [o for o in self._of(self.drop, step.name)
                        if not step.drop_late or (o.key in self.create) != late]
                for obj in step.drop_order(objs):
                    out += step.drop(obj, self)
        return out

    def _of(self, store: dict[Key, Any], *kinds: str) -> list[Any]:
        return [store[k] for k in sorted(k for k in store if k[0] in kinds)]

    def _alters(self, *kinds: str) -> list[_Alter]:
        return [self.alter[k] for k in sorted(k for k in self.alter if k[0] in kinds)]

    def _emit(self, obj: Any, verb: str) -> list[Statement]:
        kind = KINDS[obj.kind]
        return kind.create(obj, self) if verb == "create" else kind.drop(obj, self)

    # ---- the planner's drop steps
    def drop_views_and_functions(self) -> list[Statement]:
        """Views, and the functions dropped early, dependants first."""
        objs = {o.identity: o for o in self._of(self.drop, "view", "materialized view")}
        objs.update(self._dropped_functions(early=True))
        out: list[Statement] = []
        for name in reversed(_topo(objs, lambda n: objs[n].depends_on)):
            out += self._emit(objs[name], "drop")
        return out

    def release_and_detach(self) -> list[Statement]:
        """Sequences whose owning column goes released, partitions whose parent goes detached."""
        out = [_SEQUENCE.release(seq) for seq in self.released]
        for t in self.detached:
            out += _TABLE.detach(t)
        return out

    def drop_tables(self) -> list[Statement]:
        out: list[Statement] = []
        for name in self.table_drop_order:
            out += _TABLE.drop(self.drop[("table", name)], self)
        return out

    def _dropped_functions(self, *, early: bool) -> dict[str, Any]:
        """Functions dropped early (with the views) are the rebuilt ones and those whose
        signature or SQL-standard body uses a relation or type that is dropped; the others
        are dropped last, once nothing (a column default, a trigger) uses them."""
        return {f.identity: f for f in self._of(self.drop, *FUNCTION_KINDS)
                if (f.key in self.create or bool(set(f.depends_on) & self.dropped_names)) == early}

    def drop_late_functions(self) -> list[Statement]:
        """Functions that simply go away (the ones taking a dropped type went with the views),
        after the domains whose CHECKs call them."""
        fns = self._dropped_functions(early=False)
        out: list[Statement] = []
        for name in reversed(_topo(fns, lambda n: fns[n].depends_on)):
            out += self._emit(fns[name], "drop")
        return out

    # ---- the planner's create steps
    def place_routines(self) -> None:
        """Where created and replaced functions go: those with a string body (not parsed
        against tables until called) early, with the domains and composite types, unless
        their signature uses a table's or view's row type; the others after the tables
        (SQL-standard bodies are parsed at creation), and after the views they read when
        those are created here too."""
        fns = {f.identity: f for f in self._of(self.create, *FUNCTION_KINDS) + [
            n for _, n, _ in self._alters(*FUNCTION_KINDS)]}
        relations_b = {o.identity for kind in RELATION_KINDS for o in self.b.of_kind(kind)}
        early = {n for n, f in fns.items() if not f.sql_body and not set(f.depends_on) & relations_b}
        self.views = {o.identity: o for o in self._of(self.create, "view", "materialized view")}
        late = {n: f for n, f in fns.items() if n not in early}
        deferred: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, fn in late.items():
                if name not in deferred and set(fn.depends_on) & (self.views.keys() | deferred):
                    deferred.add(name)
                    changed = True
        self.early_functions = {n: fns[n] for n in early}
        self.middle_functions = {n: f for n, f in late.items() if n not in deferred}
        self.view_functions = {n: late[n] for n in deferred}

    def create_routines_and_types(self) -> list[Statement]:
        """Early functions with the domains and composite types, in dependency order: a
        function may take a domain, a domain's CHECK may call a function, a domain may be
        over another domain. Then composite types and domains altered."""
        doms = {d.identity: d for d in self._of(self.create, "domain", "type")}
        group: dict[str, Any] = {**self.early_functions, **doms}
        out: list[Statement] = []
        for name in _topo(group, lambda n: (*group[n].depends_on, getattr(group[n], "base_type", ""))):
            out += self._emit(group[name], "create")
        for kind in ("type", "domain"):
            for old, new, attrs in self._alters(kind):
                out += KINDS[kind].alter(old, new, attrs, self)
        return out

    def attach_own_and_middle_functions(self) -> list[Statement]:
        """Partitions attached (once their columns match the parent's), sequences owned by
        their columns, then the functions with an SQL-standard body or a row type in their
        signature, in dependency order."""
        out: list[Statement] = []
        attaching = {t.key: self.b.objects[t.key] for t in self.detached if self.b.objects[t.key].partition_of}  # type: ignore[attr-defined]
        attaching.update({new.key: new for old, new, attrs in self._alters("table") if new.partition_of and (
            "partition_of" in attrs or "partition_bound" in attrs)})
        for key in sorted(attaching):
            out += _TABLE.attach(attaching[key], self)  # type: ignore[arg-type]
        owned = {s.key: s for s in self._of(self.create, "sequence")}
        owned.update({n.key: n for _, n, a in self._alters("sequence") if "owned_by" in a})
        owned.update({s.key: self.b.objects[s.key] for s in self.released})
        for seq in (owned[k] for k in sorted(owned)):
            if seq.owned_by:
                out.append(_SEQUENCE.own(seq))
        middle = self.middle_functions
        for name in _topo(middle, lambda n: middle[n].depends_on):
            out += self._emit(middle[name], "create")
        return out

    def create_keys_and_indexes(self) -> list[Statement]:
        """Keys and checks; then indexes (a unique one may be what a foreign key points at; a
        materialized view's come after the view); then foreign keys; then validations."""
        out: list[Statement] = []
        cons = self._of(self.create, "constraint")
        for con in cons:
            if con.type != "foreign key":
                out += self._emit(con, "create")
        # a partitioned table's index before its partitions' own ones: created the other way
        # round, the partitioned index would take over a matching partition index
        partitioned = {t.identity for t in self.b.of_kind("table") if t.type == "partitioned"}  # type: ignore[attr-defined]
        self.later_indexes = []
        for idx in sorted(self._of(self.create, "index"), key=lambda i: (i.table not in partitioned, i.identity)):
            if ("materialized view", idx.table) in self.create:
                self.later_indexes.append(idx)
            else:
                out += self._emit(idx, "create")
        for con in cons:
            if con.type == "foreign key":
                out += self._emit(con, "create")
        for old, new, attrs in self._alters("constraint"):
            out += KINDS["constraint"].alter(old, new, attrs, self)
        return out

    def create_views_and_functions(self) -> list[Statement]:
        """Views, and the functions that read them, in dependency order; then the indexes of
        the materialized views."""
        objs: dict[str, Any] = {**self.views, **self.view_functions}
        out: list[Statement] = []
        for name in _topo(objs, lambda n: objs[n].depends_on):
            out += self._emit(objs[name], "create")
        for idx in self.later_indexes:
            out += self._emit(idx, "create")
        return out

    def fresh_acls(self) -> list[Statement]:
        return _PRIVILEGE.fresh_acls(self)


_TABLE = KINDS["table"]
_SEQUENCE = KINDS["sequence"]
_PRIVILEGE = KINDS["privilege"]
assert isinstance(_TABLE, TableKind) and isinstance(_SEQUENCE, SequenceKind) and isinstance(_PRIVILEGE, PrivilegeKind)

#: The planner's own steps, among the kinds' drop ranks and create ranks.
SPECIAL_DROP_STEPS = (
    Step(40, ("view", "materialized view", "function", "procedure"), _Planner.drop_views_and_functions),
    Step(55, ("function", "procedure"), _Planner.drop_late_functions, late=True),
    Step(80, (), _Planner.release_and_detach),
    Step(100, ("table",), _Planner.drop_tables),
)
SPECIAL_CREATE_STEPS = (
    Step(60, ("function", "procedure", "domain", "type"), _Planner.create_routines_and_types),
    Step(90, ("function", "procedure"), _Planner.attach_own_and_middle_functions),
    Step(100, ("constraint", "index"), _Planner.create_keys_and_indexes),
    Step(110, ("view", "materialized view", "function", "procedure", "index"), _Planner.create_views_and_functions),
    Step(139, (), _Planner.fresh_acls),
)


def _steps(special: tuple[Step, ...], rank: str) -> list[tuple[int, Any]]:
    kinds = [(getattr(k, rank), k) for k in KINDS.values() if getattr(k, rank) is not None]
    return sorted([(s.rank, s) for s in special] + kinds, key=lambda e: e[0])


#: Drops, then creations and alterations, in this order (kinds by rank, and the planner's steps).
DROP_STEPS = _steps(SPECIAL_DROP_STEPS, "drop_rank")
CREATE_STEPS = _steps(SPECIAL_CREATE_STEPS, "create_rank")
