"""Work shared between this process and one forked child, for large repositories.

Why: parsing and checking 100,000 record files is pure Python, so one process uses one core;
the machines this runs on have two or more. Why one forked child and not a
`multiprocessing.Pool`: the child inherits the loaded registry without pickling it, and it
never waits on its parent. It computes its share, writes the pickled results to a pipe, and
exits. A pool's workers wait on a task queue whose pipe they hold themselves, so a parent killed
with SIGKILL left them waiting for ever (a pandera worker did exactly that). Here the child is
killed with its parent (PR_SET_PDEATHSIG on Linux); if it outlived it anyway, its one write to
the pipe would fail (nobody reads it any more) and it would exit.

The results are the same, in the same order, as `[fn(x) for x in items]`: the function must be
pure. If the child fails in any way (killed, out of memory, an exception, no fork possible), the
parent computes the child's share itself, so a failing function raises here as it would in a
serial run (though, when several items fail, perhaps for another item first).

Fork and threads: in the build the child is forked from a process in which pyarrow has started
threads (its allocator's and its thread pools). For Frictionless's checks the child's work is
pure Python and file reading. For the tables' encoding the child itself runs pyarrow (casts,
the Parquet writer) and may import pandera: Arrow and its allocators reset their threads and
locks in a forked child (at-fork handlers), and the tests run that path through the child on
every run. If a child stalls anyway, the parent stops it and does its share (STUCK_FACTOR).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import io
import os
import pickle  # nosec B403 - results come from our own forked child, never from outside
import select
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 2000  # below this a fork and a pickle cost more than they save (measured: about 1k files)
STUCK_FACTOR, STUCK_SECONDS = 10, 60  # the child is given up after 10x its expected time, plus a minute
BATCH = 1000  # results pickled together by the child
_PR_SET_PDEATHSIG = 1
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def jobs() -> int:
    """How many processes to use: 1 or 2. `NKCP_JOBS` if set (a whole number; 1 or less keeps
    everything in this process), else 2 when this process may run on two cores or more and its
    control group's CPU quota (a container's `--cpus`) allows more than one core: two processes
    sharing one core gain nothing and pay for the fork. Linux only, where the child can be tied
    to its parent."""
    if not sys.platform.startswith("linux"):
        return 1
    wanted = os.environ.get("NKCP_JOBS", "").strip()
    if wanted:
        try:
            return 2 if int(wanted) >= 2 else 1
        except ValueError:
            print(f"nkcp: NKCP_JOBS={wanted!r} is not a whole number; working in one process", file=sys.stderr)
            return 1
    quota = cpu_quota()
    return 2 if len(os.sched_getaffinity(0)) >= 2 and (quota is None or quota > 1) else 1


def cpu_quota(cgroup: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")) -> float | None:
    """The cores this process's control groups may use (quota / period; the smallest quota of
    its group and the groups above it), or None if unlimited or unknown.

    Read from cgroup v2's `cpu.max` (under /sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid
    host) or v1's `cpu.cfs_quota_us` and `cpu.cfs_period_us`, in the group /proc/self/cgroup
    names and each group above it. Looking up the tree also finds a container's own group where
    /proc/self/cgroup names it by its path on the host (v1 without a cgroup namespace) while the
    container sees that group mounted as the root."""
    try:
        lines = membership.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    found: list[float] = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, group = parts
        names = group.strip("/").split("/") if group.strip("/") else []
        if controllers == "":
            bases = [cgroup, cgroup / "unified"]
        elif "cpu" in controllers.split(","):
            bases = [cgroup / controllers]
        else:
            continue
        for base in bases:
            for depth in range(len(names), -1, -1):
                cores = _group_quota(base.joinpath(*names[:depth]), v2=controllers == "")
                if cores is not None:
                    found.append(cores)
    return min(found, default=None)


def _group_quota(folder: Path, v2: bool) -> float | None:
    """One group's quota in cores, or None (no quota, no such group, or unreadable)."""
    try:
        if v2:  # "max 100000" or "150000 100000"
            quota, period = (folder / "cpu.max").read_text(encoding="utf-8").split()
            return None if quota == "max" else int(quota) / int(period)
        quota_us = int((folder / "cpu.cfs_quota_us").read_text(encoding="utf-8"))  # -1: none
        period_us = int((folder / "cpu.cfs_period_us").read_text(encoding="utf-8"))
        return None if quota_us < 0 else quota_us / period_us
    except (OSError, ValueError, ZeroDivisionError):
        return None


