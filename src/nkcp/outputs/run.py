"""The build: validate the curated inputs, derive values, write tables, prove them, then publish.

Nothing is written unless every check passes. Outputs are assembled in a temporary directory
beside `build/`, validated there by pandera and by our check of the written package (and by
Frictionless when asked, as releases and CI do), and only then swapped into
place, under a lock, so a failed or killed build leaves the previous `build/` and
`datapackage.json` as they were and two builds never interleave (the swap, its journal and the
recovery after a crash are in publish.py).
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp import conformance, io, parallel, publish
from nkcp.derive import derive
from nkcp.formatting import canonical_text as canonical_text  # re-exported for callers of build
from nkcp.formatting import check_format as check_format
from nkcp.incremental import Stats, validate_cached, validate_uncached
from nkcp.package_check import check_package
from nkcp.problems import InputError, Problem, Problems
from nkcp.records import Corpus
from nkcp.registry import Registry, load_registry
from nkcp.tables import arrow_table, csv_columns
from nkcp.targets import codebook_markdown, frictionless_schema

BUILD_DIR = "build"
PACKAGE_FILE = "datapackage.json"
LOCK_FILE = publish.LOCK_FILE


@dataclass
class BuildResult:
    rows: dict[str, int]
    files: dict[str, str]  # relative path -> sha256
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase, for benchmarks


def validate(root: Path, paths: list[Path] | None = None, use_cache: bool = False,
             stats: list[Stats] | None = None) -> tuple[Corpus, Problems]:
    """Check every curated input (read-only). With paths, report only problems in those files.

    Every file is checked every time, because a change to one file can break another (a
    reference, a duplicate ID). With use_cache (what `nkcp validate` does), what unchanged files
    gave before is reused (see incremental.py) and the corpus returned is empty; without it, the
    corpus holds every row with all its values, as the build needs (and the lines of the fields
    the cross-file checks read: the others served the checks of each row by itself). `stats`,
    when given, receives how much work a cached run did."""
    reg = load_registry(root)
    problems = Problems()
    corpus = Corpus()
    with gc_paused():
        if use_cache:
            run = validate_cached(root, reg, problems)
            if stats is not None:
                stats.append(run)
        else:
            corpus = validate_uncached(root, reg, problems)
    if paths:
        wanted = {p.resolve().relative_to(root.resolve()).as_posix() for p in paths}
        problems = Problems([p for p in problems.items if any(
            p.path == w or p.path.startswith(w.rstrip("/") + "/") for w in wanted)])
    return corpus, problems


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """An exclusive lock so that two builds in one repository run one after the other; an
    earlier build's interrupted publish is rolled back first (see publish.py)."""
    with publish.lock(root):
        publish.recover_locked(root)
        yield


def package_descriptor(reg: Registry, root: Path, files: dict[str, tuple[int, str]]) -> dict[str, Any]:
    meta = io.load_yaml_plain(root / "schema" / "package.yaml")
    resources = []
    for name, table in reg.tables.items():
        csv_path = f"{BUILD_DIR}/{name}.csv"
        size, digest = files[csv_path]
        resources.append({
            "name": name, "type": "table", "path": csv_path, "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": size, "hash": f"sha256:{digest}",
            "description": table.description,
            "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                        "doubleQuote": True, "skipInitialSpace": False},  # stated: Frictionless would guess skipInitialSpace
            "schema": frictionless_schema(name, reg),
        })
    for name in reg.tables:
        pq_path = f"{BUILD_DIR}/{name}.parquet"
        size, digest = files[pq_path]
        resources.append({
            "name": f"{name}-parquet", "type": "file", "path": pq_path, "scheme": "file",
            "format": "parquet", "mediatype": "application/vnd.apache.parquet", "bytes": size,
            "hash": f"sha256:{digest}",
            "description": f"The {name} table as Parquet, with the same columns and types as {name}.csv.",
        })
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"], "title": meta["title"], "description": meta["description"],
        "version": str(meta["version"]), "keywords": meta["keywords"],
        "licenses": meta["licenses"], "contributors": meta["contributors"],
    }
    if meta.get("homepage"):
        descriptor["homepage"] = meta["homepage"]
    if meta.get("date_released"):
        descriptor["created"] = f"{meta['date_released']}T00:00:00Z"
    descriptor["resources"] = resources
    return descriptor


