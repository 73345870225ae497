"""Incremental validation (src/nkcp/incremental.py): reused results are never stale.

The strongest check is the hostile corpus: for every case, validation that starts from a cache
warmed on the intact repository reports exactly what validation without a cache reports.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tests.hostile.test_hostile_corpus import CASES, Case

from nkcp import incremental
from nkcp.build import validate
from nkcp.incremental import Stats
from nkcp.records import Row

EVENT = "records/events/E0001.yaml"


def _run(root: Path) -> tuple[list[str], Stats]:
    stats: list[Stats] = []
    _, problems = validate(root, use_cache=True, stats=stats)
    return [p.format() for p in problems], stats[0]


def _fresh(root: Path) -> list[str]:
    return [p.format() for p in validate(root)[1]]


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    return mini_repo


def test_unchanged_repository_is_not_read_again(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # files were just written: trust their stat at once
    first, cold = _run(repo)
    second, warm = _run(repo)
    assert first == second == []
    assert cold.parsed == cold.files > 0 and cold.links_rerun
    assert (warm.read, warm.parsed, warm.links_rerun) == (0, 0, False)
    assert warm.files == cold.files


def test_edit_keeping_size_and_mtime_is_seen(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    path = repo / EVENT
    before = path.stat()
    assert _run(repo)[0] == []
    text = path.read_text(encoding="utf-8")
    edited = text.replace("count_unit: families", "count_unit: familiez")
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # only ctime tells the change now
    problems, stats = _run(repo)
    assert stats.parsed == 1
    assert any("[unknown-value]" in p for p in problems), problems
    assert problems == _fresh(repo)


def test_racy_files_are_read_again(repo: Path) -> None:
    _run(repo)  # every file was written within RACY_NS of this run: no stat is trusted next time
    _, stats = _run(repo)
    assert stats.read == stats.files and stats.parsed == 0


def test_edit_of_a_reference_reruns_the_cross_file_checks(repo: Path) -> None:
    _run(repo)
    path = repo / EVENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("place_id: pyongyang", "place_id: pyongyangg", 1), encoding="utf-8")
    problems, stats = _run(repo)
    assert stats.links_rerun
    assert any("[dangling-reference]" in p for p in problems)
    assert problems == _fresh(repo)


def test_changed_schema_or_lost_cache_starts_again(repo: Path) -> None:
    _run(repo)
    folder = incremental.cache_folder(repo)
    (folder / "links.pickle").write_bytes(b"not a pickle")
    path = repo / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace("place_id: pyongyang", "place_id: nowhere", 1),
                    encoding="utf-8")
    problems, _ = _run(repo)
    assert problems == _fresh(repo) and any("[dangling-reference]" in p for p in problems)
    schema = repo / "schema" / "vocabularies.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, stats = _run(repo)
    assert stats.parsed == stats.files


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cached_equals_uncached_on_every_hostile_case(repo: Path, case: Case) -> None:
    assert _run(repo)[0] == []  # warm the cache on the intact repository
    case.mutate(repo)
    cached, _ = _run(repo)
    assert cached == _fresh(repo)
    assert cached, f"{case.id}: the mutation must be refused"


def test_capture_added_after_its_sidecar_is_seen(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    capture = repo / "captures" / "mini.txt"
    data = capture.read_bytes()
    capture.unlink()
    assert any("[capture-missing]" in p for p in _run(repo)[0])
    capture.write_bytes(data)
    assert _run(repo)[0] == _fresh(repo) == []


def test_yml_files_are_checked_like_without_cache(repo: Path) -> None:
    (repo / EVENT).rename(repo / "records" / "events" / "E0001.yml")
    assert _run(repo)[0] == _fresh(repo)


def test_projection_of_an_edit_survives_until_the_next_reference_edit(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    _run(repo)
    path = repo / EVENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("count_best: 12", "count_best: 13").replace("12 families", "13 families"),
                    encoding="utf-8")
    assert _run(repo)[1].links_rerun is False
    place = repo / "records" / "places" / "pyongyang.yaml"
    place.write_text(place.read_text(encoding="utf-8").replace("name: Pyongyang", "name: P'yongyang City", 1),
                     encoding="utf-8")
    problems, stats = _run(repo)
    assert stats.links_rerun and stats.parsed == 1  # the edited event's projection was kept
    assert problems == _fresh(repo)


def test_caches_of_repositories_gone_quiet_are_deleted(repo: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Through `nkcp validate`'s own path: another repository's cache unused for over 60 days is
    deleted, a recent one and anything not named like a cache are kept, the scan runs once a day."""
    monkeypatch.setenv("NKCP_CACHE", str(tmp_path / "cache"))
    base = tmp_path / "cache" / "validate"
    old = int(incremental.STALE_SECONDS + 3600)

    def folder(name: str, age: int) -> Path:
        path = base / name
        path.mkdir(parents=True)
        (path / "index.pickle").write_bytes(b"x")
        when = os.stat(path).st_mtime - age
        os.utime(path, (when, when))
        return path

    stale, recent, foreign = folder("a" * 24, old), folder("b" * 24, 3600), folder("notes", old)
    older_layout = base / ("d" * 24 + ".pickle")
    older_layout.write_bytes(b"x")
    os.utime(older_layout, (os.stat(older_layout).st_mtime - old,) * 2)
    _run(repo)
    own = incremental.cache_folder(repo)
    assert not stale.exists() and not older_layout.exists()
    assert recent.exists() and foreign.exists() and (own / "index.pickle").exists()

    later = folder("c" * 24, old)
    _run(repo)
    assert later.exists(), "a second scan on the same day"
    marker = base / ".last-pruned"
    when = marker.stat().st_mtime - incremental.PRUNE_EVERY_SECONDS - 1
    os.utime(marker, (when, when))
    _run(repo)
    assert not later.exists() and own.exists() and recent.exists()


