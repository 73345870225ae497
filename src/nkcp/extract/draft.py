"""Draft records from an extraction: quotations and events with `record_status: draft`, plus the
full list of proposals, written to `drafts/<source_id>/` where the build never looks.

Layout (the file names follow `records/`, so a reviewed file is moved, not rewritten):

    drafts/<source_id>/quotes/<source_id>.yaml   draft quotations of the capture
    drafts/<source_id>/events/E####.yaml         one draft event per kind of act found in them
    drafts/<source_id>/places/<place_id>.yaml    a draft place per reference place found (GeoNames, ISO)
    drafts/<source_id>/proposals.yaml            every proposal: kind, rule id, span, values

Drafts are valid records apart from their status: required fields that no rule proposes get a
placeholder from the vocabulary (`unknown` where it exists), and every draft's `notes` say which
rule proposed which value and which values are placeholders. IDs continue after the highest ID
in `records/` and in other drafts; the build refuses draft records (`[draft-record]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp.extract import cues
from nkcp.extract.engine import Context, Extraction, proposals
from nkcp.extract.reference import draft_places
from nkcp.extract.text import Proposal, Span
from nkcp.io.files import read_text, write_text
from nkcp.io.yaml_nodes import dump_canonical
from nkcp.paths import DRAFTS_DIR
from nkcp.problems import Problems
from nkcp.records.canonical import canonical_text_of, check_format
from nkcp.records.checks import check_links, check_rows
from nkcp.records.parse import Corpus, Row, canonical_record, load_corpus, load_file
from nkcp.schema.model import Schema

_SPECIFIC = ("village", "facility", "part_of_city", "county", "city", "capital_city", "province", "river",
             "informal_region", "country")
_PRECISION = {"village": "exact_site", "facility": "exact_site", "part_of_city": "near_site", "county": "county_or_city",
              "city": "county_or_city", "capital_city": "county_or_city", "province": "province",
              "informal_region": "region", "river": "region", "country": "country"}
_ID = re.compile(r"\b([QEV])(\d{4,})\b")
# A wire dateline ("SEOUL, June 22 (Yonhap) --") dates the report, never the act it opens with.
_DATELINE = re.compile(r"(?m)^[A-Z][A-Z .'’-]*,\s+[^()\n]{3,30}?\s*\([A-Za-z .-]+\)\s*(?:--|—|–)")


@dataclass
class Drafts:
    """What `write_drafts` produced."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    quotes: int = 0
    events: int = 0
    problems: Problems = field(default_factory=Problems)
    reference: str = ""  # which date relative dates were resolved against


def next_ids(root: Path, ctx: Context) -> dict[str, int]:
    """The next free quote, event and evidence numbers, after every ID in records/ and in drafts/."""
    top = {"Q": 0, "E": 0, "V": 0}
    for letter, rows, key in (("Q", ctx.quotes, "quote_id"), ("E", ctx.events, "event_id"), ("V", ctx.evidence, "evidence_id")):
        for row in rows:
            top[letter] = max(top[letter], int(str(row.get(key) or "0")[1:] or 0))
    drafts = root / DRAFTS_DIR
    if drafts.is_dir():
        for path in sorted(drafts.rglob("*.yaml")):
            if path.name == "proposals.yaml":
                continue
            for letter, number in _ID.findall(read_text(path)):
                top[letter] = max(top[letter], int(number))
    return {letter: n + 1 for letter, n in top.items()}


def _informant_ids(ex: Extraction, ctx: Context) -> dict[int, tuple[str, str]]:
    """Informant ids known from a capture this one resembles: for each proposed informant, the
    curated informant of the most similar quotation (rapidfuzz ratio >= 90), with the quote id."""
    resembles = {str(d.value["resembles"]) for d in ex.duplicates}
    if not resembles:
        return {}
    from rapidfuzz import fuzz

    known = [r.values for r in ctx.quotes if r.get("source_id") in resembles]
    found: dict[int, tuple[str, str]] = {}
    for i in ex.speech():
        entity = ex.speakers.speaker_of.get(i)
        if entity is None or entity in found:
            continue
        text = ex.doc.flat(ex.segments[i].start, ex.segments[i].end)
        best = max(known, key=lambda q: fuzz.ratio(text, str(q["text"])), default=None)
        if best is not None and fuzz.ratio(text, str(best["text"])) >= 90:
            found[entity] = (str(best["informant_id"]), str(best["quote_id"]))
    return found


