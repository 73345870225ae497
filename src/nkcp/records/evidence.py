"""Evidence: every coded fact of an event rests on a verbatim span of a capture the event cites.

An evidence entry (`records/evidence/<event_id>.yaml`) names one field of one event and one span
(source, offsets, text). Basis `stated` means the span says the value, so it must contain the
event's own words for that field (`date_words`, `count_words`...); basis `inferred` needs the
reasoning. The spans are checked verbatim against the captures, as quotations are. Hedged words
in any span of an event (the claim cues of `rules/`) must be shown in the evidence of its
`claim_status`, and the status may not claim more certainty than they allow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row
from nkcp.rules import Rule
from nkcp.schema.model import Schema

# Most certain first; disputed and retracted claim less than any report.
CLAIM_STRENGTH = {"corroborated": 4, "reported": 3, "reported_vaguely": 2, "rumour": 1, "disputed": 0, "retracted": 0}
# A value that says the source gives no value needs no span.
NO_VALUE = "unknown"
SMALL_GROUP = 10  # fewer families or people than this are located no more precisely than a county
TOO_PRECISE = ("exact_site", "near_site")
FINE_PLACES = ("village", "part_of_city", "facility")


def span_text(capture: str, start: int, end: int) -> str:
    """The capture's text between offsets, as the tables store it (line breaks as spaces)."""
    return capture[start:end].replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


# Characters that continue the grapheme cluster before them: combining marks (general category M),
# the zero-width joiner, variation selectors, emoji skin-tone modifiers and the tag characters of
# flag sequences. A deliberately simple rule, not full UAX #29 segmentation: captures are NFC, so
# Hangul comes precomposed and these are the ways a span boundary can cut a character in two.
_ZWJ = "\u200d"


def continues_cluster(char: str) -> bool:
    cp = ord(char)
    return (unicodedata.combining(char) != 0 or unicodedata.category(char).startswith("M") or char == _ZWJ
            or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x1F3FB <= cp <= 0x1F3FF
            or 0xE0020 <= cp <= 0xE007F)


def grapheme_split(capture: str, start: int, end: int) -> str | None:
    """Where the span [start, end) cuts a grapheme cluster, in words, or None."""
    for side, at in (("starts", start), ("ends", end)):
        if 0 < at < len(capture) and (continues_cluster(capture[at]) or capture[at - 1] == _ZWJ):
            char = capture[at] if continues_cluster(capture[at]) else capture[at - 1]
            return (f"{side} inside a character: U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')}) "
                    f"joins offsets {at - 1} and {at}")
    return None


def check_span(row: Row, label: str, capture: str, problems: Problems) -> None:
    """The row's offsets (of a quotation or an evidence span) lie inside the capture, and its text is
    the capture's text there."""
    start, end, text = row.get("start_offset"), row.get("end_offset"), row.get("text")
    if start is None or end is None or text is None:
        return
    if not 0 <= start < end <= len(capture):
        problems.add(row.path, row.line_of("start_offset"), "bad-offsets",
                     f"offsets {start}-{end} are not a span inside the capture (0-{len(capture)})")
        return
    split = grapheme_split(capture, start, end)
    if split is not None:
        problems.add(row.path, row.line_of("start_offset" if split.startswith("starts") else "end_offset"),
                     "split-grapheme", f"{label}: the span {start}-{end} {split}",
                     "move the offset so the whole character, with its marks or joiners, is in or out")
    actual = span_text(capture, start, end)
    if actual != text:
        found = capture.replace("\n", " ").find(text)
        hint = (f"the text is at offsets {found}-{found + len(text)}" if found >= 0
                else f"the capture has {actual[:60]!r} there")
        problems.add(row.path, row.line_of("text"), "quote-not-verbatim" if row.table == "quotes" else "evidence-not-verbatim",
                     f"{label}: text differs from the capture at offsets {start}-{end}", hint)


def span_voice(row: Row, quotes: Sequence[Row]) -> tuple[str, str | None]:
    """Whose words a span is (speech, narration or mixed), and the quotation holding it, from the
    offsets of the quotations of its source."""
    start, end = row.get("start_offset"), row.get("end_offset")
    for quote in quotes:
        if quote.get("start_offset") <= start and end <= quote.get("end_offset"):
            return "speech", str(quote.get("quote_id"))
    overlaps = any(q.get("start_offset") < end and start < q.get("end_offset") for q in quotes)
    return ("mixed" if overlaps else "narration"), None


def words_in_span(words: str, text: str) -> bool:
    """Whether the span holds the words, read as parts joined by an ellipsis that must appear in order."""
    at = 0
    for part in re.split(r"\s*(?:\.\.\.|…)\s*", " ".join(words.split())):
        found = " ".join(text.split()).find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def check_evidence(corpus: Corpus, reg: Schema, captures: dict[str, tuple[str, str]],
                   cues: Sequence[Rule], problems: Problems) -> None:
    """Every check of evidence entries against their events and captures."""
    entries: dict[str, list[Row]] = {}
    for row in corpus.rows.get("evidence", []):
        if row.get("record_status") != "retracted":
            entries.setdefault(str(row.get("event_id")), []).append(row)
    fields = reg.vocabularies["evidence_field"].values
    for event in corpus.rows.get("events", []):
        if event.get("record_status") == "retracted":
            continue
        rows = entries.get(str(event.get("event_id")), [])
        _check_coverage(event, rows, fields, problems)
        for row in rows:
            _check_entry(event, row, fields, captures, problems)
        _check_claim(event, rows, cues, problems)
        _check_group(event, corpus, problems)


