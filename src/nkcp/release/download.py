"""Downloading a release with pooch: the host's registry of versions, SHA-256 checks, a cache
that is checked again on every use.

The versions that exist are learnt from the host: `registry.json`, published beside the archives,
is fetched on each call and cached for offline use. It may add versions, never change one: an entry
whose SHA-256 differs from this install's bundled registry (or the copy cached before) is refused
as altered. pooch verifies each archive against its SHA-256 and keeps nothing that fails. The
unpacked cache is held to the archive's SHA256SUMS every time it is used; `force` fetches again.
The base URL is never guessed: it comes from --base-url or NKCP_BASE_URL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tarfile  # noqa: TID251 - only its error type, for an archive that is none
import tempfile
from pathlib import Path
from typing import Any

from nkcp.io.archive import read_member
from nkcp.io.files import read_bytes, sha256_file, write_bytes
from nkcp.release.package import DataPackage
from nkcp.release.registry import (
    NAME,
    ReleaseError,
    archive_name,
    cache_dir,
    latest_version,
    load_release_index,
    unpack,
    version_key,
)

REGISTRY_FILE = "registry.json"


class DownloadError(Exception):
    """A release could not be fetched or failed verification; the message says what to do."""


def known_releases(base: str | None, folder: Path, root: Path | None = None) -> dict[str, dict[str, Any]]:
    """The releases this install knows, with those the host's registry adds (and, when the host
    cannot be reached, those its registry added before)."""
    releases: dict[str, dict[str, Any]] = dict(load_release_index(root)["releases"])
    cached = folder / REGISTRY_FILE
    sources: list[tuple[str, dict[str, Any]]] = []
    if cached.is_file():
        sources.append((str(cached), _parse(read_bytes(cached), str(cached))))
    fetched = _fetch_registry(base, folder) if base and "{version}" not in base else None
    if fetched is not None:
        sources.append((base + REGISTRY_FILE, _parse(fetched, base + REGISTRY_FILE)))  # type: ignore[operator]
    for where, registry in sources:
        for version, entry in registry.items():
            if version in releases and releases[version]["sha256"] != entry.get("sha256"):
                raise DownloadError(
                    f"{where} gives release {version} the SHA-256 {entry.get('sha256')}, but it is "
                    f"{releases[version]['sha256']}: that registry has been altered and is not used"
                    + (f"; delete {cached} if it is the cached copy" if where == str(cached) else ""))
            releases.setdefault(version, entry)
    if fetched is not None:
        write_bytes(cached, fetched)
    return releases


def _fetch_registry(base: str, folder: Path) -> bytes | None:
    """The host's registry, or None when it cannot be reached (then the bundled and cached ones serve)."""
    import pooch

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        target = Path(tmp) / REGISTRY_FILE
        try:
            pooch.HTTPDownloader(progressbar=False)(base + REGISTRY_FILE, str(target), None)
        except Exception:  # unreachable, 404: the host may not publish one yet
            return None
        return read_bytes(target)


def _parse(data: bytes, where: str) -> dict[str, dict[str, Any]]:
    try:
        releases = json.loads(data)["releases"]
        # Versions are X.Y.Z and each archive has the one name a release gives it: a registry cannot
        # send a download (or --force's deletion) to another path.
        assert all(re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", v) and e["file"] == archive_name(v)
                   and re.fullmatch(r"[0-9a-f]{64}", e["sha256"]) for v, e in releases.items())
    except (ValueError, KeyError, TypeError, AssertionError, AttributeError) as exc:
        raise DownloadError(f"{where} is not a registry of releases (versions X.Y.Z, archives named as "
                            f"releases name them, SHA-256 in hex): {exc!r}") from exc
    return dict(releases)


def fetch(version: str | None = None, base_url: str | None = None, cache: str | Path | None = None,
          progress: bool = True, root: Path | None = None, force: bool = False) -> DataPackage:
    """Download (or reuse from the cache, checked again) the release archive of a version and
    return its unpacked package. Without a version, the latest release the host or this install knows."""
    import pooch

    base = base_url or os.environ.get("NKCP_BASE_URL")
    if base:
        base = base.rstrip("/") + "/" if "{version}" not in base else base
    folder = cache_dir(cache)
    releases = known_releases(base, folder, root)
    version = version or latest_version({"releases": releases})
    if version is None or version not in releases:
        known = ", ".join(sorted(releases, key=version_key)) or "none"
        raise DownloadError(f"unknown version {version!r}; released versions: {known}")
    entry = releases[version]
    unpacked = folder / f"{NAME}-{version}"
    archive = folder / entry["file"]
    if not force and (unpacked / "datapackage.json").is_file() and archive.is_file():
        _verify_cached(archive, entry["sha256"], unpacked, version)
        return DataPackage(unpacked)
    if not base:
        raise DownloadError("no download location: pass --base-url or set NKCP_BASE_URL to where release archives are published")
    if force:  # only once there is somewhere to fetch it from again
        shutil.rmtree(unpacked, ignore_errors=True)
        archive.unlink(missing_ok=True)
    where = base.format(version=version).rstrip("/") + "/"
    fetcher = pooch.create(path=folder, base_url=where, registry={entry["file"]: f"sha256:{entry['sha256']}"})
    try:
        archive = Path(fetcher.fetch(archive_name(version), progressbar=progress))
    except ValueError as exc:  # pooch: hash mismatch; the bad download is discarded
        raise DownloadError(f"the download of {version} failed verification and was discarded: {exc}") from exc
    except Exception as exc:  # network errors of any kind
        raise DownloadError(f"could not download {where}{entry['file']}: {exc}") from exc
    shutil.rmtree(unpacked, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=folder))
    try:
        top = unpack(archive, staging)
        _verify_sums(top, _sums(archive, version), version)
        os.replace(top, unpacked)
    except (ReleaseError, tarfile.TarError, ValueError) as exc:  # verified bytes, yet no release archive
        raise DownloadError(f"the archive of {version} cannot be unpacked as a release: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return DataPackage(unpacked)


def _verify_cached(archive: Path, sha256: str, unpacked: Path, version: str) -> None:
    """The cached archive against the registry, and every unpacked file against the archive's SHA256SUMS."""
    if sha256_file(archive) != sha256:
        raise DownloadError(f"the cached archive {archive} of {version} does not match its SHA-256: "
                            "fetch it again with 'nkcp download --force'")
    _verify_sums(unpacked, _sums(archive, version), version)


def _sums(archive: Path, version: str) -> bytes:
    sums = read_member(archive, "/SHA256SUMS")
    if sums is None:
        raise DownloadError(f"the archive of {version} holds no SHA256SUMS: it is not a release archive")
    return sums


def _verify_sums(folder: Path, sums: bytes, version: str) -> None:
    for line in sums.decode("utf-8", "replace").splitlines():
        digest, _, rel = line.partition("  ")
        if not rel or ".." in Path(rel).parts or Path(rel).is_absolute():
            raise DownloadError(f"SHA256SUMS of release {version} holds a line that is no 'digest  path': {line[:80]!r}")
        path = folder / rel
        if not path.is_file() or sha256_file(path) != digest:
            raise DownloadError(f"{path} of release {version} does not match SHA256SUMS: it was changed or removed "
                                "after download; fetch it again with 'nkcp download --force'")