def build(root: Path, frictionless: bool = False) -> BuildResult:
    """Validate, derive and write `build/` and `datapackage.json`, or raise InputError and write nothing.

    The written package is checked against its descriptor by package_check.py before it is
    published. `frictionless=True` also runs Frictionless, the official validator, as releases
    and CI do: the conformance check of what we publish. At 100k events Frictionless took 14-19 s
    of a build, ours 0.9-1.4 s; ours makes the same checks on our packages, and tests hold it to
    rejecting whatever Frictionless rejects in the ways they break a package."""
    seconds: dict[str, float] = {}
    clock = _Clock(seconds)
    reg = load_registry(root)
    corpus, problems = validate(root)
    clock.lap("validate")
    if problems:
        raise InputError(problems)
    with gc_paused():
        _drop_lines(corpus)
        derive(corpus)
        clock.lap("derive")
        outputs = _table_outputs(corpus, reg, clock)
    problems = Problems([p for out in outputs.values() for p in out.problems])
    if problems:
        raise InputError(problems)
    with build_lock(root):
        staging = publish.new_staging(root)
        try:
            files = _write_outputs(staging, outputs, reg, root)
            clock.lap("write")
            problems = check_package(staging / PACKAGE_FILE)
            clock.lap("package check")
            if frictionless and not problems:
                problems = conformance.frictionless_problems(staging / PACKAGE_FILE, BUILD_DIR, PACKAGE_FILE)
                clock.lap("frictionless")
            if problems:
                raise InputError(problems)
            publish.publish(staging, root)
        finally:
            io.remove_tree(staging)
    clock.lap("publish")
    return BuildResult({n: out.rows for n, out in outputs.items()}, files, seconds)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while millions of small, acyclic objects (parsed
    nodes, rows, cells) are made: each collection would walk all of them again, which took
    almost half of a 10k-event validation. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Clock:
    """Wall time per phase of a build, for the benchmark's shares."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds, self.last = seconds, time.perf_counter()

    def lap(self, phase: str) -> None:
        """Add the time since the last lap to `phase` (a phase run once per table adds up)."""
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self.last
        self.last = now


def _drop_lines(corpus: Corpus) -> None:
    """Lines serve error messages only; at 100k events they hold ~0.4 GB. (A function, so that no
    loop variable of build() keeps the last table's rows alive after they leave the corpus.)"""
    for rows in corpus.rows.values():
        for row in rows:
            row.lines = {}


@dataclass
class TableOutput:
    """One table made, proved by pandera and encoded: what the rest of the build needs of it."""

    rows: int
    problems: list[Problem]
    csv: bytes
    parquet: bytes


def _table_outputs(corpus: Corpus, reg: Registry, clock: _Clock) -> dict[str, TableOutput]:
    """Each table made from its rows, proved by pandera and encoded as CSV and Parquet.

    The tables are made one at a time in this process, and each table's rows leave the corpus
    as soon as it is in Arrow (at 100k events the rows take 1.5 GB; making tables in a forked
    child, tried, copied every page of the rows it read, and the parent freeing them copied
    them again: 3.3 GB instead of 1.8). Proving and encoding read only the Arrow tables, whose
    buffers are not Python objects, so a child reading them copies none of their pages: that
    work is shared between two processes (parallel.py), as tasks small enough to balance (the
    quotations' CSV alone is 40% of it at 100k events). What each process allocates meanwhile
    may still copy pages the freed rows left behind: measured at 100k events, the build's peak
    of all processes (PSS) went from 1.8 GB before this sharing to 1.6 GB with it."""
    tables = {}
    for name in reg.tables:
        tables[name] = arrow_table(corpus.rows.pop(name, []), name, reg)
    clock.lap("tables")

    def run(task: tuple[str, str]) -> Any:
        kind, name = task
        if kind == "pandera":  # every table in one task: pandas and pandera are imported once
            return conformance.pandera_problems(tables, reg, BUILD_DIR).items
        if kind == "csv":
            return io.csv_columns_bytes(tables[name].column_names, csv_columns(tables[name]))
        return io.parquet_bytes(tables[name])

    tasks = [("pandera", "")] + [(kind, name) for name in tables for kind in ("csv", "parquet")]
    cells = {name: table.num_rows * table.num_columns for name, table in tables.items()}
    done = dict(zip(tasks, parallel.map_shared(run, tasks, weight=lambda task: _encoding_cost(task, cells), min_items=2),
                    strict=True))
    clock.lap("pandera and encoding")
    problems = done["pandera", ""]
    return {name: TableOutput(table.num_rows, [p for p in problems if p.path == f"{BUILD_DIR}/{name}.parquet"],
                              done["csv", name], done["parquet", name])
            for name, table in tables.items()}


def _encoding_cost(task: tuple[str, str], cells: dict[str, int]) -> int:
    """A task's work in nanoseconds, measured at 100k events: a CSV cell 110-160, a Parquet cell
    70-130, pandera 50-120 a cell plus 0.5-1 s to import pandas and pandera."""
    kind, name = task
    if kind == "pandera":
        return 80 * sum(cells.values()) + 900_000_000
    return (150 if kind == "csv" else 120) * cells[name] + 1


def _write_outputs(staging: Path, outputs: dict[str, TableOutput], reg: Registry, root: Path) -> dict[str, str]:
    out: dict[str, bytes] = {}
    for name, table in outputs.items():
        out[f"{BUILD_DIR}/{name}.csv"] = table.csv
        out[f"{BUILD_DIR}/{name}.parquet"] = table.parquet
    out[f"{BUILD_DIR}/CODEBOOK.md"] = codebook_markdown(reg).encode("utf-8")
    digests = {path: io.sha256_bytes(data) for path, data in out.items()}
    out[PACKAGE_FILE] = io.json_bytes(package_descriptor(reg, root, {p: (len(d), digests[p]) for p, d in out.items()}))
    digests[PACKAGE_FILE] = io.sha256_bytes(out[PACKAGE_FILE])
    for path, data in out.items():
        io.write_bytes(staging / path, data)
    return dict(sorted(digests.items()))
