"""Bytes in and out: bounded reads, atomic writes, checksums, JSON, and replacing published outputs.

Every write goes to a temporary file beside its target, is fsynced and then renamed over it, so a
killed command leaves the old file or the new one, never a truncated one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes; with a limit, at most that many (so an oversized file is never read whole)."""
    with path.open("rb") as fh:
        return fh.read() if limit is None else fh.read(limit)


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def fsync_dir(path: Path) -> None:
    """Make renames and new entries in a folder durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file atomically: a temporary file beside it, fsynced, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def replace_outputs(staging: Path, root: Path, files: list[str]) -> None:
    """Move each staged file (paths relative to both folders) over its published one, in order.

    Each rename is atomic; between them the outputs are a mix of old and new, which the
    descriptor's checksums reveal (`nkcp check-package`), and the next build repairs. So the
    descriptor, which holds the others' checksums, goes last."""
    for rel in files:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    for folder in sorted({(root / rel).parent for rel in files}):
        fsync_dir(folder)


def remove_files_except(folder: Path, keep: set[Path]) -> None:
    """Remove the files under folder that are not in keep (a published page whose record is gone)."""
    if folder.is_dir() and not folder.is_symlink():
        for path in sorted(folder.rglob("*")):
            if (path.is_file() or path.is_symlink()) and path not in keep:
                path.unlink()


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a lock file, so that two builds run one after the other."""
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def is_locked(path: Path) -> bool:
    """Whether another process holds the lock now (without waiting for it)."""
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False
