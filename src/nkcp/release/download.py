"""Downloading a release with pooch: registry of versions with SHA-256, cache, progress bar.

The registry (`releases/registry.json`, bundled in the package) pins every archive's SHA-256, so
pooch verifies each download and keeps nothing that fails: a corrupt or truncated file leaves
the cache as it was. Archives are unpacked into a temporary folder beside the cache entry and
renamed into place, and SHA256SUMS inside the archive is checked member by member. The base URL
is never guessed: it comes from --base-url or NKCP_BASE_URL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from nkcp.io.files import read_text, sha256_file
from nkcp.release.package import DataPackage
from nkcp.release.registry import archive_name, cache_dir, latest_version, load_release_index, unpack


class DownloadError(Exception):
    """A release could not be fetched or failed verification; the message says what to do."""




def fetch(version: str | None = None, base_url: str | None = None, cache: str | Path | None = None,
          progress: bool = True, root: Path | None = None) -> DataPackage:
    """Download (or reuse from the cache) the release archive of a version and return its package.

    The registry is the installed package's, or that of the repository at `root`."""
    import pooch

    registry = load_release_index(root)
    version = version or latest_version(registry)
    if version is None or version not in registry["releases"]:
        known = ", ".join(sorted(registry["releases"])) or "none"
        raise DownloadError(f"unknown version {version!r}; released versions: {known}")
    base = base_url or os.environ.get("NKCP_BASE_URL")
    if not base:
        raise DownloadError("no download location: pass --base-url or set NKCP_BASE_URL to where release archives are published")
    base = base.format(version=version).rstrip("/") + "/"
    entry = registry["releases"][version]
    folder = cache_dir(cache)
    unpacked = folder / f"nk-collective-punishment-{version}"
    if (unpacked / "datapackage.json").is_file():
        return DataPackage(unpacked)
    fetcher = pooch.create(path=folder, base_url=base, registry={entry["file"]: f"sha256:{entry['sha256']}"})
    try:
        archive = Path(fetcher.fetch(archive_name(version), progressbar=progress))
    except ValueError as exc:  # pooch: hash mismatch; the bad download is discarded
        raise DownloadError(f"the download of {version} failed verification and was discarded: {exc}") from exc
    except Exception as exc:  # network errors of any kind
        raise DownloadError(f"could not download {base}{entry['file']}: {exc}") from exc
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=folder))
    try:
        root = unpack(archive, staging)
        _verify_sums(root)
        os.replace(root, unpacked)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return DataPackage(unpacked)


def _verify_sums(root: Path) -> None:
    for line in read_text(root / "SHA256SUMS").splitlines():
        digest, rel = line.split("  ", 1)
        if sha256_file(root / rel) != digest:
            raise DownloadError(f"{rel} in the archive does not match SHA256SUMS")
