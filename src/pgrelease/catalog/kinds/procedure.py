"""Procedures: as functions (``function.py``), read by the same query."""

from __future__ import annotations

from typing import ClassVar

from ..base import CatalogObject
from .function import FunctionKind, Procedure


class ProcedureKind(FunctionKind):
    name = "procedure"
    rank = 150
    model: ClassVar[type[CatalogObject]] = Procedure
    queries: ClassVar[tuple[str, ...]] = ()
    read_with = "function"


KIND = ProcedureKind()
