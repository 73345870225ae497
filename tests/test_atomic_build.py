"""Builds killed with SIGKILL at every step of publishing and at moments spread over a build, and
two builds started at once.

Each scenario starts from a built copy of the miniature fixture (OLD) whose records were then
changed, so that the next build produces different outputs (NEW). A kill at a chosen step runs
the real CLI with `os.replace` wrapped to SIGKILL its own process after its n-th move of a staged
output into place (no test hook in the package). A killed build leaves the previous outputs, the
new ones, or a mix that `nkcp validate` warns of and `nkcp check-package` refuses; the next build
publishes the new ones whole.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import MINI, REPO, run_cli

from nkcp.paths import STAGING_PREFIX

EVENT = "records/events/E0001.yaml"
# 5 tables as CSV and Parquet, the codebook, the SQLite database and its Datasette metadata, the card
# (index, map, timeline, one event page), datapackage.json
OUTPUTS = 18
Snapshot = dict[str, bytes]

KILL_AFTER = r"""
import os, signal, sys
nth, calls, original = int(sys.argv[1]), [0], os.replace
def wrapped(src, dst, *args, **kwargs):
    original(src, dst, *args, **kwargs)
    if "@STAGING@" in str(src) and "@STAGING@" not in str(dst):  # a staged output moved into place
        calls[0] += 1
        if calls[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
os.replace = wrapped
from nkcp.cli import app
app(sys.argv[2:], prog_name="nkcp")
""".replace("@STAGING@", STAGING_PREFIX)

LOG_LOCK = r"""
import contextlib, os, sys, time
from nkcp.outputs import run
log, original = sys.argv[1], run.exclusive_lock
@contextlib.contextmanager
def logged(path):
    with original(path):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} enter {time.monotonic_ns()}\n")
        try:
            yield
        finally:
            with open(log, "a") as fh:
                fh.write(f"{os.getpid()} exit {time.monotonic_ns()}\n")
run.exclusive_lock = logged
from nkcp.cli import app
app(sys.argv[2:], prog_name="nkcp")
"""


def snapshot(root: Path) -> Snapshot:
    """Every published byte: build/** and datapackage.json."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "build").rglob("*") if p.is_file()}
    if (root / "datapackage.json").exists():
        files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    return files


def change_records(root: Path) -> None:
    path = root / EVENT
    text = path.read_text(encoding="utf-8")
    assert "notes: Year taken" in text
    path.write_text(text.replace("notes: Year taken", "notes: The year is taken"), encoding="utf-8")


def fresh_copy(tmp: Path) -> Path:
    root = tmp / "repo"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
    shutil.copytree(REPO / "schema", root / "schema")
    return root


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Snapshot, Snapshot]:
    """A built repository whose records have since changed, with its outputs (OLD) and those of
    the changed records (NEW, built in a second copy)."""
    old_root = fresh_copy(tmp_path_factory.mktemp("old"))
    assert run_cli("build", "--root", str(old_root))[0] == 0
    new_root = fresh_copy(tmp_path_factory.mktemp("new"))
    change_records(new_root)
    assert run_cli("build", "--root", str(new_root))[0] == 0
    change_records(old_root)
    old, new = snapshot(old_root), snapshot(new_root)
    assert old["build/events.csv"] != new["build/events.csv"]
    assert old["datapackage.json"] != new["datapackage.json"]
    return old_root, old, new


@pytest.fixture
def repo(states: tuple[Path, Snapshot, Snapshot], tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(states[0], root)
    return root


def nkcp_killed_after(root: Path, nth: int, *args: str) -> int:
    proc = subprocess.run([sys.executable, "-c", KILL_AFTER, str(nth), *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=120)
    return proc.returncode


def mixed(state: Snapshot, old: Snapshot, new: Snapshot) -> bool:
    """Every published file is the old or the new one."""
    return set(state) == set(old) and all(state[k] in (old[k], new[k]) for k in state)


def assert_clean(root: Path) -> None:
    assert not list(root.glob(STAGING_PREFIX + "*"))


@pytest.mark.parametrize("nth", range(1, OUTPUTS + 1))
def test_sigkill_while_publishing_is_reported_then_repaired(repo: Path, states: tuple[Path, Snapshot, Snapshot],
                                                          nth: int) -> None:
    _, old, new = states
    assert nkcp_killed_after(repo, nth, "build") == -signal.SIGKILL
    state = snapshot(repo)
    assert mixed(state, old, new)
    assert (state == new) is (nth == OUTPUTS)  # the descriptor, which names the others' hashes, moves last
    code, output = run_cli("validate", "--root", str(repo))
    assert code == 0 and "was left by a build that was killed" in output, output
    consistent = state in (old, new)  # files moved before the first changed one are the same in both
    assert run_cli("check-package", str(repo / "datapackage.json"))[0] == (0 if consistent else 1)
    assert run_cli("build", "--root", str(repo))[0] == 0
    assert snapshot(repo) == new
    assert_clean(repo)


def test_sigkill_at_moments_spread_over_a_build(states: tuple[Path, Snapshot, Snapshot], tmp_path: Path) -> None:
    """Kill real `nkcp build` processes at 0 % to 100 % of a build's duration."""
    source, old, new = states
    timing = tmp_path / "timing"
    shutil.copytree(source, timing)
    started = time.monotonic()
    assert subprocess.run([sys.executable, "-m", "nkcp", "build", "--root", str(timing)], timeout=120).returncode == 0
    duration = time.monotonic() - started
    outcomes = []
    for i, fraction in enumerate((0.1, 0.7, 0.9, 0.98)):
        root = tmp_path / f"kill{i}"
        shutil.copytree(source, root)
        proc = subprocess.Popen([sys.executable, "-m", "nkcp", "build", "--root", str(root)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        state = snapshot(root)
        assert mixed(state, old, new)
        outcomes.append("old" if state == old else "new" if state == new else "mixed")
        assert run_cli("validate", "--root", str(root))[0] == 0
        assert run_cli("build", "--root", str(root))[0] == 0
        assert snapshot(root) == new
        assert_clean(root)
    assert "old" in outcomes  # at least one kill landed before the publish


def test_two_builds_at_once_do_not_interleave(repo: Path, states: tuple[Path, Snapshot, Snapshot],
                                              tmp_path: Path) -> None:
    _, _, new = states
    log = tmp_path / "lock.log"
    procs = [subprocess.Popen([sys.executable, "-c", LOG_LOCK, str(log), "build", "--root", str(repo)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    events = [line.split() for line in log.read_text().splitlines()]
    assert len(events) == 4
    intervals: dict[str, list[int]] = {}
    for pid, what, ns in events:
        intervals.setdefault(pid, []).append(int(ns))
        assert (what == "enter") is (len(intervals[pid]) == 1)
    (_, first_left), (second_entered, _) = sorted(intervals.values())
    assert first_left <= second_entered, "the second build entered the lock before the first left it"
    assert snapshot(repo) == new
    assert_clean(repo)
