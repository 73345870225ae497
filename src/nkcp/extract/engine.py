"""The extraction run: load the rules and the gazetteer once, then run every extractor on a text.

Order matters and is fixed: quotation marks are paired first, so the quoted words can be masked
before sentences are found; attributions are then found around each quotation and in every
sentence, which decides speech from scare quotes and resolves speakers; the day each speaker
spoke ("told RFA on June 18") becomes the reference for the dates inside their quotations;
places, counts, cues and likely duplicates need nothing but the text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp.extract import counts, cues, dates, duplicates, places, quotes, speakers
from nkcp.extract.text import Document, Proposal, Span
from nkcp.io.files import read_text
from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row, load_corpus
from nkcp.rules import Rule, RuleSet, count_hit, load_rules
from nkcp.schema.model import load_schema


@dataclass(frozen=True)
class SourceFacts:
    """What extraction needs from a capture's sidecar."""

    source_id: str
    capture_path: str
    reference: dates.Reference | None  # the original report's date bounds, else the capture's
    is_machine_paraphrase: bool = False

    @classmethod
    def from_row(cls, row: Row) -> SourceFacts:
        v = row.values
        ref = None
        for prefix in ("original_date", "publication_date"):
            start, end = v.get(f"{prefix}_start"), v.get(f"{prefix}_end")
            if isinstance(start, dt.date) and isinstance(end, dt.date):
                ref = (start, end)
                break
        return cls(str(v["source_id"]), str(v["capture_path"]), ref, bool(v.get("is_machine_paraphrase")))


@dataclass
class Context:
    """Everything loaded once per run: rules, gazetteer, known captures, sidecars."""

    rules: RuleSet
    gazetteer: places.Gazetteer
    known: list[duplicates.Known]
    sources: dict[str, Row]  # capture_path -> sidecar row
    quotes: list[Row]
    events: list[Row]
    evidence: list[Row]
    corpus: Corpus  # every curated row, for checking drafts beside them


@dataclass
class Extraction:
    source: SourceFacts
    doc: Document
    segments: list[quotes.Segment]
    speakers: speakers.SpeakerResult
    dates: list[dates.DateHit]
    places: list[Proposal]
    unknown_places: list[Proposal]
    counts: list[Proposal]
    cues: list[Proposal]
    duplicates: list[Proposal]
    hits: dict[str, int] = field(default_factory=dict)
    informant_types: dict[int, Rule] = field(default_factory=dict)  # entity index -> rule
    bases: dict[int, Rule] = field(default_factory=dict)  # segment index -> rule

    def speech(self) -> list[int]:
        """Indexes of the segments that are speech (not scare-quoted terms or titles)."""
        return [i for i, s in enumerate(self.segments) if s.kind == "speech"]


def check_resolvers(rules: RuleSet, problems: Problems) -> None:
    for rule in rules.of("date"):
        if rule.get("resolve") not in dates.RESOLVERS:
            problems.add(rule.path, rule.line, "rule-bad-value",
                         f"rule {rule.id}: resolve {rule.get('resolve')!r} is not one of {', '.join(dates.RESOLVERS)}")
    for rule in rules.of("duplicate"):
        if not 2 <= int(rule.get("shingle")) <= 12 or not 0 < float(rule.get("threshold")) <= 1:
            problems.add(rule.path, rule.line, "rule-bad-value", f"rule {rule.id}: shingle 2-12 and threshold in (0, 1]")
    for rule in rules.of("cue_scope"):
        if rule.get("scope") not in cues.SCOPES:
            problems.add(rule.path, rule.line, "rule-bad-value", f"rule {rule.id}: scope {rule.get('scope')!r} is not one of "
                         f"{', '.join(cues.SCOPES)}")


