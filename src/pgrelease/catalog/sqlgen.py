"""Best-effort DDL that turns the database of snapshot ``a`` into that of snapshot ``b``.

``to_sql(changes, a, b)`` returns statements to run one by one, outside a single
transaction block (``ALTER TYPE ... ADD VALUE`` and friends need that). Each statement
that can lose data is preceded by a ``-- destructive: <why>`` comment line; a removal and
an addition that look like a rename carry a ``-- note:`` line suggesting the RENAME.

The order is the dependency order PostgreSQL needs: first drops, from dependants to what
they depend on (policies, triggers, views and the functions tied to them, foreign keys,
constraints, indexes, columns, tables, sequences, types, extensions), then creations and
alterations the other way round, then privileges, publications and comments, and last
dropped schemas. Within a kind, objects that depend on each other (views, functions,
domains, composite types, tables linked by foreign keys or partitioning) are ordered by
the dependencies the snapshot read from ``pg_depend``. Objects that must be rebuilt (a
changed view, an index, a constraint, a function whose signature changed) are dropped and
created again, and what hangs off or depends on them (grants, comments, indexes of a
materialized view, views and functions that use them, foreign keys pointing at them,
partitions, owned sequences) is put back from ``b`` or kept aside while they are rebuilt.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Callable

from . import model as m
from .diff import Change
from .snapshot import Snapshot

RELATION_KINDS = ("table", "view", "materialized view")
FUNCTION_KINDS = ("function", "procedure")


@dataclass
class Statement:
    sql: str
    destructive: str | None = None
    note: str | None = None

    def render(self) -> str:
        lines = []
        if self.note:
            lines.append(f"-- note: {self.note}")
        if self.destructive:
            lines.append(f"-- destructive: {self.destructive}")
        lines.append(self.sql.rstrip().rstrip(";") + ";")
        return "\n".join(lines)


def to_sql(changes: Iterable[Change], a: Snapshot, b: Snapshot) -> list[str]:
    """Statements (each a string, possibly with leading comment lines) from ``a`` to ``b``."""
    return [st.render() for st in _Planner(list(changes), a, b).plan()]


# -- small helpers ---------------------------------------------------------------------------
def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def split_ident(text: str) -> tuple[str, str]:
    """Split a leading (possibly quoted) identifier off ``text``: ('"a b"', ' int')."""
    if text.startswith('"'):
        i = 1
        while i < len(text):
            if text[i] == '"':
                if i + 1 < len(text) and text[i + 1] == '"':
                    i += 2
                    continue
                return text[: i + 1], text[i + 1:]
            i += 1
        return text, ""
    for i, ch in enumerate(text):
        if ch in " .(":
            return text[:i], text[i:]
    return text, ""


def qualified_prefix(text: str) -> str:
    """The leading ``schema.name`` of a publication entry such as 'public.t (a) WHERE (...)'."""
    schema, rest = split_ident(text)
    name, _ = split_ident(rest[1:])
    return f"{schema}.{name}"


def _strip_quotes(ident: str) -> str:
    return ident[1:-1].replace('""', '"') if ident.startswith('"') else ident


def temp_name(ident: str) -> str:
    raw = _strip_quotes(ident)
    digest = hashlib.sha1(raw.encode()).hexdigest()[:8]
    return f"pgrelease_old_{digest}"


def column_def(col: m.Column) -> str:
    parts = [col.name, col.type]
    if col.compression:
        parts += ["COMPRESSION", col.compression]
    if col.collation:
        parts += ["COLLATE", col.collation]
    if col.generated:
        expr, how = col.generated.rsplit(" ", 1)
        parts.append(f"GENERATED ALWAYS AS ({expr}) {how}")
    if col.default is not None:
        parts += ["DEFAULT", col.default]
    if col.identity_kind:
        parts.append(f"GENERATED {col.identity_kind.upper()} AS IDENTITY")
    if col.not_null:
        parts.append("NOT NULL")
    return " ".join(parts)


def _topo(names: Iterable[str], deps: Callable[[str], Iterable[str]]) -> list[str]:
    pending = set(names)
    out: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for dep in sorted(deps(name)):
            if dep in pending:
                visit(dep)
        out.append(name)

    for name in sorted(pending):
        visit(name)
    return out


def _version_key(version: str) -> tuple[int, ...] | None:
    parts = [p for p in re.split(r"[^0-9]+", version) if p]
    return tuple(int(p) for p in parts) if parts else None


def _is_downgrade(old: str, new: str) -> bool:
    """Whether extension version ``new`` is older than ``old`` ("1.3" < "1.4" < "1.10")."""
    ko, kn = _version_key(old), _version_key(new)
    return ko is not None and kn is not None and kn < ko


_DEFAULT_ACL_TYPES = {
    "table": "tables", "view": "tables", "materialized view": "tables", "sequence": "sequences",
    "function": "functions", "procedure": "functions", "schema": "schemas",
}
_GRANT_ON = {
    "table": "TABLE", "view": "TABLE", "materialized view": "TABLE", "sequence": "SEQUENCE",
    "function": "FUNCTION", "procedure": "PROCEDURE", "schema": "SCHEMA",
}


# -- the planner -------------------------------------------------------------------------------
class _Planner:
    def __init__(self, changes: list[Change], a: Snapshot, b: Snapshot) -> None:
        self.changes = changes
        self.a, self.b = a, b
        self.drop: dict[m.Key, m.CatalogObject] = {}
        self.create: dict[m.Key, m.CatalogObject] = {}
        self.alter: dict[m.Key, tuple[m.CatalogObject, m.CatalogObject, dict[str, tuple[Any, Any]]]] = {}
        self.hints: dict[m.Key, str] = {c.key: c.hint for c in changes if c.hint}
        self.enum_rebuilds: set[m.Key] = set()
        self.columns_b: dict[str, list[m.Column]] = {}
        for col in b.of_kind("column"):
            self.columns_b.setdefault(col.relation or "", []).append(col)  # type: ignore[arg-type]

    # -- classification ------------------------------------------------------------------
    @staticmethod
    def _obj(snap: Snapshot, key: m.Key) -> Any:
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
                if self._rebuild(ch, old, new):
                    self.drop[key] = old
                    self.create[key] = new
                else:
                    self.alter[key] = (old, new, ch.attributes)

    def _rebuild(self, ch: Change, old: m.CatalogObject, new: m.CatalogObject) -> bool:
        attrs = ch.attributes.keys()
        kind = ch.kind
        if kind in ("view", "materialized view", "index"):
            return True
        if kind == "constraint":
            return set(attrs) != {"validated"} or not getattr(new, "validated")
        if kind == "trigger":
            return "definition" in attrs
        if kind == "policy":
            if {"command", "mode"} & attrs:
                return True
            return any(ch.attributes[a][1] is None for a in ("using", "with_check") if a in attrs)
        if kind in FUNCTION_KINDS:
            return bool({"arguments", "returns"} & attrs)
        if kind == "table":
            return bool({"type", "partition_by", "inherits"} & attrs)
        if kind == "domain":
            return bool({"base_type", "collation"} & attrs)
        if kind == "column":
            if "generated" in attrs:
                return not self._generated_in_place(old, new, attrs)  # type: ignore[arg-type]
            return "identity" in attrs and ch.attributes["identity"][1] is not None and bool(getattr(old, "generated"))
        if kind == "publication":
            return "all_tables" in attrs
        if kind == "collation":
            return True  # nothing of a collation can be altered
        if kind == "enum":
            old_labels, new_labels = ch.attributes["labels"]
            if [x for x in new_labels if x in old_labels] != list(old_labels):
                self.enum_rebuilds.add(ch.key)
        return False

    def _generated_in_place(self, old: m.Column, new: m.Column, attrs: Any) -> bool:
        """A stored generated column that becomes a plain one keeps its values (DROP
        EXPRESSION); one whose expression changes is altered in place on 17+ (SET
        EXPRESSION). Anything else (a plain column becoming generated, virtual columns) is
        dropped and added again."""
        if "type" in attrs or "collation" in attrs:
            return False
        was, will = old.generated, new.generated
        if not was or not was.endswith(" STORED"):
            return False
        if will is None:
            return True
        return will.endswith(" STORED") and self.a.server_version_num >= 170000

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
        self.detached: list[m.Table] = [
            t for t in a.of_kind("table")  # type: ignore[misc]
            if t.partition_of in self.dropped_relations and t.key not in self.drop and t.key in b.objects]  # type: ignore[attr-defined]
        # Sequences b keeps whose owning column is dropped here (with its table, or to be
        # added again): released first, or the DROP would take them along.
        self.released: list[m.Sequence] = []
        for seq in a.of_kind("sequence"):
            owner = seq.owned_by and a.objects.get(("column", seq.owned_by))  # type: ignore[attr-defined]
            if owner and seq.key in b.objects and seq.key not in self.drop and (
                    owner.relation in self.dropped_relations or owner.key in self.drop):
                self.released.append(seq)  # type: ignore[arg-type]
        self.dropped_names = {k[1] for k in self.drop if k[0] in (*RELATION_KINDS, "type", "enum", "domain")}

    def _rebuild_too(self, obj: m.CatalogObject) -> None:
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
        out: list[Statement] = [Statement("SET check_function_bodies = off")]
        out += self.drops()
        out += self.creates()
        return out

    def _of(self, store: dict[m.Key, Any], *kinds: str) -> list[Any]:
        return [store[k] for k in sorted(k for k in store if k[0] in kinds)]

    def _note(self, key: m.Key, verb: str) -> str | None:
        hint = self.hints.get(key)
        if not hint:
            return None
        return f"{key[0]} {key[1]} is {hint}; if so, use ALTER ... RENAME instead of this {verb}"

    # ---- drops
    def drops(self) -> list[Statement]:
        out: list[Statement] = []
        for pub in self._of(self.drop, "publication"):
            out.append(Statement(f"DROP PUBLICATION IF EXISTS {pub.name}"))
        for pol in self._of(self.drop, "policy"):
            out.append(Statement(f"DROP POLICY IF EXISTS {pol.name} ON {pol.relation}"))
        for trg in self._of(self.drop, "trigger"):
            out.append(Statement(f"DROP TRIGGER IF EXISTS {trg.name} ON {trg.relation}"))
        # views and the functions dropped early, dependants first
        objs = {o.identity: o for o in self._of(self.drop, "view", "materialized view")}
        objs.update(self._dropped_functions(early=True))
        for name in reversed(_topo(objs, lambda n: objs[n].depends_on)):
            obj = objs[name]
            if obj.kind in FUNCTION_KINDS:
                out.append(Statement(f"DROP {obj.kind.upper()} IF EXISTS {name}", note=self._note(obj.key, "drop")))
            else:
                what = "MATERIALIZED VIEW" if obj.kind == "materialized view" else "VIEW"
                out.append(Statement(f"DROP {what} IF EXISTS {name}", note=self._note(obj.key, "drop")))
        out += self.drop_routines_and_types(rebuilt=True)
        # foreign keys before the keys and unique indexes they rely on; a partition's key
        # before the partitioned index its index is attached to
        cons = sorted(self._of(self.drop, "constraint"), key=lambda c: (c.type != "foreign key", c.identity))
        for con in cons:
            out.append(Statement(f"ALTER TABLE {con.relation} DROP CONSTRAINT IF EXISTS {con.name}",
                                 note=self._note(con.key, "drop")))
        for idx in self._of(self.drop, "index"):
            out.append(Statement(f"DROP INDEX IF EXISTS {idx.identity}", note=self._note(idx.key, "drop")))
        for seq in self.released:
            out.append(Statement(f"ALTER SEQUENCE {seq.identity} OWNED BY NONE"))
        for t in self.detached:
            out += self.detach(t)
        for col in self._of(self.drop, "column"):
            rebuilt = col.key in self.create
            out.append(Statement(
                f"ALTER TABLE {col.relation} DROP COLUMN IF EXISTS {col.name}",
                destructive=None if rebuilt and col.generated else "drops the column and its data",
                note=self._note(col.key, "drop")))
        for name in self.table_drop_order:
            out.append(Statement(f"DROP TABLE IF EXISTS {name}", destructive="drops the table and its data",
                                 note=self._note(("table", name), "drop")))
        # privileges / default privileges / comments that simply go away
        for priv in self._of(self.drop, "privilege"):
            if priv.key not in self.create:
                out += self.revoke(priv, priv.privileges)
        for dp in self._of(self.drop, "default privilege"):
            out += self.default_privilege(dp, None)
        for com in self._of(self.drop, "comment"):
            if com.key not in self.create:
                out.append(Statement(f"COMMENT ON {com.target} IS NULL"))
        return out

    def _dropped_functions(self, *, early: bool) -> dict[str, Any]:
        """Functions dropped early (with the views) are the rebuilt ones and those whose
        signature or SQL-standard body uses a relation or type that is dropped; the others
        are dropped last, once nothing (a column default, a trigger) uses them."""
        return {f.identity: f for f in self._of(self.drop, *FUNCTION_KINDS)
                if (f.key in self.create or bool(set(f.depends_on) & self.dropped_names)) == early}

    def drop_routines_and_types(self, *, rebuilt: bool) -> list[Statement]:
        """Functions, sequences, types and extensions: the ones rebuilt here are dropped with
        the other drops; the ones that simply go away last, once nothing uses them."""
        out: list[Statement] = []

        def pick(*kinds: str) -> list[Any]:
            return [o for o in self._of(self.drop, *kinds) if (o.key in self.create) == rebuilt]

        # Dependants first: composite types and domains (a domain over another one first)
        # before the enums they may use; functions after the domains whose CHECKs call them
        # (the ones taking a dropped type went with the views).
        for seq in pick("sequence"):
            out.append(Statement(f"DROP SEQUENCE IF EXISTS {seq.identity}",
                                 destructive="drops the sequence and its current value"))
        types = {t.identity: t for t in pick("type")}
        for name in reversed(_topo(types, lambda n: types[n].depends_on)):
            out.append(Statement(f"DROP TYPE IF EXISTS {name}", destructive="drops the type"))
        doms = {d.identity: d for d in pick("domain")}
        for name in reversed(_topo(doms, lambda n: [doms[n].base_type])):
            out.append(Statement(f"DROP DOMAIN IF EXISTS {name}", destructive="drops the domain"))
        for typ in pick("enum"):
            out.append(Statement(f"DROP TYPE IF EXISTS {typ.identity}", destructive="drops the type"))
        for coll in pick("collation"):
            out.append(Statement(f"DROP COLLATION IF EXISTS {coll.identity}"))
        if not rebuilt:  # (the early ones go with the views)
            fns = self._dropped_functions(early=False)
            for name in reversed(_topo(fns, lambda n: fns[n].depends_on)):
                fn = fns[name]
                out.append(Statement(f"DROP {fn.kind.upper()} IF EXISTS {name}", note=self._note(fn.key, "drop")))
        for ext in pick("extension"):
            out.append(Statement(f"DROP EXTENSION IF EXISTS {ext.name}",
                                 destructive="drops the extension and the objects it owns"))
        return out

    # ---- creates and alters
    def creates(self) -> list[Statement]:
        out: list[Statement] = []
        for sch in self._of(self.create, "schema"):
            out.append(Statement(f"CREATE SCHEMA IF NOT EXISTS {sch.name}"))
        for ext in self._of(self.create, "extension"):
            out.append(Statement(
                f"CREATE EXTENSION IF NOT EXISTS {ext.name} WITH SCHEMA {ext.schema} VERSION {literal(ext.version)}"))
        for old, new, attrs in self._alters("extension"):
            if "schema" in attrs:
                out.append(Statement(f"ALTER EXTENSION {new.name} SET SCHEMA {new.schema}"))
            if "version" in attrs and _is_downgrade(old.version, new.version):
                # extensions ship update scripts forwards only: re-create at the older version
                out.append(Statement(f"DROP EXTENSION {new.name}", destructive=(
                    f"downgrades {new.name} from {old.version} to {new.version} by re-creating it; fails while"
                    " objects depend on it")))
                out.append(Statement(
                    f"CREATE EXTENSION {new.name} WITH SCHEMA {new.schema} VERSION {literal(new.version)}"))
            elif "version" in attrs:
                out.append(Statement(f"ALTER EXTENSION {new.name} UPDATE TO {literal(new.version)}"))
        for coll in self._of(self.create, "collation"):
            out.append(self.create_collation(coll))
        # types
        for enum in self._of(self.create, "enum"):
            labels = ", ".join(literal(x) for x in enum.labels)
            out.append(Statement(f"CREATE TYPE {enum.identity} AS ENUM ({labels})"))
        for old, new, attrs in self._alters("enum"):
            out += self.alter_enum(old, new)
        # sequences (ownership later, once the columns exist)
        for seq in self._of(self.create, "sequence"):
            out.append(Statement(
                f"CREATE SEQUENCE {seq.identity} AS {seq.data_type} INCREMENT BY {seq.increment}"
                f" MINVALUE {seq.min_value} MAXVALUE {seq.max_value} START WITH {seq.start} CACHE {seq.cache}"
                f" {'CYCLE' if seq.cycle else 'NO CYCLE'}"))
        for old, new, attrs in self._alters("sequence"):
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
            if opts:
                out.append(Statement(f"ALTER SEQUENCE {new.identity} {' '.join(opts)}"))
            if "owned_by" in attrs and new.owned_by is None:
                out.append(Statement(f"ALTER SEQUENCE {new.identity} OWNED BY NONE"))
        # functions with a string body (not parsed against tables until called), unless their
        # signature uses a table's or view's row type
        fns = {f.identity: f for f in self._of(self.create, *FUNCTION_KINDS) + [
            n for _, n, _ in self._alters(*FUNCTION_KINDS)]}
        relations_b = {o.identity for kind in RELATION_KINDS for o in self.b.of_kind(kind)}
        early = {n for n, f in fns.items() if not f.sql_body and not set(f.depends_on) & relations_b}
        # ... together with the domains, in dependency order: a function may take a domain,
        # a domain's CHECK may call a function, a domain may be over another domain
        doms = {d.identity: d for d in self._of(self.create, "domain", "type")}
        group: dict[str, Any] = {**{n: fns[n] for n in early}, **doms}
        for name in _topo(group, lambda n: (*group[n].depends_on, getattr(group[n], "base_type", ""))):
            obj = group[name]
            if obj.kind == "domain":
                out.append(self.create_domain(obj))
            elif obj.kind == "type":
                out.append(Statement(f"CREATE TYPE {obj.identity} AS ({', '.join(obj.attributes)})"))
            else:
                out.append(Statement(obj.definition.strip(), note=self._note(obj.key, "create")))
        for old, new, attrs in self._alters("type"):
            out += self.alter_composite(old, new)
        for old, new, attrs in self._alters("domain"):
            out += self.alter_domain(old, new)
        # the others after the tables (SQL-standard bodies are parsed at creation), and after
        # the views they read when those are created here too
        views = {o.identity: o for o in self._of(self.create, "view", "materialized view")}
        late = {n: f for n, f in fns.items() if n not in early}
        deferred: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name, fn in late.items():
                if name not in deferred and set(fn.depends_on) & (views.keys() | deferred):
                    deferred.add(name)
                    changed = True
        middle = {n: f for n, f in late.items() if n not in deferred}
        # tables
        tables = {o.identity: o for o in self._of(self.create, "table")}
        for name in _topo(tables, lambda n: [p for p in (tables[n].partition_of, *tables[n].inherits) if p]):
            out += self.create_table(tables[name])
        for old, new, attrs in self._alters("table"):
            out += self.alter_table(old, new, attrs)
        # columns
        for col in self._of(self.create, "column"):
            out.append(Statement(f"ALTER TABLE {col.relation} ADD COLUMN {column_def(col)}",
                                 note=self._note(col.key, "add")))
        for old, new, attrs in self._alters("column"):
            out += self.alter_column(old, new, attrs)
        # partitions attached (once their columns match the parent's)
        attaching = {t.key: self.b.objects[t.key] for t in self.detached if self.b.objects[t.key].partition_of}  # type: ignore[attr-defined]
        attaching.update({new.key: new for old, new, attrs in self._alters("table") if new.partition_of and (
            "partition_of" in attrs or "partition_bound" in attrs)})
        for key in sorted(attaching):
            out += self.attach(attaching[key])
        # sequence ownership
        owned = {s.key: s for s in self._of(self.create, "sequence")}
        owned.update({n.key: n for _, n, a in self._alters("sequence") if "owned_by" in a})
        owned.update({s.key: self.b.objects[s.key] for s in self.released})
        for seq in (owned[k] for k in sorted(owned)):
            if seq.owned_by:
                out.append(Statement(f"ALTER SEQUENCE {seq.identity} OWNED BY {seq.owned_by}"))
        # functions with an SQL-standard body or a row type in their signature, in dependency order
        for name in _topo(middle, lambda n: middle[n].depends_on):
            out.append(Statement(middle[name].definition.strip(), note=self._note(middle[name].key, "create")))
        # constraints: keys and checks; then indexes (a unique one may be what a foreign key
        # points at; a materialized view's come after the view); then foreign keys
        cons = self._of(self.create, "constraint")
        for con in cons:
            if con.type != "foreign key":
                out.append(self.add_constraint(con))
        later_indexes = []
        # a partitioned table's index before its partitions' own ones: created the other way
        # round, the partitioned index would take over a matching partition index
        partitioned = {t.identity for t in self.b.of_kind("table") if t.type == "partitioned"}  # type: ignore[attr-defined]
        for idx in sorted(self._of(self.create, "index"), key=lambda i: (i.table not in partitioned, i.identity)):
            if ("materialized view", idx.table) in self.create:
                later_indexes.append(idx)
            else:
                out.append(self.create_index(idx))
        for con in cons:
            if con.type == "foreign key":
                out.append(self.add_constraint(con))
        for old, new, attrs in self._alters("constraint"):
            out.append(Statement(f"ALTER TABLE {new.relation} VALIDATE CONSTRAINT {new.name}"))
        # views, and the functions that read them, in dependency order
        objs: dict[str, Any] = {**views, **{n: late[n] for n in deferred}}
        for name in _topo(objs, lambda n: objs[n].depends_on):
            obj = objs[name]
            if obj.kind in FUNCTION_KINDS:
                out.append(Statement(obj.definition.strip(), note=self._note(obj.key, "create")))
                continue
            what = "MATERIALIZED VIEW" if obj.kind == "materialized view" else "VIEW"
            opts = f" WITH ({', '.join(obj.options)})" if obj.options else ""
            out.append(Statement(f"CREATE {what} {name}{opts} AS\n{obj.definition}", note=self._note(obj.key, "create")))
        for idx in later_indexes:
            out.append(self.create_index(idx))
        # triggers
        for trg in self._of(self.create, "trigger"):
            out.append(Statement(trg.definition))
            if trg.enabled != "enabled":
                out.append(self.trigger_state(trg))
        for old, new, attrs in self._alters("trigger"):
            out.append(self.trigger_state(new))
        # policies
        for pol in self._of(self.create, "policy"):
            sql = (f"CREATE POLICY {pol.name} ON {pol.relation} AS {pol.mode.upper()} FOR {pol.command}"
                   f" TO {', '.join(pol.roles)}")
            if pol.using is not None:
                sql += f" USING ({pol.using})"
            if pol.with_check is not None:
                sql += f" WITH CHECK ({pol.with_check})"
            out.append(Statement(sql))
        for old, new, attrs in self._alters("policy"):
            sql = f"ALTER POLICY {new.name} ON {new.relation}"
            if "roles" in attrs:
                sql += f" TO {', '.join(new.roles)}"
            if "using" in attrs:
                sql += f" USING ({new.using})"
            if "with_check" in attrs:
                sql += f" WITH CHECK ({new.with_check})"
            out.append(Statement(sql))
        # privileges
        out += self.privileges()
        for dp in self._of(self.create, "default privilege"):
            out += self.default_privilege(None, dp)
        for old, new, attrs in self._alters("default privilege"):
            out += self.default_privilege(old, new)
        # publications
        for pub in self._of(self.create, "publication"):
            out.append(self.create_publication(pub))
        for old, new, attrs in self._alters("publication"):
            out += self.alter_publication(old, new, attrs)
        # comments
        for com in self._of(self.create, "comment"):
            out.append(Statement(f"COMMENT ON {com.target} IS {literal(com.text)}"))
        for old, new, attrs in self._alters("comment"):
            out.append(Statement(f"COMMENT ON {new.target} IS {literal(new.text)}"))
        out += self.drop_routines_and_types(rebuilt=False)
        # schemas last: everything in them has gone by now
        for sch in self._of(self.drop, "schema"):
            out.append(Statement(f"DROP SCHEMA IF EXISTS {sch.name}", destructive="drops the schema"))
        return out

    def _alters(self, *kinds: str) -> list[tuple[Any, Any, dict[str, tuple[Any, Any]]]]:
        return [self.alter[k] for k in sorted(k for k in self.alter if k[0] in kinds)]

    # ---- per kind
    def alter_enum(self, old: m.Enum, new: m.Enum) -> list[Statement]:
        if old.key not in self.enum_rebuilds:
            out = []
            labels = list(new.labels)
            for i, label in enumerate(labels):
                if label in old.labels:
                    continue
                if i > 0:
                    where = f" AFTER {literal(labels[i - 1])}"
                elif len(labels) > 1:
                    where = f" BEFORE {literal(labels[1])}"
                else:
                    where = ""
                out.append(Statement(f"ALTER TYPE {new.identity} ADD VALUE IF NOT EXISTS {literal(label)}{where}"))
            return out
        # Labels removed or reordered: build a new type and move the columns over.
        tmp = temp_name(new.name)
        out = [
            Statement(f"ALTER TYPE {old.identity} RENAME TO {tmp}",
                      destructive="rebuilds the enum; rows holding a removed label make the conversion fail"),
            Statement(f"CREATE TYPE {new.identity} AS ENUM ({', '.join(literal(x) for x in new.labels)})"),
        ]
        for col in self.a.of_kind("column"):
            assert isinstance(col, m.Column)
            if col.type not in (old.identity, old.identity + "[]") or col.key not in self.b.objects:
                continue
            if col.relation in self.dropped_relations or col.key in self.drop:
                continue
            arr = "[]" if col.type.endswith("[]") else ""
            if col.default is not None:
                out.append(Statement(f"ALTER TABLE {col.relation} ALTER COLUMN {col.name} DROP DEFAULT"))
            out.append(Statement(
                f"ALTER TABLE {col.relation} ALTER COLUMN {col.name} TYPE {new.identity}{arr}"
                f" USING {col.name}::text{arr}::{new.identity}{arr}",
                destructive="converts the column to the rebuilt enum"))
            target = self.b.objects[col.key]
            if target.default is not None:  # type: ignore[attr-defined]
                out.append(Statement(
                    f"ALTER TABLE {col.relation} ALTER COLUMN {col.name} SET DEFAULT {target.default}"))  # type: ignore[attr-defined]
        out.append(Statement(f"DROP TYPE {old.schema}.{tmp}"))
        return out

    def alter_composite(self, old: m.CompositeType, new: m.CompositeType) -> list[Statement]:
        def parse(entries: tuple[str, ...]) -> dict[str, str]:
            return {split_ident(e)[0]: split_ident(e)[1].strip() for e in entries}

        before, after = parse(old.attributes), parse(new.attributes)
        out = []
        for name in before:
            if name not in after:
                out.append(Statement(f"ALTER TYPE {new.identity} DROP ATTRIBUTE {name}",
                                     destructive="drops the attribute"))
        for name, typ in after.items():
            if name not in before:
                out.append(Statement(f"ALTER TYPE {new.identity} ADD ATTRIBUTE {name} {typ}"))
            elif before[name] != typ:
                out.append(Statement(f"ALTER TYPE {new.identity} ALTER ATTRIBUTE {name} TYPE {typ}",
                                     destructive="changes the attribute's type"))
        return out

    def alter_domain(self, old: m.Domain, new: m.Domain) -> list[Statement]:
        out = []
        if old.default != new.default:
            out.append(Statement(f"ALTER DOMAIN {new.identity} DROP DEFAULT" if new.default is None
                                 else f"ALTER DOMAIN {new.identity} SET DEFAULT {new.default}"))
        if old.not_null != new.not_null:
            out.append(Statement(f"ALTER DOMAIN {new.identity} {'SET' if new.not_null else 'DROP'} NOT NULL"))
        before = {split_ident(c)[0]: c for c in old.constraints}
        after = {split_ident(c)[0]: c for c in new.constraints}
        for name, text in before.items():
            if after.get(name) != text:
                out.append(Statement(f"ALTER DOMAIN {new.identity} DROP CONSTRAINT IF EXISTS {name}"))
        for name, text in after.items():
            if before.get(name) != text:
                out.append(Statement(f"ALTER DOMAIN {new.identity} ADD CONSTRAINT {text}"))
        return out

    def create_table(self, t: m.Table) -> list[Statement]:
        cols = sorted(self.columns_b.get(t.identity, ()), key=lambda c: c.position)
        unlogged = "UNLOGGED " if t.persistence == "unlogged" else ""
        if t.partition_of:
            sql = f"CREATE {unlogged}TABLE {t.identity} PARTITION OF {t.partition_of}"
            if cols:
                sql += " (" + ", ".join(column_def(c) for c in cols) + ")"  # type: ignore[arg-type]
            sql += f" {t.partition_bound}"
        else:
            body = ",\n    ".join(column_def(c) for c in cols)  # type: ignore[arg-type]
            sql = f"CREATE {unlogged}TABLE {t.identity} (\n    {body}\n)" if cols else f"CREATE {unlogged}TABLE {t.identity} ()"
            if t.inherits:
                sql += f" INHERITS ({', '.join(t.inherits)})"
        if t.partition_by:
            sql += f" PARTITION BY {t.partition_by}"
        if t.options:
            sql += f" WITH ({', '.join(t.options)})"
        out = [Statement(sql, note=self._note(t.key, "create"))]
        if t.rls_enabled:
            out.append(Statement(f"ALTER TABLE {t.identity} ENABLE ROW LEVEL SECURITY"))
        if t.rls_forced:
            out.append(Statement(f"ALTER TABLE {t.identity} FORCE ROW LEVEL SECURITY"))
        return out

    def alter_table(self, old: m.Table, new: m.Table, attrs: dict[str, Any]) -> list[Statement]:
        out = []
        name = new.identity
        if ("partition_of" in attrs or "partition_bound" in attrs) and old not in self.detached:
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

    def detach(self, t: m.Table) -> list[Statement]:
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

    def attach(self, t: m.Table) -> list[Statement]:
        """ATTACH PARTITION. PostgreSQL wants the table to have its parent's CHECK
        constraints already (they then merge): the ones it lacks are added first."""
        out = []
        for con in self.b.of_kind("constraint"):
            if con.relation == t.partition_of and con.type == "check":  # type: ignore[attr-defined]
                own = ("constraint", f"{t.identity}.{con.name}")  # type: ignore[attr-defined]
                if own not in self.a.objects or own in self.drop:
                    out.append(Statement(f"ALTER TABLE {t.identity} ADD CONSTRAINT {con.name} {con.definition}"))  # type: ignore[attr-defined]
        out.append(Statement(f"ALTER TABLE {t.partition_of} ATTACH PARTITION {t.identity} {t.partition_bound}"))
        return out

    def alter_column(self, old: m.Column, new: m.Column, attrs: dict[str, Any]) -> list[Statement]:
        out = []
        at = f"ALTER TABLE {new.relation} ALTER COLUMN {new.name}"
        retyped = "type" in attrs or "collation" in attrs
        if "generated" in attrs:  # in place: see _generated_in_place
            if new.generated is None:
                out.append(Statement(f"{at} DROP EXPRESSION"))
            else:
                out.append(Statement(f"{at} SET EXPRESSION AS ({new.generated.rsplit(' ', 1)[0]})"))
        if "identity" in attrs and old.identity_kind and not new.identity_kind:
            out.append(Statement(f"{at} DROP IDENTITY"))
        if old.default is not None and ("default" in attrs or retyped):
            out.append(Statement(f"{at} DROP DEFAULT"))
        if retyped:
            sql = f"{at} TYPE {new.type}"
            if new.collation or "collation" in attrs:
                sql += f" COLLATE {new.collation or 'pg_catalog.default'}"
            if "type" in attrs:
                sql += f" USING {new.name}::{new.type}"
            out.append(Statement(sql, destructive="changes the column's type (rewrites the table; values must convert)"
                                 if "type" in attrs else None))
        if new.default is not None and ("default" in attrs or (retyped and old.default is not None)):
            out.append(Statement(f"{at} SET DEFAULT {new.default}"))
        if "not_null" in attrs:
            out.append(Statement(f"{at} {'SET' if new.not_null else 'DROP'} NOT NULL"))
        if "identity" in attrs and new.identity_kind:
            how = new.identity_kind.upper()
            if old.identity_kind:
                out.append(Statement(f"{at} SET GENERATED {how}"))
            else:
                out.append(Statement(f"{at} ADD GENERATED {how} AS IDENTITY"))
        if "compression" in attrs:
            out.append(Statement(f"{at} SET COMPRESSION {new.compression or 'default'}"))
        return out

    def create_domain(self, dom: m.Domain) -> Statement:
        sql = f"CREATE DOMAIN {dom.identity} AS {dom.base_type}"
        if dom.collation:
            sql += f" COLLATE {dom.collation}"
        if dom.default is not None:
            sql += f" DEFAULT {dom.default}"
        if dom.not_null:
            sql += " NOT NULL"
        for con in dom.constraints:
            sql += f" CONSTRAINT {con}"
        return Statement(sql)

    def create_collation(self, coll: m.Collation) -> Statement:
        opts = [f"provider = {coll.provider}"]
        if coll.provider == "libc":
            opts += [f"lc_collate = {literal(coll.lc_collate or '')}", f"lc_ctype = {literal(coll.lc_ctype or '')}"]
        else:
            opts.append(f"locale = {literal(coll.locale or '')}")
        if not coll.deterministic:
            opts.append("deterministic = false")
        if coll.rules:
            opts.append(f"rules = {literal(coll.rules)}")
        return Statement(f"CREATE COLLATION {coll.identity} ({', '.join(opts)})")

    def add_constraint(self, con: m.Constraint) -> Statement:
        sql = f"ALTER TABLE {con.relation} ADD CONSTRAINT {con.name} {con.definition}"
        if not con.validated:
            sql += " NOT VALID"
        return Statement(sql, note=self._note(con.key, "add"))

    def create_index(self, idx: m.Index) -> Statement:
        # An index on a partitioned table prints as ON ONLY; without it, it cascades to partitions.
        return Statement(idx.definition.replace(" ON ONLY ", " ON ", 1), note=self._note(idx.key, "create"))

    def trigger_state(self, trg: m.Trigger) -> Statement:
        verb = {"enabled": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA",
                "always": "ENABLE ALWAYS"}[trg.enabled]
        return Statement(f"ALTER TABLE {trg.relation} {verb} TRIGGER {trg.name}")

    # ---- privileges
    def _on(self, p: m.Privilege, privs: Iterable[str]) -> str:
        if p.object_type == "column":
            return f"{', '.join(f'{x} ({p.column})' for x in privs)} ON TABLE {p.table}"
        return f"{', '.join(privs)} ON {_GRANT_ON[p.object_type]} {p.object_name}"

    def grant(self, p: m.Privilege, privs: Iterable[str], grantable: Iterable[str] = ()) -> list[Statement]:
        out = []
        plain = [x for x in privs if x not in set(grantable)]
        if plain:
            out.append(Statement(f"GRANT {self._on(p, plain)} TO {p.grantee}"))
        if grantable:
            out.append(Statement(f"GRANT {self._on(p, grantable)} TO {p.grantee} WITH GRANT OPTION"))
        return out

    def revoke(self, p: m.Privilege, privs: Iterable[str]) -> list[Statement]:
        privs = list(privs)
        return [Statement(f"REVOKE {self._on(p, privs)} FROM {p.grantee}")] if privs else []

    def privileges(self) -> list[Statement]:
        out: list[Statement] = []
        # Objects created here: start from a clean ACL (default privileges may have granted
        # more than b has), then grant what b has.
        for kind, name in sorted(self.created_owners):
            if kind not in _DEFAULT_ACL_TYPES:
                continue
            grantees = self._default_grantees(kind)
            if kind in FUNCTION_KINDS and ("privilege", f"{kind} {name} to PUBLIC") in self.b.objects:
                grantees.discard("PUBLIC")  # the built-in default is what b has
            if grantees:
                out.append(Statement(f"REVOKE ALL ON {_GRANT_ON[kind]} {name} FROM {', '.join(sorted(grantees))}"))
        for p in self._of(self.create, "privilege"):
            old = self.a.objects.get(p.key)
            fresh = p.owner_key in self.created_owners or (p.table and p.table in self.created_relations)
            if old is not None and not fresh:
                out += self._privilege_change(old, p)  # type: ignore[arg-type]
            else:
                out += self.grant(p, p.privileges, p.grantable)
        for old, new, attrs in self._alters("privilege"):
            out += self._privilege_change(old, new)
        return out

    def _privilege_change(self, old: m.Privilege, new: m.Privilege) -> list[Statement]:
        out = []
        gone = [x for x in old.privileges if x not in new.privileges]
        out += self.revoke(old, gone)
        lost_option = [x for x in old.grantable if x not in new.grantable and x in new.privileges]
        if lost_option:
            on = self._on(old, lost_option)
            out.append(Statement(f"REVOKE GRANT OPTION FOR {on} FROM {old.grantee}"))
        added = [x for x in new.privileges if x not in old.privileges]
        newly_grantable = [x for x in new.grantable if x not in old.grantable]
        out += self.grant(new, sorted(set(added) | set(newly_grantable)), newly_grantable)
        return out

    def _default_grantees(self, kind: str) -> set[str]:
        objtype = _DEFAULT_ACL_TYPES.get(kind)
        grantees = set()
        for snap in (self.a, self.b):
            for dp in snap.of_kind("default privilege"):
                if dp.object_type == objtype and dp.privileges:  # type: ignore[attr-defined]
                    grantees.add(dp.grantee)  # type: ignore[attr-defined]
        if kind in FUNCTION_KINDS:
            grantees.add("PUBLIC")
        return grantees

    def default_privilege(self, old: m.DefaultPrivilege | None, new: m.DefaultPrivilege | None) -> list[Statement]:
        ref = new or old
        assert ref is not None
        head = f"ALTER DEFAULT PRIVILEGES FOR ROLE {ref.role}"
        if ref.schema:
            head += f" IN SCHEMA {ref.schema}"
        on = ref.object_type.upper()
        granted_old = set(old.privileges) if old else set()
        granted_new = set(new.privileges) if new else set()
        opt_old = set(old.grantable) if old else set()
        opt_new = set(new.grantable) if new else set()
        rev_old = set(old.revoked) if old else set()
        rev_new = set(new.revoked) if new else set()
        out = []
        if granted_old - granted_new:
            out.append(Statement(f"{head} REVOKE {', '.join(sorted(granted_old - granted_new))} ON {on} FROM {ref.grantee}"))
        if (opt_old - opt_new) & granted_new:
            privs = ", ".join(sorted((opt_old - opt_new) & granted_new))
            out.append(Statement(f"{head} REVOKE GRANT OPTION FOR {privs} ON {on} FROM {ref.grantee}"))
        plain = (granted_new - granted_old) - opt_new
        if plain:
            out.append(Statement(f"{head} GRANT {', '.join(sorted(plain))} ON {on} TO {ref.grantee}"))
        if opt_new - opt_old:
            out.append(Statement(f"{head} GRANT {', '.join(sorted(opt_new - opt_old))} ON {on} TO {ref.grantee} WITH GRANT OPTION"))
        if rev_new - rev_old:
            out.append(Statement(f"{head} REVOKE {', '.join(sorted(rev_new - rev_old))} ON {on} FROM {ref.grantee}"))
        if rev_old - rev_new:
            out.append(Statement(f"{head} GRANT {', '.join(sorted(rev_old - rev_new))} ON {on} TO {ref.grantee}"))
        return out

    # ---- publications
    def create_publication(self, pub: m.Publication) -> Statement:
        sql = f"CREATE PUBLICATION {pub.name}"
        if pub.all_tables:
            sql += " FOR ALL TABLES"
        else:
            targets = [f"TABLE {t}" for t in pub.tables] + [f"TABLES IN SCHEMA {s}" for s in pub.schemas]
            if targets:
                sql += " FOR " + ", ".join(targets)
        sql += f" WITH (publish = {literal(', '.join(pub.operations))}, publish_via_partition_root = {str(pub.via_root).lower()})"
        return Statement(sql)

    def alter_publication(self, old: m.Publication, new: m.Publication, attrs: dict[str, Any]) -> list[Statement]:
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
            out.append(Statement(
                f"ALTER PUBLICATION {new.name} SET (publish = {literal(', '.join(new.operations))},"
                f" publish_via_partition_root = {str(new.via_root).lower()})"))
        return out
