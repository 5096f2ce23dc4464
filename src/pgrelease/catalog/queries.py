"""The catalog's query files: ``kinds/sql/<name>.sql``, read through ``db.sqlfiles``.

A query may have variants for older servers: a file ``kinds/sql/<name>.<tag>.sql`` whose
first lines say ``-- min_version: N`` or ``-- max_version: N`` (``server_version_num``); the
first file (by name) whose range holds the server's version is used.
"""

from __future__ import annotations

import re
from functools import cache

from ..db.sqlfiles import load_sql, sql_variants
from ..errors import EnvironmentFailure

MIN_SERVER_VERSION = 140000

_PACKAGE = "pgrelease.catalog.kinds"
_HEADER = re.compile(r"^--\s*(min_version|max_version):\s*(\d+)\s*$", re.MULTILINE)


@cache
def _variants(name: str) -> tuple[tuple[int, int, str, str], ...]:
    out = []
    for stem in sql_variants(_PACKAGE, name):
        fname = f"{stem}.sql"
        text = load_sql(_PACKAGE, stem)
        low, high = 0, 10**9
        for key, value in _HEADER.findall(text):
            if key == "min_version":
                low = int(value)
            else:
                high = int(value)
        out.append((low, high, fname, text))
    return tuple(sorted(out, key=lambda v: v[2]))


def query_files(name: str) -> list[str]:
    """The file names of ``name``'s variants (empty when there is no such query)."""
    return [fname for _, _, fname, _ in _variants(name)]


def load_query(name: str, server_version_num: int) -> tuple[str, str]:
    """(file name, SQL text) of the variant of ``kinds/sql/<name>.sql`` for this server version."""
    for low, high, fname, text in _variants(name):
        if low <= server_version_num <= high:
            return fname, text
    raise EnvironmentFailure(
        f"no catalog query '{name}' for server version {server_version_num}",
        hint=f"pgrelease reads PostgreSQL {MIN_SERVER_VERSION // 10000} or newer",
    )
