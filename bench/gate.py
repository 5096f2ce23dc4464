"""Benchmark: the whole PR gate (`pgrelease gate`) on examples/acme and on N generated
migrations, against staging databases on one embedded server, with the time of each step.

    .venv/bin/python bench/gate.py              # examples/acme, then N = 300
    .venv/bin/python bench/gate.py 100 1000     # other sizes
    BENCH_REPEAT=5 .venv/bin/python bench/gate.py

Each run gets a fresh staging database with the Supabase baseline and an empty history, so
every migration is linted, replayed on the embedded shadow, pushed to staging, verified and
diffed. The gate runs as a whole process (`pgrelease gate --format json --no-publish`), as
in CI; the figures are the best of BENCH_REPEAT runs (default 3) by wall time, and the
steps of that run. For the same migrations, `psql -1 -f` of the concatenated files on a
fresh database is timed too: the floor for applying them once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from push import fresh, make_project  # noqa: E402

from pgrelease.db.baseline import apply_supabase_baseline  # noqa: E402
from pgrelease.db.connect import connect  # noqa: E402
from pgrelease.db.embedded import EmbeddedServer, find_binaries  # noqa: E402

EXAMPLE = BENCH.parent / "examples" / "acme"
PGRELEASE = [sys.executable, "-m", "pgrelease"]


def staging(server, name):
    dsn = fresh(server, name)
    with connect(dsn) as conn:
        apply_supabase_baseline(conn)
    return dsn


def run_gate(workdir: Path, dsn) -> tuple[float, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PGRELEASE_"))}
    env["PGRELEASE_DB_URL"] = dsn.url(reveal=True)
    started = time.perf_counter()
    proc = subprocess.run([*PGRELEASE, "gate", "--workdir", str(workdir), "--format", "json", "--no-publish"],
                          capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    report = json.loads(proc.stdout)
    if proc.returncode != 0:
        failed = [(s["name"], s.get("summary")) for s in report["steps"] if s["status"] == "failed"]
        raise SystemExit(f"gate failed ({proc.returncode}): {failed}")
    return elapsed, report


def psql_floor(server, workdir: Path) -> float | None:
    psql = shutil.which("psql")
    if not psql or not (workdir / "all.sql").exists():
        return None
    dsn = staging(server, "bench_psql")
    env = {**os.environ, "PGPASSWORD": dsn.password or ""}
    url = dsn.with_password(None).url()
    started = time.perf_counter()
    subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", str(workdir / "all.sql"), url],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def bench(server, label: str, workdir: Path, repeat: int) -> None:
    runs = []
    for i in range(repeat):
        runs.append(run_gate(workdir, staging(server, f"bench_gate_{i}")))
    best, report = min(runs, key=lambda r: r[0])
    steps = {s["name"]: s for s in report["steps"]}
    total = sum(1 for m in steps["push"].get("migrations", ()) if m["status"] == "applied")
    print(f"\n{label}: {total} migrations pushed; gate best of {repeat}: {best:.2f} s"
          f" (all runs: {', '.join(f'{t:.2f}' for t, _ in runs)})")
    for name, step in steps.items():
        took = step.get("duration_ms")
        shown = f"{took / 1000:7.2f} s" if took is not None else "      - "
        print(f"  {name:<8} {shown}  {step['status']:<8} {step.get('summary', '')}")
    floor = psql_floor(server, workdir)
    if floor is not None:
        print(f"  psql -1 -f of the same migrations (one apply, no checks): {floor:.2f} s;"
              f" gate / psql = {best / floor:.1f}")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [300]
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    binaries = find_binaries(os.environ.get("PGRELEASE_PG_BIN"))
    print(f"server: PostgreSQL {binaries.major} ({binaries.source}); {os.cpu_count()} cores; best of {repeat}")
    server = EmbeddedServer(bin_dir=os.environ.get("PGRELEASE_PG_BIN"))
    dsn = server.start()
    try:
        bench(dsn, "examples/acme", EXAMPLE, repeat)
        for n in sizes:
            project = make_project(n)
            try:
                bench(dsn, f"{n} generated migrations", project, repeat)
            finally:
                shutil.rmtree(project, ignore_errors=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
