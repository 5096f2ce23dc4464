"""The list of extensions hosted Supabase offers (db/supabase_extensions.json) against what the
shadow can CREATE EXTENSION, and the stand-ins that list adds: on the embedded PostgreSQL 18
(extension_control_path) and on a Debian PostgreSQL 15 (a private installation tree); the
versions hosted Supabase ships, pinned with VERSION; pg_cron's schema as supautils sets it."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from pgrelease.db.baseline import STANDIN_EXTENSIONS, missing_extensions
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.db.embedded import STANDINS_DIR, EmbeddedServer
from pgrelease.db.supabase_extensions import load, offered, supabase_extensions

EXTENSIONS = supabase_extensions()
PG15_BIN = Path("/usr/lib/postgresql/15/bin")
# each pass of scripts/test.sh tests its own server: the embedded 18, or the installation that
# PGRELEASE_TEST_PG_BIN names (Debian's PostgreSQL 15 in the second pass)
TEST_PG_BIN = os.environ.get("PGRELEASE_TEST_PG_BIN") or None
SERVERS = [f"pg{_version}" for _version in ([TEST_PG_BIN and Path(TEST_PG_BIN).parent.name] if TEST_PG_BIN else ["18"])]


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, EmbeddedServer]]:
    started: dict[str, EmbeddedServer] = {}
    yield started
    for server in started.values():
        server.stop()


@pytest.fixture(params=SERVERS)
def pg(request, servers) -> EmbeddedServer:
    """The embedded PostgreSQL 18 (the wheel), or the pass's PGRELEASE_TEST_PG_BIN installation."""
    if request.param not in servers:
        saved = os.environ.pop("PGRELEASE_PG_BIN", None)
        try:
            server = EmbeddedServer(bin_dir=TEST_PG_BIN)
            server.start()
        finally:
            if saved is not None:
                os.environ["PGRELEASE_PG_BIN"] = saved
        servers[request.param] = server
    return servers[request.param]


@pytest.fixture
def db(pg) -> Iterator[psycopg.Connection]:
    name = "x_" + uuid.uuid4().hex[:12]
    with connect(pg.dsn) as admin:
        admin.execute(f'create database "{name}"')
    with connect(pg.dsn.with_dbname(name)) as conn:
        conn.autocommit = True
        yield conn
    with connect(pg.dsn) as admin:
        admin.execute(f'drop database "{name}" with (force)')


def _major(conn: psycopg.Connection) -> int:
    return int(conn.execute("show server_version_num").fetchone()[0]) // 10000


