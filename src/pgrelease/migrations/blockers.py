"""Who blocks a migration: while a push retries a migration that hit ``lock_timeout``, a
second connection watches ``pg_blocking_pids`` of the push's session, so each attempt can
name the session it waited for (pid, user, application, client, state, how long its
transaction has run, the start of its query) and the final error can say which session to
wait for or end.

With ``cancel_after`` (``--cancel-blockers-after``), a blocking session that has been idle in
transaction at least that many seconds is ended with ``pg_terminate_backend``: its open
transaction is rolled back and its connection closed. Only such sessions, only while they
block the push, and checked again in the statement that ends them; a session running a
query is never touched. Every ending (or failed attempt) is kept for the report."""

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
    idle_seconds: float | None = None  # idle in transaction this long (None: running a query, or not known)

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


@dataclass(frozen=True)
class Termination:
    """A blocker ``--cancel-blockers-after`` ended (``ended``), or tried to and could not."""

    blocker: Blocker
    ended: bool
    error: str | None = None  # why it could not be ended (e.g. permission denied)

    def describe(self, after: float) -> str:
        idle = f"{self.blocker.idle_seconds:.0f}s" if self.blocker.idle_seconds is not None else "long"
        if self.ended:
            return scrub(f"terminated the blocking session {self.blocker.describe()} (idle in transaction for {idle},"
                         f" --cancel-blockers-after {after:g}s): its open transaction was rolled back")
        why = f": {self.error}" if self.error else ""
        return scrub(f"could not terminate the blocking session {self.blocker.describe()} (idle in transaction for"
                     f" {idle}){why}")


class BlockerWatch:
    """Polls, on its own connection, which sessions block ``pid``; ``take()`` returns those
    seen since the last call. Started only once a migration has hit a lock timeout."""

    def __init__(self, dsn: Dsn, pid: int, connect_options: ConnectOptions | None = None,
                 interval: float = 0.05, cancel_after: float | None = None) -> None:
        self.dsn, self.pid, self.interval = dsn, pid, interval
        self.connect_options = connect_options
        self.cancel_after = cancel_after
        self._seen: dict[int, Blocker] = {}
        self._terminations: list[Termination] = []
        self._tried: set[int] = set()  # pids already ended (or refused): tried once each
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
                terminate = load_sql(_SQL, "terminate_idle_blocker")
                while not self._stop.wait(self.interval):
                    rows = conn.execute(query, {"pid": self.pid}).fetchall()
                    blockers = [Blocker(*row) for row in rows]
                    with self._lock:
                        for blocker in blockers:
                            self._seen[blocker.pid] = blocker
                    if self.cancel_after is not None:
                        for blocker in blockers:
                            self._maybe_terminate(conn, terminate, blocker)
        except (psycopg.Error, Exception):  # noqa: BLE001 - watching is best effort; the push goes on
            return

    def _maybe_terminate(self, conn: psycopg.Connection, terminate: str, blocker: Blocker) -> None:
        assert self.cancel_after is not None
        if (blocker.pid in self._tried or blocker.idle_seconds is None
                or blocker.idle_seconds < self.cancel_after):
            return
        # under the lock: the push's statement can only go on once the blocker is gone, and
        # take_terminations() then waits here, so the ending is reported with its migration
        with self._lock:
            try:
                row = conn.execute(terminate, {"blocker": blocker.pid, "pid": self.pid,
                                               "after": self.cancel_after}).fetchone()
            except psycopg.Error as exc:  # e.g. a superuser's session, or no pg_signal_backend
                self._tried.add(blocker.pid)
                message = (exc.diag.message_primary or str(exc)).strip()
                self._terminations.append(Termination(blocker, False, message))
                return
            if row is None:  # no longer idle, or no longer blocking: left alone, looked at again
                return
            self._tried.add(blocker.pid)
            self._terminations.append(Termination(blocker, bool(row[0]),
                                                  None if row[0] else "pg_terminate_backend returned false"))

    def take_terminations(self) -> list[Termination]:
        with self._lock:
            done, self._terminations = self._terminations, []
        return done

    def take(self) -> list[Blocker]:
        with self._lock:
            seen, self._seen = list(self._seen.values()), {}
        return seen

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
