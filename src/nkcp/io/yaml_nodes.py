"""All file reading and writing: YAML with line numbers, canonical YAML, captures, CSV, Parquet, JSON.

Keeping I/O in one module means one place decides encodings, newline conventions, size limits
and atomic replacement. YAML is parsed with PyYAML's libyaml composer (C) into nodes rather than
Python objects: no tag ever constructs an object, every value keeps its line number for error
messages, and scalars keep their raw text so that YAML 1.1 surprises (`no` -> False, `010` -> 8)
are caught and reported by the record checks instead of silently changing a value.

Hostile input is stopped before PyYAML's composer sees it: the event stream (libyaml's parser,
which keeps its own stack and never recurses) is scanned first, and a file with an anchor, an
alias or nesting deeper than `MAX_YAML_DEPTH` is refused there. The C composer recurses once per
nesting level and crashes the interpreter (SIGSEGV) near 100,000 levels, and libyaml's parser is
quadratic in depth, so the scan stops at the first level too deep. Every scalar is then checked
after escape processing too, so `"\u202e"` or `"\0"` written as escapes is caught like the raw
character.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import hashlib
import io as _io
import json
import os
import pickle  # nosec B403 - only for the local validation cache
import re
import shutil
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from nkcp.problems import Problems

if TYPE_CHECKING:
    import yaml

MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 8  # levels of nesting below the top-level mapping
MAX_REPORTED_ALIASES = 20  # per file: an alias bomb gets a summary line, not a million lines
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_STR_TAG = "tag:yaml.org,2002:str"
# First characters for which the YAML 1.1 resolver has an implicit rule (it has no wildcard rule),
# written out so that reading canonical files needs no import of yaml; tests/test_io.py holds it
# to PyYAML's table.
_RESOLVED_FIRST = frozenset("!&*+-.0123456789<=FNOTYfnoty~")


# yaml is imported where YAML is read, not with this module: `nkcp check-package` reads no YAML,
# and importing PyYAML is about 0.02 s of its start-up.
@functools.cache
def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _resolver() -> Any:
    import yaml

    return yaml.resolver.Resolver()


# Characters that can hide or reorder text: bidirectional controls and zero-width characters.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters (tab included), the Unicode line and paragraph separators (which YAML and
# many CSV readers treat as line breaks) and the noncharacters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


# --------------------------------------------------------------------------------------------
# YAML nodes with lines
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Scalar:
    """A YAML scalar as written: its text, resolved tag, whether it was unquoted, and its line."""

    text: str
    tag: str
    plain: bool
    line: int


@dataclass(slots=True)
class Mapping:
    """A YAML mapping: key -> (line of the key, value node), in file order."""

    line: int
    items: dict[str, tuple[int, YNode]] = field(default_factory=dict)


@dataclass(slots=True)
class Sequence_:
    """A YAML sequence of nodes."""

    line: int
    items: list[YNode] = field(default_factory=list)


YNode = Union[Scalar, Mapping, Sequence_]


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"


def check_text_file(raw: bytes, rel: str, problems: Problems, limit: int = MAX_YAML_BYTES) -> str | None:
    """Decode a curated text file, reporting every encoding hazard with its line; None if unusable."""
    if len(raw) > limit:
        problems.add(rel, 1, "file-too-large", f"file is over the limit of {limit} bytes",
                     "split the file or remove the bulk; curated records are small")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(rel, 1, "byte-order-mark", "file starts with a UTF-8 byte-order mark",
                     "save as UTF-8 without BOM")
        return None
    if not raw.translate(None, _PRINTABLE_ASCII):
        return raw.decode("ascii")  # printable ASCII and LF only: none of the checks below can fire
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(rel, raw[: exc.start].count(b"\n") + 1, "invalid-utf8", f"bytes at offset {exc.start} are not valid UTF-8",
                     "save the file as UTF-8")
        return None
    if "\r" not in text and not _CONTROL.search(text) and not _INVISIBLE.search(text) \
            and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text  # the common case, checked on the whole text at once; lines only to locate a fault
    ok = True
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            problems.add(rel, lineno, "crlf", "line ends with CR LF", "use LF line endings (run nkcp format)")
            ok = False
            line = line[:-1]
        m = _CONTROL.search(line)
        if m:
            problems.add(rel, lineno, "control-character",
                         f"control character U+{ord(m.group()):04X} at column {m.start() + 1}",
                         "remove it; tabs and control characters are not allowed")
            ok = False
        m = _INVISIBLE.search(line)
        if m:
            problems.add(rel, lineno, "invisible-character",
                         f"bidirectional or zero-width character U+{ord(m.group()):04X} at column {m.start() + 1}",
                         "remove it: it can hide or reorder text")
            ok = False
        if not unicodedata.is_normalized("NFC", line):
            problems.add(rel, lineno, "not-nfc", "text is not in Unicode normalization form NFC",
                         "normalize the text to NFC (composed characters)")
            ok = False
    return text if ok else None


def _syntax_problem(exc: yaml.YAMLError, rel: str, problems: Problems) -> None:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problems.add(rel, line, "yaml-syntax", str(getattr(exc, "problem", None) or exc),
                 "check indentation and quoting")


def prescan_yaml(text: str, rel: str, problems: Problems) -> bool:
    """Scan the event stream before composing: refuse anchors, aliases and deep nesting.

    Returns False when the text must not be composed. Stops at the first level too deep (the
    parser's cost grows with the square of the depth); lists at most MAX_REPORTED_ALIASES
    anchors and aliases per file, then one line that counts the rest.
    """
    import yaml

    depth, aliases, ok = 0, 0, True
    try:
        for event in yaml.parse(text, Loader=_loader()):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                aliases += 1
                ok = False
                if aliases <= MAX_REPORTED_ALIASES:
                    kind = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                    problems.add(rel, line, "yaml-alias", f"YAML {kind}{anchor[:40]} is not allowed",
                                 "write the value out in full; anchors and aliases are refused")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH + 1:
                    problems.add(rel, line, "yaml-too-deep", f"nesting deeper than {MAX_YAML_DEPTH} levels",
                                 "records are flat mappings with short lists")
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):  # libyaml's scanner refuses ~1000 open flow levels itself
            mark = getattr(exc, "problem_mark", None)
            problems.add(rel, mark.line + 1 if mark is not None else 1, "yaml-too-deep",
                         f"nesting deeper than {MAX_YAML_DEPTH} levels", "records are flat mappings with short lists")
        else:
            _syntax_problem(exc, rel, problems)
        return False
    if aliases > MAX_REPORTED_ALIASES:
        problems.add(rel, 1, "yaml-alias",
                     f"{aliases - MAX_REPORTED_ALIASES} more anchors and aliases in this file are not listed")
    return ok


def parse_yaml(text: str, rel: str, problems: Problems) -> YNode | None:
    """Compose YAML into line-numbered nodes; report syntax errors, aliases, tags, duplicate keys."""
    import yaml

    if not prescan_yaml(text, rel, problems):
        return None
    try:
        root = yaml.compose(text, Loader=_loader())  # nosec: composing builds nodes, never objects
    except yaml.YAMLError as exc:
        _syntax_problem(exc, rel, problems)
        return None
    if root is None:
        problems.add(rel, 1, "empty-file", "file holds no YAML document")
        return None
    seen: set[int] = set()
    before = len(problems)
    node = _convert(root, rel, problems, seen, 0)
    return node if len(problems) == before else None


# One line of a canonical file: indentation, an optional "- " item marker, a key, and a value
# (absent when a block follows). Anything else sends the file to the full parser.
_CANONICAL_LINE = re.compile(r"( *)(- )?([A-Za-z0-9_]+):(?: (.+))?")


# The split of short lines already seen: most lines of a record recur in others
# ("record_status: reviewed", "is_speaker_inferred: false"), and a dictionary lookup costs a tenth
# of matching the line again. Bounded: emptied when full, and only before a file, so that the
# lines of one file share their values the same way whatever was read before (a file's link
# digest pickles its rows, and pickle writes a shared value differently from equal copies).
Line = tuple[int, bool, str, str | None]  # the column of its key, whether "- " marks it, key, value
_SEEN_LINES: dict[str, Line] = {}
_SEEN_MAX = 1 << 16


def parse_canonical(text: str) -> Mapping | None:
    """Parse a file written the way dump_canonical writes, in one pass over its lines; None for
    anything else (comments, double quotes, flow mappings, multi-line values).

    Why: composing with libyaml and converting the nodes costs about four times as much, and
    curated files are canonical. canonical_rows.py reads files with the same pieces
    (canonical_lines, canonical_value, canonical_block) a field at a time, and trusts what it
    reads only when each field writes back to exactly its lines: dump_canonical writes only YAML
    that libyaml reads as the dumped values, so an exact round trip proves that libyaml would
    have read the same values from the same lines. tests/test_canonical_parser.py holds the
    writer to libyaml (a review found ":?" in a flow item, which libyaml refuses, written plain;
    flow items with a colon are now quoted), and this whole-file form to parse_yaml, node for node.
    """
    split = canonical_lines(text)
    if split is None:
        return None
    parsed = split[1]
    node, end = _canonical_mapping(parsed, 0, 0, False)
    return node if end == len(parsed) else None


def canonical_lines(text: str) -> tuple[list[str], list[Line]] | None:
    """A file's lines, and each split as parse_canonical reads it; None if a line is of a form
    the canonical writer never writes (or the file does not end with a line feed)."""
    lines = text.split("\n")
    if lines.pop() != "":
        return None
    parsed: list[Line] = []
    seen = _SEEN_LINES
    if len(seen) >= _SEEN_MAX:
        seen.clear()
    for line in lines:
        entry = seen.get(line)
        if entry is None:
            m = _CANONICAL_LINE.fullmatch(line)
            if m is None or implicit_key_tag(m[3]) != _STR_TAG:
                return None
            entry = (len(m[1]) + (2 if m[2] else 0), m[2] is not None, m[3], m[4])
            if len(line) <= _RECURRING:
                seen[line] = entry
        parsed.append(entry)
    return lines, parsed


@functools.lru_cache(maxsize=4096)
def implicit_key_tag(key: str) -> str:
    return implicit_tag(key)


def _canonical_mapping(parsed: list[Line], i: int, column: int,
                       item: bool) -> tuple[Mapping | None, int]:
    """The mapping whose keys start at `column` from line i (an item of a block list if `item`)."""
    if column > 2 * MAX_YAML_DEPTH:
        return None, i  # deeper than any record: the full parser reports it
    out = Mapping(i + 1)
    items = out.items
    start = i
    end = len(parsed)
    while i < end:
        col, dash, key, value = parsed[i]
        if col != column:
            if col < column:
                break  # the block ends
            return None, i
        if dash != (item and i == start):
            if dash:
                break  # the next item of the enclosing list begins
            return None, i  # an item's first key must carry the dash
        if key in items:
            return None, i
        i += 1
        line = i
        node = canonical_value(value, line) if value is not None else None
        if node is None:
            if value is not None:
                return None, i
            node, i = canonical_block(parsed, i, column)
            if node is None:
                return None, i
        items[key] = (line, node)
    return out, i


def canonical_block(parsed: list[Line], i: int, column: int) -> tuple[Mapping | Sequence_ | None, int]:
    """The value written below a key at `column` whose line holds none, from line i: a mapping,
    or a list of mappings; None for anything else. Returns it and the index after it."""
    if i >= len(parsed) or parsed[i][0] != column + 2:
        return None, i
    if not parsed[i][1]:
        return _canonical_mapping(parsed, i, column + 2, False)
    seq = Sequence_(i + 1)
    while i < len(parsed) and parsed[i][0] == column + 2 and parsed[i][1]:
        child, i = _canonical_mapping(parsed, i, column + 2, True)
        if child is None:
            return None, i
        seq.items.append(child)
    return seq, i


def canonical_value(value: str, line: int) -> YNode | None:
    """The node of a value written on its key's line (a plain or single-quoted scalar, or a flow
    list of plain or single-quoted items); None for any other form."""
    first = value[0]
    if first not in _NOT_PLAIN_FIRST:  # the common case first: a plain scalar
        if value != value.strip():
            return None
        return Scalar(value, _STR_TAG if first not in _RESOLVED_FIRST else implicit_tag(value), True, line)
    if first == "[":
        if not value.endswith("]"):
            return None
        inner = value[1:-1]
        items: list[YNode] = []
        at = 0
        while at < len(inner):  # items as the writer separates them: ", "
            m = _FLOW_ITEM.match(inner, at)
            if m is None:
                return None
            if m[1] is not None:
                items.append(Scalar(m[1].replace("''", "'"), _STR_TAG, False, line))
            elif m[2] != m[2].strip():
                return None
            else:
                items.append(Scalar(m[2], implicit_tag(m[2]), True, line))
            at = m.end()
            if at < len(inner):
                if not inner.startswith(", ", at) or at + 2 == len(inner):
                    return None
                at += 2
        return Sequence_(line, items)
    if first == "'":
        inner = value[1:-1]
        if len(value) < 2 or not value.endswith("'") or "'" in inner.replace("''", ""):
            return None
        return Scalar(inner.replace("''", "'"), _STR_TAG, False, line)
    return None


_NOT_PLAIN_FIRST = frozenset("['\"{]}&*!|>%@`#")  # a flow list, a quoted value, or not canonical
# An item of a flow list: single-quoted ('' for a quote), or plain up to the next comma. What this
# reads is trusted only once it writes back to the same text (canonical_rows.py).
_FLOW_ITEM = re.compile(r"'((?:[^']|'')*)'|([^,'\"\[\]{}][^,\[\]{}]*)")


def _convert(node: yaml.Node, rel: str, problems: Problems, seen: set[int], depth: int) -> YNode:
    import yaml

    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.add(rel, line, "yaml-alias", "YAML anchors and aliases are not allowed",
                     "write the value out in full")
        return Scalar("", "tag:yaml.org,2002:null", True, line)
    seen.add(id(node))
    if depth > MAX_YAML_DEPTH:
        problems.add(rel, line, "yaml-too-deep", f"nesting deeper than {MAX_YAML_DEPTH} levels")
        return Scalar("", "tag:yaml.org,2002:null", True, line)
    if node.tag not in _STANDARD_TAGS:
        problems.add(rel, line, "yaml-tag", f"YAML tag {node.tag!r} is not allowed",
                     "remove the tag; records hold plain values only")
        return Scalar("", "tag:yaml.org,2002:null", True, line)
    if isinstance(node, yaml.ScalarNode):
        check_value_text(node.value, rel, line, problems)
        return Scalar(node.value, node.tag, node.style in (None, ""), line)
    if isinstance(node, yaml.SequenceNode):
        return Sequence_(line, [_convert(n, rel, problems, seen, depth + 1) for n in node.value])
    out = Mapping(line)
    for key_node, value_node in node.value:
        kline = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            problems.add(rel, kline, "yaml-key", "mapping keys must be plain strings",
                         "merge keys (<<) and complex keys are not allowed")
            continue
        check_value_text(key_node.value, rel, kline, problems)
        if key_node.value in out.items:
            problems.add(rel, kline, "duplicate-key",
                         f"key {key_node.value!r} appears twice (first on line {out.items[key_node.value][0]})",
                         "keep one of them")
            continue
        out.items[key_node.value] = (kline, _convert(value_node, rel, problems, seen, depth + 1))
    return out


def check_value_text(text: str, rel: str, line: int, problems: Problems) -> bool:
    """The raw-text hazards, checked again on a scalar's value after YAML escapes are applied."""
    ok = True
    m = _CONTROL.search(text)
    if m:
        problems.add(rel, line, "control-character",
                     f"value holds control character U+{ord(m.group()):04X} (written as an escape)",
                     "remove it; tabs and control characters are not allowed")
        ok = False
    m = _INVISIBLE.search(text)
    if m:
        problems.add(rel, line, "invisible-character",
                     f"value holds bidirectional or zero-width character U+{ord(m.group()):04X} (written as an escape)",
                     "remove it: it can hide or reorder text")
        ok = False
    if not unicodedata.is_normalized("NFC", text):
        problems.add(rel, line, "not-nfc", "value is not in Unicode normalization form NFC (written with escapes)",
                     "normalize the text to NFC (composed characters)")
        ok = False
    return ok


