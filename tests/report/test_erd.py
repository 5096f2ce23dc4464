"""The ER diagram of the PR gate's comment: statements -> table changes -> Mermaid text.

The diagrams are drawn from real snapshots: each test applies SQL to a fresh database on the
test server, snapshots it and computes the changes from the same pending statements. Every
diagram is checked against the part of Mermaid's erDiagram grammar that pgrelease writes
(the lexer's rules for words, keys, comments and relationships); with
``PGRELEASE_TEST_MERMAID_DIR`` set to a directory holding ``node_modules/mermaid``
(``npm install --no-save mermaid`` there; ``mermaid.parse`` needs no DOM), the diagrams also
go through Mermaid's own parser under node.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pgrelease.catalog import snapshot
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.migrations.split import split_sql
from pgrelease.report.erd import TableChange, er_diagram, mermaid_type, table_changes

# --- the grammar subset pgrelease writes (Mermaid's erDiagram lexer, block state) -------------

_WORD = r"[A-Za-z_][A-Za-z0-9_]*"
_ENTITY = re.compile(rf"^    ({_WORD}) \{{$")
_ATTRIBUTE = re.compile(rf'^        ({_WORD}) ({_WORD})(?: ((?:PK|FK|UK)(?:, (?:PK|FK|UK))*))?(?: "([^"%#;\\]*)")?$')
_RELATION = re.compile(rf'^    ({_WORD}) (\|\||\|o)(--|\.\.)(o\||o\{{) ({_WORD}) : "([^"%#;\\]*)"$')


def check_grammar(text: str) -> None:
    lines = text.split("\n")
    assert lines[0] == "erDiagram"
    in_block = False
    for line in lines[1:]:
        if in_block:
            if line == "    }":
                in_block = False
                continue
            m = _ATTRIBUTE.match(line)
            assert m, f"not an attribute line: {line!r}"
            assert m.group(1).lower() not in {"pk", "fk", "uk"} and m.group(2).lower() not in {"pk", "fk", "uk"}, line
        elif line.startswith("%% "):
            continue
        elif _ENTITY.match(line):
            in_block = True
        else:
            assert _RELATION.match(line), f"not an entity or relationship line: {line!r}"
    assert not in_block


# --- helpers ----------------------------------------------------------------------------------


def draw(dsn: Dsn, base: str, pending: str, *, include_schemas=None, **kwargs) -> str | None:
    """Apply base and pending SQL, snapshot, and draw the pending statements' diagram."""
    with connect(dsn) as conn:
        if base.strip():
            conn.execute(base)
        conn.execute(pending)
        snap = snapshot(conn, include_schemas=include_schemas)
    changes = table_changes(s.sql for s in split_sql(pending))
    text = er_diagram(snap, changes, **kwargs)
    if text is not None:
        check_grammar(text)
        DRAWN.append(text)
    return text


DRAWN: list[str] = []  # every diagram of the module, for the Mermaid parser test at the end


def entity(text: str, name: str) -> list[str]:
    """The attribute lines of one entity, stripped."""
    lines = text.split("\n")
    start = lines.index(f"    {name} {{")
    end = lines.index("    }", start)
    return [line.strip() for line in lines[start + 1:end]]


def entities(text: str) -> list[str]:
    return [m.group(1) for line in text.split("\n") if (m := _ENTITY.match(line))]


def relations(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if _RELATION.match(line)]


SUPABASE_BASE = """
create schema auth;
create table auth.users (id uuid primary key, email text);
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique,
  avatar_url text,
  created_at timestamp with time zone not null default now()
);
"""

SUPABASE_PENDING = """
create table public.posts (
  id bigint generated always as identity primary key,
  author_id uuid not null references auth.users (id) on delete cascade,
  title varchar(200) not null,
  body text,
  tags text[] not null default '{}',
  published_at timestamptz
);
alter table public.posts enable row level security;
create policy "read posts" on public.posts for select using (published_at is not null);
alter table public.profiles add column bio text;
"""


# --- the diagram ------------------------------------------------------------------------------


