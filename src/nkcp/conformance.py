"""The two independent validators of the built tables: pandera (on the Arrow tables, in a second
process) and Frictionless (on the written package).

Both are generated from the same registry as our own checks (targets.py), so a table they reject
means the registry and the build disagree. pandera runs in a worker process because importing
pandas and pandera costs about half a second: started at the beginning of a build, the worker
imports them while the main process validates the records, then checks the tables while the main
process writes them and runs Frictionless. On a machine where a process cannot be started, the
check runs in this process instead; the result is the same.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from nkcp.problems import Problem, Problems


def pandas_type(arrow_type: Any) -> Any:
    """The nullable pandas dtype for an Arrow type (None: let pyarrow choose)."""
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
               pa.bool_(): pd.BooleanDtype()}
    return mapping.get(arrow_type)


def pandera_problems(tables: dict[str, Any], root: Path, build_dir: str = "build") -> list[Problem]:
    """Run the generated pandera schemas over every table (lazily: all failures at once)."""
    import pandera.errors

    from nkcp.registry import load_registry
    from nkcp.targets import pandera_schema

    reg = load_registry(root)
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
    return problems.items


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


def _warm_up() -> None:
    import pandera  # noqa: F401 - imported for its side effect: the worker is ready when tables come


def _check_ipc(payload: dict[str, bytes], root: str) -> list[Problem]:
    import pyarrow as pa

    tables = {name: pa.ipc.open_stream(data).read_all() for name, data in payload.items()}
    return pandera_problems(tables, Path(root))


class PanderaWorker:
    """A one-process pool that imports pandera at once and later checks the tables."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PanderaWorker:
        try:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self.pool.submit(_warm_up)
        except (OSError, RuntimeError):
            self.pool = None
        return self

    def submit(self, tables: dict[str, Any]) -> Future[list[Problem]]:
        """Start checking the tables; the future holds the problems pandera found."""
        if self.pool is not None:
            import pyarrow as pa

            payload = {}
            for name, table in tables.items():
                sink = pa.BufferOutputStream()
                with pa.ipc.new_stream(sink, table.schema) as writer:
                    writer.write_table(table)
                payload[name] = sink.getvalue().to_pybytes()
            return self.pool.submit(_check_ipc, payload, str(self.root))
        done: Future[list[Problem]] = Future()
        done.set_result(pandera_problems(tables, self.root))
        return done

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=exc is None, cancel_futures=True)
