"""Rows read straight from a canonical record file, a field at a time, with recurring fields kept.

Why: a record file was checked in three passes, each over every field: parse the text into
nodes (io.parse_canonical), type the nodes into rows (records.py), and write the rows back to
prove the text canonical (incremental.py). This makes the same checks a field at a time, and a
field line seen before with the same key and value (`record_status: reviewed`,
`is_speaker_inferred: false`, a date, a place) is taken from a memo: its typed value, already
known to type without a problem and to be written back as exactly that line. (The line's
indentation and "- " are checked each time; what the value is typed and written as depends only
on its key and its text.)

Why a field at a time is enough: dump_canonical writes a record's fields in the table's written
order, empty ones left out, and the lines of each field depend on nothing but its key, its value
and where the record stands (io.field_lines). So a file is canonical exactly when each field's
lines are what is written for its typed value and the keys come in that order.

Rows come back only when the three passes would give the same rows without a problem; anything
else (a problem, an unusual layout, a value canonical files leave out) gives None, and the
caller takes the three passes, which report what is wrong. Like the third pass, this rests on
the writer: libyaml reads what dump_canonical writes as the values written
(tests/test_canonical_parser.py), so a field that writes back to its own lines was read as
libyaml reads it. tests/test_canonical_rows.py holds it to the three passes on every record
file of the real, hostile and synthetic corpora and on random edits of them.
"""

from __future__ import annotations

from typing import Any

from nkcp import io
from nkcp.problems import Problems
from nkcp.records import KEPT_MAX, KEPT_TEXT, Row, finish_record, parse_value, record_plan, written_fields, written_value
from nkcp.registry import Registry, Table


def canonical_rows(text: str, rel: str, stem: str, table: Table, reg: Registry) -> list[Row] | None:
    """The rows of a canonical record file, or None to take the three passes."""
    split = io.canonical_lines(text)
    if split is None:
        return None
    lines, parsed = split
    reader = _Reader(lines, parsed, rel, table, reg)
    if table.grouped_by is None:
        row, end = reader.record(0, 0, False)
        if row is None or end != len(parsed) or row.values.get(table.primary_key[0]) != stem:
            return None
        return [row]
    return reader.grouped(stem)


class _Reader:
    """One file's lines, read as records of one table."""

    def __init__(self, lines: list[str], parsed: list[io.Line], rel: str, table: Table, reg: Registry) -> None:
        self.lines, self.parsed, self.rel, self.table, self.reg = lines, parsed, rel, table, reg
        self.plan = record_plan(table, reg)
        orders = reg.kept("written order")
        if table.name not in orders:
            orders[table.name] = {name: i for i, name in enumerate(written_fields(table.name, reg))}
        self.order: dict[str, int] = orders[table.name]
        # Emptied only before a file, when full: within a file a recurring value is then always
        # one object, whatever was read before (see io._SEEN_LINES for why that matters).
        self.kept: dict[str, Any] = reg.kept("canonical fields")  # line -> typed value of its field
        if len(self.kept) >= KEPT_MAX:
            self.kept.clear()

    def grouped(self, stem: str) -> list[Row] | None:
        """The rows of a grouped file: `group: value`, then `table:` and its items at column 2."""
        group, parsed = self.table.grouped_by, self.parsed
        assert group is not None
        if len(parsed) < 3 or parsed[0][:3] != (0, False, group) or parsed[1] != (0, False, self.table.name, None):
            return None
        if io.field_lines(group, stem, 0, False) != self.lines[:1]:  # the file's name, written as the writer writes it
            return None
        rows = []
        i = 2
        while i < len(parsed):
            row, i = self.record(i, 2, True)
            if row is None:
                return None
            row.values[group] = stem
            row.lines[group] = 1
            rows.append(row)
        return rows

    def record(self, i: int, column: int, item: bool) -> tuple[Row | None, int]:
        """The record whose keys stand at `column` from line i (a list item's if `item`), and the
        index after it."""
        parsed, text, kept, order, single = self.parsed, self.lines, self.kept, self.order, self.plan.single
        start, end = i, len(parsed)
        row = Row(self.table.name, self.rel, i + 1)
        values, lines = row.values, row.lines
        last = -1
        while i < end:
            col, dash, key, value = parsed[i]
            if col != column:
                if col < column:
                    break
                return None, i
            if dash != (item and i == start):
                if dash and i != start:
                    break  # the next item
                return None, i
            position = order.get(key)
            if position is None or position <= last:  # unknown, derived, repeated or out of order
                return None, i
            last = position
            typed = kept.get(text[i])  # only lines of single values are kept
            if typed is not None:
                after = i + 1
            else:
                typed, after = self._field(i, column, dash)
                if typed is None:
                    return None, i
                if value is not None and key in single and len(value) <= KEPT_TEXT:
                    kept[text[i]] = typed
            values[key], lines[key] = typed, i + 1
            i = after
        if i == start:
            return None, i  # no field: not a record (and the caller's loop must move on)
        found = Problems()
        finish_record(row, self.table, self.plan, found)
        return (None, i) if found else (row, i)

    def _field(self, i: int, column: int, dashed: bool) -> tuple[Any, int]:
        """The typed value of the field on line i and the index after its lines; None if it has a
        problem or is not written as a canonical file writes it."""
        _, _, key, value = self.parsed[i]
        if value is not None:
            node: io.YNode | None = io.canonical_value(value, i + 1)
            after = i + 1
        else:
            node, after = io.canonical_block(self.parsed, i + 1, column)
        if node is None:
            return None, i
        found = Problems()
        typed = parse_value(node, self.reg.fields[key], self.reg, self.rel, found)
        written = written_value(key, typed)
        if found or written is None or io.field_lines(key, written, column, dashed) != self.lines[i:after]:
            return None, i
        return typed, after
