"""`nkcp check-package` and the build's check of the written package: Frictionless on the CSV
resources and their descriptor, plus each Parquet file held to its CSV."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from tests.conftest import REPO, run_cli

from nkcp.io.tabular import parquet_bytes, read_parquet
from nkcp.outputs.verify import check_package
from nkcp.problems import InputError


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the committed package; returns its datapackage.json."""
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(REPO / "build", tmp_path / "build")
    return tmp_path / "datapackage.json"


def rewrite(descriptor: Path, rel: str, data: bytes) -> None:
    """Write new bytes for a resource and its new size and hash, so only its content is wrong."""
    (descriptor.parent / rel).write_bytes(data)
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in meta["resources"]:
        for stated in (resource, resource.get("parquet", {})):
            if stated.get("path") == rel:
                stated["bytes"], stated["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    descriptor.write_text(json.dumps(meta), encoding="utf-8")


def test_the_committed_package_passes(package: Path) -> None:
    assert not check_package(package)


def test_a_bad_cell_is_located_by_frictionless(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    csv = package.parent / "build" / "events.csv"
    rewrite(package, "build/events.csv", csv.read_bytes().replace(b",reviewed,", b",bogus,", 1))
    monkeypatch.chdir(package.parent)
    code, output = run_cli("check-package", "datapackage.json")
    assert code == 1
    assert "build/events.csv:2: [frictionless-constraint-error]" in output, output


def test_changed_bytes_without_a_new_hash_are_found(package: Path) -> None:
    csv = package.parent / "build" / "events.csv"
    csv.write_bytes(csv.read_bytes().replace(b"reviewed", b"reviewer", 1))
    assert "frictionless-hash-count" in check_package(package).codes()


def test_a_parquet_file_unlike_its_csv_is_found(package: Path) -> None:
    table = read_parquet(package.parent / "build" / "quotes.parquet")
    changed = table.set_column(0, table.field(0), [["Q9999", *table.column(0).to_pylist()[1:]]])
    rewrite(package, "build/quotes.parquet", parquet_bytes(changed))
    found = check_package(package)
    assert [(p.path, p.line, p.code) for p in found] == [("build/quotes.parquet", 2, "parquet-differs-from-csv")]


def test_a_parquet_file_changed_without_a_new_hash_is_found(package: Path) -> None:
    """Frictionless checks only the CSV resources' bytes and hashes; the Parquet files' are ours."""
    pq = package.parent / "build" / "events.parquet"
    table = read_parquet(pq)
    pq.write_bytes(parquet_bytes(table.slice(0, table.num_rows - 1)))
    found = check_package(package)
    assert ("build/events.parquet", 1, "parquet-checksum") in [(p.path, p.line, p.code) for p in found]


def test_an_unreadable_descriptor_is_reported_not_raised(package: Path) -> None:
    package.write_text("{not json", encoding="utf-8")
    assert check_package(package).codes() == {"frictionless-package-error"}


def test_a_release_archive_passes_when_unpacked(tmp_path: Path) -> None:
    archives = sorted((REPO / "releases").glob("*.tar.gz"))
    assert archives
    with tarfile.open(archives[-1]) as tar:
        tar.extractall(tmp_path, filter="data")
    (descriptor,) = tmp_path.rglob("datapackage.json")
    assert not check_package(descriptor)


def test_build_refuses_a_package_damaged_before_publishing(mini_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed between writing and publishing (a writer's bug, a disk fault) is caught and
    the previous build stays as it was."""
    from nkcp.outputs import run as build_module

    build_module.build(mini_repo)
    before = {p: p.read_bytes() for p in (mini_repo / "build").rglob("*") if p.is_file()}
    write = build_module.write_bytes

    def write_then_damage(path: Path, data: bytes) -> None:
        write(path, data.replace(b"reviewed", b"reviewer", 1) if path.name == "events.csv" else data)

    monkeypatch.setattr(build_module, "write_bytes", write_then_damage)
    with pytest.raises(InputError) as refused:
        build_module.build(mini_repo)
    assert ("build/events.csv", "frictionless-hash-count") in {(p.path, p.code) for p in refused.value.problems}
    assert {p: p.read_bytes() for p in (mini_repo / "build").rglob("*") if p.is_file()} == before
