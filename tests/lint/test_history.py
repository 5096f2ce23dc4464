"""Linting a whole history in version order: what later files do settles what earlier ones
left open (row level security, a definer function's search_path); array types in
signatures; the counts per rule at the end of the text output."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.lint import Source, lint_files, lint_sql


def src(name, sql):
    return Source.from_text(f"supabase/migrations/{name}", sql)


def found(result, rule):
    return [(f.file.rsplit("/", 1)[-1], f.line, f.message) for f in result.by_rule(rule)]


RLS_OPEN = ("table public.tags is in the exposed schema public but neither this migration nor a later one enables row"
            " level security on it: the Data API serves it to anyone with the anon key")


def test_rls_enabled_in_a_later_file_is_not_reported():
    history = [
        src("20240101000000_notes.sql", "create table public.notes (id bigint);\n\ncreate table public.tags (id bigint);\n"),
        src("20240201000000_rls.sql", "alter table public.notes enable row level security;\n"),
    ]
    assert found(lint_files(history), "require-rls") == [("20240101000000_notes.sql", 3, RLS_OPEN)]
    # in version order, whatever order the files are given in
    assert found(lint_files(history[::-1]), "require-rls") == [("20240101000000_notes.sql", 3, RLS_OPEN)]


def test_rls_is_carried_forward_only_within_the_run():
    alone = lint_files([src("20240101000000_notes.sql", "create table public.notes (id bigint);")])
    [(name, line, message)] = found(alone, "require-rls")
    assert (name, line) == ("20240101000000_notes.sql", 1) and message.startswith("table public.notes is in the")


def test_rls_finding_of_an_earlier_file_still_obeys_its_ignore_comment():
    history = [
        src("20240101000000_open.sql", "-- pgrelease: ignore require-rls public lookup table, read-only grants\n"
                                       "create table public.countries (code text primary key);\n"),
        src("20240201000000_other.sql", "select 1;\n"),
    ]
    assert lint_files(history).by_rule("require-rls") == []


DEFINER = ("SECURITY DEFINER FUNCTION public.is_member has no fixed search_path: callers can make it run their objects"
           " with the owner's privileges")
IS_MEMBER = ("create function public.is_member(team uuid[]) returns boolean language sql\n"
             "security definer as $$ select true $$;\n")


def test_search_path_fixed_in_a_later_file_is_not_reported():
    history = [src("20240101000000_fn.sql", IS_MEMBER),
               src("20240301000000_fix.sql", "alter function public.is_member(uuid[]) set search_path = '';\n")]
    assert found(lint_files(history), "security-definer-search-path") == []


def test_a_later_file_must_fix_the_same_function():
    other_overload = [src("20240101000000_fn.sql", IS_MEMBER),
                      src("20240301000000_fix.sql", "alter function public.is_member(uuid) set search_path = '';\n")]
    assert found(lint_files(other_overload), "security-definer-search-path") == [
        ("20240101000000_fn.sql", 2, DEFINER)]


def test_search_path_settled_by_replace_invoker_or_drop():
    for later in ("create or replace function public.is_member(team uuid[]) returns boolean language sql\n"
                  "security definer set search_path = '' as $$ select true $$;",
                  "alter function public.is_member security invoker;",
                  "drop function public.is_member(uuid[]);"):
        history = [src("20240101000000_fn.sql", IS_MEMBER), src("20240301000000_later.sql", later)]
        assert found(lint_files(history), "security-definer-search-path") == [], later
    # in the same file too
    assert found(lint_sql(IS_MEMBER + "alter function public.is_member(uuid[]) set search_path = '';"),
                 "security-definer-search-path") == []


def test_a_replacement_that_is_still_unsafe_is_reported_once_where_it_stands():
    history = [src("20240101000000_fn.sql", IS_MEMBER),
               src("20240301000000_again.sql", "\ncreate or replace " + IS_MEMBER[len("create "):])]
    assert found(lint_files(history), "security-definer-search-path") == [("20240301000000_again.sql", 3, DEFINER)]


def test_drop_object_keeps_array_types_in_the_signature():
    result = lint_sql("select 1;\ndrop function public.members_of(uuid[], int[][], text, public.mood[]);")
    assert found(result, "drop-object") == [
        ("20240101000000_example.sql", 2, "DROP FUNCTION public.members_of(uuid[], int4[][], text, public.mood[])"
         " removes an object deployed code may use")]
    # f(uuid[]) and f(uuid) are two functions: dropping one and creating the other is no replace
    replaced = lint_sql("drop function public.m(uuid[]);\n"
                        "create function public.m(ids uuid) returns int language sql as $$ select 1 $$;")
    assert found(replaced, "drop-object") == [
        ("20240101000000_example.sql", 1, "DROP FUNCTION public.m(uuid[]) removes an object deployed code may use")]
    same = lint_sql("drop function public.m(uuid[]);\n"
                    "create function public.m(ids uuid[]) returns int language sql as $$ select 1 $$;")
    assert found(same, "drop-object") == []


def test_text_output_ends_with_counts_per_rule(project):
    project.add("20240101000000", "a", "create table public.a (id int primary key, v varchar(10), w varchar(5));\n")
    project.add("20240102000000", "b", "create table public.b (id int primary key);\ndrop table public.a;\n")
    res = CliRunner().invoke(main, ["lint", "--workdir", str(project.root), "--format", "text"])
    assert res.exit_code == 1, res.output
    lines = res.stdout.splitlines()
    assert lines[-6:] == [
        "    2 error   require-rls",
        "    1 error   drop-table",
        "    2 warning prefer-bigint-pk",
        "    2 warning prefer-text",
        "3 error(s), 4 warning(s) in 2 file(s), 3 statement(s) [all]",
        "lint: FAILED",
    ]
    res = CliRunner().invoke(main, ["lint", "--workdir", str(project.root), "--format", "json"])
    data = json.loads(res.stdout)
    assert data["rules"][:2] == [{"rule": "require-rls", "severity": "error", "count": 2},
                                 {"rule": "drop-table", "severity": "error", "count": 1}]
    assert sum(c["count"] for c in data["rules"]) == data["summary"]["errors"] + data["summary"]["warnings"]
