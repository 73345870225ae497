"""The two independent validators of the built tables: pandera (on the Arrow tables, before
anything is written) and Frictionless (on the written package, before it is published).

Both are generated from the same registry as our own checks (targets.py), so a table they reject
means the registry and the build disagree. (Running pandera in a worker process, to overlap its
half-second import with our checks, was tried and dropped: a build killed with SIGKILL left the
worker holding the caller's pipes open.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nkcp.problems import Problems
from nkcp.registry import Registry


def pandas_type(arrow_type: Any) -> Any:
    """The nullable pandas dtype for an Arrow type (None: let pyarrow choose)."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
               pa.bool_(): pd.BooleanDtype()}
    return mapping.get(arrow_type)


def pandera_problems(tables: dict[str, Any], reg: Registry, build_dir: str) -> Problems:
    """Run the generated pandera schemas over every table (lazily: all failures at once)."""
    import pandera.errors

    from nkcp.targets import pandera_schema

    problems = Problems()
    for name, table in tables.items():
        frame = table.to_pandas(types_mapper=pandas_type, date_as_object=True)
        try:
            pandera_schema(name, reg).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            for _, failure in exc.failure_cases.iterrows():
                problems.add(f"{build_dir}/{name}.parquet", 1, "schema-violation",
                             f"pandera: {failure['check']} failed in column {failure['column']} "
                             f"for value {failure['failure_case']!r}")
    return problems


def frictionless_problems(package_path: Path, build_dir: str, package_file: str) -> Problems:
    """Validate a written data package with the official Frictionless validator."""
    from frictionless import Package, system

    problems = Problems()
    with system.use_context(trusted=True):
        report = Package(str(package_path)).validate()
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None) or 1
            problems.add(f"{build_dir}/{task.name}", int(line), "frictionless-" + error.type, error.message)
    for error in report.errors:
        problems.add(package_file, 1, "frictionless-" + error.type, error.message)
    return problems
