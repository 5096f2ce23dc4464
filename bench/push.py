"""Benchmark: apply N generated migrations with pgrelease push, supabase db push and psql -1 -f.

Each tool gets a fresh database on one server started for the run (embedded PostgreSQL by
default, PGRELEASE_PG_BIN for another installation), so the figures are comparable.

    .venv/bin/python bench/push.py              # N = 300 and 1000
    .venv/bin/python bench/push.py 100 500      # other sizes
    BENCH_REPEAT=5 .venv/bin/python bench/push.py
    BENCH_SKIP_SUPABASE=1 .venv/bin/python bench/push.py      # pgrelease and psql only
    BENCH_BASELINE=/tmp/old/src .venv/bin/python bench/push.py   # also time another tree

Prints the best of BENCH_REPEAT runs (default 3; each on a fresh database) per tool, and
the ratios pgrelease/psql and pgrelease/supabase. The tools take turns within each round,
in an order that rotates from round to round, so a burst of load from elsewhere (and the
after-effects of the tool before) hit all of them alike; compare ratios from one run, not
figures from different runs. BENCH_BASELINE (the src/ directory of another checkout, e.g.
`git archive HEAD~5 src | tar -x -C /tmp/old`) adds that tree's `pgrelease push` as a
column, measured in the same rounds: before/after figures of a change from one run.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from pgrelease.db.connect import connect  # noqa: E402
from pgrelease.db.embedded import EmbeddedServer, find_binaries  # noqa: E402


def migration_sql(i: int) -> str:
    return f"""-- generated migration {i}
create table public.item_{i} (
  id bigint generated always as identity primary key,
  owner uuid not null,
  title text not null,
  body text,
  created_at timestamptz not null default now()
);
create index item_{i}_owner_idx on public.item_{i} (owner);
alter table public.item_{i} enable row level security;
create policy "owner reads {i}" on public.item_{i} for select using (owner = current_setting('app.uid', true)::uuid);
create or replace function public.item_{i}_touch() returns trigger language plpgsql as $$
begin
  new.created_at := coalesce(new.created_at, now());
  return new;
end;
$$;
create trigger item_{i}_touch before insert on public.item_{i} for each row execute function public.item_{i}_touch();
comment on table public.item_{i} is 'generated; table {i}';
"""


def make_project(n: int) -> Path:
    root = Path(tempfile.mkdtemp(prefix=f"pgrelease-bench-{n}-"))
    mig = root / "supabase" / "migrations"
    mig.mkdir(parents=True)
    for i in range(n):
        (mig / f"{20240101000000 + i}_item_{i}.sql").write_text(migration_sql(i))
    (root / "all.sql").write_text("".join(migration_sql(i) for i in range(n)))
    return root


def fresh(server_dsn, name):
    with connect(server_dsn) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    return server_dsn.with_dbname(name)


CPU: dict[str, float] = {}  # tool -> least client CPU seconds (user + system) of one run


def timed(argv, env=None, tool: str | None = None) -> float:
    """Wall seconds of one run; the client's CPU seconds go to CPU[tool] (the least seen)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({proc.returncode}): {(proc.stdout + proc.stderr)[-800:]}")
    if tool:
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU[tool] = min(CPU.get(tool, cpu), cpu)
    return elapsed


def count_history(dsn) -> int:
    with connect(dsn) as conn:
        return conn.execute("select count(*) from supabase_migrations.schema_migrations").fetchone()[0]


def main(sizes: list[int]) -> None:
    supabase = REPO / "node_modules" / ".bin" / "supabase"
    psql = shutil.which("psql") or str(find_binaries().bin_dir / "psql")
    with EmbeddedServer() as server:
        dsn = server.dsn
        version = server.binaries.major if server.binaries else "?"
        print(f"server: PostgreSQL {version}; psql: {psql}; supabase CLI: {'yes' if supabase.exists() else 'missing'}")
        print(f"best of {os.environ.get('BENCH_REPEAT', '3')} runs per tool")
        baseline = os.environ.get("BENCH_BASELINE")
        head = f"{'N':>6} {'pgrelease':>10} {'psql -1':>10} {'supabase':>10} {'pgr/psql':>9} {'pgr/supa':>9}"
        print(head + (f" {'baseline':>10} {'base/psql':>9}" if baseline else ""))
        repeat = int(os.environ.get("BENCH_REPEAT", "3"))
        skip_supabase = os.environ.get("BENCH_SKIP_SUPABASE") == "1"
        for n in sizes:
            project = make_project(n)
            best: dict[str, float] = {}

            def run_pgrelease(tool: str, **extra_env: str) -> None:
                target = fresh(dsn, f"bench_{tool}_{n}")
                env = dict(os.environ, PGRELEASE_DB_URL=target.url(reveal=True), **extra_env)
                seconds = timed([sys.executable, "-m", "pgrelease", "push", "--workdir", str(project), "-q"], env, tool)
                assert count_history(target) == n
                best[tool] = min(best.get(tool, seconds), seconds)

            def run_psql() -> None:
                target = fresh(dsn, f"bench_psql_{n}")
                seconds = timed([psql, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", str(project / "all.sql"),
                                 target.url(reveal=True)], tool="psql")
                best["psql"] = min(best.get("psql", seconds), seconds)

            def run_supabase() -> None:
                target = fresh(dsn, f"bench_supa_{n}")
                seconds = timed([str(supabase), "db", "push", "--yes", f"--remote={target.url(reveal=True)}",
                                 "--workdir", str(project)], tool="supabase")
                assert count_history(target) == n
                best["supabase"] = min(best.get("supabase", seconds), seconds)

            runs = [lambda: run_pgrelease("pgrelease"), run_psql]
            if baseline:
                runs.append(lambda: run_pgrelease("baseline", PYTHONPATH=baseline))
            if supabase.exists() and not skip_supabase:
                runs.append(run_supabase)
            for round_ in range(repeat):  # tools take turns, the order rotating each round, so a burst
                for run in runs[round_ % len(runs):] + runs[:round_ % len(runs)]:  # of load hits all alike
                    run()
            inf = float("inf")
            t_pgr, t_psql = best["pgrelease"], best["psql"]
            t_supa, t_base = best.get("supabase", inf), best.get("baseline", inf)
            has_supa = t_supa != float("inf")
            supa_txt = f"{t_supa:>9.2f}s" if has_supa else f"{'n/a':>10}"
            ratio_supa = f"{t_pgr / t_supa:>9.2f}" if has_supa else f"{'n/a':>9}"
            line = f"{n:>6} {t_pgr:>9.2f}s {t_psql:>9.2f}s {supa_txt} {t_pgr / t_psql:>9.2f} {ratio_supa}"
            if baseline:
                line += f" {t_base:>9.2f}s {t_base / t_psql:>9.2f}"
            print(line, flush=True)
            print(f"{'':>6} client CPU (user + system, least of the runs): "
                  + ", ".join(f"{tool} {seconds:.2f}s" for tool, seconds in CPU.items()), flush=True)
            CPU.clear()
            shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [300, 1000])