def load_context(root: Path, problems: Problems, include_proposed: bool = False) -> Context:
    """Rules (checked; their examples are run by `nkcp extract --check-rules` and the tests, not on
    every call), gazetteer and sidecars; rule problems go to `problems`."""
    reg = load_schema(root)
    rules = load_rules(root, reg, problems, include_proposed)
    check_resolvers(rules, problems)
    corpus = load_corpus(root, reg, Problems())  # curated records are checked by `nkcp validate`
    sources = {str(r.values["capture_path"]): r for r in corpus.rows.get("sources", []) if r.get("capture_path")}
    gazetteer = places.Gazetteer.from_rows(r.values for r in corpus.rows.get("locations", []) if r.get("place_id"))
    known: list[duplicates.Known] = []
    dup_rules = rules.of("duplicate")
    if dup_rules:
        texts = []
        for path, row in sorted(sources.items()):
            if (root / path).is_file():
                texts.append((str(row.values["source_id"]), path, read_text(root / path)))
        known = duplicates.index(texts, dup_rules[0])
    return Context(rules, gazetteer, known, sources, corpus.rows.get("quotes", []), corpus.rows.get("events", []),
                   corpus.rows.get("evidence", []), corpus)


def extract(text: str, source: SourceFacts, ctx: Context) -> Extraction:
    """Run every extractor on one capture's text."""
    rules, hits = ctx.rules, {}  # type: ignore[var-annotated]
    doc = Document(text)
    segments = quotes.find_segments(doc, rules, hits)
    doc.mask([s.span for s in segments])
    mentions, attached = speakers.find_mentions(doc, segments, rules, hits)
    quotes.classify(doc, segments, set(attached), rules, hits)
    attached = {i: m for i, m in attached.items() if segments[i].kind == "speech"}
    result = speakers.resolve(segments, mentions, attached)
    found_dates = dates.find_dates(doc, rules, hits)
    _resolve_dates(doc, segments, result, found_dates, source.reference, rules.of("speech_date"), hits)
    found_places = places.find_places(doc, ctx.gazetteer, rules, hits)
    unknown = places.find_unknown_places(doc, ctx.gazetteer, found_places, rules, hits)
    dup_rules = rules.of("duplicate")
    dups = duplicates.find_duplicates(text, ctx.known, dup_rules[0], source.capture_path, hits) if dup_rules else []
    ex = Extraction(source, doc, segments, result, found_dates, found_places, unknown,
                    counts.find_counts(doc, rules, hits), cues.find_cues(doc, rules, hits), dups, hits)
    _classify_informants(ex, rules)
    return ex


def _first_rule(rules: list[Rule], text: str, hits: dict[str, int]) -> Rule | None:
    for rule in rules:
        if rule.regex.search(text):
            count_hit(hits, rule)
            return rule
    return None


def _classify_informants(ex: Extraction, rules: RuleSet) -> None:
    """Informant type from each informant's description, evidentiary basis from each quotation."""
    for entity in ex.speakers.entities:
        found = _first_rule(rules.of("informant_type"), entity.words, ex.hits)
        if found is not None:
            ex.informant_types[entity.index] = found
    for i in ex.speech():
        found = _first_rule(rules.of("evidentiary_basis"), ex.doc.flat(ex.segments[i].start, ex.segments[i].end), ex.hits)
        if found is not None:
            ex.bases[i] = found


def _attribution_span(doc: Document, segments: list[quotes.Segment], mention: speakers.Mention) -> Span:
    """The words of an attribution after the speaker phrase and outside the quotation, where the
    day of speaking is given ("told RFA on June 18", "told RFA Tuesday that ..."); dates inside
    the speaker phrase ("who left for China in April") are not the day of speaking."""
    seg = segments[mention.segment] if mention.segment is not None else None
    if seg is not None and mention.context == "after" and seg.close_mark is not None:
        return Span(mention.end, doc.sentence_of(seg.close_mark).end)
    if seg is not None and mention.context in ("before", "named"):
        return Span(mention.end, seg.open_mark)
    sentence = doc.sentence_of(mention.start)
    stop = sentence.end
    for marker in (" that ", "“", "\""):
        found = doc.text.find(marker, mention.end, sentence.end)
        if found >= 0:
            stop = min(stop, found)
    return Span(mention.end, stop)


