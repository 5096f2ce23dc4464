"""Open connections with a timeout, a few retries on transient failures, and errors that
name the host and port, the cause and a hint, never the password."""

from __future__ import annotations

import time

import psycopg

from ..errors import EnvironmentFailure
from .dsn import Dsn
from .options import APPLICATION_NAME, ConnectOptions

__all__ = ["APPLICATION_NAME", "ConnectOptions", "connect", "describe_connect_error"]

# (substring of libpq's message, cause, hint, transient?)
_CAUSES: tuple[tuple[str, str, str, bool], ...] = (
    ("password authentication failed", "password authentication failed",
     "check the password secret (PGRELEASE_DB_PASSWORD or the URL) for this user", False),
    ("no password supplied", "the server asks for a password and none was given",
     "set PGRELEASE_DB_PASSWORD or put <password> in the URL", False),
    ("could not translate host name", "the host name does not resolve",
     "check the host (a Supabase project host is db.<ref>.supabase.co)", True),
    ("Name or service not known", "the host name does not resolve",
     "check the host (a Supabase project host is db.<ref>.supabase.co)", True),
    ("Connection refused", "connection refused",
     "is the server running and listening on that host and port?", True),
    ("timeout expired", "connection timed out",
     "check network access to the host, or raise --connect-timeout", True),
    ("does not exist", "the database or role does not exist",
     "check the database name and user in the URL", False),
    ("no pg_hba.conf entry", "the server refuses this client (pg_hba.conf)",
     "allow this client's address on the server, or use sslmode=require", False),
    ("SSL", "TLS negotiation failed",
     "check sslmode (Supabase requires sslmode=require)", False),
    ("too many connections", "the server has no free connection slots",
     "close idle sessions or use the pooler port", True),
    ("the database system is starting up", "the server is starting up", "retry in a moment", True),
    ("the database system is shutting down", "the server is shutting down", "retry later", True),
    ("Network is unreachable", "the network is unreachable",
     "check network access (IPv6-only hosts need IPv6, or use the pooler)", True),
    ("No route to host", "no route to the host", "check network access to the host", True),
)


def describe_connect_error(exc: Exception, dsn: Dsn) -> tuple[str, str, bool]:
    raw = dsn.scrub(str(exc))
    for needle, cause, hint, transient in _CAUSES:
        if needle.lower() in raw.lower():
            return cause, hint, transient
    first = raw.strip().splitlines()[-1] if raw.strip() else type(exc).__name__
    return first, "check the URL, the network and the server log", True


def connect(dsn: Dsn, options: ConnectOptions | None = None, *, autocommit: bool = True) -> psycopg.Connection:
    """Connect to ``dsn``; raises EnvironmentFailure (exit 3) with host, port, cause and hint."""
    options = options or ConnectOptions()
    attempts = max(1, options.retries + 1)
    last: tuple[str, str] = ("unknown", "")
    for attempt in range(attempts):
        try:
            return psycopg.connect(
                dsn.conninfo(),
                connect_timeout=max(1, int(round(options.timeout))),
                application_name=options.application_name,
                autocommit=autocommit,
            )
        except psycopg.OperationalError as exc:
            cause, hint, transient = describe_connect_error(exc, dsn)
            last = (cause, hint)
            if not transient or attempt == attempts - 1:
                break
            time.sleep(options.backoff * (2**attempt))
    cause, hint = last
    raise EnvironmentFailure(
        f"cannot connect to {dsn.location} as {dsn.user or 'default user'}: {cause}",
        hint=hint,
        extra={"target": dsn.masked()},
    )