def _age(path: Path, seconds: float) -> None:
    when = os.stat(path).st_mtime - seconds
    os.utime(path, (when, when))


def test_an_unchanged_repository_keeps_its_cache_alive(repo: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that writes nothing (no file changed) still marks the cache as used."""
    monkeypatch.setenv("NKCP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    _run(repo)
    own = incremental.cache_folder(repo)
    index = (own / "index.pickle").stat().st_mtime_ns
    _age(own, incremental.STALE_SECONDS + 3600)
    _, stats = _run(repo)
    assert stats.read == 0 and (own / "index.pickle").stat().st_mtime_ns == index  # nothing written
    assert own.stat().st_mtime > time.time() - 3600


def test_a_prune_during_a_run_leaves_that_runs_cache_alone(repo: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository validated again after 60 quiet days, while another repository's daily prune
    runs: its cache is marked used before it is read, so the prune keeps it and only the edited
    file is parsed again."""
    monkeypatch.setenv("NKCP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(incremental, "RACY_NS", 0)
    _run(repo)
    own = incremental.cache_folder(repo)
    other = own.parent / ("e" * 24)
    other.mkdir()
    path = repo / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace("place_id: pyongyang", "place_id: nowhere", 1),
                    encoding="utf-8")
    _age(own, incremental.STALE_SECONDS + 3600)
    _age(own.parent / ".last-pruned", incremental.PRUNE_EVERY_SECONDS + 60)
    projections = incremental.Cache.projections

    def other_repository_prunes_first(self: incremental.Cache, rels: list[str]) -> dict[str, list[Row]] | None:
        incremental.prune_stale(other)
        return projections(self, rels)

    monkeypatch.setattr(incremental.Cache, "projections", other_repository_prunes_first)
    problems, stats = _run(repo)
    assert stats.links_rerun and stats.parsed == 1 and own.is_dir()
    assert problems == _fresh(repo) and any("[dangling-reference]" in p for p in problems)


def test_prune_never_deletes_the_cache_it_runs_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "validate" / ("f" * 24)
    own.mkdir(parents=True)
    _age(own, incremental.STALE_SECONDS + 3600)
    monkeypatch.setattr(incremental, "_touch", lambda folder: None)
    incremental.prune_stale(own)
    assert own.is_dir() and (own.parent / ".last-pruned").exists()


def test_a_files_link_digest_does_not_depend_on_the_files_read_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest pickles a file's rows, and pickle writes a value shared by two rows (a kept
    value) differently from two equal copies. Kept lines and values are emptied only between
    files, so a file's rows share values the same way whatever was read before it; else an
    unchanged file could get a new digest and rerun the cross-file checks for nothing."""
    from tests.conftest import REPO

    from nkcp import io, records
    from nkcp.checks import link_fields
    from nkcp.registry import load_registry

    reg = load_registry(REPO)
    tables = {table.records: table for table in reg.tables.values()}
    files = sorted(REPO.glob("records/*/*.yaml"))
    target = max(REPO.glob("records/quotes/*.yaml"), key=lambda p: p.stat().st_size)

    def digest(path: Path) -> str:
        table = tables[f"records/{path.parent.name}"]
        stage = incremental._stage(f"records/{path.parent.name}/{path.name}", path.name, table, reg)
        problems, _, link_digest = incremental.parsed(stage, incremental._projector(link_fields(reg, table.name)),
                                                      path.read_bytes())
        assert not problems
        return link_digest

    reg.kept("typed scalars").clear()
    io._SEEN_LINES.clear()
    alone = digest(target)
    reg.kept("typed scalars").clear()
    io._SEEN_LINES.clear()
    for path in files:
        if path != target:
            digest(path)
    monkeypatch.setattr(records, "KEPT_MAX", len(reg.kept("typed scalars")) + 1)  # full in the middle of target
    monkeypatch.setattr(io, "_SEEN_MAX", len(io._SEEN_LINES) + 1)
    assert digest(target) == alone
