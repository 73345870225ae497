"""`build/nkcp.db`: the five tables in one SQLite database, for Datasette and any SQLite client.

The rows are the CSV's (the same Arrow tables, flattened as the CSV flattens them: vocabularies
as text, lists `;`-joined, dates ISO, booleans 1/0), the column types and keys the schema's, so
the database never says what the CSV does not. Foreign keys are declared, quotations and event
summaries have full-text search, and a view joins each located event to its place's coordinates
for the map.
"""

from __future__ import annotations

from typing import Any

from nkcp.io.sqlite import database_bytes
from nkcp.outputs.tables import flat_table
from nkcp.schema.model import Schema

DATABASE_FILE = "nkcp.db"  # in build/; Datasette names the database after it: /nkcp
SQL_TYPES = {"string": str, "date": str, "integer": int, "number": float, "boolean": int}
# Full-text search (FTS5): what readers search for words in.
FTS_COLUMNS = {"quotes": ["text", "speaker_words"], "events": ["summary"]}
# One row per event whose place has coordinates: the map. Retracted events are left out.
LOCATED_EVENTS = """
CREATE VIEW located_events AS
SELECT e.event_id, e.summary, e.event_type, e.claim_status, e.date_start, e.date_end,
       e.location_precision, l.place_id, l.name AS place_name, l.latitude, l.longitude,
       l.coordinate_represents
FROM events e JOIN locations l ON l.place_id = e.place_id
WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL AND e.record_status != 'retracted'
ORDER BY e.event_id
"""


def _rows(table: Any) -> Any:
    """The rows of an Arrow table as the CSV holds them, typed, dates as ISO text: tuples for executemany."""
    import pyarrow as pa

    flat = flat_table(table)
    columns = [c.cast(pa.string()) if pa.types.is_date(c.type) else c for c in flat.columns]
    return zip(*(c.to_pylist() for c in columns), strict=True)


def database(tables: dict[str, Any], reg: Schema) -> bytes:
    """The database of the build's Arrow tables (one per schema table), as bytes."""

    def fill(db: Any) -> None:
        for name, table in tables.items():  # the schema's order: a key's table comes before its users
            spec = reg.tables[name]
            columns = {f.name: SQL_TYPES[f.type] for f in reg.table_fields(name)}
            keys = [(fk.fields[0], fk.table, fk.reference[0]) for fk in spec.foreign_keys]
            db[name].create(columns, pk=spec.primary_key[0], foreign_keys=keys)
            # Rows straight to SQLite: sqlite-utils' insert_all checks each row's keys, three times slower.
            names, marks = ", ".join(f'"{c}"' for c in columns), ", ".join("?" * len(columns))
            insert = f'INSERT INTO "{name}" ({names}) VALUES ({marks})'  # noqa: S608 - the schema's names; values bound
            db.conn.executemany(insert, _rows(table))
        for name, searched in FTS_COLUMNS.items():
            db[name].enable_fts(searched, fts_version="FTS5")
        db.execute(LOCATED_EVENTS)

    return database_bytes(fill)
