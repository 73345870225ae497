"""References that exist but should not be followed: retracted targets, circular parents, a
banishment that goes nowhere, two sidecars of one capture.

A retracted record stays as a tombstone so that its ID is never reused; a record that stands may
not rest on it. A parent chain (places, events) must end; a banishment must move people
somewhere else; a capture is one source, so two sidecars may not name the same file or bytes.
"""

from __future__ import annotations

import posixpath

from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row
from nkcp.schema.model import Schema

# table, key, parent field, what a row is called
PARENTS = (("locations", "place_id", "parent_place_id", "place"), ("events", "event_id", "parent_event_id", "event"))


def check_references(corpus: Corpus, reg: Schema, index: dict[str, dict[str, Row]], problems: Problems) -> None:
    _check_retracted_targets(corpus, reg, index, problems)
    for table, key, parent_field, noun in PARENTS:
        _check_parents(corpus.rows.get(table, []), key, parent_field, noun, problems)
    for row in corpus.rows.get("events", []):
        types = [row.get("event_type"), *(row.get("other_event_types") or [])]
        place = row.get("destination_place_id")
        if "banishment" in types and place is not None and place == row.get("origin_place_id"):
            problems.add(row.path, row.line_of("destination_place_id"), "same-origin-and-destination",
                         f"a banishment's destination_place_id {place!r} is its origin_place_id",
                         "a banishment moves people elsewhere: give the place they were sent to")
    _check_captures(corpus.rows.get("sources", []), problems)


def _retracted(row: Row | None) -> bool:
    return row is not None and row.get("record_status") == "retracted"


def _check_retracted_targets(corpus: Corpus, reg: Schema, index: dict[str, dict[str, Row]],
                             problems: Problems) -> None:
    """Every reference of a record that stands (foreign keys and source_ids) names a record that stands."""
    links = [(name, fk.fields[0], fk.table) for name, table in reg.tables.items() for fk in table.foreign_keys]
    links.append(("events", "source_ids", "sources"))
    for name, field, target_table in links:
        # An evidence entry is part of its event, not a citation of it: the evidence of a retracted
        # event stays as the record of how it was coded (check_evidence skips it), so an event can
        # be retracted in place alone.
        if reg.fields[field].derived or (name, field) == ("evidence", "event_id"):
            continue
        for row in corpus.rows.get(name, []):
            if _retracted(row):
                continue
            value = row.get(field)
            for target in value if isinstance(value, list) else [value]:
                if target is not None and _retracted(index.get(target_table, {}).get(target)):
                    problems.add(row.path, row.line_of(field), "retracted-reference",
                                 f"{field} names {target!r}, which is retracted",
                                 "cite a record that stands, or retract this one too")


def _check_parents(rows: list[Row], key: str, parent_field: str, noun: str, problems: Problems) -> None:
    """No row is its own parent, and no chain of parents comes back to where it started."""
    parent_of = {row.get(key): row.get(parent_field) for row in rows if row.get(key) is not None}
    for row in rows:
        start = row.get(key)
        parent = row.get(parent_field)
        if start is None or parent is None:
            continue
        if parent == start:
            problems.add(row.path, row.line_of(parent_field), "bad-parent", f"{noun} {start} cannot be its own parent",
                         f"name the {noun} it lies in, or omit {parent_field}")
            continue
        chain, seen = [start], {start}
        while parent is not None and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = parent_of.get(parent)
        if parent == start:
            problems.add(row.path, row.line_of(parent_field), "parent-cycle",
                         f"the parents of {noun} {start} lead back to it: {' -> '.join([*chain, start])}",
                         f"a chain of {parent_field} must end at a {noun} without a parent")


def _check_captures(sources: list[Row], problems: Problems) -> None:
    """No two sidecars name the same capture file (after normalising the path) or the same bytes."""
    for field, norm in (("capture_path", posixpath.normpath), ("capture_sha256", str.lower)):
        first: dict[str, Row] = {}
        for row in sources:
            value = row.get(field)
            if value is None:
                continue
            other = first.setdefault(norm(value), row)
            if other is not row:
                problems.add(row.path, row.line_of(field), "duplicate-capture",
                             f"{field} {value!r} is also the {field} of {other.get('source_id')} "
                             f"({other.path}:{other.line_of(field)})",
                             "one capture is one source: cite that source instead of adding a second sidecar")
