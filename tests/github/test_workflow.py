"""--format github: annotations on migration lines, job summary, step outputs; no secrets."""

from __future__ import annotations

from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.github.workflow import annotation, escape_data


def test_annotation_escaping():
    line = annotation("error", "bad: 100%\nnext", file="a,b.sql", line=3, title="t:x")
    assert line == "::error file=a%2Cb.sql,line=3,title=t%3Ax::bad: 100%25%0Anext"
    assert escape_data("a\r\nb") == "a%0D%0Ab"


def test_failed_push_in_github_format(fresh_db, project, tmp_path, monkeypatch):
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    project.add("20240101000001", "ok", "create table a (id int);")
    project.add("20240101000002", "broken", "create table b (id int);\nselect * from missing_table;\n")
    res = CliRunner().invoke(main, ["push", "--workdir", str(project.root), "--db-url", fresh_db.url(reveal=True),
                                    "--format", "github"])
    assert res.exit_code == 1
    first = res.stdout.splitlines()[0]
    assert first.startswith("::error file=supabase/migrations/20240101000002_broken.sql,line=2,title=pgrelease push::")
    assert "::group::pgrelease push report" in res.stdout and "push: FAILED" in res.stdout
    text = summary.read_text()
    assert "### pgrelease push: FAILED" in text and "| `20240101000001` | ok | applied |" in text
    assert "| `20240101000002` | broken | failed |" in text and "missing_table" in text
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert values["status"] == "failed" and values["applied"] == "1" and values["exit-code"] == "1"
    for blob in (res.output, text, outputs.read_text()):
        assert fresh_db.password not in blob


def test_ok_shadow_quiet_github(tmp_path, monkeypatch, project):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    project.add("20240101000001", "a", "create table public.a (id int);")
    res = CliRunner().invoke(main, ["shadow", "--workdir", str(project.root), "--no-baseline", "--format", "github", "-q"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip().splitlines()[-1] == "pgrelease shadow: OK" and "::error" not in res.stdout


def test_annotations_name_files_by_their_repository_path(tmp_path, monkeypatch):
    from pgrelease.github.syntax import repo_path

    project = tmp_path / "examples" / "acme"
    (project / "supabase" / "migrations").mkdir(parents=True)
    (project / "supabase" / "migrations" / "20240101000000_bad.sql").write_text("drop table public.t;\n")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert repo_path(project) == "examples/acme" and repo_path(tmp_path) == "."
    result = CliRunner().invoke(main, ["lint", "--workdir", str(project), "--format", "github"])
    assert result.exit_code == 1
    assert "::error file=examples/acme/supabase/migrations/20240101000000_bad.sql,line=1" in result.output
    assert annotation("error", "m", file="x.sql", line=2, prefix="a/b") == "::error file=a/b/x.sql,line=2::m"
    assert annotation("error", "m", file="x.sql", prefix=".") == "::error file=x.sql::m"


def test_github_format_is_the_default_under_actions(tmp_path, monkeypatch):
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "migrations" / "20240101000000_t.sql").write_text("drop table public.t;\n")
    monkeypatch.delenv("PGRELEASE_FORMAT", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert "::error file=" in CliRunner().invoke(main, ["lint", "--workdir", str(tmp_path)]).output
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    output = CliRunner().invoke(main, ["lint", "--workdir", str(tmp_path)]).output
    assert "::error" not in output and "error[drop-table]" in output
