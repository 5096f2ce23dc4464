"""The lock and rewrite report, measured on a real server (PostgreSQL 18 embedded, or 15).

The corpus follows PostgreSQL's documentation of the lock each command takes (the "Explicit
Locking" chapter and the ALTER TABLE page, subcommand by subcommand); each case asserts the
exact set of (relation, mode, rewrite, full scan) the last statement of its migration leaves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.migrations.files import MigrationFile
from pgrelease.migrations.parse import parse_migration
from pgrelease.pipeline.impact import (
    ImpactPolicy,
    ImpactResult,
    LockPattern,
    evaluate,
    measure,
    probe_migrations,
)
from pgrelease.errors import UsageError
from pgrelease.report.locks import lock_label, rows_text, size_text

SETUP = """
create table public.t (id int primary key, name varchar(10), n int, email text);
insert into public.t select g, 'x', g, 'e' from generate_series(1, 100) g;
create table public.u (id int primary key, t_id int);
insert into public.u select g, g from generate_series(1, 10) g;
create materialized view public.mv as select id from public.t;
"""

AE, SRE, SUE = "ACCESS EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE"
T, U = "public.t", "public.u"

# id: (extra setup, the migration, {(relation, mode, rewrite, scan)} for its last statement); a scan of
# None: the planner's choice (the referenced side of a foreign key check may be read by index or in full)
CORPUS: dict[str, tuple[str, str, set[tuple[str, str, bool, bool]]]] = {
    "add column": ("", "alter table public.t add column c int", {(T, AE, False, False)}),
    "add column constant default": ("", "alter table public.t add column c int default 5", {(T, AE, False, False)}),
    "add column stable default now()": ("", "alter table public.t add column c timestamptz default now()",
                                        {(T, AE, False, False)}),
    "add column volatile default": ("", "alter table public.t add column c timestamptz default clock_timestamp()",
                                    {(T, AE, True, False)}),
    "add column gen_random_uuid default": ("", "alter table public.t add column c uuid default gen_random_uuid()",
                                           {(T, AE, True, False)}),
    "add stored generated column": ("", "alter table public.t add column g int generated always as (n * 2) stored",
                                    {(T, AE, True, False)}),
    "set not null": ("", "alter table public.t alter column n set not null", {(T, AE, False, True)}),
    "add check constraint": ("", "alter table public.t add constraint ck check (n > 0)", {(T, AE, False, True)}),
    "add check constraint not valid": ("", "alter table public.t add constraint ck check (n > 0) not valid",
                                       {(T, AE, False, False)}),
    "validate check constraint": ("alter table public.t add constraint ck check (n > 0) not valid",
                                  "alter table public.t validate constraint ck", {(T, SUE, False, True)}),
    "add foreign key": ("", "alter table public.u add constraint fk foreign key (t_id) references public.t (id)",
                        {(T, SRE, False, None), (U, SRE, False, True)}),
    "add foreign key not valid": ("", "alter table public.u add constraint fk foreign key (t_id)"
                                      " references public.t (id) not valid",
                                  {(T, SRE, False, False), (U, SRE, False, False)}),
    "validate foreign key": ("alter table public.u add constraint fk foreign key (t_id) references public.t (id)"
                             " not valid", "alter table public.u validate constraint fk",
                             {(U, SUE, False, True), (T, "ROW SHARE", False, None)}),
    "create index": ("", "create index t_n on public.t (n)", {(T, "SHARE", False, True)}),
    "create unique index": ("", "create unique index t_email on public.t (email, id)", {(T, "SHARE", False, True)}),
    "drop index": ("create index t_n on public.t (n)", "drop index public.t_n", {(T, AE, False, False)}),
    "alter column type varchar widening": ("", "alter table public.t alter column name type varchar(20)",
                                           {(T, AE, False, False)}),
    "alter column type varchar to text": ("", "alter table public.t alter column name type text",
                                          {(T, AE, False, False)}),
    "alter column type varchar narrowing": ("", "alter table public.t alter column name type varchar(5)",
                                            {(T, AE, True, False)}),
    "alter column type int to bigint": ("", "alter table public.t alter column n type bigint", {(T, AE, True, False)}),
    "enable row level security": ("", "alter table public.t enable row level security", {(T, AE, False, False)}),
    "create policy": ("alter table public.t enable row level security",
                      "create policy p on public.t for select using (true)", {(T, AE, False, False)}),
    "create trigger": ("", "create trigger tr before update on public.t for each row"
                           " execute function suppress_redundant_updates_trigger()", {(T, SRE, False, False)}),
    "drop trigger": ("create trigger tr before update on public.t for each row"
                     " execute function suppress_redundant_updates_trigger()", "drop trigger tr on public.t",
                     {(T, AE, False, False)}),
    "rename column": ("", "alter table public.t rename column n to m", {(T, AE, False, False)}),
    "rename table (named as it was)": ("", "alter table public.t rename to t2", {(T, AE, False, False)}),
    "drop column": ("", "alter table public.t drop column email", {(T, AE, False, False)}),
    "set default": ("", "alter table public.t alter column n set default 1", {(T, AE, False, False)}),
    "set statistics": ("", "alter table public.t alter column n set statistics 100", {(T, SUE, False, False)}),
    "set storage parameter": ("", "alter table public.t set (fillfactor = 70)", {(T, SUE, False, False)}),
    "set unlogged": ("", "alter table public.t set unlogged", {(T, AE, True, False)}),
    "rename index": ("create index t_n on public.t (n)", "alter index public.t_n rename to t_n2",
                     {("public.t_n", SUE, False, False)}),
    "refresh materialized view": ("", "refresh materialized view public.mv",
                                  {("public.mv", AE, True, False), (T, "ACCESS SHARE", False, True)}),
    "refresh materialized view concurrently": ("create unique index mv_id on public.mv (id)",
                                               "refresh materialized view concurrently public.mv",
                                               {("public.mv", "EXCLUSIVE", False, True),
                                                (T, "ACCESS SHARE", False, True)}),
    "truncate": ("", "truncate public.u", {(U, AE, True, False)}),
    "comment on table": ("", "comment on table public.t is 'people'", {(T, SUE, False, False)}),
    "update every row": ("", "update public.t set n = n + 1", {(T, "ROW EXCLUSIVE", False, True)}),
    "create table with a foreign key to an existing one": ("", "create table public.child (t_id int references public.t)",
                                                           {(T, SRE, False, False)}),
    "create view": ("", "create view public.tv as select id from public.t", {(T, "ACCESS SHARE", False, False)}),
    "lock table in share mode": ("", "lock table public.t in share mode", {(T, "SHARE", False, False)}),
    "add primary key builds its index": ("alter table public.u drop constraint u_pkey",
                                         "alter table public.u add primary key (id)",
                                         {(U, AE, False, True)}),  # its SHARE under the ACCESS EXCLUSIVE
    "set not null after a valid check constraint skips the scan": (
        "alter table public.t add constraint n_nn check (n is not null)",
        "alter table public.t alter column n set not null", {(T, AE, False, False)}),
}


def _migration(tmp_path: Path, version: str, sql: str) -> MigrationFile:
    path = tmp_path / f"{version}_case.sql"
    path.write_text(sql)
    return MigrationFile(version=version, name="case", path=path, display_path=f"supabase/migrations/{path.name}")


def _probe(dsn: Dsn, tmp_path: Path, setup: str, sql: str):
    with connect(dsn) as conn:
        conn.execute(SETUP + (setup + ";" if setup else ""))
    (migration,) = probe_migrations(dsn, [parse_migration(_migration(tmp_path, "20250101000000", sql + ";\n"))])
    assert migration.error is None, migration.error
    return migration


def _locks(stmt) -> set[tuple[str, str, bool, bool]]:
    return {(lock.relation, lock.mode, lock.rewrite, lock.scan) for lock in stmt.locks}


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 25


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_corpus(case: str, fresh_db: Dsn, tmp_path: Path) -> None:
    setup, sql, expected = CORPUS[case]
    migration = _probe(fresh_db, tmp_path, setup, sql)
    measured = _locks(migration.statements[-1])
    wildcards = {(r, m, w) for r, m, w, s in expected if s is None}
    assert {x if x[:3] not in wildcards else (*x[:3], None) for x in measured} == expected


def test_grant_takes_no_lock_that_matters(fresh_db: Dsn, tmp_path: Path) -> None:
    """GRANT: no relation lock on PostgreSQL 15, ACCESS SHARE from 16 on; never more."""
    migration = _probe(fresh_db, tmp_path, "", "grant select on public.t to public")
    assert _locks(migration.statements[-1]) <= {(T, "ACCESS SHARE", False, False)}


def test_statements_in_one_transaction(fresh_db: Dsn, tmp_path: Path) -> None:
    """Each statement reports what it newly takes; a table the migration creates is left out;
    the transaction holds its strongest lock per relation from the line that took it."""
    sql = ("create table public.fresh (id int);\n"                      # line 1: new, invisible to others
           "alter table public.fresh add column c int default random();\n"  # rewrite of a new table: left out
           "create index t_n on public.t (n);\n"                          # line 3: SHARE + scan
           "alter table public.t add column c int;\n"                     # line 4: ACCESS EXCLUSIVE
           "alter table public.t add column d int;\n"                     # line 5: already held: nothing new
           "alter table public.t alter column n type bigint;\n")          # line 6: rewrite under the held lock
    migration = _probe(fresh_db, tmp_path, "", sql)
    by_line = {s.line: _locks(s) for s in migration.statements}
    assert by_line == {1: set(), 2: set(), 3: {(T, "SHARE", False, True)}, 4: {(T, AE, False, False)}, 5: set(),
                       6: {(T, AE, True, False)}}
    assert migration.statements[-1].locks[0].held
    assert migration.held_until_commit() == [(T, AE, 4)]
    with connect(fresh_db) as conn:  # committed as the real replay would: the next migration sees it
        assert conn.execute("select count(*) from information_schema.columns where table_name = 'fresh'"
                            ).fetchone()[0] == 2


def test_no_transaction_file_is_reported_from_what_it_is(fresh_db: Dsn, tmp_path: Path) -> None:
    sql = ("-- pgrelease: no-transaction\n"
           "create index concurrently t_n on public.t (n);\n"
           "alter table public.t add column c int;\n"
           "drop index concurrently public.t_n;\n"
           "vacuum full public.u;\n")
    with connect(fresh_db) as conn:
        conn.execute(SETUP)
    (migration,) = probe_migrations(fresh_db, [parse_migration(_migration(tmp_path, "20250101000000", sql))])
    assert migration.error is None
    rows = [(s.line, _locks(s), s.in_transaction, [lock.measured for lock in s.locks]) for s in migration.statements]
    assert rows == [
        (2, {(T, SUE, False, True)}, False, [False]),
        (3, {(T, AE, False, False)}, False, [True]),  # runs on its own: measured in a transaction of its own
        (4, {(T, SUE, False, False)}, False, [False]),
        (5, {(U, AE, True, False)}, False, [False]),
    ]
    assert migration.held_until_commit() == []
    with connect(fresh_db) as conn:  # it ran: the index was built and dropped, the column is there
        assert conn.execute("select count(*) from pg_indexes where indexname = 't_n'").fetchone()[0] == 0
        assert conn.execute("select count(*) from information_schema.columns where table_name = 't'"
                            " and column_name = 'c'").fetchone()[0] == 1


def test_a_failing_migration_stops_the_probe(fresh_db: Dsn, tmp_path: Path) -> None:
    with connect(fresh_db) as conn:
        conn.execute(SETUP)
    first = parse_migration(_migration(tmp_path, "20250101000000", "alter table public.t add column c int;\n"
                                                                     "alter table public.nope add column c int;\n"))
    second = parse_migration(_migration(tmp_path, "20250101000001", "alter table public.t add column d int;\n"))
    result = probe_migrations(fresh_db, [first, second])
    assert len(result) == 1
    assert result[0].error is not None and result[0].error.line == 2 and result[0].error.sqlstate == "42P01"
    with connect(fresh_db) as conn:  # rolled back as the real replay would be
        assert conn.execute("select count(*) from information_schema.columns where table_name = 't'"
                            " and column_name = 'c'").fetchone()[0] == 0


# -- policy ------------------------------------------------------------------------------
def _result_with(**lock) -> ImpactResult:
    from pgrelease.pipeline.impact import LockImpact, MigrationImpact, StatementImpact

    defaults = {"relation": "public.events", "mode": AE}
    defaults.update(lock)
    migration = MigrationImpact("1", "m", "supabase/migrations/1_m.sql",
                                statements=[StatementImpact(3, "alter table ...", [LockImpact(**defaults)])])
    return ImpactResult(migrations=[migration], target="postgresql://staging", sizes="size_bytes" in lock)


def test_policy_parsing_and_patterns() -> None:
    policy = ImpactPolicy.from_mapping({"fail_on": ["access exclusive + rewrite", "SHARE+scan"],
                                        "fail_on_rewrite_over_mb": 100})
    assert [str(p) for p in policy.fail_on] == ["ACCESS EXCLUSIVE+rewrite", "SHARE+scan"]
    assert [str(p) for p in ImpactPolicy().warn_on] == ["ACCESS EXCLUSIVE+rewrite"]
    assert LockPattern("SHARE").matches(_result_with(mode="SHARE ROW EXCLUSIVE").migrations[0].statements[0].locks[0])
    assert not LockPattern("SHARE").matches(_result_with(mode=SUE).migrations[0].statements[0].locks[0])
    for bad in ({"fail_on": ["SHARE LOCKS"]}, {"fail_on": "SHARE"}, {"nope": 1}, {"fail_on_rewrite_over_mb": "big"},
                {"fail_on": ["SHARE+vacuum"]}):
        with pytest.raises(UsageError):
            ImpactPolicy.from_mapping(bad)


def test_policy_verdicts() -> None:
    big = 2_300_000_000
    result = _result_with(rewrite=True, size_bytes=big, rows=14_200_000.0)
    (verdict,) = evaluate(result, ImpactPolicy(fail_on_rewrite_over_mb=100))
    assert verdict.level == "error" and verdict.rule == "fail_on_rewrite_over_mb" and verdict.line == 3
    assert verdict.message.startswith("ACCESS EXCLUSIVE + rewrite of public.events (2.1 GB, ~14 M rows): blocks"
                                      " reads and writes")
    (verdict,) = evaluate(_result_with(rewrite=True), ImpactPolicy())
    assert verdict.level == "warning"
    assert evaluate(_result_with(rewrite=True, new=True), ImpactPolicy(fail_on=(LockPattern(AE),))) == []
    assert evaluate(_result_with(mode="SHARE", scan=True, size_bytes=10 * 2**20), ImpactPolicy(fail_on_scan_over_mb=20)) == []
    assert evaluate(_result_with(mode="SHARE", scan=True, size_bytes=30 * 2**20),
                    ImpactPolicy(fail_on_scan_over_mb=20))[0].rule == "fail_on_scan_over_mb"
    no_sizes = _result_with(rewrite=True)
    evaluate(no_sizes, ImpactPolicy(fail_on_rewrite_over_mb=1, warn_on=()))
    assert no_sizes.verdicts == [] and "not checked" in no_sizes.notes[0]


def test_size_words() -> None:
    assert size_text(0) == "0 bytes" and size_text(16384) == "16 kB" and size_text(2_300_000_000) == "2.1 GB"
    assert size_text(150 * 2**20) == "150 MB"
    assert rows_text(14_200_000) == "~14 M rows" and rows_text(12) == "~12 rows" and rows_text(3_200) == "~3.2 k rows"
    assert lock_label({"relation": T, "mode": SUE}) == f"{SUE} on {T}"
    assert lock_label({"relation": T, "mode": "SHARE", "scan": True, "new": True}) == \
        f"SHARE + full scan of {T} (new: not on the target yet)"


# -- against a target ----------------------------------------------------------------------
def test_measure_pending_against_a_target_with_sizes(project, supabase_db: Dsn) -> None:
    """What the target has applied is replayed first; only the pending migrations are probed;
    sizes and row estimates come from the target."""
    from pgrelease.migrations.apply import PushOptions, push
    from pgrelease.migrations.files import discover

    project.add("20250101000000", "events", "create table public.events (id bigint primary key, payload text);\n"
                                           "insert into public.events select g, repeat('x', 200)"
                                           " from generate_series(1, 5000) g;\n")
    push(supabase_db, discover(project.root), PushOptions())
    with connect(supabase_db) as conn:
        conn.execute("analyze public.events")
    project.add("20250102000000", "widen", "alter table public.events alter column id type numeric;\n"
                                          "create table public.later (id int);\n")
    project.add("20250103000000", "later", "alter table public.later add column c int default random();\n")
    result = measure(project.root, supabase_db)
    assert [m.version for m in result.migrations] == ["20250102000000", "20250103000000"]
    (lock,) = [lock for _, lock in result.migrations[0].locks]
    assert (lock.relation, lock.mode, lock.rewrite) == ("public.events", AE, True)
    assert lock.size_bytes and lock.size_bytes > 1_000_000 and lock.rows == 5000
    assert lock.label.startswith("ACCESS EXCLUSIVE + rewrite of public.events (") and "~5 k rows)" in lock.label
    (later,) = [lock for _, lock in result.migrations[1].locks]
    assert later.new and later.rewrite  # created by an earlier pending migration: not on the target yet
    assert [v.level for v in evaluate(result, ImpactPolicy(fail_on_rewrite_over_mb=0.5))] == ["error"]


def test_cli_impact(project, supabase_db: Dsn, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pgrelease.cli import main
    from pgrelease.migrations.apply import PushOptions, push
    from pgrelease.migrations.files import discover

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    project.add("20250101000000", "t", "create table public.t (id int primary key, n int);\n")
    push(supabase_db, discover(project.root), PushOptions())
    project.add("20250102000000", "rewrite", "alter table public.t alter column n type bigint;\n"
                                            "create index t_n on public.t (n);\n")
    runner = CliRunner()
    base = ["impact", "--workdir", str(project.root)]
    text = runner.invoke(main, base)  # no target: every migration, on an empty project
    assert text.exit_code == 0, text.output
    assert "line 1: ACCESS EXCLUSIVE + rewrite of public.t: blocks reads and writes" in text.output
    assert ("line 2: ACCESS EXCLUSIVE + full scan of public.t: blocks reads and writes (held since an earlier"
            " statement)") in text.output  # the index build reads it in full under the lock line 1 took
    assert "[warn] impact policy" in text.output and text.output.rstrip().endswith("impact: OK")
    data = json.loads(runner.invoke(main, [*base, "--format", "json"]).output)
    assert [m["version"] for m in data["impact"]["migrations"]] == ["20250101000000", "20250102000000"]

    url = supabase_db.url(reveal=True)
    data = json.loads(runner.invoke(main, [*base, "--db-url", url, "--format", "json"]).output)
    (migration,) = data["impact"]["migrations"]  # the target has the first one: only the second is pending
    lock = migration["statements"][0]["locks"][0]
    assert (lock["relation"], lock["mode"], lock["rewrite"], lock["size_bytes"] > 0) == ("public.t", AE, True, True)
    assert data["status"] == "ok" and data["checks"][0]["status"] == "warning"

    (project.root / "pgrelease.toml").write_text('[impact]\nfail_on = ["ACCESS EXCLUSIVE+rewrite"]\n')
    failed = runner.invoke(main, [*base, "--db-url", url])
    assert failed.exit_code == 1, failed.output
    assert "[FAIL] impact policy [supabase/migrations/20250102000000_rewrite.sql:1]" in failed.output
    (project.root / "pgrelease.toml").write_text('[impact]\nfail_on = ["ACCESS EXCLUSIVE+rewritten"]\n')
    assert runner.invoke(main, [*base, "--db-url", url]).exit_code == 2


# -- in the gate -------------------------------------------------------------------------------
def test_gate_reports_pending_locks_and_its_policy_blocks_the_push(example_workdir: Path, supabase_db: Dsn) -> None:
    """Staging has the example project; a pull request adds a rewrite of public.posts. The gate
    measures only that migration, on a database of its own (the shadow drift reads is left as
    it is), with the size staging has; the comment shows it; a failing policy blocks the push."""
    import os

    from pgrelease.github.comment import gate_markdown
    from pgrelease.migrations.apply import PushOptions, push
    from pgrelease.migrations.files import discover
    from pgrelease.pipeline.gate import GateOptions, gate
    from pgrelease.pipeline.shadow import ShadowOptions

    push(supabase_db, discover(example_workdir), PushOptions())
    lint_off = '[lint]\ndisable = ["add-column-rewrite", "require-concurrent-index", "schema-version-bump"]\n'
    (example_workdir / "pgrelease.toml").write_text(lint_off)  # lint agrees here; this test is about the impact step
    (example_workdir / "supabase" / "migrations" / "20250301000000_posts_score.sql").write_text(
        "alter table public.posts add column score double precision default random();\n"
        "create index posts_score on public.posts (score);\n")
    options = GateOptions(staging=supabase_db, shadow=ShadowOptions(pg_bin=os.environ.get("PGRELEASE_TEST_PG_BIN")),
                          push_options=PushOptions(lock_wait=10, include_all=True))
    run = gate(example_workdir, options)
    step = run.report.step("impact")
    assert step.status == "warning" and run.report.exit_code == 0  # the default policy warns on a rewrite
    (migration,) = step.data["impact"]["migrations"]
    assert migration["version"] == "20250301000000"
    first = migration["statements"][0]["locks"][0]
    assert (first["relation"], first["mode"], first["rewrite"]) == ("public.posts", AE, True)
    assert first["size_bytes"] > 0  # from staging
    assert run.report.step("drift").status == "ok"  # the probe left the gate's shadow as it was
    markdown = gate_markdown(run.report)
    assert "Locks and rewrites (1 pending migration(s), 1 blocking)" in markdown
    assert "| :warning: | `20250301000000` | 1 | ACCESS EXCLUSIVE + rewrite | `public.posts` |" in markdown
    assert "| 2 | ACCESS EXCLUSIVE + full scan (held) | `public.posts` |" in markdown  # the index build

    (example_workdir / "supabase" / "migrations" / "20250301000000_posts_score.sql").write_text(
        "alter table public.posts add column score2 double precision default random();\n")
    (example_workdir / "pgrelease.toml").write_text(lint_off + '[impact]\nfail_on = ["ACCESS EXCLUSIVE+rewrite"]\n')
    with connect(supabase_db) as conn:  # the first gate pushed it: take it back so it is pending again
        conn.execute("alter table public.posts drop column score; delete from supabase_migrations.schema_migrations"
                     " where version = '20250301000000'")
    run = gate(example_workdir, options)
    assert run.report.step("impact").status == "failed" and run.report.exit_code == 1
    assert run.report.step("push").skipped == "not pushed: impact policy failed"
    (check,) = run.report.step("impact").checks
    assert check.file == "supabase/migrations/20250301000000_posts_score.sql" and check.line == 1
