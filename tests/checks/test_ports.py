"""The suite's own ports under xdist: a "down" port stays refused for the whole session, and a
redis-server whose port was taken before it could bind is started again on another."""

from __future__ import annotations

import shutil
import socket

import pytest

from tests.checks import conftest


def test_free_port_is_refused_and_cannot_be_taken():
    port = conftest.free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # refused: nothing listens
    with socket.socket() as other, pytest.raises(OSError, match="in use"):
        other.bind(("127.0.0.1", port))  # and no server can start there meanwhile


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_redis_server_retries_a_port_taken_before_it_binds(monkeypatch):
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    taken, real, picks = held.getsockname()[1], conftest._server_port, []
    monkeypatch.setattr(conftest, "_server_port", lambda: picks.append(taken if not picks else real()) or picks[-1])
    fixture = conftest.redis_server._get_wrapped_function()  # the fixture's own function
    gen = fixture()
    try:
        server = next(gen)
        assert len(picks) == 2 and server.port == picks[1] != taken
        assert server.admin().ping()
    finally:
        gen.close()
        held.close()
