"""Nothing published disappears: every ID in the committed `build/` and in the last release still
has a record. A published record is never deleted, only retracted in place, so a lost file, an
emptied folder or a table folder replaced by something else is refused here with its IDs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from nkcp.io.archive import read_member
from nkcp.io.files import read_bytes
from nkcp.io.tabular import csv_rows_of, read_csv_rows
from nkcp.paths import BUILD_DIR, RELEASE_INDEX, RELEASES_DIR
from nkcp.problems import Problems
from nkcp.records.parse import Corpus
from nkcp.schema.model import Schema


def check_published(root: Path, corpus: Corpus, reg: Schema, problems: Problems) -> None:
    """Report every published ID of every table that no record holds any more."""
    release = _last_release(root, problems)
    for name, table in reg.tables.items():
        key = table.primary_key[0]
        have = {row.get(key) for row in corpus.rows.get(name, [])}
        lost: dict[str, list[str]] = {}
        csv_file = root / BUILD_DIR / f"{name}.csv"
        if csv_file.is_file():
            for value in _ids(read_csv_rows(csv_file), key) - have:
                lost.setdefault(value, []).append(f"{BUILD_DIR}/{name}.csv")
        if release is not None:
            data = read_member(release[1], f"/data/{name}.csv") or read_member(release[1], f"/{BUILD_DIR}/{name}.csv")
            for value in (_ids(csv_rows_of(data), key) if data is not None else set()) - have:
                lost.setdefault(value, []).append(f"release {release[0]}")
        for value in sorted(lost):
            problems.add(table.records, 1, "published-record-missing",
                         f"{name} {value} was published ({', '.join(lost[value])}) but no record holds it",
                         "a published record is never deleted: restore its file and set record_status: retracted")


def _ids(rows: Iterator[list[str]], key: str) -> set[str]:
    """The key column's values, a row at a time: at 100k events the rows of the committed
    evidence table as lists took more memory than all the records."""
    header = next(rows, None)
    if header is None or key not in header:
        return set()
    at = header.index(key)
    return {row[at] for row in rows if len(row) > at and row[at]}


def _last_release(root: Path, problems: Problems) -> tuple[str, Path] | None:
    """The version and archive of the last release in the registry (None before the first)."""
    index = root / RELEASE_INDEX
    if not index.is_file():
        return None
    try:
        releases = json.loads(read_bytes(index))["releases"]
        version = max(releases, key=lambda v: tuple(int(x) for x in v.split(".")))
    except (ValueError, KeyError, TypeError, AttributeError):
        problems.add(RELEASE_INDEX, 1, "bad-release-index", f"{RELEASE_INDEX} is not a registry of releases",
                     "restore it from git")
        return None
    archive = root / RELEASES_DIR / str(releases[version].get("file", ""))
    if not archive.is_file():
        problems.add(RELEASE_INDEX, 1, "release-archive-missing",
                     f"the archive of release {version} ({archive.name}) is missing",
                     "restore it from the release host: it is what published IDs are checked against")
        return None
    return version, archive
