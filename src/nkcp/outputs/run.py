"""The `build` and `check-package` verbs: validate, derive, make the tables, prove them, publish.

Nothing is published unless every check passes. The outputs are written into a staging folder
beside them, proved there by pandera and Frictionless, and then moved over the published files
one by one under a lock, so a failed build leaves the previous outputs as they were and two
builds never interleave. A build killed while moving them leaves its staging folder behind:
`nkcp validate` reports it, and the next build removes it and publishes everything again.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nkcp.io.files import (
    exclusive_lock,
    is_locked,
    json_bytes,
    remove_files_except,
    remove_tree,
    replace_outputs,
    sha256_bytes,
    write_bytes,
)
from nkcp.io.tabular import csv_bytes, parquet_bytes
from nkcp.io.yaml_nodes import load_yaml_plain
from nkcp.outputs.card.pages import CARD_DIR, card_files
from nkcp.outputs.datasette import METADATA_FILE, datasette_metadata
from nkcp.outputs.derive import derive
from nkcp.outputs.descriptor import package_descriptor
from nkcp.outputs.sqlite import DATABASE_FILE, database
from nkcp.outputs.tables import arrow_table, csv_rows
from nkcp.outputs.verify import check_package, pandera_problems
from nkcp.paths import BUILD_DIR, LOCK_FILE, PACKAGE_FILE, SCHEMA_DIR, STAGING_PREFIX
from nkcp.problems import InputError, Problems
from nkcp.records.run import validate
from nkcp.schema.export import codebook_markdown
from nkcp.schema.model import load_schema


@dataclass
class BuildResult:
    rows: dict[str, int]
    files: dict[str, str]  # relative path -> sha256


def interrupted_builds(root: Path) -> list[str]:
    """The staging folders that killed builds left (a running build's own is not listed)."""
    found = sorted(p.name for p in root.glob(STAGING_PREFIX + "*") if p.is_dir() and not p.is_symlink())
    return [] if not found or is_locked(root / LOCK_FILE) else found


def _unsafe_outputs(root: Path) -> Problems:
    """Outputs that are links, or a build/ that is not a folder, would be written outside the repository."""
    problems = Problems()
    folders = (BUILD_DIR, f"{BUILD_DIR}/{CARD_DIR}", f"{BUILD_DIR}/{CARD_DIR}/events")
    for rel in (*folders, PACKAGE_FILE):
        path = root / rel
        if path.is_symlink() or (rel in folders and path.exists() and not path.is_dir()):
            problems.add(rel, 1, "path-escape", f"{rel} is a link or not what the build writes",
                         f"remove {rel} (the build writes it anew), or restore it with git")
    return problems


def build(root: Path) -> BuildResult:
    """Validate, derive and write `build/` and `datapackage.json`, or raise InputError and write nothing."""
    reg = load_schema(root)
    corpus, problems = validate(root, reg=reg)
    if problems:
        raise InputError(problems)
    derive(corpus, reg)
    sources = [{"title": ": ".join(str(r.values[k]) for k in ("publisher", "title") if r.get(k)),
                "path": r.values["capture_url"]}
               for r in sorted(corpus.rows["sources"], key=lambda r: r.values["source_id"])
               if r.get("record_status") != "retracted" and r.get("capture_url")]
    tables = {name: arrow_table(corpus.rows.pop(name, []), name, reg) for name in reg.tables}
    del corpus  # its rows are in the tables now; a large build needs the memory
    problems = pandera_problems(tables, reg, BUILD_DIR)
    if problems:
        raise InputError(problems)
    out: dict[str, bytes] = {}
    for name, table in tables.items():
        out[f"{BUILD_DIR}/{name}.csv"] = csv_bytes(table.column_names, csv_rows(table))
        out[f"{BUILD_DIR}/{name}.parquet"] = parquet_bytes(table)
    out[f"{BUILD_DIR}/CODEBOOK.md"] = codebook_markdown(reg).encode("utf-8")
    # The same rows in one SQLite database with its Datasette metadata (`nkcp serve`); not
    # resources of datapackage.json, whose resources are the tables in CSV (and Parquet beside them).
    out[f"{BUILD_DIR}/{DATABASE_FILE}"] = database(tables, reg)
    out[f"{BUILD_DIR}/{METADATA_FILE}"] = json_bytes(datasette_metadata(reg, load_yaml_plain(root / SCHEMA_DIR / "package.yaml")))
    digests = {path: sha256_bytes(data) for path, data in out.items()}
    descriptor = package_descriptor(reg, root, {p: (len(d), digests[p]) for p, d in out.items()}, sources)
    card = card_files({name: table.to_pylist() for name, table in tables.items()}, reg,
                      load_yaml_plain(root / SCHEMA_DIR / "package.yaml"), BUILD_DIR)
    out.update(card)  # the dataset card: pages and figures from the same tables, not data files of the package
    digests.update((path, sha256_bytes(data)) for path, data in card.items())
    out[PACKAGE_FILE] = json_bytes(descriptor)
    digests[PACKAGE_FILE] = sha256_bytes(out[PACKAGE_FILE])
    problems = _unsafe_outputs(root)
    if problems:
        raise InputError(problems)
    try:
        with exclusive_lock(root / LOCK_FILE):
            for stale in root.glob(STAGING_PREFIX + "*"):
                remove_tree(stale)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
            try:
                for path, data in out.items():
                    write_bytes(staging / path, data)
                problems = check_package(staging / PACKAGE_FILE, prefix="")
                if problems:
                    raise InputError(problems)
                replace_outputs(staging, root, list(out))  # datapackage.json last
                remove_files_except(root / BUILD_DIR / CARD_DIR, {root / path for path in out})
            finally:
                remove_tree(staging)
    except OSError as exc:  # a full disk, a file-size limit, a read-only folder
        problems = Problems()
        where = os.path.relpath(exc.filename, root) if isinstance(exc.filename, str) else BUILD_DIR
        problems.add(where, 1, "write-failed", f"the build could not write: {exc.strerror or exc}",
                     "free space or fix permissions, then build again; the previous outputs are unchanged "
                     "unless nkcp validate reports a killed build")
        raise InputError(problems) from exc
    return BuildResult({name: table.num_rows for name, table in tables.items()}, dict(sorted(digests.items())))
