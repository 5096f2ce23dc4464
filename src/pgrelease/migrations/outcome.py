"""What happened to one migration in a run: the engine's typed result per file, which the
report layer shows as it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class MigrationEntry:
    version: str
    name: str
    status: str  # applied | pending | would-apply | failed | not-run | recorded | reverted | ...
    duration_ms: float | None = None
    file: str | None = None
    no_transaction: str | None = None  # why it ran outside a transaction, when it did
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"version": self.version, "name": self.name, "status": self.status}
        if self.duration_ms is not None:
            out["duration_ms"] = round(self.duration_ms, 1)
        for key in ("file", "no_transaction", "note"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def labelled(progress, label: str):  # noqa: ANN001, ANN201 - a ProgressFn in, a ProgressFn out
    """``progress`` with ``label`` on every event ("shadow", "staging", "production"), so a run
    that replays and then applies does not read as if it applied twice."""
    if progress is None:
        return None
    return lambda event, **info: progress(event, **{"label": label, **info})
