"""Read a database's schema into a ``Snapshot``: one query per object kind, run once each.

Each kind (``kinds/<kind>.py``) names its query files (``kinds/sql/<name>.sql``, with
variants for older servers, see ``queries.py``) and turns their rows into objects.

All queries run in one REPEATABLE READ, READ ONLY transaction (one consistent view) with
``search_path = pg_catalog`` and fixed output settings, so the text the server prints
(``pg_get_*def``, ``format_type``, defaults) is schema-qualified and the same whatever the
connecting role's settings are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

import psycopg
from psycopg.pq import TransactionStatus

from ..errors import EnvironmentFailure
from .base import CatalogObject, Key
from .kinds import KIND_ORDER, KINDS
from .kinds.column import Column
from .queries import MIN_SERVER_VERSION, load_query

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


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The schema objects of one database, keyed by (kind, identity)."""

    server_version_num: int
    objects: Mapping[Key, CatalogObject]
    include_schemas: tuple[str, ...] | None = None
    exclude_schemas: tuple[str, ...] = ()
    queries: int = 0
    #: Columns a table inherits from its parent (partitions, INHERITS), by identity. They are
    #: the parent's and are not compared, but a table that is detached from (or attached to)
    #: its parent keeps them: diff looks them up to tell that from added (dropped) columns.
    inherited_columns: Mapping[str, Column] = field(default_factory=dict)
    _by_kind: dict[str, list[CatalogObject]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for obj in self.objects.values():
            self._by_kind.setdefault(obj.kind, []).append(obj)

    def __len__(self) -> int:
        return len(self.objects)

    def __iter__(self) -> Iterator[CatalogObject]:
        return iter(self.objects.values())

    def __contains__(self, key: object) -> bool:
        return key in self.objects

    def get(self, key: Key) -> CatalogObject | None:
        return self.objects.get(key)

    def of_kind(self, kind: str) -> list[CatalogObject]:
        return list(self._by_kind.get(kind, ()))

    def counts(self) -> dict[str, int]:
        return {kind: len(self._by_kind[kind]) for kind in KIND_ORDER if kind in self._by_kind}

    def to_dict(self) -> dict[str, Any]:
        return {
            "server_version_num": self.server_version_num,
            "include_schemas": list(self.include_schemas) if self.include_schemas is not None else None,
            "exclude_schemas": list(self.exclude_schemas),
            "objects": {
                kind: [obj.to_dict() for obj in sorted(self._by_kind[kind], key=lambda o: o.identity)]
                for kind in KIND_ORDER
                if kind in self._by_kind
            },
        }


#: (query name, row -> object) for every query of every kind, run in this order.
QUERIES: tuple[tuple[str, Callable[[dict[str, Any]], CatalogObject]], ...] = tuple(
    (query, kind.build) for kind in KINDS.values() for query in kind.queries)


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
    objects: dict[Key, CatalogObject] = {}
    inherited: dict[str, Column] = {}
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
                    if isinstance(obj, Column) and obj.inherited:
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
