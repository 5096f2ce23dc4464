"""split_sql: a table-driven corpus of tricky inputs, cross-checked with PostgreSQL's parser."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from pgrelease.errors import SqlFileError
from pgrelease.migrations.split import Statement, split_sql, tokens


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expected: list[tuple[int, str]] | int  # (line, start of sql) per statement, or error line
    pg: bool = True  # plain SQL the real parser splits the same way (no psql-only input)


CASES = [
    Case("two statements", "select 1;\nselect 2;\n", [(1, "select 1"), (2, "select 2")]),
    Case("no trailing semicolon", "select 1;\nselect 2\n", [(1, "select 1"), (2, "select 2")]),
    Case("empty statements", ";;select 1;;\n;select 2;;", [(1, "select 1"), (2, "select 2")]),
    Case("comment-only file", "-- nothing\n/* here ; */\n  \n", []),
    Case("comment-only tail", "select 1;\n-- done;\n/* ; */\n", [(1, "select 1")]),
    Case("empty file", "", []),
    Case(
        "semicolon in string with '' escape",
        "select 'it''s; fine';\nselect 2;",
        [(1, "select 'it''s; fine'"), (2, "select 2")],
    ),
    Case(
        "semicolon in quoted identifier with \"\" escape",
        'create table "a;""b" (x int);\nselect 2;',
        [(1, 'create table "a;""b"'), (2, "select 2")],
    ),
    Case(
        "semicolon in line comment",
        "select 1 -- not; the end\n, 2;\nselect 3;",
        [(1, "select 1 -- not; the end\n, 2"), (3, "select 3")],
    ),
    Case(
        "nested block comment with ; and $$",
        "select /* a /* nested; $$ */ still; comment */ 1;\nselect 2;",
        [(1, "select /* a /* nested"), (2, "select 2")],
    ),
    Case(
        "E string with escaped quote",
        "select E'\\'; still string';\nselect 2;",
        [(1, "select E'\\'; still"), (2, "select 2")],
    ),
    Case(
        "E string ending in escaped backslash",
        "select e'a\\\\';select 2;",
        [(1, "select e'a\\\\'"), (1, "select 2")],
    ),
    Case(
        "U& string and identifier",
        "select U&'d\\0061t;a' as U&\"x;y\";\nselect 2;",
        [(1, "select U&'d\\0061t;a'"), (2, "select 2")],
    ),
    Case(
        "plain dollar quote",
        "select $$a; b$$;\nselect 2;",
        [(1, "select $$a; b$$"), (2, "select 2")],
    ),
    Case(
        "tagged dollar quote containing $$",
        "select $body$ $$; $b$ ; $body$;\nselect 2;",
        [(1, "select $body$ $$;"), (2, "select 2")],
    ),
    Case(
        "nested different tags",
        "do $outer$ begin execute $inner$ select 1; $inner$; end $outer$;\nselect 2;",
        [(1, "do $outer$"), (2, "select 2")],
    ),
    Case(
        "underscore-digit tag",
        "select $_x1$ ; $x$ ; $_x1$;\nselect 2;",
        [(1, "select $_x1$"), (2, "select 2")],
    ),
    Case(
        "positional params are not dollar quotes",
        "prepare p(int, int) as select $1 + $2;\nselect 2;\nexecute p(1, 2);",
        [(1, "prepare p"), (2, "select 2"), (3, "execute p")],
    ),
    Case(
        "dollar signs inside identifiers",
        "select 1 as a$$b$;\nselect 2;",
        [(1, "select 1 as a$$b$"), (2, "select 2")],
    ),
    Case(
        "DO block with BEGIN; END; inside $$",
        "do $$\nbegin;\n  perform 1;\nend;\n$$;\nselect 2;",
        [(1, "do $$\nbegin;"), (6, "select 2")],
    ),
    Case(
        "BEGIN ATOMIC with CASE ... END",
        "create function f(a int) returns int language sql\nbegin atomic\n"
        "  select case when a > 0 then 1 else case a when 0 then 0 end end;\n"
        "  select 2;\nend;\nselect 3;",
        [(1, "create function f(a int)"), (6, "select 3")],
    ),
    Case(
        "CREATE PROCEDURE with BEGIN ATOMIC",
        "CREATE PROCEDURE p(x int)\nLANGUAGE SQL\nBEGIN ATOMIC\n"
        "  INSERT INTO t VALUES (x);\n  INSERT INTO t VALUES (x + 1);\nEND;\nCALL p(1);",
        [(1, "CREATE PROCEDURE p"), (7, "CALL p(1)")],
    ),
    Case(
        "mixed case CREATE OR REPLACE with comment between BEGIN and ATOMIC",
        "Create Or Replace Function f() Returns int Language sql\n"
        "Begin /* c */ Atomic\n  Select (Case When true Then 1 End);\n  Select 2;\nEnd;\nselect 3",
        [(1, "Create Or Replace"), (6, "select 3")],
    ),
    Case(
        "SQL-standard RETURN body with CASE needs no END tracking",
        "create function g(a int) returns int return case when a > 0 then 1 else 0 end;\n"
        "select 2;",
        [(1, "create function g"), (2, "select 2")],
    ),
    Case(
        "function parameter named begin",
        "create function h(begin int) returns int return begin;\nselect 2;",
        [(1, "create function h"), (2, "select 2")],
    ),
    Case(
        "CREATE RULE with parenthesized actions",
        "create rule r as on insert to t do also (insert into u values (1); "
        "insert into u values (2));\nselect 2;",
        [(1, "create rule r"), (2, "select 2")],
    ),
    Case(
        "CRLF line endings",
        "select 1;\r\n\r\nselect\r\n  2;\r\n-- c\r\nselect 3;\r\n",
        [(1, "select 1"), (3, "select\r\n  2"), (6, "select 3")],
    ),
    Case(
        "bare CR line endings",
        "select 1;\r\rselect 2;\rselect 3",
        [(1, "select 1"), (3, "select 2"), (4, "select 3")],
    ),
    Case("BOM", "\ufeffselect 1;\nselect 2;", [(1, "select 1"), (2, "select 2")]),
    Case(
        "line comment at end of file without newline",
        "select 1; -- trailing",
        [(1, "select 1")],
    ),
    Case(
        "operators that look like comment starts",
        "select 4/2, 3-1, 2*/*c*/3;\nselect 2;",
        [(1, "select 4/2"), (2, "select 2")],
    ),
    Case(
        "transaction control splits like anything else",
        "BEGIN;\ncreate table t (a int);\nCOMMIT;",
        [(1, "BEGIN"), (2, "create table"), (3, "COMMIT")],
    ),
    Case(
        "string continuation over lines",
        "select 'a;'\n  'b;';\nselect 2;",
        [(1, "select 'a;'"), (3, "select 2")],
    ),
    Case(
        "COPY FROM stdin with data containing ; and $$",
        "copy t (a, b) from stdin;\n1\tx;y\n2\t$$\n\\.\nselect 2;\ncopy t from STDIN with (format csv);\n"
        "3,'a;'\n\\.\n",
        [(1, "copy t (a, b)"), (5, "select 2"), (6, "copy t from STDIN")],
        pg=False,
    ),
    Case(
        "standard_conforming_strings off",
        "set standard_conforming_strings = off;\nselect 'a\\';b';\nreset standard_conforming_strings;"
        "\nselect 'c\\';",
        [(1, "set standard"), (2, "select 'a\\';b'"), (3, "reset"), (4, "select 'c\\'")],
        pg=False,
    ),
    # --- found by running peers' test inputs (PostgreSQL regress, squawk, supabase/cli) ---
    # PostgreSQL's scanner takes every non-ASCII character for a letter.
    Case(
        "dollar tag with an emoji",
        "select $a😀$ x ; y $a😀$;\nselect 2;",
        [(1, "select $a😀$"), (2, "select 2")],
    ),
    Case(
        "dollar tag with an accented letter and a no-break space",
        "select $é1$ ; $é1$, $\u00a0$ ; $\u00a0$;\nselect 2;",
        [(1, "select $é1$"), (2, "select 2")],
    ),
    Case(
        "BEGIN ATOMIC: an emoji or combining mark before end is one identifier",
        "create function f() returns int language sql begin atomic select 1 as 😀end; "
        "select 2 as \u0301end; end;\nselect 3;",
        [(1, "create function f()"), (2, "select 3")],
    ),
    Case(
        "BEGIN ATOMIC: identifiers that start with end",
        "create function f() returns int language sql begin atomic select end😀, end\u0301, endpoint from t; end;\n"
        "select 2;",
        [(1, "create function f()"), (2, "select 2")],
    ),
    # The body's END stands where an inner statement would start; CASE ... END and labels
    # named case / end are not counted (psql's heuristic counts them and gets these wrong).
    Case(
        "BEGIN ATOMIC: case and end as column labels",
        "create function f() returns int language sql begin atomic\n  select 1 as case;\n  select 1 as end;\n"
        "  select 2 end;\n  select 3 case;\nend;\nselect 4;",
        [(1, "create function f()"), (7, "select 4")],
    ),
    Case(
        "BEGIN ATOMIC: empty inner statements and a parenthesized one",
        "create function f() returns int language sql begin atomic ; ;\n(select 1);\n;; end;\nselect 2;",
        [(1, "create function f()"), (4, "select 2")],
    ),
    Case(
        "BEGIN ATOMIC: a second END is a statement of its own",
        "create function f() returns void language sql begin atomic\n  select 1;\n  end;\nend;",
        [(1, "create function f()"), (4, "end")],
    ),
    Case(
        "BEGIN ATOMIC: CASE ... END right before the body's END",
        "create procedure p() language sql begin atomic select case when true then 1 end; end;\nselect 2;",
        [(1, "create procedure p()"), (2, "select 2")],
    ),
    Case(
        "BEGIN ATOMIC inside BEGIN ATOMIC",
        "create function f() returns int language sql begin atomic create function g() returns int "
        "language sql begin atomic select 1; end; select 1; end;\nselect 2;",
        [(1, "create function f()"), (2, "select 2")],
    ),
    Case(
        "CREATE RULE: a parenthesized action list with empty statements",
        "create rule r as on insert to t do instead (notify foo; (select 1););\n"
        "create rule r2 as on insert to t do instead (select 1 union select 2;);\nselect 2;",
        [(1, "create rule r "), (2, "create rule r2"), (3, "select 2")],
    ),
    Case(
        "bit and hex strings take no backslash escapes",
        "set standard_conforming_strings = off;\nselect b'1\\', X'a\\';\nselect 'b\\';c';\nselect 2;",
        [(1, "set standard"), (2, "select b'1\\'"), (3, "select 'b\\';c'"), (4, "select 2")],
        pg=False,
    ),
    Case(
        "RESET ALL and DISCARD ALL turn standard_conforming_strings back on",
        "SET /* c */ SESSION standard_conforming_strings TO 'off';\nselect 'a\\';b';\nreset all;\nselect 'c\\';\n"
        "set standard_conforming_strings = off;\ndiscard all;\nselect 'd\\';",
        [(1, "SET"), (2, "select 'a\\';b'"), (3, "reset all"), (4, "select 'c\\'"), (5, "set"), (6, "discard"),
         (7, "select 'd\\'")],
        pg=False,
    ),
    Case("psql \\; (send nothing yet)", "select 1 \\; select 2;\n", 1, pg=False),
    Case("psql \\gset after a statement", "select 1 as x \\gset\nselect :x;", 1, pg=False),
    Case("psql \\copy", "create table t (a int);\n\\copy t from 'data.csv' csv\n", 2, pg=False),
    Case("psql \\if in the middle", "select 1;\n\\if :flag\n  select 2;\n\\endif\n", 2, pg=False),
    Case("psql \\i", "select 1;\n\n\\i other.sql\nselect 2;", 3, pg=False),
    Case("psql \\set", "\\set ON_ERROR_STOP on\nselect 1;", 1, pg=False),
    Case("psql \\gexec after a statement", "select 1;\nselect format('x')\n\\gexec\n", 3, pg=False),
    Case("psql \\connect", "-- c\n\\connect other\n", 2, pg=False),
    Case("unterminated string", "select 1;\nselect 'abc;\nselect 2;", 2, pg=False),
    Case("unterminated dollar quote", "select 1;\n\ndo $x$ begin end $$;", 3, pg=False),
    Case("unterminated block comment", "select 1; /* /* */\nselect 2;", 1, pg=False),
    Case("COPY without \\. line", "select 1;\ncopy t from stdin;\n1\n2\n", 2, pg=False),
]


def _run(case: Case) -> list[Statement]:
    return split_sql(case.text, path="m.sql")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus(case: Case) -> None:
    if isinstance(case.expected, int):
        with pytest.raises(SqlFileError) as err:
            _run(case)
        assert err.value.line == case.expected
        assert err.value.file == "m.sql"
        assert err.value.hint
        return
    got = _run(case)
    assert [(s.line, s.sql[: len(start)]) for s, (_, start) in zip(got, case.expected)] == [
        (line, start) for line, start in case.expected
    ]
    assert len(got) == len(case.expected)
    for stmt in got:
        assert not stmt.sql.endswith(";")
        assert stmt.sql == stmt.sql.strip()


_PG_CASES = [c for c in CASES if c.pg and not isinstance(c.expected, int)]


@pytest.mark.parametrize("case", _PG_CASES, ids=[c.id for c in _PG_CASES])
def test_agrees_with_postgres_parser(case: Case) -> None:
    pglast = pytest.importorskip("pglast")
    theirs = pglast.split(case.text.lstrip("\ufeff"))
    ours = split_sql(case.text)
    assert [_token_texts(s) for s in theirs] == [_token_texts(s.sql) for s in ours]


def _token_texts(sql: str) -> list[str]:
    return [t.text for t in tokens(sql)]


def test_psql_error_message_names_the_command() -> None:
    with pytest.raises(SqlFileError) as err:
        split_sql("select 1;\n\\i other.sql\n", path="x.sql")
    assert str(err.value) == "psql meta-command \\i on line 2 cannot run here"
    assert "psql" in (err.value.hint or "")


def test_copy_data() -> None:
    text = (
        "copy t (a, b) from stdin; -- data follows\n1\tx;y\n2\t$$\n\\.\n"
        "select 2;\r\ncopy u from stdin;\r\nA\r\n\\.\r\n"
    )
    copy_t, select, copy_u = split_sql(text)
    assert copy_t.copy_data == "1\tx;y\n2\t$$\n"
    assert (copy_t.line, copy_t.end_line) == (1, 1)
    assert select.copy_data is None
    assert (select.line, select.sql) == (5, "select 2")
    assert copy_u.copy_data == "A\r\n"
    assert copy_u.line == 6


def test_copy_with_empty_data_and_terminator_at_end_of_file() -> None:
    (stmt,) = split_sql("COPY t FROM STDIN;\n\\.")
    assert stmt.copy_data == ""


def test_copy_to_stdout_has_no_data() -> None:
    stmts = split_sql("copy t to stdout;\nselect 1;")
    assert [s.copy_data for s in stmts] == [None, None]


def test_text_after_copy_on_the_same_line_is_an_error() -> None:
    with pytest.raises(SqlFileError) as err:
        split_sql("copy t from stdin; select 1;\n\\.\n")
    assert err.value.line == 1


def test_positions_and_end_line() -> None:
    text = "-- header\n\n   create table t (\n  a int\n)\n;\nselect 1 -- c\n"
    first, second = split_sql(text)
    assert (first.line, first.column, first.end_line) == (3, 4, 6)
    assert first.sql == "create table t (\n  a int\n)"
    assert (second.line, second.column, second.end_line) == (7, 1, 7)
    assert second.sql == "select 1"


def test_crlf_positions() -> None:
    text = "\ufeffselect 1;\r\n  select\r\n 2;\r\nselect 3"
    stmts = split_sql(text)
    assert [(s.line, s.column, s.end_line) for s in stmts] == [(1, 1, 1), (2, 3, 3), (4, 1, 4)]


def test_leading_comments() -> None:
    text = (
        "-- pgrelease: ignore require-concurrent-index small table\n"
        "create index i on t (a);  -- about the index, not the next statement\n"
        "/* block */\n-- pgrelease: ignore ban-drop-column reason here\n"
        "alter table t /* inner */ drop column b /* trailing */;\n"
        "select 1;"
    )
    first, second, third = split_sql(text)
    assert first.leading_comments == (
        "-- pgrelease: ignore require-concurrent-index small table",
    )
    assert second.leading_comments == (
        "/* block */",
        "-- pgrelease: ignore ban-drop-column reason here",
    )
    assert second.sql == "alter table t /* inner */ drop column b"
    assert third.leading_comments == ()


def test_leading_comments_crlf_have_no_line_ending() -> None:
    (stmt,) = split_sql("-- a\r\n-- b\r\nselect 1;\r\n")
    assert stmt.leading_comments == ("-- a", "-- b")


def test_unterminated_message() -> None:
    with pytest.raises(SqlFileError) as err:
        split_sql("select 1;\nselect $f$ x", path="y.sql")
    assert str(err.value) == "unterminated dollar-quoted string starting on line 2"


def test_tokens_skip_comments_and_keep_quotes_whole() -> None:
    toks = list(tokens("create /* x */ index -- y\n concurrently on \"T\" using $$a$$ ('b;')"))
    assert [(t.kind, t.text) for t in toks] == [
        ("word", "create"),
        ("word", "index"),
        ("word", "concurrently"),
        ("word", "on"),
        ("ident", '"T"'),
        ("word", "using"),
        ("dollar", "$$a$$"),
        ("op", "("),
        ("string", "'b;'"),
        ("op", ")"),
    ]


def _generated(n: int) -> str:
    shapes = [
        "insert into t (id, note) values ({i}, E'it\\'s; {i}'); -- row {i}",
        "create function f{i}(a int) returns int language sql as $fn$ select a + {i}; $fn$;",
        '/* {i}; */ update "T;x" set a = a + 1 where id = {i} and b in (1, 2);',
        "create function g{i}() returns int language sql begin atomic select {i}; end;",
    ]
    return "\n".join(shapes[i % len(shapes)].format(i=i) for i in range(n))


def test_ten_thousand_statements() -> None:
    stmts = split_sql(_generated(10_000))
    assert len(stmts) == 10_000
    assert [s.line for s in stmts[:3]] == [1, 2, 3]
    assert stmts[-1].line == 10_000
    assert stmts[9_999].sql.startswith("create function g9999()")


def test_ten_thousand_statements_agree_with_postgres_parser() -> None:
    pglast = pytest.importorskip("pglast")
    text = _generated(2_000)
    assert len(pglast.split(text)) == len(split_sql(text)) == 2_000


_FRAGMENTS = [
    "select 'a;b''c'",
    "select E'x\\';y'",
    "select $t$ $$ ; $t$",
    'select 1 as "a;""b"',
    "select U&'d\\0061;'",
    "create function f(a int) returns int language sql begin atomic "
    "select case when a > 0 then 1 end; select (case a when 1 then 2 end); end",
    "create or replace procedure p() language sql begin atomic insert into t values (1); end",
    "do $$ begin perform 1; end $$",
    "create rule r as on insert to t do also (insert into u values (1); delete from u)",
    "select 1 /* a /* b; */ c */ + 2",
    "select 1 -- x;\n + 1",
    "prepare q(int) as select $1",
    "create function g(begin int) returns int return begin",
    "select 4/2*3-1, (array[1,2])[1:2], '{}'::jsonb->>'a'",
    "BEGIN",
    "select $a😀$ ; $a😀$, 1 as 😀end",
    "create function f() returns int language sql begin atomic select 1 as end; select 1 case; "
    "select case when true then 1 end; end",
    "create function f() returns int language sql begin atomic ; (select 1); ; end",
    "select b'1', x'ff', n'a;b'",
]
_SEPARATORS = [";", ";\n", " ;\r\n", ";-- c\n", ";/* ; */", ";;\n\n"]


def test_random_mixes_agree_with_postgres_parser() -> None:
    pglast = pytest.importorskip("pglast")
    rng = random.Random(20240101)
    for _ in range(300):
        parts = rng.choices(_FRAGMENTS, k=rng.randint(1, 8))
        text = "".join(part + rng.choice(_SEPARATORS) for part in parts)
        ours = [_token_texts(s.sql) for s in split_sql(text)]
        assert ours == [_token_texts(s) for s in pglast.split(text)], text


def test_identifier_classes_are_postgresql_letters() -> None:
    """The negated ASCII classes (cheap to compile) are exactly A-Za-z _ plus every non-ASCII
    character (+ 0-9 $ for continuing an identifier, + 0-9 for a dollar-quote tag)."""
    import re

    from pgrelease.migrations import split

    written = {
        split._IDENT_START: "[A-Za-z_\u0080-\U0010ffff]",
        split._IDENT_CONT: "[A-Za-z_\u0080-\U0010ffff0-9$]",
        split._TAG_CONT: "[A-Za-z_\u0080-\U0010ffff0-9]",
    }
    points = [*range(0x0, 0x800), 0xA0, 0x200B, 0xD7FF, 0xE000, 0xFEFF, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]
    for fast, plain in written.items():
        a, b = re.compile(fast), re.compile(plain)
        for point in points:
            assert bool(a.fullmatch(chr(point))) == bool(b.fullmatch(chr(point))), (fast, hex(point))
