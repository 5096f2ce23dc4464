"""Fixtures for the operations checks: a real redis-server, a local HTTP server, and a
database holding the application tables the runbook names (bot_config, audit_log)."""

from __future__ import annotations

import os

import json
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn

APP_TABLES = """
create table bot_config (
  id bigint generated always as identity primary key,
  config_key text not null,
  environment text check (environment in ('staging', 'production')),
  config_value jsonb not null default '{}'::jsonb,
  unique (config_key, environment)
);
create table audit_log (
  id bigint generated always as identity,
  actor text,
  action text,
  target text,
  details jsonb,
  created_at timestamptz default now()
);
"""


_HELD: list[socket.socket] = []


def free_port() -> int:
    """A port where nothing listens, for as long as the test session runs: it stays bound
    (never listening) by this process, so connecting to it is refused and no other process,
    another xdist worker's server included, can take it meanwhile."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _HELD.append(sock)
    return sock.getsockname()[1]


def _server_port() -> int:
    """A port for a server of the suite's own to bind; it may be taken before the server binds
    it, so the caller retries on a server that exits at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def execute(dsn: Dsn, sql: str, params: object = None) -> list[tuple]:
    with connect(dsn) as conn:
        cur = conn.execute(sql, params)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


@pytest.fixture
def app_db(fresh_db: Dsn) -> Dsn:
    """A fresh database with bot_config and audit_log as the example project has them."""
    with connect(fresh_db) as conn:
        conn.execute(APP_TABLES)
    return fresh_db


ACME_MIGRATIONS = ("20250106090000_baseline.sql", "20250106090500_audit_log.sql")


@pytest.fixture
def acme_db(fresh_db: Dsn) -> Dsn:
    """A fresh database with the Supabase baseline and the example project's bot_config
    and audit_log migrations (examples/acme), exactly as written there."""
    from pgrelease.db.baseline import apply_supabase_baseline

    from tests.conftest import EXAMPLES

    migrations = EXAMPLES / "acme" / "supabase" / "migrations"
    if not all((migrations / name).is_file() for name in ACME_MIGRATIONS):
        pytest.skip("examples/acme migrations not present")
    with connect(fresh_db) as conn:
        apply_supabase_baseline(conn)
        for name in ACME_MIGRATIONS:
            with conn.transaction():
                conn.execute((migrations / name).read_text())
    return fresh_db


# -- redis ----------------------------------------------------------------------------
@dataclass
class RedisServer:
    host: str
    port: int
    password: str
    process: subprocess.Popen
    workdir: str

    def url(self, password: str | None = "default", *, user: str | None = None, db: int = 0) -> str:
        secret = self.password if password == "default" else password
        auth = ""
        if user or secret is not None:
            auth = f"{user or ''}" + (f":{secret}" if secret is not None else "") + "@"
        return f"redis://{auth}{self.host}:{self.port}/{db}"

    def admin(self):  # noqa: ANN201 - redis.Redis
        import redis

        return redis.Redis(host=self.host, port=self.port, password=self.password, decode_responses=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):  # CI installs it (scripts/test.sh): a missing server is a failure there
            pytest.fail("redis-server is not installed; scripts/test.sh should have installed it")
        pytest.skip("redis-server is not installed (Debian: apt-get install -y redis-server)")
    password = secrets.token_urlsafe(18)
    workdir = tempfile.mkdtemp(prefix="pgrelease-redis-")
    for attempt in range(5):  # the port may be taken before redis-server binds it: pick another
        port = _server_port()
        log = open(os.path.join(workdir, f"log-{attempt}"), "wb")  # noqa: SIM115 - the server's, closed below
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", password, "--save", "",
             "--appendonly", "no", "--dir", workdir, "--daemonize", "no", "--maxmemory", "64mb",
             "--loglevel", "warning"],
            stdout=log, stderr=subprocess.STDOUT,  # redis-server logs to stdout
        )
        log.close()
        server = RedisServer("127.0.0.1", port, password, process, workdir)
        if _wait_for_redis(server):
            break
        process.kill()
        process.wait()
        with open(os.path.join(workdir, f"log-{attempt}"), encoding="utf-8", errors="replace") as fh:
            err = fh.read()
        if "in use" not in err or attempt == 4:
            pytest.fail(f"redis-server did not start: {err.strip()[-300:]}")
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for_redis(server: RedisServer) -> bool:
    """True once the server answers PING; False when it exited or did not answer in 15 s."""
    import redis

    client = redis.Redis(host=server.host, port=server.port, password=server.password,
                         socket_timeout=1, socket_connect_timeout=1)
    deadline = time.monotonic() + 15
    while server.process.poll() is None and time.monotonic() < deadline:
        try:
            if client.ping():
                return server.process.poll() is None  # our server answered, not whoever held the port
        except Exception:
            time.sleep(0.05)
    return False


@pytest.fixture
def redis_clean(redis_server: RedisServer) -> RedisServer:
    """The session's redis-server, emptied, with only the default user."""
    admin = redis_server.admin()
    admin.flushall()
    for user in admin.acl_users():
        if user != "default":
            admin.acl_deluser(user)
    return redis_server


# -- http -----------------------------------------------------------------------------
@dataclass
class HttpServer:
    base: str
    hits: dict[str, int] = field(default_factory=dict)
    auth_headers: list[str | None] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def http_server() -> Iterator[HttpServer]:
    """Routes: /ok, /plain, /fail (500), /slow (sleeps 3s), /badjson, /degraded, /down
    (JSON status "fail"), /flaky (503 once, then 200), /notfound (404)."""
    state = HttpServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _send(self, code: int, body: str, ctype: str = "application/json") -> None:
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            state.hits[path] = state.hits.get(path, 0) + 1
            state.auth_headers.append(self.headers.get("Authorization"))
            if path == "/ok":
                self._send(200, json.dumps({"status": "ok", "version": "1.2.3"}))
            elif path == "/plain":
                self._send(200, "OK", "text/plain")
            elif path == "/fail":
                self._send(500, json.dumps({"status": "error"}))
            elif path == "/slow":
                time.sleep(3)
                self._send(200, json.dumps({"status": "ok"}))
            elif path == "/badjson":
                self._send(200, "{not json", "application/json")
            elif path == "/degraded":
                self._send(200, json.dumps({"status": "degraded"}))
            elif path == "/down":
                self._send(200, json.dumps({"status": "fail"}))
            elif path == "/flaky":
                if state.hits[path] == 1:
                    self._send(503, "busy", "text/plain")
                else:
                    self._send(200, json.dumps({"status": "pass"}))
            else:
                self._send(404, "no such route", "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
