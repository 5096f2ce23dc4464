"""Fixtures for the catalog tests, on the suite's one test server (tests/conftest.py: the
embedded PostgreSQL 18, the installation PGRELEASE_TEST_PG_BIN names, e.g. Debian's
PostgreSQL 15 in the suite's second pass, or PGRELEASE_TEST_DSN), a fresh database per test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn

from tests.helpers import create_database, drop_database

PG15_BIN = Path("/usr/lib/postgresql/15/bin")
SUPABASE_ROLES = ("anon", "authenticated", "service_role", "supabase_admin")
# as the Supabase baseline creates them (it leaves a role that exists as it is, and other
# tests load the baseline on this same server)
_ROLE_ATTRIBUTES = {"anon": "NOLOGIN NOINHERIT", "authenticated": "NOLOGIN NOINHERIT",
                    "service_role": "NOLOGIN NOINHERIT BYPASSRLS",
                    "supabase_admin": "LOGIN SUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS"}


@dataclass
class Server:
    name: str  # "embedded" for the default server, else "pg<major>"
    dsn: Dsn
    major: int


@pytest.fixture(scope="module")
def server(server_dsn: Dsn) -> Server:
    with connect(server_dsn) as conn:
        for role in SUPABASE_ROLES:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f"CREATE ROLE {role} {_ROLE_ATTRIBUTES[role]}")
        major = conn.info.server_version // 10000
    default = not (os.environ.get("PGRELEASE_TEST_DSN") or os.environ.get("PGRELEASE_TEST_PG_BIN"))
    return Server("embedded" if default else f"pg{major}", server_dsn, major)


@pytest.fixture
def new_db(server: Server) -> Iterator[Callable[[], psycopg.Connection]]:
    """Factory: each call creates an empty database and returns an autocommit connection."""
    made: list[tuple[Dsn, psycopg.Connection]] = []

    def make() -> psycopg.Connection:
        dsn = create_database(server.dsn)
        conn = connect(dsn)
        made.append((dsn, conn))
        return conn

    yield make
    for dsn, conn in made:
        conn.close()
        drop_database(server.dsn, dsn)