def test_a_realistic_supabase_migration(fresh_db: Dsn) -> None:
    text = draw(fresh_db, SUPABASE_BASE, SUPABASE_PENDING)
    assert text == """\
erDiagram
    public__posts {
        bigint id PK "added"
        uuid author_id FK "added"
        varchar title "added"
        text body "added"
        text_array tags "added"
        timestamptz published_at "added"
    }
    public__profiles {
        uuid id PK, FK
        text username UK
        text avatar_url
        timestamptz created_at
        text bio "added"
    }
    auth__users {
        uuid id
    }
    auth__users ||..o{ public__posts : "author_id"
    auth__users ||--o| public__profiles : "id\""""


def test_a_referenced_table_in_the_snapshot_is_drawn_from_it(fresh_db: Dsn) -> None:
    text = draw(fresh_db, SUPABASE_BASE, SUPABASE_PENDING, include_schemas=["public", "auth"])
    assert text is not None
    assert entity(text, "auth__users") == ["uuid id PK"]  # key columns only: not email


def test_neighbours_in_both_directions_with_key_columns_only(fresh_db: Dsn) -> None:
    base = """
    create table customers (id bigint primary key, name text not null, email text);
    create table orders (id bigint primary key, customer_id bigint not null references customers, note text);
    create table order_items (
      id bigint primary key, order_id bigint not null references orders on delete cascade,
      sku text, qty int not null);
    create table unrelated (id int primary key);
    """
    pending = "alter table orders alter column note type varchar(500), add column total numeric(12,2);"
    text = draw(fresh_db, base, pending)
    assert text is not None
    assert entities(text) == ["public__orders", "public__customers", "public__order_items"]
    assert entity(text, "public__orders") == [
        "bigint id PK", "bigint customer_id FK", 'varchar note "changed"', 'numeric total "added"']
    assert entity(text, "public__customers") == ["bigint id PK"]
    assert entity(text, "public__order_items") == ["bigint id PK", "bigint order_id FK"]
    assert relations(text) == [
        'public__customers ||..o{ public__orders : "customer_id"',
        'public__orders ||..o{ public__order_items : "order_id"',
    ]


def test_cardinality_from_not_null_unique_and_primary_keys(fresh_db: Dsn) -> None:
    pending = """
    create table people (id int primary key, manager_id int references people);
    create table passports (person_id int primary key references people);
    create table badges (id int primary key, person_id int unique references people);
    create table visits (person_id int not null references people, at date);
    """
    text = draw(fresh_db, "", pending)
    assert text is not None
    assert relations(text) == [
        'public__people |o..o{ public__people : "manager_id"',  # self reference, nullable
        'public__people |o..o| public__badges : "person_id"',  # unique, nullable
        'public__people ||--o| public__passports : "person_id"',  # the primary key: one to one, identifying
        'public__people ||..o{ public__visits : "person_id"',  # not null, many
    ]
    assert entity(text, "public__badges") == ['integer id PK "added"', 'integer person_id FK, UK "added"']


def test_composite_foreign_keys_and_unique_indexes(fresh_db: Dsn) -> None:
    base = """
    create table tenants (id int, slug text, primary key (id));
    create table projects (tenant_id int references tenants, id int, name text, primary key (tenant_id, id));
    """
    pending = """
    create table tasks (
      id int primary key, tenant_id int not null, project_id int not null, title text,
      foreign key (tenant_id, project_id) references projects (tenant_id, id));
    create unique index tasks_title on tasks (tenant_id, title);
    create unique index tasks_partial on tasks (id, title) where title is not null;
    """
    text = draw(fresh_db, base, pending)
    assert text is not None
    assert entity(text, "public__tasks") == [
        'integer id PK "added"', 'integer tenant_id FK, UK "added"', 'integer project_id FK "added"',
        'text title UK "added"']
    assert entity(text, "public__projects") == ["integer tenant_id PK, FK", "integer id PK"]
    assert relations(text) == ['public__projects ||..o{ public__tasks : "tenant_id, project_id"']
    assert "public__tenants" not in entities(text)  # a neighbour's neighbour is not drawn


