"""The plan and what the push enforces from it (issue 12 item 20: mutmut survivors in
migrations/plan.py). Pure functions: the exact forms canonical() gives, which files are
pending / applied / edited / missing / out of order, the newest applied version, and the
exact error (message, file, hint, extra) or warnings enforce() gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgrelease.errors import CheckFailed
from pgrelease.migrations.files import MigrationFile, MigrationSet
from pgrelease.migrations.history import AppliedMigration
from pgrelease.migrations.plan import Plan, canonical, enforce, make_plan


# -- canonical: the exact form ------------------------------------------------------------------
@pytest.mark.parametrize("statements, expected", [
    (["select 1"], "select 1"),
    (["select 1", "select 2"], "select 1;select 2"),
    (("select 1", "select 2"), "select 1;select 2"),
    (["  select\t 1 ;  "], "select 1"),
    (["select 1 ; select 2"], "select 1;select 2"),
    (["select 1\r\nfrom t"], "select 1 from t"),
    (["select 1\rfrom t"], "select 1 from t"),
    (["\ufeffselect 1"], "select 1"),
    (["select 1 -- a comment\nfrom t"], "select 1 from t"),
    (["select/* block */1"], "select 1"),
    (["select /* a * b */ 1"], "select 1"),
    (["x--c\ny"], "x y"),
    (["x -- c\ry"], "x y"),  # a lone CR ends a comment too
    (["x -- c\r\ny"], "x y"),
    (["Xact 1 X"], "Xact 1 X"),  # only a byte-order mark, blanks and ';' are stripped
    (["select '-- kept'"], "select '-- kept'"),
    (["select 'it''s  -- kept'"], "select 'it''s -- kept'"),
    (["select E'a -- b'"], "select E'a -- b'"),
    (["select U&'a /* b */'"], "select U&'a /* b */'"),
    (['select "a -- b"'], 'select "a -- b"'),
    (['select "a""b -- c"'], 'select "a""b -- c"'),
    (["select $$ -- kept $$"], "select $$ -- kept $$"),
    (["select $fn$ /* kept */ $fn$"], "select $fn$ /* kept */ $fn$"),
    (["select $a$ $b$ -- kept $b$ $a$"], "select $a$ $b$ -- kept $b$ $a$"),
    (["select $fn$\n  body\n$fn$"], "select $fn$ body $fn$"),
    (["begin", "create table a (id int)", "commit"], "create table a (id int)"),
    (["begin", "create table a (id int)"], "begin;create table a (id int)"),
    ([], ""),
    (["", "select 1"], "select 1"),
    (["select 1", ";"], "select 1"),
])
def test_canonical_exact_form(statements, expected):
    assert canonical(statements) == expected


def test_canonical_tells_edits_from_layout():
    assert canonical(["create table a (id int);"]) == canonical(["-- header\r\n", "create table a (id\n  int)"])
    assert canonical(["select 'a  b'"]) == canonical(["select 'a b'"])  # whitespace folds inside literals too
    assert canonical(["select 'a'"]) != canonical(["select 'b'"])


# -- make_plan ----------------------------------------------------------------------------------
def mf(version: str, name: str = "m") -> MigrationFile:
    return MigrationFile(version, name, Path(f"/p/supabase/migrations/{version}_{name}.sql"),
                         f"supabase/migrations/{version}_{name}.sql")


def mset(*files: MigrationFile) -> MigrationSet:
    return MigrationSet(Path("/p/supabase/migrations"), list(files))


def row(version: str, name: str | None = "m", statements: tuple[str, ...] | None = ("select 1",)) -> AppliedMigration:
    return AppliedMigration(version, name, statements)


def of(texts: dict[str, list[str]]):  # noqa: ANN201 - the statements_of callback
    return lambda migration: texts.get(migration.version, ["select 1"])


def test_pending_applied_and_missing():
    a, b, c = mf("1"), mf("2"), mf("3")
    gone = row("0", "gone")
    recorded = [row("1"), row("2"), gone]
    plan = make_plan(mset(a, b, c), recorded, of({}))
    assert plan.pending == [c]
    assert plan.applied == [(a, recorded[0]), (b, recorded[1])]
    assert plan.missing_local == [gone]
    assert plan.edited == [] and plan.out_of_order == []


def test_edited_compares_canonical_forms():
    a, b = mf("1"), mf("2")
    recorded = [row("1", statements=("select 1",)), row("2", statements=("select 2",))]
    plan = make_plan(mset(a, b), recorded, of({"1": ["-- same\nselect   1;"], "2": ["select 3"]}))
    assert plan.edited == [(b, recorded[1])]


def test_a_row_without_statements_is_never_edited():
    a = mf("1")
    asked: list[str] = []

    def statements_of(migration):  # noqa: ANN001, ANN202
        asked.append(migration.version)
        return ["select 2"]

    plan = make_plan(mset(a), [row("1", statements=None)], statements_of)
    assert plan.edited == [] and plan.applied == [(a, row("1", statements=None))]
    assert asked == []  # the file is not even read


def test_out_of_order_is_against_the_newest_applied_numerically():
    # "9" < "10" as numbers, though not as strings: the newest applied is 10
    files = mset(mf("9"), mf("10"), mf("11"), mf("12"))
    plan = make_plan(files, [row("10"), row("12")], of({}))
    assert plan.newest_applied == "12"
    assert [m.version for m in plan.pending] == ["9", "11"]
    assert [m.version for m in plan.out_of_order] == ["9", "11"]


def test_out_of_order_counts_a_recorded_version_without_a_file():
    plan = make_plan(mset(mf("5"), mf("7")), [row("6")], of({}))
    assert plan.newest_applied == "6"
    assert [m.version for m in plan.out_of_order] == ["5"]


def test_nothing_applied_nothing_out_of_order():
    plan = make_plan(mset(mf("2"), mf("1")), [], of({}))
    assert plan.newest_applied is None
    assert [m.version for m in plan.pending] == ["2", "1"] and plan.out_of_order == []


@pytest.mark.parametrize("versions, newest", [
    (["2", "10", "3"], "10"),
    (["10", "2", "3"], "10"),
    (["3", "2", "10"], "10"),
    (["007", "7"], "7"),  # one number, two spellings: the tie breaks on the text
    (["7", "007"], "7"),
])
def test_newest_applied(versions, newest):
    plan = Plan(applied=[(mf(v), row(v)) for v in versions[:1]], missing_local=[row(v) for v in versions[1:]])
    assert plan.newest_applied == newest


# -- enforce ------------------------------------------------------------------------------------
def test_edited_blocks_naming_every_file():
    a, b = mf("1", "one"), mf("2", "two")
    plan = Plan(edited=[(a, row("1")), (b, row("2"))])
    with pytest.raises(CheckFailed) as caught:
        enforce(plan, include_all=False, allow_edited=False)
    assert caught.value.to_dict() == {
        "kind": "failed",
        "message": "2 applied migration(s) changed since they were applied: 1_one.sql, 2_two.sql",
        "file": "supabase/migrations/1_one.sql",
        "hint": "restore the applied file and put the change in a new migration (pgrelease new NAME); "
                "--allow-edited accepts the edit",
        "edited": ["1", "2"],
    }


def test_edited_blocks_before_out_of_order():
    plan = Plan(edited=[(mf("1"), row("1"))], out_of_order=[mf("0")])
    with pytest.raises(CheckFailed, match="changed since they were applied"):
        enforce(plan, include_all=False, allow_edited=False)
    with pytest.raises(CheckFailed, match="changed since they were applied"):
        enforce(plan, include_all=True, allow_edited=False)


def test_allowed_edits_are_warnings():
    plan = Plan(edited=[(mf("1", "one"), row("1")), (mf("2", "two"), row("2"))])
    assert enforce(plan, include_all=False, allow_edited=True) == [
        "1_one.sql changed after it was applied (accepted by --allow-edited)",
        "2_two.sql changed after it was applied (accepted by --allow-edited)",
    ]


def test_out_of_order_blocks_naming_every_file():
    plan = Plan(applied=[(mf("5"), row("5"))], out_of_order=[mf("3", "c"), mf("4", "d")])
    with pytest.raises(CheckFailed) as caught:
        enforce(plan, include_all=False, allow_edited=True)
    assert caught.value.to_dict() == {
        "kind": "failed",
        "message": "pending migration(s) older than the newest applied version 5: 3_c.sql, 4_d.sql",
        "file": "supabase/migrations/3_c.sql",
        "hint": "rename the file to a newer timestamp (pgrelease new NAME), or pass --include-all to apply it out of order",
        "out_of_order": ["3", "4"],
    }


def test_included_out_of_order_files_are_warnings():
    plan = Plan(applied=[(mf("5"), row("5"))], out_of_order=[mf("3", "c"), mf("4", "d")])
    assert enforce(plan, include_all=True, allow_edited=False) == [
        "3_c.sql is applied out of order (--include-all)",
        "4_d.sql is applied out of order (--include-all)",
    ]


def test_recorded_versions_without_a_file_are_warnings():
    plan = Plan(missing_local=[row("8", "gone"), row("9", None)])
    assert enforce(plan, include_all=False, allow_edited=False) == [
        "version 8 (gone) is recorded in the database but has no local file (pull the branch that added it, "
        "or `pgrelease repair --status reverted 8` if it was removed on purpose)",
        "version 9 (no name) is recorded in the database but has no local file (pull the branch that added it, "
        "or `pgrelease repair --status reverted 9` if it was removed on purpose)",
    ]


def test_warnings_in_order_edited_out_of_order_missing():
    plan = Plan(edited=[(mf("1", "e"), row("1"))], out_of_order=[mf("2", "o")], missing_local=[row("9", "m")])
    warnings = enforce(plan, include_all=True, allow_edited=True)
    assert [w.split(" ", 1)[0] for w in warnings] == ["1_e.sql", "2_o.sql", "version"]


def test_a_clean_plan_passes_silently():
    assert enforce(Plan(pending=[mf("1")]), include_all=False, allow_edited=False) == []