def draft_quotes(ex: Extraction, ctx: Context, first_id: int) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Draft quotation records for the speech segments; also segment index -> quote id."""
    sid = ex.source.source_id
    ids = {i: f"Q{first_id + n:04d}" for n, i in enumerate(ex.speech())}
    known = _informant_ids(ex, ctx)
    out = []
    for i, qid in ids.items():
        seg = ex.segments[i]
        entity_index = ex.speakers.speaker_of.get(i)
        entity = ex.speakers.entities[entity_index] if entity_index is not None else None
        mention = ex.speakers.mention_of.get(i)
        notes = [f"Draft from rules: quotation {seg.rule_id} at {seg.start}-{seg.end}"
                 + (f", class {seg.class_rule}" if seg.class_rule else "")
                 + (f", cut {seg.cut_rule}" if seg.cut_rule else "")
                 + (f", stray mark {seg.stray_rule}" if seg.stray_rule else "")]
        if mention is not None:
            words = mention.words[mention.phrase.start_trim:].strip(" ,") if mention.phrase else mention.words
            notes.append(f"speaker {mention.rule_id} at {mention.start}-{mention.end}"
                         + (f" ({mention.phrase.ref_rule})" if mention.phrase else ""))
        elif entity is not None:
            words = entity.words
            notes.append("speaker inferred: the informant most recently named before the quotation")
        else:
            words = "speaker not found"
            notes.append("no speaker found: fill in speaker_words and informant_id")
        if entity_index is not None and entity_index in known:
            informant = known[entity_index][0]
            notes.append(f"informant_id from {known[entity_index][1]} of a capture this one resembles")
        else:
            informant = f"{sid}-informant-{entity_index + 1}" if entity_index is not None else f"{sid}-informant-unknown"
        type_rule = ex.informant_types.get(entity_index) if entity_index is not None else None
        basis_rule = ex.bases.get(i)
        notes.append(f"informant_type {type_rule.id if type_rule else 'placeholder'}, "
                     f"evidentiary_basis {basis_rule.id if basis_rule else 'placeholder'}")
        record: dict[str, Any] = {
            "quote_id": qid, "record_status": "draft", "start_offset": seg.start, "end_offset": seg.end,
            "text": ex.doc.flat(seg.start, seg.end)}
        if seg.continues is not None and seg.continues in ids:
            record["continues_quote_id"] = ids[seg.continues]
        record.update({
            "speaker_words": words, "informant_id": informant,
            "informant_type": type_rule.get("informant_type") if type_rule else "unknown",
            "evidentiary_basis": basis_rule.get("evidentiary_basis") if basis_rule else "unclear",
            "is_speaker_inferred": i not in ex.speakers.mention_of,
            "is_cut_by_publisher": seg.cut_rule is not None,
            "is_from_paraphrased_copy": ex.source.is_machine_paraphrase,
            "is_possibly_altered": False,
            "notes": "; ".join(notes) + "."})
        out.append(record)
    return out, ids


def _inside(p: Proposal | Span, spans: list[Span]) -> bool:
    span = p if isinstance(p, Span) else p.span
    return any(span.inside(s) for s in spans)


def draft_events(ex: Extraction, ctx: Context, quote_ids: dict[int, str], first_id: int) -> list[dict[str, Any]]:
    """One draft event per kind of act named anywhere in the capture (cues.acts_by_type says which
    acts count: not denied ones, and feared or hedged ones only as a rumour)."""
    speech = [Span(ex.segments[i].start, ex.segments[i].end) for i in quote_ids]
    others = [s.span for s in ex.segments if s.kind != "speech"]
    by_type, denied = cues.acts_by_type(ex.doc, speech, others, ex.cues)
    events = []
    for n, etype in enumerate(sorted(by_type, key=lambda t: by_type[t][0].cue.start)):
        acts = by_type[etype]
        spans = sorted({a.unit for a in acts}, key=lambda s: (s.start, s.end))
        event = _event(ex, ctx, etype, spans, f"E{first_id + n:04d}", acts[0].cue, acts)
        held = [f"{c.text!r} at {c.start}-{c.end} ({c.value['scope_rule']})" for c in denied if c.value["event_type"] == etype]
        if held:
            event["notes"] = event["notes"][:-1] + "; denied or said in general, so not drafted: " + ", ".join(held) + "."
        events.append(event)
    return events


class _Evidence:
    """The evidence entries of one draft event: for each fact the rules found, the span and rule behind it."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.entries: list[dict[str, Any]] = []

    def cite(self, fields: tuple[str, ...], span: Span | Proposal, rule_id: str, reasoning: str = "") -> None:
        start, end = (span.start, span.end)
        for name in fields:
            entry = {"record_status": "draft", "coded_field": name, "evidence_basis": "inferred" if reasoning else "stated",
                     "source_id": self.ex.source.source_id, "start_offset": start, "end_offset": end,
                     "text": self.ex.doc.flat(start, end), "reasoning": reasoning or None,
                     "notes": f"Draft from rule {rule_id}: check the span and the basis against the capture."}
            self.entries.append(entry)


