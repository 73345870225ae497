"""Tables as bytes: RFC 4180 CSV through the csv module, Parquet with fixed settings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """RFC 4180 CSV: UTF-8, CRLF record separators, fields quoted only when needed."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def read_csv_rows(path: Path) -> Iterator[list[str]]:
    """Every row of a CSV file written by csv_bytes, header first, read as they are needed."""
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.reader(fh)


def csv_rows_of(data: bytes) -> Iterator[list[str]]:
    """Every row of CSV bytes written by csv_bytes, header first, read as they are needed."""
    yield from csv.reader(io.StringIO(data.decode("utf-8"), newline=""))


def parquet_bytes(table: Any) -> bytes:
    """Parquet with fixed settings so identical tables give identical bytes; the Arrow schema is stored,
    so readers get the dictionary types and each field's description."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, version="2.6", store_schema=True)
    return bytes(sink.getvalue().to_pybytes())


def read_parquet(path: Path) -> Any:
    """A Parquet file as a pyarrow Table."""
    import pyarrow.parquet as pq

    return pq.read_table(path)


def read_parquet_schema(path: Path) -> Any:
    """A Parquet file's Arrow schema, without reading its rows."""
    import pyarrow.parquet as pq

    return pq.read_schema(path)
