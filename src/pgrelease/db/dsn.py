"""A database target whose password can never be rendered.

``Dsn`` keeps the password in a private slot; ``str``, ``repr``, ``masked()``, ``to_dict()``
and every error message built from it show ``***``. Only ``conninfo()``, which is handed to
libpq and never printed, contains the secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ..errors import UsageError

MASK = "***"
SECRET_PARAMS = ("password", "sslpassword")  # never rendered; registered with the scrubber
SUPABASE_REF = re.compile(r"^[a-z]{20}$")


@dataclass(frozen=True)
class Dsn:
    host: str | None = None
    port: int | None = None
    dbname: str | None = None
    user: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    _password: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        from ..secrets import register  # noqa: PLC0415 - every password this run holds is scrubbed

        register(self._password, *(value for key, value in self.params if key in SECRET_PARAMS),
                 f"{self.user}:{self._password}" if self.user and self._password else None)

    # -- construction -------------------------------------------------------------
    @classmethod
    def parse(cls, url: str) -> "Dsn":
        """Parse a postgres:// URL or a libpq key=value string."""
        url = (url or "").strip()
        if not url:
            raise UsageError("empty database URL", hint="pass --db-url postgresql://user@host:5432/db")
        if "://" in url:
            return cls._parse_url(url)
        from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415 - keep start-up light

        try:
            parts = conninfo_to_dict(url)
        except Exception:  # psycopg echoes the string back: never include it
            raise UsageError(
                "the database URL could not be parsed",
                hint="use postgresql://user:<password>@host:5432/dbname",
            ) from None
        password = parts.pop("password", None)
        port = parts.pop("port", None)
        return cls(
            host=parts.pop("host", None),
            port=_port(port),
            dbname=parts.pop("dbname", None),
            user=parts.pop("user", None),
            params=tuple(sorted((k, str(v)) for k, v in parts.items())),
            _password=password,
        )

    @classmethod
    def _parse_url(cls, url: str) -> "Dsn":
        scheme = url.split("://", 1)[0].lower()
        if scheme not in ("postgres", "postgresql"):
            raise UsageError(
                f"unsupported URL scheme '{scheme}://'",
                hint="database URLs start with postgresql:// or postgres://",
            )
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise UsageError(
                "the database URL could not be parsed (bad port or characters)",
                hint="percent-encode special characters in the password, e.g. @ as %40",
            ) from None
        host = unquote(parts.hostname) if parts.hostname else None
        dbname = unquote(parts.path.lstrip("/")) or None
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        query_password = params.pop("password", None)  # never kept among the rendered parameters
        password = unquote(parts.password) if parts.password is not None else query_password
        return cls(
            host=host or params.pop("host", None),
            port=_port(port) if port is not None else _port(params.pop("port", None)),  # 0 refused too
            dbname=dbname or params.pop("dbname", None),
            user=unquote(parts.username) if parts.username else params.pop("user", None),
            params=tuple(sorted(params.items())),
            _password=password,
        )

    @classmethod
    def for_supabase_project(
        cls,
        ref: str,
        password: str | None,
        *,
        host: str | None = None,
        port: int | None = None,
        user: str | None = None,
    ) -> "Dsn":
        if not SUPABASE_REF.match(ref or ""):
            raise UsageError(
                f"'{ref}' is not a Supabase project ref",
                hint="a project ref is 20 lowercase letters, as in https://<ref>.supabase.co",
            )
        if not password:
            raise UsageError(
                "no database password for the project",
                hint="set PGRELEASE_DB_PASSWORD (from a secret); passwords are never taken as flags",
            )
        return cls(
            host=host or f"db.{ref}.supabase.co",
            port=port or 5432,
            dbname="postgres",
            user=user or "postgres",
            params=(("sslmode", "require"),),
            _password=password,
        )

    # -- derived ------------------------------------------------------------------
    @property
    def password(self) -> str | None:
        """The secret itself, for code that must hand it on (masking in CI logs)."""
        return self._password

    @property
    def has_password(self) -> bool:
        return bool(self._password)

    def with_password(self, password: str | None) -> "Dsn":
        return replace(self, _password=password)

    def with_dbname(self, dbname: str) -> "Dsn":
        return replace(self, dbname=dbname)

    def with_params(self, **extra: str) -> "Dsn":
        merged = dict(self.params)
        merged.update({k: str(v) for k, v in extra.items()})
        return replace(self, params=tuple(sorted(merged.items())))

    @property
    def location(self) -> str:
        """host:port, as used in messages (a socket directory shows as its path)."""
        return f"{self.host or 'localhost'}:{self.port or 5432}"

    def conninfo(self) -> str:
        """libpq connection string including the password. Never print this."""
        from psycopg.conninfo import make_conninfo  # noqa: PLC0415 - keep start-up light

        kwargs: dict[str, object] = dict(self.params)
        for key in ("host", "port", "dbname", "user"):
            value = getattr(self, key)
            if value is not None:
                kwargs[key] = value
        if self._password is not None:
            kwargs["password"] = self._password
        return make_conninfo("", **kwargs)

    def url(self, *, reveal: bool = False) -> str:
        """postgresql:// URL; the password is masked unless ``reveal`` (for subprocesses only)."""
        auth = ""
        if self.user:
            auth = quote(self.user, safe="")
            if self._password is not None:
                auth += ":" + (quote(self._password, safe="") if reveal else MASK)
            auth += "@"
        host = self.host or "localhost"
        query_items = list(self.params)
        if host.startswith("/"):
            query_items.append(("host", host))
            host = ""
        elif ":" in host:
            host = f"[{host}]"
        netloc = f"{auth}{host}"
        if self.port:
            netloc += f":{self.port}"
        query = "&".join(f"{quote(k)}={MASK if k in SECRET_PARAMS and not reveal else quote(v, safe='')}"
                         for k, v in query_items)
        return f"postgresql://{netloc}/{quote(self.dbname or '', safe='')}" + (f"?{query}" if query else "")

    def masked(self) -> str:
        return self.url(reveal=False)

    def to_dict(self) -> dict[str, object]:
        return {"url": self.masked(), "host": self.host, "port": self.port, "dbname": self.dbname, "user": self.user}

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"Dsn({self.masked()!r})"

    def scrub(self, text: str) -> str:
        """Remove this target's password from arbitrary text (server or driver messages)."""
        if not text or not self._password:
            return text
        out = text
        for form in {self._password, quote(self._password, safe="")}:
            if form:
                out = out.replace(form, MASK)
        return out


def _port(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        port = int(str(value))
    except ValueError:
        raise UsageError(f"port '{value}' is not a number", hint="use a port such as 5432") from None
    if not 0 < port < 65536:
        raise UsageError(f"port {port} is out of range", hint="use a port such as 5432")
    return port