def _event(ex: Extraction, ctx: Context, etype: str, spans: list[Span], event_id: str, cue: Proposal,
           acts: list[cues.Act]) -> dict[str, Any]:
    evidence = _Evidence(ex)
    for act in acts:
        evidence.cite(("event_type",), act.cue, act.cue.rule_id)
    notes = [f"Draft from rules: act {cue.rule_id} ({cue.text!r} at {cue.start}-{cue.end})"
             + "".join(f", {a.cue.rule_id} ({a.cue.text!r} at {a.cue.start}-{a.cue.end})" for a in acts[1:])]
    placeholders = ["record_kind", "target", "claim_status", "absent_person"]
    unknown: dict[str, str] = {}
    record: dict[str, Any] = {"event_id": event_id, "record_status": "draft",
                              "summary": f"Draft: the capture {'reports' if acts[0].claim is None else 'fears or hears talk of'} "
                                         f"{etype.replace('_', ' ')} ({cue.text!r}); "
                                         "rewrite this summary from the cited quotations.",
                              "record_kind": "incident", "event_type": etype, "target": "family_of_absent_person",
                              "source_ids": [ex.source.source_id]}
    evidence.cite(("target",), cue, cue.rule_id, "Draft placeholder: say who the act was aimed at, from the capture.")
    claim, hedges = cues.claim_of(ex.cues, spans, acts)
    record["claim_status"] = claim
    record["claim_status_reason"] = ("Draft: the words hedge, fear or call it talk ("
                                     + ", ".join(sorted({rule for _, rule in hedges})) + "), so it is not a report."
                                     if hedges else "Draft: not yet assessed by a reviewer.")
    for span, rule_id in hedges or [(cue.span, cue.rule_id)]:
        evidence.cite(("claim_status",), span, rule_id,
                      "" if hedges else "Draft: the capture states the act; assess how certain it is.")
    datelines = [Span(m.start(), m.end()) for m in _DATELINE.finditer(ex.doc.text[:400])]
    dated = [h for h in ex.dates if h.resolved is not None and _inside(Span(h.start, h.end), spans)
             and not _inside(Span(h.start, h.end), datelines)]
    date = next((h for h in dated if not h.spoken), None)
    spoken = next((h for h in dated if h.spoken and h.resolved is not None and h.resolved.end is not None), None)
    if date is not None and date.resolved is not None:
        r = date.resolved
        record.update({k: v for k, v in (("date_start", r.start), ("date_end", r.end)) if v is not None})
        record.update({"date_precision": r.precision, "date_basis": r.basis, "date_words": date.words})
        notes.append(f"date {date.rule.id} at {date.start}-{date.end} against the {date.reference}'s date")
        why = "" if r.basis == "stated" else f"Draft: {date.words!r} resolved against the {date.reference}'s date."
        bounds = tuple(k for k in ("date_start", "date_end") if k in record)  # "recently" has no start to cite
        evidence.cite((*bounds, "date_precision"), Span(date.start, date.end), date.rule.id, why)
    elif spoken is not None and spoken.resolved is not None:  # the act precedes the day its speaker spoke
        record.update({"date_end": spoken.resolved.end, "date_precision": "before_report", "date_basis": "inferred"})
        notes.append(f"date: only before the day of speaking, {spoken.rule.id} at {spoken.start}-{spoken.end}")
        evidence.cite(("date_end", "date_precision"), Span(spoken.start, spoken.end), spoken.rule.id,
                      f"Draft: the act precedes the day the speaker spoke ({spoken.words!r}, {spoken.resolved.end}).")
    else:
        ref = ex.source.reference
        if ref is not None:
            record["date_end"] = ref[1]
        record.update({"date_precision": "before_report", "date_basis": "inferred"})
        notes.append("no date in the cited words: only known to precede the report")
        evidence.cite(("date_end", "date_precision") if ref is not None else ("date_precision",), cue, cue.rule_id,
                     "Draft: no date in the cited words; the act is only known to precede the report.")
    for key in ("date_start", "date_end"):
        if key not in record:
            unknown[key] = "Draft: no bound proposed by the rules."
    _place(ex, ctx, record, spans, evidence, notes, etype, cue)
    count = next((c for c in ex.counts if _inside(c, spans) and any(
        k in c.value for k in ("count_best", "count_low", "count_high")) and "count_unit" in c.value), None)
    if count is not None:
        for key in ("count_low", "count_best", "count_high", "count_unit", "count_words"):
            if key in count.value:
                record[key] = count.value[key]
        notes.append(f"count {count.rule_id} at {count.start}-{count.end}")
        evidence.cite(tuple(k for k in ("count_low", "count_best", "count_high") if k in count.value), count, count.rule_id)
    if "count_best" not in record:
        unknown["count_best"] = "Draft: no single count proposed by the rules."
    perp = next((c for c in ex.cues if "perpetrator" in c.value and _inside(c, spans)), None)
    if perp is not None:
        basis = perp.value.get("basis", "stated")
        record.update({"perpetrator": perp.value["perpetrator"], "perpetrator_basis": basis, "perpetrator_words": perp.text})
        notes.append(f"perpetrator {perp.rule_id} at {perp.start}-{perp.end}")
        evidence.cite(("perpetrator",), perp, perp.rule_id,
                     "" if basis == "stated" else f"Draft: {perp.text!r} is mapped to an organ by rule {perp.rule_id}.")
    else:
        record["perpetrator"] = "unknown"
        placeholders.append("perpetrator")
    record["absent_person"] = "unknown"
    record["evidence_entries"] = evidence.entries
    notes.append("placeholders to check: " + ", ".join(placeholders))
    record["notes"] = "; ".join(notes) + "."
    if unknown:
        record["unknown_reasons"] = unknown
    return record


