"""Differences between two data packages, by stable ID, and the version bump they require.

Semantic versioning of the data (written in the README), after the Frictionless "Data Package
Version" recipe: major when a column is removed, renamed or retyped (in the descriptor, or its
Arrow type in the Parquet file), a vocabulary value is removed or a constraint tightened (a
higher minimum, a lower maxLength, a field made required, a pattern added or changed: a changed
pattern cannot be proved looser); minor when records, columns or vocabulary values are added or
a constraint loosened; patch for corrected values (a retraction is a correction: the row stays,
its status changes). An ID present in the old package and missing from the new one is never
allowed: retracted records keep their row.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from nkcp.io.tabular import read_parquet_schema
from nkcp.outputs.tables import LIST_SEPARATOR
from nkcp.release.package import DataPackage, vocabulary_values

LEVELS = ("none", "patch", "minor", "major")


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # id -> field -> [before, after]
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[str] = field(default_factory=list)
    values_added: dict[str, list[str]] = field(default_factory=dict)
    values_removed: dict[str, list[str]] = field(default_factory=dict)
    constraints_tightened: dict[str, list[str]] = field(default_factory=dict)
    constraints_loosened: dict[str, list[str]] = field(default_factory=dict)
    rows_old: int = 0
    rows_new: int = 0


@dataclass
class PackageDiff:
    old_version: str
    new_version: str
    tables: dict[str, TableDiff]
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)

    def required_bump(self) -> str:
        level = 0
        for t in self.tables.values():
            if t.columns_removed or t.columns_retyped or any(t.values_removed.values()) or t.constraints_tightened:
                level = max(level, 3)
            if t.added or t.columns_added or any(t.values_added.values()) or t.constraints_loosened:
                level = max(level, 2)
            if t.changed or t.retracted:
                level = max(level, 1)
        if self.tables_removed:
            level = 3
        elif self.tables_added:
            level = max(level, 2)
        return LEVELS[level]

    def missing_ids(self) -> dict[str, list[str]]:
        return {name: t.missing for name, t in self.tables.items() if t.missing}

    def as_json(self) -> str:
        data = asdict(self)
        data["required_bump"] = self.required_bump()
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)

    def as_text(self) -> str:
        new = self.new_version if self.new_version != self.old_version else "this build (unreleased)"
        out = [f"{self.old_version} -> {new}: smallest allowed bump {self.required_bump()}"]
        out += [f"table added: {t}" for t in self.tables_added] + [f"table removed: {t}" for t in self.tables_removed]
        for name, t in self.tables.items():
            out.append(f"{name}: {t.rows_old} -> {t.rows_new} rows")
            for label, items in (("added", t.added), ("retracted", t.retracted), ("MISSING", t.missing),
                                 ("columns added", t.columns_added), ("columns removed", t.columns_removed),
                                 ("columns retyped", t.columns_retyped)):
                if items:
                    out.append(f"  {label}: {', '.join(items)}")
            for label, by_column in (("added to", t.values_added), ("removed from", t.values_removed)):
                out += [f"  values {label} {col}: {', '.join(values)}" for col, values in sorted(by_column.items())]
            for label, by_column in (("tightened", t.constraints_tightened), ("loosened", t.constraints_loosened)):
                out += [f"  constraint {label} on {col}: {', '.join(items)}" for col, items in sorted(by_column.items())]
            out += [f"  changed {line}" for line in changed_lines(t)]
        return "\n".join(out)


def changed_lines(t: TableDiff) -> list[str]:
    """One line per changed record: each field with its value before and after; long text is cut
    to the stretch around its first difference, so the change itself is always shown."""
    def pair(a: Any, b: Any) -> str:
        old, new = repr(a), repr(b)
        if len(old) <= 80 and len(new) <= 80:
            return f"{old} -> {new}"
        at = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
        start = max(0, at - 30)
        cut = [("..." if start else "") + text[start:start + 70] + ("..." if len(text) > start + 70 else "")
               for text in (old, new)]
        return f"{cut[0]} -> {cut[1]}"

    return [f"{key}: " + "; ".join(f"{name} {pair(a, b)}" for name, (a, b) in fields.items())
            for key, fields in sorted(t.changed.items())]


# A bound that restricts more as it grows (min) or as it shrinks (max); flags that restrict when true.
_LOWER = ("minimum", "minLength", "exclusiveMinimum")
_UPPER = ("maximum", "maxLength", "exclusiveMaximum")
_FLAGS = ("required", "unique")


def constraint_changes(old: dict[str, Any], new: dict[str, Any], has_vocabulary: bool) -> tuple[list[str], list[str]]:
    """The constraints of one field tightened and loosened, as 'name before -> after'."""
    a, b = old.get("constraints", {}), new.get("constraints", {})
    tightened: list[str] = []
    loosened: list[str] = []
    for name in sorted((set(a) | set(b)) - {"enum"}):
        before, after = a.get(name), b.get(name)
        if before == after or (name == "pattern" and has_vocabulary):  # vocabularies: values added/removed
            continue
        change = f"{name} {before!r} -> {after!r}"
        if name in _FLAGS:
            tighter = bool(after) and not before
        elif name in _LOWER:
            tighter = before is None or (after is not None and after > before)
        elif name in _UPPER:
            tighter = before is None or (after is not None and after < before)
        else:  # pattern and any other: added or changed restricts, removed loosens
            tighter = after is not None
        (tightened if tighter else loosened).append(change)
    return tightened, loosened


def _keyed(pkg: DataPackage, table: str) -> dict[str, dict[str, Any]]:
    """Rows by key, lists written as the CSV writes them: releases up to 1.0.0 hold them as text."""
    key = pkg.schema(table)["primaryKey"]
    rows = [{c: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for c, v in r.items()} for r in pkg.rows(table)]
    return {"|".join(str(r[k]) for k in key): r for r in rows}


def diff_packages(old: DataPackage, new: DataPackage) -> PackageDiff:
    old_tables, new_tables = set(old.tables()), set(new.tables())
    result = PackageDiff(old.version, new.version, {}, sorted(new_tables - old_tables), sorted(old_tables - new_tables))
    for name in [t for t in new.tables() if t in old_tables]:
        t = TableDiff()
        old_fields = {f["name"]: f for f in old.schema(name)["fields"]}
        new_fields = {f["name"]: f for f in new.schema(name)["fields"]}
        t.columns_added = [f for f in new_fields if f not in old_fields]
        t.columns_removed = [f for f in old_fields if f not in new_fields]
        t.columns_retyped = [f for f in new_fields if f in old_fields and new_fields[f]["type"] != old_fields[f]["type"]]
        t.columns_retyped += parquet_retyped(old, new, name, [f for f in new_fields if f in old_fields])
        for col in set(old_fields) & set(new_fields):
            before, after = vocabulary_values(old_fields[col]), vocabulary_values(new_fields[col])
            if [v for v in after if v not in before]:
                t.values_added[col] = [v for v in after if v not in before]
            if [v for v in before if v not in after]:
                t.values_removed[col] = [v for v in before if v not in after]
            tightened, loosened = constraint_changes(old_fields[col], new_fields[col], bool(before or after))
            if tightened:
                t.constraints_tightened[col] = tightened
            if loosened:
                t.constraints_loosened[col] = loosened
        old_rows, new_rows = _keyed(old, name), _keyed(new, name)
        t.rows_old, t.rows_new = len(old_rows), len(new_rows)
        t.added = sorted(k for k in new_rows if k not in old_rows)
        t.missing = sorted(k for k in old_rows if k not in new_rows)
        shared = [c for c in new_fields if c in old_fields]
        for key in sorted(k for k in new_rows if k in old_rows):
            a, b = old_rows[key], new_rows[key]
            if a.get("record_status") != "retracted" and b.get("record_status") == "retracted":
                t.retracted.append(key)
                continue
            changed = {c: [a.get(c), b.get(c)] for c in shared if a.get(c) != b.get(c)}
            if changed:
                t.changed[key] = changed
        result.tables[name] = t
    return result


def parquet_retyped(old: DataPackage, new: DataPackage, table: str, columns: list[str]) -> list[str]:
    """Columns whose Arrow type in the Parquet file changed (a string that became a dictionary or a
    list): a retyped column for Parquet readers, so major, though the CSV is unchanged."""
    a, b = (read_parquet_schema(p.parquet_path(table)) for p in (old, new))
    return [f"{c} (Parquet {a.field(c).type} -> {b.field(c).type})" for c in columns
            if c in a.names and c in b.names and not a.field(c).type.equals(b.field(c).type)]


def bump(version: str, level: str) -> str:
    major, minor, patch = (int(x) for x in version.split("."))
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump level {level!r}")


def level_of(old: str, new: str) -> str:
    """The bump level a version change represents ('none' if not an increase)."""
    a = tuple(int(x) for x in old.split("."))
    b = tuple(int(x) for x in new.split("."))
    if b <= a:
        return "none"
    if b[0] > a[0]:
        return "major"
    return "minor" if b[1] > a[1] else "patch"
