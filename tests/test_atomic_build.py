"""Atomic builds: real SIGKILLs at every step of publishing and at moments spread over a build,
and two builds started at once.

Each scenario starts from a built copy of the miniature fixture (OLD) whose records were then
changed, so that the next build produces different outputs (NEW). A build process is killed with
SIGKILL; the outputs are checked right after the kill and again after the next `nkcp` command,
which rolls back an interrupted publish (src/nkcp/publish.py). A kill at a chosen step is made by
running the real CLI with one `nkcp.io` function wrapped to SIGKILL its own process after its
n-th call (no test hook in the package).
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

from nkcp.publish import JOURNAL, STAGING_PREFIX

EVENT = "records/events/E0001.yaml"
Snapshot = dict[str, bytes]

KILL_AFTER = r"""
import os, signal, sys
func_name, nth, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
original = getattr(io, func_name)
calls = 0
def wrapped(*args, **kwargs):
    global calls
    result = original(*args, **kwargs)
    if not name or any(getattr(a, "name", None) == name for a in args):
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(io, func_name, wrapped)
from nkcp.cli import app
app(sys.argv[4:], prog_name="nkcp")
"""

LOG_LOCK = r"""
import contextlib, os, sys, time
from nkcp import publish
log, original = sys.argv[1], publish.lock
@contextlib.contextmanager
def logged(root, blocking=True):
    with original(root, blocking) as held:
        if held:
            with open(log, "a") as fh:
                fh.write(f"{os.getpid()} enter {time.monotonic_ns()}\n")
        try:
            yield held
        finally:
            if held:
                with open(log, "a") as fh:
                    fh.write(f"{os.getpid()} exit {time.monotonic_ns()}\n")
publish.lock = logged
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


def nkcp_killed_after(root: Path, func: str, nth: int, name: str, *args: str) -> int:
    proc = subprocess.run([sys.executable, "-c", KILL_AFTER, func, str(nth), name, *args, "--root", str(root)],
                          capture_output=True, text=True, timeout=120)
    return proc.returncode


def mixed(state: Snapshot, old: Snapshot, new: Snapshot) -> bool:
    """build/ from one version, datapackage.json from the other (the documented window)."""
    build = {k: v for k, v in state.items() if k.startswith("build/")}
    return any(build == {k: v for k, v in s1.items() if k.startswith("build/")}
               and state.get("datapackage.json") == s2["datapackage.json"] for s1, s2 in ((old, new), (new, old)))


def assert_clean(root: Path) -> None:
    assert not (root / JOURNAL).exists()
    assert not list(root.glob(STAGING_PREFIX + "*"))


# (io function, call after which the process is killed, file name it must concern,
#  state right after the kill, journal left, state after the next command)
STEPS = [
    ("write_bytes", 1, JOURNAL, "old", True, "old"),
    ("swap_into_place", 1, "build", "mixed", True, "old"),
    ("swap_into_place", 1, "datapackage.json", "new", True, "old"),
    ("remove_file", 1, JOURNAL, "new", False, "new"),
]


@pytest.mark.parametrize(("func", "nth", "name", "after_kill", "journal", "after_next"), STEPS,
                         ids=["journal-written", "build-swapped", "both-swapped", "committed"])
def test_sigkill_at_each_publish_step(repo: Path, states: tuple[Path, Snapshot, Snapshot], func: str, nth: int,
                                      name: str, after_kill: str, journal: bool, after_next: str) -> None:
    _, old, new = states
    expected = {"old": old, "new": new}
    assert nkcp_killed_after(repo, func, nth, name, "build") == -signal.SIGKILL
    state = snapshot(repo)
    if after_kill == "mixed":
        assert mixed(state, old, new)
    else:
        assert state == expected[after_kill]
    assert (repo / JOURNAL).exists() is journal

    exit_code, output = run_cli("validate", "--root", str(repo))
    assert exit_code == 0, output
    assert snapshot(repo) == expected[after_next]
    assert_clean(repo)
    if journal and after_kill != "old":
        assert "recovered: restored the previous" in output


def test_sigkill_during_recovery_is_recovered_later(repo: Path, states: tuple[Path, Snapshot, Snapshot]) -> None:
    _, old, new = states
    assert nkcp_killed_after(repo, "swap_into_place", 2, "", "build") == -signal.SIGKILL
    assert snapshot(repo) == new and (repo / JOURNAL).exists()
    # The next command dies after rolling back one of the two outputs ...
    assert nkcp_killed_after(repo, "swap_into_place", 1, "", "validate") == -signal.SIGKILL
    assert mixed(snapshot(repo), old, new)
    assert (repo / JOURNAL).exists()
    # ... and the one after that finishes the roll-back.
    assert run_cli("validate", "--root", str(repo))[0] == 0
    assert snapshot(repo) == old
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
        journal = (root / JOURNAL).exists()
        assert state in (old, new) or (journal and mixed(state, old, new))
        committed = state == new and not journal
        assert run_cli("validate", "--root", str(root))[0] == 0
        assert snapshot(root) == (new if committed else old)
        assert_clean(root)
        outcomes.append("new" if committed else "old")
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
