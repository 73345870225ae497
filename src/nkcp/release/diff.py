"""Differences between two data packages, by stable ID, and the version bump they require.

Semantic versioning of the data (written in the README): major when a column is removed,
renamed or retyped, or a vocabulary value is removed; minor when records, columns or vocabulary
values are added; patch for corrected values (a retraction is a correction: the row stays, its
status changes). An ID present in the old package and missing from the new one is never
allowed: retracted records keep their row.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from nkcp.release.package import DataPackage, vocabulary_values

LEVELS = ("none", "patch", "minor", "major")


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[str] = field(default_factory=list)
    values_added: dict[str, list[str]] = field(default_factory=dict)
    values_removed: dict[str, list[str]] = field(default_factory=dict)
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
            if t.columns_removed or t.columns_retyped or any(t.values_removed.values()):
                level = max(level, 3)
            if t.added or t.columns_added or any(t.values_added.values()):
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
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)

    def as_text(self) -> str:
        out = [f"{self.old_version} -> {self.new_version}: smallest allowed bump {self.required_bump()}"]
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
            for key, fields in sorted(t.changed.items()):
                out.append(f"  changed {key}: {', '.join(fields)}")
        return "\n".join(out)


def _keyed(pkg: DataPackage, table: str) -> dict[str, dict[str, Any]]:
    key = pkg.schema(table)["primaryKey"]
    return {"|".join(str(r[k]) for k in key): r for r in pkg.rows(table)}


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
        for col in set(old_fields) & set(new_fields):
            before, after = vocabulary_values(old_fields[col]), vocabulary_values(new_fields[col])
            if [v for v in after if v not in before]:
                t.values_added[col] = [v for v in after if v not in before]
            if [v for v in before if v not in after]:
                t.values_removed[col] = [v for v in before if v not in after]
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
            changed = [c for c in shared if a.get(c) != b.get(c)]
            if changed:
                t.changed[key] = changed
        result.tables[name] = t
    return result


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
