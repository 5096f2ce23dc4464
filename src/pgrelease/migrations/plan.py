"""Plan = local migration files minus recorded versions, with the checks the push enforces:
out-of-order pending files, recorded versions with no file, and applied files edited since."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import CheckFailed
from .classify import without_wrapper
from .files import MigrationFile, MigrationSet
from .history import AppliedMigration
from .split import tokens

def canonical(statements: list[str] | tuple[str, ...]) -> str:
    """A form of a migration's statements that ignores what is not an edit.

    Line endings, trailing whitespace, indentation, a byte-order mark, comments and how the
    text was split into statements (the Supabase CLI attaches comments to statements,
    pgrelease does not) make no difference; any change to the SQL itself does. Runs of
    whitespace are folded everywhere, inside literals and function bodies too: re-indenting
    a function body is not an edit. A whole-file ``BEGIN ... COMMIT`` wrapper does not count
    either: the file runs in one transaction with it or without it (the Supabase CLI records
    the wrapper's statements, pgrelease records the file as written too)."""
    statements = without_wrapper(statements)
    text = ";\n".join(s.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff") for s in statements)
    out: list[str] = []
    pos = 0
    for token in tokens(text):  # the splitter's tokens: what lies between them is blanks or comments
        if token.start > pos:
            out.append(" ")
        out.append(token.text)
        pos = token.start + len(token.text)
    flat = "".join(out)
    flat = re.sub(r"\s+", " ", flat)
    flat = re.sub(r"\s*;\s*", ";", flat)
    return flat.strip(" ;")


@dataclass
class Plan:
    pending: list[MigrationFile] = field(default_factory=list)
    applied: list[tuple[MigrationFile, AppliedMigration]] = field(default_factory=list)
    out_of_order: list[MigrationFile] = field(default_factory=list)
    missing_local: list[AppliedMigration] = field(default_factory=list)
    edited: list[tuple[MigrationFile, AppliedMigration]] = field(default_factory=list)

    @property
    def newest_applied(self) -> str | None:
        versions = [a.version for _, a in self.applied] + [m.version for m in self.missing_local]
        return max(versions, key=lambda v: (int(v), v)) if versions else None


def make_plan(files: MigrationSet, history: list[AppliedMigration], statements_of) -> Plan:  # noqa: ANN001
    """Compare files with history; ``statements_of(file) -> list[str]`` gives a file's statements."""
    recorded = {a.version: a for a in history}
    local = files.by_version()
    plan = Plan()
    for migration in files.files:
        applied = recorded.get(migration.version)
        if applied is None:
            plan.pending.append(migration)
            continue
        plan.applied.append((migration, applied))
        if applied.statements is not None and _edited(statements_of(migration), applied.statements):
            plan.edited.append((migration, applied))
    plan.missing_local = [a for v, a in recorded.items() if v not in local]
    newest = plan.newest_applied
    if newest is not None:
        plan.out_of_order = [m for m in plan.pending if (int(m.version), m.version) < (int(newest), newest)]
    return plan


def _edited(local: list[str], recorded: tuple[str, ...]) -> bool:
    if tuple(local) == tuple(recorded):  # what pgrelease recorded itself: no need to canonicalize
        return False
    return canonical(local) != canonical(recorded)


def enforce(plan: Plan, *, include_all: bool, allow_edited: bool) -> list[str]:
    """Raise CheckFailed for what blocks a push; return warnings for what does not."""
    warnings: list[str] = []
    if plan.edited and not allow_edited:
        first, _ = plan.edited[0]
        names = ", ".join(m.filename for m, _ in plan.edited)
        raise CheckFailed(
            f"{len(plan.edited)} applied migration(s) changed since they were applied: {names}",
            file=first.display_path,
            hint="restore the applied file and put the change in a new migration (pgrelease new NAME); "
            "--allow-edited accepts the edit",
            extra={"edited": [m.version for m, _ in plan.edited]},
        )
    for migration, _ in plan.edited:
        warnings.append(f"{migration.filename} changed after it was applied (accepted by --allow-edited)")
    if plan.out_of_order and not include_all:
        names = ", ".join(m.filename for m in plan.out_of_order)
        raise CheckFailed(
            f"pending migration(s) older than the newest applied version {plan.newest_applied}: {names}",
            file=plan.out_of_order[0].display_path,
            hint="rename the file to a newer timestamp (pgrelease new NAME), or pass --include-all to apply it out of order",
            extra={"out_of_order": [m.version for m in plan.out_of_order]},
        )
    for migration in plan.out_of_order:
        warnings.append(f"{migration.filename} is applied out of order (--include-all)")
    for applied in plan.missing_local:
        warnings.append(
            f"version {applied.version} ({applied.name or 'no name'}) is recorded in the database but has no local file"
            " (pull the branch that added it, or `pgrelease repair --status reverted "
            f"{applied.version}` if it was removed on purpose)"
        )
    return warnings
