"""Settings shared by commands: target resolution and the optional pgrelease.toml.

Precedence: command-line flags > environment variables (click's envvar) > pgrelease.toml >
defaults. Passwords come only from the environment or inside a URL, never from a flag.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .db.dsn import Dsn
from .errors import UsageError

PASSWORD_ENV = "PGRELEASE_DB_PASSWORD"
CONFIG_FILE = "pgrelease.toml"


@dataclass(frozen=True)
class TargetSpec:
    db_url: str | None = None
    project_ref: str | None = None
    db_host: str | None = None
    db_port: int | None = None
    db_user: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.db_url or self.project_ref)


def resolve_target(spec: TargetSpec, *, required: bool = True) -> Dsn | None:
    """Turn --db-url or --project-ref (+ PGRELEASE_DB_PASSWORD) into a Dsn; its password is
    registered with the scrubber, so nothing this run prints can show it."""
    dsn = _resolve(spec, required=required)
    if dsn is not None:
        from .secrets import register  # noqa: PLC0415

        register(dsn.password)
    return dsn


def _resolve(spec: TargetSpec, *, required: bool) -> Dsn | None:
    if spec.db_url and spec.project_ref:
        raise UsageError("give either --db-url or --project-ref, not both", hint="one target per command")
    if spec.db_url:
        dsn = Dsn.parse(spec.db_url)
        env_password = os.environ.get(PASSWORD_ENV)
        if not dsn.has_password and env_password:
            dsn = dsn.with_password(env_password)
        if spec.db_host or spec.db_port or spec.db_user:
            from dataclasses import replace

            dsn = replace(
                dsn,
                host=spec.db_host or dsn.host,
                port=spec.db_port or dsn.port,
                user=spec.db_user or dsn.user,
            )
        return dsn
    if spec.project_ref:
        return Dsn.for_supabase_project(
            spec.project_ref,
            os.environ.get(PASSWORD_ENV),
            host=spec.db_host,
            port=spec.db_port,
            user=spec.db_user,
        )
    if required:
        raise UsageError(
            "no database target",
            hint="pass --db-url (or set PGRELEASE_DB_URL), or --project-ref with PGRELEASE_DB_PASSWORD set",
        )
    return None


def load_config(workdir: Path) -> dict[str, Any]:
    """Read <workdir>/pgrelease.toml when present; a malformed file is a usage error."""
    path = Path(workdir) / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not valid TOML: {exc}", file=str(path), hint="fix the syntax") from None
