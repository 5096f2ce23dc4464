"""ignore-comment: an ignore comment without a reason, or naming an unknown rule."""

from __future__ import annotations

ID = "ignore-comment"
SEVERITY = "warning"
NODES = ()
DOC = """\
`-- pgrelease: ignore <rule-id>[,<rule-id>...] <reason>` on the line(s) right before a
statement silences those rules for that statement (before a file's first statement it also
covers the file-level rules `file-name` and `out-of-order`). The
reason is the point: a reviewer reads why the risk is accepted. An ignore without a reason
still works, but is reported; one naming an unknown rule is reported and ignores nothing."""
HELP = "write it as `-- pgrelease: ignore <rule-id> <why this is safe>`"
BAD = [
    "-- pgrelease: ignore drop-table\ndrop table legacy_sessions;",
    "-- pgrelease: ignore drop-tabel retired in #123\ndrop table legacy_sessions;",
    "-- pgrelease: ignore\nselect 1;",
]
GOOD = [
    "-- pgrelease: ignore drop-table retired in #123, no reader since v2.4\ndrop table legacy_sessions;",
    "-- pgrelease: ignore drop-column,rename-column cleanup approved in #456\n"
    "alter table profiles drop column legacy;",
    "do $$ begin\n-- pgrelease: ignore\nperform 1; end $$;",
]


def check(stmt, ctx):  # reported by the engine while reading comments
    return []
