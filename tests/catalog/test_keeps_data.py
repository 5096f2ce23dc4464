"""What the pair corpus cannot see: the generated SQL keeps rows where it can (a detached
partition, a generated column that becomes plain, a table rebuilt around its serial
sequence) and says so where it cannot (an extension downgrade)."""

from __future__ import annotations

from pathlib import Path

from pgrelease.catalog import diff, render_text, snapshot, to_sql

PAIRS = Path(__file__).with_name("pairs")


def _migrate(new_db, pair: str, *, rows: str = ""):
    conn_a, conn_b = new_db(), new_db()
    conn_a.execute((PAIRS / pair / "a.sql").read_text())
    if rows:
        conn_a.execute(rows)
    conn_b.execute((PAIRS / pair / "b.sql").read_text())
    a, b = snapshot(conn_a), snapshot(conn_b)
    script = to_sql(diff(a, b), a, b)
    for statement in script:
        conn_a.execute(statement)
    assert render_text(diff(snapshot(conn_a), b)) == ""
    return conn_a, script


def test_generated_column_becoming_plain_keeps_its_values(new_db) -> None:
    conn, script = _migrate(new_db, "63_generated_column_becomes_plain")
    assert "ALTER TABLE public.gencol ALTER COLUMN label DROP EXPRESSION;" in script
    assert not any("DROP COLUMN IF EXISTS label" in s for s in script)
    assert conn.execute("select label from public.gencol where id = 1").fetchone() == ("fixed label",)


def test_detached_partition_keeps_its_rows(new_db) -> None:
    conn, script = _migrate(
        new_db, "62_partition_detach_and_attach",
        rows="insert into public.measurement values (1, '2006-03-05', 20);"
             "insert into public.events_x values (7, 'x');")
    assert conn.execute("select city_id, peaktemp from public.measurement_2006_03").fetchall() == [(1, 20)]
    assert conn.execute("select id, kind from public.events").fetchall() == [(7, "x")]
    # the serial sequence survived the rebuild of its table and belongs to it again
    assert conn.execute("select pg_get_serial_sequence('public.events', 'id')").fetchone() == ("public.events_id_seq",)


def test_extension_downgrade_recreates_it_and_says_so(new_db) -> None:
    _, script = _migrate(new_db, "64_extension_downgrade")
    drop = next(s for s in script if "DROP EXTENSION pg_trgm" in s)
    assert drop.startswith("-- destructive: downgrades pg_trgm from 1.4 to 1.3")
    assert "CREATE EXTENSION pg_trgm WITH SCHEMA public VERSION '1.3';" in script
    assert "ALTER EXTENSION citext UPDATE TO '1.6';" in script
