"""CSV made a column at a time by Arrow (tables.csv_columns, io.csv_columns_bytes) is, byte for
byte, what the csv module writes from csv_cell of each value."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from nkcp.io import csv_bytes, csv_columns_bytes
from nkcp.tables import csv_cell, csv_columns

# Text drawn often from the characters that decide quoting, and from any other character too.
_TEXT = st.text(st.sampled_from(',"\r\n \'x;=') | st.characters(blacklist_categories=["Cs"]), max_size=12)
_COLUMNS = {
    "text": (pa.string(), _TEXT),
    "count": (pa.int64(), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    "share": (pa.float64(), st.floats(allow_nan=False)),
    "flag": (pa.bool_(), st.booleans()),
    "day": (pa.date32(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))),
    "more_text": (pa.string(), _TEXT),
}


def _reference(table: pa.Table) -> bytes:
    return csv_bytes(table.column_names, [[csv_cell(v) for v in row.values()] for row in table.to_pylist()])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*(st.none() | strategy for _, strategy in _COLUMNS.values())), max_size=20))
def test_arrow_csv_equals_the_csv_module(rows: list[tuple[object, ...]]) -> None:
    table = pa.table({name: pa.array([r[i] for r in rows], type=kind)
                      for i, (name, (kind, _)) in enumerate(_COLUMNS.items())})
    assert csv_columns_bytes(table.column_names, csv_columns(table)) == _reference(table)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.none() | _TEXT, max_size=10))
def test_one_column_tables_quote_an_empty_cell_as_the_csv_module_does(cells: list[str | None]) -> None:
    table = pa.table({"only": pa.array(cells, type=pa.string())})
    assert csv_columns_bytes(["only"], csv_columns(table)) == _reference(table)


def test_tables_in_several_chunks_and_slices() -> None:
    table = pa.concat_tables([pa.table({"a": ["x,1", "y"], "b": [1, None]}),
                              pa.table({"a": ['say "hi"', ""], "b": [3, 4]})]).slice(1, 3)
    assert csv_columns_bytes(table.column_names, csv_columns(table)) == _reference(table)
    assert _reference(table) == b'a,b\r\ny,\r\n"say ""hi""",3\r\n,4\r\n'


def test_awkward_floats_keep_python_form() -> None:
    table = pa.table({"x": pa.array([38.0, 1e-07, -0.0, 125.75432, None], type=pa.float64())})
    assert csv_columns_bytes(["x"], csv_columns(table)) == b'x\r\n38.0\r\n1e-07\r\n-0.0\r\n125.75432\r\n""\r\n'
