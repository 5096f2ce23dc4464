"""Small helpers for building throwaway projects in tests."""

from __future__ import annotations

import uuid
from pathlib import Path


def create_database(server_dsn, prefix: str = "t"):  # noqa: ANN001, ANN201 - Dsn in, Dsn out
    """A new, empty database on the test server (the caller drops it with drop_database)."""
    from pgrelease.db.connect import connect

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with connect(server_dsn) as conn:
        conn.execute(f'create database "{name}"')
    return server_dsn.with_dbname(name)


def drop_database(server_dsn, dsn) -> None:  # noqa: ANN001
    from pgrelease.db.connect import connect

    with connect(server_dsn) as conn:
        conn.execute(f'drop database if exists "{dsn.dbname}" with (force)')


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.migrations = root / "supabase" / "migrations"
        self.migrations.mkdir(parents=True, exist_ok=True)

    def add(self, version: str, name: str, sql: str) -> Path:
        path = self.migrations / f"{version}_{name}.sql"
        path.write_text(sql)
        return path

    def write(self, relpath: str, text: str) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


def canary_login(dsn, password: str, prefix: str = "canary", settings: dict[str, str] | None = None):  # noqa: ANN001, ANN201
    """A login role whose password is a canary (so a test can grep every output for it), acting
    as the server's own superuser: hosted Supabase runs migrations as ``postgres``, whose
    default privileges the baseline sets, so objects come out owned as on a hosted project.
    ``settings`` are set on the role (``app.db_url`` = a URL...), so the server can echo them
    in any database the role logs in to. Yields the Dsn that logs in as it (Dsn in, context
    manager out); the role is dropped afterwards."""
    from contextlib import contextmanager
    from dataclasses import replace

    from pgrelease.db.connect import connect

    @contextmanager
    def login():  # noqa: ANN202
        role = f"{prefix}_{dsn.dbname}"
        with connect(dsn) as conn:
            conn.execute(f"create role {role} login superuser password '{password}'")
            conn.execute(f"alter role {role} set role = '{dsn.user}'")
            for name, value in (settings or {}).items():
                conn.execute(f"alter role {role} set {name} = '{value}'")
        try:
            yield replace(dsn, user=role).with_password(password)
        finally:
            with connect(dsn) as conn:
                conn.execute(f"select pg_terminate_backend(pid) from pg_stat_activity where usename = '{role}'")
                conn.execute(f"drop role {role}")

    return login()


def echo_health_endpoint():  # noqa: ANN201 - a context manager yielding the port
    """An HTTP health endpoint on 127.0.0.1 whose reply echoes the request: ``status`` is
    ``ok <path> <Authorization header>`` (not a healthy word, so the check quotes it; the path
    first, so a reply cut short cuts a secret in two), plus ``auth`` and ``path``. Yields its port."""
    import http.server
    import json
    import threading
    from contextlib import contextmanager

    class Echo(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            auth = self.headers.get("Authorization")
            body = json.dumps({"status": f"ok {self.path} {auth}", "auth": auth, "path": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # noqa: ANN002
            pass

    @contextmanager
    def serve():  # noqa: ANN202
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()

    return serve()