def _available(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("select 1 from pg_available_extensions where name = %s", (name,)).fetchone() is not None


def _version(conn: psycopg.Connection, name: str) -> str | None:
    row = conn.execute("select extversion from pg_extension where extname = %s", (name,)).fetchone()
    return row[0] if row else None


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
def test_the_shadow_creates_every_offered_extension(db, name):
    """Every extension of the list the embedded server provides (itself or as a stand-in) is
    created as the dashboard creates it; a stand-in reports the extversion hosted Supabase has."""
    ext = EXTENSIONS[name]
    if ext.shadow == "embedded" and not _available(db, name):
        pytest.skip(f"{name}: this server's installation does not carry it (only the embedded 18 does)")
    _create(db, name, ext.schema)
    version = _version(db, name)
    if ext.shadow == "standin" and not ext.contrib:
        assert version == (ext.version(_major(db)) or ext.version(17) or ext.version(15)), name
        others = {v for v in (ext.pg15, ext.pg17, *ext.also) if v and v != version}
        for other in sorted(others):  # the other major's version and older ones install with VERSION
            db.execute(sql.SQL("drop extension {} cascade").format(sql.Identifier(name)))
            _create(db, name, ext.schema, other)
            got = db.execute("select extversion from pg_extension where extname = %s", (name,)).fetchone()[0]
            assert got == other, (name, other)


@pytest.mark.parametrize("name", sorted(n for n, e in EXTENSIONS.items() if e.shadow.startswith("local:")))
def test_what_only_a_local_installation_has_is_named_with_its_package(db, name):
    if db.execute("select 1 from pg_available_extensions where name = %s", (name,)).fetchone():
        pytest.skip(f"{name} is installed in this server")
    [(missing, hint)] = missing_extensions(db, [name])
    package = EXTENSIONS[name].package.replace("<major>", str(_major(db)))
    assert missing == name and package in hint and "\n" not in hint


def test_pg_hashids_standin_matches_the_reference_ids(db):
    db.execute("create extension pg_hashids")
    q = lambda s: db.execute(s).fetchone()[0]  # noqa: E731
    assert q("select id_encode(1001)") == "jNl"
    assert q("select id_encode(1234567, 'This is my salt')") == "Pdzxp"
    assert q("select id_encode(1234567, 'This is my salt', 10)") == "PlRPdzxpR7"
    assert q("select id_encode(array[1, 2, 3]::bigint[], 'this is my salt')") == "laHquq"
    assert q("select id_decode('PlRPdzxpR7', 'This is my salt', 10)") == [1234567]
    assert q("select id_decode_once('jNl')") == 1001
    assert q("select id_decode('jNl', 'another salt')") == []


def test_pgmq_standin_15_keeps_14_and_adds_headers_and_conditional_reads(db):
    db.execute("create extension pgmq version '1.4.4'")
    db.execute("select pgmq.create('old')")
    db.execute("alter extension pgmq update")
    assert db.execute("select extversion from pg_extension where extname = 'pgmq'").fetchone()[0] == "1.5.1"
    db.execute("select pgmq.send('old', '{\"n\": 1}')")
    db.execute("select pgmq.send('old', '{\"n\": 2}', '{\"trace\": \"t\"}'::jsonb)")
    assert db.execute("select message, headers from pgmq.read('old', 30, 5, '{\"n\": 2}')").fetchall() == \
        [({"n": 2}, {"trace": "t"})]
    assert db.execute("select queue_visible_length from pgmq.metrics('old')").fetchone()[0] == 1
    assert db.execute("select pgmq.drop_queue('old')").fetchone()[0] is True


def test_timescaledb_standin(db):
    db.execute("create schema extensions; create extension timescaledb with schema extensions")
    db.execute("set search_path = public, extensions")
    db.execute("create table m (ts timestamptz, v int)")
    assert db.execute("select * from create_hypertable('m', by_range('ts', interval '1 day'))").fetchone() == (1, True)
    assert db.execute("select is_nullable from information_schema.columns where table_name = 'm'"
                        " and column_name = 'ts'").fetchone()[0] == "NO"
    with pytest.raises(psycopg.Error, match='table "m" is already a hypertable'):
        db.execute("select create_hypertable('m', 'ts')")
    db.execute("create table full_table (ts timestamptz not null)")
    db.execute("insert into full_table values (now())")
    with pytest.raises(psycopg.Error, match='table "full_table" is not empty'):
        db.execute("select create_hypertable('full_table', 'ts')")
    with pytest.raises(psycopg.errors.FeatureNotSupported, match='not supported under the current "apache" license'):
        db.execute("select add_retention_policy('m', interval '30 days')")
    assert str(db.execute("select time_bucket('15 minutes', timestamptz '2024-01-01 10:07:00+00')").fetchone()[0]) \
        == "2024-01-01 10:00:00+00:00"


def test_pgroonga_standin(db):
    db.execute("create schema extensions; create extension pgroonga with schema extensions")
    db.execute("set search_path = public, extensions")
    db.execute("create table memos (id int, content text)")
    db.execute("create index on memos using pgroonga (content)")
    db.execute("insert into memos values (1, 'PostgreSQL is a database'), (2, 'Groonga is fast')")
    q = lambda s: [r[0] for r in db.execute(s).fetchall()]  # noqa: E731
    assert q("select id from memos where content &@~ 'groonga OR postgresql' order by id") == [1, 2]
    assert q("select id from memos where content &@~ 'database -groonga'") == [1]
    assert q("select id from memos where content &@ 'FAST'") == [2]
    with pytest.raises(psycopg.Error):  # Groonga's tokenizers are not there
        db.execute("create index on memos using pgroonga (content) with (tokenizer = 'TokenMecab')")


def test_pg_tle_plpgsql_check_pgaudit_pg_repack_standins(db):
    db.execute("create extension pg_tle")
    assert db.execute("select pgtle.install_extension('my_ext', '1.0', 'mine', 'select 1')").fetchone()[0] is True
    assert db.execute("select name, default_version from pgtle.available_extensions()").fetchall() == \
        [("my_ext", "1.0")]
    with pytest.raises(psycopg.errors.DuplicateObject):
        db.execute("select pgtle.install_extension('my_ext', '1.0', 'mine', 'select 1')")
    db.execute("create schema extensions; create extension plpgsql_check with schema extensions")
    db.execute("create function f() returns int language plpgsql as $$ begin return 1; end $$")
    assert db.execute("select * from extensions.plpgsql_check_function('f()')").fetchall() == []
    with pytest.raises(psycopg.Error, match="is not a plpgsql function"):
        db.execute("select * from extensions.plpgsql_check_function_tb('pg_catalog.now()')")
    db.execute("create extension pgaudit with schema extensions")
    assert {r[0] for r in db.execute("select evtname from pg_event_trigger").fetchall()} >= \
        {"pgaudit_ddl_command_end", "pgaudit_sql_drop"}
    db.execute("create extension pg_repack with schema extensions")
    assert db.execute("select repack.version()").fetchone()[0] == "pg_repack 1.5.2"


# ------------------------------------------------------------------------------------------
# the server's extension directory: real modules first, stand-ins, hosted versions
# ------------------------------------------------------------------------------------------
def test_real_modules_win_over_standins(db, pg):
    """pgcrypto and uuid-ossp are real contrib modules on Debian's PostgreSQL 15: the stand-in of
    the same name is not used there (nor any of its scripts); the wheel lacks them, so 18 uses it."""
    comment = db.execute("select comment from pg_available_extensions where name = 'pgcrypto'").fetchone()[0]
    standin = "pgrelease stand-in" in comment
    assert standin == (pg.binaries.major >= 18)
    assert ("pgcrypto" in pg.extensions.standins) == standin
    db.execute("create extension pgcrypto")
    assert len(db.execute("select gen_random_bytes(4)").fetchone()[0]) == 4
    if pg.binaries.major < 18:  # the tree's postgres reads the real share dir's files through symlinks
        assert db.execute("select count(*) from pg_available_extensions where name in ('plpgsql', 'pg_trgm')")\
            .fetchone()[0] == 2


PINNED = sorted({(name, v) for name, e in EXTENSIONS.items() if not e.shadow.startswith("local:") and not e.contrib
                 for v in e.all_versions})


@pytest.mark.parametrize(("name", "version"), PINNED, ids=[f"{n}-{v}" for n, v in PINNED])
def test_every_version_hosted_supabase_ships_installs_pinned(db, name, version):
    """`create extension X with schema extensions version 'V'` for every V the supabase/postgres image
    builds (nix/ext/versions.json), then `alter extension X update` to the hosted default."""
    ext = EXTENSIONS[name]
    if not _available(db, name):
        pytest.skip(f"{name}: this server's installation does not carry it")
    _create(db, name, ext.schema, version)
    assert _version(db, name) == version
    db.execute(sql.SQL("alter extension {} update to {}").format(sql.Identifier(name), sql.Literal(version)))
    default = ext.version(_major(db)) or ext.version(17) or ext.version(15)
    if version in ext.shipped_on(_major(db)) or version == ext.version(_major(db)):
        db.execute(sql.SQL("alter extension {} update").format(sql.Identifier(name)))
        assert _version(db, name) in (default, version)  # a version newer than the default stays


def test_vector_pinned_as_hosted_supabase_ships_it(db):
    """The wheel's pgvector is 0.8.6, hosted Supabase's 0.8.0: `version '0.8.0'`, `update to '0.8.0'` and
    a plain create report 0.8.0 as there, with the module's objects (the type, operators, hnsw)."""
    if not _available(db, "vector"):
        pytest.skip("no pgvector in this installation (Debian has no postgresql-15-pgvector)")
    db.execute("create schema extensions")
    db.execute("create extension vector with schema extensions version '0.8.0'")
    db.execute("alter extension vector update to '0.8.0'")
    assert _version(db, "vector") == "0.8.0"
    db.execute("create table docs (id int, embedding extensions.vector(3))")
    db.execute("create index on docs using hnsw (embedding extensions.vector_cosine_ops)")
    db.execute("drop table docs; drop extension vector")
    db.execute("create extension vector with schema extensions")
    assert _version(db, "vector") == "0.8.0"
    db.execute("drop extension vector")
    db.execute("create extension vector with schema extensions version '0.5.1'")
    db.execute("alter extension vector update to '0.7.4'")
    db.execute("alter extension vector update")
    assert _version(db, "vector") == "0.8.0"


def test_pgaudit_default_follows_the_servers_major(db):
    """Hosted PostgreSQL 15 projects get pgaudit 1.7.1, PostgreSQL 17 ones 17.1."""
    db.execute("create extension pgaudit")
    assert _version(db, "pgaudit") == ("1.7.1" if _major(db) < 17 else "17.1")


@pytest.mark.parametrize("clause", ["with schema extensions", "schema extensions", "", "with schema pg_catalog",
                                    "with schema extensions version '1.5.2'"])
def test_pg_cron_lands_in_pg_catalog_whatever_schema_is_named(db, clause):
    """supautils' extensions_parameter_overrides: pg_cron's schema is pg_catalog on hosted Supabase."""
    db.execute("create schema extensions")
    db.execute(f"create extension if not exists pg_cron {clause}")
    assert db.execute("select extnamespace::regnamespace::text from pg_extension where extname = 'pg_cron'")\
        .fetchone()[0] == "pg_catalog"
    assert db.execute("select cron.schedule('nightly', '0 3 * * *', 'select 1')").fetchone()[0] == 1
    db.execute("drop schema extensions")  # nothing of pg_cron depends on it
    db.execute("drop extension pg_cron")
    assert db.execute("select 1 from pg_namespace where nspname = 'cron'").fetchone() is None


def test_timescaledb_catalog_follows_drops(db):
    """A hypertable dropped (or dropped with its schema) leaves the catalog: the table made again can
    be a hypertable again; and a role that owns a table but is not a superuser can make one."""
    db.execute("create schema extensions; create extension timescaledb with schema extensions")
    db.execute("create role app nologin; grant usage, create on schema public to app; grant usage on schema extensions to app")
    db.execute("set role app; set search_path = public, extensions")
    db.execute("create table readings (ts timestamptz, v int)")
    db.execute("select create_hypertable('readings', 'ts')")
    db.execute("drop table readings")
    assert db.execute("select count(*) from timescaledb_information.hypertables").fetchone()[0] == 0
    db.execute("create table readings (ts timestamptz, v int)")
    assert db.execute("select created from create_hypertable('readings', by_range('ts'))").fetchone()[0] is True
    db.execute("reset role")
    db.execute("create schema metrics; create table metrics.cpu (ts timestamptz); select create_hypertable('metrics.cpu', 'ts')")
    db.execute("drop schema metrics cascade")
    assert [r[0] for r in db.execute("select hypertable_name from timescaledb_information.hypertables")] == ["readings"]
    db.execute("create table not_mine (ts timestamptz)")
    db.execute("set role app")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match='must be owner of hypertable "not_mine"'):
        db.execute("select create_hypertable('not_mine', 'ts')")


