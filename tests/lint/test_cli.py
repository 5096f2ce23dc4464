"""`pgrelease lint`: file selection (FILES, --db-url pending, --base changed, all), formats,
exit codes."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover

SAFE = ("create table public.notes (id bigint generated always as identity primary key, body text);\n"
        "alter table public.notes enable row level security;\n")
UNSAFE = "alter table notes drop column body;\n"
WARNING_ONLY = "alter table notes add column meta json;\n"


def run(*args, env=None):
    return CliRunner().invoke(main, ["lint", *[str(a) for a in args]], env=env)


def name(entry):
    return entry["file"].rsplit("/", 1)[-1]


def findings(res):
    return json.loads(res.output)["findings"]


# --- exit codes ----------------------------------------------------------------------------------


def test_clean_project_exits_0(project):
    project.add("20240101000000", "notes", SAFE)
    res = run("--workdir", project.root)
    assert res.exit_code == 0, res.output
    assert "0 error(s), 0 warning(s) in 1 file(s), 2 statement(s) [all]" in res.output and "lint: OK" in res.output


def test_warnings_alone_exit_0_and_errors_exit_1(project):
    project.add("20240101000000", "notes", SAFE)
    project.add("20240102000000", "meta", WARNING_ONLY)
    assert run("--workdir", project.root).exit_code == 0
    project.add("20240103000000", "drop", UNSAFE)
    res = run("--workdir", project.root)
    assert res.exit_code == 1 and "lint: FAILED" in res.output


def test_missing_file_exits_2(project):
    res = run("--workdir", project.root, project.root / "supabase/migrations/20990101000000_nope.sql")
    assert res.exit_code == 2 and "does not exist" in res.output


def test_file_that_is_not_utf8_is_a_finding_and_the_others_are_still_linted(project):
    project.add("20240101000000", "notes", SAFE)
    bad = project.root / "supabase/migrations/20240102000000_latin1.sql"
    bad.write_bytes("-- caf\u00e9\nselect 1;\n-- na\u00efve\n".encode("latin-1"))
    drop = project.root / "supabase/migrations/20240103000000_drop.sql"
    drop.write_text(UNSAFE)
    res = run("--workdir", project.root, "--format", "json", bad, drop)
    assert res.exit_code == 1, res.output
    found = [(name(f), f["rule"], f["line"]) for f in findings(res)]
    assert ("20240102000000_latin1.sql", "syntax-error", 1) in found
    assert ("20240103000000_drop.sql", "drop-column", 1) in found
    assert any("not valid UTF-8" in f["message"] for f in findings(res))


def test_bad_configuration_exits_2(project):
    project.add("20240101000000", "notes", SAFE)
    project.write("pgrelease.toml", '[lint]\ndisable = ["no-such-rule"]\n')
    res = run("--workdir", project.root)
    assert res.exit_code == 2 and "unknown rule 'no-such-rule'" in res.output
    project.write("pgrelease.toml", "")
    assert run("--workdir", project.root, "--enable", "nope").exit_code == 2


def test_configuration_from_pgrelease_toml_and_flags(project):
    project.add("20240101000000", "notes", SAFE + UNSAFE)
    project.write("pgrelease.toml", '[lint.severity]\ndrop-column = "warning"\n')
    assert run("--workdir", project.root).exit_code == 0
    res = run("--workdir", project.root, "--enable", "require-lock-timeout", "--format", "json")
    assert "require-lock-timeout" not in {f["rule"] for f in findings(res)}  # notes is new in this migration
    assert run("--workdir", project.root, "--disable", "drop-column", "--format", "json").exit_code == 0


# --- formats -------------------------------------------------------------------------------------


def test_text_format(project):
    path = project.add("20240101000000", "drop", "select 1;\n" + UNSAFE)
    res = run("--workdir", project.root, path)
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert "supabase/migrations/20240101000000_drop.sql:2:19: error[drop-column] " in lines[0]
    assert lines[1].strip() == "| alter table notes drop column body"
    assert lines[2].startswith("    help: ")


def test_json_format(project):
    project.add("20240101000000", "drop", UNSAFE)
    res = run("--workdir", project.root, "--format", "json")
    data = json.loads(res.output)
    assert data["command"] == "lint" and data["exit_code"] == 1 and data["mode"] == "all"
    [f] = data["findings"]
    assert f == {"rule": "drop-column", "severity": "error", "file": "supabase/migrations/20240101000000_drop.sql",
                 "line": 1, "column": 19, "message": f["message"], "help": f["help"],
                 "excerpt": "alter table notes drop column body"}
    assert data["summary"] == {"files": 1, "statements": 1, "errors": 1, "warnings": 0}


def test_github_format(project, tmp_path):
    project.add("20240101000000", "mixed", WARNING_ONLY + UNSAFE)
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    res = run("--workdir", project.root, "--format", "github",
              env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)})
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0].startswith("::warning file=supabase/migrations/20240101000000_mixed.sql,line=1,col=35,"
                               "title=prefer-jsonb::column meta is json")
    assert lines[1].startswith("::error file=supabase/migrations/20240101000000_mixed.sql,line=2,col=19,"
                               "title=drop-column::")
    assert "%0Ahelp: " in lines[1] and "\n" not in lines[1]
    assert lines[-1] == "pgrelease lint: FAILED: 1 error(s), 1 warning(s) in 1 file(s), 2 statement(s)"
    assert "`drop-column`" in summary.read_text()
    assert "lint-errors=1" in output.read_text() and "lint-warnings=1" in output.read_text()


def test_github_format_reports_usage_errors_as_annotations(project):
    res = run("--workdir", project.root, "--format", "github", project.root / "missing.sql")
    assert res.exit_code == 2 and res.output.startswith("::error ") and "does not exist" in res.output


def test_quiet(project):
    project.add("20240101000000", "drop", UNSAFE)
    res = run("--workdir", project.root, "-q")
    assert res.exit_code == 1 and res.output.strip() == "lint: FAILED"


# --- selection -----------------------------------------------------------------------------------


def test_explicit_files_outside_the_migrations_directory(project):
    project.add("20240101000000", "drop", UNSAFE)
    script = project.write("scripts/cleanup.sql", "select 1;\n")
    res = run("--workdir", project.root, "--format", "json", script)
    data = json.loads(res.output)
    assert res.exit_code == 0 and data["mode"] == "files" and [f["file"] for f in data["files"]] == ["scripts/cleanup.sql"]


def test_badly_named_migration_is_linted_and_reported(project):
    project.write("supabase/migrations/add_notes.sql", SAFE)
    res = run("--workdir", project.root, "--format", "json")
    assert res.exit_code == 1
    assert [(f["rule"], f["line"]) for f in findings(res)] == [("file-name", 1)]


def test_db_url_lints_only_pending_migrations(fresh_db, project):
    project.add("20240101000000", "notes", SAFE)
    project.add("20240102000000", "old_bad", "alter table notes add column tags json;\n")
    push(fresh_db, discover(project.root), PushOptions(lock_wait=5))
    project.add("20240103000000", "index", "create index notes_body_idx on notes (body);\n")
    project.add("20240104000000", "new_table", "create table public.tags (id bigint primary key);\n"
                                                "alter table tags enable row level security;\n"
                                                "create index tags_idx on tags (id);\n")
    res = run("--workdir", project.root, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    data = json.loads(res.output)
    assert data["mode"] == "pending" and res.exit_code == 1, res.output
    assert [f["file"] for f in data["files"]] == ["supabase/migrations/20240103000000_index.sql",
                                                  "supabase/migrations/20240104000000_new_table.sql"]
    assert [(f["rule"], name(f)) for f in data["findings"]] == [("require-concurrent-index", "20240103000000_index.sql")]
    assert "password" not in res.output and fresh_db.url(reveal=True) not in res.output


def test_db_url_reports_out_of_order_pending_migrations(fresh_db, project):
    project.add("20240105000000", "notes", SAFE)
    push(fresh_db, discover(project.root), PushOptions(lock_wait=5))
    project.add("20240101000000", "late", "select 1;\n")
    res = run("--workdir", project.root, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert res.exit_code == 1
    assert [(f["rule"], f["file"]) for f in findings(res)] == [
        ("out-of-order", "supabase/migrations/20240101000000_late.sql")]


def test_db_url_with_nothing_pending(fresh_db, project):
    project.add("20240101000000", "notes", SAFE)
    push(fresh_db, discover(project.root), PushOptions(lock_wait=5))
    res = run("--workdir", project.root, "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 0 and "nothing pending" in res.output


def test_unreachable_database_exits_3(project):
    project.add("20240101000000", "notes", SAFE)
    res = run("--workdir", project.root, "--db-url", "postgresql://u:secret@127.0.0.1:9/db", "--connect-timeout", "1")
    assert res.exit_code == 3 and "secret" not in res.output


def git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(root), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(project):
    git(project.root, "init", "-q", "-b", "main")
    project.add("20240101000000", "notes", SAFE)
    project.add("20240102000000", "legacy", "alter table notes drop column body;\n")  # on main already
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    git(project.root, "checkout", "-q", "-b", "feature")
    return project


def test_base_lints_only_migrations_changed_on_the_branch(repo):
    repo.add("20240201000000", "tags", "create table public.tags (id bigint primary key);\n"
                                       "alter table public.tags enable row level security;\n")
    repo.add("20240202000000", "tags_index", "create index tags_id_idx on tags (id);\n")  # tags is new: fine
    repo.add("20240203000000", "notes_index", "create index notes_body_idx on notes (body);\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "feature")
    repo.add("20240204000000", "wip", "select 1;\n")  # untracked, not committed yet: linted too
    res = run("--workdir", repo.root, "--base", "main", "--format", "json")
    data = json.loads(res.output)
    assert data["mode"] == "changed" and res.exit_code == 1
    assert [name(f) for f in data["files"]] == [
        "20240201000000_tags.sql", "20240202000000_tags_index.sql", "20240203000000_notes_index.sql",
        "20240204000000_wip.sql"]
    assert [(f["rule"], name(f)) for f in data["findings"]] == [
        ("require-concurrent-index", "20240203000000_notes_index.sql")]


def test_base_reports_a_branch_migration_older_than_main(repo):
    git(repo.root, "checkout", "-q", "main")
    repo.add("20240301000000", "main_moved_on", "select 1;\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "main")
    git(repo.root, "checkout", "-q", "feature")
    repo.add("20240201000000", "feature", "select 1;\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "feature")
    git(repo.root, "merge", "-q", "main", "-m", "merge main")
    res = run("--workdir", repo.root, "--base", "main", "--format", "json")
    assert [(f["rule"], name(f)) for f in findings(res)] == [
        ("out-of-order", "20240201000000_feature.sql")]


def test_base_with_unknown_ref_exits_2(repo):
    res = run("--workdir", repo.root, "--base", "no-such-branch")
    assert res.exit_code == 2 and "no-such-branch" in res.output