def _place(ex: Extraction, ctx: Context, record: dict[str, Any], spans: list[Span], evidence: _Evidence,
           notes: list[str], etype: str, cue: Proposal) -> None:
    hits = [p for p in ex.places if _inside(p, spans) and len(p.value["place_ids"]) == 1]
    rank = {c: n for n, c in enumerate(_SPECIFIC)}
    gaz = ctx.gazetteer.places

    def klass(p: Proposal) -> str:
        return gaz[p.value["place_ids"][0]].feature_class

    if etype in ("banishment", "eviction"):
        origin = next((p for p in hits if re.search(r"\bfrom\s+(?:the\s+)?$", ex.doc.text[max(0, p.start - 12):p.start])), None)
        dest = next((p for p in hits if p.start > cue.start and p is not origin and re.search(
            r"\b(?:to|into|in)\s+(?:the\s+)?$", ex.doc.text[max(0, p.start - 12):p.start])), None)
        if origin is not None:
            record["origin_place_id"] = ctx.gazetteer.record_id(origin.value["place_ids"][0])
            notes.append(f"origin {origin.rule_id} at {origin.start}-{origin.end}")
            evidence.cite(("origin_place_id",), origin, origin.rule_id)
        if dest is not None:
            record["destination_place_id"] = ctx.gazetteer.record_id(dest.value["place_ids"][0])
            notes.append(f"destination {dest.rule_id} at {dest.start}-{dest.end}")
            evidence.cite(("destination_place_id",), dest, dest.rule_id)
    best = min(hits, key=lambda p: (rank.get(klass(p), 99), p.start), default=None)
    if best is not None:
        record["place_id"] = ctx.gazetteer.record_id(best.value["place_ids"][0])
        record["location_precision"] = _PRECISION.get(klass(best), "unknown")
        notes.append(f"place {best.rule_id} at {best.start}-{best.end}")
        evidence.cite(("place_id",), best, best.rule_id)
        evidence.cite(("location_precision",), best, best.rule_id,
                     f"Draft: the precision of a gazetteer {klass(best)}; check what the capture says.")
    else:
        record["place_id"] = "north-korea"
        record["location_precision"] = "unknown"
        notes.append("no place in the quotations: place_id north-korea is a placeholder")
        evidence.cite(("place_id",), cue, cue.rule_id, "Draft placeholder: no place in the quotations.")