def implicit_tag(text: str) -> str:
    """The tag a YAML 1.1 parser would give this text written unquoted."""
    if text and text[0] not in _RESOLVED_FIRST:  # the resolver looks only at these first characters
        return _STR_TAG
    return _resolved_tag(text) if len(text) <= _RECURRING else _resolve(text)


_RECURRING = 64  # values that recur (true, dates, IDs, vocabulary words) are short; only these are kept


def _resolve(text: str) -> str:
    import yaml

    return str(_resolver().resolve(yaml.ScalarNode, text, (True, False)))


@functools.lru_cache(maxsize=1 << 16)
def _resolved_tag(text: str) -> str:
    """The resolver's answer (2 µs: a loop over regular expressions), kept for the short values
    that recur in every record: true, false, dates, vocabulary words starting with a resolver letter."""
    return _resolve(text)


# --------------------------------------------------------------------------------------------
# Canonical YAML
# --------------------------------------------------------------------------------------------
_PLAIN_OK = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")


def _scalar(value: Any, flow: bool = False) -> str:
    """A value written plain when every YAML 1.1 parser reads it back as this string (in a flow
    list also without , [ ] { }, which end an item there, and without a colon, as both PyYAML
    loaders refuse ":?" in a flow item), else single-quoted."""
    if type(value) is str:
        return _text_scalar(value, flow) if len(value) <= _RECURRING else _write_text(value, flow)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return _write_text(str(value), flow)


