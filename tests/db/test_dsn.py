import json

import pytest

from pgrelease.db.connect import ConnectOptions, connect
from pgrelease.db.dsn import Dsn
from pgrelease.errors import EnvironmentFailure, UsageError
from pgrelease.settings import TargetSpec, resolve_target

SECRET = "s3cr3t-p@ss/word"


def test_url_password_never_rendered():
    dsn = Dsn.parse("postgresql://postgres:s3cr3t-p%40ss%2Fword@db.example.com:6543/postgres?sslmode=require")
    assert dsn.password == SECRET
    for text in (str(dsn), repr(dsn), dsn.masked(), json.dumps(dsn.to_dict()), f"{dsn}", f"{dsn!r}"):
        assert SECRET not in text and "s3cr3t" not in text
        assert "***" in text
    assert dsn.host == "db.example.com" and dsn.port == 6543 and dsn.params == (("sslmode", "require"),)
    assert "s3cr3t" in dsn.conninfo()  # only libpq gets it


def test_keyword_form_and_reveal_roundtrip():
    dsn = Dsn.parse(f"host=localhost port=5433 dbname=app user=me password='{SECRET}'")
    assert dsn.port == 5433 and dsn.password == SECRET
    assert Dsn.parse(dsn.url(reveal=True)).password == SECRET
    assert SECRET not in str(dsn)


def test_supabase_project_ref():
    dsn = Dsn.for_supabase_project("abcdefghijklmnopqrst", SECRET)
    assert dsn.host == "db.abcdefghijklmnopqrst.supabase.co" and dsn.port == 5432
    assert dsn.user == "postgres" and dsn.dbname == "postgres" and ("sslmode", "require") in dsn.params
    pooled = Dsn.for_supabase_project("abcdefghijklmnopqrst", SECRET, host="aws-0-eu.pooler.supabase.com",
                                      port=6543, user="postgres.abcdefghijklmnopqrst")
    assert pooled.port == 6543 and pooled.user.startswith("postgres.")


@pytest.mark.parametrize("ref", ["short", "ABCDEFGHIJKLMNOPQRST", "abcdefghijklmnopqrs1"])
def test_bad_project_ref(ref):
    with pytest.raises(UsageError) as info:
        Dsn.for_supabase_project(ref, SECRET)
    assert info.value.hint


def test_project_ref_needs_password_from_env(monkeypatch):
    monkeypatch.delenv("PGRELEASE_DB_PASSWORD", raising=False)
    with pytest.raises(UsageError) as info:
        resolve_target(TargetSpec(project_ref="abcdefghijklmnopqrst"))
    assert "PGRELEASE_DB_PASSWORD" in info.value.hint
    monkeypatch.setenv("PGRELEASE_DB_PASSWORD", SECRET)
    assert resolve_target(TargetSpec(project_ref="abcdefghijklmnopqrst")).password == SECRET


@pytest.mark.parametrize("url,message", [
    ("mysql://x@y/z", "unsupported URL scheme 'mysql://'"),
    ("postgresql://u@h:notaport/db", "the database URL could not be parsed (bad port or characters)"),
    ("postgresql://u@h:99999/db", "the database URL could not be parsed (bad port or characters)"),
    ("   ", "empty database URL"),
])
def test_bad_urls_are_usage_errors(url, message):
    with pytest.raises(UsageError) as info:
        Dsn.parse(url)
    assert info.value.message == message and info.value.hint


def test_no_target_is_usage_error():
    with pytest.raises(UsageError, match="^no database target$") as info:
        resolve_target(TargetSpec())
    assert info.value.exit_code == 2


def test_connect_refused_names_host_port_without_password():
    dsn = Dsn.parse(f"postgresql://postgres:{SECRET.replace('@', '%40').replace('/', '%2F')}@127.0.0.1:1/postgres")
    with pytest.raises(EnvironmentFailure) as info:
        connect(dsn, ConnectOptions(timeout=2, retries=1, backoff=0.01))
    err = info.value
    assert "127.0.0.1:1" in err.message and "refused" in err.message
    assert SECRET not in json.dumps(err.to_dict()) and "s3cr3t" not in str(err) and err.hint


def test_connect_bad_password(server_dsn):
    dsn = server_dsn.with_password("wrong-" + SECRET)
    with pytest.raises(EnvironmentFailure) as info:
        connect(dsn, ConnectOptions(timeout=5, retries=2, backoff=0.01))
    assert "password authentication failed" in info.value.message
    assert "s3cr3t" not in json.dumps(info.value.to_dict())


def test_connect_unknown_host():
    dsn = Dsn.parse("postgresql://postgres:x@no-such-host.invalid:5432/postgres")
    with pytest.raises(EnvironmentFailure) as info:
        connect(dsn, ConnectOptions(timeout=2, retries=0))
    assert "no-such-host.invalid:5432" in info.value.message and "resolve" in info.value.message


def test_application_name(fresh_db):
    with connect(fresh_db) as conn:
        assert conn.execute("show application_name").fetchone()[0] == "pgrelease"
