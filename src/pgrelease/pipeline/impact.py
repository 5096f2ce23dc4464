"""What each pending migration does to a live table, measured on a shadow.

The pending migrations run on a shadow database that holds what the target has applied
(a database of its own, so the shadow the other steps read is left as it is). Inside each
migration's transaction, after every statement, a probe reads the locks this backend holds
(``pg_locks``), each relation's storage file (a new ``relfilenode`` is a rewrite) and the
sequential scans the transaction started on it (``pg_stat_xact_user_tables``: a full read,
as VALIDATE CONSTRAINT, SET NOT NULL or an index build do). The probe reads catalogs only, so
the transaction then commits exactly what the real replay commits and the next migration
sees what it would see. Relations the migration itself creates are left out: nobody else
can see them before it commits.

A file that runs outside a transaction runs statement by statement; a statement that can
run in a transaction is measured in a transaction of its own (what autocommit does), one
that cannot (CREATE INDEX CONCURRENTLY, VACUUM, ...) is reported from what it is.

With a target (gate: staging; promote: production) each relation gets its size and row
estimate there, and a relation the target lacks is marked new. :func:`evaluate` applies the
``[impact]`` policy of ``pgrelease.toml`` (:class:`ImpactPolicy`).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..db.sqlfiles import load_sql
from ..errors import PgReleaseError, UsageError
from ..migrations import history
from ..migrations.apply import execute_statement
from ..migrations.classify import non_transactional
from ..migrations.files import discover
from ..migrations.parse import ParsedMigration, parse_migrations
from ..migrations.split import Statement
from ..report.locks import BLOCKS, MODES, RANK as _RANK, blocks, lock_label, mode_name, stronger, strongest
from .shadow import ProgressFn, ShadowOptions, ShadowRun, replayed_shadow

_SQL = "pgrelease.pipeline"

_KINDS = {"r": "table", "p": "partitioned table", "i": "index", "I": "partitioned index", "S": "sequence",
          "v": "view", "m": "materialized view", "f": "foreign table", "c": "type"}
_HAS_STORAGE = frozenset("rmS")


# -- typed result ------------------------------------------------------------------------
@dataclass
class LockImpact:
    """One relation a statement locks (or rewrites, or reads in full)."""

    relation: str  # schema-qualified, quoted where needed
    mode: str  # the strongest mode the statement took on it (or held, when it took none)
    kind: str = "table"
    rewrite: bool = False  # its storage was rewritten (new relfilenode)
    scan: bool = False  # read in full (validation, index build, a data change) without a rewrite
    held: bool = False  # the mode was held from an earlier statement of the same transaction
    measured: bool = True  # False: stated from what the statement is (it cannot run in a transaction)
    size_bytes: int | None = None  # on the target
    rows: float | None = None  # reltuples on the target (-1 / None: never analyzed)
    new: bool = False  # the target does not have this relation (an earlier pending migration creates it)

    @property
    def label(self) -> str:
        """``ACCESS EXCLUSIVE + rewrite of public.events (2.1 GB, ~14 M rows)``."""
        return lock_label(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"relation": self.relation, "kind": self.kind, "mode": self.mode,
                               "rewrite": self.rewrite, "scan": self.scan, "blocks": blocks(self.mode)}
        if self.held:
            out["held"] = True
        if not self.measured:
            out["measured"] = False
        if self.size_bytes is not None:
            out["size_bytes"] = self.size_bytes
        if self.rows is not None:
            out["rows"] = self.rows
        if self.new:
            out["new"] = True
        return out


@dataclass
class StatementImpact:
    line: int
    sql: str  # the statement's start, one line
    locks: list[LockImpact] = field(default_factory=list)
    in_transaction: bool = True  # False: ran on its own outside a transaction
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "sql": self.sql, "locks": [lock.to_dict() for lock in self.locks]}
        if not self.in_transaction:
            out["in_transaction"] = False
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class MigrationImpact:
    version: str
    name: str
    file: str
    no_transaction: str | None = None
    statements: list[StatementImpact] = field(default_factory=list)
    error: PgReleaseError | None = None  # the probe could not run it (the shadow step says why)

    @property
    def locks(self) -> Iterator[tuple[StatementImpact, LockImpact]]:
        for stmt in self.statements:
            for lock in stmt.locks:
                yield stmt, lock

    def held_until_commit(self) -> list[tuple[str, str, int]]:
        """(relation, strongest mode, first line taking it) over one transaction: every lock a
        transactional migration takes is held until it commits."""
        if self.no_transaction is not None:
            return []
        out: dict[str, tuple[str, int]] = {}
        for stmt, lock in self.locks:
            if lock.held:
                continue
            current = out.get(lock.relation)
            if current is None or stronger(lock.mode, current[0]):
                out[lock.relation] = (lock.mode, stmt.line)
        return [(rel, mode, line) for rel, (mode, line) in out.items()]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "name": self.name, "file": self.file,
                               "statements": [s.to_dict() for s in self.statements]}
        if self.no_transaction:
            out["no_transaction"] = self.no_transaction
        else:
            out["held_until_commit"] = [{"relation": r, "mode": m, "from_line": line}
                                        for r, m, line in self.held_until_commit()]
        if self.error is not None:
            out["error"] = self.error.to_dict()
        return out


@dataclass
class Verdict:
    """One lock the policy does not allow (``level`` error) or flags (``level`` warning)."""

    level: str  # "error" | "warning"
    file: str
    line: int
    relation: str
    message: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "file": self.file, "line": self.line, "relation": self.relation,
                "message": self.message, "rule": self.rule}


@dataclass
class ImpactResult:
    migrations: list[MigrationImpact] = field(default_factory=list)
    target: str | None = None  # masked; None: every migration, measured on an empty project
    sizes: bool = False  # sizes and row estimates come from the target
    shadow: str = ""
    verdicts: list[Verdict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def error(self) -> PgReleaseError | None:
        return next((m.error for m in self.migrations if m.error is not None), None)

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "sizes": self.sizes, "shadow": self.shadow,
                "migrations": [m.to_dict() for m in self.migrations],
                "verdicts": [v.to_dict() for v in self.verdicts]}


# -- policy ------------------------------------------------------------------------------
_POLICY_KEYS = frozenset({"fail_on", "warn_on", "fail_on_rewrite_over_mb", "fail_on_scan_over_mb"})
_PATTERN = re.compile(r"^\s*([A-Za-z ]+?)\s*(?:\+\s*(rewrite|scan)\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class LockPattern:
    """``ACCESS EXCLUSIVE+rewrite``: a mode (matching it and every stronger one) and, optionally,
    ``rewrite`` or ``scan`` (a rewrite reads the table in full too, so it matches ``scan``)."""

    mode: str
    needs: str | None = None  # None | "rewrite" | "scan"

    @classmethod
    def parse(cls, text: Any, where: str) -> "LockPattern":
        match = _PATTERN.match(text) if isinstance(text, str) else None
        mode = " ".join(match.group(1).upper().split()) if match else ""
        if mode not in _RANK:
            raise UsageError(f"{where}: {text!r} is not a lock pattern",
                             hint='write a lock mode, optionally with +rewrite or +scan, e.g. "ACCESS EXCLUSIVE+rewrite"'
                                  f" (modes: {', '.join(MODES)})")
        return cls(mode, match.group(2).lower() if match and match.group(2) else None)

    def matches(self, lock: LockImpact) -> bool:
        if _RANK[lock.mode] < _RANK[self.mode]:
            return False
        if self.needs == "rewrite":
            return lock.rewrite
        if self.needs == "scan":
            return lock.rewrite or lock.scan
        return True

    def __str__(self) -> str:
        return self.mode + (f"+{self.needs}" if self.needs else "")


@dataclass(frozen=True)
class ImpactPolicy:
    """The ``[impact]`` table of ``pgrelease.toml``::

        [impact]
        fail_on = ["ACCESS EXCLUSIVE+rewrite"]   # lock patterns that fail the check (exit 1)
        warn_on = ["SHARE"]                      # patterns that only warn (default: ACCESS EXCLUSIVE+rewrite)
        fail_on_rewrite_over_mb = 100            # a rewrite of a table over 100 MB on the target fails
        fail_on_scan_over_mb = 1000              # so does a full scan under a lock that blocks writes

    Relations the target does not have yet (an earlier pending migration creates them) are
    exempt; size limits apply only with a target."""

    fail_on: tuple[LockPattern, ...] = ()
    warn_on: tuple[LockPattern, ...] = (LockPattern("ACCESS EXCLUSIVE", "rewrite"),)
    fail_on_rewrite_over_mb: float | None = None
    fail_on_scan_over_mb: float | None = None
    source: str = "defaults"

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any], source: str = "pgrelease.toml") -> "ImpactPolicy":
        if not isinstance(table, Mapping):
            raise UsageError(f"[impact] in {source} must be a table", file=source)
        unknown = sorted(set(table) - _POLICY_KEYS)
        if unknown:
            raise UsageError(f"unknown key impact.{unknown[0]} in {source}", file=source,
                             hint="known keys: " + ", ".join(sorted(_POLICY_KEYS)))

        def patterns(key: str, default: tuple[LockPattern, ...]) -> tuple[LockPattern, ...]:
            if key not in table:
                return default
            value = table[key]
            if not isinstance(value, list):
                raise UsageError(f"impact.{key} in {source} must be a list of lock patterns", file=source,
                                 hint='e.g. ["ACCESS EXCLUSIVE+rewrite", "SHARE+scan"]')
            return tuple(LockPattern.parse(v, f"impact.{key} in {source}") for v in value)

        def megabytes(key: str) -> float | None:
            value = table.get(key)
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise UsageError(f"impact.{key} = {value!r} in {source} is not a size in MB", file=source,
                                 hint="give a number of megabytes, e.g. 100")
            return float(value)

        return cls(fail_on=patterns("fail_on", ()), warn_on=patterns("warn_on", cls.warn_on),
                   fail_on_rewrite_over_mb=megabytes("fail_on_rewrite_over_mb"),
                   fail_on_scan_over_mb=megabytes("fail_on_scan_over_mb"), source=source)


def not_measured(pending: list[str], impact_max: int) -> str | None:
    """Why the gate's or the promotion's impact step measures nothing (None: it measures):
    nothing pending, or more pending migrations than ``--impact-max``."""
    if not pending:
        return "nothing pending"
    if len(pending) > impact_max:
        return (f"{len(pending)} pending migrations, more than --impact-max {impact_max}: locks and rewrites"
                " were not measured and the [impact] policy was not checked (pgrelease impact measures them all)"
                if impact_max else "--impact-max 0")
    return None


def load_impact_policy(workdir: Path) -> ImpactPolicy:
    """The ``[impact]`` table of ``<workdir>/pgrelease.toml``, or the defaults."""
    from ..settings import CONFIG_FILE, load_config

    table = load_config(workdir).get("impact")
    return ImpactPolicy() if table is None else ImpactPolicy.from_mapping(table, source=CONFIG_FILE)


def evaluate(result: ImpactResult, policy: ImpactPolicy) -> list[Verdict]:
    """The locks the policy fails or flags, one verdict per (statement, relation); stored in
    ``result.verdicts`` too."""
    verdicts: list[Verdict] = []
    for migration in result.migrations:
        for stmt, lock in migration.locks:
            if lock.new or lock.held:
                continue
            verdict = _judge(lock, policy, result.sizes)
            if verdict is not None:
                level, rule, why = verdict
                verdicts.append(Verdict(level, migration.file, stmt.line, lock.relation,
                                        f"{lock.label}: {blocks(lock.mode)}{why}", rule))
    if not result.sizes and (policy.fail_on_rewrite_over_mb is not None or policy.fail_on_scan_over_mb is not None):
        result.notes.append("the size limits of [impact] were not checked: no target to read table sizes from")
    result.verdicts = verdicts
    return verdicts


def _judge(lock: LockImpact, policy: ImpactPolicy, sizes: bool) -> tuple[str, str, str] | None:
    mb = lock.size_bytes / 2**20 if sizes and lock.size_bytes is not None else None
    if mb is not None and lock.rewrite and policy.fail_on_rewrite_over_mb is not None \
            and mb > policy.fail_on_rewrite_over_mb:
        return "error", "fail_on_rewrite_over_mb", f" (over the {policy.fail_on_rewrite_over_mb:g} MB limit for rewrites)"
    if mb is not None and (lock.scan or lock.rewrite) and lock.mode in BLOCKS \
            and policy.fail_on_scan_over_mb is not None and mb > policy.fail_on_scan_over_mb:
        return "error", "fail_on_scan_over_mb", f" (over the {policy.fail_on_scan_over_mb:g} MB limit for full scans)"
    for pattern in policy.fail_on:
        if pattern.matches(lock):
            return "error", f"fail_on {pattern}", ""
    for pattern in policy.warn_on:
        if pattern.matches(lock):
            return "warning", f"warn_on {pattern}", ""
    return None


# -- sizes -------------------------------------------------------------------------------
def add_sizes(result: ImpactResult, target: Dsn, connect_options: ConnectOptions | None = None) -> None:
    """Each reported relation's size and row estimate on ``target``; a relation the target
    lacks is marked new. pg_total_relation_size waits for ACCESS SHARE, so a relation locked
    on the target (by a running migration, say) gets the lock-free estimate instead."""
    names = sorted({lock.relation for m in result.migrations for _, lock in m.locks})
    if not names:
        result.sizes = True
        return
    with connect(target, connect_options) as conn:
        try:
            with conn.transaction():
                conn.execute("set local lock_timeout = '500ms'; set local statement_timeout = '30s'")
                rows = conn.execute(load_sql(_SQL, "impact_sizes"), {"names": names}).fetchall()
        except psycopg.errors.LockNotAvailable:
            rows = conn.execute(load_sql(_SQL, "impact_sizes_estimate"), {"names": names}).fetchall()
            result.notes.append("a relation was locked on the target: sizes are estimates from pg_class (relpages)")
    found = {name: (int(size), float(reltuples)) for name, size, reltuples in rows}
    for migration in result.migrations:
        for _, lock in migration.locks:
            if lock.relation in found:
                lock.size_bytes, rows_estimate = found[lock.relation]
                lock.rows = rows_estimate if rows_estimate >= 0 else None
            else:
                lock.new = True
    result.sizes = True


# -- the probe ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Rel:
    name: str
    relkind: str
    relfilenode: int
    parent: int | None
    seq_scan: int
    modes: frozenset[str]


def _snapshot(conn: psycopg.Connection) -> dict[int, _Rel]:
    rows = conn.execute(load_sql(_SQL, "impact_probe")).fetchall()
    return {oid: _Rel(name, kind, node, parent, scans, frozenset(mode_name(m) for m in modes))
            for oid, name, kind, node, parent, scans, modes in rows}


def _changes(before: dict[int, _Rel], after: dict[int, _Rel], existing: set[int]) -> list[LockImpact]:
    """What one statement did to relations that existed before its transaction began."""
    out: dict[int, LockImpact] = {}
    for oid, rel in after.items():
        if oid not in existing or oid not in before:
            continue
        old = before[oid]
        taken = rel.modes - old.modes
        rewrite = rel.relkind in _HAS_STORAGE and rel.relfilenode != old.relfilenode
        scan = rel.seq_scan > old.seq_scan and not rewrite
        if not (taken or rewrite or scan):
            continue
        mode = strongest(taken) or strongest(rel.modes)
        if mode is None:
            continue
        out[oid] = LockImpact(old.name, mode, kind=_KINDS.get(rel.relkind, rel.relkind), rewrite=rewrite, scan=scan,
                              held=not taken)
    # an index locked while its table is locked at least as strongly says nothing new (a rewrite
    # rebuilds the indexes too: the table's line says it)
    for oid in list(out):
        parent = after.get(after[oid].parent) if after[oid].parent is not None else None
        if parent is not None and not stronger(out[oid].mode, strongest(parent.modes) or ""):
            del out[oid]
    return sorted(out.values(), key=lambda lock: (-_RANK[lock.mode], lock.relation))


def _one_line(text: str, limit: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


_IDENT = r'(?:"(?:[^"]|"")+"|[\w$]+)'
_QNAME = rf"({_IDENT}(?:\s*\.\s*{_IDENT})?)"
_CIC = re.compile(rf"^\s*create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?(?:{_IDENT}\s+)?"
                  rf"on\s+(?:only\s+)?{_QNAME}", re.IGNORECASE)
_DROP_INDEX = re.compile(rf"^\s*drop\s+index\s+concurrently\s+(?:if\s+exists\s+)?{_QNAME}", re.IGNORECASE)
_REINDEX = re.compile(rf"^\s*reindex\s+(?:\([^)]*\)\s*)?(index|table)\s+concurrently\s+{_QNAME}", re.IGNORECASE)
_VACUUM = re.compile(r"^\s*vacuum\b(.*)$", re.IGNORECASE | re.DOTALL)
_DETACH = re.compile(rf"^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?{_QNAME}\s+detach\s+partition\s+{_QNAME}"
                     r"\s+concurrently", re.IGNORECASE)


def _resolve(conn: psycopg.Connection, name: str) -> tuple[str, str, str | None] | None:
    try:
        row = conn.execute(load_sql(_SQL, "impact_regclass"), {"name": name}).fetchone()
    except psycopg.Error:
        return None
    return (row[0], _KINDS.get(row[1], row[1]), row[2]) if row else None


def _stated(conn: psycopg.Connection, stmt: Statement) -> tuple[list[LockImpact], str]:
    """The locks of a statement that cannot run in a transaction block, from what it is."""
    text = stmt.sql

    def lock(name: str, mode: str, *, table: bool = True, rewrite: bool = False, scan: bool = False) -> LockImpact | None:
        found = _resolve(conn, name)
        if found is None:
            return None
        relation, kind, parent = found
        if table and parent is not None:
            relation, kind = parent, "table"
        return LockImpact(relation, mode, kind=kind, rewrite=rewrite, scan=scan, measured=False)

    if match := _CIC.match(text):
        return [x for x in [lock(match.group(1), "SHARE UPDATE EXCLUSIVE", scan=True)] if x], \
            "CONCURRENTLY: reads and writes go on while the index builds (it waits for older transactions)"
    if match := _DROP_INDEX.match(text):
        return [x for x in [lock(match.group(1), "SHARE UPDATE EXCLUSIVE")] if x], \
            "CONCURRENTLY: waits for transactions using the index, blocks no reads or writes"
    if match := _REINDEX.match(text):
        return [x for x in [lock(match.group(2), "SHARE UPDATE EXCLUSIVE", scan=True)] if x], \
            "CONCURRENTLY: reads and writes go on while the index rebuilds"
    if match := _DETACH.match(text):
        locks = [lock(match.group(1), "SHARE UPDATE EXCLUSIVE"), lock(match.group(2), "SHARE UPDATE EXCLUSIVE")]
        return [x for x in locks if x], "CONCURRENTLY: the detach waits for older transactions"
    if match := _VACUUM.match(text):
        rest = match.group(1)
        options = re.match(r"\s*\(([^)]*)\)", rest)
        full = bool(re.match(r"\s*full\b", rest, re.IGNORECASE)) or bool(
            options and re.search(r"\bfull\b(?!\s+(?:false|off|0)\b)", options.group(1), re.IGNORECASE))
        tables = rest[options.end():] if options else re.sub(r"^\s*(?:(?:full|freeze|verbose|analyze)\s+)*", "", rest,
                                                             flags=re.IGNORECASE)
        names = [n.strip().split("(")[0].strip() for n in tables.split(",") if n.strip()]
        mode = "ACCESS EXCLUSIVE" if full else "SHARE UPDATE EXCLUSIVE"
        locks = [lock(n, mode, rewrite=full, scan=not full) for n in names]
        what = "VACUUM FULL rewrites each table" if full else "VACUUM blocks no reads or writes"
        return [x for x in locks if x], what + ("" if names else " (every table of the database)")
    return [], "not measured: it cannot run in a transaction, and it locks no table pgrelease knows of"


def _units(item: ParsedMigration) -> Iterator[tuple[bool, str | None, tuple[Statement, ...]]]:
    """(in a transaction, SET TRANSACTION modes, statements) in the order the runner runs them."""
    if item.blocks:
        for block in item.blocks:
            if block.explicit:
                yield True, block.set_transaction, tuple(block.statements)
            else:
                for stmt in block.statements:
                    yield non_transactional(stmt) is None, None, (stmt,)
    elif not item.transactional:
        for stmt in item.statements:
            yield non_transactional(stmt) is None, None, (stmt,)
    else:
        yield True, item.set_transaction, tuple(item.statements)


def probe_migrations(dsn: Dsn, pending: list[ParsedMigration], *, statement_timeout: str = "0",
                     connect_options: ConnectOptions | None = None,
                     progress: ProgressFn | None = None) -> list[MigrationImpact]:
    """Run ``pending`` on ``dsn`` in order with the probe; the database then holds what the
    real replay leaves (history rows aside). The first migration that fails stops the probe:
    its impact carries the error, the later ones are not measured."""
    out: list[MigrationImpact] = []
    with connect(dsn, connect_options) as conn:
        for index, item in enumerate(pending, start=1):
            migration = MigrationImpact(item.file.version, item.file.name, item.file.display_path, item.no_transaction)
            out.append(migration)
            if progress is not None:
                progress("start", index=index, total=len(pending), name=item.file.filename)
            started = time.perf_counter()
            try:
                for in_transaction, set_transaction, statements in _units(item):
                    if in_transaction:
                        _probe_transaction(conn, statements, set_transaction, statement_timeout, migration,
                                           transactional=item.transactional)
                    else:
                        _run_stated(conn, statements[0], migration)
            except _ProbeFailed as failed:
                migration.error = failed.error
                break
            if progress is not None:
                progress("done", index=index, total=len(pending), name=item.file.filename, status="measured",
                         duration_ms=(time.perf_counter() - started) * 1000)
    return out


class _ProbeFailed(Exception):
    def __init__(self, error: PgReleaseError) -> None:
        super().__init__(error.message)
        self.error = error


def _failed(migration: MigrationImpact, stmt: Statement, exc: psycopg.Error) -> _ProbeFailed:
    from ..errors import MigrationFailed

    diag = exc.diag
    return _ProbeFailed(MigrationFailed(
        f"the impact probe could not run {migration.file}: {diag.message_primary or exc}", file=migration.file,
        line=stmt.line, sqlstate=exc.sqlstate, detail=diag.message_detail, hint=diag.message_hint))


def _probe_transaction(conn: psycopg.Connection, statements: tuple[Statement, ...], set_transaction: str | None,
                       statement_timeout: str, migration: MigrationImpact, *, transactional: bool) -> None:
    with conn.transaction():
        if set_transaction:
            conn.execute(set_transaction)
        if transactional:
            conn.execute("RESET ALL")
        conn.execute("select set_config('lock_timeout', '10s', true), set_config('statement_timeout', %s, true)",
                     (statement_timeout,))
        before = _snapshot(conn)
        existing = set(before)
        with conn.cursor() as cur:
            for stmt in statements:
                try:
                    execute_statement(cur, stmt)
                except psycopg.Error as exc:
                    raise _failed(migration, stmt, exc) from None
                after = _snapshot(conn)
                migration.statements.append(StatementImpact(stmt.line, _one_line(stmt.sql),
                                                            _changes(before, after, existing),
                                                            in_transaction=transactional))
                before = after


def _run_stated(conn: psycopg.Connection, stmt: Statement, migration: MigrationImpact) -> None:
    locks, note = _stated(conn, stmt)
    try:
        with conn.cursor() as cur:
            execute_statement(cur, stmt)
    except psycopg.Error as exc:
        raise _failed(migration, stmt, exc) from None
    migration.statements.append(StatementImpact(stmt.line, _one_line(stmt.sql), locks, in_transaction=False,
                                                note=note))


# -- where it runs -----------------------------------------------------------------------
@dataclass(frozen=True)
class ImpactOptions:
    shadow: ShadowOptions = ShadowOptions()
    statement_timeout: str = "0"


@contextmanager
def _probe_database(server: Dsn, connect_options: ConnectOptions | None) -> Iterator[Dsn | None]:
    """A new database on ``server`` (dropped afterwards), or None when its user may not
    create one."""
    name = f"pgrelease_impact_{uuid.uuid4().hex[:12]}"
    try:
        with connect(server, connect_options) as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    except (psycopg.Error, PgReleaseError):
        yield None
        return
    try:
        yield server.with_dbname(name)
    finally:
        try:
            with connect(server, connect_options) as conn:
                conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        except (psycopg.Error, PgReleaseError):
            pass


def measure(workdir: Path, target: Dsn | None = None, options: ImpactOptions = ImpactOptions(), *,
            pending: Iterable[str] | None = None, shadow_run: ShadowRun | None = None,
            connect_options: ConnectOptions | None = None, progress: ProgressFn | None = None,
            own_database: bool = False) -> ImpactResult:
    """The impact of what ``target`` has pending (every migration without a target), or of the
    ``pending`` versions when given (the gate without staging: what the pull request changes).

    The migrations before them (what the target has applied, and versions it recorded with no
    local file, from their history rows) are replayed first: on a new database of
    ``shadow_run``'s server when given (the gate's shadow stays as it is), else on a fresh
    embedded server. ``target`` also gives each relation its size there. ``own_database``: the
    ``--shadow-url`` of ``options.shadow`` stays empty for later steps (promote's drift), the
    probe runs in a database of its own on that server (not measured when its user may not
    create one)."""
    started = time.perf_counter()
    workdir = Path(workdir)
    result = ImpactResult(target=target.masked() if target is not None else None)
    local = discover(workdir)
    by_version = local.by_version()
    applied: frozenset[str] = frozenset()
    extra: tuple = ()
    if target is not None:
        with connect(target, connect_options) as conn:
            recorded = history.read_history(conn)
        applied = frozenset(a.version for a in recorded if a.version in by_version)
        extra = tuple(a for a in recorded if a.version not in by_version and a.statements is not None)
        if extra:
            result.notes.append(f"{len(extra)} version(s) recorded on the target with no local file were replayed from"
                                f" their history rows first ({', '.join(a.version for a in extra[:5])})")
    if pending is not None:
        wanted = set(pending)
        applied = frozenset(v for v in by_version if v not in wanted)
    pending_parsed = parse_migrations([m for m in local.files if m.version not in applied])
    if not pending_parsed:
        result.notes.append("nothing pending: no migration to measure")
        result.duration_ms = (time.perf_counter() - started) * 1000
        return result
    shadow_options = replace(options.shadow, run_checks=False, only_versions=applied, history_rows=extra)
    with ExitStack() as stack:
        server = shadow_run.dsn if shadow_run is not None else (options.shadow.shadow_url if own_database else None)
        database = stack.enter_context(_probe_database(server, connect_options)) if server is not None else None
        if database is not None:
            shadow_options = replace(shadow_options, shadow_url=database)
        elif server is not None and shadow_run is None:
            raise PgReleaseError("the --shadow-url's user may not create a database for the impact probe (the"
                                 " shadow database itself stays empty for the drift check)",
                                 hint="give the --shadow-url's user CREATEDB, or leave out --shadow-url (an"
                                      " embedded server is used)")
        run = stack.enter_context(replayed_shadow(workdir, shadow_options, connect_options=connect_options))
        label = shadow_run.label if shadow_run is not None else run.label
        result.shadow = run.label if database is None else f"{label}, database of its own"
        result.warnings.extend(w for w in run.warnings if not w.startswith("skipped "))
        if not run.ok:
            failure = run.failure
            raise PgReleaseError(f"the replay of what the target has applied failed before the impact probe:"
                                 f" {failure.message if failure else 'unknown error'}",
                                 file=failure.file if failure else None, line=failure.line if failure else None,
                                 sqlstate=failure.sqlstate if failure else None)
        result.migrations = probe_migrations(run.dsn, pending_parsed, statement_timeout=options.statement_timeout,
                                             connect_options=connect_options, progress=progress)
    if target is not None:
        add_sizes(result, target, connect_options)
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result
