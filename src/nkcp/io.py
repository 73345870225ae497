"""All file reading and writing: YAML with line numbers, canonical YAML, captures, CSV, Parquet, JSON.

Keeping I/O in one module means one place decides encodings, newline conventions, size limits
and atomic replacement. YAML is parsed with PyYAML's libyaml composer (C) into nodes rather than
Python objects: no tag ever constructs an object, every value keeps its line number for error
messages, and scalars keep their raw text so that YAML 1.1 surprises (`no` -> False, `010` -> 8)
are caught and reported by the record checks instead of silently changing a value.
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from nkcp.problems import Problems

MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 8
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()

# Characters that can hide or reorder text: bidirectional controls and zero-width characters.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# --------------------------------------------------------------------------------------------
# YAML nodes with lines
# --------------------------------------------------------------------------------------------
@dataclass
class Scalar:
    """A YAML scalar as written: its text, resolved tag, whether it was unquoted, and its line."""

    text: str
    tag: str
    plain: bool
    line: int


@dataclass
class Mapping:
    """A YAML mapping: key -> (line of the key, value node), in file order."""

    line: int
    items: dict[str, tuple[int, YNode]] = field(default_factory=dict)


@dataclass
class Sequence_:
    """A YAML sequence of nodes."""

    line: int
    items: list[YNode] = field(default_factory=list)


YNode = Union[Scalar, Mapping, Sequence_]


def check_text_file(raw: bytes, rel: str, problems: Problems, limit: int = MAX_YAML_BYTES) -> str | None:
    """Decode a curated text file, reporting every encoding hazard with its line; None if unusable."""
    if len(raw) > limit:
        problems.add(rel, 1, "file-too-large", f"file is {len(raw)} bytes, over the limit of {limit}",
                     "split the file or remove the bulk; curated records are small")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(rel, 1, "byte-order-mark", "file starts with a UTF-8 byte-order mark",
                     "save as UTF-8 without BOM")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(rel, raw[: exc.start].count(b"\n") + 1, "invalid-utf8", f"bytes at offset {exc.start} are not valid UTF-8",
                     "save the file as UTF-8")
        return None
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


def parse_yaml(text: str, rel: str, problems: Problems) -> YNode | None:
    """Compose YAML into line-numbered nodes; report syntax errors, aliases, tags, duplicate keys."""
    try:
        root = yaml.compose(text, Loader=_LOADER)  # nosec: composing builds nodes, never objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problems.add(rel, line, "yaml-syntax", str(getattr(exc, "problem", exc)),
                     "check indentation and quoting")
        return None
    if root is None:
        problems.add(rel, 1, "empty-file", "file holds no YAML document")
        return None
    seen: set[int] = set()
    before = len(problems)
    node = _convert(root, rel, problems, seen, 0)
    return node if len(problems) == before else None


def _convert(node: yaml.Node, rel: str, problems: Problems, seen: set[int], depth: int) -> YNode:
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
        if key_node.value in out.items:
            problems.add(rel, kline, "duplicate-key",
                         f"key {key_node.value!r} appears twice (first on line {out.items[key_node.value][0]})",
                         "keep one of them")
            continue
        out.items[key_node.value] = (kline, _convert(value_node, rel, problems, seen, depth + 1))
    return out


def implicit_tag(text: str) -> str:
    """The tag a YAML 1.1 parser would give this text written unquoted."""
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


# --------------------------------------------------------------------------------------------
# Canonical YAML
# --------------------------------------------------------------------------------------------
_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if (
        text
        and _PLAIN_OK.match(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
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


def _dump_mapping(data: dict[str, Any], indent: int, lines: list[str], first_prefix: str = "") -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(data.items()):
        prefix = first_prefix if i == 0 and first_prefix else pad
        if isinstance(value, dict):
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
            lines.append(f"{prefix}{key}: [" + ", ".join(_scalar(v) for v in value) + "]")
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")


# --------------------------------------------------------------------------------------------
# Captures, checksums
# --------------------------------------------------------------------------------------------
def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_yaml_plain(path: Path) -> Any:
    """Load a trusted project file (the schema) as plain Python objects with the safe C loader."""
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - CSafeLoader is the safe loader


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


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
