"""`datapackage.json`: the Frictionless descriptor of the built package, from the schema plus each file's size and hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nkcp.io.yaml_nodes import load_yaml_plain
from nkcp.paths import BUILD_DIR, SCHEMA_DIR
from nkcp.schema.export import frictionless_schema
from nkcp.schema.model import Schema


def package_descriptor(reg: Schema, root: Path, files: dict[str, tuple[int, str]],
                       sources: list[dict[str, str]]) -> dict[str, Any]:
    """The descriptor; `sources` are the package's sources (the captured articles, by title and URL)."""
    meta = load_yaml_plain(root / SCHEMA_DIR / "package.yaml")
    resources = []
    for name, table in reg.tables.items():
        csv_path = f"{BUILD_DIR}/{name}.csv"
        size, digest = files[csv_path]
        resources.append({
            "name": name, "type": "table", "profile": "tabular-data-resource", "path": csv_path,
            "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": size, "hash": f"sha256:{digest}",
            "description": table.description,
            "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                        "doubleQuote": True, "skipInitialSpace": False},  # stated: Frictionless would guess skipInitialSpace
            "schema": frictionless_schema(name, reg),
        })
        pq_path = f"{BUILD_DIR}/{name}.parquet"
        size, digest = files[pq_path]
        # The same table as Parquet. Not a resource of its own: Data Package v2 knows no `type`
        # for a plain file, and Frictionless would read Parquet as a second table through pandas.
        resources[-1]["parquet"] = {"path": pq_path, "mediatype": "application/vnd.apache.parquet",
                                    "bytes": size, "hash": f"sha256:{digest}"}
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta["name"], "title": meta["title"], "description": meta["description"],
        "version": str(meta["version"]), "keywords": meta["keywords"],
        "licenses": meta["licenses"], "contributors": meta["contributors"], "sources": sources,
    }
    for key in ("id", "homepage"):  # none is invented: each is given in schema/package.yaml or left out
        if meta.get(key):
            descriptor[key] = meta[key]
    if meta.get("date_released"):
        descriptor["created"] = f"{meta['date_released']}T00:00:00Z"
    descriptor["resources"] = resources
    return descriptor
