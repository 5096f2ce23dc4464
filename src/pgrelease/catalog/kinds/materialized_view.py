"""Materialized views: as views (``view.py``), read by the same query; their indexes are
created after them (sqlgen)."""

from __future__ import annotations

from typing import ClassVar

from ..base import CatalogObject
from .view import MaterializedView, ViewKind


class MaterializedViewKind(ViewKind):
    name = "materialized view"
    rank = 130
    model: ClassVar[type[CatalogObject]] = MaterializedView
    queries: ClassVar[tuple[str, ...]] = ()
    read_with = "view"
    keyword = "MATERIALIZED VIEW"


KIND = MaterializedViewKind()
