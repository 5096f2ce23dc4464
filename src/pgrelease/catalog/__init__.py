"""Schema catalog: snapshot a database (one query per object kind), diff two snapshots,
render the diff, and write best-effort SQL from one to the other.

    from pgrelease.catalog import diff_databases
    result = diff_databases(Dsn.parse(url_a), Dsn.parse(url_b))
    print(result.render_text())
    for statement in result.to_sql(): ...
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from .diff import Change, diff
from .base import CatalogObject
from .kinds import KIND_ORDER
from .render import render_json, render_text, to_json_list
from .snapshot import DEFAULT_EXCLUDED_SCHEMAS, MANAGED_ROLES, Snapshot, schema_filter, snapshot
from .sqlgen import to_sql

__all__ = [
    "DEFAULT_EXCLUDED_SCHEMAS", "KIND_ORDER", "MANAGED_ROLES", "CatalogObject", "Change", "DiffResult", "Snapshot",
    "diff", "diff_databases", "render_json", "render_text", "schema_filter", "snapshot", "snapshot_database",
    "to_sql",
]


@dataclass(frozen=True, eq=False)
class DiffResult:
    """The differences from ``source`` (``--from``) to ``target`` (``--to``)."""

    source: Snapshot
    target: Snapshot
    changes: list[Change] = field(default_factory=list)
    source_label: str = "from"
    target_label: str = "to"

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def destructive(self) -> list[Change]:
        return [c for c in self.changes if c.destructive]

    def counts(self) -> dict[str, int]:
        out = {"add": 0, "remove": 0, "change": 0}
        for c in self.changes:
            out[c.action] += 1
        return out

    def render_text(self) -> str:
        return render_text(self.changes)

    def to_sql(self) -> list[str]:
        return to_sql(self.changes, self.source, self.target)

    def to_dict(self, *, with_sql: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "from": self.source_label,
            "to": self.target_label,
            "from_server_version_num": self.source.server_version_num,
            "to_server_version_num": self.target.server_version_num,
            "include_schemas": list(self.source.include_schemas) if self.source.include_schemas is not None else None,
            "exclude_schemas": list(self.source.exclude_schemas),
            "counts": self.counts(),
            "changes": to_json_list(self.changes),
        }
        if with_sql:
            out["sql"] = self.to_sql()
        return out


def snapshot_database(
    dsn: Dsn,
    *,
    include_schemas: Iterable[str] | None = None,
    exclude_schemas: Iterable[str] = (),
    options: ConnectOptions | None = None,
) -> Snapshot:
    """Connect to ``dsn``, snapshot it, close the connection."""
    with connect(dsn, options) as conn:
        return snapshot(conn, include_schemas=include_schemas, exclude_schemas=exclude_schemas)


def diff_databases(
    from_dsn: Dsn,
    to_dsn: Dsn,
    *,
    include_schemas: Iterable[str] | None = None,
    exclude_schemas: Iterable[str] = (),
    options: ConnectOptions | None = None,
    compare_column_order: bool = False,
) -> DiffResult:
    """Snapshot both databases with the same schema filter and diff them (from -> to).

    Raises EnvironmentFailure (exit 3) when a database cannot be reached or read.
    """
    include = list(include_schemas) if include_schemas is not None else None
    exclude = list(exclude_schemas)
    # Both snapshots at once: most of the time is spent waiting on the servers.
    with ThreadPoolExecutor(max_workers=2) as pool:
        fa = pool.submit(snapshot_database, from_dsn, include_schemas=include, exclude_schemas=exclude, options=options)
        fb = pool.submit(snapshot_database, to_dsn, include_schemas=include, exclude_schemas=exclude, options=options)
        a, b = fa.result(), fb.result()
    return DiffResult(a, b, diff(a, b, compare_column_order=compare_column_order),
                      source_label=from_dsn.masked(), target_label=to_dsn.masked())
