"""Nothing published disappears silently: a lost record file, an emptied or replaced folder, a file
the build would never read, or an unreadable one is a located error from the real CLI, and the
previous build/ and datapackage.json stay byte for byte as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import MINI, REPO, run_cli

EVENT = "records/events/E0001.yaml"


@pytest.fixture
def built(mini_repo: Path) -> Path:
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    return mini_repo


def published(root: Path) -> dict[str, bytes]:
    files = [p for p in (root / "build").rglob("*") if p.is_file()] + [root / "datapackage.json"]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def refused(root: Path, *expected: str) -> None:
    """validate and build both exit 1 naming each expected problem; the published files stay."""
    before = published(root)
    for command in ("validate", "build"):
        code, output = run_cli(command, "--root", str(root))
        assert code == 1, output
        for line in expected:
            assert line in output, output
        assert "Traceback" not in output
    assert published(root) == before


def test_a_deleted_event_file_is_refused(built: Path) -> None:
    (built / EVENT).unlink()
    refused(built, "records/events:1: [published-record-missing] events E0001 was published (build/events.csv) "
                   "but no record holds it (hint: a published record is never deleted: restore its file and set "
                   "record_status: retracted)")


def test_a_retraction_in_place_keeps_the_record(built: Path) -> None:
    path = built / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace("record_status: reviewed", "record_status: retracted"),
                    encoding="utf-8")
    code, output = run_cli("validate", "--root", str(built))
    assert "published-record-missing" not in output and code == 0, output


@pytest.mark.parametrize("damage", ["deleted", "file", "symlink-loop", "emptied"])
def test_a_damaged_events_folder_is_refused(built: Path, damage: str) -> None:
    folder = built / "records" / "events"
    shutil.rmtree(folder)
    if damage == "file":
        folder.write_text("not a folder\n", encoding="utf-8")
    elif damage == "symlink-loop":
        folder.symlink_to(folder)
    elif damage == "emptied":
        folder.mkdir()
    expected = {"deleted": "records/events:1: [missing-folder] the folder of table events is missing",
                "file": "records/events:1: [not-a-folder] records/events is not a folder of record files",
                "symlink-loop": "records/events:1: [not-a-folder] records/events is not a folder of record files",
                "emptied": "records/events:1: [published-record-missing] events E0001 was published"}
    refused(built, expected[damage], "[published-record-missing] events E0001")


def test_the_last_release_is_checked_when_build_is_gone(built: Path) -> None:
    """With the committed build/ deleted too, the IDs of the last release still count."""
    shutil.copytree(REPO / "releases", built / "releases")  # the real releases hold E0001 too
    shutil.rmtree(built / "build")
    (built / "datapackage.json").unlink()
    (built / EVENT).unlink()
    code, output = run_cli("validate", "--root", str(built))
    assert code == 1
    from nkcp.release.registry import latest_version, load_release_index

    last = latest_version(load_release_index(REPO))
    assert f"[published-record-missing] events E0001 was published (release {last})" in output, output


def test_files_the_build_would_never_read_are_reported(built: Path) -> None:
    shutil.copy(built / EVENT, built / "records" / "events" / ".E0002.yaml")
    shutil.copy(built / EVENT, built / "records" / "E0003.yaml")
    refused(built,
            "records/events/.E0002.yaml:1: [hidden-file] a hidden file in a record folder is never read",
            "records/E0003.yaml:1: [stray-file] records/E0003.yaml is in no table's folder, so the build never reads it")


@pytest.fixture
def nobody_repo() -> Iterator[Path]:
    """A built copy of the fixture that the unprivileged user `nobody` can read and write."""
    if shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to test permissions as an unprivileged user")
    top = Path(tempfile.mkdtemp(prefix="nkcp-nobody-"))
    root = top / "repo"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
    shutil.copytree(REPO / "schema", root / "schema")
    assert run_cli("build", "--root", str(root))[0] == 0
    for path in [top, *top.rglob("*")]:
        os.chmod(path, 0o777 if path.is_dir() else 0o666)
    try:
        yield root
    finally:
        shutil.rmtree(top)


def as_nobody(root: Path, command: str) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    env = {**os.environ, "HOME": str(root), "NKCP_CACHE": str(root / ".cache")}
    return subprocess.run([*prefix, sys.executable, "-m", "nkcp", command, "--root", str(root)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize("target", [EVENT, "records/events", "captures/mini.txt"])
def test_an_unreadable_file_or_folder_is_a_located_error(nobody_repo: Path, target: str) -> None:
    before = published(nobody_repo)
    os.chmod(nobody_repo / target, 0o000)
    try:
        for command in ("validate", "build"):
            result = as_nobody(nobody_repo, command)
            assert result.returncode == 1, result.stderr
            assert "Traceback" not in result.stderr
            where, what = {EVENT: (f"{EVENT}:1", "cannot be read"),
                           "records/events": ("records/events:1", "cannot be listed"),
                           "captures/mini.txt": ("sources/mini-source.yaml:3", "capture captures/mini.txt cannot be read"),
                           }[target]
            assert f"{where}: [unreadable] " in result.stderr and what in result.stderr, result.stderr
    finally:
        os.chmod(nobody_repo / target, 0o777)
    assert published(nobody_repo) == before


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_deleting_or_moving_record_files_never_loses_a_published_id_silently(built: Path, data: st.DataObject) -> None:
    root = Path(tempfile.mkdtemp(prefix="nkcp-prop-"))
    try:
        shutil.copytree(built, root / "repo", symlinks=True)
        repo = root / "repo"
        files = sorted(p for p in (repo / "records").rglob("*.yaml")) + sorted((repo / "sources").glob("*.yaml"))
        chosen = data.draw(st.lists(st.sampled_from(files), min_size=1, max_size=3, unique=True))
        changed = []
        for path in chosen:
            if data.draw(st.booleans()):
                path.unlink()
            else:  # moved: up a folder, into a hidden name, or into another table's folder
                where = data.draw(st.sampled_from(["up", "hidden", "other"]))
                dest = {"up": path.parent.parent / path.name, "hidden": path.with_name("." + path.name),
                        "other": repo / "records" / ("quotes" if path.parent.name == "places" else "places") / path.name}[where]
                if dest.exists():
                    continue
                path.rename(dest)
            changed.append(path.relative_to(repo).as_posix())
        if changed:
            code, output = run_cli("validate", "--root", str(repo))
            assert code == 1, f"{changed} were moved or deleted, yet: {output}"
    finally:
        shutil.rmtree(root)


def test_a_linked_build_folder_is_refused(built: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.move(str(built / "build"), outside)
    (built / "build").symlink_to(outside)
    before = {p.relative_to(outside): p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    code, output = run_cli("build", "--root", str(built))
    assert code == 1
    assert "build:1: [path-escape] build is a link or not what the build writes" in output, output
    assert {p.relative_to(outside): p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before


def test_a_linked_card_folder_is_refused(built: Path, tmp_path: Path) -> None:
    """build/card is written and pruned by the build, so a link there would reach outside the repository."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("not the build's", encoding="utf-8")
    shutil.rmtree(built / "build" / "card")
    (built / "build" / "card").symlink_to(outside)
    code, output = run_cli("build", "--root", str(built))
    assert code == 1
    assert "build/card:1: [path-escape] build/card is a link or not what the build writes" in output, output
    assert [p.name for p in outside.iterdir()] == ["keep.html"]


def test_a_full_disk_is_a_located_error_and_the_outputs_stay(built: Path) -> None:
    """A file-size limit (as a full disk would) makes a write fail inside the staging folder."""
    import resource
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    before = published(built)
    result = subprocess.run([sys.executable, "-m", "nkcp", "build", "--root", str(built)], capture_output=True,
                            text=True, preexec_fn=limit, timeout=300, check=False)
    assert result.returncode == 1, result.stderr
    assert "[write-failed] the build could not write: File too large" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert published(built) == before
    assert not list(built.glob(".nkcp-staging-*"))
