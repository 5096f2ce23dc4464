"""ignore-comment: an ignore comment without a reason, or naming an unknown rule."""

from __future__ import annotations

from ..rule import LINTER, WARNING, Bad, Rule


class IgnoreComment(Rule):
    id = "ignore-comment"
    category = LINTER
    severity = WARNING
    doc = """\
`-- pgrelease: ignore <rule-id>[,<rule-id>...] <reason>` on the line(s) right before a
statement silences those rules for that statement (before a file's first statement it also
covers the file-level rules `file-name` and `out-of-order`). The
reason is the point: a reviewer reads why the risk is accepted. An ignore without a reason
still works, but is reported; one naming an unknown rule is reported and ignores nothing."""
    help = "write it as `-- pgrelease: ignore <rule-id> <why this is safe>`"
    bad = [
        Bad("-- pgrelease: ignore drop-table\ndrop table legacy_sessions;",
            [(1, "ignore comment gives no reason: -- pgrelease: ignore drop-table")]),
        Bad("-- pgrelease: ignore drop-tabel retired in #123\ndrop table legacy_sessions;",
            [(1, "ignore comment names unknown rule 'drop-tabel': -- pgrelease: ignore drop-tabel retired in #123")]),
        Bad("-- pgrelease: ignore\nselect 1;",
            [(1, "ignore comment names no rule and gives no reason: -- pgrelease: ignore")]),
    ]
    good = [
        "-- pgrelease: ignore drop-table retired in #123, no reader since v2.4\ndrop table legacy_sessions;",
        "-- pgrelease: ignore drop-column,rename-column cleanup approved in #456\n"
        "alter table profiles drop column legacy;",
        "do $$ begin\n-- pgrelease: ignore\nperform 1; end $$;",
    ]
