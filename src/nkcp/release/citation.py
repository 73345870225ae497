"""Citation metadata, generated from the one metadata source `schema/package.yaml`.

`CITATION.cff` (Citation File Format 1.2.0, type dataset) and `.zenodo.json` (Zenodo deposit
metadata, upload_type dataset) are never edited by hand: `nkcp release` regenerates them with the
version and release date, and a test fails when the committed files differ from what the
metadata generates. `nkcp cite` formats a citation from the same metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nkcp.io.files import json_bytes, write_bytes, write_text
from nkcp.io.yaml_nodes import dump_canonical, load_yaml_plain
from nkcp.paths import CITATION_FILE, ZENODO_FILE, schema_dir


def package_metadata(root: Path | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = load_yaml_plain(schema_dir(root) / "package.yaml")
    return meta


def citation_cff(meta: dict[str, Any]) -> dict[str, Any]:
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite the version you used as below.",
        "type": "dataset",
        "title": meta["title"],
        "abstract": meta["description"],
        "authors": [{"name": a["name"]} for a in meta["authors"]],
        "version": str(meta["version"]),
        "license": "CC-BY-4.0",
        "keywords": list(meta["keywords"]),
    }
    for key, cff_key in (("homepage", "url"), ("repository_code", "repository-code")):
        if meta.get(key):
            cff[cff_key] = meta[key]
    if meta.get("date_released"):
        cff["date-released"] = str(meta["date_released"])
    return cff


def zenodo_json(meta: dict[str, Any]) -> dict[str, Any]:
    z: dict[str, Any] = {
        "upload_type": "dataset",
        "title": meta["title"],
        "description": meta["description"],
        "creators": [{"name": a["name"]} for a in meta["authors"]],
        "version": str(meta["version"]),
        "license": "cc-by-4.0",
        "access_right": "open",
        "keywords": list(meta["keywords"]),
    }
    if meta.get("repository_code"):
        z["related_identifiers"] = [{"identifier": meta["repository_code"], "relation": "isSupplementTo",
                                     "resource_type": "software"}]
    if meta.get("date_released"):
        z["publication_date"] = str(meta["date_released"])
    return z


def cff_text(meta: dict[str, Any]) -> str:
    """CITATION.cff as YAML (written with the canonical writer: plain, stable, diff-friendly)."""
    data = citation_cff(meta)
    authors = data.pop("authors")
    text = dump_canonical(data)
    lines = ["authors:"] + [f"  - name: {dump_canonical({'n': a['name']}).split(': ', 1)[1].rstrip()}" for a in authors]
    return text + "\n".join(lines) + "\n"


def write_citation_files(root: Path, meta: dict[str, Any]) -> None:
    write_text(root / CITATION_FILE, cff_text(meta))
    write_bytes(root / ZENODO_FILE, json_bytes(zenodo_json(meta)))


def cite(meta: dict[str, Any], fmt: str = "apa") -> str:
    """A citation of this version in APA, BibTeX or CFF form."""
    version = str(meta["version"])
    year = str(meta.get("date_released") or "")[:4] or "n.d."
    authors = " and ".join(a["name"] for a in meta["authors"])
    if fmt == "cff":
        return cff_text(meta)
    if fmt == "bibtex":
        key = f"nkcp_{version.replace('.', '_')}"
        return (f"@misc{{{key},\n  author = {{{{{authors}}}}},\n  title = {{{meta['title']}}},\n"
                f"  year = {{{year}}},\n  version = {{{version}}},\n  howpublished = {{Dataset}},\n"
                + (f"  url = {{{meta['homepage']}}},\n" if meta.get("homepage") else "")
                + "  note = {License: CC BY 4.0}\n}")
    where = f" {meta['homepage']}" if meta.get("homepage") else ""
    return f"{authors}. ({year}). {meta['title']} (Version {version}) [Data set].{where}"
