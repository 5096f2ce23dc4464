"""Read a database's schema into a ``Snapshot``: one query per object kind, run once each.

The queries live in ``sql/<kind>.sql``. A kind may have variants for older servers: a file
``sql/<kind>.<tag>.sql`` whose first lines say ``-- min_version: N`` or ``-- max_version: N``
(``server_version_num``); the first file whose range holds the server's version is used.

All queries run in one REPEATABLE READ, READ ONLY transaction (one consistent view) with
``search_path = pg_catalog`` and fixed output settings, so the text the server prints
(``pg_get_*def``, ``format_type``, defaults) is schema-qualified and the same whatever the
connecting role's settings are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Callable

import psycopg
from psycopg.pq import TransactionStatus

from ..errors import EnvironmentFailure
from . import model as m

#: Schemas that PostgreSQL or Supabase's platform manage; left out unless named in
#: ``include_schemas``. (pg_* and information_schema are always left out.)
DEFAULT_EXCLUDED_SCHEMAS: tuple[str, ...] = (
    "auth", "storage", "realtime", "_realtime", "supabase_functions", "supabase_migrations", "extensions",
    "graphql", "graphql_public", "pgsodium", "pgsodium_masks", "vault", "net", "cron", "pgbouncer",
    "_analytics",
)

#: Roles of Supabase's platform: their ALTER DEFAULT PRIVILEGES entries are set by the
#: platform (not by migrations) and are left out of default privileges.
MANAGED_ROLES: tuple[str, ...] = (
    "supabase_admin", "supabase_auth_admin", "supabase_storage_admin", "supabase_realtime_admin",
    "supabase_functions_admin", "supabase_replication_admin", "supabase_read_only_user", "supabase_etl_admin",
    "dashboard_user", "pgbouncer", "pgsodium_keymaker", "pgsodium_keyholder", "pgsodium_keyiduser",
)

MIN_SERVER_VERSION = 140000

# Session settings that change how the server prints definitions.
_SETTINGS = {
    "search_path": "pg_catalog",
    "DateStyle": "ISO, YMD",
    "IntervalStyle": "postgres",
    "TimeZone": "UTC",
    "extra_float_digits": "1",
    "bytea_output": "hex",
    "quote_all_identifiers": "off",
}

_SQL_PACKAGE = "pgrelease.catalog"
_HEADER = re.compile(r"^--\s*(min_version|max_version):\s*(\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The schema objects of one database, keyed by (kind, identity)."""

    server_version_num: int
    objects: Mapping[m.Key, m.CatalogObject]
    include_schemas: tuple[str, ...] | None = None
    exclude_schemas: tuple[str, ...] = ()
    queries: int = 0
    #: Columns a table inherits from its parent (partitions, INHERITS), by identity. They are
    #: the parent's and are not compared, but a table that is detached from (or attached to)
    #: its parent keeps them: diff looks them up to tell that from added (dropped) columns.
    inherited_columns: Mapping[str, m.Column] = field(default_factory=dict)
    _by_kind: dict[str, list[m.CatalogObject]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for obj in self.objects.values():
            self._by_kind.setdefault(obj.kind, []).append(obj)

    def __len__(self) -> int:
        return len(self.objects)

    def __iter__(self) -> Iterator[m.CatalogObject]:
        return iter(self.objects.values())

    def __contains__(self, key: object) -> bool:
        return key in self.objects

    def get(self, key: m.Key) -> m.CatalogObject | None:
        return self.objects.get(key)

    def of_kind(self, kind: str) -> list[m.CatalogObject]:
        return list(self._by_kind.get(kind, ()))

    def counts(self) -> dict[str, int]:
        return {kind: len(self._by_kind[kind]) for kind in m.KIND_ORDER if kind in self._by_kind}

    def to_dict(self) -> dict[str, Any]:
        return {
            "server_version_num": self.server_version_num,
            "include_schemas": list(self.include_schemas) if self.include_schemas is not None else None,
            "exclude_schemas": list(self.exclude_schemas),
            "objects": {
                kind: [obj.to_dict() for obj in sorted(self._by_kind[kind], key=lambda o: o.identity)]
                for kind in m.KIND_ORDER
                if kind in self._by_kind
            },
        }


# -- SQL files ------------------------------------------------------------------------------
@cache
def _variants(name: str) -> tuple[tuple[int, int, str, str], ...]:
    folder = resources.files(_SQL_PACKAGE).joinpath("sql")
    out = []
    for entry in folder.iterdir():
        fname = entry.name
        if not fname.endswith(".sql") or not (fname == f"{name}.sql" or fname.startswith(f"{name}.")):
            continue
        text = entry.read_text(encoding="utf-8")
        low, high = 0, 10**9
        for key, value in _HEADER.findall(text):
            if key == "min_version":
                low = int(value)
            else:
                high = int(value)
        out.append((low, high, fname, text))
    return tuple(sorted(out, key=lambda v: v[2]))


def load_query(name: str, server_version_num: int) -> tuple[str, str]:
    """(file name, SQL text) of the variant of ``sql/<name>.sql`` for this server version."""
    for low, high, fname, text in _variants(name):
        if low <= server_version_num <= high:
            return fname, text
    raise EnvironmentFailure(
        f"no catalog query '{name}' for server version {server_version_num}",
        hint=f"pgrelease reads PostgreSQL {MIN_SERVER_VERSION // 10000} or newer",
    )


# -- rows -> objects --------------------------------------------------------------------------
def _tuples(row: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}


def _plain(cls: type[m.CatalogObject]) -> Callable[[dict[str, Any]], m.CatalogObject]:
    return lambda row: cls(**_tuples(row))


def _column(row: dict[str, Any]) -> m.CatalogObject:
    row["inherited"] = bool(row.pop("inhcount", 0))
    return m.Column(**row)


def _constraint(row: dict[str, Any]) -> m.CatalogObject:
    definition = row["definition"]
    if not row["validated"] and definition.endswith(" NOT VALID"):
        row["definition"] = definition[: -len(" NOT VALID")]
    return m.Constraint(**row)


def _index(row: dict[str, Any]) -> m.CatalogObject:
    definition: str = row["definition"]
    partial = row.pop("partial")
    marker = f" USING {row['method']} "
    rest = definition.split(marker, 1)[1] if marker in definition else definition
    predicate = None
    if partial and " WHERE " in rest:
        rest, predicate = rest.rsplit(" WHERE ", 1)
    return m.Index(columns=rest, predicate=predicate, **row)


def _view(row: dict[str, Any]) -> m.CatalogObject:
    row = _tuples(row)
    cls = m.MaterializedView if row.pop("kind") == "materialized view" else m.View
    row["definition"] = row["definition"].strip().rstrip(";")
    return cls(**row)


def _function(row: dict[str, Any]) -> m.CatalogObject:
    row = _tuples(row)
    cls = m.Procedure if row.pop("kind") == "procedure" else m.Function
    return cls(**row)


QUERIES: tuple[tuple[str, Callable[[dict[str, Any]], m.CatalogObject]], ...] = (
    ("schemas", _plain(m.Schema)),
    ("extensions", _plain(m.Extension)),
    ("collations", _plain(m.Collation)),
    ("enums", _plain(m.Enum)),
    ("domains", _plain(m.Domain)),
    ("composite_types", _plain(m.CompositeType)),
    ("sequences", _plain(m.Sequence)),
    ("tables", _plain(m.Table)),
    ("columns", _column),
    ("constraints", _constraint),
    ("indexes", _index),
    ("views", _view),
    ("functions", _function),
    ("triggers", _plain(m.Trigger)),
    ("policies", _plain(m.Policy)),
    ("privileges", _plain(m.Privilege)),
    ("default_privileges", _plain(m.DefaultPrivilege)),
    ("publications", _plain(m.Publication)),
    ("comments", _plain(m.Comment)),
)


def schema_filter(
    include_schemas: Iterable[str] | None = None, exclude_schemas: Iterable[str] = ()
) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(include, exclude) as the queries get them: the default exclusions minus what is
    explicitly included, plus what is explicitly excluded."""
    include = tuple(sorted(set(include_schemas))) if include_schemas is not None else None
    exclude = set(DEFAULT_EXCLUDED_SCHEMAS) - set(include or ())
    exclude |= set(exclude_schemas)
    return include, tuple(sorted(exclude))


def snapshot(
    conn: psycopg.Connection,
    *,
    include_schemas: Iterable[str] | None = None,
    exclude_schemas: Iterable[str] = (),
    exclude_roles: Iterable[str] = MANAGED_ROLES,
    statement_timeout: float = 120.0,
) -> Snapshot:
    """Snapshot the schema behind ``conn`` (autocommit connection recommended).

    ``include_schemas``: only these schemas (a default-excluded schema named here is read).
    ``exclude_schemas``: left out in addition to ``DEFAULT_EXCLUDED_SCHEMAS``.
    ``exclude_roles``: roles whose ALTER DEFAULT PRIVILEGES entries are left out.
    """
    include, exclude = schema_filter(include_schemas, exclude_schemas)
    version = conn.info.server_version
    if version < MIN_SERVER_VERSION:
        raise EnvironmentFailure(
            f"server version {version} is too old for the catalog snapshot",
            hint=f"pgrelease reads PostgreSQL {MIN_SERVER_VERSION // 10000} or newer",
        )
    params = {"include": list(include) if include is not None else None, "exclude": list(exclude),
              "exclude_roles": list(exclude_roles)}
    objects: dict[m.Key, m.CatalogObject] = {}
    inherited: dict[str, m.Column] = {}
    settings = dict(_SETTINGS, statement_timeout=f"{int(statement_timeout * 1000)}ms")
    fname = "(settings)"
    own_transaction = conn.info.transaction_status == TransactionStatus.IDLE
    try:
        with conn.transaction():
            if own_transaction:  # one consistent view of the catalog
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute(
                "SELECT " + ", ".join(f"pg_catalog.set_config('{k}', %s, true)" for k in settings),
                list(settings.values()),
            )
            for name, build in QUERIES:
                fname, sql = load_query(name, version)
                cur = conn.execute(sql, params)  # type: ignore[call-overload]
                names = [d.name for d in cur.description or ()]
                for row in cur.fetchall():
                    obj = build(dict(zip(names, row)))
                    if isinstance(obj, m.Column) and obj.inherited:
                        inherited[obj.identity] = obj
                    else:
                        objects[obj.key] = obj
    except psycopg.Error as exc:
        diag = getattr(exc, "diag", None)
        raise EnvironmentFailure(
            f"catalog query {fname} failed: {(diag.message_primary if diag else None) or exc}",
            hint="the role needs to read pg_catalog; check statement_timeout on big schemas",
            sqlstate=getattr(exc, "sqlstate", None),
        ) from None
    return Snapshot(version, objects, include, exclude, queries=len(QUERIES), inherited_columns=inherited)
