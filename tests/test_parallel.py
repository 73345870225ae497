"""Work shared with a forked child (src/nkcp/parallel.py) gives exactly what a serial run gives.

Validation is held to it on every hostile case, with and without the cache; the helper itself
is held to order, to a child that dies, to exceptions, and to never leaving a child behind.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.hostile.test_hostile_corpus import CASES, Case

from nkcp import parallel
from nkcp.build import validate
from nkcp.records import Corpus

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="work is shared on Linux only")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Share all work, however small, and record every fork made."""
    made: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setenv("NKCP_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)
    monkeypatch.setattr(os, "fork", fork)
    return made


def _all_in_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every item of every later map_shared to the child."""
    monkeypatch.setattr(parallel, "split", lambda weights, sending=0.0: ([], list(range(len(weights)))))


def _square(x: int) -> int:
    return x * x


def test_results_keep_their_order(forks: list[int]) -> None:
    items = list(range(101))
    assert parallel.map_shared(_square, items, weight=lambda x: (x * 37) % 11 + 1) == [x * x for x in items]
    assert len(forks) == 1


def test_results_sent_in_many_batches_keep_their_order(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "BATCH", 3)
    items = list(range(100))
    assert parallel.map_shared(_square, items) == [x * x for x in items]
    assert len(forks) == 1


def test_small_inputs_or_one_job_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKCP_JOBS", "1")
    before = os.getpid()
    assert parallel.map_shared(lambda _: os.getpid(), list(range(5000))) == [before] * 5000
    monkeypatch.setenv("NKCP_JOBS", "2")
    assert parallel.map_shared(lambda _: os.getpid(), list(range(10))) == [before] * 10


def test_the_work_really_is_shared(forks: list[int]) -> None:
    pids = parallel.map_shared(lambda _: os.getpid(), list(range(50)))
    assert set(pids) == {os.getpid(), forks[0]}


def test_split_balances_by_weight() -> None:
    weights = [13_000] * 10 + [600] * 200
    mine, theirs = parallel.split(weights)
    assert sorted(mine + theirs) == list(range(len(weights)))
    loads = sum(weights[i] for i in mine), sum(weights[i] for i in theirs)
    assert abs(loads[0] - loads[1]) <= 13_000


def test_a_child_that_dies_is_replaced_by_this_process(forks: list[int]) -> None:
    parent = os.getpid()

    def fn(x: int) -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return x + 1

    assert parallel.map_shared(fn, list(range(40))) == list(range(1, 41))
    assert forks


@pytest.mark.parametrize("bad", [6, 7], ids=["in-this-process", "in-the-child"])  # even items stay here
def test_an_exception_is_raised_here_wherever_it_happened(forks: list[int], bad: int,
                                                         capfd: pytest.CaptureFixture[str]) -> None:
    parent = os.getpid()
    where: list[bool] = []

    def fn(x: int) -> int:
        if x == bad:
            where.append(os.getpid() == parent)
            raise ValueError(f"item {x}")
        return x

    with pytest.raises(ValueError, match=f"item {bad}"):
        parallel.map_shared(fn, list(range(40)))
    assert where == [True]  # raised here once (the child's own raise is not visible in this list)
    assert ("helper process failed" in capfd.readouterr().err) == (bad == 7)
    assert not _alive(forks[0])


def test_no_fork_possible_means_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKCP_JOBS", "2")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 0)

    def fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork)
    before = len(os.listdir("/proc/self/fd"))
    assert parallel.map_shared(_square, list(range(30))) == [x * x for x in range(30)]
    assert len(os.listdir("/proc/self/fd")) == before  # the pipe was closed


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("0", 1), ("2", 2), ("8", 2), ("two", 1)])
def test_nkcp_jobs(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv("NKCP_JOBS", value)
    assert parallel.jobs() == expected


def _cgroup(tmp_path: Path, membership: str, files: dict[str, str]) -> tuple[Path, Path]:
    """A control-group tree as Linux shows it: /proc/self/cgroup's lines, and the files they name."""
    for name, text in files.items():
        (tmp_path / "fs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "fs" / name).write_text(text, encoding="utf-8")
    (tmp_path / "cgroup").write_text(membership, encoding="utf-8")
    return tmp_path / "fs", tmp_path / "cgroup"


@pytest.mark.parametrize(("membership", "files", "cores"), [
    ("0::/\n", {"cpu.max": "max 100000\n"}, None),
    ("0::/\n", {"cpu.max": "100000 100000\n"}, 1.0),
    ("0::/docker/abc\n", {"docker/abc/cpu.max": "150000 100000\n"}, 1.5),
    ("0::/\n", {}, None),  # no cpu controller in the group
    ("2:cpu,cpuacct:/\n1:memory:/x\n0::/\n", {"cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
                                                   "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, None),
    ("2:cpu,cpuacct:/k\n0::/\n", {"cpu,cpuacct/k/cpu.cfs_quota_us": "50000\n",
                                     "cpu,cpuacct/k/cpu.cfs_period_us": "100000\n"}, 0.5),
    ("1:cpu:/\n", {"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2.0),
    ("garbage\n0::/\n", {"cpu.max": "bad\n"}, None),
    ("0::/\n", {"cpu.max": "100000 0\n"}, None),
    # found by review: a container's group mounted as the root (v1, no cgroup namespace), a quota
    # on a group above (a systemd slice), and the cpu controller on v2 beside v1 (hybrid)
    ("12:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n",
     {"cpu,cpuacct/cpu.cfs_quota_us": "100000\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, 1.0),
    ("0::/limited.slice/job.scope\n",
     {"limited.slice/cpu.max": "100000 100000\n", "limited.slice/job.scope/cpu.max": "max 100000\n"}, 1.0),
    ("0::/a/b\n", {"a/cpu.max": "300000 100000\n", "a/b/cpu.max": "150000 100000\n"}, 1.5),
    ("1:name=systemd:/x\n0::/x\n", {"unified/x/cpu.max": "100000 100000\n"}, 1.0),
])
def test_cpu_quota_read_from_the_control_group(tmp_path: Path, membership: str, files: dict[str, str],
                                               cores: float | None) -> None:
    cgroup, own = _cgroup(tmp_path, membership, files)
    assert parallel.cpu_quota(cgroup, own) == cores


def test_no_control_group_file_means_no_quota(tmp_path: Path) -> None:
    assert parallel.cpu_quota(tmp_path, tmp_path / "missing") is None


@pytest.mark.parametrize(("cores", "expected"), [(None, 2), (1.0, 1), (0.5, 1), (1.5, 2), (4.0, 2)])
def test_a_quota_of_one_core_keeps_the_work_in_this_process(monkeypatch: pytest.MonkeyPatch, cores: float | None,
                                                             expected: int) -> None:
    monkeypatch.delenv("NKCP_JOBS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(parallel, "cpu_quota", lambda: cores)
    assert parallel.jobs() == expected
    monkeypatch.setenv("NKCP_JOBS", "2")  # a stated number wins over the quota
    assert parallel.jobs() == 2


def test_a_stuck_child_is_stopped_and_its_share_done_here(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "STUCK_FACTOR", 1)
    monkeypatch.setattr(parallel, "STUCK_SECONDS", 0.5)
    parent = os.getpid()

    def fn(x: int) -> int:
        if os.getpid() != parent:
            time.sleep(600)
        return -x

    started = time.monotonic()
    assert parallel.map_shared(fn, list(range(20))) == [-x for x in range(20)]
    assert time.monotonic() - started < 30
    assert not _alive(forks[0])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent entry remains


_SHARED_SLEEPS = """
import os, sys, time
from nkcp import parallel
parallel.MIN_ITEMS = 0
parent = os.getpid()
def fn(x):
    if os.getpid() != parent:
        with open(sys.argv[1], "w") as f:
            f.write(str(os.getpid()))
    time.sleep(60)
    return x
try:
    parallel.map_shared(fn, list(range(4)))
except KeyboardInterrupt:
    try:
        os.waitpid(-1, os.WNOHANG)  # the child must be gone and reaped by now, not left to the caller
        print("child left behind", flush=True)
    except ChildProcessError:
        print("interrupted", flush=True)
    sys.exit(130)
"""


def _sharing_process(tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    """A process sharing slow work with a child, in a session of its own; and the child's pid."""
    pid_file = tmp_path / "child.pid"
    proc = subprocess.Popen([sys.executable, "-c", _SHARED_SLEEPS, str(pid_file)], env={**os.environ, "NKCP_JOBS": "2"},
                            stdout=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # a shell may pass it ignored
    _wait_for(lambda: pid_file.exists() and pid_file.read_text() != "")
    return proc, int(pid_file.read_text())


def test_a_killed_parent_leaves_no_child_behind(tmp_path: Path) -> None:
    proc, child = _sharing_process(tmp_path)
    try:
        assert _alive(child)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _wait_for(lambda: not _alive(child))
    finally:
        proc.kill()
        proc.wait()


def test_ctrl_c_stops_both_processes(tmp_path: Path) -> None:
    proc, child = _sharing_process(tmp_path)
    try:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
        out, _ = proc.communicate(timeout=30)
        assert (proc.returncode, out.strip()) == (130, "interrupted")
        _wait_for(lambda: not _alive(child))
    finally:
        proc.kill()
        proc.wait()


def _wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def _outcome(root: Path, use_cache: bool = False) -> tuple[list[str], dict[str, list[Any]]]:
    corpus, problems = validate(root, use_cache=use_cache)
    rows = {t: [(r.path, r.line, r.values, r.lines) for r in rs] for t, rs in corpus.rows.items()}
    return [p.format() for p in problems], rows


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_shared_validation_equals_serial_on_every_hostile_case(
        mini_repo: Path, case: Case, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    case.mutate(mini_repo)
    monkeypatch.setenv("NKCP_JOBS", "1")
    serial = _outcome(mini_repo)
    assert serial[0], f"{case.id}: the mutation must be refused"
    assert not forks
    monkeypatch.setenv("NKCP_JOBS", "2")
    assert _outcome(mini_repo) == serial
    monkeypatch.setenv("NKCP_CACHE", str(tmp_path / "cold-cache"))
    assert _outcome(mini_repo, use_cache=True)[0] == serial[0]
    # Everything through the child, so that every hostile file's result crosses the pipe.
    _all_in_child(monkeypatch)
    assert _outcome(mini_repo) == serial
    assert len(forks) == 3  # every run shared its work


def test_shared_frictionless_report_equals_one_run(mini_repo: Path, forks: list[int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from frictionless import Package, system

    from nkcp.build import build
    from nkcp.conformance import frictionless_problems

    build(mini_repo)
    quotes = mini_repo / "build" / "quotes.csv"
    lines = quotes.read_bytes().decode("utf-8").split("\r\n")
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("informant_type")] = "ghost"
    cells[header.index("quote_id")] = "Q1"
    cells[header.index("source_id")] = "no-such-source"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[1] = out.getvalue()
    quotes.write_bytes("\r\n".join(lines).encode("utf-8"))
    package = mini_repo / "datapackage.json"
    forks.clear()
    shared = frictionless_problems(package, "build", "datapackage.json").items
    assert len(forks) == 1
    monkeypatch.setenv("NKCP_JOBS", "1")
    assert frictionless_problems(package, "build", "datapackage.json").items == shared
    with system.use_context(trusted=True):
        single = Package(str(package)).validate()
    assert sorted((f"build/{t.name}", getattr(e, "row_number", None) or 1, "frictionless-" + e.type)
                  for t in single.tasks for e in t.errors) == sorted((p.path, p.line, p.code) for p in shared)
    assert {"frictionless-hash-count", "frictionless-constraint-error",
            "frictionless-foreign-key"} <= {p.code for p in shared}


def test_a_child_does_not_hold_the_build_lock(tmp_path: Path, forks: list[int]) -> None:
    """Else a child outliving its killed parent for a moment keeps the build 'running'."""
    from nkcp import publish

    def holds_lock_file(fd: int) -> bool:
        return os.fstat(fd).st_ino == os.stat(tmp_path / publish.LOCK_FILE).st_ino

    with publish.lock(tmp_path):
        (fd,) = publish._HELD
        parent = os.getpid()
        seen = parallel.map_shared(lambda _: (os.getpid() != parent, holds_lock_file(fd)), list(range(8)))
    assert {(False, True), (True, False)} == set(seen)


def _built(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in [*(root / "build").iterdir(), root / "datapackage.json"]}


def test_tables_proved_and_encoded_in_two_processes_are_the_bytes_of_one(
        mini_repo: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    from nkcp.build import build

    monkeypatch.setenv("NKCP_JOBS", "1")
    build(mini_repo)
    serial = _built(mini_repo)
    assert not forks
    monkeypatch.setenv("NKCP_JOBS", "2")
    build(mini_repo)
    assert len(forks) == 2  # the validation's share and the tables'
    assert _built(mini_repo) == serial
    # Every task through the child, pandera's too, so that every table's bytes cross the pipe.
    _all_in_child(monkeypatch)
    build(mini_repo)
    assert len(forks) == 4
    assert "helper process failed" not in capfd.readouterr().err  # no child's share was redone here
    assert _built(mini_repo) == serial


def test_pandera_failures_in_either_process_are_all_reported(
        mini_repo: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    from nkcp import build as build_module
    from nkcp.problems import InputError

    real_derive = build_module.derive

    def corrupting_derive(corpus: Corpus) -> None:  # a value our checks would refuse, met by pandera only
        real_derive(corpus)
        for rows in corpus.rows.values():
            rows[0].values["record_status"] = "bogus"

    monkeypatch.setattr(build_module, "derive", corrupting_derive)
    reports = []
    for jobs, all_in_child in (("1", False), ("2", False), ("2", True)):
        monkeypatch.setenv("NKCP_JOBS", jobs)
        if all_in_child:  # pandera itself in the child (it weighs most, so it stays here otherwise)
            _all_in_child(monkeypatch)
        with pytest.raises(InputError) as raised:
            build_module.build(mini_repo)
        reports.append([p.format() for p in raised.value.problems.items])
    assert reports[0] == reports[1] == reports[2]
    assert {line.split(":")[0] for line in reports[0]} == {
        "build/events.parquet", "build/locations.parquet", "build/quotes.parquet", "build/sources.parquet"}
    assert len(forks) == 4  # the validation's share and the tables', twice
    assert "helper process failed" not in capfd.readouterr().err