def test_added_changed_and_removed_columns(fresh_db: Dsn) -> None:
    base = """
    create table accounts (id int primary key, legacy_code text, nick text, plan text default 'free',
                           balance int, note text, region text);
    create table untouched (id int primary key);
    """
    pending = """
    alter table accounts drop column legacy_code;
    alter table accounts rename column nick to display_name;
    alter table accounts alter column plan set default 'pro';
    alter table accounts alter column balance type bigint;
    alter table accounts alter column note set not null;
    alter table accounts alter column region set statistics 500;
    alter table accounts add column created_at timestamp(3) with time zone default now();
    """
    text = draw(fresh_db, base, pending)
    assert entity(text, "public__accounts") == [
        "integer id PK",
        'text display_name "added, renamed from nick"',
        'text plan "changed"',
        'bigint balance "changed"',
        'text note "changed"',
        "text region",  # statistics do not change what a column holds
        'timestamptz created_at "added"',
        'unknown legacy_code "removed"',  # dropped: the type is gone with it
        'text nick "removed"',  # renamed: the type is the new column's
    ]
    assert entities(text) == ["public__accounts"]


def test_names_that_mermaid_cannot_take_as_they_are(fresh_db: Dsn) -> None:
    pending = """
    create schema "Sales App";
    create type "Sales App"."Money Kind" as enum ('cash', 'card');
    create table "Sales App"."Order Lines" (
      "ID" bigint primary key,
      "Unit Price" numeric(10,2),
      pk int,
      "2fa" boolean,
      "Kind" "Sales App"."Money Kind"[],
      at_time time(0) without time zone,
      ratio double precision,
      code character(3),
      flags bit varying(8),
      span interval year to month,
      "say ""hi"" now" text
    );
    create table "Sales App"."Order_Lines" (id int primary key, line_id bigint references "Sales App"."Order Lines");
    create table public."MixedCase" (id int primary key);
    """
    text = draw(fresh_db, "", pending)
    assert text is not None
    assert entities(text) == ["Sales_App__Order_Lines", "Sales_App__Order_Lines_2", "public__MixedCase"]
    assert entity(text, "Sales_App__Order_Lines") == [
        'bigint ID PK "added"',
        'numeric Unit_Price "added, SQL name: Unit Price"',
        'integer pk_ "added, SQL name: pk"',
        'boolean _2fa "added, SQL name: 2fa"',
        'Money_Kind_array Kind "added"',
        'time at_time "added"',
        'float8 ratio "added"',
        'char code "added"',
        'varbit flags "added"',
        'interval span "added"',
        "text say__hi__now \"added, SQL name: say 'hi' now\"",
    ]
    assert relations(text) == ['Sales_App__Order_Lines |o..o{ Sales_App__Order_Lines_2 : "line_id"']


@pytest.mark.parametrize(("printed", "word"), [
    ("timestamp with time zone", "timestamptz"),
    ("timestamp(6) without time zone", "timestamp"),
    ("time with time zone", "timetz"),
    ("character varying(20)", "varchar"),
    ("character varying", "varchar"),
    ("text[]", "text_array"),
    ("integer[]", "integer_array"),
    ("numeric(10,2)", "numeric"),
    ("public.mood", "mood"),
    ('public."My Type"[]', "My_Type_array"),
    ('"char"', "char"),
    ("extensions.citext", "citext"),
    ("USER-DEFINED ???", "USER_DEFINED____"),  # not a type the parser reads: made one word anyway
])
def test_types_become_one_mermaid_word(printed: str, word: str) -> None:
    assert mermaid_type(printed) == word


def test_partitions_and_like_copy_their_parents_columns(fresh_db: Dsn) -> None:
    pending = """
    create table events (id bigint, at date not null, payload jsonb, primary key (id, at)) partition by range (at);
    create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01');
    create table events_archive (like events including all, archived_at timestamptz);
    """
    changes = table_changes(s.sql for s in split_sql(pending))
    assert changes[("public", "events_2025")].added == {"id", "at", "payload"}
    assert changes[("public", "events_archive")].added == {"id", "at", "payload", "archived_at"}
    text = draw(fresh_db, "", pending)
    assert text is not None
    assert entity(text, "public__events_2025") == [
        'bigint id PK "added"', 'date at PK "added"', 'jsonb payload "added"']
    assert entity(text, "public__events_archive")[-1] == 'timestamptz archived_at "added"'