def _resolve_dates(doc: Document, segments: list[quotes.Segment], result: speakers.SpeakerResult,
                   found: list[dates.DateHit], ref: dates.Reference | None, spoken: list[Rule],
                   hits: dict[str, int]) -> None:
    """Speech dates first (against the document's date), then every other date. A speech date is
    one attached to the speech verb ("told RFA on June 18", "said Tuesday"): the words between the
    speaker and the date must be a `speech_date` rule's, so "said families were exiled in May"
    gives no day of speaking."""
    quoted = [s.span for s in segments]
    speech_hits: set[int] = set()
    for mention in result.mentions:
        if mention.entity is None:
            continue
        entity = result.entities[mention.entity]
        span = _attribution_span(doc, segments, mention)
        for h_index, hit in enumerate(found):
            inside = Span(hit.start, hit.end)
            if h_index in speech_hits or not inside.inside(span) or any(inside.overlaps(q) for q in quoted):
                continue
            verb = next((r for r in spoken if r.regex.search(doc.text[mention.end:hit.start])), None)
            if spoken and verb is None:
                continue
            if verb is not None:
                count_hit(hits, verb)
            hit.resolved = dates.resolve(hit, ref)
            hit.reference, hit.spoken = "document", True
            speech_hits.add(h_index)
            if entity.speech_date is None and hit.resolved is not None and hit.resolved.start is not None:
                entity.speech_date = hit.resolved
    for h_index, hit in enumerate(found):
        if h_index in speech_hits:
            continue
        speaker_ref = _speaker_reference(doc, segments, result, hit)
        hit.reference = "speaker" if speaker_ref is not None else "document"
        hit.resolved = dates.resolve(hit, speaker_ref or ref)


def _speaker_reference(doc: Document, segments: list[quotes.Segment], result: speakers.SpeakerResult,
                       hit: dates.DateHit) -> dates.Reference | None:
    """The speech date of the speaker whose quotation (or its sentence) holds the date."""
    sentence = doc.sentence_of(hit.start)
    for i, seg in enumerate(segments):
        if seg.kind != "speech" or i not in result.speaker_of:
            continue
        inside_quote = seg.start <= hit.start < seg.end
        same_sentence = sentence.start <= seg.open_mark < sentence.end
        if inside_quote or same_sentence:
            said = result.entities[result.speaker_of[i]].speech_date
            if isinstance(said, dates.Resolved) and said.start is not None and said.end is not None:
                return (said.start, said.end)
            if inside_quote:
                return None
    return None


def proposals(ex: Extraction) -> list[Proposal]:
    """Every proposal of the run, as plain data, in text order."""
    out: list[Proposal] = []
    for i in range(len(ex.segments)):
        out.append(segment_proposal(ex, i))
    for m in ex.speakers.mentions:
        value: dict[str, Any] = {"context": m.context}
        if m.phrase is not None:
            value["reference"] = m.phrase.ref
            value["reference_rule"] = m.phrase.ref_rule
        if m.entity is not None:
            value["informant"] = m.entity + 1
        out.append(Proposal("speaker", m.rule_id, m.start, m.end, m.words, value))
    out += [h.proposal() for h in ex.dates]
    out += ex.places + ex.unknown_places + ex.counts + ex.cues + ex.duplicates
    return sorted(out, key=lambda p: (p.start, p.end, p.kind, p.rule_id))


def segment_proposal(ex: Extraction, i: int) -> Proposal:
    seg = ex.segments[i]
    value: dict[str, Any] = {"class": seg.kind}
    if seg.class_rule:
        value["class_rule"] = seg.class_rule
    if seg.continues is not None:
        value["continues_segment"] = seg.continues + 1
    if seg.cut_rule:
        value["cut_rule"] = seg.cut_rule
    if seg.stray_rule:
        value["stray_rule"] = seg.stray_rule
    speaker = ex.speakers.speaker_of.get(i)
    if seg.kind == "speech" and speaker is not None:
        value["informant"] = speaker + 1
        value["speaker_inferred"] = i not in ex.speakers.mention_of
    return Proposal("quote", seg.rule_id, seg.start, seg.end, ex.doc.flat(seg.start, seg.end), value)
