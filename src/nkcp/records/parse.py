"""Curated records: read every YAML file of every table into typed rows, checking each field.

"Strict interpretation" (zavod): every key of a record is a registry field of its table, or an
error. Values are typed from the raw YAML text according to the registry, not by YAML's own
resolver, so that `no`, `on`, `010` or `2020-06` are reported instead of silently becoming
False, True, 8 or a string where a date was meant. Each row keeps the line of every field so
cross-table checks can point at the exact line too.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp.io.files import read_bytes
from nkcp.io.yaml_nodes import MAX_YAML_BYTES, YamlList, YamlMap, YamlNode, YamlScalar, decode_curated_text, parse_yaml
from nkcp.problems import Problems, suggest
from nkcp.records.files import check_record_path, record_files
from nkcp.schema.model import Field, Schema, Table

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_NUM = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
FORMULA_START = ("=", "+", "-", "@")
_INT64_MAX = 2**63 - 1
# The fields that are the capture's words verbatim: invisible characters there are judged by the
# verbatim check against the capture, not refused on sight (yaml_nodes.parse_yaml).
VERBATIM_FIELDS = {"quotes": frozenset({"text"}), "evidence": frozenset({"text"})}
_TAG_WORDS = {"tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:int": "an integer",
              "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:timestamp": "a date",
              _NULL: "null"}


@dataclass(slots=True)
class Row:
    """One curated record: typed values by field, with the file and line of each."""

    table: str
    path: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass
class Corpus:
    """Every row of every table, plus the raw text of each file read (for format checks)."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


FileCheck = Callable[[str, str, list[Row]], None]  # a check of one file's text and rows as it is read


def load_corpus(root: Path, reg: Schema, problems: Problems, check: FileCheck | None = None) -> Corpus:
    """Read every curated file and return typed rows.

    With `check`, each file that was read without a problem is passed to it (path, text, rows) as
    soon as it is read, and its text is not kept: the canonical check needs a text only once, and
    keeping every text doubled the memory of the rows. Python's cycle collector is paused while
    reading: the rows are millions of small objects that hold no cycles, and rescanning them as
    they pile up costs a sixth of the reading time."""
    corpus = Corpus(rows={name: [] for name in reg.tables})
    collecting = gc.isenabled()
    gc.disable()
    try:
        seen = len(problems.items)
        for table, rel, path in record_files(root, reg, problems):
            text, rows = _read_record(path, rel, table, reg, problems)
            corpus.rows[table.name].extend(rows)
            if text is not None and check is None:
                corpus.texts[rel] = text
            elif text is not None and not any(p.path == rel for p in problems.items[seen:]):
                check(rel, text, rows)
            seen = len(problems.items)
    finally:
        if collecting:
            gc.enable()
    return corpus


def load_file(root: Path, path: Path, table: Table, reg: Schema, problems: Problems,
              corpus: Corpus | None = None) -> list[Row]:
    rel = path.relative_to(root).as_posix()
    if not check_record_path(path, rel, problems, inside=path.resolve().is_relative_to(root.resolve())):
        return []
    text, rows = _read_record(path, rel, table, reg, problems)
    if text is not None and corpus is not None:
        corpus.texts[rel] = text
    return rows


def _read_record(path: Path, rel: str, table: Table, reg: Schema, problems: Problems) -> tuple[str | None, list[Row]]:
    try:
        raw = read_bytes(path, MAX_YAML_BYTES + 1)
    except OSError as exc:
        problems.add(rel, 1, "unreadable", f"cannot be read: {exc.strerror}", "check the file's permissions")
        return None, []
    text = decode_curated_text(raw, rel, problems)
    if text is None:
        return None, []
    return text, parse_file_text(text, rel, path.stem, table, reg, problems)