def test_max_tables_keeps_the_changed_tables_and_notes_what_is_left_out(fresh_db: Dsn, make_db) -> None:
    base = "create table hub (id int primary key, name text);\n" + "".join(
        f"create table spoke_{i:02} (id int primary key, hub_id int references hub);\n" for i in range(10))
    pending = "alter table hub add column color text;\ncreate table extra (id int primary key, hub_id int references hub);"
    text = draw(fresh_db, base, pending, max_tables=4)
    assert text is not None
    assert entities(text) == ["public__hub", "public__extra", "public__spoke_00", "public__spoke_01"]
    assert text.endswith("\n%% 8 neighbouring tables left out (max_tables=4)")
    assert len(relations(text)) == 3  # none to a table that is not drawn

    many = "".join(f"create table t{i} (id int primary key, hub_id int references hub);\n" for i in range(5))
    text = draw(make_db(), base, many, max_tables=3)
    assert text is not None
    assert entities(text) == ["public__t0", "public__t1", "public__t2"]
    assert relations(text) == []
    assert text.endswith("\n%% 2 changed tables and 1 neighbouring table left out (max_tables=3)")

    text = draw(make_db(), "", many.replace(", hub_id int references hub", ""), max_tables=3)
    assert text is not None
    assert text.endswith("\n%% 2 changed tables left out (max_tables=3)")


def test_none_when_no_table_changed(fresh_db: Dsn) -> None:
    base = "create table notes (id int primary key, body text); create view note_list as select id, body from notes;"
    pending = """
    alter table note_list rename column body to text;  -- ALTER TABLE takes a view too: not a table
    create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
    create trigger notes_touch before update on notes for each row execute function public.touch();
    alter table notes enable row level security;
    create policy "own notes" on notes for all using (true);
    create index notes_body on notes (body);
    comment on table notes is 'hi';
    grant select on notes to public;
    """
    assert draw(fresh_db, base, pending) is None
    assert list(table_changes(s.sql for s in split_sql(pending))) == [("public", "note_list")]


def test_dropped_tables_are_noted_and_alone_draw_nothing(fresh_db: Dsn, make_db) -> None:
    base = "create table old_logs (id int); create table keep (id int primary key);"
    assert draw(fresh_db, base, "drop table old_logs;") is None
    text = draw(make_db(), base, "drop table old_logs; alter table keep add column x int;")
    assert text is not None
    assert entities(text) == ["public__keep"]
    assert "%% dropped table public.old_logs" in text.split("\n")


def test_a_table_in_changes_but_not_in_the_snapshot_draws_what_is_known(fresh_db: Dsn) -> None:
    with connect(fresh_db) as conn:
        snap = snapshot(conn)
    change = TableChange("auth", "users", added={"nickname"}, removed={"old"})
    text = er_diagram(snap, {change.key: change})
    assert text is not None
    check_grammar(text)
    assert entity(text, "auth__users") == ['unknown nickname "added"', 'unknown old "removed"']
    assert er_diagram(snap, {}) is None


# --- what the statements did ------------------------------------------------------------------


def _changes(sql: str) -> dict[tuple[str, str], TableChange]:
    return table_changes(s.sql for s in split_sql(sql))


def test_table_changes_from_create_alter_rename_drop() -> None:
    changes = _changes("""
    create table app.items (id int, name text);
    alter table app.items add column price int;
    create table Simple (A int, "B" int);
    alter table profiles add column bio text, drop column legacy, alter column age type bigint,
      alter column email set not null, alter column score drop default;
    alter table profiles rename column handle to username;
    drop table if exists old_logs, app.gone cascade;
    create temp table scratch (x int);
    """)
    assert list(changes) == [("app", "items"), ("public", "simple"), ("public", "profiles"),
                             ("public", "old_logs"), ("app", "gone")]
    items = changes[("app", "items")]
    assert items.created and items.added == {"id", "name", "price"}
    assert changes[("public", "simple")].added == {"a", "B"}
    profiles = changes[("public", "profiles")]
    assert not profiles.created
    assert profiles.added == {"bio", "username"}
    assert profiles.changed == {"age", "email", "score"}
    assert profiles.removed == {"legacy", "handle"}
    assert profiles.renamed == {"username": "handle"}
    assert changes[("public", "old_logs")].dropped and changes[("app", "gone")].dropped


