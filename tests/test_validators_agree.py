"""The same broken table is rejected by both generated validators, pandera and Frictionless.

A built table is read back, broken in one way, and handed to each validator: neither may accept
it. This is what proves the two generated schemas express the same constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors
import pytest
from frictionless import Resource, Schema

from nkcp.io.tabular import csv_bytes
from nkcp.outputs.run import build
from nkcp.outputs.tables import csv_cell
from nkcp.schema.export import frictionless_schema, pandera_schema
from nkcp.schema.model import load_schema

Breaker = Callable[[pd.DataFrame], None]


def _set(column: str, value: Any) -> Breaker:
    def apply(frame: pd.DataFrame) -> None:
        frame.loc[0, column] = value

    return apply


def _duplicate_key(frame: pd.DataFrame) -> None:
    frame.loc[1, "quote_id"] = frame.loc[0, "quote_id"]


BREAKS = [
    ("vocabulary", "quotes", _set("informant_type", "ghost")),
    ("pattern", "quotes", _set("quote_id", "Q1")),
    ("required", "quotes", _set("speaker_words", None)),
    ("minimum", "quotes", _set("start_offset", -5)),
    ("duplicate-primary-key", "quotes", _duplicate_key),
    ("list-vocabulary", "events", _set("other_event_types", "eviction;ghost")),
    ("evidence-format", "events", _set("evidence", "Q0001 act")),
    ("max-length", "events", _set("summary", "x" * 601)),
]


@pytest.fixture
def built(mini_repo: Path) -> Path:
    build(mini_repo)
    return mini_repo


def _frame(root: Path, table: str) -> pd.DataFrame:
    from nkcp.io.tabular import read_parquet
    from nkcp.outputs.tables import flat_table
    from nkcp.outputs.verify import pandas_type as _pandas_type

    # As the build hands it to pandera: the CSV's form of each value (lists joined, vocabularies as text).
    return flat_table(read_parquet(root / "build" / f"{table}.parquet")).to_pandas(types_mapper=_pandas_type,
                                                                                   date_as_object=True)


def _frictionless_valid(frame: pd.DataFrame, table: str, path: Path) -> bool:
    cells = [[csv_cell(None if pd.isna(v) else v.item() if hasattr(v, "item") else v) for v in row]
             for row in frame.itertuples(index=False)]
    path.write_bytes(csv_bytes(list(frame.columns), cells))
    schema = frictionless_schema(table, load_schema(path.parent))
    schema.pop("foreignKeys", None)  # one table alone: references are checked at package level
    report = Resource(path=path.name, basepath=str(path.parent),
                      schema=Schema.from_descriptor(schema)).validate()
    return bool(report.valid)


@pytest.mark.parametrize(("table", "breaker"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_both_validators_reject(built: Path, tmp_path: Path, table: str, breaker: Breaker) -> None:
    reg = load_schema(built)
    frame = _frame(built, table)
    pandera_schema(table, reg).validate(frame, lazy=True)  # the unbroken table passes both
    assert _frictionless_valid(frame, table, tmp_path / f"{table}.csv")
    breaker(frame)
    with pytest.raises(pandera.errors.SchemaErrors):
        pandera_schema(table, reg).validate(frame, lazy=True)
    assert not _frictionless_valid(frame, table, tmp_path / f"{table}.csv")
