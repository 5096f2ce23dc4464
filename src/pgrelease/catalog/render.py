"""Text and JSON renderings of a diff.

Text: one line per change, ``+`` added, ``-`` removed, ``~`` changed, then the kind and the
qualified name; for a change, each differing attribute indented as ``attr: old -> new``
(multi-line values, such as function bodies and view definitions, as a line diff). Added or
removed privileges and comments show what they grant or say.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from typing import Any

from .diff import Change
from .kinds import KINDS

INDENT = "    "


def format_value(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value) if value else "(none)"
    return str(value)


def _multiline(old: Any, new: Any) -> bool:
    return any(isinstance(v, str) and "\n" in v for v in (old, new))


def _line_diff(old: Any, new: Any) -> list[str]:
    a = old.splitlines() if isinstance(old, str) else []
    b = new.splitlines() if isinstance(new, str) else []
    out = []
    for line in difflib.unified_diff(a, b, lineterm="", n=1):
        if line.startswith(("---", "+++", "@@")):
            continue
        out.append(line.rstrip())
    return out


def render_change(change: Change) -> list[str]:
    lines = [f"{change.symbol} {change.kind} {change.name}"]
    if change.action == "change":
        for attr, (old, new) in change.attributes.items():
            if _multiline(old, new):
                lines.append(f"{INDENT}{attr}:")
                lines.extend(f"{INDENT}  {line}" for line in _line_diff(old, new))
            else:
                a, b = format_value(old), format_value(new)
                if a.strip() != b.strip():
                    a, b = a.strip(), b.strip()
                elif a != b:  # only white space differs: show it
                    a, b = repr(a), repr(b)
                lines.append(f"{INDENT}{attr}: {a} -> {b}")
    else:
        for attr in KINDS[change.kind].summary:  # worth showing under an addition or removal
            old, new = change.attributes.get(attr, (None, None))
            value = new if change.action == "add" else old
            if value in (None, (), []):
                continue
            text = format_value(value).replace("\n", "\n" + INDENT + "  ")
            lines.append(f"{INDENT}{attr}: {text}")
    if change.hint:
        lines.append(f"{INDENT}({change.hint})")
    return lines


def render_text(changes: Iterable[Change]) -> str:
    """The diff as text, one block per change; empty when there is no difference."""
    lines: list[str] = []
    for change in changes:
        lines.extend(render_change(change))
    return "\n".join(lines) + ("\n" if lines else "")


def to_json_list(changes: Iterable[Change]) -> list[dict[str, Any]]:
    return [change.to_dict() for change in changes]


def render_json(changes: Iterable[Change], **extra: Any) -> str:
    """``{"changes": [...], **extra}`` as indented JSON."""
    doc = dict(extra)
    doc["changes"] = to_json_list(changes)
    return json.dumps(doc, indent=2, sort_keys=False, default=str)
