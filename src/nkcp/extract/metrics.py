"""How well the rules reproduce the hand-curated records: the figures the floors are set on.

Run the rules that run by default (the reviewed ones, as `nkcp extract` runs them; pass a
context loaded with proposed rules to see what reviewing them would add) on every capture that
has a sidecar, and compare with the curated records of the same source:

- **Quotations.** A curated quotation is recalled when a proposed speech segment of the same
  source overlaps its span or has the same text; a proposal is precise when it overlaps a
  curated quotation. Exact spans are counted too.
- **Speakers.** Each recalled quotation is paired with the proposal that overlaps it most. The
  proposals' informants (numbered per article) are mapped one-to-one onto curated
  `informant_id`s, greedily by how many quotations they share (ties by id), and a quotation's
  speaker is correct when its proposed informant maps to its curated `informant_id`. Merging
  two informants or splitting one therefore costs every quotation of the smaller part.
- **Places.** Every place an event names (`place_id`, `origin_place_id`,
  `destination_place_id`) must be proposed in at least one capture the event cites. The
  stricter per-capture figure (the place must be proposed in each citing capture, even one that
  does not name it) is reported beside it.
- **Dates.** For each event with `date_words` and each cited capture where those words are
  found ("..." separates pieces), every date proposed over the words must lie within the
  curated bounds. An open bound is no claim and is not checked (a curated open start is
  unbounded; a proposed open start says nothing).
- **Duplicates.** Which known captures each capture is flagged as resembling.
- **Event types.** The draft events `nkcp extract` would write for a capture against the curated
  events that cite it, as (capture, type) pairs: a curated type (`event_type` or one of
  `other_event_types`) is found when a draft event has it; a drafted type fits when a curated
  event of the capture has it. Its claim fits when the draft is no firmer than the curated
  events of that type allow (a rumour drafted as a report does not fit).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nkcp.extract.engine import Context, Extraction, SourceFacts, extract, load_context
from nkcp.extract.text import Span
from nkcp.io.files import read_text
from nkcp.problems import Problems


@dataclass
class Figures:
    """Counts for one capture (or, summed, for all)."""

    source_id: str
    quotes_curated: int = 0
    quotes_recalled: int = 0
    quotes_proposed: int = 0
    quotes_precise: int = 0
    quotes_exact: int = 0
    speakers_checked: int = 0
    speakers_correct: int = 0
    places_curated: int = 0
    places_found: int = 0
    dates_checked: int = 0
    dates_within: int = 0
    missed_quotes: list[str] = field(default_factory=list)
    extra_quotes: list[str] = field(default_factory=list)
    wrong_speakers: list[str] = field(default_factory=list)
    missed_places: list[str] = field(default_factory=list)
    date_failures: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    types_curated: int = 0
    types_drafted: int = 0
    types_found: int = 0
    claims_fitting: int = 0
    missed_types: list[str] = field(default_factory=list)
    extra_types: list[str] = field(default_factory=list)
    wrong_claims: list[str] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
            elif isinstance(value, list):
                getattr(self, name).extend(value)


def ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


@dataclass
class Report:
    """Per-capture figures and the overall ones."""

    captures: list[Figures]
    places_by_event: tuple[int, int]  # (found, curated) over event places
    missed_event_places: list[str]
    extractions: dict[str, Extraction]

    def total(self) -> Figures:
        out = Figures("all")
        for f in self.captures:
            out.add(f)
        return out

    def quote_recall(self) -> float:
        t = self.total()
        return ratio(t.quotes_recalled, t.quotes_curated)

    def quote_precision(self) -> float:
        t = self.total()
        return ratio(t.quotes_precise, t.quotes_proposed)

    def speaker_accuracy(self) -> float:
        t = self.total()
        return ratio(t.speakers_correct, t.speakers_checked)

    def place_recall(self) -> float:
        return ratio(*self.places_by_event)

    def place_recall_per_capture(self) -> float:
        t = self.total()
        return ratio(t.places_found, t.places_curated)

    def type_recall(self) -> float:
        t = self.total()
        return ratio(t.types_found, t.types_curated)

    def type_precision(self) -> float:
        t = self.total()
        return ratio(t.types_found, t.types_drafted)

    def dates_within(self) -> float:
        t = self.total()
        return ratio(t.dates_within, t.dates_checked)


def run(root: Path, ctx: Context | None = None) -> Report:
    """Extract every capture that has a sidecar (and exists) and compare with the curated records."""
    if ctx is None:
        problems = Problems()
        ctx = load_context(root, problems)
        if problems:
            raise ValueError("the rules have problems:\n" + problems.as_text())
    quotes_by_source: dict[str, list[dict[str, object]]] = {}
    for row in ctx.quotes:
        quotes_by_source.setdefault(str(row.get("source_id")), []).append(row.values)
    events = [row.values for row in ctx.events]
    figures: list[Figures] = []
    extractions: dict[str, Extraction] = {}
    found_places: dict[str, set[str]] = {}
    for path, row in sorted(ctx.sources.items()):
        if not (root / path).is_file():
            continue  # a missing capture is `nkcp validate`'s to report, as in `nkcp extract --check-rules`
        facts = SourceFacts.from_row(row)
        ex = extract(read_text(root / path), facts, ctx)
        extractions[facts.source_id] = ex
        fig = Figures(facts.source_id)
        _quotes_and_speakers(ex, quotes_by_source.get(facts.source_id, []), fig)
        found_places[facts.source_id] = {pid for p in ex.places for pid in p.value["place_ids"]}
        _places(facts.source_id, events, found_places[facts.source_id], fig)
        _dates(ex, events, fig)
        fig.duplicates = [f"{d.value['resembles']} ({d.value['containment']})" for d in ex.duplicates]
        _event_types(ex, ctx, events, fig)
        figures.append(fig)
    found, total, missed = 0, 0, []
    for event in events:
        for pid in _event_places(event):
            total += 1
            if any(pid in places for sid, places in found_places.items() if _cites(event, sid)):
                found += 1
            else:
                missed.append(f"{event['event_id']}: {pid}")
    return Report(figures, (found, total), missed, extractions)


def _quotes_and_speakers(ex: Extraction, curated: list[dict[str, object]], fig: Figures) -> None:
    speech = ex.speech()
    spans = {i: Span(ex.segments[i].start, ex.segments[i].end) for i in speech}
    texts = {i: ex.doc.flat(s.start, s.end) for i, s in spans.items()}
    fig.quotes_curated, fig.quotes_proposed = len(curated), len(speech)
    pairs: list[tuple[str, int | None, str]] = []
    for q in curated:
        span = Span(int(q["start_offset"]), int(q["end_offset"]))  # type: ignore[call-overload]
        best, best_overlap = None, -1
        for i, s in spans.items():
            overlap = min(s.end, span.end) - max(s.start, span.start)
            if (overlap > 0 or texts[i] == q["text"]) and overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is None:
            fig.missed_quotes.append(f"{q['quote_id']} {str(q['text'])[:50]!r}")
            continue
        fig.quotes_recalled += 1
        fig.quotes_exact += spans[best] == span
        pairs.append((str(q["informant_id"]), ex.speakers.speaker_of.get(best), str(q["quote_id"])))
    for i, s in spans.items():
        if any(s.overlaps(Span(int(q["start_offset"]), int(q["end_offset"]))) for q in curated):  # type: ignore[call-overload]
            fig.quotes_precise += 1
        else:
            fig.extra_quotes.append(f"{s.start}-{s.end} {texts[i][:50]!r}")
    mapping = map_informants([(gold, found) for gold, found, _ in pairs])
    for gold, found, qid in pairs:
        fig.speakers_checked += 1
        if found is not None and mapping.get(found) == gold:
            fig.speakers_correct += 1
        else:
            fig.wrong_speakers.append(f"{qid}: curated {gold}, proposed informant {found}")


def map_informants(pairs: list[tuple[str, int | None]]) -> dict[int, str]:
    """One-to-one map from proposed informants to curated ids, most shared quotations first."""
    counts = Counter((found, gold) for gold, found in pairs if found is not None)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for (found, gold), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if found not in mapping and gold not in used:
            mapping[found] = gold
            used.add(gold)
    return mapping


def _cites(event: dict[str, object], source_id: str) -> bool:
    """Whether the event cites the source (among its source_ids)."""
    cited = event.get("source_ids")
    return isinstance(cited, list) and source_id in cited


def _event_places(event: dict[str, object]) -> list[str]:
    out: list[str] = []
    for key in ("place_id", "origin_place_id", "destination_place_id"):
        value = event.get(key)
        if value and value not in out:
            out.append(str(value))
    return out


def _places(source_id: str, events: list[dict[str, object]], found: set[str], fig: Figures) -> None:
    wanted: list[str] = []
    for event in events:
        if _cites(event, source_id):
            wanted += [p for p in _event_places(event) if p not in wanted]
    fig.places_curated = len(wanted)
    fig.places_found = sum(p in found for p in wanted)
    fig.missed_places = [p for p in wanted if p not in found]


def locate(text: str, words: str) -> list[Span]:
    """Where the words stand in the text (white space and line breaks ignored; '...' splits)."""
    out: list[Span] = []
    for piece in re.split(r"\s*(?:\.\.\.|…)\s*", words):
        if not piece.strip():
            continue
        pattern = r"\s+".join(re.escape(w) for w in piece.split())
        out += [Span(m.start(), m.end()) for m in re.finditer(pattern, text)]
    return out


def _within(start: dt.date | None, end: dt.date | None, low: dt.date | None, high: dt.date | None) -> bool:
    for day in (start, end):
        if day is None:
            continue
        if (low is not None and day < low) or (high is not None and day > high):
            return False
    return True


def _dates(ex: Extraction, events: list[dict[str, object]], fig: Figures) -> None:
    sid = ex.source.source_id
    for event in events:
        words = event.get("date_words")
        if not words or not _cites(event, sid):
            continue
        spans = locate(ex.doc.text, str(words))
        if not spans:
            continue
        hits = [h for h in ex.dates if any(Span(h.start, h.end).overlaps(s) for s in spans)]
        low, high = event.get("date_start"), event.get("date_end")
        fig.dates_checked += 1
        ok = bool(hits) and all(h.resolved is not None and _within(h.resolved.start, h.resolved.end, low, high)  # type: ignore[arg-type]
                                for h in hits)
        if ok:
            fig.dates_within += 1
        else:
            found = "; ".join(f"{h.words!r} -> {h.resolved.start}..{h.resolved.end}" if h.resolved else f"{h.words!r} unresolved"
                              for h in hits) or "no date proposed"
            fig.date_failures.append(f"{event['event_id']} {words!r}: curated {low}..{high}, {found}")


def _event_types(ex: Extraction, ctx: Context, events: list[dict[str, object]], fig: Figures) -> None:
    from nkcp.extract.draft import draft_events, draft_quotes

    sid = ex.source.source_id
    _, quote_ids = draft_quotes(ex, ctx, 1)
    drafted = {str(e["event_type"]): str(e["claim_status"]) for e in draft_events(ex, ctx, quote_ids, 1)}
    curated: dict[str, set[str]] = {}
    for event in events:
        if _cites(event, sid):
            for etype in [event["event_type"], *(event.get("other_event_types") or [])]:  # type: ignore[misc]
                curated.setdefault(str(etype), set()).add(str(event["claim_status"]))
    firmness = ("rumour", "reported_vaguely", "disputed", "reported", "corroborated")
    fig.types_curated, fig.types_drafted = len(curated), len(drafted)
    for etype, claim in sorted(drafted.items()):
        if etype not in curated:
            fig.extra_types.append(f"{sid}: {etype}")
            continue
        fig.types_found += 1
        allowed = max(firmness.index(c) for c in curated[etype] if c in firmness)
        if firmness.index(claim) <= allowed:
            fig.claims_fitting += 1
        else:
            fig.wrong_claims.append(f"{sid}: {etype} drafted {claim}, curated {', '.join(sorted(curated[etype]))}")
    fig.missed_types = [f"{sid}: {t}" for t in sorted(curated) if t not in drafted]
