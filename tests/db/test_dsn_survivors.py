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