def test_table_changes_net_effects() -> None:
    changes = _changes("""
    create table tmp (id int); drop table tmp;
    alter table t add column x int; alter table t drop column x;
    alter table u rename column a to b; alter table u rename column b to c;
    alter table v rename column a to b; alter table v rename column b to a;
    alter table w add column n int; alter table w alter column n set not null; alter table w rename column n to m;
    alter table y drop column z; alter table y add column z text;
    create table n (a int); alter table n drop column a; alter table n rename column a to b;
    alter table n alter column b type text;
    drop table re; create table re (id int);
    """)
    assert ("public", "tmp") not in changes  # created and dropped again
    assert ("public", "t") not in changes  # added and dropped again
    u = changes[("public", "u")]
    assert (u.added, u.removed, u.renamed) == ({"c"}, {"a"}, {"c": "a"})
    assert ("public", "v") not in changes  # renamed back
    w = changes[("public", "w")]
    assert (w.added, w.changed, w.removed) == ({"m"}, set(), set())
    y = changes[("public", "y")]
    assert (y.added, y.changed, y.removed) == (set(), {"z"}, set())
    n = changes[("public", "n")]
    assert n.created and n.added == {"b"} and not n.changed and not n.removed
    re_created = changes[("public", "re")]
    assert re_created.created and not re_created.dropped


def test_table_changes_follow_renamed_and_moved_tables() -> None:
    changes = _changes("""
    alter table a add column x int;
    alter table a rename to b;
    alter table b add column y int;
    alter table c set schema archive;
    alter table public.d rename to e;
    """)
    assert list(changes) == [("public", "b"), ("archive", "c"), ("public", "e")]
    assert changes[("public", "b")].added == {"x", "y"}
    assert not changes[("archive", "c")].added  # kept: the table moved


def test_table_changes_skip_what_does_not_parse_and_read_statements_or_strings() -> None:
    statements = split_sql("create tabel broken (id int);\ncreate table ok (id int);")
    changes = table_changes([statements[0].sql, statements[1]])  # a Statement is read through .sql
    assert list(changes) == [("public", "ok")]
    # several statements in one string, CREATE TABLE AS, views and indexes left alone
    changes = table_changes(["create table s as select 1 as one, x.y from x; create view v as select 1;"
                             " alter index i rename to j; alter view v rename column a to b;"
                             " create table t2 (c) as select 1"])
    assert changes[("public", "s")].added == {"one", "y"}
    assert changes[("public", "t2")].added == {"c"}
    assert list(changes) == [("public", "s"), ("public", "t2")]


# --- Mermaid's own parser ---------------------------------------------------------------------

_PARSE_JS = r"""
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let input = '';
for await (const chunk of process.stdin) input += chunk;
const failures = [];
for (const [i, text] of JSON.parse(input).entries()) {
  try { await mermaid.parse(text); } catch (e) { failures.push(`${i}: ${e.message || e}`); }
}
console.log(JSON.stringify(failures));
"""


_REPO = Path(__file__).resolve().parents[2]
MERMAID_DIR = Path(os.environ.get("PGRELEASE_TEST_MERMAID_DIR") or _REPO)  # npm install puts mermaid in the repo
GOLDEN_COMMENT = _REPO / "tests" / "github" / "expected" / "gate_comment_failed.md"


@pytest.mark.skipif(not (MERMAID_DIR / "node_modules" / "mermaid").is_dir() or not shutil.which("node"),
                    reason="needs node and npm's mermaid (npm install, as scripts/test.sh runs)")
def test_mermaid_parses_every_diagram(fresh_db: Dsn) -> None:
    draw(fresh_db, SUPABASE_BASE, SUPABASE_PENDING)  # at least this one, whatever ran before in this worker
    golden = GOLDEN_COMMENT.read_text().split("```mermaid\n", 1)[1].split("```", 1)[0]
    DRAWN.append(golden)  # the gate comment's reviewed diagram too
    folder = MERMAID_DIR
    done = subprocess.run(["node", "--input-type=module", "-e", _PARSE_JS], cwd=folder, input=json.dumps(DRAWN),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
