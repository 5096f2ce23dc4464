"""Plain, frozen objects for what the catalog queries return, one class per object kind.

Every object has a ``key`` = (kind, identity). The identity is schema-qualified and spelt
the way SQL spells it (identifiers pass through ``quote_ident`` on the server), so it is the
same on any server that holds the same schema: no OIDs, no physical file names. ``COMPARE``
lists, in display order, the attributes that ``diff`` compares; other fields only help to
order or generate SQL (``definition`` of a function, ``depends_on`` of a view, ...).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

Key = tuple[str, str]


@dataclass(frozen=True)
class CatalogObject:
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


@dataclass(frozen=True)
class Schema(CatalogObject):
    KIND: ClassVar[str] = "schema"
    name: str

    @property
    def identity(self) -> str:
        return self.name


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


@dataclass(frozen=True)
class Collation(CatalogObject):
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

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)


@dataclass(frozen=True)
class Enum(CatalogObject):
    KIND: ClassVar[str] = "enum"
    COMPARE: ClassVar[tuple[str, ...]] = ("labels",)
    schema: str
    name: str
    labels: tuple[str, ...]

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)


@dataclass(frozen=True)
class Domain(CatalogObject):
    KIND: ClassVar[str] = "domain"
    COMPARE: ClassVar[tuple[str, ...]] = ("base_type", "not_null", "default", "collation", "constraints")
    schema: str
    name: str
    base_type: str
    not_null: bool
    default: str | None
    collation: str | None
    constraints: tuple[str, ...]  # "name CHECK (...)"
    depends_on: tuple[str, ...] = ()  # functions its CHECK constraints call (ordering)

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)


@dataclass(frozen=True)
class CompositeType(CatalogObject):
    KIND: ClassVar[str] = "type"
    COMPARE: ClassVar[tuple[str, ...]] = ("attributes",)
    schema: str
    name: str
    attributes: tuple[str, ...]  # "name type [COLLATE c]" in order
    depends_on: tuple[str, ...] = ()  # user types of the attributes (ordering)

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)


@dataclass(frozen=True)
class Sequence(CatalogObject):
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

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)


@dataclass(frozen=True)
class Table(CatalogObject):
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
    def identity(self) -> str:
        return qualify(self.schema, self.name)

    @property
    def relation(self) -> str:
        return self.identity


@dataclass(frozen=True)
class Column(CatalogObject):
    KIND: ClassVar[str] = "column"
    COMPARE: ClassVar[tuple[str, ...]] = (
        "type", "not_null", "default", "identity_kind", "generated", "collation", "compression", "position")
    LABELS: ClassVar[dict[str, str]] = {"identity_kind": "identity"}
    schema: str
    table: str
    name: str
    position: int
    type: str
    not_null: bool
    default: str | None
    identity_kind: str | None  # always | by default
    generated: str | None  # "<expr> STORED" | "<expr> VIRTUAL"
    collation: str | None
    compression: str | None
    inherited: bool = False  # from a parent (partition, INHERITS): kept apart, see Snapshot

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.table}.{self.name}"

    @property
    def relation(self) -> str:
        return qualify(self.schema, self.table)


@dataclass(frozen=True)
class Constraint(CatalogObject):
    KIND: ClassVar[str] = "constraint"
    COMPARE: ClassVar[tuple[str, ...]] = ("type", "definition", "validated")
    schema: str
    table: str
    name: str
    type: str  # primary key | unique | foreign key | check | exclusion
    definition: str  # pg_get_constraintdef without a trailing NOT VALID
    validated: bool
    references: str | None  # referenced table of a foreign key

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.table}.{self.name}"

    @property
    def relation(self) -> str:
        return qualify(self.schema, self.table)


@dataclass(frozen=True)
class Index(CatalogObject):
    KIND: ClassVar[str] = "index"
    COMPARE: ClassVar[tuple[str, ...]] = ("table", "unique", "method", "columns", "predicate", "valid")
    schema: str
    name: str
    table: str  # schema-qualified
    method: str
    unique: bool
    nulls_not_distinct: bool
    valid: bool
    columns: str  # "(a, lower(b)) INCLUDE (c) NULLS NOT DISTINCT WITH (...)" as the server prints it
    predicate: str | None
    definition: str

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)

    @property
    def relation(self) -> str:
        return self.table


@dataclass(frozen=True)
class View(CatalogObject):
    KIND: ClassVar[str] = "view"
    COMPARE: ClassVar[tuple[str, ...]] = ("definition", "options")
    schema: str
    name: str
    definition: str
    options: tuple[str, ...]
    depends_on: tuple[str, ...]

    @property
    def identity(self) -> str:
        return qualify(self.schema, self.name)

    @property
    def relation(self) -> str:
        return self.identity


@dataclass(frozen=True)
class MaterializedView(View):
    KIND: ClassVar[str] = "materialized view"


@dataclass(frozen=True)
class Function(CatalogObject):
    KIND: ClassVar[str] = "function"
    COMPARE: ClassVar[tuple[str, ...]] = (
        "arguments", "returns", "language", "volatility", "strict", "security_definer", "leakproof",
        "parallel", "config", "body")
    schema: str
    name: str
    identity_arguments: str
    arguments: str  # with names and defaults
    returns: str | None
    language: str
    volatility: str
    strict: bool
    security_definer: bool
    leakproof: bool
    parallel: str
    config: tuple[str, ...]  # SET options, e.g. "search_path=public"
    body: str
    sql_body: bool  # BEGIN ATOMIC / RETURN body (parsed at creation, so created after tables)
    definition: str  # pg_get_functiondef: CREATE OR REPLACE ...
    depends_on: tuple[str, ...] = ()  # functions, relations, user types it depends on (ordering)

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.name}({self.identity_arguments})"


@dataclass(frozen=True)
class Procedure(Function):
    KIND: ClassVar[str] = "procedure"


@dataclass(frozen=True)
class Trigger(CatalogObject):
    KIND: ClassVar[str] = "trigger"
    COMPARE: ClassVar[tuple[str, ...]] = ("definition", "enabled")
    schema: str
    table: str
    name: str
    definition: str
    enabled: str  # enabled | disabled | replica | always

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.table}.{self.name}"

    @property
    def relation(self) -> str:
        return qualify(self.schema, self.table)


@dataclass(frozen=True)
class Policy(CatalogObject):
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

    @property
    def identity(self) -> str:
        return f"{self.schema}.{self.table}.{self.name}"

    @property
    def relation(self) -> str:
        return qualify(self.schema, self.table)


class _OnAnObject:
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


@dataclass(frozen=True)
class Privilege(_OnAnObject, CatalogObject):
    """What one grantee holds on one object (table, view, sequence, column, function, schema)."""

    KIND: ClassVar[str] = "privilege"
    COMPARE: ClassVar[tuple[str, ...]] = ("privileges", "grantable")
    object_type: str  # table | view | materialized view | sequence | column | function | procedure | schema
    object_name: str
    grantee: str  # role name, or PUBLIC
    privileges: tuple[str, ...]
    grantable: tuple[str, ...]  # the subset held WITH GRANT OPTION
    table: str | None = None  # the relation, for relation and column privileges
    column: str | None = None

    @property
    def identity(self) -> str:
        return f"{self.object_type} {self.object_name} to {self.grantee}"


@dataclass(frozen=True)
class DefaultPrivilege(CatalogObject):
    KIND: ClassVar[str] = "default privilege"
    COMPARE: ClassVar[tuple[str, ...]] = ("privileges", "grantable", "revoked")
    role: str
    schema: str | None  # None: the role's global default
    object_type: str  # tables | sequences | functions | types | schemas
    grantee: str
    privileges: tuple[str, ...]
    grantable: tuple[str, ...]
    revoked: tuple[str, ...]  # built-in defaults taken away (global entries only)

    @property
    def identity(self) -> str:
        where = f" in schema {self.schema}" if self.schema else ""
        return f"{self.object_type}{where} for {self.role} to {self.grantee}"


@dataclass(frozen=True)
class Comment(_OnAnObject, CatalogObject):
    KIND: ClassVar[str] = "comment"
    COMPARE: ClassVar[tuple[str, ...]] = ("text",)
    object_type: str
    object_name: str
    target: str  # as COMMENT ON spells it: "TABLE public.posts", "CONSTRAINT c ON public.t"
    table: str | None
    text: str

    @property
    def identity(self) -> str:
        return f"{self.object_type} {self.object_name}"


@dataclass(frozen=True)
class Publication(CatalogObject):
    KIND: ClassVar[str] = "publication"
    COMPARE: ClassVar[tuple[str, ...]] = ("all_tables", "operations", "via_root", "tables", "schemas")
    name: str
    all_tables: bool
    operations: tuple[str, ...]
    via_root: bool
    tables: tuple[str, ...]  # "schema.table [(cols)] [WHERE (...)]"
    schemas: tuple[str, ...]

    @property
    def identity(self) -> str:
        return self.name


#: Display and dependency order of the kinds.
KIND_ORDER: tuple[str, ...] = (
    "schema", "extension", "collation", "enum", "domain", "type", "sequence", "table", "column", "constraint", "index",
    "view", "materialized view", "function", "procedure", "trigger", "policy", "privilege",
    "default privilege", "publication", "comment",
)

MODELS: dict[str, type[CatalogObject]] = {
    cls.KIND: cls
    for cls in (Schema, Extension, Collation, Enum, Domain, CompositeType, Sequence, Table, Column, Constraint, Index,
                View, MaterializedView, Function, Procedure, Trigger, Policy, Privilege, DefaultPrivilege,
                Publication, Comment)
}