def test_postgis_is_the_real_module_where_the_installation_has_it(db):
    """postgis has no stand-in: Debian's postgresql-15-postgis-3 (3.3.2, what hosted PostgreSQL 15
    projects run; scripts/test.sh installs it) is used where present."""
    if not _available(db, "postgis"):
        pytest.skip("no PostGIS in this installation")
    db.execute("create schema extensions; create extension postgis with schema extensions")
    assert _version(db, "postgis") == (EXTENSIONS["postgis"].version(_major(db)))
    db.execute("create table places (id int, geom extensions.geography(point, 4326))")
    assert db.execute("select extensions.st_distance('SRID=4326;POINT(0 0)'::extensions.geography,"
                      " 'SRID=4326;POINT(0 1)'::extensions.geography) between 110000 and 112000").fetchone()[0]


def test_the_extension_directory_is_built_once_and_rebuilt_when_pgrelease_changes(tmp_path, monkeypatch):
    """Two servers share one cached tree; another set of stand-ins gets a tree of its own."""
    import pgrelease.db.embedded as embedded

    first, second = EmbeddedServer(bin_dir=PG15_BIN if (PG15_BIN / "postgres").exists() else None), None
    try:
        first.start()
        second = EmbeddedServer(bin_dir=first.binaries.bin_dir if first.binaries.major < 18 else None)
        second.start()
        assert first.extensions.path == second.extensions.path
        standins = tmp_path / "standins"
        import shutil

        shutil.copytree(STANDINS_DIR, standins)
        (standins / "extension" / "zz_probe.control").write_text("default_version = '1.0'\nrelocatable = true\n")
        (standins / "extension" / "zz_probe--1.0.sql").write_text("create function zz_probe() returns int"
                                                                  " language sql as 'select 1';\n")
        monkeypatch.setattr(embedded, "STANDINS_DIR", standins)
        third = EmbeddedServer(bin_dir=second.bin_dir)
        try:
            third.start()
            assert third.extensions.path != first.extensions.path and "zz_probe" in third.extensions.standins
            with connect(third.dsn) as conn:
                conn.execute("create extension zz_probe")
                assert conn.execute("select zz_probe()").fetchone()[0] == 1
        finally:
            third.stop()
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_a_cache_directory_another_user_could_write_is_not_used(monkeypatch):
    """The cached tree's name is predictable: one that is writable by others is never read (the
    server gets a private tree of its own instead, removed when the process exits)."""
    import pgrelease.db.embedded as embedded

    key = "planted-" + uuid.uuid4().hex[:8]
    monkeypatch.setattr(embedded, "_cache_key", lambda binaries: key)
    server = EmbeddedServer()
    planted = Path(embedded.tempfile.gettempdir()) / f"pgrelease-share-{os.geteuid()}-{key}"
    (planted / "extension").mkdir(parents=True)
    planted.chmod(0o777)
    (planted / "pgrelease-extensions.json").write_text('{"path": "extension", "standins": [], "aliases": {}}')
    saved = os.environ.pop("PGRELEASE_PG_BIN", None)
    try:
        server.start()
        assert server.extensions.path.parent != planted and "pg_net" in server.extensions.standins
        with connect(server.dsn) as conn:
            conn.execute("create extension pg_net")
    finally:
        server.stop()
        shutil.rmtree(planted, ignore_errors=True)
        if saved is not None:
            os.environ["PGRELEASE_PG_BIN"] = saved


