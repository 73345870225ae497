"""CSV cells made a column at a time (tables.csv_rows) are exactly csv_cell of each value."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from nkcp.tables import csv_cell, csv_rows

_COLUMNS = {
    "text": (pa.string(), st.text()),
    "count": (pa.int64(), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    "share": (pa.float64(), st.floats(allow_nan=False)),
    "flag": (pa.bool_(), st.booleans()),
    "day": (pa.date32(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*(st.none() | strategy for _, strategy in _COLUMNS.values())), max_size=20))
def test_csv_rows_equal_csv_cell_of_every_value(rows: list[tuple[object, ...]]) -> None:
    table = pa.table({name: pa.array([r[i] for r in rows], type=kind)
                      for i, (name, (kind, _)) in enumerate(_COLUMNS.items())})
    assert csv_rows(table) == [tuple(csv_cell(v) for v in r) for r in rows]


def test_awkward_floats_keep_python_form() -> None:
    table = pa.table({"x": pa.array([38.0, 1e-07, -0.0, 125.75432, None], type=pa.float64())})
    assert csv_rows(table) == [("38.0",), ("1e-07",), ("-0.0",), ("125.75432",), ("",)]