def _check_coverage(event: Row, rows: list[Row], fields: dict[str, dict[str, Any]], problems: Problems) -> None:
    eid = event.get("event_id")
    covered = {row.get("coded_field") for row in rows}
    for name in fields:
        value = event.get(name)
        if value not in (None, [], NO_VALUE) and name not in covered:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            problems.add(event.path, event.line_of(name), "missing-evidence", f"{eid} {name} ({shown}) has no evidence",
                         f"add an entry with coded_field: {name} to records/evidence/{eid}.yaml")
    cited = event.get("source_ids") or []
    for sid in sorted(set(cited) - {row.get("source_id") for row in rows}):
        problems.add(event.path, event.line_of("source_ids"), "source-without-evidence",
                     f"{eid} cites {sid}, but none of its evidence spans is in that capture",
                     "give a span from it, or remove it from source_ids")


def _check_entry(event: Row, row: Row, fields: dict[str, dict[str, Any]],
                 captures: dict[str, tuple[str, str]], problems: Problems) -> None:
    eid, vid, name = event.get("event_id"), row.get("evidence_id"), str(row.get("coded_field"))
    if event.get(name) in (None, []) and not event.has_line(name):  # a value written but refused is reported already
        problems.add(row.path, row.line_of("coded_field"), "evidence-for-empty-field",
                     f"{vid} supports {name} of {eid}, which has no value", "remove the entry, or code the value")
    sid = row.get("source_id")
    if sid not in (event.get("source_ids") or []):
        problems.add(row.path, row.line_of("source_id"), "evidence-uncited-source",
                     f"{vid}: {sid} is not among the source_ids of {eid}",
                     "take the span from a capture the event cites, or add the source to its source_ids")
    elif sid in captures:
        check_span(row, str(vid), captures[sid][1], problems)
    basis = row.get("evidence_basis")
    if basis == "inferred" and not row.get("reasoning"):
        problems.add(row.path, row.line_of("evidence_basis"), "missing-reasoning",
                     f"{vid}: basis inferred, but no reasoning says how {name} follows from the span",
                     "write the reasoning (and any date arithmetic) under reasoning:")
    words_field = (fields.get(name) or {}).get("words")
    words = event.get(words_field) if words_field else None
    if basis == "stated" and words and row.get("text") is not None and not words_in_span(words, row.get("text")):
        problems.add(row.path, row.line_of("text"), "stated-words-not-in-span",
                     f"{vid}: basis stated, but the span does not contain the {words_field} of {eid} ({words!r})",
                     "give the span that holds those words, or basis inferred with the reasoning")


def _check_claim(event: Row, rows: list[Row], cues: Sequence[Rule], problems: Problems) -> None:
    """Hedged words in any span must appear in the claim_status evidence, and bound the status."""
    eid, status = event.get("event_id"), str(event.get("claim_status"))
    shown = " ".join(str(r.get("text")) for r in rows if r.get("coded_field") == "claim_status")
    for row in rows:
        for cue in cues:
            allowed = str(cue.value["claim_status"])
            for match in cue.regex.finditer(str(row.get("text") or "")):
                if match.group() not in shown:
                    problems.add(row.path, row.line_of("text"), "hedge-not-in-claim-evidence",
                                 f"{row.get('evidence_id')}'s span says {match.group()!r} ({cue.id}), "
                                 f"but no claim_status evidence of {eid} shows it",
                                 "add the span with those words as evidence of claim_status")
                if CLAIM_STRENGTH.get(status, 0) > CLAIM_STRENGTH.get(allowed, 0):
                    problems.add(event.path, event.line_of("claim_status"), "claim-overstated",
                                 f"{eid} is {status!r}, but its evidence says {match.group()!r} ({cue.id})",
                                 f"code it {allowed!r} or weaker, or explain in claim_status_reason "
                                 "and take a span without the hedge")


def _check_group(event: Row, corpus: Corpus, problems: Problems) -> None:
    """A count that is part of the parent's, and the precision at which a small group is located."""
    eid = event.get("event_id")
    if event.get("is_count_in_parent"):
        parents = [r for r in corpus.rows.get("events", []) if r.get("event_id") == event.get("parent_event_id")]
        if not parents or parents[0].get("count_unit") != event.get("count_unit") or event.get("count_best") is None:
            problems.add(event.path, event.line_of("is_count_in_parent"), "bad-count-in-parent",
                         f"{eid}: is_count_in_parent needs a count and a parent event counted in the same unit")
    counts = [c for c in (event.get("count_high"), event.get("count_best")) if c is not None]
    if not counts or counts[0] >= SMALL_GROUP:
        return
    rule = f"locate fewer than {SMALL_GROUP} families or people no more precisely than their county"
    if event.get("location_precision") in TOO_PRECISE:
        problems.add(event.path, event.line_of("location_precision"), "small-group-located-too-precisely",
                     f"{eid}: {counts[0]} {event.get('count_unit')} located at {event.get('location_precision')!r}", rule)
    summary = str(event.get("summary") or "")
    for place in corpus.rows.get("locations", []):
        if place.get("feature_class") in FINE_PLACES:
            names = [place.get("name"), *(place.get("aliases") or [])]
            for name in [n for n in names if n and re.search(rf"\b{re.escape(n)}\b", summary)][:1]:
                problems.add(event.path, event.line_of("summary"), "small-group-located-too-precisely",
                             f"{eid}: the summary names {name!r} ({place.get('feature_class')}) for "
                             f"{counts[0]} {event.get('count_unit')}", rule + "; name the county instead")
