"""The paired-schema corpus: for each ``pairs/<NN_name>/`` the diff a -> b renders exactly
as ``expected.txt`` (or ``expected.pg<major>.txt`` where the server prints a definition
differently), and the generated SQL, applied to a, gives b: diffing again is empty. The
same holds backwards (b -> a) unless the pair's ``options.json`` says ``"reverse": false``.

Set PGRELEASE_REGEN_EXPECTED=1 to (re)write the expected files instead of comparing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pgrelease.catalog import diff, render_text, snapshot, to_sql

PAIRS_DIR = Path(__file__).with_name("pairs")
PAIRS = sorted(p for p in PAIRS_DIR.iterdir() if (p / "a.sql").exists())
REGEN = os.environ.get("PGRELEASE_REGEN_EXPECTED") == "1"


def _options(pair: Path) -> dict:
    path = pair / "options.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _expected_path(pair: Path, major: int) -> Path:
    specific = pair / f"expected.pg{major}.txt"
    return specific if specific.exists() else pair / "expected.txt"


def _apply(conn, statements: list[str]) -> None:
    for statement in statements:
        try:
            conn.execute(statement)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"generated SQL failed: {exc}\n{statement}\n\nwhole script:\n"
                                 + "\n".join(statements)) from None


def test_corpus_is_big_enough() -> None:
    assert len(PAIRS) >= 40


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_pair(server, new_db, pair: Path) -> None:
    opts = _options(pair)
    filt = {"include_schemas": opts.get("include_schemas"), "exclude_schemas": opts.get("exclude_schemas", ())}
    conn_a, conn_b = new_db(), new_db()
    conn_a.execute((pair / "a.sql").read_text())
    conn_b.execute((pair / "b.sql").read_text())
    a, b = snapshot(conn_a, **filt), snapshot(conn_b, **filt)

    changes = diff(a, b)
    text = render_text(changes)
    expected = _expected_path(pair, server.major)
    if REGEN:
        if not expected.exists() or expected.read_text() != text:
            target = expected
            if expected.exists() and expected.name == "expected.txt" and server.name != "embedded":
                target = pair / f"expected.pg{server.major}.txt"
            target.write_text(text)
    else:
        assert text == expected.read_text()

    # a + sql -> b
    script = to_sql(changes, a, b)
    _apply(conn_a, script)
    after = snapshot(conn_a, **filt)
    assert render_text(diff(after, b)) == "", "\n".join(script)

    # b + sql -> a
    if opts.get("reverse", True):
        back = diff(b, a)
        script = to_sql(back, b, a)
        _apply(conn_b, script)
        assert render_text(diff(snapshot(conn_b, **filt), a)) == "", "\n".join(script)
