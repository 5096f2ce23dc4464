"""classify: transaction control, no-transaction commands, file directives, change detection."""

from __future__ import annotations

import pytest

from pgrelease.errors import SqlFileError
from pgrelease.migrations.classify import (
    check_runnable,
    file_directive,
    first_keywords,
    non_transactional,
    transaction_control,
    transaction_layout,
    without_wrapper,
)
from pgrelease.migrations.plan import canonical
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


NO_BEGIN = "no BEGIN opened a transaction block before it"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("create table t (a int);\r\nCOMMIT;\r\n", 2, f"COMMIT on line 2: {NO_BEGIN}"),
        ("-- c\nSTART TRANSACTION;\nselect 1;", 2,
         "START TRANSACTION on line 2: the transaction block it opens has no COMMIT before the end of the file"),
        ("select 1;\nselect 2;\nselect 3;\nrollback;", 4, "ROLLBACK on line 4: a migration cannot roll back its own work"),
        ("begin;\nselect 1;\nabort;", 3, "ABORT on line 3: a migration cannot roll back its own work"),
        ("select 1;\n\nEND;", 3, f"END on line 3: {NO_BEGIN}"),
        # the body's END closes BEGIN ATOMIC; a second one is a COMMIT (squawk's parser corpus)
        ("create function f() returns void language sql\nbegin atomic\n  select 1;\n  end;\nend;", 5,
         f"END on line 5: {NO_BEGIN}"),
        ("begin;\nsavepoint a;\nselect 1;\nrelease a;\ncommit;", 2,
         "SAVEPOINT on line 2: savepoints are not supported in a migration file; "
         "RELEASE SAVEPOINT on line 4: savepoints are not supported in a migration file"),
        ("begin;\nrollback to savepoint a;\ncommit;", 2,
         "ROLLBACK TO SAVEPOINT on line 2: savepoints are not supported in a migration file"),
        ("prepare transaction 'x';\ncommit prepared 'x';", 1,
         "PREPARE TRANSACTION on line 1: two-phase commit is not supported in a migration file; "
         "COMMIT PREPARED on line 2: two-phase commit is not supported in a migration file"),
        ("begin;\nselect 1;\nbegin;\nselect 2;\ncommit;", 3,
         "BEGIN on line 3: inside the transaction block opened on line 1"),
        ("begin;\ncreate index concurrently i on t (a);\ncommit;", 2,
         "CREATE INDEX CONCURRENTLY on line 2: cannot run inside the transaction block opened on line 1"),
        ("begin;\nselect 1;\ncommit and chain;\nselect 2;\ncommit;", 3,
         "COMMIT AND CHAIN on line 3: chained transactions are not supported in a migration file"),
    ],
)
def test_check_runnable_names_every_refused_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SqlFileError) as err:
        check_runnable(split_sql(text), "20240101000000_x.sql")
    assert err.value.line == line
    assert err.value.file == "20240101000000_x.sql"
    assert str(err.value) == message
    assert err.value.exit_code == 2 and err.value.hint
    assert [line for line, _ in err.value.refused_lines] == [int(m.split(" on line ")[1].split(":")[0])
                                                             for m in message.split("; ")]


@pytest.mark.parametrize(
    ("text", "blocks", "wrapper"),
    [
        ("-- wrapped\n\nBEGIN;\ncreate table t (a int);\ninsert into t values (1);\nCOMMIT;\n-- end\n",
         [("lines 3-6", 2)], True),
        ("begin transaction isolation level serializable;\nselect 1;\nend transaction;", [("lines 1-3", 1)], True),
        ("start transaction;\nselect 1;\ncommit work;", [("lines 1-3", 1)], True),
        ("begin work;\ncommit;", [("lines 1-2", 0)], True),
        ("begin; create type s as enum ('a'); commit;\nbegin; alter type s add value 'b'; commit;",
         [("line 1", 1), ("line 2", 1)], False),
        ("create table t (a int);\nbegin;\ninsert into t values (1);\ncommit;\nselect 1;",
         [("line 1", None), ("lines 2-4", 1), ("line 5", None)], False),
        ("create table t (a int);\nselect 1;", [], False),
    ],
)
def test_transaction_layout(text: str, blocks: list, wrapper: bool) -> None:
    layout = transaction_layout(split_sql(text))
    assert not layout.refused
    assert [(b.lines, len(b.statements) if b.explicit else None) for b in layout.blocks] == blocks
    assert layout.wrapper is wrapper


def test_begin_modes_become_set_transaction() -> None:
    (block,) = transaction_layout(split_sql("BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE;\nselect 1;\nCOMMIT;")).blocks
    assert block.set_transaction == "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE"
    (block,) = transaction_layout(split_sql("start transaction read only;\nselect 1;\ncommit;")).blocks
    assert block.set_transaction == "SET TRANSACTION read only"
    (block,) = transaction_layout(split_sql("begin work;\nselect 1;\ncommit;")).blocks
    assert block.set_transaction is None


@pytest.mark.parametrize(
    ("recorded", "stripped"),
    [
        (["-- header\nbegin", "create table w (id int)", "commit"], ["create table w (id int)"]),
        (["BEGIN;", "select 1;", "END;"], ["select 1;"]),
        (["begin", "select 1", "commit", "begin", "select 2", "commit"],
         ["begin", "select 1", "commit", "begin", "select 2", "commit"]),
        (["select 1", "commit"], ["select 1", "commit"]),
        (["create table t (a int)"], ["create table t (a int)"]),
    ],
)
def test_without_wrapper(recorded: list[str], stripped: list[str]) -> None:
    assert without_wrapper(recorded) == stripped


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


def _canonical(text: str) -> str:  # the one normalizer that decides whether an applied file was edited
    return canonical([s.sql for s in split_sql(text)])


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
def test_canonical_ignores_cosmetic_changes(variant: str) -> None:
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
def test_canonical_sees_real_changes(variant: str) -> None:
    assert _canonical(variant) != _canonical(ORIGINAL)
