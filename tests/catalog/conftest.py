"""Fixtures for the catalog tests: one server per module (the embedded PostgreSQL 18, and
Debian's PostgreSQL 15 when it is installed), a fresh database per test.

``PGRELEASE_TEST_DSN`` points the tests at another server instead (it must allow CREATE
DATABASE and CREATE ROLE).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.db.embedded import EmbeddedServer

PG15_BIN = Path("/usr/lib/postgresql/15/bin")
SUPABASE_ROLES = ("anon", "authenticated", "service_role", "supabase_admin")


def _server_params() -> list[str]:
    if os.environ.get("PGRELEASE_TEST_DSN"):
        return ["env"]
    params = ["embedded"]
    if (PG15_BIN / "postgres").exists():
        params.append("pg15")
    return params


@dataclass
class Server:
    name: str
    dsn: Dsn
    major: int


@pytest.fixture(scope="module", params=_server_params())
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    embedded = None
    if request.param == "env":
        dsn = Dsn.parse(os.environ["PGRELEASE_TEST_DSN"])
    else:
        embedded = EmbeddedServer(bin_dir=str(PG15_BIN) if request.param == "pg15" else None)
        dsn = embedded.start()
    try:
        with connect(dsn) as conn:
            for role in SUPABASE_ROLES:
                if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                    conn.execute(f"CREATE ROLE {role} NOLOGIN")
            major = conn.info.server_version // 10000
        yield Server(request.param, dsn, major)
    finally:
        if embedded is not None:
            embedded.stop()


_counter = itertools.count()


@pytest.fixture
def new_db(server: Server) -> Iterator[Callable[[], psycopg.Connection]]:
    """Factory: each call creates an empty database and returns an autocommit connection."""
    made: list[tuple[str, psycopg.Connection]] = []

    def make() -> psycopg.Connection:
        name = f"t_{next(_counter)}_{uuid.uuid4().hex[:8]}"
        with connect(server.dsn) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        conn = connect(server.dsn.with_dbname(name))
        made.append((name, conn))
        return conn

    yield make
    for name, conn in made:
        conn.close()
    with connect(server.dsn) as admin:
        for name, _ in made:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
