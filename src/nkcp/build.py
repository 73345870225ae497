"""The build: validate the curated inputs, derive values, write tables, prove them, then publish.

Nothing is written unless every check passes. Outputs are assembled in a temporary directory
beside `build/`, validated there by pandera and by Frictionless, and only then swapped into
place, under a lock, so a failed or killed build leaves the previous `build/` and
`datapackage.json` as they were and two builds never interleave (the swap, its journal and the
recovery after a crash are in publish.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkcp import io, publish
from nkcp.checks import check_corpus
from nkcp.derive import derive
from nkcp.problems import InputError, Problems
from nkcp.records import Corpus, canonical_record, load_corpus
from nkcp.registry import Registry, load_registry
from nkcp.tables import build_tables, csv_rows
from nkcp.targets import codebook_markdown, frictionless_schema, pandera_schema

BUILD_DIR = "build"
PACKAGE_FILE = "datapackage.json"
LOCK_FILE = publish.LOCK_FILE


@dataclass
class BuildResult:
    rows: dict[str, int]
    files: dict[str, str]  # relative path -> sha256


def validate(root: Path, paths: list[Path] | None = None) -> tuple[Corpus, Problems]:
    """Check every curated input (read-only). With paths, report only problems in those files."""
    reg = load_registry(root)
    problems = Problems()
    corpus = load_corpus(root, reg, problems)
    check_format(corpus, reg, problems)
    check_corpus(root, corpus, reg, problems)
    if paths:
        wanted = {p.resolve().relative_to(root.resolve()).as_posix() for p in paths}
        problems = Problems([p for p in problems.items if any(
            p.path == w or p.path.startswith(w.rstrip("/") + "/") for w in wanted)])
    return corpus, problems


def canonical_text(corpus: Corpus, rel: str, reg: Registry) -> str | None:
    """The canonical form of one curated file, rebuilt from its parsed rows."""
    rows = [r for rows in corpus.rows.values() for r in rows if r.path == rel]
    if not rows:
        return None
    table = reg.tables[rows[0].table]
    if table.grouped_by is None:
        return io.dump_canonical(canonical_record(rows[0], reg))
    return io.dump_canonical({table.grouped_by: rows[0].values[table.grouped_by],
                              table.name: [canonical_record(r, reg) for r in rows]})


def check_format(corpus: Corpus, reg: Registry, problems: Problems) -> None:
    """Report files that parse cleanly but are not written canonically."""
    bad_files = {p.path for p in problems.items}
    for rel, text in corpus.texts.items():
        if rel in bad_files:
            continue
        expected = canonical_text(corpus, rel, reg)
        if expected is not None and expected != text:
            line = next((i for i, (a, b) in enumerate(zip(text.split("\n"), expected.split("\n"), strict=False), 1) if a != b),
                        min(text.count("\n"), expected.count("\n")) + 1)
            problems.add(rel, line, "not-canonical", "file is not in canonical form",
                         "run 'nkcp format' to rewrite it")


def format_files(root: Path) -> list[str]:
    """Rewrite every curated file that parses cleanly into canonical form; return those changed."""
    reg = load_registry(root)
    problems = Problems()
    corpus = load_corpus(root, reg, problems)
    broken = {p.path for p in problems.items if p.code not in ("not-canonical", "missing-reason",
                                                                "missing-field")}
    changed = []
    for rel, text in sorted(corpus.texts.items()):
        expected = canonical_text(corpus, rel, reg)
        if rel in broken or expected is None or expected == text:
            continue
        io.write_text(root / rel, expected)
        changed.append(rel)
    return changed


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
            "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"'},
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


def pandera_problems(tables: dict[str, Any], corpus: Corpus, reg: Registry) -> Problems:
    """Run the generated pandera schemas over every table (lazily: all failures at once)."""
    import pandera.errors

    problems = Problems()
    for name, table in tables.items():
        frame = table.to_pandas(types_mapper=_pandas_type, date_as_object=True)
        try:
            pandera_schema(name, reg).validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            for _, failure in exc.failure_cases.iterrows():
                problems.add(f"{BUILD_DIR}/{name}.parquet", 1, "schema-violation",
                             f"pandera: {failure['check']} failed in column {failure['column']} "
                             f"for value {failure['failure_case']!r}")
    return problems


def _pandas_type(arrow_type: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    mapping = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(),
               pa.bool_(): pd.BooleanDtype()}
    return mapping.get(arrow_type)


def frictionless_problems(package_path: Path) -> Problems:
    """Validate a written data package with the official Frictionless validator."""
    from frictionless import Package, system

    problems = Problems()
    with system.use_context(trusted=True):
        report = Package(str(package_path)).validate()
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None) or 1
            problems.add(f"{BUILD_DIR}/{task.name}", int(line), "frictionless-" + error.type,
                         error.message)
    for error in report.errors:
        problems.add(PACKAGE_FILE, 1, "frictionless-" + error.type, error.message)
    return problems


def build(root: Path, run_frictionless: bool = True) -> BuildResult:
    """Validate, derive and write `build/` and `datapackage.json`, or raise InputError and write nothing."""
    reg = load_registry(root)
    corpus, problems = validate(root)
    if problems:
        raise InputError(problems)
    derive(corpus)
    tables = build_tables(corpus, reg)
    problems = pandera_problems(tables, corpus, reg)
    if problems:
        raise InputError(problems)
    with build_lock(root):
        staging = publish.new_staging(root)
        try:
            files = _write_outputs(staging, tables, reg, root)
            if run_frictionless:
                problems = frictionless_problems(staging / PACKAGE_FILE)
                if problems:
                    raise InputError(problems)
            publish.publish(staging, root)
        finally:
            io.remove_tree(staging)
    return BuildResult({n: t.num_rows for n, t in tables.items()}, files)


def _write_outputs(staging: Path, tables: dict[str, Any], reg: Registry, root: Path) -> dict[str, str]:
    out: dict[str, bytes] = {}
    for name, table in tables.items():
        out[f"{BUILD_DIR}/{name}.csv"] = io.csv_bytes(table.column_names, csv_rows(table))
        out[f"{BUILD_DIR}/{name}.parquet"] = io.parquet_bytes(table)
    out[f"{BUILD_DIR}/CODEBOOK.md"] = codebook_markdown(reg).encode("utf-8")
    sizes = {path: (len(data), io.sha256_bytes(data)) for path, data in out.items()}
    out[PACKAGE_FILE] = io.json_bytes(package_descriptor(reg, root, sizes))
    for path, data in out.items():
        io.write_bytes(staging / path, data)
    return {path: io.sha256_bytes(data) for path, data in sorted(out.items())}

