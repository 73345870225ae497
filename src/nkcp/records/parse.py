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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp.io.files import read_bytes
from nkcp.io.yaml_nodes import MAX_YAML_BYTES, YamlList, YamlMap, YamlScalar, decode_curated_text, parse_yaml
from nkcp.problems import Problems, suggest
from nkcp.records.files import check_record_path, record_files
from nkcp.records.values import parse_value
from nkcp.schema.model import Schema, Table

# The fields that are the capture's words verbatim: invisible characters there are judged by the
# verbatim check against the capture, not refused on sight (yaml_nodes.parse_yaml).
VERBATIM_FIELDS = {"quotes": frozenset({"text"}), "evidence": frozenset({"text"})}


@dataclass(slots=True)
class Row:
    """One curated record: typed values by field, with the file and line of each.

    The lines are one tuple (`at`, 0 where a field is not written) aligned with the table's fields
    (`order`, field -> position, one dict shared by a table's rows), not a dict per row: at 100k
    events a dict of lines per row took a fifth of validation's memory."""

    table: str
    path: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    at: tuple[int, ...] = ()

    @property
    def lines(self) -> dict[str, int]:
        """The line of each field written in the record's file."""
        return {name: self.at[i] for name, i in self.order.items() if self.at[i]}

    def has_line(self, name: str) -> bool:
        i = self.order.get(name)
        return i is not None and self.at[i] != 0

    def line_of(self, name: str) -> int:
        i = self.order.get(name)
        return self.at[i] if i is not None and self.at[i] else self.line

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
            if text is None:
                pass
            elif check is None:
                corpus.texts[rel] = text
            elif not any(p.path == rel for p in problems.items[seen:]):
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
        row = parse_record(item, rel, table, reg, problems, plan, (group, gline))
        row.values[group] = gnode.text
        rows.append(row)
    return rows


@dataclass(frozen=True)
class RecordPlan:
    """What the schema asks of every record of a table."""

    allowed: frozenset[str]
    required: tuple[str, ...]  # must be written (not derived, not the group key, not a mapping)
    explainable: tuple[str, ...]  # may be empty if unknown_reasons says why
    order: dict[str, int]  # each field's position in Row.at


def record_plan(table: Table, reg: Schema) -> RecordPlan:
    specs = reg.table_fields(table.name)
    return RecordPlan(
        frozenset(table.field_names),
        tuple(s.name for s in specs if s.required and not s.derived and s.name != table.grouped_by
              and s.yaml_form != "mapping"),
        tuple(s.name for s in specs if s.reason_if_empty),
        _ORDERS.setdefault(table.field_names, {name: i for i, name in enumerate(table.field_names)}))


_ORDERS: dict[tuple[str, ...], dict[str, int]] = {}  # one per table's fields, shared by every row and plan


def parse_record(node: YamlMap, rel: str, table: Table, reg: Schema, problems: Problems,
                 plan: RecordPlan | None = None, group_line: tuple[str, int] | None = None) -> Row:
    """One record's typed row; `group_line` is the group key's line in a grouped file."""
    plan = plan or record_plan(table, reg)
    lines = dict([group_line]) if group_line else {}
    values: dict[str, Any] = {}
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
        lines[spec.name] = kline
        parsed = parse_value(value, spec, reg, rel, problems)
        if parsed is not None:
            values[spec.name] = parsed  # the registry's string: one key object per field, not per row
    row = Row(table.name, rel, node.line, values, plan.order, tuple(lines.get(name, 0) for name in plan.order))
    finish_record(row, table, plan, problems)
    return row


def finish_record(row: Row, table: Table, plan: RecordPlan, problems: Problems) -> None:
    """The checks of a record made once all its fields are read: required fields, reasons."""
    for name in plan.required:
        if name not in row.values and not row.has_line(name):
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
        if name not in row.values and name not in reasons and not row.has_line(name):
            problems.add(row.path, row.line, "missing-reason",
                         f"{name!r} is empty and unknown_reasons does not say why",
                         f"add the value, or 'unknown_reasons: {{{name}: <why it is unknown>}}'")


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
