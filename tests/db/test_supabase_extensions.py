"""The list of extensions hosted Supabase offers (db/supabase_extensions.json) against what the
shadow can CREATE EXTENSION, and the stand-ins that list adds (PostgreSQL 18)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from pgrelease.db.baseline import STANDIN_EXTENSIONS, missing_extensions
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.db.embedded import STANDINS_DIR, EmbeddedServer
from pgrelease.db.supabase_extensions import load, offered, supabase_extensions

EXTENSIONS = supabase_extensions()


@pytest.fixture(scope="module")
def pg18() -> Iterator[EmbeddedServer]:
    saved = os.environ.pop("PGRELEASE_PG_BIN", None)
    try:
        server = EmbeddedServer()
        server.start()
    finally:
        if saved is not None:
            os.environ["PGRELEASE_PG_BIN"] = saved
    assert server.binaries is not None and server.binaries.major >= 18
    yield server
    server.stop()


@pytest.fixture
def db18(pg18) -> Iterator[psycopg.Connection]:
    name = "x_" + uuid.uuid4().hex[:12]
    with connect(pg18.dsn) as admin:
        admin.execute(f'create database "{name}"')
    with connect(pg18.dsn.with_dbname(name)) as conn:
        conn.autocommit = True
        yield conn
    with connect(pg18.dsn) as admin:
        admin.execute(f'drop database "{name}" with (force)')


def test_the_list_names_its_sources_and_covers_both_majors():
    data = load()
    assert "nix/ext/versions.json" in data["sources"]["image_versions"]
    assert "supabase/postgres/blob/043e3b40e96ea959acb01d37f9b38335eb889bdd" in data["sources"]["image_versions"]
    assert data["sources"]["docs"].startswith("https://supabase.com/docs/guides/database/extensions")
    assert len(EXTENSIONS) >= 80
    for ext in EXTENSIONS.values():
        assert ext.majors, ext.name
        assert ext.shadow in ("embedded", "standin") or ext.shadow.startswith("local:"), ext.name
    # what the projects need, at the versions Supabase ships
    assert EXTENSIONS["pgmq"].version(15) == EXTENSIONS["pgmq"].version(17) == "1.5.1"
    assert EXTENSIONS["timescaledb"].version(15) == "2.16.1" and not EXTENSIONS["timescaledb"].offered_on(17)
    assert EXTENSIONS["pgaudit"].version(15) == "1.7.1" and EXTENSIONS["pgaudit"].version(17) == "17.1"
    assert EXTENSIONS["postgis"].version(15) == "3.3.2" and EXTENSIONS["postgis"].version(17) == "3.3.7"
    assert not offered("plpython3u") and not offered("plperlu") and offered("pg_cron", 17)
    assert not offered("adminpack", 17) and offered("adminpack", 15)


def test_every_standin_of_the_list_is_shipped():
    standins = {e.name for e in EXTENSIONS.values() if e.shadow == "standin"}
    controls = {p.stem for p in STANDINS_DIR.joinpath("extension").glob("*.control")}
    assert standins <= controls and standins <= set(STANDIN_EXTENSIONS)
    assert {"pg_tle", "plpgsql_check", "pg_hashids", "pgmq", "timescaledb", "pgroonga", "pgaudit",
            "pg_repack"} <= standins


def _create(conn: psycopg.Connection, name: str, schema: str, version: str | None = None) -> None:
    stmt = sql.SQL("create extension if not exists {}").format(sql.Identifier(name))
    if schema not in ("pg_catalog",) and name not in ("pg_tle", "pgsodium", "supabase_vault", "pg_graphql"):
        conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        stmt += sql.SQL(" with schema {}").format(sql.Identifier(schema))
    if version:
        stmt += sql.SQL(" version {}").format(sql.Literal(version))
    conn.execute(stmt + sql.SQL(" cascade"))


@pytest.mark.parametrize("name", sorted(n for n, e in EXTENSIONS.items() if not e.shadow.startswith("local:")))
def test_the_shadow_creates_every_offered_extension(db18, name):
    """Every extension of the list the embedded server provides (itself or as a stand-in) is
    created as the dashboard creates it; a stand-in reports the extversion hosted Supabase has."""
    ext = EXTENSIONS[name]
    _create(db18, name, ext.schema)
    version = db18.execute("select extversion from pg_extension where extname = %s", (name,)).fetchone()[0]
    if ext.shadow == "standin" and not ext.contrib:
        assert version == (ext.version(17) or ext.version(15)), name
        others = {v for v in (ext.pg15, ext.pg17, *ext.also) if v and v != version}
        for other in sorted(others):  # the other major's version and older ones install with VERSION
            db18.execute(sql.SQL("drop extension {} cascade").format(sql.Identifier(name)))
            _create(db18, name, ext.schema, other)
            got = db18.execute("select extversion from pg_extension where extname = %s", (name,)).fetchone()[0]
            assert got == other, (name, other)


@pytest.mark.parametrize("name", sorted(n for n, e in EXTENSIONS.items() if e.shadow.startswith("local:")))
def test_what_only_a_local_installation_has_is_named_with_its_package(db18, name):
    if db18.execute("select 1 from pg_available_extensions where name = %s", (name,)).fetchone():
        pytest.skip(f"{name} is installed in this server")
    [(missing, hint)] = missing_extensions(db18, [name])
    package = EXTENSIONS[name].package.replace("<major>", "18")
    assert missing == name and package in hint and "\n" not in hint


def test_pg_hashids_standin_matches_the_reference_ids(db18):
    db18.execute("create extension pg_hashids")
    q = lambda s: db18.execute(s).fetchone()[0]  # noqa: E731
    assert q("select id_encode(1001)") == "jNl"
    assert q("select id_encode(1234567, 'This is my salt')") == "Pdzxp"
    assert q("select id_encode(1234567, 'This is my salt', 10)") == "PlRPdzxpR7"
    assert q("select id_encode(array[1, 2, 3]::bigint[], 'this is my salt')") == "laHquq"
    assert q("select id_decode('PlRPdzxpR7', 'This is my salt', 10)") == [1234567]
    assert q("select id_decode_once('jNl')") == 1001
    assert q("select id_decode('jNl', 'another salt')") == []


def test_pgmq_standin_15_keeps_14_and_adds_headers_and_conditional_reads(db18):
    db18.execute("create extension pgmq version '1.4.4'")
    db18.execute("select pgmq.create('old')")
    db18.execute("alter extension pgmq update")
    assert db18.execute("select extversion from pg_extension where extname = 'pgmq'").fetchone()[0] == "1.5.1"
    db18.execute("select pgmq.send('old', '{\"n\": 1}')")
    db18.execute("select pgmq.send('old', '{\"n\": 2}', '{\"trace\": \"t\"}'::jsonb)")
    assert db18.execute("select message, headers from pgmq.read('old', 30, 5, '{\"n\": 2}')").fetchall() == \
        [({"n": 2}, {"trace": "t"})]
    assert db18.execute("select queue_visible_length from pgmq.metrics('old')").fetchone()[0] == 1
    assert db18.execute("select pgmq.drop_queue('old')").fetchone()[0] is True


def test_timescaledb_standin(db18):
    db18.execute("create schema extensions; create extension timescaledb with schema extensions")
    db18.execute("set search_path = public, extensions")
    db18.execute("create table m (ts timestamptz, v int)")
    assert db18.execute("select * from create_hypertable('m', by_range('ts', interval '1 day'))").fetchone() == (1, True)
    assert db18.execute("select is_nullable from information_schema.columns where table_name = 'm'"
                        " and column_name = 'ts'").fetchone()[0] == "NO"
    with pytest.raises(psycopg.Error, match='table "m" is already a hypertable'):
        db18.execute("select create_hypertable('m', 'ts')")
    db18.execute("create table full_table (ts timestamptz not null)")
    db18.execute("insert into full_table values (now())")
    with pytest.raises(psycopg.Error, match='table "full_table" is not empty'):
        db18.execute("select create_hypertable('full_table', 'ts')")
    with pytest.raises(psycopg.errors.FeatureNotSupported, match='not supported under the current "apache" license'):
        db18.execute("select add_retention_policy('m', interval '30 days')")
    assert str(db18.execute("select time_bucket('15 minutes', timestamptz '2024-01-01 10:07:00+00')").fetchone()[0]) \
        == "2024-01-01 10:00:00+00:00"


def test_pgroonga_standin(db18):
    db18.execute("create schema extensions; create extension pgroonga with schema extensions")
    db18.execute("set search_path = public, extensions")
    db18.execute("create table memos (id int, content text)")
    db18.execute("create index on memos using pgroonga (content)")
    db18.execute("insert into memos values (1, 'PostgreSQL is a database'), (2, 'Groonga is fast')")
    q = lambda s: [r[0] for r in db18.execute(s).fetchall()]  # noqa: E731
    assert q("select id from memos where content &@~ 'groonga OR postgresql' order by id") == [1, 2]
    assert q("select id from memos where content &@~ 'database -groonga'") == [1]
    assert q("select id from memos where content &@ 'FAST'") == [2]
    with pytest.raises(psycopg.Error):  # Groonga's tokenizers are not there
        db18.execute("create index on memos using pgroonga (content) with (tokenizer = 'TokenMecab')")


def test_pg_tle_plpgsql_check_pgaudit_pg_repack_standins(db18):
    db18.execute("create extension pg_tle")
    assert db18.execute("select pgtle.install_extension('my_ext', '1.0', 'mine', 'select 1')").fetchone()[0] is True
    assert db18.execute("select name, default_version from pgtle.available_extensions()").fetchall() == \
        [("my_ext", "1.0")]
    with pytest.raises(psycopg.errors.DuplicateObject):
        db18.execute("select pgtle.install_extension('my_ext', '1.0', 'mine', 'select 1')")
    db18.execute("create schema extensions; create extension plpgsql_check with schema extensions")
    db18.execute("create function f() returns int language plpgsql as $$ begin return 1; end $$")
    assert db18.execute("select * from extensions.plpgsql_check_function('f()')").fetchall() == []
    with pytest.raises(psycopg.Error, match="is not a plpgsql function"):
        db18.execute("select * from extensions.plpgsql_check_function_tb('pg_catalog.now()')")
    db18.execute("create extension pgaudit with schema extensions")
    assert {r[0] for r in db18.execute("select evtname from pg_event_trigger").fetchall()} >= \
        {"pgaudit_ddl_command_end", "pgaudit_sql_drop"}
    db18.execute("create extension pg_repack with schema extensions")
    assert db18.execute("select repack.version()").fetchone()[0] == "pg_repack 1.5.2"
