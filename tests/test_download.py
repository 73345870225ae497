"""Downloads with pooch from a server on 127.0.0.1: verified, cached, and never leaving a bad file."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import REPO, run_cli

import nkcp
from nkcp.release.download import DownloadError, fetch
from nkcp.release.load import frame
from nkcp.release.package import DataPackage
from nkcp.release.registry import unpack

ARCHIVE = "nk-collective-punishment-0.1.0.tar.gz"
NEWER = "99.0.0"  # a release published after this install was made


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving a folder holding a copy of the real 0.1.0 archive."""
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copy(REPO / "releases" / ARCHIVE, folder / ARCHIVE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    finally:
        server.shutdown()
        server.server_close()


def _listing(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*")) if path.exists() else []


def test_download_verifies_unpacks_and_loads(serve: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = serve
    package = fetch("0.1.0", url, tmp_path / "cache", progress=False)
    assert package.version == "0.1.0"
    unpacked = DataPackage(unpack(REPO / "releases" / ARCHIVE, tmp_path / "direct"))  # the archive itself
    for table in ("events", "quotes", "sources", "locations"):
        pd.testing.assert_frame_equal(frame(package, table), frame(unpacked, table))
    again = fetch("0.1.0", "http://127.0.0.1:9/unreachable/", tmp_path / "cache", progress=False)
    assert again.root == package.root  # served from the cache, no network


def test_load_a_version_through_the_public_api(serve: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = serve
    events = nkcp.load("events", version="0.1.0", base_url=url, cache=tmp_path / "cache", progress=False)
    assert isinstance(events["event_type"].dtype, pd.CategoricalDtype)
    assert str(events["count_best"].dtype) == "Int64"


def test_cli_download_with_base_url_from_the_environment(serve: tuple[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = serve
    monkeypatch.setenv("NKCP_BASE_URL", url)
    code, output = run_cli("download", "--version", "0.1.0", "--cache", str(tmp_path / "cache"))
    assert code == 0, output
    assert "100%" in output  # the progress bar
    unpacked = tmp_path / "cache" / "nk-collective-punishment-0.1.0"
    assert output.rstrip().endswith(str(unpacked))
    assert (unpacked / "datapackage.json").is_file()


@pytest.mark.parametrize("damage", ["corrupt", "truncated"])
def test_bad_download_is_refused_and_cache_left_as_it_was(serve: tuple[str, Path], tmp_path: Path, damage: str) -> None:
    url, folder = serve
    data = (folder / ARCHIVE).read_bytes()
    bad = data[: len(data) // 2] if damage == "truncated" else data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
    (folder / ARCHIVE).write_bytes(bad)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "keep.txt").write_text("unrelated")
    before = _listing(cache)
    with pytest.raises(DownloadError, match="failed verification and was discarded"):
        fetch("0.1.0", url, cache, progress=False)
    assert _listing(cache) == before
    code, output = run_cli("download", "--version", "0.1.0", "--base-url", url, "--cache", str(cache))
    assert code == 1 and "failed verification" in output
    assert _listing(cache) == before


def test_unknown_version_and_missing_base_url_are_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NKCP_BASE_URL", raising=False)
    with pytest.raises(DownloadError, match=r"unknown version '9\.9\.9'; released versions: 0\.1\.0"):
        fetch("9.9.9", "http://127.0.0.1:9/", tmp_path)
    with pytest.raises(DownloadError, match="no download location"):
        fetch("0.1.0", None, tmp_path)


def test_bundled_load_uses_the_schema_types() -> None:
    events = nkcp.load("events")
    quotes = nkcp.load("quotes")
    assert events["event_type"].cat.categories[0] == "death_in_custody_or_execution"
    assert str(events["date_start"].dtype).startswith("datetime64")
    assert str(quotes["is_cut_by_publisher"].dtype) == "boolean"
    assert str(quotes["start_offset"].dtype) == "Int64"
    assert events["other_event_types"].dtype == "string"


def _publish_newer_release(folder: Path, tmp_path: Path) -> str:
    """Put a release NEWER (today's build), newer than any this install knows, and a registry.json
    listing it beside the known ones on the host."""
    import json

    from nkcp.release.release import ARCHIVE_FILES, card_members, make_archive

    copy = tmp_path / "newer"
    for rel in [r for _, r in (*ARCHIVE_FILES, *card_members(REPO))] + ["datapackage.json", "schema/package.yaml"]:
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, copy / rel)
    descriptor = json.loads((copy / "datapackage.json").read_text())
    (copy / "datapackage.json").write_text(json.dumps({**descriptor, "version": NEWER}))
    data = make_archive(copy, NEWER)
    (folder / f"nk-collective-punishment-{NEWER}.tar.gz").write_bytes(data)
    registry = json.loads((REPO / "releases" / "registry.json").read_text())
    registry["releases"][NEWER] = {"file": f"nk-collective-punishment-{NEWER}.tar.gz",
                                     "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    (folder / "registry.json").write_text(json.dumps(registry))
    return hashlib.sha256(data).hexdigest()


def test_a_release_newer_than_the_install_is_learnt_from_the_host(serve: tuple[str, Path], tmp_path: Path) -> None:
    url, folder = serve
    _publish_newer_release(folder, tmp_path)
    code, output = run_cli("download", "--base-url", url, "--cache", str(tmp_path / "cache"))  # no version: the latest
    assert code == 0, output
    package = DataPackage(tmp_path / "cache" / f"nk-collective-punishment-{NEWER}")
    assert output.rstrip().endswith(str(package.root))
    assert package.version == NEWER
    assert "evidence" in package.tables()
    # The host's registry is cached: offline, the newer release is still known and served from the cache.
    again = fetch(NEWER, "http://127.0.0.1:9/", tmp_path / "cache", progress=False)
    assert again.root == package.root


def test_a_registry_that_changes_a_known_release_is_refused(serve: tuple[str, Path], tmp_path: Path) -> None:
    import json

    url, folder = serve
    _publish_newer_release(folder, tmp_path)
    registry = json.loads((folder / "registry.json").read_text())
    registry["releases"]["0.1.0"]["sha256"] = "0" * 64  # a host serving another 0.1.0
    (folder / "registry.json").write_text(json.dumps(registry))
    code, output = run_cli("download", "--version", NEWER, "--base-url", url, "--cache", str(tmp_path / "cache"))
    assert code == 1
    assert f"{url}registry.json gives release 0.1.0 the SHA-256 {'0' * 64}" in output
    assert "has been altered and is not used" in output
    assert not (tmp_path / "cache" / "registry.json").exists()


def test_a_changed_cached_file_is_found_and_force_fetches_again(serve: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = serve
    cache = tmp_path / "cache"
    package = fetch("0.1.0", url, cache, progress=False)
    events = package.root / "build" / "events.csv"
    good = events.read_bytes()
    events.write_bytes(good.replace(b",30,", b",3000,", 1))
    with pytest.raises(DownloadError, match="does not match SHA256SUMS: it was changed or removed after download"):
        nkcp.load("events", version="0.1.0", base_url=url, cache=cache, progress=False)
    code, output = run_cli("download", "--version", "0.1.0", "--base-url", url, "--cache", str(cache))
    assert code == 1 and "nkcp download --force" in output
    code, output = run_cli("download", "--version", "0.1.0", "--base-url", url, "--cache", str(cache), "--force")
    assert code == 0, output
    assert events.read_bytes() == good


@pytest.mark.parametrize(("version", "file"), [("9.9.9", "../victim.txt"), ("9.9.9", "/tmp/victim.txt"),
                                               ("2.0.0-rc1", "nk-collective-punishment-2.0.0-rc1.tar.gz")])
def test_a_registry_with_a_strange_version_or_file_is_refused(serve: tuple[str, Path], tmp_path: Path, version: str,
                                                              file: str) -> None:
    """A host's registry cannot send a download, or --force's deletion, to another path."""
    import json

    url, folder = serve
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    registry = json.loads((REPO / "releases" / "registry.json").read_text())
    registry["releases"][version] = {"file": file.replace("/tmp/victim.txt", str(victim)), "sha256": "0" * 64}
    (folder / "registry.json").write_text(json.dumps(registry))
    code, output = run_cli("download", "--version", "9.9.9", "--force", "--base-url", url, "--cache", str(tmp_path / "cache"))
    assert code == 1 and "is not a registry of releases" in output, output
    assert victim.read_text() == "keep me"
