"""Load the SQL that pgrelease runs from the .sql files kept beside the code."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_sql(package: str, name: str) -> str:
    """Text of ``<package>/sql/<name>.sql`` (``package`` is a dotted module path)."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


@cache
def sql_variants(package: str, name: str) -> tuple[str, ...]:
    """Names (without ``.sql``) of ``<package>/sql/<name>.sql`` and its variants
    ``<name>.<tag>.sql``, sorted: for queries that differ between server versions."""
    found = []
    for entry in resources.files(package).joinpath("sql").iterdir():
        stem = entry.name.removesuffix(".sql")
        if entry.name.endswith(".sql") and (stem == name or stem.startswith(f"{name}.")):
            found.append(stem)
    return tuple(sorted(found))