def parse_file_text(text: str, rel: str, stem: str, table: Table, reg: Schema, problems: Problems) -> list[Row]:
    """The rows of one decoded record file (its content only: the same text gives the same rows)."""
    node = parse_yaml(text, rel, problems, VERBATIM_FIELDS.get(table.name, frozenset()))
    if node is None:
        return []
    if not isinstance(node, YamlMap):
        problems.add(rel, node.line, "wrong-type", "a record file must hold a mapping")
        return []
    if table.grouped_by is None:
        row = parse_record(node, rel, table, reg, problems)
        key = table.primary_key[0]
        if row.get(key) is not None and row.get(key) != stem:
            problems.add(rel, row.line_of(key), "file-name",
                         f"{key} {row.get(key)!r} does not match the file name {stem + '.yaml'!r}",
                         f"rename the file to {row.get(key)}.yaml or fix the {key}")
        return [row]
    return _parse_grouped(node, rel, stem, table, reg, problems)


def _parse_grouped(node: YamlMap, rel: str, stem: str, table: Table, reg: Schema,
                   problems: Problems) -> list[Row]:
    group = table.grouped_by
    assert group is not None
    for key, (kline, _) in node.items.items():
        if key not in (group, table.name):
            problems.add(rel, kline, "unknown-field", f"unknown top-level key {key!r}",
                         f"a {table.name} file holds only {group!r} and {table.name!r}")
    gval = node.items.get(group)
    if gval is None or not isinstance(gval[1], YamlScalar) or not gval[1].text:
        problems.add(rel, node.line, "missing-field", f"missing {group!r} at the top of the file")
        return []
    gline, gnode = gval
    assert isinstance(gnode, YamlScalar)
    if gnode.text != stem:
        problems.add(rel, gline, "file-name", f"{group} {gnode.text!r} does not match the file name",
                     f"rename the file to {gnode.text}.yaml or fix the {group}")
    items = node.items.get(table.name)
    if items is None or not isinstance(items[1], YamlList):
        problems.add(rel, node.line, "missing-field", f"missing the list {table.name!r}")
        return []
    if not items[1].items:  # else the file would pass unseen: no row, so no format check either
        problems.add(rel, items[0], "empty-value", f"the list {table.name!r} is empty",
                     f"add the {table.name}, or delete the file")
        return []
    rows = []
    plan = record_plan(table, reg)
    for item in items[1].items:
        if not isinstance(item, YamlMap):
            problems.add(rel, item.line, "wrong-type", f"each item of {table.name!r} must be a mapping")
            continue
        if group in item.items:
            problems.add(rel, item.items[group][0], "unknown-field",
                         f"{group!r} is given once at the top of the file, not per item")
            continue
        row = parse_record(item, rel, table, reg, problems, plan)
        row.values[group] = gnode.text
        row.lines[group] = gline
        rows.append(row)
    return rows


@dataclass(frozen=True)
class RecordPlan:
    """What the schema asks of every record of a table."""

    allowed: frozenset[str]
    required: tuple[str, ...]  # must be written (not derived, not the group key, not a mapping)
    explainable: tuple[str, ...]  # may be empty if unknown_reasons says why


def record_plan(table: Table, reg: Schema) -> RecordPlan:
    specs = reg.table_fields(table.name)
    return RecordPlan(
        frozenset(table.field_names),
        tuple(s.name for s in specs if s.required and not s.derived and s.name != table.grouped_by
              and s.yaml_form != "mapping"),
        tuple(s.name for s in specs if s.reason_if_empty))


def parse_record(node: YamlMap, rel: str, table: Table, reg: Schema, problems: Problems,
                 plan: RecordPlan | None = None) -> Row:
    row = Row(table.name, rel, node.line)
    plan = plan or record_plan(table, reg)
    for key, (kline, value) in node.items.items():
        if key not in plan.allowed:
            problems.add(rel, kline, "unknown-field", f"{table.name}: unknown field {key!r}",
                         suggest(key, sorted(plan.allowed - {table.grouped_by or ""}), "did you mean"))
            continue
        spec = reg.fields[key]
        if spec.derived:
            problems.add(rel, kline, "derived-field", f"{key!r} is computed by the build",
                         "remove it from the record")
            continue
        row.lines[spec.name] = kline  # the registry's string: one key object per field, not per row
        parsed = parse_value(value, spec, reg, rel, problems)
        if parsed is not None:
            row.values[spec.name] = parsed
    finish_record(row, table, plan, problems)
    return row


