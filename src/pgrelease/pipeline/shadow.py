"""Shadow replay: every migration on a throwaway database that looks like a new Supabase
project, then the smoke and verify scripts. Embedded server by default, ``--shadow-url`` for
an existing empty database (for example a service container in Actions)."""

from __future__ import annotations

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
from ..db import hosted, webhooks
from ..db.roles import RoleSpec, apply_roles_file, create_roles, roles_file
from ..db.sqlfiles import load_sql
from ..db.supabase_extensions import not_offered_hint, offered
from ..errors import CheckFailed, EnvironmentFailure, PgReleaseError, UsageError
from ..migrations.apply import ProgressFn, PushOptions, PushResult, push
from ..migrations.files import MigrationFile, MigrationSet, discover
from ..migrations.heads import create_extension, create_schema, schema_owner
from ..migrations.history import AppliedMigration
from ..migrations.parse import ParsedMigration, parse_migrations
from ..migrations.syntax import first_syntax_error, grammar_major


# What --baseline auto looks for on a target, besides the auth schema
SUPABASE_SIGNS = ("anon", "authenticated", "service_role", "supabase_auth_admin")


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
    superuser: bool = False  # replay as a superuser, not as hosted Supabase's postgres (--superuser)
    baseline_auto: bool = False  # --baseline auto: for_target() decides from the target (without one: supabase)
    baseline_note: str | None = None  # what for_target() chose, and why (a note in the report)

    @property
    def hosted(self) -> bool:
        """Replay with hosted Supabase's permissions: the Supabase baseline, and not --superuser."""
        return self.baseline and not self.superuser


@dataclass
class ShadowRun:
    """A replay on a shadow database; while its ``replayed_shadow`` block runs, the shadow is
    up, so later steps (drift, the ER diagram) can snapshot ``dsn``."""

    dsn: Dsn
    label: str
    server_version: str = ""
    baseline: bool = True
    hosted: bool = False  # replayed as hosted Supabase's postgres (not a superuser)
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
    used_first: list[str] = []  # used by a file before any file creates it
    guarded: dict[str, bool] = {}  # name -> every CREATE EXTENSION of it says IF NOT EXISTS
    for item in parsed:
        here: list[str] = []
        for stmt in item.statements:
            head = create_extension(stmt.sql)
            if head is not None:
                here.append(head.name)
                guarded[head.name] = guarded.get(head.name, True) and head.if_not_exists
        for name in referenced_extensions(item.file.text):
            if name not in referenced:
                referenced.append(name)
                if name not in created and name not in here:
                    used_first.append(name)
        created += [name for name in dict.fromkeys(here) if name not in created]
    # a project that uses an extension (GRANT USAGE ON SCHEMA net, ...) before a later file creates it
    # IF NOT EXISTS had it enabled from the dashboard already: the shadow enables it from the start too
    return created, [name for name in referenced
                     if name not in created or (name in used_first and guarded.get(name, False))]


def preinstalled_extensions(parsed: list[ParsedMigration]) -> list[str]:
    """Extensions the migrations expect to find installed from the start in a schema of their
    own: ``CREATE EXTENSION IF NOT EXISTS "pgsodium" WITH SCHEMA "pgsodium"`` (as `supabase db
    pull` writes it for projects that had pgsodium, pg_graphql or supabase_vault from the start)
    before any migration creates that schema. On such a project the statement is a no-op; on a
    database without the schema it fails, so the shadow installs these first. A dump that writes
    ``CREATE SCHEMA IF NOT EXISTS "pgsodium"; ALTER SCHEMA "pgsodium" OWNER TO "supabase_admin"``
    first expects it too (only Supabase's own schemas belong to supabase_admin)."""
    found: list[str] = []
    created_schemas: set[str] = set()
    maybe_existing: set[str] = set()
    for item in parsed:
        for stmt in item.statements:
            made = create_schema(stmt.sql)
            if made is not None:
                schema, guarded = made
                created_schemas.add(schema)
                if guarded:
                    maybe_existing.add(schema)
                continue
            owner = schema_owner(stmt.sql)
            if owner is not None:
                if owner[1] == "supabase_admin" and owner[0] in maybe_existing:
                    created_schemas.discard(owner[0])
                continue
            head = create_extension(stmt.sql)
            if head is None or not head.if_not_exists or head.schema is None:
                continue
            name, schema = head.name, head.schema
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
        if options.hosted:  # supabase_admin bootstraps the cluster, postgres is not a superuser
            dsn = hosted.make_hosted_cluster(dsn)
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
            head = create_extension(stmt.sql)
            if head is None:
                continue
            name = head.name
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


