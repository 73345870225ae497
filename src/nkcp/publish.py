"""Publishing a staged build: a lock, a journal, two atomic swaps, and recovery after a crash.

A build writes everything into a staging folder (`.nkcp-staging-*`) and proves it there. Then,
under an exclusive lock (so two builds never interleave):

1. a journal (`.nkcp-publish.json`, written atomically) records the staging folder and the
   digests of the outputs before and after;
2. `build/` is swapped with the staged `build/`, then `datapackage.json` with the staged one,
   each in one step by Linux `renameat2(RENAME_EXCHANGE)`: at no moment is either missing, and
   the previous version lands in the staging folder;
3. the journal is deleted: this is the commit point; the staging folder is removed.

A process killed before step 3 leaves a journal. The next `nkcp` command (any verb) rolls the
publish back: every output whose digest is not the recorded previous one is swapped back from
the staging folder. So a build that did not finish leaves the previous outputs byte-identical
once any later command has run. Between the two swaps of step 2 (two consecutive system calls)
`build/` is new and `datapackage.json` still old; a kill exactly there is visible until the
next command. Outputs that did not change are not swapped at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict

from nkcp import io

LOCK_FILE = ".nkcp-build.lock"
JOURNAL = ".nkcp-publish.json"
STAGING_PREFIX = ".nkcp-staging-"
LEGACY_OLD = ".nkcp-build-old"  # left by builds before the journal existed
OUTPUTS = ("build", "datapackage.json")  # in the order they are swapped


_HELD: set[int] = set()  # descriptors of the build locks this process holds


def _drop_locks_in_child() -> None:
    """In a forked child (parallel.py), let go of the parent's build locks. A flock belongs to the
    open file, which fork shares, so a child would keep the lock alive for the moment it outlives
    a killed parent, and the next command would take the build for a live one and leave its
    staging folder. The descriptor is pointed at /dev/null rather than closed, so its number
    cannot be reused by a file the child opens."""
    if _HELD:
        null = os.open(os.devnull, os.O_RDONLY)
        for fd in _HELD:
            os.dup2(null, fd)
        os.close(null)
        _HELD.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


@contextlib.contextmanager
def lock(root: Path, blocking: bool = True) -> Iterator[bool]:
    """Hold the repository's build lock; yields False (without waiting) when not blocking and taken."""
    with (root / LOCK_FILE).open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        _HELD.add(fh.fileno())
        try:
            yield True
        finally:
            _HELD.discard(fh.fileno())
            fcntl.flock(fh, fcntl.LOCK_UN)


def new_staging(root: Path) -> Path:
    """A fresh staging folder beside the outputs (same file system, so renames are atomic)."""
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))


def publish(staging: Path, root: Path) -> None:
    """Swap the staged outputs into place. Call with the lock held."""
    items = {name: {"old": io.tree_digest(root / name), "new": io.tree_digest(staging / name)}
             for name in OUTPUTS}
    changed = [name for name in OUTPUTS if items[name]["old"] != items[name]["new"]]
    if changed:
        io.write_bytes(root / JOURNAL, io.json_bytes({"staging": staging.name, "items": items}))
        for name in changed:
            io.swap_into_place(staging / name, root / name)
        io.fsync_dir(root)
        io.remove_file(root / JOURNAL)
        io.fsync_dir(root)
    io.remove_tree(staging)


def recover(root: Path) -> list[str]:
    """Undo an interrupted publish and remove stale staging folders, unless a build holds the
    lock (that build recovers first itself). Returns what was done, for the user."""
    if not _needs_recovery(root):
        return []
    with lock(root, blocking=False) as held:
        return recover_locked(root) if held else []


def _needs_recovery(root: Path) -> bool:
    return any((root / name).exists() for name in (JOURNAL, LEGACY_OLD)) or any(root.glob(STAGING_PREFIX + "*"))


def recover_locked(root: Path) -> list[str]:
    """Recovery proper; call with the lock held. Idempotent: a crash during it is recovered next time."""
    done: list[str] = []
    journal = _read_journal(root)
    if journal is not None:
        staging = root / journal["staging"]
        for name in reversed(OUTPUTS):
            entry = journal["items"][name]
            if io.tree_digest(root / name) == entry["old"]:
                continue
            if entry["old"] is None:  # there was nothing before: take the new one away
                io.move(root / name, staging / (name + ".rolled-back"))
                done.append(f"removed {name} of an interrupted build")
                continue
            previous = next((c for c in (staging / name, staging / (name + ".old"))
                             if io.tree_digest(c) == entry["old"]), None)
            if previous is None:
                done.append(f"could not restore the previous {name}: not found in {staging.name}")
                continue
            io.swap_into_place(previous, root / name)
            done.append(f"restored the previous {name} (a build was interrupted while publishing)")
        io.fsync_dir(root)
        io.remove_file(root / JOURNAL)
        io.fsync_dir(root)
    legacy = root / LEGACY_OLD
    if legacy.exists():
        if not (root / "build").exists():
            io.move(legacy, root / "build")
            done.append("restored build/ from .nkcp-build-old")
        else:
            io.remove_tree(legacy)
    for stale in sorted(root.glob(STAGING_PREFIX + "*")):
        io.remove_tree(stale)
        done.append(f"removed {stale.name} left by an interrupted build")
    return done


class _Journal(TypedDict):
    staging: str
    items: dict[str, dict[str, str | None]]


def _read_journal(root: Path) -> _Journal | None:
    path = root / JOURNAL
    if not path.exists():
        return None
    data: _Journal = json.loads(io.read_bytes(path))  # written atomically: complete or absent
    return data
