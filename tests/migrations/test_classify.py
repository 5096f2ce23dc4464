"""classify: transaction control, no-transaction commands, file directives, change detection."""

from __future__ import annotations

import pytest

from pgrelease.errors import SqlFileError
from pgrelease.migrations.classify import (
    check_runnable,
    file_directive,
    first_keywords,
    non_transactional,
    normalize_for_compare,
    transaction_control,
)
from pgrelease.migrations.split import Statement, split_sql


def one(sql: str) -> Statement:
    (stmt,) = split_sql(sql)
    return stmt


TRANSACTION_CONTROL = [
    ("BEGIN", "BEGIN"),
    ("begin work", "BEGIN"),
    ("Begin Transaction", "BEGIN"),
    ("BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN"),
    ("START TRANSACTION", "START TRANSACTION"),
    ("start transaction read only", "START TRANSACTION"),
    ("COMMIT", "COMMIT"),
    ("commit and chain", "COMMIT"),
    ("/* c */ Commit /* c */", "COMMIT"),
    ("END", "END"),
    ("end transaction", "END"),
    ("ROLLBACK", "ROLLBACK"),
    ("rollback work", "ROLLBACK"),
    ("ABORT", "ABORT"),
    ("SAVEPOINT a", "SAVEPOINT"),
    ("release a", "RELEASE SAVEPOINT"),
    ("RELEASE SAVEPOINT a", "RELEASE SAVEPOINT"),
    ("rollback to a", "ROLLBACK TO SAVEPOINT"),
    ("ROLLBACK TRANSACTION TO -- c\n SAVEPOINT a", "ROLLBACK TO SAVEPOINT"),
    ("PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"),
    ("COMMIT PREPARED 'x'", "COMMIT PREPARED"),
    ("rollback prepared 'x'", "ROLLBACK PREPARED"),
    ("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", None),
    ("prepare q as select 1", None),
    ("select 'begin'", None),
    ('select 1 as "commit"', None),
    ("do $$ begin commit; end $$", None),
    ("create procedure p() begin atomic select 1; end", None),
    ("create table begin_log (a int)", None),
]


@pytest.mark.parametrize(("sql", "expected"), TRANSACTION_CONTROL)
def test_transaction_control(sql: str, expected: str | None) -> None:
    assert transaction_control(one(sql)) == expected


@pytest.mark.parametrize(
    ("text", "line", "command"),
    [
        ("create table t (a int);\n\nBEGIN;\ncreate table u (a int);\nCOMMIT;", 3, "BEGIN"),
        ("create table t (a int);\r\nCOMMIT;\r\n", 2, "COMMIT"),
        ("-- c\nSTART TRANSACTION;\nselect 1;", 2, "START TRANSACTION"),
        ("select 1;\nselect 2;\nselect 3;\nrollback;", 4, "ROLLBACK"),
        ("select 1;\n\nEND;", 3, "END"),
        # the body's END closes BEGIN ATOMIC; a second one is a COMMIT (squawk's parser corpus)
        ("create function f() returns void language sql\nbegin atomic\n  select 1;\n  end;\nend;", 5, "END"),
    ],
)
def test_check_runnable_rejects_transaction_control(text: str, line: int, command: str) -> None:
    with pytest.raises(SqlFileError) as err:
        check_runnable(split_sql(text), "20240101000000_x.sql")
    assert err.value.line == line
    assert err.value.file == "20240101000000_x.sql"
    assert str(err.value) == (
        f"{command} on line {line}: transaction control inside a migration file"
    )
    assert "-- pgrelease: no-transaction" in (err.value.hint or "")


def test_check_runnable_accepts_plain_migrations() -> None:
    text = (
        "create function f() returns int language sql begin atomic select 1; end;\n"
        "do $$ begin commit; end $$;\nset transaction isolation level serializable;\n"
        "create function g() returns int language sql begin atomic select 1 as end; select 2 end; end;\n"
        "create procedure p() language sql begin atomic select 1 as 😀end; end;"
    )
    check_runnable(split_sql(text), "m.sql")


