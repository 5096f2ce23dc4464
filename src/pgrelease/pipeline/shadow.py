"""Shadow replay: every migration on a throwaway database that looks like a new Supabase
project, then the smoke and verify scripts. Embedded server by default, ``--shadow-url`` for
an existing empty database (for example a service container in Actions)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from psycopg import sql

from ..checks.sqlscripts import VerifyResult, run_scripts
from ..db.baseline import (
    PREINSTALLED_IN_OWN_SCHEMA,
    apply_supabase_baseline,
    missing_extensions,
    referenced_extensions,
)
from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..db.embedded import EmbeddedServer, find_binaries, installed_extensions, local_installation
from ..db.roles import RoleSpec, apply_roles_file, create_roles, roles_file
from ..db.supabase_extensions import not_offered_hint, offered
from ..errors import CheckFailed, EnvironmentFailure, PgReleaseError, UsageError
from ..migrations.apply import ProgressFn, PushOptions, PushResult, push
from ..migrations.files import MigrationFile, MigrationSet, discover
from ..migrations.history import AppliedMigration
from ..migrations.parse import ParsedMigration, parse_migrations
from ..report.model import Report
from ..report.steps import shadow_step

_CREATE_EXTENSION = re.compile(
    r'^\s*create\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"((?:[^"]|"")+)"|([\w-]+))', re.IGNORECASE
)
_IDENT = r'(?:"((?:[^"]|"")+)"|([\w$-]+))'
_CREATE_EXTENSION_IF_NOT_EXISTS = re.compile(
    r'^\s*create\s+extension\s+if\s+not\s+exists\s+' + _IDENT + r'(.*)$', re.IGNORECASE | re.DOTALL
)
_SCHEMA_OPTION = re.compile(r'\bschema\s+' + _IDENT, re.IGNORECASE)
_CREATE_SCHEMA = re.compile(r'^\s*create\s+schema\s+(?:if\s+not\s+exists\s+)?' + _IDENT, re.IGNORECASE)


def _ident(quoted: str | None, bare: str | None) -> str:
    return quoted.replace('""', '"') if quoted is not None else (bare or "").lower()


@dataclass(frozen=True)
class ShadowOptions:
    shadow_url: Dsn | None = None
    baseline: bool = True
    pg_bin: str | None = None
    run_checks: bool = True
    statement_timeout: str = "0"
    only_versions: frozenset[str] | None = None  # replay just these (e.g. what a target has applied)
    history_rows: tuple[AppliedMigration, ...] = ()  # also replay these from their recorded statements
    target_major: int | None = None  # the major of the target the shadow stands for (staging, drift's target)
    extra_roles: tuple[RoleSpec, ...] = ()  # the target's own roles, created on the shadow before the replay


@dataclass
class ShadowRun:
    """A replay on a shadow database; while its ``replayed_shadow`` block runs, the shadow is
    up, so later steps (drift, the ER diagram) can snapshot ``dsn``."""

    dsn: Dsn
    label: str
    server_version: str = ""
    baseline: bool = True
    parsed: list[ParsedMigration] = field(default_factory=list)
    push: PushResult | None = None  # the replay itself
    verify: VerifyResult | None = None  # smoke + verify scripts on the shadow, when run
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def failure(self) -> PgReleaseError | None:
        return self.push.failure if self.push is not None else None

    @property
    def ok(self) -> bool:
        return self.push is not None and self.push.failure is None


def required_extensions(parsed: list[ParsedMigration]) -> tuple[list[str], list[str]]:
    """(created, implied): extensions the migrations CREATE, and Supabase extensions they use
    through their schema without creating them (enabled from the dashboard on hosted projects)."""
    created: list[str] = []
    referenced: list[str] = []
    for item in parsed:
        for name in referenced_extensions(item.file.text):
            if name not in referenced:
                referenced.append(name)
        for stmt in item.statements:
            match = _CREATE_EXTENSION.match(stmt.sql)
            if match:
                name = (match.group(1) or "").replace('""', '"') or match.group(2).lower()
                if name not in created:
                    created.append(name)
    return created, [name for name in referenced if name not in created]


def preinstalled_extensions(parsed: list[ParsedMigration]) -> list[str]:
    """Extensions the migrations expect to find installed from the start in a schema of their
    own: ``CREATE EXTENSION IF NOT EXISTS "pgsodium" WITH SCHEMA "pgsodium"`` (as `supabase db
    pull` writes it for projects that had pgsodium, pg_graphql or supabase_vault from the start)
    before any migration creates that schema. On such a project the statement is a no-op; on a
    database without the schema it fails, so the shadow installs these first."""
    found: list[str] = []
    created_schemas: set[str] = set()
    for item in parsed:
        for stmt in item.statements:
            schema_match = _CREATE_SCHEMA.match(stmt.sql)
            if schema_match:
                created_schemas.add(_ident(schema_match.group(1), schema_match.group(2)))
                continue
            match = _CREATE_EXTENSION_IF_NOT_EXISTS.match(stmt.sql)
            if not match:
                continue
            name = _ident(match.group(1), match.group(2))
            option = _SCHEMA_OPTION.search(match.group(3))
            if not option:
                continue
            schema = _ident(option.group(1), option.group(2))
            if (PREINSTALLED_IN_OWN_SCHEMA.get(name) == schema and schema not in created_schemas
                    and name not in found):
                found.append(name)
    return found


def _ensure_empty(dsn: Dsn, connect_options: ConnectOptions | None) -> None:
    with connect(dsn, connect_options) as conn:
        count = conn.execute(
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'public' or n.nspname = 'supabase_migrations'"
        ).fetchone()[0]
    if count:
        raise UsageError(
            f"the shadow database {dsn.location}/{dsn.dbname} is not empty ({count} relations in public/supabase_migrations)",
            hint="--shadow-url must name an empty database: the replay would mix with what is there",
        )


@contextmanager
def shadow_server(options: ShadowOptions, connect_options: ConnectOptions | None = None) -> Iterator[tuple[Dsn, str]]:
    """Yield (dsn, label) of an empty database: embedded and throwaway, or the one given."""
    if options.shadow_url is not None:
        _ensure_empty(options.shadow_url, connect_options)
        yield options.shadow_url, f"shadow {options.shadow_url.masked()}"
        return
    server = EmbeddedServer(bin_dir=options.pg_bin)
    try:
        dsn = server.start()
        binaries = server.binaries
        label = f"embedded PostgreSQL {binaries.major} ({binaries.source})" if binaries else "embedded PostgreSQL"
        yield dsn, label
    finally:
        server.stop()


def refuse_unoffered_extensions(parsed: list[ParsedMigration], major: int | None) -> None:
    """A CREATE EXTENSION of an extension hosted Supabase does not offer (on ``major``) fails as
    it fails there: 0A000, naming the file and line, before anything runs."""
    for item in parsed:
        for stmt in item.statements:
            match = _CREATE_EXTENSION.match(stmt.sql)
            if not match:
                continue
            name = (match.group(1) or "").replace('""', '"') or match.group(2).lower()
            if not offered(name, major):
                on = f" (PostgreSQL {major} projects)" if major else ""
                raise CheckFailed(f"extension {name} is not available on Supabase{on}", sqlstate="0A000",
                                  file=item.file.display_path, line=stmt.line, hint=not_offered_hint(name, major),
                                  extra={"extension": name})


def _create_roles(conn, migrations: MigrationSet, options: ShadowOptions, notes: list[str]) -> None:
    """supabase/roles.sql (the Supabase CLI applies it before the migrations), then the target's roles."""
    path = roles_file(migrations.directory.parent.parent)
    if path is not None:
        ran = apply_roles_file(conn, path, display=str(Path("supabase") / "roles.sql"))
        notes.append(f"applied supabase/roles.sql before the replay ({ran} statement(s))")
    if options.extra_roles:
        created = create_roles(conn, options.extra_roles)
        if created:
            notes.append(f"created the target's roles on the shadow (no passwords): {', '.join(created)}")


