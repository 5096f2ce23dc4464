"""Who blocks a migration: while a push retries a migration that hit ``lock_timeout``, a
second connection watches ``pg_blocking_pids`` of the push's session, so each attempt can
name the session it waited for (pid, user, application, client, state, how long its
transaction has run, the start of its query) and the final error can say which session to
wait for or end."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import psycopg

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..db.sqlfiles import load_sql
from ..secrets import scrub

_SQL = "pgrelease.migrations"


@dataclass(frozen=True)
class Blocker:
    pid: int
    user: str | None
    application: str | None
    client: str | None
    state: str | None
    xact_seconds: int | None
    query: str | None

    def describe(self) -> str:
        parts = [f"pid {self.pid}"]
        if self.user:
            parts.append(f"user {self.user}")
        if self.application:
            parts.append(f"application '{self.application}'")
        if self.client:
            parts.append(f"from {self.client}")
        if self.state:
            parts.append(self.state + (f" for {self.xact_seconds}s" if self.xact_seconds is not None else ""))
        text = ", ".join(parts)
        if self.query:
            text += f": {self.query}"
        return scrub(text)


class BlockerWatch:
    """Polls, on its own connection, which sessions block ``pid``; ``take()`` returns those
    seen since the last call. Started only once a migration has hit a lock timeout."""

    def __init__(self, dsn: Dsn, pid: int, connect_options: ConnectOptions | None = None,
                 interval: float = 0.05) -> None:
        self.dsn, self.pid, self.interval = dsn, pid, interval
        self.connect_options = connect_options
        self._seen: dict[int, Blocker] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "BlockerWatch":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pgrelease-blockers", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        try:
            with connect(self.dsn, self.connect_options) as conn:
                conn.execute("set application_name = 'pgrelease (lock watch)'")
                query = load_sql(_SQL, "blockers")
                while not self._stop.wait(self.interval):
                    rows = conn.execute(query, {"pid": self.pid}).fetchall()
                    with self._lock:
                        for row in rows:
                            self._seen[row[0]] = Blocker(*row)
        except (psycopg.Error, Exception):  # noqa: BLE001 - watching is best effort; the push goes on
            return

    def take(self) -> list[Blocker]:
        with self._lock:
            seen, self._seen = list(self._seen.values()), {}
        return seen

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
