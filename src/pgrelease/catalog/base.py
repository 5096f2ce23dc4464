"""What every object kind is made of: the ``CatalogObject`` model base, the ``Kind`` interface
that ``kinds/<kind>.py`` implements, the ``Statement`` that kinds write, and the ``Plan`` the
planner (``sqlgen``) hands them while it writes the SQL.

A kind declares, in one module:

- ``name`` and ``model``: the kind's name in keys and diffs, and its frozen dataclass (its
  ``identity`` property and ``COMPARE``/``LABELS`` say how objects are matched and compared);
- ``queries`` and ``build``: the query file(s) in ``kinds/sql/`` whose rows it reads, and how
  a row becomes an object (``read_with`` names the kind whose query returns its rows instead);
- ``destructive_remove`` and ``destructive_change``: what loses data;
- ``renames`` and ``rename_signature``: whether, and when, a removed and an added object
  are hinted as one renamed object;
- ``summary``: the attributes shown under an added or removed object in the text diff;
- ``rebuild``, ``create``, ``drop``, ``alter``: its DDL; ``drop_rank``/``create_rank`` place
  it among the planner's steps (``None``: the planner's dependency-ordered steps place it,
  see ``sqlgen.SPECIAL_DROP_STEPS`` and ``SPECIAL_CREATE_STEPS``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

Key = tuple[str, str]
Attrs = Mapping[str, tuple[Any, Any]]


# -- the model ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogObject:
    """Every object has a ``key`` = (kind, identity). The identity is schema-qualified and
    spelt the way SQL spells it (identifiers pass through ``quote_ident`` on the server), so
    it is the same on any server that holds the same schema: no OIDs, no file names.
    ``COMPARE`` lists, in display order, the attributes that ``diff`` compares; other fields
    only help to order or generate SQL."""

    KIND: ClassVar[str] = ""
    COMPARE: ClassVar[tuple[str, ...]] = ()
    LABELS: ClassVar[dict[str, str]] = {}  # field -> name shown in a diff, where they differ

    @property
    def kind(self) -> str:
        return self.KIND

    @property
    def identity(self) -> str:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    @property
    def key(self) -> Key:
        return (self.kind, self.identity)

    @property
    def relation(self) -> str | None:
        """The table or view this object hangs off (columns, constraints, ...), if any."""
        return None

    def compared(self) -> dict[str, Any]:
        """The compared attributes, keyed by their display label."""
        return {self.LABELS.get(name, name): getattr(self, name) for name in self.COMPARE}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "identity": self.identity}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def qualify(schema: str, name: str) -> str:
    return f"{schema}.{name}"


class InASchema:
    """Objects named within a schema: their identity is ``schema.name``."""

    schema: str
    name: str

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)


class OnATable:
    """Columns, constraints, triggers and policies: named within their table, whose
    schema-qualified name is their ``relation``."""

    schema: str
    table: str
    name: str

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.table}.{self.name}"

    @property
    def relation(self) -> str:
        return qualify(self.schema, self.table)


class OnAnObject:
    """Privileges and comments hang off another object: ``owner_key`` names it (a column
    privilege or comment hangs off its column), ``relation`` the table it belongs to."""

    object_type: str
    object_name: str
    table: str | None

    @property
    def relation(self) -> str | None:
        return self.table

    @property
    def owner_key(self) -> Key:
        return (self.object_type, self.object_name)


def tuples(row: dict[str, Any]) -> dict[str, Any]:
    """A query row with its arrays as tuples (the models are frozen and hashable)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}


# -- SQL text ----------------------------------------------------------------------------------
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


def temp_name(ident: str) -> str:
    raw = ident[1:-1].replace('""', '"') if ident.startswith('"') else ident
    digest = hashlib.sha1(raw.encode()).hexdigest()[:8]
    return f"pgrelease_old_{digest}"


# -- what a kind sees of the plan ------------------------------------------------------------------
class Objects(Protocol):
    """What kinds read of a snapshot (``snapshot.Snapshot``)."""

    server_version_num: int
    objects: Mapping[Key, CatalogObject]

    def of_kind(self, kind: str) -> list[CatalogObject]: ...