def proposals_document(ex: Extraction, include_proposed: bool) -> dict[str, Any]:
    items = []
    for p in proposals(ex):
        item: dict[str, Any] = {"kind": p.kind, "rule": p.rule_id, "start": p.start, "end": p.end}
        if p.text:
            item["text"] = p.text
        item.update({k: v for k, v in p.value.items() if v is not None and v != [] and v != ""})
        items.append(item)
    return {"source_id": ex.source.source_id, "capture_path": ex.source.capture_path,
            "rules": "reviewed and proposed" if include_proposed else "reviewed only",
            "informants": [{"informant": e.index + 1, "words": e.words} for e in ex.speakers.entities],
            "proposals": items}


def write_drafts(root: Path, ex: Extraction, ctx: Context, reg: Schema, include_proposed: bool,
                 force: bool = False) -> Drafts:
    """Write the drafts of one capture and check them as records (all problems but [draft-record])."""
    sid = ex.source.source_id
    folder = root / DRAFTS_DIR / sid
    result = Drafts(folder)
    rel = folder.relative_to(root).as_posix()
    if folder.exists() and not force:
        result.problems.add(rel, 1, "drafts-exist", f"{rel}/ already holds drafts, perhaps already under review",
                            "review or remove them, or pass --force to overwrite")
        return result
    if folder.exists():
        for old in sorted(folder.rglob("*.yaml")):
            old.unlink()
    first = next_ids(root, ctx)
    quotes, ids = draft_quotes(ex, ctx, first["Q"])
    events = draft_events(ex, ctx, ids, first["E"])
    if quotes:
        path = folder / "quotes" / f"{sid}.yaml"
        records = [canonical_record(Row("quotes", rel, 1, q), reg) for q in quotes]  # as record files are written
        write_text(path, dump_canonical({"source_id": sid, "quotes": records}))
        result.files.append(path)
    vid = first["V"]
    for event in events:
        path = folder / "events" / f"{event['event_id']}.yaml"
        write_text(path, dump_canonical(canonical_record(Row("events", rel, 1, event), reg)))
        path_ev = folder / "evidence" / f"{event['event_id']}.yaml"
        rows = []
        for entry in event["evidence_entries"]:
            rows.append(Row("evidence", rel, 1, {"evidence_id": f"V{vid:04d}", "event_id": event["event_id"], **entry}))
            vid += 1
        write_text(path_ev, canonical_text_of(rows, reg) or "")
        result.files += [path, path_ev]
    for place in draft_places(ex, ctx):  # reference places found: drafts of new place records
        path = folder / "places" / f"{place['place_id']}.yaml"
        write_text(path, dump_canonical(canonical_record(Row("locations", rel, 1, place), reg)))
        result.files.append(path)
    path = folder / "proposals.yaml"
    write_text(path, dump_canonical(proposals_document(ex, include_proposed)))
    result.files.append(path)
    result.quotes, result.events = len(quotes), len(events)
    result.problems.extend(check_drafts(root, result.files, reg, ctx.corpus))
    return result


def check_drafts(root: Path, files: list[Path], reg: Schema, curated: Corpus | None = None) -> Problems:
    """Validate draft record files together with the curated records (`curated`, when the caller
    has read them already), as the build would; only problems in the drafts are returned, and
    [draft-record] is expected, so left out. The curated rows' own checks are `nkcp validate`'s:
    here only the drafts' rows are checked alone, and everything across rows and captures."""
    base = curated if curated is not None else load_corpus(root, reg, Problems())
    corpus = Corpus(rows={name: list(rows) for name, rows in base.rows.items()}, texts=dict(base.texts))
    problems = Problems()
    drafts = Corpus(texts={})
    tables = {Path(t.records).name: name for name, t in reg.tables.items()}  # folder -> table, as in records/
    for path in files:
        table = tables.get(path.parent.name, "")
        if table not in reg.tables or table == "sources":
            continue
        rows = load_file(root, path, reg.tables[table], reg, problems, drafts)
        corpus.rows.setdefault(table, []).extend(rows)
        drafts.rows.setdefault(table, []).extend(rows)
    check_format(drafts, reg, problems)
    for rows in drafts.rows.values():
        check_rows(rows, reg, problems)
    check_links(root=root, corpus=corpus, reg=reg, problems=problems)
    wanted = {p.relative_to(root).as_posix() for p in files}
    return Problems([p for p in problems.items if p.path in wanted and p.code != "draft-record"])