def _admin_to_postgres(conn, before: set[str]) -> None:  # noqa: ANN001
    """On PostgreSQL 16+ the roles of roles.sql and of the target were created by postgres on the
    hosted project, which made postgres their admin (CREATEROLE's implicit grant: ADMIN, not INHERIT
    nor SET); the shadow made them as the superuser, so it grants the same."""
    if int(conn.execute("show server_version_num").fetchone()[0]) < 160000:
        return
    rows = conn.execute("select rolname from pg_catalog.pg_roles where not rolsuper and rolname <> %s"
                        " and not (rolname = any(%s)) and left(rolname, 3) <> 'pg_'",
                        (hosted.HOSTED_ROLE, sorted(before))).fetchall()
    for (name,) in rows:
        conn.execute(sql.SQL("GRANT {} TO {} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE").format(
            sql.Identifier(name), sql.Identifier(hosted.HOSTED_ROLE)))


def _hosted_migrations(migrations: MigrationSet, notes: list[str]) -> MigrationSet:
    """The migrations as the hosted shadow runs them: what supautils lets postgres do that PostgreSQL
    reserves for an owner or a superuser runs as the superuser, statement by statement."""
    files: list[MigrationFile] = []
    routed: list[str] = []
    extensions = 0
    for item in parse_migrations(migrations.files):
        text, done = hosted.hosted_text(item.file.text, item.written or item.statements)
        if not done:
            files.append(item.file)
            continue
        copy = MigrationFile(item.file.version, item.file.name, item.file.path, item.file.display_path)
        copy.__dict__["text"] = text  # the cached text: what the runner splits and runs
        files.append(copy)
        # CREATE EXTENSION always takes this path: counted, not listed
        routed.extend(f"{item.file.filename} {what}" for what in done if ": create extension " not in what)
        extensions += sum(1 for what in done if ": create extension " in what)
    if routed:
        shown = "; ".join(routed[:8]) + (f"; ... ({len(routed)} in all)" if len(routed) > 8 else "")
        notes.append(f"{len(routed)} statement(s) ran as supabase_admin, as supautils"
                     f" lets postgres do on hosted Supabase: {shown}")
    if extensions:
        notes.append(f"{extensions} CREATE EXTENSION statement(s) ran as supabase_admin, as supautils runs the"
                     " extensions Supabase offers")
    return MigrationSet(migrations.directory, files, migrations.skipped)


_REFUSAL_HINT = ("hosted Supabase runs migrations as postgres, which may add policies and triggers to auth, storage"
                 " and realtime tables and reference them in foreign keys, but not alter, comment on or drop them, nor"
                 " create objects in those schemas: put the object in public or a schema of your own; --superuser"
                 " replays as a superuser instead (not as hosted Supabase does)")


def _explain_refusal(run: "ShadowRun") -> None:
    """A 42501 on the hosted shadow says what hosted Supabase says: that it refuses it, and why."""
    failure = run.failure
    if failure is None or failure.sqlstate != "42501" or failure.message.startswith(hosted.REFUSED_PREFIX):
        return
    stmt = None
    for item in run.parsed:
        if item.file.display_path != failure.file:
            continue
        for candidate in item.written or item.statements:
            if candidate.line <= (failure.line or 0) <= candidate.end_line:
                stmt = candidate
    if stmt is not None and hosted.dynamic_sql_in_do(stmt.sql):
        # EXECUTE in a DO block: supautils sees what it builds, the shadow cannot route it
        failure.message = (f"the hosted shadow ran SQL built by EXECUTE in a DO block as postgres, and the server"
                           f" refused it: {failure.message}")
        failure.hint = "; ".join(h for h in (
            "hosted Supabase lets postgres create, alter and drop policies and triggers on auth, storage and realtime"
            " tables in such SQL too, which the shadow cannot see before it runs: if that is all this block does,"
            " replay with --superuser", failure.hint) if h)
        failure.extra["hosted_refusal"] = "dynamic SQL in a DO block"
        return
    why = hosted.explain_refusal(stmt.sql) if stmt is not None else None
    why = why or "migrations run as postgres, which is not a superuser there"
    failure.message = f"{hosted.REFUSED_PREFIX}{why}; the server said: {failure.message}"
    failure.hint = "; ".join(h for h in (_REFUSAL_HINT, failure.hint) if h)
    failure.extra["hosted_refusal"] = why


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


def baseline_options(choice: str) -> dict[str, bool]:
    """ShadowOptions fields for ``--baseline auto|supabase|none``."""
    if choice not in ("auto", "supabase", "none"):
        raise UsageError(f"--baseline {choice!r} is not one of auto, supabase, none",
                         hint="auto (the Supabase baseline when the target looks like Supabase), supabase or none")
    return {"baseline": choice != "none", "baseline_auto": choice == "auto"}


def looks_like_supabase(conn) -> tuple[bool, str]:  # noqa: ANN001
    """(is it, why): a Supabase database has the auth schema and Supabase's roles."""
    row = conn.execute(load_sql("pgrelease.pipeline", "looks_like_supabase"), {"roles": list(SUPABASE_SIGNS)}).fetchone()
    has_auth, present = bool(row[0]), set(row[1] or ())
    lacking = [r for r in SUPABASE_SIGNS if r not in present]
    if has_auth and not lacking:
        return True, "it has the auth schema and Supabase's roles"
    parts = ([] if has_auth else ["no auth schema"]) + ([f"no role {', '.join(lacking)}"] if lacking else [])
    return False, "; ".join(parts)


