"""The two independent validators of the built tables: pandera (on the Arrow tables, before
anything is written) and Frictionless (on the written package, before it is published).

Both are generated from the same registry as our own checks (targets.py), so a table they reject
means the registry and the build disagree. pandera runs in the build's process or in the one
child it forks for the tables' work (build.py, parallel.py). (A long-lived pandera worker, to
overlap its import with our checks, was tried and dropped: a build killed with SIGKILL left the
worker holding the caller's pipes open.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nkcp.problems import Problem, Problems
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
    """Validate a written data package with the official Frictionless validator.

    Its resources are validated in two processes on a multi-core machine (parallel.py; the
    validator's own `parallel` option is refused for packages with foreign keys, as ours has),
    each resource as a whole, foreign keys included, so the report is the one a single run gives."""
    from frictionless import Package

    from nkcp import parallel

    with _trusted():  # opened once here also loads Frictionless's plugins before the work is shared
        sizes = {r.name: r.bytes or 0 for r in Package(str(package_path)).resources}
    problems = Problems()
    for found in parallel.map_shared(lambda name: _frictionless_report(package_path, name, build_dir, package_file),
                                     list(sizes), weight=lambda name: sizes[name] + 1, min_items=2):
        problems.items.extend(p for p in found if p.path != package_file or p not in problems.items)
    return problems


def _frictionless_report(package_path: Path, name: str, build_dir: str, package_file: str) -> list[Problem]:
    """Frictionless on one resource (and the descriptor, checked by every call: kept once)."""
    from frictionless import Package

    problems = Problems()
    with _trusted():
        report = Package(str(package_path)).validate(name=name)
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None) or 1
            problems.add(f"{build_dir}/{task.name}", int(line), "frictionless-" + error.type, error.message)
    for error in report.errors:
        problems.add(package_file, 1, "frictionless-" + error.type, error.message)
    return problems.items


def _trusted() -> Any:
    from frictionless import system

    return system.use_context(trusted=True)
