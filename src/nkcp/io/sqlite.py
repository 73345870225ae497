"""SQLite databases as bytes: made in memory with sqlite-utils, compacted, serialised.

The build writes every output as bytes into its staging folder, so the database is made in
memory and serialised rather than written in place. VACUUM lays the pages out afresh, and a
serialised database's header names no library version, so the same statements give the same
bytes; only a SQLite (Python's own library) that lays pages out differently could change them.
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

