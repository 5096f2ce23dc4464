"""Schema guard for Python applications: ``pgrelease.guard.check(dsn, app_version)``.

    from pgrelease import guard

    result = guard.check(os.environ["DATABASE_URL"], "1.4.0")   # or app_version=None: $APP_SCHEMA_VERSION
    if not result.compatible:
        raise SystemExit(f"schema guard: {result.reason} ({result.action})")

``result`` carries ``compatible``, ``reason``, ``action``, ``db_version``, ``app_version``,
``migration``, ``timestamp`` and ``bypassed``. Invalid versions and unclear
``SKIP_SCHEMA_GUARD`` values raise ``pgrelease.errors.UsageError``; an unreachable database
raises ``pgrelease.errors.EnvironmentFailure``. The rules are in ``pgrelease.checks.guard``.
"""

from __future__ import annotations

from .checks.guard import (
    APP_VERSION_ENV,
    SKIP_ENV,
    GuardResult,
    GuardVerdict,
    SemVer,
    SetVersionResult,
    check,
    compare,
    parse_semver,
    set_version,
    skip_requested,
)

__all__ = [
    "APP_VERSION_ENV", "SKIP_ENV", "GuardResult", "GuardVerdict", "SemVer", "SetVersionResult", "check", "compare",
    "parse_semver", "set_version", "skip_requested",
]
