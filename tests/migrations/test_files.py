import os
import shutil

import pytest

from pgrelease.errors import SqlFileError, UsageError
from pgrelease.migrations.files import discover
from pgrelease.migrations.plan import canonical


def test_discover_orders_and_skips(project):
    project.add("20240102000000", "b", "select 1;")
    project.add("20240101000000", "a", "select 1;")
    project.write("supabase/migrations/readme.md", "x")
    project.write("supabase/migrations/not_a_version.sql", "select 1;")
    project.write("supabase/migrations/.gitkeep", "")
    found = discover(project.root)
    assert [f.version for f in found.files] == ["20240101000000", "20240102000000"]
    assert {p for p, _ in found.skipped} == {"supabase/migrations/readme.md", "supabase/migrations/not_a_version.sql"}


def test_duplicate_versions_are_an_error(project):
    project.add("20240101000000", "a", "select 1;")
    project.add("20240101000000", "b", "select 2;")
    with pytest.raises(UsageError) as info:
        discover(project.root)
    assert "two migrations have version 20240101000000" in info.value.message


def test_versions_sort_numerically(project):
    project.add("10", "ten", "select 1;")
    project.add("9", "nine", "select 1;")
    assert [f.version for f in discover(project.root).files] == ["9", "10"]


def test_non_utf8_file(project):
    path = project.migrations / "20240101000000_latin1.sql"
    path.write_bytes(b"select 1;\nselect 'caf\xe9';\n")
    with pytest.raises(SqlFileError) as info:
        discover(project.root).files[0].text
    err = info.value
    assert (err.file, err.line) == ("supabase/migrations/20240101000000_latin1.sql", 2)
    assert err.message == "not valid UTF-8: byte 0xe9 at line 2, column 12 (offset 21)"
    assert "save the file as UTF-8" in err.hint


def lint_output(project, *args):
    from click.testing import CliRunner

    from pgrelease.cli import main

    res = CliRunner().invoke(main, ["lint", "--workdir", str(project.root), *args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res


def test_non_utf8_file_names_its_path_once(project):
    project.migrations.joinpath("20240101000000_latin1.sql").write_bytes(b"select 'caf\xe9';\n")
    res = lint_output(project)
    assert res.exit_code == 2
    assert res.output.count("20240101000000_latin1.sql") == 1, res.output
    assert "not valid UTF-8: byte 0xe9 at line 1" in res.output


def test_symlink_loop_file_says_it_is_a_loop(project):
    link = project.migrations / "20240101000000_loop.sql"
    link.symlink_to(link.name)
    with pytest.raises(UsageError) as info:
        discover(project.root).files[0].text
    assert info.value.file == "supabase/migrations/20240101000000_loop.sql"
    assert info.value.message == "is a symbolic link loop (it resolves back to itself)"
    assert "permission" not in (info.value.hint or "")
    res = lint_output(project)
    assert res.exit_code == 2 and "symbolic link loop" in res.output and "permission" not in res.output


def test_dangling_symlink_file_names_its_target(project):
    (project.migrations / "20240101000000_gone.sql").symlink_to("elsewhere.sql")
    with pytest.raises(UsageError) as info:
        discover(project.root).files[0].text
    assert info.value.message == "is a symbolic link to elsewhere.sql, which does not exist"


def test_unreadable_file_says_permission_denied(project):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = project.add("20240101000000", "secret", "select 1;")
    path.chmod(0)
    with pytest.raises(UsageError) as info:
        discover(project.root).files[0].text
    assert info.value.message == "cannot be read: permission denied"


def test_looped_migrations_directory_says_it_is_a_loop(project):
    migrations = project.root / "supabase" / "migrations"
    shutil.rmtree(migrations)
    migrations.symlink_to("other")
    (project.root / "supabase" / "other").symlink_to("migrations")
    with pytest.raises(UsageError) as info:
        discover(project.root)
    assert "is a symbolic link loop" in info.value.message
    assert "no migrations directory" not in info.value.message
    res = lint_output(project)
    assert res.exit_code == 2 and "symbolic link loop" in res.output and "no migrations directory" not in res.output


def test_migrations_path_that_is_a_file_or_dangling_link(project):
    migrations = project.root / "supabase" / "migrations"
    shutil.rmtree(migrations)
    migrations.write_text("")
    with pytest.raises(UsageError) as info:
        discover(project.root)
    assert info.value.message.endswith("supabase/migrations is not a directory")
    migrations.unlink()
    migrations.symlink_to("nowhere")
    with pytest.raises(UsageError) as info:
        discover(project.root)
    assert info.value.message.endswith("is a symbolic link to nowhere, which does not exist")
    migrations.unlink()
    with pytest.raises(UsageError) as info:
        discover(project.root)
    assert info.value.message.startswith("no migrations directory at ")


def test_bom_is_dropped(project):
    project.migrations.joinpath("20240101000000_bom.sql").write_bytes(b"\xef\xbb\xbfselect 1;")
    assert discover(project.root).files[0].text == "select 1;"


@pytest.mark.parametrize("a,b,same", [
    (["create table a (id int)"], ["create table a (id int);"], True),
    (["create table a (\n  id int\n)"], ["create table a (  \r\n    id int\r\n)"], True),
    (["-- c\ncreate table a (id int)"], ["create table a (id int) -- other"], True),
    (["create table a (id int)", "select 1"], ["create table a (id int);\nselect 1"], True),
    (["create table a (id int)"], ["create table a (id bigint)"], False),
    (["select '--not a comment'"], ["select '--other'"], False),
    (["select $$ a $$"], ["select $$ b $$"], False),
])
def test_canonical(a, b, same):
    assert (canonical(a) == canonical(b)) is same