@functools.lru_cache(maxsize=1 << 16)
def _text_scalar(text: str, flow: bool) -> str:
    """_write_text kept for the short values that recur (vocabulary words, IDs, dates): the
    canonical check writes every value of every record back."""
    return _write_text(text, flow)


def _write_text(text: str, flow: bool) -> str:
    if (
        text
        and _PLAIN_OK.fullmatch(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and not (flow and any(c in text for c in ",[]{}:"))
        and implicit_tag(text) == "tag:yaml.org,2002:str"
    ):
        return text
    return "'" + text.replace("'", "''") + "'"


def dump_canonical(data: dict[str, Any]) -> str:
    """Write a record the one canonical way: keys in the given order, lists of scalars in flow style,
    strings plain when safe and single-quoted otherwise, no line wrapping, LF endings."""
    lines: list[str] = []
    _dump_mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def field_lines(key: str, value: Any, column: int, dashed: bool) -> list[str]:
    """The lines dump_canonical writes for one field of a mapping whose keys are at `column`
    (`dashed`: the first field of a list item, after "- "). A field's lines depend on nothing
    else, which is what lets a file be checked a field at a time (canonical_rows.py)."""
    lines: list[str] = []
    _dump_mapping({key: value}, column, lines, " " * (column - 2) + "- " if dashed else "")
    return lines


def _dump_mapping(data: dict[str, Any], indent: int, lines: list[str], first_prefix: str = "") -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(data.items()):
        prefix = first_prefix if i == 0 and first_prefix else pad
        if type(value) is str:  # most values: _scalar's first case, without its call
            written = _text_scalar(value, False) if len(value) <= _RECURRING else _write_text(value, False)
            lines.append(f"{prefix}{key}: {written}")
        elif isinstance(value, dict):
            if not value:
                lines.append(f"{prefix}{key}: {{}}")
                continue
            lines.append(f"{prefix}{key}:")
            _dump_mapping(value, indent + 2, lines)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{prefix}{key}:")
            for item in value:
                _dump_mapping(item, indent + 2, lines, first_prefix=pad + "- ")
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}: [" + ", ".join(_scalar(v, flow=True) for v in value) + "]")
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")