NON_TRANSACTIONAL = [
    ("create index concurrently i on t (a)", "CREATE INDEX CONCURRENTLY"),
    ("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)", "CREATE INDEX CONCURRENTLY"),
    ("Create /* c */ Index\nConcurrently on t (a)", "CREATE INDEX CONCURRENTLY"),
    ("create index i on t (a)", None),
    ("drop index concurrently if exists i", "DROP INDEX CONCURRENTLY"),
    ("drop index i", None),
    ("REINDEX INDEX CONCURRENTLY i", "REINDEX ... CONCURRENTLY"),
    ("reindex (verbose, concurrently) table t", "REINDEX ... CONCURRENTLY"),
    ("reindex (concurrently false) table t", None),
    ("reindex table t", None),
    ("reindex schema public", "REINDEX SCHEMA"),
    ("VACUUM", "VACUUM"),
    ("VACUUM ANALYZE t", "VACUUM"),
    ("vacuum (verbose, analyze) t", "VACUUM"),
    ("analyze t", None),
    ("alter system set work_mem = '64MB'", "ALTER SYSTEM"),
    ("create database d", "CREATE DATABASE"),
    ("drop database if exists d", "DROP DATABASE"),
    ("alter database d set tablespace x", "ALTER DATABASE ... SET TABLESPACE"),
    ("alter database d set work_mem = '1MB'", None),
    ("create tablespace s location '/x'", "CREATE TABLESPACE"),
    ("drop tablespace s", "DROP TABLESPACE"),
    (
        "alter table only p detach partition p1 concurrently",
        "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY",
    ),
    ("alter table p detach partition p1", None),
    ("cluster", "CLUSTER without a table"),
    ("cluster verbose", "CLUSTER without a table"),
    ("cluster t using t_pkey", None),
    ("create subscription s connection 'x' publication p", "CREATE SUBSCRIPTION"),
    ("create subscription s connection 'x' publication p with (create_slot = false)", None),
    ("alter subscription s refresh publication", "ALTER SUBSCRIPTION ... REFRESH PUBLICATION"),
    ("alter subscription s set publication p", "ALTER SUBSCRIPTION ... PUBLICATION"),
    ("alter subscription s set publication p with (refresh = false)", None),
    ("alter subscription s owner to x", None),
    ("drop subscription s", "DROP SUBSCRIPTION"),
    ("discard all", "DISCARD ALL"),
    ("discard plans", None),
    ("alter type mood add value 'meh'", None),
    ("select 'vacuum'", None),
    ("select 1 as vacuum", None),
    ("do $$ begin execute 'create index concurrently i on t (a)'; end $$", None),
    ("do $x$ begin vacuum; end $x$", None),
    ("comment on table t is 'run VACUUM; then create index concurrently'", None),
    ('create table "vacuum" (a int)', None),
    ("create index concurrently i😀 on t😀 (a)", "CREATE INDEX CONCURRENTLY"),
    ("create index $q$concurrently$q$ on t (a)", None),
]


@pytest.mark.parametrize(("sql", "expected"), NON_TRANSACTIONAL)
def test_non_transactional(sql: str, expected: str | None) -> None:
    reason = non_transactional(one(sql))
    if expected is None:
        assert reason is None
    else:
        assert reason is not None
        assert reason.startswith(expected)
        assert "transaction" not in reason  # the caller adds "cannot run inside a transaction block"


def test_first_keywords() -> None:
    assert first_keywords(one("create unique index i on t (a)")) == ("CREATE", "UNIQUE", "INDEX")
    assert first_keywords(one("create /* x */ table t (a int)"), n=2) == ("CREATE", "TABLE")
    assert first_keywords(one("vacuum (analyze) t")) == ("VACUUM",)
    assert first_keywords(one("select 1"), n=5) == ("SELECT",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-- pgrelease: no-transaction\ncreate index concurrently i on t (a);", {"no-transaction"}),
        ("  --PGRELEASE :  No-Transaction  \r\nselect 1;", {"no-transaction"}),
        ("\ufeff-- pgrelease: no_transaction\n", {"no-transaction"}),
        ("-- pgrelease: no-transaction", {"no-transaction"}),
        ("select 1;\n-- pgrelease: no-transaction\n", set()),
        ("\n-- pgrelease: no-transaction\n", set()),
        ("-- just a comment\n", set()),
        ("-- pgrelease: ignore require-concurrent-index small table\nselect 1;", set()),
        ("", set()),
    ],
)
def test_file_directive(text: str, expected: set[str]) -> None:
    assert file_directive(text) == expected


@pytest.mark.parametrize(
    "text", ["-- pgrelease: no-transactoin\n", "-- pgrelease: no-transaction fast\n", "-- pgrelease:\n"]
)
def test_file_directive_rejects_unknown_words(text: str) -> None:
    with pytest.raises(SqlFileError) as err:
        file_directive(text, path="m.sql")
    assert err.value.line == 1
    assert err.value.file == "m.sql"
    assert "on line 1" in str(err.value)
    assert "no-transaction" in (err.value.hint or "")


def _canonical(text: str) -> str:
    return normalize_for_compare([s.sql for s in split_sql(text)])


ORIGINAL = "create table t (\n  id bigint primary key,\n  note text default 'x'\n);\n\nselect 1;\n"


@pytest.mark.parametrize(
    "variant",
    [
        ORIGINAL.replace("\n", "\r\n"),
        ORIGINAL.replace("\n", "\r"),
        "\ufeff" + ORIGINAL,
        ORIGINAL.replace("key,", "key,   ").replace("(\n", "(\t\n"),
        "\n\n" + ORIGINAL + "\n\n",
        ORIGINAL.rstrip("\n;").rstrip() + "\n",  # no final semicolon
    ],
)
def test_normalize_for_compare_ignores_cosmetic_changes(variant: str) -> None:
    assert _canonical(variant) == _canonical(ORIGINAL)


@pytest.mark.parametrize(
    "variant",
    [
        ORIGINAL.replace("bigint", "integer"),
        ORIGINAL.replace("default 'x'", "default 'y'"),
        ORIGINAL.replace("note", "notes"),
        ORIGINAL.replace("select 1;", "select 1;\nselect 2;"),
    ],
)
def test_normalize_for_compare_sees_real_changes(variant: str) -> None:
    assert _canonical(variant) != _canonical(ORIGINAL)


def test_normalize_for_compare_on_raw_strings() -> None:
    raw = ["\ufeffcreate table t (a int);  \r\n", "\n\nselect 1 \n;\n", "   ", ";"]
    assert normalize_for_compare(raw) == "create table t (a int)\n;\nselect 1"
    assert normalize_for_compare([]) == ""
