"""Apply pending migrations: advisory lock, one transaction per file with its history row,
lock_timeout/statement_timeout per transaction, bounded retries on lock timeouts,
statement-by-statement execution for files that cannot run in a transaction, and
block-by-block execution for files with BEGIN/COMMIT blocks of their own."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import psycopg
from psycopg import errors as pgerrors, sql

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..db.sqlfiles import load_sql
from ..errors import EnvironmentFailure, MigrationFailed, PgReleaseError
from .outcome import MigrationEntry
from . import history
from .files import MigrationFile, MigrationSet
from .classify import Block, non_transactional
from .parse import WRAPPER_NOTE, ParsedMigration, parse_migrations
from .plan import Plan, enforce, make_plan
from .split import Statement, split_sql

ProgressFn = Callable[..., None]
_SQL = "pgrelease.migrations"


@dataclass(frozen=True)
class PushOptions:
    lock_wait: float = 60.0  # seconds to wait for the advisory lock
    lock_timeout: str = "500ms"  # per attempt: how long the application may queue behind a migration; '0' disables
    statement_timeout: str = "0"  # per transaction; '0' = off
    lock_retries: int = 1000  # at most this many retries of a migration that failed on lock_timeout (55P03)
    lock_retry_budget: float = 300.0  # seconds of retrying one migration before giving up
    retry_backoff: float = 0.5  # seconds before the first retry, doubled per retry (with jitter, at most 10 s)
    watch_blockers: bool = True  # name the session a retried migration waits for (a second connection)
    cancel_blockers_after: float | None = None  # end blockers idle in transaction this many seconds (None: never)
    include_all: bool = False
    allow_edited: bool = False
    dry_run: bool = False


@dataclass
class PushResult:
    plan: Plan
    entries: list[MigrationEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created_history: bool = False
    failure: PgReleaseError | None = None  # the error that stopped the push, if any
    terminated: list[dict[str, Any]] = field(default_factory=list)  # blockers --cancel-blockers-after ended


def statements_of(migration: MigrationFile) -> list[str]:
    """Statements of an already-applied file as written, as its history row records them
    (for edit detection and repair; never raises on content)."""
    try:
        return [s.sql for s in split_sql(migration.text, path=migration.display_path)]
    except Exception:  # an applied file that no longer splits is certainly edited
        return [migration.text]


def load_plan(conn: psycopg.Connection, migrations: MigrationSet) -> Plan:
    return make_plan(migrations, history.read_history(conn), statements_of)


def push(
    dsn: Dsn,
    migrations: MigrationSet,
    options: PushOptions = PushOptions(),
    *,
    connect_options: ConnectOptions | None = None,
    progress: ProgressFn | None = None,
    conn: psycopg.Connection | None = None,
) -> PushResult:
    """Apply what is pending. The first failing migration stops the push: it is rolled back,
    everything before it stays committed, and ``result.failure`` says why (MigrationFailed,
    exit 1; or EnvironmentFailure when the connection was lost, exit 3). Problems found
    before anything runs (edited or out-of-order files, unrunnable SQL, the lock) raise."""
    progress = progress or (lambda *a, **k: None)
    own = conn is None
    conn = conn or connect(dsn, connect_options)
    try:
        if options.dry_run:
            return _dry_run(conn, migrations, options)
        with history.AdvisoryLock(conn, dsn, options.lock_wait), _CancelOnInterrupt(conn):
            plan = load_plan(conn, migrations)
            result = PushResult(plan=plan)
            result.warnings.extend(enforce(plan, include_all=options.include_all, allow_edited=options.allow_edited))
            parsed = parse_migrations(plan.pending)  # refuse every broken file before changing anything
            if parsed and not history.history_exists(conn):
                history.ensure_history_table(conn)
                result.created_history = True
            total = len(parsed)
            retry = _LockRetries(options, dsn, conn, connect_options)
            if options.cancel_blockers_after is not None and parsed:
                retry.start_watch()  # from the first attempt: with lock_timeout 0 there is no retry
            head = _BatchHead(conn, options)
            try:
                for index, item in enumerate(parsed, start=1):
                    progress("start", index=index, total=total, name=item.file.filename)
                    started = time.perf_counter()
                    try:
                        entry = _apply_one(conn, item, options, result, retry, head)
                    except (MigrationFailed, EnvironmentFailure) as err:
                        result.failure = err
                        entry = _entry(item, "failed", duration_ms=(time.perf_counter() - started) * 1000,
                                       no_transaction=item.no_transaction)
                    retry.collect()
                    result.entries.append(entry)
                    progress("done", index=index, total=total, name=item.file.filename,
                             duration_ms=entry.duration_ms, status=entry.status)
                    if result.failure is not None:
                        result.entries.extend(_entry(rest, "not-run") for rest in parsed[index:])
                        break
            finally:
                retry.close()
            return result
    finally:
        if own:
            conn.close()


def _entry(item: ParsedMigration, status: str, **extra: Any) -> MigrationEntry:
    m = item.file
    return MigrationEntry(m.version, m.name, status, file=m.display_path, **extra)


def _dry_run(conn: psycopg.Connection, migrations: MigrationSet, options: PushOptions) -> PushResult:
    plan = load_plan(conn, migrations)
    result = PushResult(plan=plan)
    result.warnings.extend(enforce(plan, include_all=options.include_all, allow_edited=options.allow_edited))
    for item in parse_migrations(plan.pending):
        note = f"{len(item.statements)} statements"
        if item.wrapper is not None:
            note += "; would run as one transaction: its BEGIN/COMMIT wrapper is dropped"
        result.entries.append(_entry(item, "would-apply", no_transaction=item.no_transaction, note=note))
    if not history.history_exists(conn):
        result.notes.append("the history table does not exist yet; a real push creates it")
    return result


def _apply_one(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions, result: PushResult,
               retry: "_LockRetries | None" = None, head: "_BatchHead | None" = None) -> MigrationEntry:
    migration = item.file
    started = time.perf_counter()
    retries = 0
    retry = retry or _LockRetries(options)
    retry.begin(item, result)
    if item.blocks:
        result.notes.append(f"{migration.filename} ran block by block as written, not as one transaction"
                            f" ({item.no_transaction})")
        retries = _run_blocks(conn, item, options, retry)
    elif not item.transactional:
        conn.execute("RESET ALL")
        result.notes.append(f"{migration.filename} ran statement by statement, outside a transaction ({item.no_transaction})")
        retries = _run_outside_transaction(conn, item, options, retry)
    else:
        while True:
            try:
                _run_in_transaction(conn, item, options, head)
                break
            except _LockTimeout as timeout:
                retries += 1
                retry.after(timeout, retries)
    notes = [WRAPPER_NOTE] if item.wrapper is not None else []
    if retries:
        notes.append(f"retried {retries}x after lock timeouts")
    return _entry(item, "applied", duration_ms=(time.perf_counter() - started) * 1000,
                  no_transaction=item.no_transaction, note="; ".join(notes) or None)


class _LockRetries:
    """Retrying work that hit lock_timeout (its transaction left nothing behind): exponential
    backoff with jitter, within ``lock_retry_budget`` seconds per migration; from the first
    timeout on, a second connection names the session each attempt waited for."""

    def __init__(self, options: PushOptions, dsn: Dsn | None = None, conn: psycopg.Connection | None = None,
                 connect_options: ConnectOptions | None = None) -> None:
        self.options, self.dsn, self.conn, self.connect_options = options, dsn, conn, connect_options
        self.watch = None
        self.started = time.monotonic()
        self.item: ParsedMigration | None = None
        self.result: PushResult | None = None
        self.blockers: list = []

    def begin(self, item: ParsedMigration, result: PushResult) -> None:
        self.item, self.result, self.started, self.blockers = item, result, time.monotonic(), []

    def _watch(self):  # noqa: ANN202
        if self.watch is None and self.dsn is not None and self.conn is not None and (
                self.options.watch_blockers or self.options.cancel_blockers_after is not None):
            from .blockers import BlockerWatch

            self.watch = BlockerWatch(self.dsn, self.conn.info.backend_pid, self.connect_options,
                                      cancel_after=self.options.cancel_blockers_after).start()
        return self.watch

    def start_watch(self) -> None:
        self._watch()

    def collect(self) -> None:
        """Report, loudly, the blockers --cancel-blockers-after ended since the last call."""
        watch = self.watch
        if watch is None or self.result is None:
            return
        after = self.options.cancel_blockers_after or 0.0
        for done in watch.take_terminations():
            where = f"{self.item.file.filename}: " if self.item is not None else ""
            self.result.warnings.append(where + done.describe(after))
            b = done.blocker
            self.result.terminated.append({
                "migration": self.item.file.version if self.item is not None else None, "pid": b.pid,
                "user": b.user, "application": b.application, "client": b.client,
                "idle_seconds": round(b.idle_seconds, 1) if b.idle_seconds is not None else None,
                "terminated": done.ended, **({"error": done.error} if done.error else {})})

    def after(self, timeout: "_LockTimeout", attempt: int) -> None:
        """Sleep before the next attempt, or raise the timeout's error (naming the blocker)
        once the budget or the retry count is spent."""
        watch = self._watch()
        self.collect()
        seen = watch.take() if watch is not None else []
        if seen:
            self.blockers = seen
            if self.result is not None and self.item is not None:
                who = "; ".join(b.describe() for b in seen)
                self.result.notes.append(f"{self.item.file.filename}: attempt {attempt} waited for a lock held by {who}")
        delay = min(10.0, self.options.retry_backoff * (2 ** (attempt - 1))) * (0.8 + 0.4 * random.random())
        spent = time.monotonic() - self.started
        if attempt > self.options.lock_retries or spent + delay > self.options.lock_retry_budget:
            raise self._final(timeout.error, attempt - 1, spent) from None
        time.sleep(delay)

    def _final(self, error: MigrationFailed, retries: int, spent: float) -> MigrationFailed:
        if not self.blockers:
            watch = self.watch
            self.blockers = watch.take() if watch is not None else []
        error.extra["lock_retries"] = retries
        error.extra["waited_seconds"] = round(spent, 1)
        if self.blockers:
            first = self.blockers[0]
            error.extra["blockers"] = [b.describe() for b in self.blockers]
            error.message += f"; blocked by {first.describe()}"
            error.hint = (f"retried {retries}x over {spent:.0f}s; wait for that session to finish, or end it with"
                          f" select pg_terminate_backend({first.pid}); if that is safe, then run pgrelease push again"
                          " (or raise --lock-retry-budget, or --lock-timeout if the application may queue that long)")
            if (first.state or "").startswith("idle in transaction") and self.options.cancel_blockers_after is None:
                error.hint += ("; --cancel-blockers-after DURATION ends sessions that sit idle in transaction"
                               " that long while they block a migration")
        else:
            error.hint = (f"retried {retries}x over {spent:.0f}s; a long transaction holds a lock this migration needs:"
                          " retry when it ends, or raise --lock-retry-budget (or --lock-timeout, if the application"
                          " may queue that long behind the migration)")
        return error

    def close(self) -> None:
        if self.watch is not None:
            self.watch.stop()
            self.collect()  # anything ended after the last migration's report


class _LockTimeout(Exception):
    """Work that hit lock_timeout and left nothing behind; ``error`` is what to report if the
    retries give up (made on first use when ``locate`` is given)."""

    def __init__(self, error: MigrationFailed | None = None, *,
                 locate: Callable[[], MigrationFailed] | None = None) -> None:
        super().__init__(error.message if error is not None else "lock timeout")
        self._error, self._locate = error, locate

    @property
    def error(self) -> MigrationFailed:
        if self._error is None:
            assert self._locate is not None
            self._error = self._locate()
        return self._error


def _set_timeouts(conn: psycopg.Connection, options: PushOptions, *, local: bool) -> None:
    conn.execute(
        "select set_config('lock_timeout', %s, %s), set_config('statement_timeout', %s, %s)",
        (options.lock_timeout, local, options.statement_timeout, local),
    )


def execute_statement(cur: psycopg.Cursor, stmt: Statement) -> None:
    """One statement as the runner sends it: COPY ... FROM stdin with its inline data, or SQL."""
    if stmt.copy_data is not None:
        with cur.copy(stmt.sql) as copy:
            data = stmt.copy_data
            copy.write(data if data.endswith("\n") or not data else data + "\n")
    else:
        cur.execute(stmt.sql)


def _run_in_transaction(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions,
                        head: "_BatchHead | None" = None) -> None:
    """One transaction: timeouts, every statement, the history row. A file without COPY data
    goes to the server as one simple query, ``BEGIN`` to ``COMMIT`` (one round trip); on an
    error the failing statement is found from the server's error position, or by replaying
    the file statement by statement in a transaction that is rolled back."""
    migration = item.file
    if all(stmt.copy_data is None for stmt in item.statements):
        _run_batch(conn, item, options, head or _BatchHead(conn, options))
        return
    try:
        with conn.transaction():
            _run_statements(conn, item, options)
            history.record(conn, migration.version, migration.name, item.statement_texts)
    except _StatementError as failed:
        error = _failure(item, failed.stmt, failed.exc, rolled_back=True, ran=[])
        if isinstance(failed.exc, pgerrors.LockNotAvailable):
            raise _LockTimeout(error) from None
        raise error from None
    except pgerrors.UniqueViolation as exc:  # history row already there: someone else applied it
        raise _recorded_by_another(migration, exc) from None
    except psycopg.OperationalError as exc:
        raise _connection_lost(item, exc) from None
    except psycopg.Error as exc:  # the history row's INSERT, or COMMIT itself (deferred constraints)
        raise _transaction_failed(item, exc) from None


def _run_batch(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions, head: "_BatchHead") -> None:
    """``BEGIN; <timeouts>; <statements>; <history row>`` as one query, then ``COMMIT``: two
    round trips. COMMIT stays a message of its own, so only a client that saw every
    statement succeed commits (a push killed meanwhile leaves nothing of the file behind).
    The server stops at the first error of the batch and the transaction is rolled back
    here; an error at COMMIT (a deferred constraint) has ended it already."""
    migration = item.file
    try:
        text, offsets = _batch(conn, item, head)
        query = text.encode(conn.info.encoding)
    except UnicodeEncodeError as exc:
        raise MigrationFailed(f"{migration.filename} has characters the database's client encoding"
                              f" ({conn.info.encoding}) cannot hold: {exc.reason} at {exc.object[exc.start:exc.end]!r};"
                              " nothing from it was applied or recorded", file=migration.display_path,
                              hint="create the database with UTF8 encoding, or keep the file to what its encoding"
                                   " holds") from None
    try:
        _simple_query(conn, query)
        _simple_query(conn, b"commit")
        return
    except psycopg.Error as exc:
        failed = exc
    except BaseException:  # interrupted: leave no transaction open on the session
        _rollback(conn)
        raise
    if isinstance(failed, psycopg.OperationalError) and conn.closed:
        raise _connection_lost(item, failed) from None
    if conn.info.transaction_status == _IDLE:
        # a syntax error: the server could not parse the batch, so nothing of it ran (not even
        # BEGIN), and the error's position names the statement; else COMMIT itself failed
        stmt = _statement_at(item, offsets, failed) if failed.sqlstate == "42601" else None
        if stmt is not None:
            raise _failure(item, stmt, failed, rolled_back=True, ran=[]) from None
        raise _transaction_failed(item, failed) from None
    try:
        conn.execute("rollback")
    except psycopg.OperationalError as exc:
        raise _connection_lost(item, exc) from None
    if _is_history_conflict(failed):  # the batch's last statement: the history row
        raise _recorded_by_another(migration, failed) from None
    stmt = _statement_at(item, offsets, failed)
    if stmt is None and isinstance(failed, pgerrors.LockNotAvailable):
        # a lock timeout has no position; replaying now to find the statement would hold the
        # application up once more, so that is done only if the retries give up
        raise _LockTimeout(locate=lambda: _located_failure(conn, item, options, failed)) from None
    located = _StatementError(failed, stmt) if stmt is not None else _locate_or_lost(conn, item, options, failed)
    if located.stmt is None:  # every statement ran: the history row's INSERT failed
        raise _transaction_failed(item, failed) from None
    error = _failure(item, located.stmt, located.exc, rolled_back=True, ran=[])
    if isinstance(located.exc, pgerrors.LockNotAvailable):
        raise _LockTimeout(error) from None
    raise error from None


def _locate_or_lost(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions,
                    original: psycopg.Error) -> "_StatementError":
    try:
        return _locate(conn, item, options, original)
    except psycopg.OperationalError as exc:
        raise _connection_lost(item, exc) from None


def _located_failure(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions,
                     original: psycopg.Error) -> MigrationFailed:
    """The error of a batch that hit lock_timeout, naming its statement when a replay (rolled
    back) finds it; the file alone when the lock came free meanwhile."""
    located = _locate_or_lost(conn, item, options, original)
    if located.stmt is not None:
        return _failure(item, located.stmt, located.exc, rolled_back=True, ran=[])
    migration = item.file
    primary = original.diag.message_primary or str(original).strip().splitlines()[0]
    next_step = "a long transaction holds a lock this migration needs; retry when it ends, or raise --lock-timeout"
    return MigrationFailed(f"{primary} (migration {migration.filename} was rolled back: nothing from it was applied"
                           " or recorded)", hint=next_step, file=migration.display_path, sqlstate=original.sqlstate,
                           extra={"migration": migration.version, "rolled_back": True, "next_step": next_step})


_DONE = frozenset({psycopg.pq.ExecStatus.COMMAND_OK, psycopg.pq.ExecStatus.TUPLES_OK,
                   psycopg.pq.ExecStatus.EMPTY_QUERY})


def _simple_query(conn: psycopg.Connection, query: bytes) -> None:
    """Run ``query`` (any number of statements, no parameters, in the client encoding) through
    libpq's PQexec: one simple-query round trip, about 0.1 ms quicker than a psycopg
    ``execute`` on a local server, which adds up over hundreds of files. Raises what
    ``execute`` raises."""
    encoding = conn.info.encoding
    result = conn.pgconn.exec_(query)
    if result.status in _DONE:
        return
    if result.status == psycopg.pq.ExecStatus.FATAL_ERROR:
        raise pgerrors.error_from_result(result, encoding=encoding)
    raise psycopg.OperationalError(f"unexpected result from the server: {result.status.name}")


class _CancelOnInterrupt:
    """:func:`_simple_query` blocks inside libpq, where Python cannot raise KeyboardInterrupt;
    so that Ctrl-C (or a CI job's cancellation, SIGINT) still cancels the running statement
    on the server at once, as psycopg's own ``execute`` does, a SIGINT during a push in the
    main thread also wakes (``signal.set_wakeup_fd``) a thread that sends a cancel request
    (``PQcancel``). KeyboardInterrupt is then raised as usual once the statement ends."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.thread: threading.Thread | None = None
        self.stopping = False

    def __enter__(self) -> "_CancelOnInterrupt":
        if threading.current_thread() is not threading.main_thread():
            return self  # KeyboardInterrupt only ever reaches the main thread
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.write_fd, False)
        try:
            self.previous = signal.set_wakeup_fd(self.write_fd, warn_on_full_buffer=False)
        except (ValueError, OSError):
            os.close(self.read_fd)
            os.close(self.write_fd)
            return self
        self.cancel = self.conn.pgconn.get_cancel()
        self.thread = threading.Thread(target=self._run, name="pgrelease-cancel", daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        while True:
            try:
                data = os.read(self.read_fd, 64)
            except OSError:
                return
            if self.stopping or not data:
                return
            if signal.SIGINT in data:
                try:
                    self.cancel.cancel()
                except Exception:  # noqa: BLE001 - best effort, as psycopg's own cancel on Ctrl-C
                    pass

    def __exit__(self, *exc: object) -> None:
        if self.thread is None:
            return
        signal.set_wakeup_fd(self.previous)
        self.stopping = True
        try:
            os.write(self.write_fd, b"\0")
        except OSError:
            pass
        self.thread.join(timeout=2)
        os.close(self.read_fd)
        os.close(self.write_fd)


def _rollback(conn: psycopg.Connection) -> None:
    try:
        if not conn.closed and conn.info.transaction_status != _IDLE:
            conn.execute("rollback")
    except psycopg.Error:
        pass  # the server rolls back an unfinished transaction when the session ends


def _transaction_failed(item: ParsedMigration, exc: psycopg.Error) -> MigrationFailed:
    """Every statement ran, then the history row or the COMMIT failed: nothing was applied."""
    migration = item.file
    diag = exc.diag
    primary = diag.message_primary or str(exc).strip().splitlines()[0]
    return MigrationFailed(
        f"{primary} (after the statements of {migration.filename}, writing its history row or at COMMIT;"
        " the migration was rolled back: nothing from it was applied or recorded)",
        hint="; ".join(h for h in (diag.message_hint, "a deferred constraint or a trigger (on the migration's tables"
                                   " or the history table) refused the transaction; fix that, then run pgrelease"
                                   " push again") if h),
        file=migration.display_path, sqlstate=exc.sqlstate, detail=diag.message_detail,
        extra={"migration": migration.version, "rolled_back": True},
    )


_SEPARATOR = "\n;\n"  # a newline first: a statement may end in a -- comment
_IDLE = psycopg.pq.TransactionStatus.IDLE


class _BatchHead:
    """What every batch of one push sends before a file's statements: its timeouts as
    literals, made once per push."""

    def __init__(self, conn: psycopg.Connection, options: PushOptions) -> None:
        literal = lambda value: sql.Literal(value).as_string(conn)  # noqa: E731
        self.timeouts = ("reset all" + _SEPARATOR +
                         f"select set_config('lock_timeout', {literal(options.lock_timeout)}, true),"
                         f" set_config('statement_timeout', {literal(options.statement_timeout)}, true)")
        self.literal = history.LiteralWriter(conn)


def _batch(conn: psycopg.Connection, item: ParsedMigration, head: _BatchHead) -> tuple[str, list[int]]:
    """The file as one query string, ``begin`` (with a dropped wrapper's modes) and timeouts
    first, the history row last (COMMIT follows on its own), and each statement's offset."""
    parts = ["begin"]
    if item.set_transaction:  # the modes of a dropped BEGIN wrapper, before any query
        parts.append(item.set_transaction)
    parts.append(head.timeouts)
    pos = sum(len(p) for p in parts) + len(_SEPARATOR) * len(parts)
    offsets = []
    for stmt in item.statements:
        offsets.append(pos)
        parts.append(stmt.sql)
        pos += len(stmt.sql) + len(_SEPARATOR)
    m = item.file
    parts.append(history.record_sql(conn, m.version, m.name, item.statement_texts, literal=head.literal))
    return _SEPARATOR.join(parts), offsets


def _statement_at(item: ParsedMigration, offsets: list[int], exc: psycopg.Error) -> Statement | None:
    """The statement holding the server's error position; None when the error has no position."""
    try:
        position = int(exc.diag.statement_position or 0) - 1
    except ValueError:
        position = -1
    if position < 0 or not offsets or position < offsets[0]:
        return None
    index = max(i for i, start in enumerate(offsets) if start <= position)
    if position > offsets[index] + len(item.statements[index].sql):
        return None  # past the last statement: the history row
    stmt = item.statements[index]
    exc.__dict__["_pgrelease_offset"] = position - offsets[index]
    return stmt


def _run_statements(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions) -> None:
    """Inside the caller's transaction: fresh session settings, the timeouts, then each
    statement; the first failure raises _StatementError naming its statement."""
    if item.set_transaction:  # the modes of a dropped BEGIN wrapper, before any query
        conn.execute(item.set_transaction)
    conn.execute("RESET ALL")
    _set_timeouts(conn, options, local=True)
    with conn.cursor() as cur:
        for stmt in item.statements:
            try:
                execute_statement(cur, stmt)
            except psycopg.Error as exc:
                raise _StatementError(exc, stmt) from None


def _locate(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions,
            original: psycopg.Error) -> _StatementError:
    """Replay statement by statement in a transaction that is always rolled back."""
    try:
        with conn.transaction(force_rollback=True):
            _run_statements(conn, item, options)
    except _StatementError as failed:
        same = failed.exc.sqlstate == original.sqlstate
        return failed if same else _StatementError(original, failed.stmt)
    return _StatementError(original, None)  # every statement ran: the history row failed


def _run_outside_transaction(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions,
                             retry: _LockRetries) -> int:
    """Statement by statement, each on its own (autocommit), then the history row. A statement
    that hits lock_timeout is retried on its own (the statements before it stay done): its
    implicit transaction left nothing behind. One that cannot run in a transaction block
    (CREATE INDEX CONCURRENTLY, ...) commits as it goes, so it is retried only when it left
    nothing either: no new invalid index, no partition left pending detach. Returns the
    number of retries."""
    migration = item.file
    ran: list[Statement] = []
    retries = 0
    _set_timeouts(conn, options, local=False)
    try:
        with conn.cursor() as cur:
            for stmt in item.statements:
                commits_as_it_goes = non_transactional(stmt) is not None
                attempt = 0
                while True:
                    before = _leftovers(conn) if commits_as_it_goes else frozenset()
                    try:
                        execute_statement(cur, stmt)
                        break
                    except psycopg.Error as exc:
                        if isinstance(exc, psycopg.OperationalError) and conn.closed:
                            raise _connection_lost(item, exc) from None
                        error = _failure(item, stmt, exc, rolled_back=False, ran=ran)
                        if not isinstance(exc, pgerrors.LockNotAvailable):
                            raise error from None
                    left = sorted(_leftovers(conn) - before) if commits_as_it_goes else []
                    if left:  # not retried: a retry would trip over (or skip) what it left
                        error.message += f"; it left {', '.join(left)} behind"
                        error.hint = (f"the statement at {migration.display_path} line {stmt.line} committed part of"
                                      f" its work before the lock timeout: drop {', '.join(left)} (e.g. drop index"
                                      " concurrently) or finish it, then run pgrelease push again")
                        error.extra["left_behind"] = left
                        raise error from None
                    attempt += 1
                    retries += 1
                    retry.after(_LockTimeout(error), attempt)  # raises once the budget is spent
                ran.append(stmt)
        history.record(conn, migration.version, migration.name, item.statement_texts)
    finally:
        if not conn.closed:
            conn.execute("RESET ALL")
    return retries


def _leftovers(conn: psycopg.Connection) -> frozenset[str]:
    """What an interrupted statement that commits as it goes can leave: invalid indexes and
    partitions pending detach."""
    return frozenset(row[0] for row in conn.execute(load_sql(_SQL, "leftovers"),
                                                    {"version": conn.info.server_version}).fetchall())


def _run_blocks(conn: psycopg.Connection, item: ParsedMigration, options: PushOptions,
                retry: _LockRetries) -> int:
    """A file with BEGIN/COMMIT blocks of its own, as psql runs it: each block in its own
    transaction, each statement outside a block on its own (autocommit), one session
    throughout (a SET in one block holds in the next, as in psql). The history row goes in
    the last block's transaction, or after the last statement when the file ends outside a
    block. A block (or single statement) that hit lock_timeout left nothing behind and is
    retried on its own. Returns the number of retries."""
    migration = item.file
    done: list[Block] = []
    retries = 0
    conn.execute("RESET ALL")
    _set_timeouts(conn, options, local=False)
    try:
        for index, block in enumerate(item.blocks):
            record = index == len(item.blocks) - 1 and block.explicit
            attempt = 0
            while True:
                try:
                    _run_block(conn, item, block, record=record, done=done)
                    break
                except _LockTimeout as timeout:
                    retryable = block.explicit or non_transactional(block.statements[0]) is None
                    if not retryable:
                        raise timeout.error from None
                    attempt += 1
                    retries += 1
                    retry.after(timeout, attempt)
            done.append(block)
        if not item.blocks[-1].explicit:
            history.record(conn, migration.version, migration.name, item.statement_texts)
    except pgerrors.UniqueViolation as exc:
        raise _recorded_by_another(migration, exc) from None
    except psycopg.OperationalError as exc:
        raise _connection_lost(item, exc) from None
    finally:
        if not conn.closed:
            conn.execute("RESET ALL")
    return retries


def _run_block(conn: psycopg.Connection, item: ParsedMigration, block: Block, *, record: bool,
               done: list[Block]) -> None:
    migration = item.file
    try:
        if not block.explicit:
            with conn.cursor() as cur:
                try:
                    execute_statement(cur, block.statements[0])
                except psycopg.Error as exc:
                    raise _StatementError(exc, block.statements[0]) from None
            return
        with conn.transaction():
            if block.set_transaction:
                conn.execute(block.set_transaction)
            with conn.cursor() as cur:
                for stmt in block.statements:
                    try:
                        execute_statement(cur, stmt)
                    except psycopg.Error as exc:
                        raise _StatementError(exc, stmt) from None
            if record:
                history.record(conn, migration.version, migration.name, item.statement_texts)
    except _StatementError as failed:
        if isinstance(failed.exc, psycopg.OperationalError) and conn.closed:
            raise _connection_lost(item, failed.exc) from None
        error = _failure(item, failed.stmt, failed.exc, rolled_back=not done, ran=[], blocks=done)
        if isinstance(failed.exc, pgerrors.LockNotAvailable):
            raise _LockTimeout(error) from None
        raise error from None
    except pgerrors.UniqueViolation as exc:
        raise _recorded_by_another(migration, exc) from None
    except psycopg.Error as exc:  # at COMMIT (a deferred constraint, a serialization failure)
        if isinstance(exc, psycopg.OperationalError) and conn.closed:
            raise _connection_lost(item, exc) from None
        raise _failure(item, block.end or block.statements[-1], exc, rolled_back=not done, ran=[],
                       blocks=done) from None


class _StatementError(Exception):
    def __init__(self, exc: psycopg.Error, stmt: Statement | None) -> None:
        super().__init__(str(exc))
        self.exc = exc
        self.stmt = stmt


def _error_line(stmt: Statement, exc: psycopg.Error) -> int:
    offset = exc.__dict__.get("_pgrelease_offset")
    if offset is None:
        position = getattr(exc.diag, "statement_position", None)
        try:
            offset = int(position) - 1 if position else None
        except ValueError:
            offset = None
    if offset is None or offset < 0:
        return stmt.line
    before = stmt.sql[:offset]
    return stmt.line + before.count("\n") + before.count("\r") - before.count("\r\n")


def _failure(item: ParsedMigration, stmt: Statement, exc: psycopg.Error, *, rolled_back: bool,
             ran: list[Statement], blocks: list[Block] | None = None) -> MigrationFailed:
    migration = item.file
    diag = exc.diag
    primary = diag.message_primary or str(exc).strip().splitlines()[0]
    line = _error_line(stmt, exc)
    if blocks:
        ran = [s for b in blocks for s in b.statements]
        done = ", ".join(f"block {b.lines}" if b.explicit else b.lines for b in blocks)
        state = (f"{migration.filename} runs block by block: already committed: {done};"
                 " the history row was not written")
        next_step = (f"fix {migration.display_path} line {line}; the blocks that already ran stay committed and run"
                     " again on the next push: make them re-runnable (IF NOT EXISTS, ADD VALUE IF NOT EXISTS) or"
                     " undo them, then run pgrelease push again")
    elif rolled_back:
        state = f"migration {migration.filename} was rolled back: nothing from it was applied or recorded"
        next_step = (f"fix {migration.display_path} line {line} and run pgrelease push again;"
                     " earlier migrations stay applied")
    else:
        done = ", ".join(f"line {s.line}" for s in ran) or "none"
        state = (f"{migration.filename} runs outside a transaction: statements already run: {done};"
                 " the history row was not written")
        next_step = (f"fix {migration.display_path} line {line}, make the statements that already ran"
                     " idempotent (IF NOT EXISTS) or undo them, then run pgrelease push again")
    if isinstance(exc, pgerrors.LockNotAvailable):
        next_step = "a long transaction holds a lock this migration needs; retry when it ends, or raise --lock-timeout"
    elif isinstance(exc, pgerrors.QueryCanceled):
        next_step = "the statement hit statement_timeout; raise --statement-timeout or split the migration"
    hints = [h for h in (diag.message_hint, next_step) if h]
    extra: dict[str, Any] = {"migration": migration.version, "rolled_back": rolled_back, "next_step": next_step,
                             "statement": stmt.sql[:300]}
    if not rolled_back:
        extra["statements_run"] = [s.line for s in ran]
    if blocks:
        extra["blocks_run"] = [b.lines for b in blocks]
    return MigrationFailed(
        f"{primary} ({state})",
        hint="; ".join(hints),
        file=migration.display_path,
        line=line,
        sqlstate=exc.sqlstate,
        detail=diag.message_detail,
        extra=extra,
    )


def _is_history_conflict(exc: psycopg.Error) -> bool:
    """A unique violation on the history table itself (not on a table the migration writes)."""
    diag = exc.diag
    return (isinstance(exc, pgerrors.UniqueViolation) and diag.schema_name == "supabase_migrations"
            and diag.table_name == "schema_migrations")


def _recorded_by_another(migration: MigrationFile, exc: psycopg.Error) -> MigrationFailed:
    """The history row is already there: someone else applied the migration meanwhile."""
    return MigrationFailed(
        f"version {migration.version} was recorded by another process while this push ran;"
        " nothing of this migration was applied (its transaction was rolled back)",
        file=migration.display_path, sqlstate=exc.sqlstate,
        hint="another tool (e.g. supabase db push) is migrating this database; run pgrelease push again",
    )


def _connection_lost(item: ParsedMigration, exc: Exception) -> EnvironmentFailure:
    return EnvironmentFailure(
        f"connection lost while applying {item.file.filename}: {str(exc).strip().splitlines()[0] if str(exc).strip() else 'no detail'}",
        file=item.file.display_path,
        hint="the server rolls back an unfinished transaction; run pgrelease push again to finish"
        + ("; the file's blocks that had committed run again, so they must be re-runnable" if item.blocks else ""),
    )
