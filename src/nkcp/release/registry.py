"""The registry of releases and their archives: which versions exist, and each one's data on disk.

It needs none of the contributors' tools: a reader's light install (pandas, pyarrow, pooch)
reads releases through this module.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile  # noqa: TID251 - only its error type, to report an archive that is none
import tempfile
from pathlib import Path
from typing import Any

from nkcp import __version__
from nkcp.io.archive import unpack_tar_gz
from nkcp.io.files import read_bytes, read_text, sha256_bytes
from nkcp.paths import DATA_DIR, PACKAGE_DIR, PACKAGE_FILE, RELEASE_INDEX, RELEASES_DIR, find_root
from nkcp.release.package import DataPackage

NAME = "nk-collective-punishment"


class ReleaseError(Exception):
    """A release that must not be cut or cannot be read, with the reason and what to do."""


def registry_path(root: Path | None) -> Path:
    """The registry of releases: the repository's, or the copy bundled in the installed package."""
    if root is not None:
        return root / RELEASE_INDEX
    bundled = PACKAGE_DIR / "releases.json"
    if bundled.is_file():
        return bundled
    return PACKAGE_DIR.parent.parent / RELEASE_INDEX


def load_release_index(root: Path | None = None) -> dict[str, Any]:
    path = registry_path(root)
    if not path.is_file():
        return {"releases": {}}
    data: dict[str, Any] = json.loads(read_text(path))
    return data


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


def latest_version(registry: dict[str, Any]) -> str | None:
    versions = sorted(registry["releases"], key=version_key)
    return versions[-1] if versions else None


def archive_name(version: str) -> str:
    return f"{NAME}-{version}.tar.gz"


def unpack(archive: Path, dest: Path) -> Path:
    """Unpack a release archive safely (no absolute paths, links or escapes) and return its root."""
    tops = unpack_tar_gz(archive, dest)
    if len(tops) != 1:
        raise ReleaseError(f"{archive} does not hold exactly one top-level folder")
    return dest / tops[0]


def open_package(path: Path, workdir: Path) -> DataPackage | None:
    """A release archive (unpacked into workdir) or a folder holding datapackage.json; None if neither."""
    if path.is_file():
        try:
            return DataPackage(unpack(path, workdir))
        except (OSError, ReleaseError, tarfile.TarError):
            return None
    return DataPackage(path) if (path / PACKAGE_FILE).is_file() else None


def cache_dir(path: str | Path | None = None) -> Path:
    import pooch

    return Path(path or os.environ.get("NKCP_CACHE") or pooch.os_cache("nkcp"))


def installed_release() -> Path:
    """The folder of the release whose number the package has (`nkcp.__version__`).

    An installed wheel carries it unpacked. A checkout unpacks it once from `releases/` into the
    cache, after checking the archive's SHA-256, so that a checkout too loads a released version,
    never the working tree's unreleased `build/`."""
    if (DATA_DIR / "release" / PACKAGE_FILE).is_file():
        return DATA_DIR / "release"
    root = find_root() or PACKAGE_DIR.parent.parent
    entry = load_release_index(root)["releases"].get(__version__)
    if entry is None:
        raise ReleaseError(f"{__version__} is not in {RELEASE_INDEX}: this checkout has no release of its version")
    data = read_bytes(root / RELEASES_DIR / entry["file"])
    if sha256_bytes(data) != entry["sha256"]:
        raise ReleaseError(f"{RELEASES_DIR}/{entry['file']} does not match its SHA-256 in {RELEASE_INDEX}")
    target = cache_dir() / f"checkout-{entry['sha256'][:16]}"
    if not (target / PACKAGE_FILE).is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
        try:
            os.replace(unpack(root / RELEASES_DIR / entry["file"], staging), target)
        except OSError:
            if not (target / PACKAGE_FILE).is_file():  # else another process unpacked it first
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target
