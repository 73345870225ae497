"""Curated YAML: decoded with text hazards reported, composed into nodes with lines, written canonically.

YAML is composed with PyYAML's libyaml composer into nodes, never constructed into Python objects:
no tag can build an object, every value keeps its line for error messages, and scalars keep their
raw text so that YAML 1.1 surprises (`no` -> False, `010` -> 8) are reported by the record typing
instead of silently changing a value. Text that may hold anchors, aliases or deep nesting is
scanned as an event stream first, because the C composer recurses once per nesting level.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

import yaml

from nkcp.problems import Problems

MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 8  # levels of nesting below the top-level mapping
MAX_REPORTED_ALIASES = 20  # per file: an alias bomb gets a summary line, not a million lines
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()

# Characters that can hide or reorder text (`invisible_pattern`): every format character (Unicode
# category Cf: bidirectional controls, zero-width characters, the soft hyphen, the Arabic letter
# mark, the tag characters), the Hangul fillers that render as blanks, and the noncharacters.
_HANGUL_FILLERS = "\u115f\u1160\u3164\uffa0"
# YAML 1.1 reads these unquoted as booleans too, but PyYAML's resolver does not: they are added here.
YAML11_BOOL_LETTERS = frozenset({"y", "Y", "n", "N"})
_BOOL_TAG = "tag:yaml.org,2002:bool"
# Control characters (tab included), the Unicode line and paragraph separators (which YAML and
# many CSV readers treat as line breaks) and the noncharacters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


# The code point ranges of Unicode category Cf in this Python's database (Unicode 14.0.0),
# written out because computing them takes a third of a second; tests/test_io.py checks them
# against unicodedata, so a Python with a newer Unicode says when to update them.
CF_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
    (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)


@lru_cache(maxsize=1)
def invisible_pattern() -> re.Pattern[str]:
    """The characters refused as invisible: category Cf, the Hangul fillers and the noncharacters."""
    ranges = [*CF_RANGES, *((ord(c), ord(c)) for c in _HANGUL_FILLERS), (0xFDD0, 0xFDEF),
              *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0x10000, 0x110000, 0x10000))]
    # Written as ranges: a class of thousands of single characters is tested one by one by `re`.
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in sorted(ranges)) + "]")


def _invisible_what(char: str) -> str:
    return f"invisible character U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


@dataclass(slots=True)
class YamlScalar:
    """A YAML scalar as written: its text, resolved tag, whether it was unquoted, and its line."""

    text: str
    tag: str
    plain: bool
    line: int


@dataclass(slots=True)
class YamlMap:
    """A YAML mapping: key -> (line of the key, value node), in file order."""

    line: int
    items: dict[str, tuple[int, YamlNode]] = field(default_factory=dict)


@dataclass(slots=True)
class YamlList:
    """A YAML sequence of nodes."""

    line: int
    items: list[YamlNode] = field(default_factory=list)


YamlNode = Union[YamlScalar, YamlMap, YamlList]


def text_hazards(text: str, escaped: bool, invisible: bool = True) -> list[tuple[str, str, str]]:
    """The hazards of one line of raw text, or of a scalar after YAML escapes (`escaped`), as
    (code, message, hint); one function, so raw text and escaped values are judged alike.
    Without `invisible`, invisible characters are left to the caller (`parse_yaml` judges them
    once the verbatim values are known)."""
    if text.isascii() and text.isprintable():  # nothing below can match: ASCII is NFC, with no Cf
        return []
    found = []
    where = " (written as an escape)"
    m = _CONTROL.search(text)
    if m:
        what = f"control character U+{ord(m.group()):04X}"
        found.append(("control-character", f"value holds {what}{where}" if escaped else f"{what} at column {m.start() + 1}",
                      "remove it; tabs and control characters are not allowed"))
    m = invisible_pattern().search(text) if invisible else None
    if m:
        what = _invisible_what(m.group())
        found.append(("invisible-character", f"value holds {what}{where}" if escaped else f"{what} at column {m.start() + 1}",
                      "remove it: it can hide or reorder text"))
    if not unicodedata.is_normalized("NFC", text):
        found.append(("not-nfc", "value is not in Unicode normalization form NFC (written with escapes)" if escaped
                      else "text is not in Unicode normalization form NFC",
                      "normalize the text to NFC (composed characters)"))
    return found


def decode_curated_text(raw: bytes, rel: str, problems: Problems, limit: int = MAX_YAML_BYTES) -> str | None:
    """Decode a curated text file, reporting every encoding hazard with its line; None if unusable."""
    if len(raw) > limit:
        problems.add(rel, 1, "file-too-large", f"file is over the limit of {limit} bytes",
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
    if text.isascii() and not _CONTROL.search(text):
        return text  # the common case, judged at once: every line would pass below
    ok = True
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            problems.add(rel, lineno, "crlf", "line ends with CR LF", "use LF line endings (run nkcp format)")
            ok = False
            line = line[:-1]
        for code, message, hint in text_hazards(line, escaped=False, invisible=False):
            problems.add(rel, lineno, code, message, hint)
            ok = False
    return text if ok else None


def _syntax_problem(exc: yaml.YAMLError, rel: str, problems: Problems) -> None:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problems.add(rel, line, "yaml-syntax", str(getattr(exc, "problem", None) or exc),
                 "check indentation and quoting")


# Text scanned before composing: it may hold an anchor or alias, or a line opens with the long run of
# indents and indicators that deep enough block nesting to crash the composer needs (libyaml caps flow).
_SCAN_FIRST = re.compile(r"[&*]|^[ ?:-]{200}", re.MULTILINE)


def _prescan(text: str, rel: str, problems: Problems) -> bool:
    """Scan the event stream before composing: refuse anchors, aliases and deep nesting.

    Returns False when the text must not be composed. Stops at the first level too deep (the
    parser's cost grows with the square of the depth)."""
    depth, aliases, ok = 0, 0, True
    try:
        for event in yaml.parse(text, Loader=_LOADER):
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


def parse_yaml(text: str, rel: str, problems: Problems, verbatim_keys: frozenset[str] = frozenset()) -> YamlNode | None:
    """Compose YAML into line-numbered nodes; report syntax errors, aliases, tags, duplicate keys
    and invisible characters.

    Invisible characters are refused everywhere except in the values of `verbatim_keys` (a
    quotation's or evidence span's `text`): those must equal the capture at their offsets, and the
    verbatim check compares them character by character, so a soft hyphen or joiner there passes
    only where the capture has it at that position, and is refused as not verbatim elsewhere."""
    before = len(problems)
    node: YamlNode | None = None
    allowed: list[tuple[int, int]] = []
    # Composed at once only with libyaml (whose scanner caps nesting) and text that needs no scan;
    # a file with any problem is read again the slow way, so its problems are exactly the scan's.
    scanned = _LOADER is not getattr(yaml, "CSafeLoader", None) or _SCAN_FIRST.search(text) is not None
    if not scanned:
        trial = Problems()
        node = _compose(text, rel, trial, verbatim_keys, allowed)
        scanned = bool(trial)
    if scanned:
        node, allowed = None, []
        if _prescan(text, rel, problems):
            node = _compose(text, rel, problems, verbatim_keys, allowed)
    _check_invisible(text, allowed, rel, problems)
    return node if len(problems) == before else None


def _compose(text: str, rel: str, problems: Problems, verbatim_keys: frozenset[str],
             allowed: list[tuple[int, int]]) -> YamlNode | None:
    try:
        root = yaml.compose(text, Loader=_LOADER)  # nosec: composing builds nodes, never objects
    except yaml.YAMLError as exc:
        _syntax_problem(exc, rel, problems)
        return None
    if root is None:
        problems.add(rel, 1, "empty-file", "file holds no YAML document")
        return None
    return _convert(root, rel, problems, set(), 0, verbatim_keys, allowed)


def _check_invisible(text: str, allowed: list[tuple[int, int]], rel: str, problems: Problems) -> None:
    """Each line's first invisible character outside the verbatim values (character offsets)."""
    if text.isascii():
        return
    reported: set[int] = set()
    for m in invisible_pattern().finditer(text):
        if any(start <= m.start() < end for start, end in allowed):
            continue
        line = text.count("\n", 0, m.start()) + 1
        if line not in reported:
            reported.add(line)
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            problems.add(rel, line, "invisible-character", f"{_invisible_what(m.group())} at column {column}",
                         "remove it: it can hide or reorder text")


def _convert(node: yaml.Node, rel: str, problems: Problems, seen: set[int], depth: int,
             verbatim_keys: frozenset[str], allowed: list[tuple[int, int]], verbatim: bool = False) -> YamlNode:
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.add(rel, line, "yaml-alias", "YAML anchors and aliases are not allowed",
                     "write the value out in full")
        return YamlScalar("", _NULL_TAG, True, line)
    seen.add(id(node))
    if depth > MAX_YAML_DEPTH:
        problems.add(rel, line, "yaml-too-deep", f"nesting deeper than {MAX_YAML_DEPTH} levels")
        return YamlScalar("", _NULL_TAG, True, line)
    if node.tag not in _STANDARD_TAGS:
        problems.add(rel, line, "yaml-tag", f"YAML tag {node.tag!r} is not allowed",
                     "remove the tag; records hold plain values only")
        return YamlScalar("", _NULL_TAG, True, line)
    if isinstance(node, yaml.ScalarNode):
        if not (node.value.isascii() and node.value.isprintable()):  # else nothing to find
            _check_value_text(node.value, rel, line, problems, invisible=not verbatim)
        if verbatim:
            allowed.append((node.start_mark.index, node.end_mark.index))
        plain = node.style in (None, "")
        tag = _BOOL_TAG if plain and node.value in YAML11_BOOL_LETTERS else node.tag
        return YamlScalar(node.value, tag, plain, line)
    if isinstance(node, yaml.SequenceNode):
        return YamlList(line, [_convert(n, rel, problems, seen, depth + 1, verbatim_keys, allowed)
                               for n in node.value])
    out = YamlMap(line)
    for key_node, value_node in node.value:
        kline = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
            problems.add(rel, kline, "yaml-key", "mapping keys must be plain strings",
                         "merge keys (<<) and complex keys are not allowed")
            continue
        if not (key_node.value.isascii() and key_node.value.isprintable()):
            _check_value_text(key_node.value, rel, kline, problems)
        if key_node.value in out.items:
            problems.add(rel, kline, "duplicate-key",
                         f"key {key_node.value!r} appears twice (first on line {out.items[key_node.value][0]})",
                         "keep one of them")
            continue
        out.items[key_node.value] = (kline, _convert(value_node, rel, problems, seen, depth + 1, verbatim_keys,
                                                     allowed, key_node.value in verbatim_keys))
    return out


def _check_value_text(text: str, rel: str, line: int, problems: Problems, invisible: bool = True) -> None:
    """The raw-text hazards again on a scalar's value, so `"\\u202e"` written as an escape is caught too."""
    for code, message, hint in text_hazards(text, escaped=True, invisible=invisible):
        problems.add(rel, line, code, message, hint)


def implicit_tag(text: str) -> str:
    """The tag a YAML 1.1 parser would give this text written unquoted (`y` and `n` included)."""
    if text in YAML11_BOOL_LETTERS:
        return _BOOL_TAG
    if text[:1] not in _RESOLVER.yaml_implicit_resolvers:  # PyYAML looks its resolvers up by first character
        return _STR_TAG
    return str(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]


def load_yaml_plain(path: Path) -> Any:
    """Load a trusted project file (the schema, package metadata) as plain Python objects."""
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - CSafeLoader is the safe loader


def key_path_line(path: Path, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node of a key path (keys and list indexes) in a file; 1 when none."""
    with path.open(encoding="utf-8") as fh:
        node = yaml.compose(fh, Loader=_LOADER)
    line = 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if k.value == str(part)]
            if not found:
                break
            line, node = found[0][0].start_mark.line + 1, found[0][1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


# Canonical YAML
_PLAIN_OK = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*")


def _scalar(value: Any, flow: bool = False) -> str:
    """A value written plain when every YAML 1.1 parser reads it back as this string (in a flow
    list also without , [ ] { } or a colon, which end or break an item there), else single-quoted."""
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
        and _PLAIN_OK.fullmatch(text)
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and not (flow and any(c in text for c in ",[]{}:"))
        and implicit_tag(text) == _STR_TAG
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
            lines.append(f"{prefix}{key}: [" + ", ".join(_scalar(v, flow=True) for v in value) + "]")
        else:
            lines.append(f"{prefix}{key}: {_scalar(value)}")