# --------------------------------------------------------------------------------------------
# Captures, checksums
# --------------------------------------------------------------------------------------------
def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes; with a limit, at most that many (so an oversized file is never read whole)."""
    if limit is None:
        return path.read_bytes()
    # Asking for the file's size plus one byte, not for the limit: a buffered read of the limit
    # allocated and shrank a megabyte for every record file (os.read also skips the buffered
    # file object: 121k files read in 0.8 s instead of 1.15 s). The loop goes on to end of file or
    # to the limit, so a short read or a file that grew since fstat still gives every byte.
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        data = os.read(fd, min(limit, os.fstat(fd).st_size + 1))
        while len(data) < limit:
            more = os.read(fd, min(limit - len(data), 1 << 16))  # os.read allocates what it is asked for
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_yaml_plain(path: Path) -> Any:
    """Load a trusted project file (the schema) as plain Python objects with the safe C loader."""
    import yaml

    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_loader())  # noqa: S506 - CSafeLoader is the safe loader


def read_pickle(path: Path) -> Any:
    """A cache written by write_pickle, or None when it is missing or unreadable (a cache is never
    worth an error). Only ever called on files this package wrote outside the repository."""
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)  # noqa: S301 - our own cache, kept outside any repository
    except Exception:  # a truncated or foreign cache is simply ignored
        return None


def write_pickle(path: Path, obj: Any) -> None:
    """Write a cache atomically (temporary file, then rename): concurrent runs never see half a file.
    Never fails: a cache is not worth an error."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a cache that cannot be written (disk full, folder removed meanwhile) is skipped
        with contextlib.suppress(OSError):
            tmp.unlink()


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------
def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """RFC 4180 CSV: UTF-8, CRLF record separators, fields quoted only when needed."""
    buf = _io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def csv_columns_bytes(header: Sequence[str], columns: Sequence[Any]) -> bytes:
    """The bytes csv_bytes gives for these rows, made a column at a time by Arrow (`columns`:
    string arrays of equal length, no nulls). Why: at 100k events the csv module took 3.1 s for
    the four tables, this 1.4 s (quotations 1.8 against 0.8 s); Arrow's own CSV writer quotes
    every string, which would change every file. Quoted as the csv module quotes (QUOTE_MINIMAL,
    CRLF): a cell holding a comma, a double quote, a CR or an LF, and the empty cell of a
    one-column row; quotes inside are doubled.
    tests/test_tables.py holds it to csv_bytes."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    head = csv_bytes(header, [])
    if not columns or len(columns[0]) == 0:
        return head
    quote, comma, nothing, eol = (pa.scalar(s, pa.large_string()) for s in ('"', ",", "", "\r\n"))
    cells = []
    for column in columns:
        column = pc.cast(column, pa.large_string())
        special = pc.match_substring_regex(column, r'[,"\r\n]')
        if len(columns) == 1:
            special = pc.or_(special, pc.equal(column, nothing))
        if pc.any(special).as_py():
            quoted = pc.binary_join_element_wise(quote, pc.replace_substring(column, '"', '""'), quote, nothing)
            column = pc.if_else(special, quoted, column)
        cells.append(column)
    rows = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, comma), nothing, eol)
    out = [head]
    for chunk in (rows.chunks if isinstance(rows, pa.ChunkedArray) else [rows]):
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset:chunk.offset + len(chunk) + 1]
        if len(chunk):
            out.append(chunk.buffers()[2].slice(int(offsets[0]), int(offsets[-1] - offsets[0])))
    return b"".join(out)  # one copy: Arrow buffers are joined through the buffer protocol


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parquet_bytes(table: Any) -> bytes:
    """Parquet with fixed settings so identical tables give identical bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", compression_level=9, use_dictionary=True,
                   write_statistics=True, version="2.6", store_schema=False)
    return bytes(sink.getvalue().to_pybytes())


