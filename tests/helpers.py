"""Small helpers for building throwaway projects in tests."""

from __future__ import annotations

from pathlib import Path


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.migrations = root / "supabase" / "migrations"
        self.migrations.mkdir(parents=True, exist_ok=True)

    def add(self, version: str, name: str, sql: str) -> Path:
        path = self.migrations / f"{version}_{name}.sql"
        path.write_text(sql)
        return path

    def write(self, relpath: str, text: str) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path
