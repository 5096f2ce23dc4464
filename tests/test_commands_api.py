"""The public Python API: every command importable from pgrelease.commands."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pgrelease import commands


@pytest.mark.parametrize("name", commands.__all__)
def test_every_public_name_resolves(name):
    assert callable(getattr(commands, name))


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        commands.no_such_command  # noqa: B018


def test_importing_commands_does_not_load_the_linter():
    code = "import sys, pgrelease.commands; print('pglast' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_shadow_from_python(tmp_path):
    (tmp_path / "supabase" / "migrations").mkdir(parents=True)
    (tmp_path / "supabase" / "migrations" / "20240101000000_t.sql").write_text("create table public.t (id int);\n")
    report = commands.shadow(tmp_path)
    assert report.exit_code == 0 and [m.status for m in report.migrations] == ["applied"]
