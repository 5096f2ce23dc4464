"""Statement heads and schema-qualified names, read from the splitter's tokens."""

from __future__ import annotations

import pytest

from pgrelease.db.baseline import referenced_extensions
from pgrelease.migrations.heads import (
    CreateExtension,
    create_extension,
    create_extensions,
    create_schema,
    qualified_names,
    schema_owner,
)


@pytest.mark.parametrize(("sql", "expected"), [
    ("create extension vector", CreateExtension("vector", False, None, None)),
    ('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA "extensions"',
     CreateExtension("uuid-ossp", True, "extensions", None)),
    ("create extension pgmq version '1.4.4' schema pgmq cascade", CreateExtension("pgmq", False, "pgmq", "1.4.4")),
    ('create extension "PostGIS" with version "3.3.2"', CreateExtension("PostGIS", False, None, "3.3.2")),
    ("create /* a comment */ extension -- another\n hstore", CreateExtension("hstore", False, None, None)),
    ("create table extension (id int)", None),
    ("select 'create extension x'", None),
    ("create extension", None),
])
def test_create_extension(sql: str, expected: CreateExtension | None) -> None:
    assert create_extension(sql) == expected


def test_create_extensions_of_a_file_skip_comments_and_strings() -> None:
    text = ("-- create extension in_a_comment;\ncreate extension a;\nselect 'create extension in_a_string';\n"
            "/* create extension in_a_block; */ create extension if not exists \"B\" schema x;\n"
            "do $$ begin create extension in_a_body; end $$;")
    assert [(e.name, e.if_not_exists, e.schema) for e in create_extensions(text)] == [("a", False, None), ("B", True, "x")]


@pytest.mark.parametrize(("sql", "expected"), [
    ("create schema app", ("app", False)),
    ('CREATE SCHEMA IF NOT EXISTS "PgSodium"', ("PgSodium", True)),
    ("create schema authorization joe", None),
    ("create table schema.t (id int)", None),
])
def test_create_schema(sql: str, expected: tuple[str, bool] | None) -> None:
    assert create_schema(sql) == expected


@pytest.mark.parametrize(("sql", "expected"), [
    ('ALTER SCHEMA "pgsodium" OWNER TO "supabase_admin"', ("pgsodium", "supabase_admin")),
    ("alter schema app owner to postgres", ("app", "postgres")),
    ("alter schema app rename to other", None),
])
def test_schema_owner(sql: str, expected: tuple[str, str] | None) -> None:
    assert schema_owner(sql) == expected


def test_qualified_names_inside_strings_and_bodies_but_not_comments() -> None:
    text = ("-- net.http_get(1)\nselect net.http_post(1);\n"
            "create function f() returns void language plpgsql as $fn$ begin\n"
            "  perform cron.schedule('j', '* * * * *', $$select \"vault\".\"secrets\"$$); end $fn$;")
    assert list(qualified_names(text)) == [("net", "http_post"), ("cron", "schedule"), ("vault", "secrets")]


def test_a_string_holding_two_dashes_does_not_hide_the_rest_of_its_line() -> None:
    # a regular expression that strips `--...` as a comment took this line's call for one
    assert referenced_extensions("select 'a--b', net.http_post('https://x');") == ["pg_net"]
    assert referenced_extensions("select 1; -- net.http_post('https://x')") == []
