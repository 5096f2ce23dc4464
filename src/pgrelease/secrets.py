"""The one secret scrubber every renderer and publisher goes through.

It knows every secret of the run: the password of every ``Dsn`` made in this process (and
its ``sslpassword``), the GitHub token, credentials in health-check URLs,
``PGRELEASE_DB_PASSWORD``, ``GITHUB_TOKEN`` and other secret-looking environment variables;
and it masks the password of any ``scheme://user:password@`` it finds, and the value of any
``password=`` / ``sslpassword=`` parameter (a URL's query, a key=value conninfo), so what a
server echoes back is masked too. Forms: as is, percent-encoded, base64 (also of ``user:password``,
as a Basic authorization header carries it)."""

from __future__ import annotations

import base64
import os
import re
from urllib.parse import quote

MASK = "***"
_SECRET_ENV = ("PGRELEASE_DB_PASSWORD", "GITHUB_TOKEN", "GH_TOKEN", "PGPASSWORD", "SUPABASE_ACCESS_TOKEN",
               "SUPABASE_DB_PASSWORD", "STAGING_DB_PASSWORD", "PROD_DB_PASSWORD", "INPUT_GITHUB-TOKEN",
               "INPUT_DB-PASSWORD")
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s/]+)(?P<at>@)", re.IGNORECASE)
# a secret-bearing parameter of a URL's query (?sslpassword=...) or of a key=value conninfo
# (password='...'): what a server echoes of another process's connection string
_PARAM_SECRET = re.compile(r"(?P<head>(?<![a-z0-9_])(?:pg)?(?:ssl)?password\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|[^\s&#'\"]+)",
                           re.IGNORECASE)
_registered: set[str] = set()
_MIN_LENGTH = 4  # shorter values would mask ordinary words


def register(*secrets: str | None) -> None:
    """Remember secrets this run knows (a target's password, a token)."""
    for secret in secrets:
        if secret and len(secret) >= _MIN_LENGTH:
            _registered.add(secret)


def forget_all() -> None:
    """Forget registered secrets (a new run in the same process, e.g. tests)."""
    _registered.clear()


def known_secrets(environ: dict[str, str] | None = None) -> set[str]:
    env = os.environ if environ is None else environ
    found = set(_registered)
    for name in _SECRET_ENV:
        value = env.get(name)
        if value and len(value) >= _MIN_LENGTH:
            found.add(value)
    return found


def _forms(secret: str) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote(secret)}
    raw = secret.encode()
    forms.add(base64.b64encode(raw).decode().rstrip("="))
    return {f for f in forms if len(f) >= _MIN_LENGTH}


def scrub(text: str, secrets: set[str] | None = None) -> str:
    """``text`` with every known secret (raw, percent-encoded, base64) and every URL password masked."""
    if not text:
        return text
    out = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK + m.group("at"),
                            text)
    out = _PARAM_SECRET.sub(lambda m: m.group("head") + MASK, out)
    for secret in sorted(known_secrets() if secrets is None else secrets, key=len, reverse=True):
        for form in _forms(secret):
            if form in out:
                out = out.replace(form, MASK)
    return out


def shorten(text: str, limit: int) -> str:
    """``text`` scrubbed, then cut to ``limit`` characters. Never the other way round: a secret
    cut in two is no longer recognised, and its first part would show."""
    return scrub(text)[:limit]