class Plan(Protocol):
    """The planner's state, as kinds read it while they write their statements."""

    a: Objects
    b: Objects
    drop: dict[Key, CatalogObject]
    create: dict[Key, CatalogObject]
    enum_rebuilds: set[Key]
    dropped_relations: set[str]
    created_relations: set[str]
    created_owners: set[Key]
    detached: list[Any]

    def note(self, key: Key, verb: str) -> str | None: ...

    def columns_of(self, relation: str) -> list[Any]: ...


# -- the kind interface ---------------------------------------------------------------------------
class Kind:
    """One object kind. Subclasses live in ``kinds/<kind>.py``; ``kinds.KINDS`` lists them.

    The class attributes without a default here are the parts every kind must declare
    (``tests/catalog/test_kinds.py`` checks them)."""

    #: the kind's name in keys, diffs and SQL comments
    name: ClassVar[str]
    #: display and dependency order of the kinds (``kinds.KINDS`` is sorted by it)
    rank: ClassVar[int]
    #: its frozen dataclass: ``identity`` matches objects, ``COMPARE`` lists what is compared
    model: ClassVar[type[CatalogObject]]
    #: query files (``kinds/sql/<name>.sql``, with version variants) whose rows this kind reads
    queries: ClassVar[tuple[str, ...]]
    #: whether removing an object loses stored data (or state, such as a sequence's position)
    destructive_remove: ClassVar[bool]
    #: attributes shown under an added or removed object in the text diff
    summary: ClassVar[tuple[str, ...]]
    #: whether a removed and an added object are hinted as one renamed (``rename_signature``)
    renames: ClassVar[bool]
    #: place among the planner's drop steps and create steps (``None``: one of the planner's
    #: own steps places it, see ``sqlgen.SPECIAL_DROP_STEPS``/``SPECIAL_CREATE_STEPS``)
    drop_rank: ClassVar[int | None]
    create_rank: ClassVar[int | None]

    #: the kind whose query also returns this kind's rows (procedures come with functions)
    read_with: ClassVar[str | None] = None
    #: objects that simply go away are dropped after the creations, once nothing uses them
    #: (the ones rebuilt here are dropped at ``drop_rank`` with the other drops)
    drop_late: ClassVar[bool] = False
    #: every change drops the object and creates it again (so there is no ``alter``)
    always_rebuilt: ClassVar[bool] = False

    # -- snapshot
    def build(self, row: dict[str, Any]) -> CatalogObject:
        """One query row -> one object."""
        return self.model(**tuples(row))

    # -- diff
    def destructive_change(self, attrs: Attrs) -> bool:
        """Whether changing these attributes (old, new) loses data."""
        return False

    def normalize(self, old: Any, new: Any, *, min_version: int, cross_major: bool) -> tuple[Any, Any]:
        """The two sides as compared: what one server version prints differently from
        another, or cannot hold, is left out. Either side may be None (added, removed)."""
        return old, new

    def rename_signature(self, obj: Any, columns: Any, ignore: frozenset[str]) -> Any:
        """What must match for a removed and an added object to look like one renamed object
        (``columns.get(table)``: a table's column signatures); ``None``: no hint."""
        return None

    # -- SQL
    def rebuild(self, old: Any, new: Any, attrs: Attrs, plan: Plan) -> bool:
        """Whether a change is made by dropping the object and creating it again."""
        return self.always_rebuilt

    def create(self, obj: Any, plan: Plan) -> list[Statement]:
        raise NotImplementedError(f"{self.name}: create")

    def drop(self, obj: Any, plan: Plan) -> list[Statement]:
        raise NotImplementedError(f"{self.name}: drop")

    def alter(self, old: Any, new: Any, attrs: Attrs, plan: Plan) -> list[Statement]:
        raise NotImplementedError(f"{self.name}: alter")

    def drop_order(self, objs: list[Any]) -> list[Any]:
        """The order its objects (sorted by identity) are dropped in."""
        return objs

    def create_order(self, objs: list[Any]) -> list[Any]:
        """The order its objects (sorted by identity) are created in."""
        return objs


def topo(names: Iterable[str], deps: Callable[[str], Iterable[str]]) -> list[str]:
    """``names`` sorted so that each comes after what it depends on (ties by name)."""
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


def compared(obj: CatalogObject, ignore: Iterable[str]) -> dict[str, Any]:
    attrs = obj.compared()
    for name in ignore:
        attrs.pop(name, None)
    return attrs
