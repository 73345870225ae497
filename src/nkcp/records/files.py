"""Which files are records: every file in a table's folder, with its name and kind checked first.

A contribution saved as E0002.YAML, as a symlink, or outside the repository is reported rather
than silently read or silently left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from nkcp.problems import Problems
from nkcp.schema.model import Schema, Table

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def record_files(root: Path, reg: Schema, problems: Problems) -> Iterator[tuple[Table, str, Path]]:
    """Every record file of every table in name order, as (table, path from the root, path); files
    whose name or kind fail the checks are reported instead."""
    resolved_root = root.resolve()
    for table in reg.tables.values():
        folder = root / table.records
        if not folder.is_dir():
            continue
        inside = folder.resolve().is_relative_to(resolved_root)
        for path in sorted((p for p in folder.iterdir() if not p.name.startswith(".")), key=lambda p: p.name):
            rel = f"{table.records}/{path.name}"
            if check_record_path(path, rel, problems, inside):
                yield table, rel, path


def check_record_path(path: Path, rel: str, problems: Problems, inside: bool) -> bool:
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
    if path.suffix not in (".yaml", ".yml"):
        problems.add(rel, 1, "file-name", f"{path.name!r} is not a record file: record files end in .yaml",
                     f"rename to {path.stem}.yaml, or move the file out of {path.parent.name}/")
        return False
    if path.suffix == ".yml":
        problems.add(rel, 1, "file-name", "record files end in .yaml", f"rename to {path.stem}.yaml")
    return True
