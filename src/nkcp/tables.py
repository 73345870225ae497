"""Rows to tables: typed pyarrow tables (for Parquet and pandera) and CSV cells.

Rows are sorted by primary key and columns follow the registry, so the same records always give
the same bytes. Lists become ';'-joined strings and booleans 'true'/'false' in every format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nkcp.records import Corpus, Row
from nkcp.registry import Registry
from nkcp.targets import arrow_schema


def _cell(value: Any, reg: Registry) -> Any:
    if isinstance(value, list):
        return reg.list_separator.join(str(v) for v in value)
    if isinstance(value, dict):  # evidence
        return reg.list_separator.join(f"{k}={'+'.join(v)}" for k, v in value.items())
    return value


def table_columns(rows: list[Row], table: str, reg: Registry) -> dict[str, list[Any]]:
    key = reg.tables[table].primary_key
    ordered = sorted(rows, key=lambda r: tuple(str(r.get(k)) for k in key))
    return {f: [_cell(r.values.get(f), reg) for r in ordered] for f in reg.tables[table].field_names}


def arrow_table(rows: list[Row], table: str, reg: Registry) -> Any:
    import pyarrow as pa

    schema = arrow_schema(table, reg)
    cols = table_columns(rows, table, reg)
    return pa.Table.from_arrays([pa.array(cols[f.name], type=f.type) for f in schema], schema=schema)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_rows(table: Any) -> list[list[str]]:
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [[csv_cell(col[i]) for col in columns] for i in range(table.num_rows)]


def build_tables(corpus: Corpus, reg: Registry) -> dict[str, Any]:
    return {name: arrow_table(corpus.rows.get(name, []), name, reg) for name in reg.tables}