def shadow_major_warning(shadow_major: int, target_major: int, target: str = "the target") -> str:
    """The one warning for a shadow that runs another major than its target."""
    return (f"the shadow runs PostgreSQL {shadow_major} and {target} {target_major}: no local PostgreSQL"
            f" {target_major} installation was used (install it, e.g. apt-get install postgresql-{target_major},"
            f" or pass --pg-bin /usr/lib/postgresql/{target_major}/bin, or --shadow-url with a PostgreSQL"
            f" {target_major} server), so syntax only PostgreSQL {shadow_major} accepts passes the shadow")


def shadow_binaries_for_target(options: ShadowOptions, migrations: MigrationSet) -> tuple[ShadowOptions, list[str]]:
    """With the target's major known and no --pg-bin / PGRELEASE_PG_BIN / --shadow-url: replay on a
    local installation of that major when there is one and it has every extension the migrations
    create; otherwise keep the embedded server and warn (once) that the shadow is another major."""
    import os
    from dataclasses import replace

    major = options.target_major
    if major is None or options.shadow_url is not None or options.pg_bin or os.environ.get("PGRELEASE_PG_BIN"):
        return options, []
    try:
        embedded_major = find_binaries(None).major
    except PgReleaseError:
        embedded_major = None
    if embedded_major == major:
        return options, []
    local = local_installation(major)
    if local is not None:
        created, _ = required_extensions(parse_migrations(migrations.files))
        lacking = [n for n in created if n not in installed_extensions(local)]
        if not lacking:
            return replace(options, pg_bin=str(local)), []
        why = (f"the local PostgreSQL {major} ({local}) lacks {', '.join(lacking)}, so the shadow runs on the embedded"
               f" PostgreSQL {embedded_major}")
        return options, [why + "; " + shadow_major_warning(embedded_major or 0, major)]
    return options, [shadow_major_warning(embedded_major or 0, major)]


