"""A built data package on disk (a checkout's build, or an unpacked release): its descriptor and tables.

`diff`, `load` and the R loader all read a package the same way: `datapackage.json` for the
schema (types, vocabularies, keys) and the Parquet files for the values, so an old release is
read with its own schema, not today's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from nkcp.io.files import read_text
from nkcp.io.tabular import read_parquet
from nkcp.paths import BUILD_DIR, PACKAGE_FILE


@dataclass(frozen=True)
class DataPackage:
    root: Path

    @cached_property
    def descriptor(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(read_text(self.root / PACKAGE_FILE))
        return data

    @property
    def version(self) -> str:
        return str(self.descriptor["version"])

    def tables(self) -> list[str]:
        return [r["name"] for r in self.descriptor["resources"] if r.get("type") == "table"]

    def _resource(self, table: str) -> dict[str, Any]:
        for r in self.descriptor["resources"]:
            if r["name"] == table and r.get("type") == "table":
                return r  # type: ignore[no-any-return]
        raise KeyError(f"no table {table!r} in {self.root / PACKAGE_FILE}; tables: {', '.join(self.tables())}")

    def schema(self, table: str) -> dict[str, Any]:
        schema: dict[str, Any] = self._resource(table)["schema"]
        return schema

    def parquet_path(self, table: str) -> Path:
        """The table's Parquet file: named on its resource, or (releases up to 0.1.0) a resource
        `<table>-parquet` of its own."""
        resource = self._resource(table)
        if "parquet" in resource:
            return self.root / str(resource["parquet"]["path"])
        for r in self.descriptor["resources"]:
            if r["name"] == f"{table}-parquet":
                return self.root / str(r["path"])
        return self.root / BUILD_DIR / f"{table}.parquet"

    def rows(self, table: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = read_parquet(self.parquet_path(table)).to_pylist()
        return rows


def vocabulary_values(field: dict[str, Any]) -> list[str]:
    """The controlled values a field admits: its enum, or the alternatives of a list pattern."""
    constraints = field.get("constraints", {})
    if "enum" in constraints:
        return [str(v) for v in constraints["enum"]]
    m = re.match(r"^\^\(\?:([a-z0-9_|]+)\)\(\?:;", constraints.get("pattern", ""))
    return m.group(1).split("|") if m else []
