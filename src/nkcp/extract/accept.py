"""`nkcp review SOURCE --accept`: move reviewed drafts into records/ with the next free IDs.

A reviewer checks each draft (`nkcp review SOURCE`), corrects it and sets `record_status:
reviewed`, or deletes it. Accepting then does what used to be done by hand: it gives the drafts'
quotations, events and evidence the next IDs free in records/ and the other drafts (rewriting
every reference to them, notes included), checks them with the curated records exactly as the
build would, and only when nothing is wrong moves them into records/, adds the reviewer to the
sidecar's `reviewed_by` and removes the draft folder. Anything wrong leaves every file as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nkcp.extract.draft import check_drafts
from nkcp.io.files import read_text, remove_tree, write_text
from nkcp.io.yaml_nodes import dump_canonical
from nkcp.paths import DRAFTS_DIR
from nkcp.problems import Problems
from nkcp.records.canonical import canonical_text_of
from nkcp.records.parse import Row, canonical_record, load_corpus, load_file
from nkcp.schema.model import Schema, load_schema

_ID = re.compile(r"\b([QEV])(\d{4,})\b")
_KEYS = {"quotes": "quote_id", "events": "event_id", "evidence": "evidence_id"}
_STAGE = ".accepting"
_DRAFT_TEXT = re.compile(r"\bDraft(:| from rules?\b| placeholder\b)")  # how draft.py marks what it wrote


@dataclass
class Accepted:
    """What an accept moved: each draft file's new place, and the IDs it renumbered."""

    moved: dict[str, str] = field(default_factory=dict)  # draft file -> records file
    renumbered: dict[str, str] = field(default_factory=dict)  # old id -> new id


def accept_drafts(root: Path, source_id: str, reviewer: str) -> tuple[Accepted | None, Problems]:
    """Accept every draft of `source_id` as reviewed by `reviewer`, or change nothing and say why."""
    reg = load_schema(root)
    problems = Problems()
    folder = root / DRAFTS_DIR / source_id
    rel_folder = f"{DRAFTS_DIR}/{source_id}"
    sidecar_path = root / reg.tables["sources"].records / f"{source_id}.yaml"
    if not folder.is_dir():
        problems.add(rel_folder, 1, "no-drafts", f"no drafts for {source_id}",
                     f"run nkcp extract on the capture of {source_id} first")
        return None, problems
    if not reviewer.strip() or ";" in reviewer:
        problems.add(rel_folder, 1, "no-reviewer", "--reviewer must name the person accepting the drafts (no ';')",
                     "pass --reviewer with your name or handle, as you sign your work")
        return None, problems
    folders = {Path(t.records).name: name for name, t in reg.tables.items() if t.records.startswith("records/")}
    drafts: dict[Path, list[Row]] = {}
    for path in sorted(p for p in folder.rglob("*.yaml") if p.name != "proposals.yaml" and _STAGE not in p.parts):
        table = folders.get(path.parent.name)
        if table is None or path.parent.parent != folder:
            problems.add(path.relative_to(root).as_posix(), 1, "file-name", "not a draft record file",
                         f"draft records lie in {rel_folder}/<{'|'.join(sorted(folders))}>/; move or delete this file")
            continue
        drafts[path] = load_file(root, path, reg.tables[table], reg, problems)
    sidecar = load_file(root, sidecar_path, reg.tables["sources"], reg, problems) if sidecar_path.is_file() else []
    _check_ready(sidecar_path.relative_to(root).as_posix(), drafts, sidecar, source_id, problems)
    if problems:
        return None, problems
    result = Accepted(renumbered=_renumbering(root, reg, drafts, folder))
    staged = _stage(root, reg, drafts, folder / _STAGE, result)
    try:
        found = check_drafts(root, list(staged), reg)
        if found:  # name the draft file and line the reviewer edits, not the staged copy's
            for p in found.items:
                draft = staged.get(root / p.path)
                if draft is not None:
                    p = replace(p, path=draft.relative_to(root).as_posix(),
                                line=_draft_line(root, reg, root / p.path, drafts[draft], p.line))
                problems.items.append(p)
            return None, problems
        taken = [t for t in staged if (root / result.moved[staged[t].relative_to(root).as_posix()]).exists()]
        for path in taken:
            target = result.moved[staged[path].relative_to(root).as_posix()]
            problems.add(staged[path].relative_to(root).as_posix(), 1, "record-exists", f"{target} exists already",
                         "this source's records were accepted before: add the new records to that file by hand")
        if problems:
            return None, problems
        for path, draft in staged.items():
            dest = root / result.moved[draft.relative_to(root).as_posix()]
            dest.parent.mkdir(parents=True, exist_ok=True)
            path.replace(dest)
    finally:
        remove_tree(folder / _STAGE)
    write_text(sidecar_path, _signed(sidecar[0], reviewer, reg))
    remove_tree(folder)
    return result, problems


