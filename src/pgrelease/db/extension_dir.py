"""The extension directory an embedded shadow server reads: the installation's own extensions,
pgrelease's stand-ins for the Supabase extensions it lacks, and the versions hosted Supabase ships.

``build_extension_dir(target, real, major, standins)`` fills ``target`` (a new, empty directory
that the server reads as ``<share>/extension``):

- every file of the installation's own ``extension/`` directory, as a symlink: a real module the
  server carries always wins over a stand-in of the same name, and keeps only its own scripts
  (except modules that load only through shared_preload_libraries, which the shadow never sets:
  ``PRELOAD_ONLY``, where the stand-in is used);
- the stand-ins (``db/standins/extension``) of the extensions the installation lacks, their
  control files adjusted to the server's major (parameters it does not know are dropped);
- for every extension of ``supabase_extensions.json``, the versions hosted Supabase ships (the
  version ``create extension`` installs on a project of the server's major, the other major's,
  and the older ones it still builds): a version the files cannot install gets an install script
  of its own, made of the module's default version (its base script and update scripts in order)
  and labelled with the hosted version, plus an empty update script from it to the default; and
  the control's ``default_version`` becomes the hosted one. So ``create extension vector
  version '0.8.0'`` replays on a server whose pgvector is 0.8.6 and reports ``extversion``
  0.8.0 as hosted Supabase does, with 0.8.6's objects (hosted versions are older patch releases
  of the same module: their objects are a subset of the newer one's). ``aliases`` records
  each such label, for the run's notes.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from .supabase_extensions import SupabaseExtension, supabase_extensions

# control-file parameters older servers refuse: name -> first major that reads it
_CONTROL_PARAMETERS_SINCE = {"no_relocate": 16}

# real modules that only load through shared_preload_libraries (their library refuses to load
# otherwise, and CREATE EXTENSION fails), which an embedded shadow server never sets: where
# pgrelease has a stand-in for one, the stand-in is used even if the installation carries it
PRELOAD_ONLY = frozenset({"pg_cron", "pg_net", "pgaudit", "timescaledb"})


@dataclass
class ExtensionDir:
    path: Path
    standins: list[str] = field(default_factory=list)  # stand-ins added (the installation lacks them)
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name -> [(hosted, real default)]
    preload_only: list[str] = field(default_factory=list)  # real modules set aside for their stand-in

    def to_json(self, root: Path) -> str:
        """For a record kept in ``root`` (which holds this directory); read back by from_json."""
        return json.dumps({"path": str(self.path.relative_to(root)), "standins": self.standins,
                           "aliases": self.aliases, "preload_only": self.preload_only})

    @classmethod
    def from_json(cls, root: Path, text: str) -> "ExtensionDir":
        data = json.loads(text)
        return cls(root / data["path"], list(data["standins"]),
                   {k: [tuple(pair) for pair in v] for k, v in data["aliases"].items()}, list(data.get("preload_only", [])))

    def moved(self, old_root: Path, new_root: Path) -> "ExtensionDir":
        return ExtensionDir(new_root / self.path.relative_to(old_root), self.standins, self.aliases, self.preload_only)


def standin_files(standins: Path) -> dict[str, list[Path]]:
    """extension name -> the files of its stand-in in ``standins`` (its .control, its .sql scripts)."""
    files: dict[str, list[Path]] = {}
    for path in sorted(standins.iterdir()) if standins.is_dir() else ():
        if path.suffix in (".control", ".sql"):
            files.setdefault(_extension_of(path.name), []).append(path)
    return {name: paths for name, paths in files.items() if any(p.suffix == ".control" for p in paths)}


def _extension_of(filename: str) -> str:
    return filename.removesuffix(".control").removesuffix(".sql").split("--", 1)[0]


def build_extension_dir(target: Path, real: Path | None, major: int, standins: Path) -> ExtensionDir:
    target.mkdir(parents=True)
    result = ExtensionDir(target)
    available = standin_files(standins)
    if real is not None and real.is_dir():
        for path in sorted(real.iterdir()):
            name = _extension_of(path.name)
            if name in PRELOAD_ONLY and name in available:
                if path.suffix == ".control":
                    result.preload_only.append(name)
                continue
            (target / path.name).symlink_to(path)
    installed = {p.stem for p in target.glob("*.control")}
    for name, paths in available.items():
        if name in installed:  # the real module wins
            continue
        result.standins.append(name)
        for path in paths:
            if path.suffix == ".control":
                (target / path.name).write_text(control_for_major(path.read_text(), major))
            else:  # a copy: the server user may not reach the source tree (a private virtualenv)
                shutil.copyfile(path, target / path.name)
    listed = supabase_extensions()
    for control in sorted(target.glob("*.control")):
        ext = listed.get(control.stem)
        if ext is not None and not ext.contrib:
            made = _offer_hosted_versions(target, control, ext, major)
            if made:
                result.aliases[ext.name] = made
    return result


def control_for_major(text: str, major: int) -> str:
    kept = [line for line in text.splitlines()
            if _CONTROL_PARAMETERS_SINCE.get(line.split("=", 1)[0].strip(), 0) <= major]
    return "\n".join(kept) + "\n"


_DEFAULT_VERSION = re.compile(r"^\s*default_version\s*=\s*'([^']*)'", re.MULTILINE)


def _offer_hosted_versions(target: Path, control: Path, ext: SupabaseExtension, major: int) -> list[tuple[str, str]]:
    """Make every version hosted Supabase ships for ``ext`` installable from ``target``, and its
    version for ``major`` the default; returns the versions labelled from another one."""
    text = control.read_text()
    match = _DEFAULT_VERSION.search(text)
    if not match:
        return []
    default = match.group(1)
    name = ext.name
    bases, updates = _scripts(target, name)
    hosted = ext.version(major) or ext.version(17) or ext.version(15)
    # the version the others are made of: hosted Supabase's for this major where the files install it
    source = hosted if hosted and _install_path(hosted, bases, updates) is not None else default
    made: list[tuple[str, str]] = []
    steps = _install_path(source, bases, updates)
    for version in dict.fromkeys((hosted, *ext.all_versions)):
        if version in (None, "contrib") or steps is None or _install_path(version, bases, updates) is not None:
            continue
        chain = [f"{name}--{steps[0]}.sql"] + [f"{name}--{a}--{b}.sql" for a, b in zip(steps, steps[1:])]
        body = [f"-- pgrelease: {name} {version} as hosted Supabase ships it, made of this server's {name} {source}"
                f" (its files have no {version})\n"]
        body += [(target / script).read_text() for script in chain]
        (target / f"{name}--{version}.sql").write_text("\n".join(body))
        made.append((version, source))  # (not a base for the checks: the module's updates do not apply to it)
    # from an older version the files install (their own objects) to a labelled one: the module's
    # own updates up to the version the label is made of (pg_net 0.14.0 -> 0.19.5 runs 0.14.0--0.20.0)
    for version, _ in made:
        for real in sorted(bases, key=_natural):
            if _natural(real) >= _natural(version) or (target / f"{name}--{real}--{version}.sql").exists():
                continue
            route = _install_path(source, {real}, updates)
            if route is None or len(route) < 2:
                continue
            body = [f"-- pgrelease: {name} {real} -> {version} (labelled from {source}): {real} -> {source}\n"]
            body += [(target / f"{name}--{a}--{b}.sql").read_text() for a, b in zip(route, route[1:])]
            (target / f"{name}--{real}--{version}.sql").write_text("\n".join(body))
    # labelled versions hold the same objects: an update between two of them changes nothing (and
    # must not run the module's own update scripts over objects that are there already)
    same = sorted({v for v, _ in made} | ({source} if made else set()), key=_natural)
    for i, low in enumerate(same):
        for high in same[i + 1:]:
            script = target / f"{name}--{low}--{high}.sql"
            if script.is_symlink():
                script.unlink()
            script.write_text(f"-- pgrelease: {name} {low} and {high} hold the same objects here: nothing to change\n")
    if hosted and hosted != default and hosted != "contrib":
        if control.is_symlink():
            control.unlink()
        control.write_text(_DEFAULT_VERSION.sub(f"default_version = '{hosted}'", text, count=1))
    return made


def _scripts(directory: Path, name: str) -> tuple[set[str], dict[str, list[str]]]:
    bases: set[str] = set()
    updates: dict[str, list[str]] = {}
    prefix = f"{name}--"
    for path in directory.glob(f"{name}--*.sql"):
        parts = path.name[len(prefix):-len(".sql")].split("--")
        if len(parts) == 1:
            bases.add(parts[0])
        elif len(parts) == 2:
            updates.setdefault(parts[0], []).append(parts[1])
    return bases, updates


def _install_path(version: str, bases: set[str], updates: dict[str, list[str]]) -> list[str] | None:
    """The versions CREATE EXTENSION goes through to install ``version`` (a base script's, then
    each update script's target), or None when no script installs it; the shortest chain."""
    if version in bases:
        return [version]
    best: list[str] | None = None
    for base in sorted(bases):
        seen = {base: [base]}
        queue = deque([base])
        while queue:
            here = queue.popleft()
            if here == version:
                break
            for nxt in updates.get(here, []):
                if nxt not in seen:
                    seen[nxt] = seen[here] + [nxt]
                    queue.append(nxt)
        if version in seen and (best is None or len(seen[version]) < len(best)):
            best = seen[version]
    return best


def _natural(version: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", version))
