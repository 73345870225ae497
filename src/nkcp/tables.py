"""Rows to tables: typed pyarrow tables (for Parquet and pandera) and CSV cells.

Rows are sorted by primary key and columns follow the registry, so the same records always give
the same bytes. Lists become ';'-joined strings and booleans 'true'/'false' in every format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nkcp.records import Row
from nkcp.registry import Registry
from nkcp.targets import arrow_schema


def _cell(value: Any, reg: Registry) -> Any:
    if isinstance(value, list):
        return reg.list_separator.join(str(v) for v in value)
    if isinstance(value, dict):  # evidence
        return reg.list_separator.join(f"{k}={'+'.join(v)}" for k, v in value.items())
    return value


def table_columns(rows: list[Row], table: str, reg: Registry) -> dict[str, list[Any]]:
    (key,) = reg.tables[table].primary_key  # one field, as the registry requires
    ordered = sorted(rows, key=lambda r: str(r.values.get(key)))
    values = [r.values for r in ordered]
    columns = {}
    for f in reg.table_fields(table):
        if f.is_list or f.yaml_form:  # only these hold lists or mappings (a stray one fails in Arrow)
            columns[f.name] = [_cell(v.get(f.name), reg) for v in values]
        else:
            columns[f.name] = [v.get(f.name) for v in values]
    return columns


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


def csv_rows(table: Any) -> list[tuple[str, ...]]:
    """The CSV cells of an Arrow table, row by row: what csv_cell gives for each value, made a
    column at a time (a call per cell took seconds at 100k events). Arrow writes strings,
    integers, booleans and dates as csv_cell does; floats go through repr, as Arrow's shortest
    form differs (38 against 38.0)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_floating(column.type):
            columns.append([csv_cell(v) for v in column.to_pylist()])
        else:
            columns.append(pc.fill_null(pc.cast(column, pa.string()), "").to_pylist())
    return list(zip(*columns, strict=True))
