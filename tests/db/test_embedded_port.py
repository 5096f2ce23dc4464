"""The embedded server's port: picked outside the kernel's ephemeral range, and a port taken
between the pick and the server's bind (another xdist worker, any process) costs a retry,
not a failed session."""

from __future__ import annotations

import socket

import psycopg

from pgrelease.db import embedded
from pgrelease.db.embedded import EmbeddedServer


def test_port_taken_before_the_server_binds_it_is_retried(monkeypatch):
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    taken = held.getsockname()[1]
    real, picks = embedded._free_port, []

    def first_pick_taken() -> int:
        picks.append(taken if not picks else real())
        return picks[-1]

    monkeypatch.setattr(embedded, "_free_port", first_pick_taken)
    server = EmbeddedServer()
    try:
        dsn = server.start()
        assert len(picks) == 2 and dsn.port == picks[1] != taken
        with psycopg.connect(dsn.url(reveal=True), connect_timeout=10) as conn:
            assert conn.execute("select current_setting('port')::int").fetchone()[0] == dsn.port
    finally:
        server.stop()
        held.close()


def test_ports_are_below_the_ephemeral_range():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as fh:
        ephemeral_low = int(fh.read().split()[0])
    ports = {embedded._free_port() for _ in range(20)}
    assert all(20000 <= p < ephemeral_low for p in ports), ports
    assert len(ports) > 1  # random, not one fixed port for every worker
