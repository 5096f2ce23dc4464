"""The model classes of every kind in one namespace (each is declared in ``kinds/<kind>.py``;
the base, ``CatalogObject``, in ``base.py``), for code that reads snapshots."""

from __future__ import annotations

from .base import CatalogObject, Key, OnAnObject, qualify
from .kinds import KIND_ORDER
from .kinds.collation import Collation
from .kinds.column import Column
from .kinds.comment import Comment
from .kinds.constraint import Constraint
from .kinds.default_privilege import DefaultPrivilege
from .kinds.domain import Domain
from .kinds.enum import Enum
from .kinds.extension import Extension
from .kinds.function import Function, Procedure
from .kinds.index import Index
from .kinds.policy import Policy
from .kinds.privilege import Privilege
from .kinds.publication import Publication
from .kinds.schema import Schema
from .kinds.sequence import Sequence
from .kinds.table import Table
from .kinds.trigger import Trigger
from .kinds.type import CompositeType
from .kinds.view import MaterializedView, View

__all__ = [
    "KIND_ORDER", "CatalogObject", "Collation", "Column", "Comment", "CompositeType", "Constraint",
    "DefaultPrivilege", "Domain", "Enum", "Extension", "Function", "Index", "Key", "MaterializedView",
    "OnAnObject", "Policy", "Privilege", "Procedure", "Publication", "Schema", "Sequence", "Table", "Trigger",
    "View", "qualify",
]