def finish_record(row: Row, table: Table, plan: RecordPlan, problems: Problems) -> None:
    """The checks of a record made once all its fields are read: required fields, reasons."""
    for name in plan.required:
        if name not in row.values and name not in row.lines:
            problems.add(row.path, row.line, "missing-field", f"{table.name}: required field {name!r} is missing")
    _check_reasons(row, plan, problems)


def _check_reasons(row: Row, plan: RecordPlan, problems: Problems) -> None:
    reasons = row.values.get("unknown_reasons") or {}
    for name, _ in reasons.items():
        line = row.line_of("unknown_reasons")
        if name not in plan.explainable:
            problems.add(row.path, line, "unknown-field",
                         f"unknown_reasons names {name!r}, which is not a field that may be explained",
                         suggest(name, list(plan.explainable), "did you mean"))
        elif name in row.values:
            problems.add(row.path, line, "reason-for-filled-field",
                         f"unknown_reasons explains {name!r}, but {name!r} has a value",
                         "remove the reason or the value")
    for name in plan.explainable:
        if name not in row.values and name not in reasons and name not in row.lines:
            problems.add(row.path, row.line, "missing-reason",
                         f"{name!r} is empty and unknown_reasons does not say why",
                         f"add the value, or 'unknown_reasons: {{{name}: <why it is unknown>}}'")


def parse_value(node: YamlNode, spec: Field, reg: Schema, rel: str, problems: Problems) -> Any:
    """Type one value by the registry; report and return None when it is wrong."""
    if spec.yaml_form == "mapping":
        return _parse_mapping(node, spec, rel, problems)
    if spec.is_list:
        if not isinstance(node, YamlList):
            problems.add(rel, node.line, "wrong-type", f"{spec.name!r} must be a list, e.g. [a, b]")
            return None
        items = [parse_scalar(item, spec, reg, rel, problems) for item in node.items]
        if any(i is None for i in items):
            return None
        if not items:
            problems.add(rel, node.line, "empty-value", f"{spec.name!r} is an empty list", "omit the field")
            return None
        if len(set(items)) != len(items):
            problems.add(rel, node.line, "duplicate-value", f"{spec.name!r} lists a value twice")
        for item, item_node in zip(items, node.items, strict=True):
            if reg.list_separator in str(item):
                problems.add(rel, item_node.line, "separator-in-list-item",
                             f"{spec.name!r}: item {item!r} holds {reg.list_separator!r}, which separates list items in the CSV",
                             f"split it into two items, or write it without {reg.list_separator!r}")
                return None
        return items
    return parse_scalar(node, spec, reg, rel, problems)


def parse_scalar(node: YamlNode, spec: Field, reg: Schema, rel: str, problems: Problems) -> Any:
    name = spec.name
    if not isinstance(node, YamlScalar):
        problems.add(rel, node.line, "wrong-type", f"{name!r} must be a single {spec.type} value")
        return None
    text, line = node.text, node.line
    if node.plain and node.tag == _NULL:
        problems.add(rel, line, "empty-value", f"{name!r} is null", "omit an unknown field instead of writing null")
        return None
    if spec.type == "string":
        if node.plain and node.tag != _STR:
            problems.add(rel, line, "yaml-implicit-type",
                         f"{name!r}: unquoted {text!r} is read as {_TAG_WORDS.get(node.tag, node.tag)} by YAML 1.1 parsers",
                         f"quote it: '{text}'")
            return None
        return _check_string(text, spec, reg, rel, line, problems)
    if spec.type == "boolean":
        if node.plain and text in ("true", "false"):
            return text == "true"
        problems.add(rel, line, "wrong-type", f"{name!r} must be true or false, not {text!r}",
                     "yes/no/on/off are YAML 1.1 booleans and are not accepted")
        return None
    if spec.type == "integer":
        if not node.plain or not _INT.match(text):
            problems.add(rel, line, "wrong-type", f"{name!r} must be a whole number, not {text!r}",
                         "no quotes, no leading zeros (010 is octal in YAML 1.1)")
            return None
        if len(text) > 20 or abs(int(text)) > _INT64_MAX:
            problems.add(rel, line, "out-of-range", f"{name!r}: {text[:30]!r} does not fit a 64-bit integer")
            return None
        return _check_range(int(text), spec, rel, line, problems)
    if spec.type == "number":
        if not node.plain or not _NUM.match(text) or len(text) > 40:
            problems.add(rel, line, "wrong-type", f"{name!r} must be a decimal number, not {text[:40]!r}")
            return None
        return _check_range(float(text), spec, rel, line, problems)
    # date
    if not _DATE.match(text):
        problems.add(rel, line, "bad-date", f"{name!r}: {text!r} is not a date YYYY-MM-DD",
                     "a month or year is written as bounds: date_start and date_end with a precision")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        problems.add(rel, line, "bad-date", f"{name!r}: {text!r} is not a real date ({exc})")
        return None