def _draft_line(root: Path, reg: Schema, staged: Path, rows: list[Row], line: int) -> int:
    """The line of the draft file that holds what `line` of its staged copy holds (the same field of the same row)."""
    copies = load_file(root, staged, reg.tables[rows[0].table], reg, Problems())
    for copy, row in zip(copies, rows, strict=False):
        for name, at in copy.lines.items():
            if at == line:
                return row.line_of(name)
        if copy.line == line:
            return row.line
    return line


def _check_ready(sidecar_rel: str, drafts: dict[Path, list[Row]], sidecar: list[Row], source_id: str,
                 problems: Problems) -> None:
    """Every draft reviewed, and the sidecar too: accepting is the reviewer's word on all of them."""
    if not sidecar:
        problems.add(sidecar_rel, 1, "no-sidecar", f"no sidecar for {source_id}",
                     "the drafts' source needs its sidecar (nkcp add writes one)")
    elif sidecar[0].get("record_status") != "reviewed":
        problems.add(sidecar[0].path, sidecar[0].line_of("record_status"), "not-reviewed",
                     f"the sidecar of {source_id} is record_status: {sidecar[0].get('record_status')}",
                     "check it against the article, then set record_status: reviewed")
    if not any(drafts.values()):
        problems.add(f"{DRAFTS_DIR}/{source_id}", 1, "no-drafts", f"no draft records left for {source_id}",
                     "nothing to accept: delete the folder if every draft was rejected")
    for rows in drafts.values():
        for row in rows:
            key = _KEYS.get(row.table, "place_id")
            if row.get("record_status") == "draft":
                problems.add(row.path, row.line_of("record_status"), "not-reviewed",
                             f"{row.get(key)} is still record_status: draft",
                             f"check it (nkcp review {source_id}), then set record_status: reviewed, or delete it")
            for name, value in row.values.items():
                texts = value.values() if isinstance(value, dict) else [value]
                if any(isinstance(v, str) and _DRAFT_TEXT.search(v) for v in texts):
                    problems.add(row.path, row.line_of(name), "draft-text",
                                 f"{row.get(key)}: {name} still holds the drafting rules' words ('Draft...')",
                                 "replace them with your own words, from the capture")


def _renumbering(root: Path, reg: Schema, drafts: dict[Path, list[Row]], folder: Path) -> dict[str, str]:
    """Each draft ID's new ID: the next free after records/ and every other draft, in the drafts' order."""
    top = {"Q": 0, "E": 0, "V": 0}
    corpus = load_corpus(root, reg, Problems())
    for table, key in _KEYS.items():
        for row in corpus.rows.get(table, []):
            if (m := _ID.fullmatch(str(row.get(key)))) is not None:
                top[m.group(1)] = max(top[m.group(1)], int(m.group(2)))
    for path in sorted((root / DRAFTS_DIR).rglob("*.yaml")):
        if path.is_relative_to(folder) or path.name == "proposals.yaml":
            continue
        for letter, number in _ID.findall(read_text(path)):
            top[letter] = max(top[letter], int(number))
    mapping: dict[str, str] = {}
    for table, key in _KEYS.items():
        for rows in drafts.values():
            for row in rows:
                if row.table == table and (m := _ID.fullmatch(str(row.get(key)))) is not None:
                    top[m.group(1)] += 1
                    mapping[m.group(0)] = f"{m.group(1)}{top[m.group(1)]:04d}"
    return mapping


def _renamed(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
    if isinstance(value, list):
        return [_renamed(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, mapping) for k, v in value.items()}
    return value


def _stage(root: Path, reg: Schema, drafts: dict[Path, list[Row]], stage: Path, result: Accepted) -> dict[Path, Path]:
    """Write each draft file renumbered under `stage`, named as it will be in records/; staged -> draft."""
    staged: dict[Path, Path] = {}
    for path, rows in drafts.items():
        new = [Row(r.table, r.path, r.line, {k: _renamed(v, result.renumbered) for k, v in r.values.items()}) for r in rows]
        table = reg.tables[rows[0].table]
        name = _renamed(path.stem, result.renumbered) + ".yaml"
        target = stage / Path(table.records).name / name
        write_text(target, canonical_text_of(new, reg) or "")
        staged[target] = path
        result.moved[path.relative_to(root).as_posix()] = f"{table.records}/{name}"
    return staged


def _signed(sidecar: Row, reviewer: str, reg: Schema) -> str:
    """The sidecar with the reviewer added to reviewed_by (and its reason for being empty gone)."""
    values = dict(sidecar.values)
    values["reviewed_by"] = [*(values.get("reviewed_by") or []), *([] if reviewer in (values.get("reviewed_by") or [])
                                                                  else [reviewer])]
    values["unknown_reasons"] = {k: v for k, v in (values.get("unknown_reasons") or {}).items() if k != "reviewed_by"}
    return dump_canonical(canonical_record(Row("sources", sidecar.path, 1, values), reg))
