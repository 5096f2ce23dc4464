"""Dsn behaviour that mutation testing (mutmut, issue 12 item 20) found untested: the schemes
accepted, a password holding '://', what the run's scrubber learns from a Dsn, the Dsn's own
scrub, the shape of to_dict and the port's bounds."""

from __future__ import annotations

import psycopg
import pytest

from pgrelease import secrets
from pgrelease.db.dsn import Dsn
from pgrelease.errors import UsageError

URL = "postgres://ada:p%40ss%3A%2F%2Fword@db.example:6543/app?sslmode=require&sslpassword=keypass-123"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "POSTGRES", "PostgreSQL"])
def test_both_schemes_in_any_case(scheme):
    dsn = Dsn.parse(f"{scheme}://u@h:5433/db")
    assert (dsn.host, dsn.port, dsn.dbname, dsn.user) == ("h", 5433, "db", "u")


def test_password_holding_a_scheme_separator():
    dsn = Dsn.parse(URL)
    assert psycopg.conninfo.conninfo_to_dict(dsn.conninfo())["password"] == "p@ss://word"
    assert Dsn.parse(dsn.url(reveal=True)).conninfo() == dsn.conninfo()  # the revealed URL round-trips


def test_a_dsn_teaches_the_runs_scrubber_its_secrets():
    Dsn.parse(URL)
    text = "password p@ss://word, encoded p%40ss%3A%2F%2Fword, key keypass-123, basic ada:p@ss://word"
    scrubbed = secrets.scrub(text)
    for secret in ("p@ss://word", "p%40ss%3A%2F%2Fword", "keypass-123", "ada:p@ss://word"):
        assert secret not in scrubbed, scrubbed


def test_own_scrub():
    dsn = Dsn.parse(URL)
    assert dsn.scrub("a p@ss://word b p%40ss%3A%2F%2Fword c") == "a *** b *** c"
    assert dsn.scrub("") == ""
    assert Dsn.parse("postgresql://u@h/db").scrub("nothing to hide") == "nothing to hide"


def test_to_dict_and_masked_forms():
    dsn = Dsn.parse(URL)
    masked = "postgresql://ada:***@db.example:6543/app?sslmode=require&sslpassword=***"
    assert dsn.masked() == str(dsn) == masked
    assert dsn.to_dict() == {"url": masked, "host": "db.example", "port": 6543, "dbname": "app", "user": "ada"}


@pytest.mark.parametrize("port,ok", [(0, False), (1, True), (65535, True), (65536, False)])
def test_port_bounds(port, ok):
    url = f"postgresql://u@h:{port}/db"
    if ok:
        assert Dsn.parse(url).port == port
    else:
        with pytest.raises(UsageError, match="could not be parsed|out of range"):
            Dsn.parse(url)


# -- second round (the survivors left after the first): every field from every source --------
import base64  # noqa: E402


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode().rstrip("=")


def test_what_a_dsn_registers_exactly():
    Dsn(host="h", _password="pw-only-4242")
    assert secrets.known_secrets({}) == {"pw-only-4242"}  # no user: no "user:password"
    secrets.forget_all()
    Dsn(host="h", user="someone")
    assert secrets.known_secrets({}) == set()  # no password: nothing
    secrets.forget_all()
    Dsn(host="h", user="ada", _password="Secret-pw-77", params=(("sslpassword", "key-pass-9"), ("sslmode", "require")))
    assert secrets.known_secrets({}) == {"Secret-pw-77", "ada:Secret-pw-77", "key-pass-9"}
    # a Basic authorization header carries base64("user:password"): only the pair's own form masks it
    assert secrets.scrub(f"Authorization: Basic {_b64('ada:Secret-pw-77')}") == "Authorization: Basic ***"


def test_keyword_form_every_field():
    dsn = Dsn.parse("host=h port=5433 dbname=d user=u password=kw-pass-1 sslmode=require connect_timeout=5")
    assert (dsn.host, dsn.port, dsn.dbname, dsn.user, dsn.password) == ("h", 5433, "d", "u", "kw-pass-1")
    assert dsn.params == (("connect_timeout", "5"), ("sslmode", "require"))


def test_keyword_form_with_nothing_but_a_parameter():
    dsn = Dsn.parse("sslmode=disable")
    assert (dsn.host, dsn.port, dsn.dbname, dsn.user, dsn.password) == (None, None, None, None, None)
    assert dsn.params == (("sslmode", "disable"),)


@pytest.mark.parametrize("url", [None, "", "   "])
def test_empty_url(url):
    with pytest.raises(UsageError) as caught:
        Dsn.parse(url)
    assert (caught.value.message, caught.value.hint) == (
        "empty database URL", "pass --db-url postgresql://user@host:5432/db")


def test_unparsable_keyword_form_is_not_echoed():
    with pytest.raises(UsageError) as caught:
        Dsn.parse("host=h password='unterminated-secret-7")
    err = caught.value
    assert (err.message, err.hint) == ("the database URL could not be parsed",
                                       "use postgresql://user:<password>@host:5432/dbname")
    assert err.__suppress_context__ and err.__cause__ is None


def test_unsupported_scheme_message_and_hint():
    with pytest.raises(UsageError) as caught:
        Dsn.parse("mysql://u@h/db")
    assert (caught.value.message, caught.value.hint) == (
        "unsupported URL scheme 'mysql://'", "database URLs start with postgresql:// or postgres://")


