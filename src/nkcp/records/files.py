"""Which files are records: every file in a table's folder, with its name and kind checked first.

A contribution saved as E0002.YAML, as a symlink, or outside the repository is reported rather
than silently read or silently left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from nkcp.paths import RECORDS_DIR
from nkcp.problems import Problems
from nkcp.schema.model import Schema, Table

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def record_files(root: Path, reg: Schema, problems: Problems) -> Iterator[tuple[Table, str, Path]]:
    """Every record file of every table in name order, as (table, path from the root, path); files
    whose name or kind fail the checks, and files the build would never read, are reported instead."""
    resolved_root = root.resolve()
    _check_records_root(root, reg, problems)
    for table in reg.tables.values():
        folder = root / table.records
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            problems.add(table.records, 1, "not-a-folder", f"{table.records} is not a folder of record files",
                         f"restore the folder {table.records}/ (records are never removed, only retracted)")
            continue
        if not folder.is_dir():
            problems.add(table.records, 1, "missing-folder", f"the folder of table {table.name} is missing",
                         f"restore {table.records}/ (records are never removed, only retracted)")
            continue
        inside = folder.resolve().is_relative_to(resolved_root)
        try:
            with os.scandir(folder) as listing:  # its entries know their kind without a stat each
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.add(table.records, 1, "unreadable", f"{table.records}/ cannot be listed: {exc.strerror}",
                         "check the folder's permissions")
            continue
        for entry in entries:
            rel = f"{table.records}/{entry.name}"
            if entry.name.startswith("."):
                problems.add(rel, 1, "hidden-file", "a hidden file in a record folder is never read",
                             "rename it after its id, or move it out of the folder")
            elif check_record_path(entry, rel, problems, inside):
                yield table, rel, Path(entry.path)


def _check_records_root(root: Path, reg: Schema, problems: Problems) -> None:
    """Anything in records/ besides the table folders and the guide would silently be left out."""
    folders = {Path(t.records).parts[1] for t in reg.tables.values() if Path(t.records).parts[0] == RECORDS_DIR}
    top = root / RECORDS_DIR
    if not top.is_dir():
        return
    for path in sorted(top.iterdir(), key=lambda p: p.name):
        if path.name not in folders and path.name != "README.md":
            problems.add(f"{RECORDS_DIR}/{path.name}", 1, "stray-file",
                         f"{RECORDS_DIR}/{path.name} is in no table's folder, so the build never reads it",
                         "move it into its table's folder: " + ", ".join(f"{RECORDS_DIR}/{f}/" for f in sorted(folders)))


def check_record_path(path: Path | os.DirEntry[str], rel: str, problems: Problems, inside: bool) -> bool:
    """The checks on a record file's name and kind, before its content is read; `inside` says
    whether its real location lies in the repository."""
    if not _SAFE_NAME.match(path.name):
        # Shown escaped: a name with a line break or a control character would forge report lines.
        shown = rel.encode("unicode_escape", "backslashreplace").decode("ascii")
        problems.add(shown, 1, "file-name", "file name holds characters other than A-Z a-z 0-9 . _ -",
                     "name the file after its id")
        return False
    if path.is_symlink() or not inside:
        problems.add(rel, 1, "path-escape", "file is a symlink or lies outside the repository",
                     "replace the link with the file itself")
        return False
    if not path.is_file():
        problems.add(rel, 1, "not-a-file", "not a regular file (a folder, device or pipe)",
                     "record folders hold only .yaml files")
        return False
    name = Path(path.name)
    if name.suffix not in (".yaml", ".yml"):
        problems.add(rel, 1, "file-name", f"{path.name!r} is not a record file: record files end in .yaml",
                     f"rename to {name.stem}.yaml, or move the file out of {Path(os.fspath(path)).parent.name}/")
        return False
    if name.suffix == ".yml":
        problems.add(rel, 1, "file-name", "record files end in .yaml", f"rename to {name.stem}.yaml")
    return True
