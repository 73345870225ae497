"""Cutting a release: the smallest allowed version bump, citation files, CHANGELOG, archive.

A release is refused when an ID of the previous release is missing (retracted records keep
their row), when nothing changed, or when the requested bump is smaller than the change needs
(see diff.py). The archive is deterministic (see io/archive.py) and holds the
data package, the same tables in SQLite for Datasette, the codebook, citation, changelog, data licence and
SHA256SUMS, never captures.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nkcp import TOOLS_VERSION
from nkcp.io.archive import tar_gz_bytes
from nkcp.io.files import json_bytes, read_bytes, read_text, sha256_bytes, write_bytes, write_text
from nkcp.outputs.card.pages import CARD_DIR
from nkcp.outputs.run import build
from nkcp.paths import BUILD_DIR, CHANGELOG_FILE, CITATION_FILE, PACKAGE_FILE, RELEASE_INDEX, RELEASES_DIR
from nkcp.release.card import dataset_card
from nkcp.release.citation import package_metadata, write_citation_files
from nkcp.release.diff import LEVELS, PackageDiff, bump, changed_lines, diff_packages, level_of
from nkcp.release.package import DataPackage
from nkcp.release.registry import NAME, ReleaseError, archive_name, latest_version, load_release_index, unpack

FIRST_VERSION = "0.1.0"
# What a release archive holds, as (path in the archive, path in the repository): a self-describing
# data package, its tables under data/ (the descriptor's paths rewritten to match), never captures.
TABLE_FILES = tuple((f"data/{t}.{ext}", f"build/{t}.{ext}") for t in ("sources", "locations", "quotes", "events",
                                                                      "evidence") for ext in ("csv", "parquet"))
# The same tables in SQLite, with Datasette's metadata: `datasette -i data/nkcp.db -m data/datasette.json`.
DATABASE_FILES = (("data/nkcp.db", "build/nkcp.db"), ("data/datasette.json", "build/datasette.json"))
DOCUMENTS = ("R/nkcp.R", "LICENSE", "LICENSE-DATA", CHANGELOG_FILE)  # in every archive, written by people
ARCHIVE_FILES = (*TABLE_FILES, *DATABASE_FILES, ("CODEBOOK.md", "build/CODEBOOK.md"), (CITATION_FILE, CITATION_FILE),
                 *((rel, rel) for rel in DOCUMENTS))


@dataclass
class Release:
    version: str
    archive: Path
    sha256: str
    size: int
    diff: PackageDiff | None
    commit: str | None = None  # the commit it was cut from
    tag: str | None = None


def card_members(root: Path) -> list[tuple[str, str]]:
    """(name in the archive, path in the repository) of every file of the built dataset card: it
    goes in as card/, beside data/ and CODEBOOK.md, so its relative links work in both places."""
    card = root / BUILD_DIR / CARD_DIR
    return [(f"{CARD_DIR}/{p.relative_to(card).as_posix()}", p.relative_to(root).as_posix())
            for p in sorted(card.rglob("*")) if p.is_file()]


def make_archive(root: Path, version: str) -> bytes:
    """The release archive for the files under root, byte-identical for identical files: its own
    `datapackage.json` (paths under data/), a README dataset card, the static card (card/) and
    SHA256SUMS beside them."""
    members = [*ARCHIVE_FILES, *card_members(root)]
    missing = [rel for _, rel in (*ARCHIVE_FILES, ("", f"{BUILD_DIR}/{CARD_DIR}/index.html"))
               if not (root / rel).is_file()]
    if missing:
        raise ReleaseError(f"a release archive needs {', '.join(missing)}: restore them (git checkout) or run "
                           "nkcp build, and release again")
    files = {name: read_bytes(root / rel) for name, rel in members}
    descriptor = json.loads(read_bytes(root / PACKAGE_FILE))
    for resource in descriptor["resources"]:
        for stated in (resource, resource.get("parquet", {})):
            if str(stated.get("path", "")).startswith(f"{BUILD_DIR}/"):
                stated["path"] = "data/" + stated["path"].removeprefix(f"{BUILD_DIR}/")
    files[PACKAGE_FILE] = json_bytes(descriptor)
    package = DataPackage(root)
    rows = {name: package.rows(name) for name in package.tables()}
    files["README.md"] = dataset_card(package_metadata(root), descriptor, rows).encode("utf-8")
    sums = "".join(f"{sha256_bytes(data)}  {rel}\n" for rel, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    return tar_gz_bytes(files, f"{NAME}-{version}")


def previous_package(root: Path, registry: dict[str, Any], workdir: Path) -> DataPackage | None:
    version = latest_version(registry)
    if version is None:
        return None
    archive = root / RELEASES_DIR / registry["releases"][version]["file"]
    if not archive.is_file():
        raise ReleaseError(f"the previous release archive {archive} is missing: restore it from the release host")
    return DataPackage(unpack(archive, workdir))


def check_previous(root: Path) -> PackageDiff | None:
    """The difference from the previous release to the current build (None before the first release)."""
    with tempfile.TemporaryDirectory() as tmp:
        prev = previous_package(root, load_release_index(root), Path(tmp))
        return None if prev is None else diff_packages(prev, DataPackage(root))


def _set_version(root: Path, version: str, date: str) -> None:
    meta_path = root / "schema" / "package.yaml"
    text = read_text(meta_path)
    text = re.sub(r"(?m)^version: .*$", f"version: {version}", text)
    text = re.sub(r"(?m)^date_released: .*$", f"date_released: '{date}'", text)
    write_text(meta_path, text)
    init = root / "src" / "nkcp" / "__init__.py"
    if init.is_file():
        write_text(init, re.sub(r'(?m)^__version__ = ".*"$', f'__version__ = "{version}"',
                                   read_text(init)))


def changelog_section(version: str, date: str, diff: PackageDiff | None, rows: dict[str, int]) -> str:
    lines = [f"## [{version}] - {date}", ""]
    if diff is None:
        lines.append("First release.")
    else:
        lines.append(f"Changes since {diff.old_version} (required bump: {diff.required_bump()}):")
        lines.append("")
        for name, t in diff.tables.items():
            parts = [f"{len(t.added)} added", f"{len(t.retracted)} retracted", f"{len(t.changed)} changed"]
            lines.append(f"- `{name}`: {', '.join(parts)}")
            for label, items in (("added", t.added), ("retracted", t.retracted)):
                if items:
                    lines.append(f"  - {label}: {', '.join(items)}")
            lines += [f"  - changed {line}" for line in changed_lines(t)]
            for label, by_column in (("tightened", t.constraints_tightened), ("loosened", t.constraints_loosened)):
                lines += [f"  - constraint {label} on {col}: {', '.join(items)}" for col, items in sorted(by_column.items())]
            for label, cols in (("columns added", t.columns_added), ("columns removed", t.columns_removed),
                                ("columns retyped", t.columns_retyped)):
                if cols:
                    lines.append(f"  - {label}: {', '.join(cols)}")
    lines += ["", "Rows: " + ", ".join(f"{name} {count}" for name, count in rows.items()), ""]
    return "\n".join(lines)


def _write_changelog(root: Path, section: str) -> None:
    path = root / CHANGELOG_FILE
    text = read_text(path)
    marker = "## [Unreleased]"
    if marker not in text:
        raise ReleaseError("CHANGELOG.md has no '## [Unreleased]' section to release")
    head, rest = text.split(marker, 1)
    body, sep, tail = rest.partition("\n## [")
    notes = body.strip()
    section = section.rstrip("\n") + ("\n\n" + notes if notes else "") + "\n"
    write_text(path, head + marker + "\n\n" + section + (("\n## [" + tail) if sep else ""))


def cut_release(root: Path, level: str | None = None, version: str | None = None, date: str | None = None) -> Release:
    """Validate and build, compute the smallest allowed bump, then write version, citation, changelog and archive;
    in git, from a clean work tree, then commit and tag them."""
    _check_formats(version, date)
    commit = _clean_commit(root)
    registry = load_release_index(root)
    previous = latest_version(registry)
    if commit and previous:  # before building, so a refusal leaves the work tree as it was
        _check_tools_announced(root, registry["releases"][previous])
    build(root)
    diff = check_previous(root)
    if diff is not None:
        if diff.missing_ids():
            missing = "; ".join(f"{t}: {', '.join(ids)}" for t, ids in diff.missing_ids().items())
            raise ReleaseError(f"IDs of release {previous} are missing: {missing}. "
                               "Retract records (record_status: retracted) instead of deleting them.")
        required = diff.required_bump()
        if required == "none":
            raise ReleaseError(f"nothing changed since {previous}: no release to cut")
    else:
        required = "minor"
    if version is None:
        chosen = level or required
        if LEVELS.index(chosen) < LEVELS.index(required):
            raise ReleaseError(f"a {chosen} release is too small: the changes since {previous} need at least {required}")
        version = FIRST_VERSION if previous is None else bump(previous, chosen)
    elif previous is not None:
        given = level_of(previous, version)
        if LEVELS.index(given) < LEVELS.index(required):
            raise ReleaseError(f"{version} is a {given} step from {previous}: the changes need at least {required}")
    date = date or dt.date.today().isoformat()
    _check_inputs(root, version, date, commit)
    if diff is not None:
        diff.new_version = version
    _set_version(root, version, date)
    result = build(root)
    write_citation_files(root, package_metadata(root))
    _write_changelog(root, changelog_section(version, date, diff, result.rows))
    data = make_archive(root, version)
    archive = root / RELEASES_DIR / archive_name(version)
    write_bytes(archive, data)
    registry["releases"][version] = {"file": archive.name, "sha256": sha256_bytes(data), "bytes": len(data),
                                     "date": date, "tools_version": TOOLS_VERSION,
                                     **({"commit": commit} if commit else {})}
    write_bytes(root / RELEASE_INDEX, json_bytes(registry))
    tag = None
    if commit:  # the release's files in a commit of their own, tagged as the version
        _git(root, "add", "--all")
        _git(root, "commit", "--quiet", "-m", f"Release {version}", "-m", f"Cut from {commit} by nkcp release.")
        tag = f"v{version}"
        _git(root, "tag", "-a", tag, "-m", f"nk-collective-punishment {version}")
    return Release(version, archive, sha256_bytes(data), len(data), diff, commit, tag)


def _check_formats(version: str | None, date: str | None) -> None:
    if version is not None and not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version):
        raise ReleaseError(f"{version!r} is not a version MAJOR.MINOR.PATCH, e.g. 1.2.0")
    try:
        dt.date.fromisoformat(date) if date is not None else None
    except ValueError as exc:
        raise ReleaseError(f"{date!r} is not a date YYYY-MM-DD") from exc


def _check_inputs(root: Path, version: str, date: str, commit: str | None) -> None:
    """Everything a release needs, checked before it writes anything."""
    _check_formats(version, date)
    missing = [rel for rel in DOCUMENTS if not (root / rel).is_file()]
    if missing:
        raise ReleaseError(f"a release archive needs {', '.join(missing)}: restore them (git checkout) and release again")
    if "## [Unreleased]" not in read_text(root / CHANGELOG_FILE):
        raise ReleaseError("CHANGELOG.md has no '## [Unreleased]' section to release")
    if commit:
        _git(root, "var", "GIT_COMMITTER_IDENT")  # refused here, not after writing, when git has no identity
        if _git(root, "tag", "--list", f"v{version}"):
            raise ReleaseError(f"the tag v{version} exists already")


def _check_tools_announced(root: Path, previous: dict[str, Any]) -> None:
    """Tool changes come with a new tools version: a release whose `src/nkcp` differs from the
    previous release's commit while `nkcp.TOOLS_VERSION` has not moved is refused."""
    before, tools = previous.get("commit"), previous.get("tools_version")
    if not before or tools != TOOLS_VERSION:
        return
    diff = _git(root, "diff", "--unified=0", before, "HEAD", "--", "src/nkcp")
    # The release's own commit rewrites __version__ in src/nkcp/__init__.py: that is not a tool change.
    changed = {line[6:] for line in diff.splitlines() if line.startswith("+++ b/")} - (
        {"src/nkcp/__init__.py"} if _only_version_lines(diff, "src/nkcp/__init__.py") else set())
    if changed:
        raise ReleaseError(f"the tools changed since the last release ({len(changed)} files in src/nkcp) "
                           f"but nkcp.TOOLS_VERSION is still {TOOLS_VERSION}: bump it (semantic versioning of the "
                           "command and API) and list the changes under the CHANGELOG's Tools heading")


def _only_version_lines(diff: str, path: str) -> bool:
    """Whether the changes to one file in a unified diff are only `__version__ = ...` lines."""
    section = diff.split(f"+++ b/{path}\n", 1)[1].split("\ndiff --git", 1)[0] if f"+++ b/{path}\n" in diff else ""
    changes = [line for line in section.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return all(re.match(r'^[+-]__version__ = "[^"]*"$', line) for line in changes)


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def _clean_commit(root: Path) -> str | None:
    """The commit a release is cut from (None outside git); refused when the work tree holds
    changes, so that the recorded commit is what the release was made of."""
    inside = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                            check=False)
    if inside.returncode != 0 or Path(inside.stdout.strip()).resolve() != root.resolve():
        return None
    if _git(root, "status", "--porcelain"):
        raise ReleaseError("the work tree has uncommitted changes: commit them first, so the release "
                           "records the commit it was cut from")
    return _git(root, "rev-parse", "HEAD")
