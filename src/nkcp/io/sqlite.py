"""SQLite databases as bytes: made in memory with sqlite-utils, compacted, serialised.

The build writes every output as bytes into its staging folder, so the database is made in
memory and serialised rather than written in place. VACUUM lays the pages out afresh, so the
same statements give the same bytes with the same SQLite library (whose version the file's
header records; tests/test_pins.py holds it to the committed database's).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any


def database_bytes(fill: Callable[[Any], None]) -> bytes:
    """The bytes of a new database that `fill` is given (a sqlite_utils.Database) to write into."""
    import sqlite_utils

    conn = sqlite3.connect(":memory:")
    try:
        fill(sqlite_utils.Database(conn))
        conn.commit()
        conn.execute("VACUUM")
        return conn.serialize()
    finally:
        conn.close()


def header_sqlite_version(data: bytes) -> str:
    """The version of the SQLite library that last wrote a database (its header, offset 96)."""
    number = int.from_bytes(data[96:100], "big")
    return f"{number // 1_000_000}.{number // 1000 % 1000}.{number % 1000}"
