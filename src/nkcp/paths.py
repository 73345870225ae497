"""Where things live: the repository root (curated inputs), the schema, and the built outputs.

Commands act on the repository that contains the current directory (like git), or on the one
named by `--root`/`NKCP_ROOT`. The schema is read from the repository when there is one and from
the copy bundled in the installed package otherwise, so `nkcp.load` works after `pip install`.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"  # the wheel's copy of the schema, the current release and its index
MARKER = Path("schema") / "tables.yaml"

# Every fixed path of a repository, relative to its root, written once.
SCHEMA_DIR = "schema"
RECORDS_DIR = "records"
BUILD_DIR = "build"
PACKAGE_FILE = "datapackage.json"
RELEASES_DIR = "releases"
RELEASE_INDEX = "releases/registry.json"
DRAFTS_DIR = "drafts"
CITATION_FILE = "CITATION.cff"
ZENODO_FILE = ".zenodo.json"
CHANGELOG_FILE = "CHANGELOG.md"
LOCK_FILE = ".nkcp-build.lock"
STAGING_PREFIX = ".nkcp-staging-"


def find_root(start: Path | None = None) -> Path | None:
    env = os.environ.get("NKCP_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / MARKER).is_file() and (candidate / "records").is_dir():
            return candidate
    return None


def repo_root(start: Path | None = None) -> Path:
    root = find_root(start)
    if root is None:
        raise FileNotFoundError(
            "no nk-collective-punishment repository here: run inside a clone or pass --root")
    return root


def schema_dir(root: Path | None = None) -> Path:
    if root is not None and (root / MARKER).is_file():
        return root / "schema"
    bundled = DATA_DIR / "schema"
    if (bundled / "tables.yaml").is_file():
        return bundled
    found = find_root()
    if found is not None:
        return found / "schema"
    source_tree = PACKAGE_DIR.parent.parent / "schema"
    if (source_tree / "tables.yaml").is_file():
        return source_tree
    raise FileNotFoundError("schema/ not found in the repository or the installed package")