def _check_string(text: str, spec: Field, reg: Schema, rel: str, line: int, problems: Problems) -> str | None:
    name = spec.name
    if text == "":
        problems.add(rel, line, "empty-value", f"{name!r} is an empty string", "omit an unknown field")
        return None
    if text != text.strip() or "\n" in text or "\r" in text:
        problems.add(rel, line, "whitespace", f"{name!r} has leading or trailing whitespace or a line break",
                     "write it on one line with single spaces")
        return None
    if text.startswith(FORMULA_START):
        problems.add(rel, line, "formula-like-text",
                     f"{name!r} begins with {text[0]!r}, which spreadsheets run as a formula",
                     "rephrase so the text does not begin with = + - or @")
        return None
    if spec.vocabulary and not reg.is_allowed(spec, text):
        problems.add(rel, line, "unknown-value",
                     f"{name!r}: {text!r} is not in the vocabulary {spec.vocabulary!r}",
                     suggest(text, reg.allowed(spec), "did you mean"))
        return None
    if spec.pattern and not re.search(spec.pattern, text):
        problems.add(rel, line, "bad-format", f"{name!r}: {text!r} does not match {spec.pattern}")
        return None
    if spec.max_length and len(text) > spec.max_length:
        problems.add(rel, line, "too-long", f"{name!r} is {len(text)} characters, over {spec.max_length}")
        return None
    return sys.intern(text)  # codes, IDs and sources repeat across records: one object for each


def _check_range(value: float, spec: Field, rel: str, line: int, problems: Problems) -> Any:
    if (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
        problems.add(rel, line, "out-of-range",
                     f"{spec.name!r}: {value} is outside [{spec.minimum}, {spec.maximum}]")
        return None
    return value


def _parse_mapping(node: YamlNode, spec: Field, rel: str, problems: Problems) -> dict[str, str] | None:
    if not isinstance(node, YamlMap):
        problems.add(rel, node.line, "wrong-type", f"{spec.name!r} must be a mapping of field: reason")
        return None
    out: dict[str, str] = {}
    for key, (kline, value) in node.items.items():
        if not isinstance(value, YamlScalar) or value.tag != _STR or not value.text.strip():
            problems.add(rel, kline, "wrong-type", f"{spec.name}.{key} must be a reason in words")
            continue
        if value.text != value.text.strip() or "\n" in value.text:
            problems.add(rel, kline, "whitespace", f"{spec.name}.{key} has leading or trailing whitespace or a line break",
                         "write it on one line with single spaces")
            continue
        out[sys.intern(key)] = sys.intern(value.text)
    return out


def canonical_record(row: Row, reg: Schema, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The record as it should be written: table field order (`fields`, the table's
    `written_fields`), empty fields left out."""
    out: dict[str, Any] = {}
    values = row.values
    for name in fields or written_fields(row.table, reg):
        value = written_value(name, values.get(name))
        if value is not None:
            out[name] = value
    return out


def written_value(name: str, value: Any) -> Any:
    """A field's value as a canonical file writes it: dates as text; None when left out."""
    if value is None or (value == {} and name == "unknown_reasons"):
        return None
    return value.isoformat() if isinstance(value, dt.date) else value


def written_fields(table_name: str, reg: Schema) -> tuple[str, ...]:
    """The fields a record file holds, in the order they are written (not derived, not the group)."""
    table = reg.tables[table_name]
    return tuple(name for name in table.field_names if name != table.grouped_by and not reg.fields[name].derived)
