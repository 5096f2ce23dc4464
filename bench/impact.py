"""Benchmark: how long does a migration stall the application when a long transaction
holds a lock it needs?

On one embedded server, for each tool in turn: an "application" reads ``public.t`` every 10 ms
on its own connection and records every query's latency; a "report" transaction takes a
SHARE lock on ``public.t`` and holds it for BLOCK seconds (default 8); 0.5 s later the tool
applies ``alter table public.t add column n int`` (which needs ACCESS EXCLUSIVE). The
ALTER queues behind the report, and every application query queues behind the ALTER
for as long as the tool lets it wait. Printed per tool: the worst application query, the
total time queries spent stalled (latency over 50 ms), whether the migration applied, how
long it took, and whether the tool's output named the blocking session.

    .venv/bin/python bench/impact.py            # pgrelease push, psql, supabase db push
    BLOCK=4 LOCK_TIMEOUT=200ms .venv/bin/python bench/impact.py

A second scenario follows: the blocker is a session left *idle in transaction* (it read
``public.t`` and never committed, as a crashed worker or a forgotten console does; it would
hold its lock for IDLE seconds, default 30). ``pgrelease push`` runs once as is (it retries
within a budget of RETRY_BUDGET seconds, default 10, then gives up naming the session) and
once with ``--cancel-blockers-after CANCEL_AFTER`` (default 2s), which ends the session once
it has been idle that long; psql and ``supabase db push`` wait for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "src"))

import psycopg  # noqa: E402

from push import fresh  # noqa: E402

from pgrelease.db.embedded import EmbeddedServer  # noqa: E402

BLOCK = float(os.environ.get("BLOCK", "8"))
LOCK_TIMEOUT = os.environ.get("LOCK_TIMEOUT")  # pgrelease's --lock-timeout (default: its own default)
MIGRATION = "alter table public.t add column n int;\n"
STALL_MS = 50.0


def app_load(dsn, stop: threading.Event, latencies: list[float]) -> None:
    with psycopg.connect(dsn.conninfo(), autocommit=True, application_name="app") as conn:
        while not stop.is_set():
            started = time.perf_counter()
            conn.execute("select count(*) from public.t where id < 10").fetchone()
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.01)


IDLE = float(os.environ.get("IDLE", "30"))
RETRY_BUDGET = os.environ.get("RETRY_BUDGET", "10")
CANCEL_AFTER = os.environ.get("CANCEL_AFTER", "2s")


def report_lock(dsn, seconds: float, holding: threading.Event) -> None:
    with psycopg.connect(dsn.conninfo(), application_name="nightly-report") as conn:
        conn.execute("lock table public.t in share mode")
        holding.set()
        time.sleep(seconds)
        conn.commit()


def idle_session(dsn, seconds: float, holding: threading.Event) -> None:
    """A session that read public.t and then sat idle in transaction (until ended, or ``seconds``)."""
    with psycopg.connect(dsn.conninfo(), application_name="forgotten-console") as conn:
        conn.execute("select count(*) from public.t")  # ACCESS SHARE, held while the transaction is open
        holding.set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if conn.closed or conn.broken:
                return
        try:
            conn.commit()
        except psycopg.Error:
            pass  # it was terminated: its transaction was rolled back by the server


def scenario(server, name: str, run_tool, blocker=None) -> dict:
    dsn = fresh(server, f"impact_{name.split()[0]}")
    with psycopg.connect(dsn.conninfo(), autocommit=True) as conn:
        conn.execute("create table public.t (id int primary key); insert into public.t select generate_series(1, 1000)")
    project = Path(tempfile.mkdtemp(prefix="pgrelease-impact-"))
    (project / "supabase" / "migrations").mkdir(parents=True)
    (project / "supabase" / "migrations" / "20240101000000_add_n.sql").write_text(MIGRATION)
    stop, holding, latencies = threading.Event(), threading.Event(), []
    app = threading.Thread(target=app_load, args=(dsn, stop, latencies))
    report = threading.Thread(target=blocker or report_lock, args=(dsn, IDLE if blocker else BLOCK, holding))
    app.start()
    time.sleep(0.3)
    report.start()
    holding.wait(10)
    time.sleep(0.5)
    started = time.perf_counter()
    output = run_tool(dsn, project)
    took = time.perf_counter() - started
    report.join()
    time.sleep(0.3)
    stop.set()
    app.join()
    with psycopg.connect(dsn.conninfo(), autocommit=True) as conn:
        applied = conn.execute("select count(*) from pg_attribute where attrelid = 'public.t'::regclass"
                               " and attname = 'n'").fetchone()[0] == 1
    shutil.rmtree(project, ignore_errors=True)
    stalls = [ms for ms in latencies if ms > STALL_MS]
    return {"tool": name, "worst_ms": max(latencies), "stalled_ms": sum(stalls), "applied": applied,
            "took_s": took, "named": "nightly-report" in output or "forgotten-console" in output,
            "terminated": "terminated the blocking session" in output}


def main() -> None:
    server = EmbeddedServer(bin_dir=os.environ.get("PGRELEASE_PG_BIN"))
    server_dsn = server.start()
    supabase = REPO / "node_modules" / ".bin" / "supabase"
    psql = shutil.which("psql")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGRELEASE_")}

    def pgrelease(dsn, project, *extra: str):
        proc = subprocess.run([sys.executable, "-m", "pgrelease", "push", "--workdir", str(project),
                               "--db-url", dsn.url(reveal=True), "--format", "text",
                               *(["--lock-timeout", LOCK_TIMEOUT] if LOCK_TIMEOUT else []), *extra],
                              capture_output=True, text=True, env=env)
        return proc.stdout + proc.stderr

    def pgrelease_budget(dsn, project):
        return pgrelease(dsn, project, "--lock-retry-budget", RETRY_BUDGET)

    def pgrelease_cancel(dsn, project):
        return pgrelease(dsn, project, "--lock-retry-budget", RETRY_BUDGET, "--cancel-blockers-after", CANCEL_AFTER)

    def run_psql(dsn, project):
        proc = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f",
                               str(next((project / "supabase" / "migrations").glob("*.sql"))),
                               dsn.with_password(None).url()], capture_output=True, text=True,
                              env={**env, "PGPASSWORD": dsn.password or ""})
        return proc.stdout + proc.stderr

    def run_supabase(dsn, project):
        proc = subprocess.run([str(supabase), "db", "push", "--yes", f"--db-url={dsn.url(reveal=True)}"],
                              cwd=project, capture_output=True, text=True, env=env)
        return proc.stdout + proc.stderr

    tools = [("pgrelease push", pgrelease)]
    if psql:
        tools.append(("psql -f", run_psql))
    if supabase.exists():
        tools.append(("supabase db push", run_supabase))
    which = os.environ.get("SCENARIOS", "share,idle").split(",")
    try:
        if "share" in which:
            print(f"a SHARE lock held {BLOCK:g} s on public.t; the application reads it every 10 ms;"
                  f" migration: {MIGRATION.strip()}")
            _table(server_dsn, tools)
        if "idle" in which:
            idle_tools = [(f"pgrelease push (budget {RETRY_BUDGET}s)", pgrelease_budget),
                          (f"pgrelease push --cancel-blockers-after {CANCEL_AFTER}", pgrelease_cancel), *tools[1:]]
            print(f"\na session idle in transaction holds ACCESS SHARE on public.t (for {IDLE:g} s unless ended);"
                  f" migration: {MIGRATION.strip()}")
            _table(server_dsn, idle_tools, blocker=idle_session)
    finally:
        server.stop()


def _table(server_dsn, tools, blocker=None) -> None:
    print(f"{'tool':<44} {'worst stall':>12} {'stalled in all':>15} {'applied':>8} {'took':>7}  blocker named"
          + ("  terminated" if blocker else ""))
    for name, run in tools:
        r = scenario(server_dsn, name, run, blocker)
        print(f"{r['tool']:<44} {r['worst_ms']:>10.0f}ms {r['stalled_ms']:>13.0f}ms {str(r['applied']):>8}"
              f" {r['took_s']:>6.1f}s  {'yes' if r['named'] else 'no':<13}"
              + (f"  {'yes' if r['terminated'] else 'no'}" if blocker else ""), flush=True)


if __name__ == "__main__":
    main()