def test_extension_directory_rules(tmp_path):
    """build_extension_dir on a made-up installation: a real module wins with its own scripts only;
    one that loads only through shared_preload_libraries (pg_cron) gives way to the stand-in; a
    hosted version the real files lack is labelled, with updates that change nothing between labels."""
    from pgrelease.db.extension_dir import PRELOAD_ONLY, build_extension_dir

    real = tmp_path / "real"
    real.mkdir()
    (real / "pgcrypto.control").write_text("default_version = '1.3'\nrelocatable = true\n")
    (real / "pgcrypto--1.3.sql").write_text("select 1;\n")
    (real / "pg_cron.control").write_text("default_version = '1.4-1'\nmodule_pathname = '$libdir/pg_cron'\n")
    (real / "pg_cron--1.0.sql").write_text("select 1;\n")
    (real / "vector.control").write_text("default_version = '0.8.6'\nmodule_pathname = '$libdir/vector'\n")
    (real / "vector--0.8.6.sql").write_text("create type vector;\n")
    (real / "vector--0.8.0--0.8.1.sql").write_text("select 'a real update';\n")
    made = build_extension_dir(tmp_path / "out" / "extension", real, 15, STANDINS_DIR / "extension")
    out = made.path
    assert (out / "pgcrypto.control").resolve() == real / "pgcrypto.control"
    assert not (out / "pgcrypto--1.3--1.4.sql").exists() and "pgcrypto" not in made.standins
    assert "pg_cron" in PRELOAD_ONLY and made.preload_only == ["pg_cron"] and "pg_cron" in made.standins
    assert "pgrelease stand-in" in (out / "pg_cron.control").read_text() and not (out / "pg_cron--1.0.sql").exists()
    assert "default_version = '0.8.0'" in (out / "vector.control").read_text()  # hosted 15's
    assert "create type vector;" in (out / "vector--0.8.0.sql").read_text()
    assert (out / "vector--0.5.1--0.8.0.sql").read_text().startswith("-- pgrelease:")
    assert dict(made.aliases["vector"])["0.8.0"] == "0.8.6"
