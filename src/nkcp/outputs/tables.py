"""Rows to tables: typed Arrow tables (for Parquet and pandera) and CSV cells.

Rows are sorted by primary key and columns follow the schema, so the same records always give the
same bytes. Lists are list<string> in Parquet and ';'-joined in the CSV, vocabularies dictionaries
in Parquet; an event's evidence is such a list of `quote_id=fact+fact`, and reasons a JSON
object in every format. This is the only place where a value changes form.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from nkcp.records.parse import Row
from nkcp.schema.export import arrow_schema
from nkcp.schema.model import Field, Schema

LIST_SEPARATOR = ";"  # schema/model.py's Schema.list_separator, held equal by a test


def cell(value: Any, spec: Field, reg: Schema) -> Any:
    """A record's value as the tables hold it."""
    if spec.yaml_form == "mapping":  # unknown_reasons
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "{}"
    if value is None:
        return None
    if isinstance(value, list):  # list<string> in Arrow and Parquet, joined in the CSV (csv_cell)
        return [str(v) for v in value]
    if isinstance(value, dict):  # events.evidence: a list of `quote_id=fact+fact`, like any list
        return [f"{k}={'+'.join(v)}" for k, v in value.items()]
    return value


def arrow_table(rows: list[Row], table: str, reg: Schema) -> Any:
    """The table's rows in an Arrow table of the schema's types, sorted by its key."""
    import pyarrow as pa

    specs = reg.table_fields(table)
    (key,) = reg.tables[table].primary_key  # one field, as the schema requires
    ordered = sorted(rows, key=lambda r: str(r.values.get(key)))
    # Column by column: a list per column holds the rows' own values, where a dict per row would
    # double the memory of a large build.
    return pa.Table.from_pydict({f.name: [cell(r.values.get(f.name), f, reg) for r in ordered] for f in specs},
                                schema=arrow_schema(table, reg))


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def flat_table(table: Any) -> Any:
    """The table as its CSV holds it, typed: vocabularies as plain strings, lists joined; what
    the pandera schemas, generated from the same schema as the CSV's checks, are run on."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        elif pa.types.is_list(column.type):
            column = pc.binary_join(column, LIST_SEPARATOR)
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def csv_rows(table: Any) -> Iterator[list[str]]:
    """The CSV cells of an Arrow table, row by row (a batch of rows in memory at a time)."""
    for batch in table.to_batches(max_chunksize=10_000):
        for row in batch.to_pylist():
            yield [csv_cell(v) for v in row.values()]