def split(weights: Sequence[int], sending: float = 0.0) -> tuple[list[int], list[int]]:
    """Indices for (this process, the child): heaviest first, each to the lighter side, so the
    two finish together when weights are proportional to the work. `sending` is what the child
    spends pickling its results, as a share of its work (it is not doing anything else then)."""
    mine: list[int] = []
    theirs: list[int] = []
    load = [0.0, 0.0]
    cost = (1.0, 1.0 + sending)
    for i in sorted(range(len(weights)), key=lambda i: -weights[i]):
        side = 0 if load[0] <= load[1] else 1
        (mine if side == 0 else theirs).append(i)
        load[side] += weights[i] * cost[side]
    return sorted(mine), sorted(theirs)


def map_shared(fn: Callable[[T], R], items: Sequence[T], weight: Callable[[T], int] | None = None,
               min_items: int | None = None, sending: float = 0.0) -> list[R]:
    """`[fn(x) for x in items]`, with part of the items computed in a forked child; `weight`
    (called only when the work is shared) estimates each item's cost, `sending` the cost of
    pickling a result relative to computing it (see split)."""
    if jobs() < 2 or len(items) < (MIN_ITEMS if min_items is None else min_items):
        return [fn(x) for x in items]
    weights = [weight(x) for x in items] if weight is not None else [1] * len(items)
    mine, theirs = split(weights, sending)
    share = sum(weights[i] for i in theirs) / max(1, sum(weights[i] for i in mine))
    tie = _tie_to_parent()  # looked up here: nothing is loaded in the child
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)  # no Ctrl-C between fork and try
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(read_end)
        os.close(write_end)
        return [fn(x) for x in items]
    if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
        code = 1
        try:
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly; the parent reports it
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(read_end)
            tie()
            # Pickled a batch at a time as they are made, so that the child holds its results
            # only in their compact pickled form (at 100k events, 0.1 GB against 0.9 GB of
            # objects), and all before writing: the parent reads only once its own share is done.
            data = [pickle.dumps([fn(items[i]) for i in theirs[start:start + BATCH]], protocol=pickle.HIGHEST_PROTOCOL)
                    for start in range(0, len(theirs), BATCH)]
            with os.fdopen(write_end, "wb") as pipe:
                for batch in data:
                    pipe.write(batch)
            code = 0
        except BaseException as exc:  # reported; then the parent does this share
            with contextlib.suppress(BaseException):
                print(f"nkcp: the helper process failed ({exc!r}); its share is done again in the main "
                      "process", file=sys.stderr, flush=True)
        finally:
            os._exit(code)
    results: dict[int, R] = {}
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(write_end)
        started = time.monotonic()
        for i in mine:
            results[i] = fn(items[i])
        # A child far slower than expected is stuck: it is stopped and its share done here
        # rather than waited on for ever.
        expected = (time.monotonic() - started) * share
        received = _receive(read_end, len(theirs), STUCK_FACTOR * expected + STUCK_SECONDS)
    except BaseException:
        _stop(pid)
        os.waitpid(pid, 0)
        raise
    finally:
        _close(read_end)
    if received is None:
        _stop(pid)
    if not _reaped_ok(pid) or received is None:
        received = [fn(items[i]) for i in theirs]  # the child failed: its share, done here
    results.update(zip(theirs, received, strict=True))
    return [results[i] for i in range(len(items))]


@functools.lru_cache(maxsize=1)
def _prctl() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # no prctl: a write to the closed pipe still ends the child
        return None


def _tie_to_parent() -> Callable[[], None]:
    """What the child calls first: the kernel is to kill it when its parent dies; if that has
    happened already, it exits."""
    prctl, parent = _prctl(), os.getpid()

    def tie() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
    return tie


def _receive(fd: int, count: int, timeout: float) -> list[Any] | None:
    """The child's results, or None if they are incomplete or do not come within the timeout."""
    chunks = []
    deadline = time.monotonic() + timeout
    poller = select.poll()  # not select.select, which cannot watch a descriptor above 1023
    poller.register(fd, select.POLLIN)
    while True:
        if not poller.poll(max(0, int((deadline - time.monotonic()) * 1000))):
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    del chunks
    stream = io.BytesIO(data)
    out: list[Any] = []
    try:
        while stream.tell() < len(data):
            batch = pickle.load(stream)  # noqa: S301 # nosec B301 - written by our own child just above
            if not isinstance(batch, list):
                return None
            out.extend(batch)
    except (EOFError, pickle.UnpicklingError, ValueError):
        return None
    return out if len(out) == count else None


def _reaped_ok(pid: int) -> bool:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _stop(pid: int) -> None:
    """Kill the child if it still runs (the caller reaps it)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
