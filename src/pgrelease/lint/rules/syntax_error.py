"""syntax-error: a statement PostgreSQL's parser rejects (or a file the runner cannot split)."""

from __future__ import annotations

from ..rule import ERROR, LINTER, Bad, Rule


class SyntaxError(Rule):
    id = "syntax-error"
    category = LINTER
    severity = ERROR
    doc = """\
Every statement is parsed with PostgreSQL's own grammar (libpg_query, through pglast), so
anything the server would reject as a syntax error is reported here, with the line and
column of the offending token - before the migration reaches a database. The file-level
problems the runner refuses before running anything (an unterminated quote or dollar
body, a psql meta-command like `\\i`, an unknown `-- pgrelease:` directive) are reported
under this id too.

The other statements of the file are still checked. Bodies of functions and `DO` blocks
are strings to the SQL grammar: their contents are not parsed here (plpgsql is checked when
the function is created, or by `supabase db lint`)."""
    help = "fix the SQL; the server would reject this statement"
    bad = [
        Bad("create tabel profiles (id bigint);", [(1, 'syntax error at or near "tabel"')]),
        Bad("select 1;\nalter table profiles add column;", [(2, "syntax error at end of input")]),
        Bad("create table t (a int);\n\\i other.sql", [(2, 'psql meta-command \\i on line 2 cannot run here')]),
        Bad("select 'unterminated;", [(1, "unterminated quoted string starting on line 1")]),
        Bad("-- pgrelease: no-transation\nselect 1;", [(1, "unknown pgrelease directive 'no-transation' on line 1")]),
    ]
    good = [
        "create table profiles (id bigint);",
        "do $$ begin this is not sql at all; end $$;",
        "create function f() returns int language plpgsql as $$ begin retrun 1; end $$;",
        "-- pgrelease: no-transaction\nselect 1;",
    ]
