"""Benchmark: `pgrelease lint` against squawk (PyPI `squawk-cli`), in the same run.

1. Speed: 10,000 statements in 500 generated migration files (a realistic mix: tables,
   columns, indexes, constraints, grants, functions with dollar bodies, comments, data
   fixes). Each tool runs as a whole process, as a user would run it, best of N; pgrelease
   is also timed in-process (the engine without interpreter start-up and imports) and by
   phase (the runner's splitter, pglast, the rules).
2. Agreement: a shared corpus of small migrations, each linted by both; prints where they
   disagree (squawk rule names mapped onto pgrelease rule ids) and why.

squawk is installed into its own venv (default /tmp/pgrelease-bench-squawk, or $SQUAWK to
use a given binary), never into the project's dependencies.

    .venv/bin/python bench/lint.py              # 500 files x 20 statements, best of 5
    .venv/bin/python bench/lint.py 100 10 3     # files, statements per file, repeats
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from pgrelease.lint import LintConfig, Source, lint_example, lint_files  # noqa: E402
from pgrelease.lint.registry import RULES  # noqa: E402

SQUAWK_VENV = Path(os.environ.get("SQUAWK_VENV", "/tmp/pgrelease-bench-squawk"))


# --- the corpus -------------------------------------------------------------------------------

def statement(f: int, j: int) -> str:
    """The j-th statement of file f: a mix of what real migrations hold."""
    t = f"public.t{f}"
    kinds = [
        f"create table if not exists {t}_{j} (id bigint generated always as identity primary key, "
        f"owner uuid not null, title text not null, created_at timestamptz not null default now())",
        f"alter table {t}_{j - 1} enable row level security",
        f"alter table {t}_0 add column c{j} text",
        f"create index if not exists {t.split('.')[1]}_c{j}_idx on {t}_0 (c{j - 1})",
        f"insert into {t}_0 (title, owner) values ('row {j}', gen_random_uuid())",
        f"update {t}_0 set title = 'x' where id = {j}",
        f"comment on table {t}_0 is 'table {f}, statement {j}'",
        f"grant select on {t}_0 to authenticated",
        f"create or replace function public.f{f}_{j}() returns trigger language plpgsql as $$ begin "
        f"new.created_at := now(); return new; end $$",
        f"alter table {t}_0 add constraint {t.split('.')[1]}_{j}_fk foreign key (owner) references public.users (id) "
        f"not valid",
    ]
    return kinds[j % len(kinds)]


def make_corpus(files: int, per_file: int) -> Path:
    root = Path(tempfile.mkdtemp(prefix="pgrelease-lint-bench-"))
    migrations = root / "supabase" / "migrations"
    migrations.mkdir(parents=True)
    for f in range(files):
        body = ";\n".join(statement(f, j) for j in range(per_file)) + ";\n"
        (migrations / f"{20240101000000 + f}_m{f}.sql").write_text(body)
    return root


# --- squawk ----------------------------------------------------------------------------------

def squawk_binary() -> str:
    if os.environ.get("SQUAWK"):
        return os.environ["SQUAWK"]
    binary = SQUAWK_VENV / "bin" / "squawk"
    if not binary.exists():
        print(f"installing squawk-cli into {SQUAWK_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(SQUAWK_VENV)], check=True)
        subprocess.run([str(SQUAWK_VENV / "bin" / "pip"), "install", "-q", "squawk-cli"], check=True)
    return str(binary)


def squawk_version(binary: str) -> str:
    return subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()


# --- timing ----------------------------------------------------------------------------------

def wall(cmd: list[str], repeats: int, cwd: Path) -> tuple[float, float, int]:
    """(best, median) wall seconds of a whole process, and its exit code."""
    times, code = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        code = proc.returncode
    return min(times), statistics.median(times), code


def in_process(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def speed(files: int, per_file: int, repeats: int, squawk: str) -> None:
    root = make_corpus(files, per_file)
    paths = sorted(str(p.relative_to(root)) for p in (root / "supabase" / "migrations").glob("*.sql"))
    n = files * per_file
    python = sys.executable
    runs = {
        "squawk (json)": [squawk, "--reporter", "json", *paths],
        "squawk (tty)": [squawk, *paths],
        "pgrelease lint (json)": [python, "-m", "pgrelease", "lint", "--workdir", ".", "--format", "json"],
        "pgrelease lint (text)": [python, "-m", "pgrelease", "lint", "--workdir", "."],
    }
    print(f"\n== speed: {n:,} statements in {files} files, best of {repeats} (median in brackets); the tools take "
          "turns, so a burst of load on the machine hits both ==")
    times: dict[str, list[float]] = {label: [] for label in runs}
    codes: dict[str, int] = {}
    for _ in range(repeats):
        for label, cmd in runs.items():
            _best, _median, codes[label] = wall(cmd, 1, root)
            times[label].append(_best)
    results = {}
    for label in runs:
        best, median = min(times[label]), statistics.median(times[label])
        results[label] = best
        print(f"  {label:<24} {best:6.3f} s [{median:6.3f}]  {n / best:>9,.0f} statements/s  (exit {codes[label]})")

    sources = [Source.from_text(p, (root / p).read_text()) for p in paths]
    engine = in_process(lambda: lint_files(sources), repeats)
    startup, _, _ = wall([python, "-c", "import pgrelease.cli"], repeats, root)
    bare, _, _ = wall([python, "-c", "pass"], repeats, root)
    print(f"  {'pgrelease engine only':<24} {engine:6.3f} s           {n / engine:>9,.0f} statements/s  "
          "(in-process lint_files, no start-up)")
    print(f"  python start-up {bare:.3f} s; `import pgrelease.cli` (click, psycopg, every command) {startup:.3f} s")
    phases(sources, repeats)

    for a, b in (("pgrelease lint (json)", "squawk (json)"), ("pgrelease lint (text)", "squawk (tty)")):
        print(f"  ratio {a} / {b}: {results[a] / results[b]:.2f}x")
    print(f"  ratio engine only / squawk (json): {engine / results['squawk (json)']:.2f}x")
    shutil.rmtree(root, ignore_errors=True)


def phases(sources: list[Source], repeats: int) -> None:
    """Where the in-process time goes."""
    from pglast.parser import parse_sql_json

    from pgrelease.migrations.classify import file_directive
    from pgrelease.migrations.parse import execution_mode
    from pgrelease.migrations.split import split_sql

    split = in_process(lambda: [split_sql(s.text) for s in sources], repeats)
    statements = [split_sql(s.text) for s in sources]
    mode = in_process(lambda: [execution_mode(st, file_directive(s.text)) for s, st in zip(sources, statements)],
                      repeats)
    joined = [";\n".join(x.sql for x in st) for st in statements]
    parse = in_process(lambda: [json.loads(parse_sql_json(j)) for j in joined], repeats)
    print(f"  phases (each alone, gc on): runner's split_sql {split:.3f} s; runner's execution_mode over every "
          f"statement {mode:.3f} s (the engine asks it only about statements whose node type can refuse a "
          f"transaction); pglast parse_sql_json + json.loads {parse:.3f} s")


# --- agreement -------------------------------------------------------------------------------

# squawk rule -> the pgrelease rule that covers the same ground.
SQUAWK_TO_PGRELEASE = {
    "adding-field-with-default": "add-column-rewrite",
    "adding-foreign-key-constraint": "constraint-not-valid",
    "constraint-missing-not-valid": "constraint-not-valid",
    "adding-not-nullable-field": "set-not-null",
    "adding-required-field": "add-column-not-null",
    "adding-serial-primary-key-field": "unique-using-index",
    "disallowed-unique-constraint": "unique-using-index",
    "ban-char-field": "prefer-text",
    "prefer-text-field": "prefer-text",
    "ban-drop-column": "drop-column",
    "ban-drop-table": "drop-table",
    "ban-truncate-cascade": "truncate",
    "changing-column-type": "alter-column-type",
    "prefer-big-int": "prefer-bigint-pk",
    "prefer-bigint-over-int": "prefer-bigint-pk",
    "prefer-bigint-over-smallint": "prefer-bigint-pk",
    "prefer-identity": "prefer-identity",
    "prefer-robust-stmts": "require-if-not-exists",
    "prefer-timestamptz": "prefer-timestamptz",
    "renaming-column": "rename-column",
    "renaming-table": "rename-table",
    "require-concurrent-index-creation": "require-concurrent-index",
    "ban-concurrent-index-creation-in-transaction": "no-transaction-implicit",
    "transaction-nesting": "transaction-control",
    "ban-uncommitted-transaction": "transaction-control",
    "require-timeout-settings": "require-lock-timeout",
    "require-lock-timeout": "require-lock-timeout",
    "require-statement-timeout": "require-lock-timeout",
    "syntax-error": "syntax-error",
}

# (name, example as for lint_example, why the tools differ when they do)
CASES: list[tuple[str, object, str]] = [
    ("index on a table created in the same file",
     "create table public.t (id bigint primary key);\nalter table public.t enable row level security;\n"
     "create index t_id_idx on public.t (id);",
     "the table is new: nobody writes to it yet, a plain CREATE INDEX locks nothing that matters (squawk#349)"),
    ("index on a table created by an earlier pending migration",
     {"files": {"20240101000000_t.sql": "create table public.t (id bigint primary key);\n"
                                       "alter table public.t enable row level security;",
                "20240102000000_idx.sql": "create index t_id_idx on public.t (id);"}, "pending": True},
     "pgrelease knows the pending set (--db-url / --base): t does not exist in production yet"),
    ("CREATE INDEX CONCURRENTLY in a no-transaction file",
     "-- pgrelease: no-transaction\ncreate index concurrently if not exists i on profiles (email);",
     "pgrelease's runner runs this file outside a transaction, so CONCURRENTLY is right as written"),
    ("CONCURRENTLY next to other statements, no directive",
     "alter table profiles add column nick text;\ncreate index concurrently if not exists i on profiles (nick);",
     "the runner auto-detects and runs the file statement by statement: pgrelease warns that the "
     "file loses atomicity; squawk judges each statement alone"),
    ("plain CREATE TABLE",
     "create table public.t (id bigint primary key);\nalter table public.t enable row level security;",
     "creating a table blocks nobody; timeouts are set by pgrelease push anyway (squawk#673, #678)"),
    ("nullable ADD COLUMN",
     "alter table profiles add column nick text;",
     "instant on any version; pgrelease push sets lock_timeout, and in a transactional file a re-run "
     "needs no IF NOT EXISTS"),
    ("drop a scratch table created in the same file",
     "create temp table scratch (id bigint);\ninsert into scratch values (1);\ndrop table scratch;",
     "the table is new (here temporary): dropping it destroys nothing that existed"),
    ("DELETE without WHERE", "delete from profiles;",
     "additive-only policy: deleting every row of a live table is destructive"),
    ("UPDATE without WHERE", "update profiles set plan = 'free';",
     "additive-only policy: rewrites every row of a live table, old values are gone"),
    ("TRUNCATE", "truncate audit_log;",
     "pgrelease reports any TRUNCATE of an existing table; squawk only TRUNCATE ... CASCADE"),
    ("public table without RLS", "create table public.notes (id bigint primary key);",
     "Supabase serves public tables to the anon key through the Data API"),
    ("SECURITY DEFINER without search_path",
     "create function public.is_admin() returns boolean language sql security definer as "
     "$$ select true $$;",
     "privilege escalation through the caller's search_path"),
    ("GRANT INSERT to anon", "grant insert on public.messages to anon;",
     "anon is anyone holding the public anon key"),
    ("an integer column that is not a key", "alter table profiles add column age integer;",
     "see prefer-bigint-pk below"),
    ("BEGIN / COMMIT in a migration", "begin;\nalter table profiles add column a text;\ncommit;",
     "the runner owns transactions and refuses such a file before running anything"),
    ("DDL inside a function body",
     "create or replace function public.f() returns void language plpgsql set search_path = '' as "
     "$$ begin drop table profiles; alter table x drop column y; end $$;",
     "both read the body as a string"),
    ("ADD COLUMN with a stable default (now())",
     "alter table profiles add column seen_at timestamptz default now();", "now() is stable: instant since PG 11"),
    ("ADD COLUMN with a volatile default",
     "alter table profiles add column token uuid default gen_random_uuid();", "table rewrite"),
    ("ADD COLUMN with an unknown function default",
     "alter table profiles add column score int default public.compute_score();",
     "a user function is VOLATILE unless declared otherwise: pgrelease assumes the rewrite"),
    ("SET NOT NULL after a validated CHECK",
     {"files": {"20240101000000_a.sql": "alter table profiles add constraint nn check (email is not null) not valid;",
                "20240102000000_b.sql": "alter table profiles validate constraint nn;",
                "20240103000000_c.sql": "alter table profiles alter column email set not null;"}},
     "PG 12+ skips the scan when a validated CHECK (col IS NOT NULL) exists; pgrelease tracks it across files"),
    ("VALIDATE in the same transaction as NOT VALID",
     "alter table orders add constraint c check (total >= 0) not valid;\nalter table orders validate constraint c;",
     "the first statement's ACCESS EXCLUSIVE lock is held until commit, so the scan blocks writes anyway"),
    ("varchar(n) column", "alter table profiles add column handle varchar(32);", "same advice"),
    ("json column", "alter table profiles add column meta json;", "pgrelease prefers jsonb"),
    ("serial primary key",
     "create table public.t (id serial primary key);\nalter table public.t enable row level security;",
     "same advice (identity, bigint)"),
    ("syntax error", "alter table profiles add colum nick text;", "both parse with PostgreSQL's grammar"),
    ("rename a column of a new table",
     "create table public.t (a int);\nalter table public.t enable row level security;\n"
     "alter table public.t rename column a to b;",
     "the table is new: no deployed code uses the old name"),
    ("change a column type of a new table",
     "create table public.t (a int);\nalter table public.t enable row level security;\n"
     "alter table public.t alter column a type bigint;",
     "the table is new: the rewrite is of an empty table"),
    ("VACUUM FULL", "vacuum full profiles;", "rewrites the table under ACCESS EXCLUSIVE"),
    ("LOCK TABLE", "lock table profiles in access exclusive mode;", "queues every other session"),
    ("DROP VIEW then CREATE VIEW in one transaction",
     "drop view active_users;\ncreate view active_users as select id from profiles;",
     "an atomic replace: nobody sees the view missing"),
]


# Differences that come from how each tool sees the runner, not from the case itself.
SYSTEMIC = {
    "require-lock-timeout": "squawk asks every file for lock/statement timeouts; pgrelease push sets "
                            "lock_timeout on every migration it runs, so pgrelease's rule is opt-in (squawk#678, #1231)",
    "require-if-not-exists": "squawk asks for IF NOT EXISTS everywhere; pgrelease only where the runner runs the "
                             "file outside a transaction - elsewhere a failed migration rolls back and re-runs cleanly",
    "prefer-bigint-pk": "squawk prefers bigint for every integer column; pgrelease only for primary keys (the ones "
                        "that run out and are costly to widen)",
}


def agreement(squawk: str) -> None:
    print("\n== agreement on the shared corpus (pgrelease defaults vs squawk defaults) ==")
    root = Path(tempfile.mkdtemp(prefix="pgrelease-lint-cases-"))
    config = LintConfig()
    disagreements = 0
    agreed: list[str] = []
    systemic: dict[str, int] = {}
    for i, (name, example, why) in enumerate(CASES):
        case = root / f"case{i:02d}"
        files = {"20240101000000_case.sql": example} if isinstance(example, str) else example["files"]
        paths = []
        for file_name, sql in files.items():
            path = case / "supabase" / "migrations" / file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(sql + "\n")
            paths.append(str(path))
        proc = subprocess.run([squawk, "--reporter", "json", *paths], capture_output=True, text=True)
        try:
            raw = json.loads(proc.stdout or "[]")
        except json.JSONDecodeError:
            raw = [{"rule_name": "?unreadable-output"}]
        squawk_rules = sorted({v.get("rule_name", "?") for v in raw})
        mapped = {SQUAWK_TO_PGRELEASE.get(r, f"({r})") for r in squawk_rules}
        ours = {f.rule for f in lint_example(example, config=config).findings}
        for rule in SYSTEMIC:
            if rule in mapped and rule not in ours:
                systemic[rule] = systemic.get(rule, 0) + 1
                mapped.discard(rule)
        if mapped == ours:
            agreed.append(name)
            continue
        disagreements += 1
        only_squawk = sorted(r for r in squawk_rules if SQUAWK_TO_PGRELEASE.get(r, f"({r})") in mapped - ours)
        print(f"- {name}")
        print(f"    only squawk:    {', '.join(only_squawk) or '-'}")
        print(f"    only pgrelease: {', '.join(sorted(ours - mapped)) or '-'}")
        print(f"    why: {why}")
    print(f"  {len(CASES)} cases: same verdict on {len(agreed)} ({'; '.join(agreed)}), different on {disagreements}")
    for rule, count in systemic.items():
        print(f"  + on {count} cases squawk also reported {rule} (mapped) where pgrelease does not: {SYSTEMIC[rule]}")
    shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> None:
    files = int(argv[0]) if argv else 500
    per_file = int(argv[1]) if len(argv) > 1 else 20
    repeats = int(argv[2]) if len(argv) > 2 else 5
    squawk = squawk_binary()
    print(f"pgrelease lint ({len(RULES)} rules) vs {squawk_version(squawk)}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    speed(files, per_file, repeats, squawk)
    agreement(squawk)


if __name__ == "__main__":
    main(sys.argv[1:])
