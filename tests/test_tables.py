"""Tables and CSV made by Arrow a column at a time are what one value at a time gives: the Arrow
table (tables.arrow_table) equals one built from a Python list per column, and the CSV
(tables.csv_columns, io.csv_columns_bytes) is, byte for byte, what the csv module writes from
csv_cell of each value."""

from __future__ import annotations

import datetime as dt
import itertools

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import REPO

from nkcp.io import csv_bytes, csv_columns_bytes
from nkcp.records.parse import Row
from nkcp.schema.model import load_schema
from nkcp.outputs.tables import _cell, arrow_table, csv_cell, csv_columns
from nkcp.schema.export import arrow_schema

REG = load_schema(REPO)

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
@given(st.lists(st.tuples(*(st.none() | strategy for _, strategy in _COLUMNS.values())), max_size=20),
       st.lists(st.integers(0, 20), max_size=3))
def test_arrow_csv_equals_the_csv_module(rows: list[tuple[object, ...]], cuts: list[int]) -> None:
    table = pa.table({name: pa.array([r[i] for r in rows], type=kind)
                      for i, (name, (kind, _)) in enumerate(_COLUMNS.items())})
    bounds = sorted({0, len(rows), *(min(c, len(rows)) for c in cuts)})  # uneven chunks, some empty
    table = pa.concat_tables([table.slice(a, b - a) for a, b in itertools.pairwise(bounds)] or [table])
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


_VALUES = {"string": _TEXT.filter(bool), "integer": st.integers(-(2**63), 2**63 - 1),
           "number": st.floats(allow_nan=False), "date": st.dates(), "boolean": st.booleans()}


@st.composite
def _rows(draw: st.DrawFn, table: str) -> list[Row]:
    rows = []
    for i in range(draw(st.integers(0, 6))):
        values: dict[str, object] = {}
        for f in REG.table_fields(table):
            if f.name == REG.tables[table].primary_key[0]:
                values[f.name] = f"k{draw(st.integers(0, 99)):02d}-{i}"
            elif f.yaml_form == "mapping_of_lists":
                values[f.name] = draw(st.dictionaries(_TEXT.filter(bool), st.lists(_TEXT.filter(bool), min_size=1)))
            elif f.is_list:
                values[f.name] = draw(st.none() | st.lists(_VALUES[f.type], min_size=1, max_size=3))
            elif draw(st.booleans()):  # else the key is missing
                values[f.name] = draw(st.none() | _VALUES[f.type])
        rows.append(Row(table, "x.yaml", 1, values))
    return rows


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(["events", "sources", "locations", "quotes"]))
def test_arrow_table_equals_a_list_per_column(data: st.DataObject, table: str) -> None:
    """The struct conversion against the Python list per column it replaced."""
    rows = data.draw(_rows(table))
    schema = arrow_schema(table, REG)
    (key,) = REG.tables[table].primary_key
    ordered = [r.values for r in sorted(rows, key=lambda r: str(r.values.get(key)))]
    joined = {f.name for f in REG.table_fields(table) if f.is_list or f.yaml_form}
    expected = pa.Table.from_arrays([pa.array([_cell(v.get(f.name), REG) if f.name in joined else v.get(f.name)
                                               for v in ordered], type=f.type) for f in schema], schema=schema)
    assert arrow_table(rows, table, REG).equals(expected, check_metadata=True)