def read_parquet(path: Path) -> Any:
    import pyarrow.parquet as pq

    return pq.read_table(path)


def map_file(path: Path) -> Any:
    """A file's bytes as a memory-mapped pyarrow Buffer, not copied into this process: a package
    check reads 100 MB at 100k events, and copying it cost 30k page faults (half the check's),
    each slow on a virtual machine. The mapping lives as long as the buffer or anything made
    from it without a copy."""
    import pyarrow as pa

    if path.stat().st_size == 0:  # mmap refuses an empty file
        return pa.py_buffer(b"")
    with pa.memory_map(str(path)) as mapped:
        return mapped.read_buffer()


def chunks(data: Any, size: int = 1 << 16) -> Iterator[bytes]:
    """Consecutive pieces of a buffer as bytes, small enough for the allocator to reuse memory."""
    view = memoryview(data)
    for start in range(0, len(view), size):
        yield bytes(view[start:start + size])


def parquet_table(data: Any) -> Any:
    """The table in Parquet bytes already read (a package check hashes the same bytes).

    Read by `ParquetFile`, not `read_table`, which imports pyarrow.dataset and with it pandas
    (0.15-0.2 s) for the same table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pq.ParquetFile(pa.BufferReader(data)).read()


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file atomically: a temporary file beside it, fsynced, then renamed over it, so a
    killed `nkcp format` or build leaves the old file or the new one, never a truncated one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Publishing primitives (the protocol is in publish.py)
# --------------------------------------------------------------------------------------------
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def fsync_dir(path: Path) -> None:
    """Make renames and new entries in a folder durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@functools.cache
def _renameat2() -> Any:
    import ctypes

    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths (files or folders) in one atomic step: Linux renameat2(RENAME_EXCHANGE).
    False when the system or file system cannot (then nothing has changed)."""
    import ctypes

    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_into_place(new: Path, target: Path) -> None:
    """Put `new` at `target`; the previous `target` ends up at `new` (or at `new` + '.old' where
    atomic exchange is unavailable, after a short moment in which `target` is missing)."""
    if not os.path.lexists(target):
        os.rename(new, target)
    elif not exchange(new, target):
        os.rename(target, new.with_name(new.name + ".old"))
        os.rename(new, target)


def move(src: Path, dst: Path) -> None:
    os.rename(src, dst)


def remove_file(path: Path) -> None:
    path.unlink(missing_ok=True)


def remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def tree_digest(path: Path) -> str | None:
    """SHA-256 over a file's bytes, or over a folder's relative paths and file bytes; None if absent."""
    if not os.path.lexists(path):
        return None
    digest = hashlib.sha256()
    if path.is_dir() and not path.is_symlink():
        for item in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(item.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            digest.update(sha256_file(item).encode("ascii") + b"\0")
    else:
        digest.update(b"file\0" + path.read_bytes())
    return digest.hexdigest()
