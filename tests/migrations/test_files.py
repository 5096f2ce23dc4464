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
    path.write_bytes(b"select 'caf\xe9';\n")
    with pytest.raises(SqlFileError) as info:
        discover(project.root).files[0].text
    assert info.value.line == 1 and "UTF-8" in info.value.message


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
