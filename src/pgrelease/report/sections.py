"""Text lines for the data of each kind of step (what is not migrations, checks, notes,
warnings or errors). ``TEXT_SECTIONS`` maps a step kind to its renderer, explicitly."""

from __future__ import annotations

import json
from typing import Callable

from .model import Step


def status_lines(step: Step) -> list[str]:
    rows = step.data.get("rows", [])
    lines = [f"  {'LOCAL':<16} {'REMOTE':<16} {'STATE':<14} NAME"]
    for row in rows:
        lines.append(f"  {row['local'] or '':<16} {row['remote'] or '':<16} {row['state']:<14} {row['name'] or ''}")
    pending = sum(1 for r in rows if r["state"] in ("pending", "out-of-order"))
    lines.append(f"  {len(rows)} migrations, {pending} pending")
    return lines


def lint_lines(step: Step) -> list[str]:
    """``file:line:col: error[rule] message`` + indented help, then the counts per rule and in all."""
    lines = []
    for f in step.data.get("findings", ()):
        lines.append(f"{f['file']}:{f['line']}:{f['column']}: {f['severity']}[{f['rule']}] {f['message']}")
        if f.get("excerpt"):
            lines.append(f"    | {f['excerpt']}")
        lines.append(f"    help: {f['help']}")
    summary = step.data.get("summary")
    for count in step.data.get("rules", ()):
        lines.append(f"{count['count']:>5} {count['severity']:<7} {count['rule']}")
    if summary:
        lines.append(f"{summary['errors']} error(s), {summary['warnings']} warning(s) in {summary['files']} file(s), "
                     f"{summary['statements']} statement(s) [{step.data.get('mode')}]")
    return lines


def guard_lines(step: Step) -> list[str]:
    g = step.data.get("guard")
    if not g or g.get("bypassed"):
        return []
    lines = []
    if g.get("db_version"):
        extra = ", ".join(x for x in (g.get("migration") and f"migration {g['migration']}",
                                      g.get("timestamp") and f"recorded {g['timestamp']}") if x)
        lines.append(f"  database schema:    {g['db_version']}" + (f" ({extra})" if extra else ""))
    lines.append(f"  application schema: {g.get('app_version')}")
    lines.append(f"  verdict: {g['verdict']}" + ("" if g["compatible"] else f" - {g['action']}"))
    return lines


def flags_list_lines(step: Step) -> list[str]:
    lines = []
    for env, values in step.data.get("flags", {}).items():
        if not values:
            lines.append(f"  {env:<11} (no flags)")
        for name, value in values.items():
            lines.append(f"  {env:<11} {name:<32} {json.dumps(value)}")
    return lines


def flags_get_lines(step: Step) -> list[str]:
    flag = step.data.get("flag")
    if not flag:
        return []
    return [f"  {flag['name']} = {json.dumps(flag['value'])} ({flag['environment']})"]


def impact_lines(step: Step) -> list[str]:
    """Per migration, one line per (statement, relation): ``line 3: ACCESS EXCLUSIVE + rewrite of
    public.events (2.1 GB, ~14 M rows): blocks reads and writes``; then what its transaction holds."""
    from .locks import impact_text_lines

    data = step.data.get("impact")
    return impact_text_lines(data) if data else []


TEXT_SECTIONS: dict[str, Callable[[Step], list[str]]] = {
    "status": status_lines,
    "lint": lint_lines,
    "guard": guard_lines,
    "impact": impact_lines,
    "flags list": flags_list_lines,
    "flags get": flags_get_lines,
}
