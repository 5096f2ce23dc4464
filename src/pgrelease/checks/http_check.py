"""HTTP health endpoint check with ``urllib`` (no extra dependency): a 2xx answer within the
timeout, retried on connection errors, timeouts, 429 and 5xx; when the body is JSON with
a ``status`` field, that field must say the service is healthy.

Credentials in the URL (``https://user:pass@host/...``) are sent as Basic auth and never
shown; query values whose names look secret (token, key, secret, password, ...) are masked.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from ..errors import UsageError
from ..report.model import FAIL, OK, WARN, CheckEntry

MASK = "***"
HEALTHY = frozenset({"ok", "pass", "passed", "healthy", "up", "green", "available"})
DEGRADED = frozenset({"warn", "warning", "degraded", "yellow"})
_SECRET_WORDS = ("token", "key", "secret", "password", "passwd", "pwd", "auth", "sig", "signature", "credential")
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class HttpTarget:
    url: str  # without credentials
    shown: str  # masked, for output
    auth: str | None  # Authorization header value
    secrets: tuple[str, ...]  # strings to scrub from any message


def parse_url(url: str) -> HttpTarget:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise UsageError("the health URL could not be parsed", hint="use https://host/health") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"health URL must be http:// or https:// with a host (got scheme {parts.scheme!r})",
                         hint="use https://host/health")
    secrets: list[str] = []
    auth = None
    if parts.username is not None or parts.password is not None:
        user, password = unquote(parts.username or ""), unquote(parts.password or "")
        auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        secrets.extend(s for s in (password, parts.password) if s)
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    query = parse_qsl(parts.query, keep_blank_values=True)
    shown_query = []
    for key, value in query:
        if value and any(word in key.lower() for word in _SECRET_WORDS):
            secrets.append(value)
            shown_query.append((key, MASK))
        else:
            shown_query.append((key, value))
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    shown_netloc = (f"{quote(unquote(parts.username or ''), safe='')}:{MASK}@" if auth else "") + netloc
    shown = urlunsplit((parts.scheme, shown_netloc, parts.path, urlencode(shown_query, safe="*"), ""))
    from ..secrets import register  # noqa: PLC0415

    register(*secrets, f"{unquote(parts.username or '')}:{unquote(parts.password or '')}" if auth else None)
    return HttpTarget(clean, shown, auth, tuple(secrets))


def _scrub(text: str, target: HttpTarget) -> str:
    from ..secrets import scrub  # noqa: PLC0415 - the one scrubber (knows this URL's secrets)

    for secret in target.secrets:
        text = text.replace(secret, MASK)
    return scrub(text)


def check_http(url: str, *, timeout: float = 10.0, retries: int = 2, backoff: float = 0.5,
               name: str = "http") -> CheckEntry:
    """One CheckEntry: ok (2xx, healthy or no JSON status), warning (degraded status or a
    JSON content type with an unparsable body), failed (non-2xx, unreachable, unhealthy)."""
    target = parse_url(url)
    started = time.perf_counter()
    attempts = max(1, retries + 1)
    last_error = "no attempt made"
    hint = "check the URL"
    data: dict[str, object] = {"url": target.shown}
    for attempt in range(attempts):
        attempt_started = time.perf_counter()
        request = urllib.request.Request(target.url, headers={"User-Agent": "pgrelease-health",
                                                               "Accept": "application/json, */*"})
        if target.auth:
            request.add_unredirected_header("Authorization", target.auth)  # not resent on redirects
        retry = False
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
                body = response.read(MAX_BODY)
                code = response.status
                content_type = response.headers.get("Content-Type", "")
            data.update(status_code=code, attempts=attempt + 1,
                        latency_ms=round((time.perf_counter() - attempt_started) * 1000, 1))
            status, message = _judge_body(code, body, content_type, data)
            return CheckEntry(name, status, _scrub(message, target), duration_ms=_ms(started), data=data)
        except urllib.error.HTTPError as exc:
            code = exc.code
            data.update(status_code=code, attempts=attempt + 1)
            last_error = f"HTTP {code} {exc.reason}" if exc.reason else f"HTTP {code}"
            retry = code == 429 or code >= 500
            hint = ("the service reports an error: check its logs" if code >= 500
                    else "check the URL and any credentials it needs")
        except http.client.HTTPException as exc:
            last_error = f"not a valid HTTP answer ({type(exc).__name__})"
            hint = "is this the application's HTTP port?"
            data.update(attempts=attempt + 1)
            retry = True
        except (urllib.error.URLError, TimeoutError, socket.timeout, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
                last_error = f"no answer within {timeout:g}s"
                hint = "the service is slow or unreachable; raise --http-timeout if it is just slow"
            else:
                last_error = f"cannot reach the URL: {reason}"
                hint = "is the service running, and is the host and port right?"
            data.update(attempts=attempt + 1)
            retry = True
        if not retry or attempt == attempts - 1:
            break
        time.sleep(backoff * (2**attempt))
    tries = data.get("attempts", attempts)
    message = f"{target.shown}: {last_error}" + (f" (after {tries} attempts)" if isinstance(tries, int) and tries > 1
                                                  else "")
    data["hint"] = hint
    return CheckEntry(name, FAIL, _scrub(f"{message} (hint: {hint})", target), duration_ms=_ms(started), data=data)


def _judge_body(code: int, body: bytes, content_type: str, data: dict[str, object]) -> tuple[str, str]:
    says_json = "json" in content_type.lower()
    text = body.decode("utf-8", errors="replace").strip()
    if not says_json and not text.startswith("{"):
        return OK, f"HTTP {code}"
    try:
        payload = json.loads(text)
    except ValueError:
        if says_json:
            return WARN, f"HTTP {code}, but the body is not valid JSON (Content-Type {content_type})"
        return OK, f"HTTP {code}"
    if not isinstance(payload, dict) or "status" not in payload:
        return OK, f"HTTP {code}"
    status = payload["status"]
    data["json_status"] = status
    word = str(status).strip().lower() if isinstance(status, (str, bool, int)) else ""
    if word in HEALTHY or status is True:
        return OK, f"HTTP {code}, status {json.dumps(status)}"
    if word in DEGRADED:
        return WARN, f"HTTP {code}, status {json.dumps(status)} (degraded)"
    from ..secrets import shorten  # noqa: PLC0415 - scrubbed before the cut

    return FAIL, f"HTTP {code}, but status is {shorten(json.dumps(status), 60)}"


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