def test_scheme_is_what_comes_before_the_first_separator():
    dsn = Dsn.parse("postgresql://u@h/db?application_name=a://b")
    assert dsn.params == (("application_name", "a://b"),)


def test_bad_port_in_the_url():
    with pytest.raises(UsageError) as caught:
        Dsn.parse("postgresql://u@h:notaport/db")
    assert (caught.value.message, caught.value.hint) == (
        "the database URL could not be parsed (bad port or characters)",
        "percent-encode special characters in the password, e.g. @ as %40")
    assert caught.value.__suppress_context__


def test_everything_from_the_query_string():
    dsn = Dsn.parse("postgresql:///?host=/run/pg&port=6000&dbname=app&user=ann&password=qpw-1234&options=")
    assert (dsn.host, dsn.port, dsn.dbname, dsn.user, dsn.password) == ("/run/pg", 6000, "app", "ann", "qpw-1234")
    assert dsn.params == (("options", ""),)  # a blank value is kept; the password never is


def test_the_authority_wins_over_the_query_string_and_the_path_keeps_its_letters():
    dsn = Dsn.parse("postgresql://ann:pw-auth-1@h:7000/Xray?password=other-pw-2")
    assert (dsn.host, dsn.port, dsn.dbname, dsn.user, dsn.password) == ("h", 7000, "Xray", "ann", "pw-auth-1")
    assert dsn.params == ()


@pytest.mark.parametrize("url, message", [
    ("postgresql://u@h/db?port=abc", "port 'abc' is not a number"),
    ("postgresql://u@h/db?port=65536", "port 65536 is out of range"),
    ("postgresql://u@h/db?port=0", "port 0 is out of range"),
    ("host=h port=65536", "port 65536 is out of range"),
])
def test_port_errors_exactly(url, message):
    with pytest.raises(UsageError) as caught:
        Dsn.parse(url)
    assert (caught.value.message, caught.value.hint) == (message, "use a port such as 5432")
    if "number" in message:
        assert caught.value.__suppress_context__


def test_port_65535_from_the_query_string_and_an_empty_port():
    assert Dsn.parse("postgresql://u@h/db?port=65535").port == 65535
    assert Dsn.parse("postgresql://u@h/db?port=").port is None


@pytest.mark.parametrize("ref", [None, ""])
def test_supabase_project_ref_missing(ref):
    with pytest.raises(UsageError) as caught:
        Dsn.for_supabase_project(ref, "pw-ref-1")
    assert (caught.value.message, caught.value.hint) == (
        f"'{ref}' is not a Supabase project ref",
        "a project ref is 20 lowercase letters, as in https://<ref>.supabase.co")


def test_supabase_project_without_password():
    with pytest.raises(UsageError) as caught:
        Dsn.for_supabase_project("abcdefghijklmnopqrst", "")
    assert (caught.value.message, caught.value.hint) == (
        "no database password for the project",
        "set PGRELEASE_DB_PASSWORD (from a secret); passwords are never taken as flags")


def test_with_dbname_and_with_params():
    dsn = Dsn.parse("postgresql://u@h/db?sslmode=require")
    assert dsn.with_dbname("other").dbname == "other"
    merged = dsn.with_params(connect_timeout=5, application_name="pgrelease")
    assert merged.params == (("application_name", "pgrelease"), ("connect_timeout", "5"), ("sslmode", "require"))
    assert merged.host == "h" and dsn.params == (("sslmode", "require"),)
    assert dsn.with_params(sslmode="disable").params == (("sslmode", "disable"),)


@pytest.mark.parametrize("dsn, url", [
    (Dsn(dbname="d"), "postgresql://localhost/d"),
    (Dsn(host="h"), "postgresql://h/"),
    (Dsn(host="h", port=5432, dbname="d"), "postgresql://h:5432/d"),
    (Dsn(host="/run/pg s", dbname="d"), "postgresql:///d?host=%2Frun%2Fpg%20s"),
    (Dsn(host="::1", port=5432, dbname="d"), "postgresql://[::1]:5432/d"),
    (Dsn(host="h", dbname="a/b", user="u/v"), "postgresql://u%2Fv@h/a%2Fb"),
    (Dsn(host="h", dbname="d", params=(("options", "-c a=/b"),)), "postgresql://h/d?options=-c%20a%3D%2Fb"),
    (Dsn(host="h", dbname="d", user="u", _password="p/w-77"), "postgresql://u:***@h/d"),
])
def test_url_forms(dsn, url):
    assert dsn.url() == dsn.masked() == url


def test_revealed_url_encodes_the_password_fully():
    dsn = Dsn(host="h", dbname="d", user="u", _password="p/w:x@y-77")
    assert dsn.url(reveal=True) == "postgresql://u:p%2Fw%3Ax%40y-77@h/d"
    assert Dsn.parse(dsn.url(reveal=True)).password == "p/w:x@y-77"


def test_own_scrub_of_a_password_with_a_slash():
    dsn = Dsn(host="h", user="u", _password="p/w-secret")
    assert dsn.scrub("raw p/w-secret, encoded p%2Fw-secret") == "raw ***, encoded ***"


@pytest.mark.parametrize("url", ["postgresql://", "postgresql:///", "postgres://h", "postgresql://:5433"])
def test_a_url_may_leave_out_host_dbname_and_user(url):
    dsn = Dsn.parse(url)
    assert (dsn.dbname, dsn.user, dsn.password, dsn.params) == (None, None, None, ())
    assert dsn.host in (None, "h")