def for_target(options: ShadowOptions, target: Dsn, connect_options: ConnectOptions | None = None) -> ShadowOptions:
    """The shadow options for replaying what ``target`` should hold: its major (a local installation
    of it is used when there is one), its own roles (names and attributes, never passwords) and,
    with ``--baseline auto``, the Supabase baseline only when the target looks like Supabase."""
    from dataclasses import replace

    from ..db.roles import target_roles

    with connect(target, connect_options) as conn:
        major = int(conn.execute("show server_version_num").fetchone()[0]) // 10000
        roles = tuple(target_roles(conn))
        changes: dict = {}
        if options.baseline_auto:
            supabase, why = looks_like_supabase(conn)
            changes = {"baseline": supabase, "baseline_auto": False,
                       "baseline_note": (f"baseline: supabase (--baseline auto: the target looks like Supabase: {why})"
                                         if supabase else
                                         f"baseline: none, plain PostgreSQL (--baseline auto: the target does not look"
                                         f" like Supabase: {why}); --baseline supabase loads it anyway")}
    return replace(options, target_major=options.target_major or major, extra_roles=options.extra_roles or roles,
                   **changes)


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
        if int(conn.execute("show server_version_num").fetchone()[0]) // 10000 <= grammar_major():
            refused = first_syntax_error(parsed)  # before anything runs, at its file and line
            if refused is not None:
                raise refused
        if options.baseline:
            apply_supabase_baseline(conn)
            if webhooks.creates_webhooks_schema(s.sql for item in parsed for s in item.statements):
                conn.execute(load_sql("pgrelease.db", "without_supabase_functions"))
                notes.append("started without schema supabase_functions: the migrations create it (a new hosted"
                             " project has it only once Database Webhooks are enabled)")
        before = {r[0] for r in conn.execute("select rolname from pg_catalog.pg_roles").fetchall()}
        _create_roles(conn, migrations, options, notes)
        if options.hosted:
            _admin_to_postgres(conn, before)
        missing = missing_extensions(conn, created + implied)
        if not missing and options.baseline:
            for name in preinstalled_extensions(parsed):  # what older hosted projects had from the start
                schema = PREINSTALLED_IN_OWN_SCHEMA[name]
                if conn.execute("select 1 from pg_extension where extname = %s", (name,)).fetchone() \
                        or conn.execute("select 1 from pg_namespace where nspname = %s", (schema,)).fetchone():
                    continue
                conn.execute(sql.SQL("create schema {schema}; create extension {name} with schema {schema}").format(
                    schema=sql.Identifier(schema), name=sql.Identifier(name)))
                conn.execute(hosted.extension_grants_sql(name))
                notes.append(f"installed extension {name} in schema {schema} before the replay: the migrations expect"
                             f" it there from the start (CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA {schema},"
                             " as `supabase db pull` writes it for projects that had it from the start)")
            for name in implied:  # what a hosted project has enabled from the dashboard
                if conn.execute("select 1 from pg_extension where extname = %s", (name,)).fetchone():
                    continue
                conn.execute(sql.SQL("create extension {}").format(sql.Identifier(name)))
                conn.execute(hosted.extension_grants_sql(name))
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
        if options.baseline_note:
            run.notes.append(options.baseline_note)
        run.parsed = prepare_shadow(dsn, migrations, options, connect_options, run.notes)
        with connect(dsn, connect_options) as conn:
            run.server_version = conn.execute("show server_version").fetchone()[0]
            as_hosted = options.hosted
            if as_hosted:
                why_not = hosted.hosted_possible(conn)
                if why_not:
                    as_hosted = False
                    who = "as a superuser" if "not a superuser" not in why_not else "as the --shadow-url's user"
                    run.warnings.append(f"replayed {who}, not with hosted Supabase's permissions: {why_not}"
                                        " (use the embedded server, or a --shadow-url whose user is a superuser"
                                        " other than postgres, e.g. supabase_admin)")
            if as_hosted:
                migrations = _hosted_migrations(migrations, run.notes)
                hosted.become_postgres(conn)
                run.notes.insert(0, "replayed as role postgres with hosted Supabase's permissions (not a superuser;"
                                    " auth, storage and realtime belong to Supabase's roles); --superuser replays as"
                                    " a superuser")
            run.hosted = as_hosted
            run.push = push(dsn, migrations, PushOptions(lock_wait=5, statement_timeout=options.statement_timeout),
                            conn=conn, progress=progress)
            if as_hosted:
                _explain_refusal(run)
            if run.push.failure is None and options.run_checks:
                run.verify = run_scripts(conn, workdir, target=label)
        run.duration_ms = (time.perf_counter() - started) * 1000
        yield run
