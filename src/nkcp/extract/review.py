"""`nkcp review`: show draft records beside the capture text they came from, for a reviewer.

Read-only. Each draft quotation is printed with the words around it in the capture (so a wrong
span or a missed closing mark shows at once) and its proposed speaker; each draft event with
its proposed values and the rules behind them (from `notes`). Judging a draft is a person's act
(records/README.md, "Drafts and review"); `nkcp review --accept` (extract/accept.py) then moves
the reviewed drafts into records/.
"""

from __future__ import annotations

from pathlib import Path

from nkcp.extract.draft import check_drafts
from nkcp.io.files import read_text
from nkcp.paths import DRAFTS_DIR
from nkcp.problems import Problems
from nkcp.records.parse import Row, load_corpus, load_file
from nkcp.schema.model import load_schema

_CONTEXT = 60


def review_text(root: Path, source_id: str) -> tuple[str, Problems]:
    """The review listing of drafts/<source_id>/, and the problems the drafts still have."""
    reg = load_schema(root)
    problems = Problems()
    folder = root / DRAFTS_DIR / source_id
    if not folder.is_dir():
        problems.add(f"{DRAFTS_DIR}/{source_id}", 1, "no-drafts", f"no drafts for {source_id}",
                     f"run nkcp extract on the capture of {source_id} first")
        return "", problems
    corpus = load_corpus(root, reg, Problems())
    sidecar = next((r for r in corpus.rows.get("sources", []) if r.get("source_id") == source_id), None)
    capture = read_text(root / str(sidecar.get("capture_path"))) if sidecar is not None else ""
    files = sorted(p for p in folder.rglob("*.yaml") if p.name != "proposals.yaml")
    lines: list[str] = []
    for path in files:
        table = path.parent.name
        rows = load_file(root, path, reg.tables[table], reg, problems)
        lines.append(f"== {path.relative_to(root).as_posix()}")
        for row in rows:
            lines += _quote(row, capture) if table == "quotes" else _event(row) if table == "events" else _evidence(row)
    remaining = check_drafts(root, files, reg)
    lines.append("")
    lines.append("To accept the drafts: check each against the capture, correct it, replace the draft texts with your "
                 "own, set record_status: reviewed (here and in the sidecar), then run "
                 f"nkcp review {source_id} --accept --reviewer 'Your Name' (records/README.md).")
    return "\n".join(lines), remaining


def _quote(row: Row, capture: str) -> list[str]:
    v = row.values
    start, end = int(v.get("start_offset", 0)), int(v.get("end_offset", 0))
    before = capture[max(0, start - _CONTEXT):start].replace("\n", " ")
    after = capture[end:end + _CONTEXT].replace("\n", " ")
    inferred = " (inferred)" if v.get("is_speaker_inferred") else ""
    out = [f"{v.get('quote_id')}  {start}-{end}  speaker{inferred}: {v.get('speaker_words')} -> "
           f"{v.get('informant_id')} ({v.get('informant_type')}, {v.get('evidentiary_basis')})"]
    if v.get("continues_quote_id"):
        out.append(f"    continues {v['continues_quote_id']}")
    out.append(f"    ...{before}[[{capture[start:end].replace(chr(10), ' ')}]]{after}...")
    if v.get("notes"):
        out.append(f"    {v['notes']}")
    return out


def _event(row: Row) -> list[str]:
    v = row.values
    shown = ("event_type", "claim_status", "date_start", "date_end", "date_precision", "date_basis", "date_words",
             "place_id", "origin_place_id", "destination_place_id", "location_precision", "count_low",
             "count_best", "count_high", "count_unit", "count_words", "perpetrator", "perpetrator_basis")
    out = [f"{v.get('event_id')}  {v.get('summary')}"]
    out += [f"    {name}: {v[name]}" for name in shown if v.get(name) is not None]
    if v.get("notes"):
        out.append(f"    {v['notes']}")
    return out


def _evidence(row: Row) -> list[str]:
    v = row.values
    out = [f"{v.get('evidence_id')}  {v.get('coded_field')} ({v.get('evidence_basis')})  "
           f"{v.get('start_offset')}-{v.get('end_offset')}: “{v.get('text')}”"]
    if v.get("reasoning"):
        out.append(f"    reasoning: {v['reasoning']}")
    if v.get("notes"):
        out.append(f"    {v['notes']}")
    return out
