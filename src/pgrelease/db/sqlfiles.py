"""Load the SQL that pgrelease runs from the .sql files kept beside the code."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_sql(package: str, name: str) -> str:
    """Text of ``<package>/sql/<name>.sql`` (``package`` is a dotted module path)."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