def for_target(options: ShadowOptions, target: Dsn, connect_options: ConnectOptions | None = None) -> ShadowOptions:
    """The shadow options for replaying what ``target`` should hold: its major (a local installation
    of it is used when there is one) and its own roles (names and attributes, never passwords)."""
    from dataclasses import replace

    from ..db.roles import target_roles

    with connect(target, connect_options) as conn:
        major = int(conn.execute("show server_version_num").fetchone()[0]) // 10000
        roles = tuple(target_roles(conn))
    return replace(options, target_major=options.target_major or major, extra_roles=options.extra_roles or roles)


def prepare_shadow(dsn: Dsn, migrations: MigrationSet, options: ShadowOptions,
                   connect_options: ConnectOptions | None = None,
                   notes: list[str] | None = None) -> list[ParsedMigration]:
    """Parse every migration, load the baseline, and refuse early when an extension is missing."""
    notes = notes if notes is not None else []
    parsed = parse_migrations(migrations.files)
    created, implied = required_extensions(parsed)
    if options.baseline:
        refuse_unoffered_extensions(parsed, options.target_major)
    with connect(dsn, connect_options) as conn:
        if options.baseline:
            apply_supabase_baseline(conn)
        _create_roles(conn, migrations, options, notes)
        missing = missing_extensions(conn, created + implied)
        if not missing and options.baseline:
            for name in preinstalled_extensions(parsed):  # what older hosted projects had from the start
                schema = PREINSTALLED_IN_OWN_SCHEMA[name]
                if conn.execute("select 1 from pg_extension where extname = %s", (name,)).fetchone() \
                        or conn.execute("select 1 from pg_namespace where nspname = %s", (schema,)).fetchone():
                    continue
                conn.execute(sql.SQL("create schema {schema}; create extension {name} with schema {schema}").format(
                    schema=sql.Identifier(schema), name=sql.Identifier(name)))
                notes.append(f"installed extension {name} in schema {schema} before the replay: the migrations expect"
                             f" it there from the start (CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA {schema},"
                             " as `supabase db pull` writes it for projects that had it from the start)")
            for name in implied:  # what a hosted project has enabled from the dashboard
                if conn.execute("select 1 from pg_extension where extname = %s", (name,)).fetchone():
                    continue
                conn.execute(sql.SQL("create extension {}").format(sql.Identifier(name)))
                notes.append(f"enabled extension {name}: the migrations use it without creating it"
                             " (on hosted projects it is enabled from the dashboard)")
    if missing:
        name, hint = missing[0]
        others = ", ".join(n for n, _ in missing[1:])
        raise EnvironmentFailure(
            f"extension {name} is not available on the shadow server" + (f" (also missing: {others})" if others else ""),
            hint=hint,
            extra={"missing_extensions": [n for n, _ in missing]},
        )
    return parsed


@contextmanager
def replayed_shadow(
    workdir: Path,
    options: ShadowOptions,
    *,
    connect_options: ConnectOptions | None = None,
    progress: ProgressFn | None = None,
) -> Iterator[ShadowRun]:
    """Replay the project on a shadow and yield the run; the shadow is dropped when the block
    ends. A migration that fails leaves ``run.failure`` set (and no verify run); problems found
    before anything runs (unrunnable files, a missing extension, no server) raise."""
    started = time.perf_counter()
    migrations = discover(workdir)
    skipped = [f"skipped {path}: {reason}" for path, reason in migrations.skipped]
    if options.only_versions is not None:
        migrations.files = [m for m in migrations.files if m.version in options.only_versions]
    if options.history_rows:
        migrations.files = sorted(migrations.files + [MigrationFile.from_history(a.version, a.name, a.statements or ())
                                                      for a in options.history_rows], key=lambda m: m.sort_key)
    parse_migrations(migrations.files)  # refuse every unrunnable file (all at once) before starting anything
    options, major_warnings = shadow_binaries_for_target(options, migrations)
    with shadow_server(options, connect_options) as (dsn, label):
        run = ShadowRun(dsn=dsn, label=label, baseline=options.baseline, warnings=skipped + major_warnings)
        run.parsed = prepare_shadow(dsn, migrations, options, connect_options, run.notes)
        with connect(dsn, connect_options) as conn:
            run.server_version = conn.execute("show server_version").fetchone()[0]
            run.push = push(dsn, migrations, PushOptions(lock_wait=5, statement_timeout=options.statement_timeout),
                            conn=conn, progress=progress)
            if run.push.failure is None and options.run_checks:
                run.verify = run_scripts(conn, workdir, target=label)
        run.duration_ms = (time.perf_counter() - started) * 1000
        yield run


def shadow(
    workdir: Path,
    options: ShadowOptions = ShadowOptions(),
    *,
    connect_options: ConnectOptions | None = None,
    progress: ProgressFn | None = None,
) -> Report:
    """``pgrelease shadow``: a report of one step."""
    with replayed_shadow(workdir, options, connect_options=connect_options, progress=progress) as run:
        return Report.of("shadow", shadow_step(run), target=run.label)
