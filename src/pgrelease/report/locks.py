"""PostgreSQL's lock modes and how the impact report words them (no database code here: the
text renderer, the PR comment and ``pipeline/impact.py`` all read it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# weakest first: the order of the conflict table in PostgreSQL's documentation
MODES = ("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE",
         "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE")
RANK = {mode: i for i, mode in enumerate(MODES)}
BLOCKS = {
    "ACCESS EXCLUSIVE": "blocks reads and writes",
    "EXCLUSIVE": "blocks writes",
    "SHARE ROW EXCLUSIVE": "blocks writes",
    "SHARE": "blocks writes",
}


def mode_name(pg_mode: str) -> str:
    """``AccessExclusiveLock`` (as pg_locks names it) -> ``ACCESS EXCLUSIVE``."""
    return " ".join(re.findall(r"[A-Z][a-z]*", pg_mode.removesuffix("Lock"))).upper()


def stronger(a: str, b: str) -> bool:
    return RANK.get(a, -1) > RANK.get(b, -1)


def strongest(modes: Iterable[str]) -> str | None:
    return max(modes, key=lambda m: RANK.get(m, -1), default=None)


def blocks(mode: str) -> str:
    """What a lock mode stops the application from doing while it is held."""
    return BLOCKS.get(mode, "reads and writes go on")


def size_text(n: int) -> str:
    """``2.1 GB``, ``16 kB``, ``0 bytes`` (powers of 1024, as pg_size_pretty)."""
    if n < 1024:
        return f"{n} bytes"
    value = float(n)
    unit = "bytes"
    for unit in ("kB", "MB", "GB", "TB", "PB"):
        value /= 1024
        if value < 1024:
            break
    return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}".replace(".0 ", " ")


def rows_text(rows: float) -> str:
    """``~14 M rows``, ``~3.2 k rows``, ``~12 rows``."""
    for div, unit in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if rows >= div:
            value = rows / div
            return f"~{value:.0f}{unit} rows" if value >= 10 else f"~{value:.1f}{unit} rows".replace(".0 ", " ")
    return f"~{rows:.0f} rows"


def where_text(lock: Mapping[str, Any]) -> str:
    """`` (2.1 GB, ~14 M rows)`` from a lock's size on the target, `` (new: ...)``, or nothing."""
    if lock.get("new"):
        return " (new: not on the target yet)"
    if lock.get("size_bytes") is None:
        return ""
    rows = lock.get("rows")
    return f" ({size_text(lock['size_bytes'])}" + (f", {rows_text(rows)}" if rows is not None and rows >= 0 else "") + ")"


def what_text(lock: Mapping[str, Any]) -> str:
    """``ACCESS EXCLUSIVE + rewrite``, ``SHARE + full scan``, ``SHARE UPDATE EXCLUSIVE``."""
    return lock["mode"] + (" + rewrite" if lock.get("rewrite") else " + full scan" if lock.get("scan") else "")


def lock_label(lock: Mapping[str, Any]) -> str:
    """``ACCESS EXCLUSIVE + rewrite of public.events (2.1 GB, ~14 M rows)``."""
    what = what_text(lock)
    return f"{what} {'on' if what == lock['mode'] else 'of'} {lock['relation']}{where_text(lock)}"


def impact_text_lines(data: Mapping[str, Any]) -> list[str]:
    """The text section of an impact step, from its ``data["impact"]`` (the policy's verdicts are
    the step's checks, rendered with them)."""
    lines: list[str] = []
    for m in data.get("migrations", ()):
        how = "outside a transaction" if m.get("no_transaction") else "one transaction"
        lines.append(f"  {m['file']} ({how})")
        quiet = 0
        for stmt in m.get("statements", ()):
            if not stmt["locks"]:
                quiet += 1
                continue
            for lock in stmt["locks"]:
                held = " (held since an earlier statement)" if lock.get("held") else ""
                stated = "" if lock.get("measured", True) else " [not measured: cannot run in a transaction]"
                lines.append(f"    line {stmt['line']}: {lock_label(lock)}: {lock['blocks']}{held}{stated}")
            if stmt.get("note"):
                lines.append(f"      {stmt['note']}")
        if quiet:
            lines.append(f"    {quiet} statement(s) lock no existing relation")
        held = [h for h in m.get("held_until_commit", ()) if h["mode"] in BLOCKS]
        if held and len(m.get("statements", ())) > 1:
            lines.append("    held until commit: " + ", ".join(f"{h['mode']} on {h['relation']} from line {h['from_line']}"
                                                           for h in held))
        if m.get("error"):
            lines.append(f"    not measured further: {m['error']['message']}")
    return lines
