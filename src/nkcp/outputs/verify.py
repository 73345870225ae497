"""The independent checks of built tables: pandera on the Arrow tables, then Frictionless on the
written package, plus a check that each Parquet file holds what its CSV holds.

pandera and Frictionless are generated from the same schema as the record checks
(schema/export.py), so a table they reject means the schema and the build disagree. Frictionless
does not read Parquet, so the comparison with the CSV is ours.
"""

from __future__ import annotations

from itertools import zip_longest
from pathlib import Path
from typing import Any

from nkcp.io.files import read_bytes, sha256_bytes
from nkcp.io.tabular import read_csv_rows, read_parquet
from nkcp.outputs.tables import csv_rows, flat_table
from nkcp.problems import Problems
from nkcp.schema.model import Schema


def pandas_type(arrow_type: Any) -> Any:
    """The nullable pandas dtype for an Arrow type (None: let pyarrow choose)."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
               pa.bool_(): pd.BooleanDtype()}
    return mapping.get(arrow_type)


def pandera_problems(tables: dict[str, Any], reg: Schema, build_dir: str) -> Problems:
    """Run the generated pandera schemas over every table (lazily: all failures at once)."""
    import pandera.errors

    from nkcp.schema.export import pandera_schema

    problems = Problems()
    for name, table in tables.items():
        frame = flat_table(table).to_pandas(types_mapper=pandas_type, date_as_object=True)
        try:
            pandera_schema(name, reg).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            for _, failure in exc.failure_cases.iterrows():
                problems.add(f"{build_dir}/{name}.parquet", 1, "schema-violation",
                             f"pandera: {failure['check']} failed in column {failure['column']} "
                             f"for value {failure['failure_case']!r}")
    return problems


def check_package(descriptor: Path, prefix: str = "") -> Problems:
    """Frictionless's validation of a written package, and each Parquet file against its CSV.

    Problems name files as `prefix` + the path in the package; lines are the CSV's."""
    from frictionless import Package, system

    problems = Problems()
    with system.use_context(trusted=True):  # our own descriptor: its paths are checked below
        try:
            package = Package(str(descriptor))
            report = package.validate()
        except Exception as exc:
            problems.add(prefix + descriptor.name, 1, "frictionless-package-error", str(exc),
                         "rebuild with 'nkcp build', or fetch the release again")
            return problems
    paths = {r.name: str(r.path) for r in package.resources}
    parquet = {r.name: r.custom["parquet"] for r in package.resources if "parquet" in r.custom}
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None) or 1
            problems.add(prefix + paths.get(task.name, task.name), int(line), "frictionless-" + error.type, error.message)
    for error in report.errors:
        problems.add(prefix + descriptor.name, 1, "frictionless-" + error.type, error.message)
    if not problems:
        _parquet_matches_csv(descriptor.parent, paths, parquet, prefix, problems)
    return problems


def _parquet_matches_csv(root: Path, paths: dict[str, str], parquet: dict[str, dict[str, Any]], prefix: str,
                         problems: Problems) -> None:
    """Each table's Parquet file has the bytes and hash its resource states (Frictionless checks
    only the CSV's) and holds, cell for cell, what its CSV holds."""
    for name, csv_path in paths.items():
        stated = parquet.get(name)
        pq_path = str(stated["path"]) if stated else paths.get(f"{name}-parquet")  # own resource up to 0.1.0
        if pq_path is None:
            continue
        if stated and (root / pq_path).is_file():
            data = read_bytes(root / pq_path)
            if len(data) != stated.get("bytes") or f"sha256:{sha256_bytes(data)}" != stated.get("hash"):
                problems.add(prefix + pq_path, 1, "parquet-checksum",
                             f"{pq_path} has {len(data)} bytes and sha256:{sha256_bytes(data)}; "
                             f"datapackage.json states {stated.get('bytes')} bytes and {stated.get('hash')}",
                             "rebuild with 'nkcp build', or fetch the release again")
        try:
            table = read_parquet(root / pq_path)
        except (OSError, ValueError) as exc:
            problems.add(prefix + pq_path, 1, "parquet-unreadable", f"{pq_path} cannot be read as Parquet: {exc}")
            continue
        written = read_csv_rows(root / csv_path)
        header = next(written, [])
        if header != table.column_names:
            problems.add(prefix + pq_path, 1, "parquet-differs-from-csv",
                         f"columns {table.column_names} differ from the CSV header {header}")
            continue
        csv_count = 0
        for line, (ours, theirs) in enumerate(zip_longest(csv_rows(table), written), 2):
            csv_count += theirs is not None
            if ours is not None and theirs is not None and ours != theirs:
                column = next((c for c, a, b in zip(header, ours, theirs, strict=False) if a != b), "(row length)")
                problems.add(prefix + pq_path, line, "parquet-differs-from-csv",
                             f"row {line - 1} differs from {csv_path} line {line} in column {column!r}")
                break
        csv_count += sum(1 for _ in written)  # the rows a difference left unread
        if table.num_rows != csv_count:
            problems.add(prefix + pq_path, 1, "parquet-differs-from-csv",
                         f"{table.num_rows} rows, the CSV has {csv_count}")
