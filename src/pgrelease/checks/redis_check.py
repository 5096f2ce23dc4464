"""Redis health (the application cache): PING, a write/read/delete of a unique key under
the deployment's prefix (with a TTL, so nothing lingers even if the delete is lost), and
memory use from ``INFO memory``.

The runbook isolates deployments sharing one Redis by key prefix (``stg:``, ``prod:``), so
the prefix must be non-empty and end in ``:``; the check writes nothing outside it.
Failures are warnings (the app degrades without Redis) unless Redis is required.
The password comes from the URL (``redis://:<password>@host:6379/0``) and is never shown.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote, unquote, urlsplit

from ..errors import UsageError
from ..report.model import FAIL, OK, SKIP, WARN, CheckEntry

MASK = "***"
MEMORY_WARN_RATIO = 0.9
KEY_INFIX = "pgrelease:health:"


@dataclass(frozen=True)
class RedisTarget:
    host: str
    port: int
    db: int
    username: str | None
    tls: bool
    _password: str | None = None

    @classmethod
    def parse(cls, url: str) -> "RedisTarget":
        text = (url or "").strip()
        if not text:
            raise UsageError("empty Redis URL", hint="use redis://:<password>@host:6379/0 (env REDIS_URL)")
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            raise UsageError("the Redis URL could not be parsed (bad port or characters)",
                             hint="percent-encode special characters in the password") from None
        if parts.scheme not in ("redis", "rediss"):
            raise UsageError(f"unsupported Redis URL scheme {parts.scheme + '://' if parts.scheme else '(none)'}",
                             hint="use redis:// or rediss:// (TLS)")
        if not parts.hostname:
            raise UsageError("the Redis URL has no host", hint="use redis://:<password>@host:6379/0")
        path = parts.path.strip("/")
        if path and not path.isdigit():
            raise UsageError(f"Redis database '{path}' is not a number", hint="use /0 .. /15 at the end of the URL")
        return cls(host=parts.hostname, port=port or 6379, db=int(path or 0),
                   username=unquote(parts.username) if parts.username else None, tls=parts.scheme == "rediss",
                   _password=unquote(parts.password) if parts.password is not None else None)

    def masked(self) -> str:
        auth = ""
        if self.username or self._password is not None:
            auth = quote(self.username or "", safe="") + (f":{MASK}" if self._password is not None else "") + "@"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'rediss' if self.tls else 'redis'}://{auth}{host}:{self.port}/{self.db}"

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"RedisTarget({self.masked()!r})"

    def scrub(self, text: str) -> str:
        if not text or not self._password:
            return text
        for form in {self._password, quote(self._password, safe="")}:
            text = text.replace(form, MASK)
        return text

    def client(self, timeout: float, retries: int = 1) -> Any:
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        return redis.Redis(
            host=self.host, port=self.port, db=self.db, username=self.username, password=self._password,
            ssl=self.tls, socket_timeout=timeout, socket_connect_timeout=timeout,
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), max(0, retries)),
            client_name="pgrelease-health", decode_responses=True,
        )


def validate_prefix(prefix: str | None) -> str:
    """The key prefix of this deployment: non-empty, ending in ':' (e.g. stg:, prod:)."""
    if prefix is None or prefix == "":
        raise UsageError(
            "the Redis key prefix is empty: deployments sharing this Redis would collide",
            hint="set REDIS_PREFIX (or --redis-prefix) to this environment's prefix, e.g. stg: or prod:",
        )
    if not prefix.endswith(":"):
        raise UsageError(
            f"the Redis key prefix {prefix!r} does not end in ':' (environments would collide: "
            f"it also covers keys such as {prefix}2:...)",
            hint=f"use {prefix}: (the runbook's prefixes are stg: and prod:)",
        )
    if any(ch.isspace() for ch in prefix):
        raise UsageError(f"the Redis key prefix {prefix!r} contains whitespace", hint="use e.g. stg: or prod:")
    return prefix


def _describe(exc: Exception, target: RedisTarget) -> tuple[str, str]:
    import redis

    text = target.scrub(str(exc)) or type(exc).__name__
    lowered = text.lower()
    if "noauth" in lowered or "authentication required" in lowered or (
            isinstance(exc, redis.AuthenticationError) and not target._password):
        return ("the server requires a password and none was given",
                "put the password in REDIS_URL: redis://:<password>@host:port/0")
    if isinstance(exc, redis.AuthenticationError) or "wrongpass" in lowered or "invalid password" in lowered \
            or "invalid username-password" in lowered:
        return "authentication failed", "check the password (and user) in REDIS_URL"
    if "noperm" in lowered or "no permissions" in lowered:
        return f"permission denied: {text}", "the Redis user needs read/write access to keys under the prefix, and INFO"
    if isinstance(exc, redis.TimeoutError) or "timeout" in lowered or "timed out" in lowered:
        return "no answer in time", "check the network, or raise --redis-timeout"
    if "refused" in lowered:
        return "connection refused", "is redis-server running on that host and port?"
    if isinstance(exc, redis.ConnectionError):
        return f"cannot connect: {text}", "check the host and port in REDIS_URL"
    return text, "see the Redis server log"


def check_redis(url: str, prefix: str | None, *, required: bool = False, timeout: float = 5.0,
                retries: int = 1, ttl_seconds: int = 60) -> list[CheckEntry]:
    """Three CheckEntries (ping, write/read/delete, memory). Failures are warnings unless
    ``required``. A bad URL or prefix raises UsageError (configuration, exit 2)."""
    target = RedisTarget.parse(url)
    prefix = validate_prefix(prefix)
    bad = FAIL if required else WARN
    where = target.masked()
    entries: list[CheckEntry] = []
    client = target.client(timeout, retries)

    def run(name: str, fn: Callable[[], tuple[str, str, dict[str, Any]]]) -> CheckEntry:
        started = time.perf_counter()
        try:
            status, message, data = fn()
        except Exception as exc:  # redis raises many types; all become this check's verdict
            cause, hint = _describe(exc, target)
            status, message, data = bad, f"{where}: {cause} (hint: {hint})", {"hint": hint}
        entry = CheckEntry(name, status, target.scrub(message), duration_ms=(time.perf_counter() - started) * 1000,
                           data=data)
        entries.append(entry)
        return entry

    def ping() -> tuple[str, str, dict[str, Any]]:
        started = time.perf_counter()
        answer = client.ping()
        latency = (time.perf_counter() - started) * 1000
        if answer is not True:
            return bad, f"{where}: unexpected PING answer", {}
        return OK, f"{where}: PONG", {"latency_ms": round(latency, 1)}

    def write_read_delete() -> tuple[str, str, dict[str, Any]]:
        key = f"{prefix}{KEY_INFIX}{uuid.uuid4().hex}"
        value = secrets.token_hex(8)
        if not client.set(key, value, ex=max(1, ttl_seconds), nx=True):
            return bad, f"SET {key} did not store the key", {"key": key}
        try:
            got = client.get(key)
        finally:
            deleted = client.delete(key)
        if got != value:
            return bad, f"GET {key} returned a different value than written", {"key": key}
        if deleted != 1 or client.exists(key):
            return bad, f"DEL {key} did not remove the key (it expires in {ttl_seconds}s)", {"key": key}
        return OK, f"SET/GET/DEL under prefix {prefix!r}", {"key_prefix": prefix, "ttl_s": ttl_seconds}

    def memory() -> tuple[str, str, dict[str, Any]]:
        info = client.info("memory")
        used = int(info.get("used_memory", 0))
        limit = int(info.get("maxmemory", 0) or 0)
        policy = info.get("maxmemory_policy")
        data: dict[str, Any] = {"used_bytes": used, "max_bytes": limit, "policy": policy}
        if not limit:
            return OK, f"used {_human(used)}, no maxmemory limit", data
        ratio = used / limit
        data["used_ratio"] = round(ratio, 3)
        message = f"used {_human(used)} of {_human(limit)} ({ratio:.0%}, policy {policy})"
        return (WARN if ratio >= MEMORY_WARN_RATIO else OK), message, data

    try:
        first = run("redis ping", ping)
        if first.status != OK:
            for name in ("redis write/read/delete", "redis memory"):
                entries.append(CheckEntry(name, SKIP, "skipped: Redis did not answer PING"))
            return entries
        run("redis write/read/delete", write_read_delete)
        run("redis memory", memory)
    finally:
        try:
            client.close()
        except Exception:  # noqa: S110 - closing a broken client must not mask the verdict
            pass
    return entries


def _human(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f}{unit}" if unit == "B" else f"{value:.1f}{unit}"
        value /= 1024
    return f"{n}B"
