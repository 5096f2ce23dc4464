"""The extensions hosted Supabase offers, at the versions it ships (``supabase_extensions.json``).

The data file records, per extension, the schema Supabase installs it in, the version that
``create extension`` installs on a new project of each major (PostgreSQL 15 and 17 images),
and how the shadow provides it: the embedded server carries it, a SQL stand-in of pgrelease
does, or only a local installation (a Debian package) has it. Its ``sources`` name the
``supabase/postgres`` files and the commit the versions were read from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

DATA_RESOURCE = "supabase_extensions.json"
SUPABASE_MAJORS = (15, 17)  # the majors hosted projects run


@dataclass(frozen=True)
class SupabaseExtension:
    name: str
    schema: str
    pg15: str | None  # "contrib" for PostgreSQL's own modules; None when PG15 projects lack it
    pg17: str | None
    shadow: str  # "embedded", "standin" or "local:<Debian package with <major>>"
    also: tuple[str, ...] = ()  # other versions the stand-in installs with VERSION '...'
    shipped: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (major, every version the image builds for it)

    @staticmethod
    def column(major: int | None) -> str:
        return "pg17" if major is None or major >= 17 else "pg15"

    def version(self, major: int | None = None) -> str | None:
        """What ``create extension`` installs on a project of ``major`` (default: a new one, 17)."""
        return getattr(self, self.column(major))

    def shipped_on(self, major: int | None = None) -> tuple[str, ...]:
        """Every version ``create extension ... version '...'`` installs on a project of ``major``."""
        column = 17 if major is None or major >= 17 else 15
        return dict(self.shipped).get(column, ())

    @property
    def all_versions(self) -> tuple[str, ...]:
        """Every version hosted Supabase ships on any major (defaults first), contrib excluded."""
        found = [self.pg17, self.pg15, *self.also, *(v for _, versions in self.shipped for v in versions)]
        return tuple(v for v in dict.fromkeys(found) if v and v != "contrib")

    def offered_on(self, major: int | None = None) -> bool:
        return self.version(major) is not None

    @property
    def contrib(self) -> bool:
        return self.pg15 == "contrib" or self.pg17 == "contrib"

    @property
    def package(self) -> str | None:
        return self.shadow.split(":", 1)[1] if self.shadow.startswith("local:") else None

    @property
    def majors(self) -> tuple[int, ...]:
        return tuple(m for m in SUPABASE_MAJORS if self.offered_on(m))


@lru_cache(maxsize=1)
def load() -> dict:
    text = resources.files("pgrelease.db").joinpath(DATA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def supabase_extensions() -> dict[str, SupabaseExtension]:
    """name -> SupabaseExtension, for every extension hosted Supabase offers on 15 or 17."""
    return {row["name"]: SupabaseExtension(row["name"], row["schema"], row.get("pg15"), row.get("pg17"),
                                           row["shadow"], tuple(row.get("also", ())),
                                           tuple((int(m), tuple(v)) for m, v in row.get("shipped", {}).items()))
            for row in load()["extensions"]}


def offered(name: str, major: int | None = None) -> bool:
    """Does hosted Supabase let a project (of ``major``; any major when None) create ``name``?"""
    ext = supabase_extensions().get(name)
    if ext is None:
        return False
    return ext.offered_on(major) if major is not None else bool(ext.majors)


def not_offered_hint(name: str, major: int | None = None) -> str:
    ext = supabase_extensions().get(name)
    if ext is not None and ext.majors:  # offered, on the other major only
        on = " and ".join(f"PostgreSQL {m}" for m in ext.majors)
        return f"hosted Supabase offers {name} only on {on} projects"
    return ("hosted Supabase does not offer it (untrusted languages and unlisted modules cannot be installed there); "
            "see https://supabase.com/docs/guides/database/extensions for what it offers")
