"""Seeded synthetic repositories for benchmarks: valid, proportional, and loudly marked SYNTHETIC.

A repository with N events gets N/10 sources (each with its own generated capture), three
quotations per event, an evidence entry for each of an event's 11 coded facts (as the real
events have 14 on average) and N/100 extra informal places beside the real gazetteer. Every title,
summary and note says SYNTHETIC and every source_id starts with `synthetic-`, so no generated
record can pass for data; they are written under benchmarks/.synthetic/ (ignored by git) and never
released. The same seed and size always give the same files.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from nkcp.io.files import sha256_bytes, write_text
from nkcp.io.yaml_nodes import dump_canonical

EVENTS_PER_SOURCE = 10
QUOTES_PER_EVENT = 3
SPEAKERS = ["a source in North Pyongan province", "a resident of South Hwanghae", "the source", "a defector"]
WORDS = ["families", "were", "sent", "away", "from", "the", "city", "and", "nobody", "told", "them", "where",
         "they", "would", "go", "next", "officials", "came", "at", "night", "took", "documents", "of",
         "household", "to", "office"]
REAL_PLACES = ["pyongyang", "sinuiju", "chongjin", "hoeryong", "sinwon-county", "chaeryong-county", "ryanggang"]


def generate(root: Path, events: int, seed: int = 1, template: Path | None = None) -> Path:
    """Write a synthetic repository with `events` events at root (replacing it) and return root."""
    rng = random.Random(seed)  # noqa: S311 - reproducible filler, not security
    template = template or Path(__file__).resolve().parent.parent
    if root.exists():
        shutil.rmtree(root)
    for sub in ("captures", "sources", "records/places", "records/quotes", "records/events", "records/evidence"):
        (root / sub).mkdir(parents=True)
    shutil.copytree(template / "schema", root / "schema")
    for place in (template / "records" / "places").glob("*.yaml"):
        shutil.copy(place, root / "records" / "places" / place.name)
    extra_places = [f"synthetic-region-{i:05d}" for i in range(max(1, events // 100))]
    for pid in extra_places:
        write_text(root / "records" / "places" / f"{pid}.yaml", dump_canonical({
            "place_id": pid, "record_status": "reviewed", "name": f"SYNTHETIC region {pid[-5:]}",
            "feature_class": "informal_region", "parent_place_id": "north-korea", "country_code": "KP",
            "notes": "SYNTHETIC place for benchmarks; never released.",
            "unknown_reasons": {f: "SYNTHETIC place." for f in
                                ("name_hangul", "name_mr", "name_rr", "iso_3166_2_code", "geonames_id")}}))
    sources = max(1, events // EVENTS_PER_SOURCE)
    event_no = quote_no = 0
    for s in range(sources):
        source_id = f"synthetic-source-{s:06d}"
        n_events = EVENTS_PER_SOURCE if s < sources - 1 else events - event_no
        text, spans = _capture(rng, s, n_events * QUOTES_PER_EVENT)
        capture = f"captures/synthetic-{s:06d}.txt"
        write_text(root / capture, text)
        write_text(root / "sources" / f"{source_id}.yaml", _source(source_id, capture, sha256_bytes(text.encode())))
        quotes = []
        for start, end, quote in spans:
            quote_no += 1
            quotes.append({"quote_id": f"Q{quote_no:06d}", "record_status": "reviewed", "start_offset": start,
                           "end_offset": end, "text": quote, "speaker_words": rng.choice(SPEAKERS),
                           "informant_id": f"synthetic-informant-{s:06d}", "informant_type": "resident",
                           "evidentiary_basis": "unclear", "is_speaker_inferred": False, "is_cut_by_publisher": False,
                           "is_from_paraphrased_copy": False, "is_possibly_altered": False})
        write_text(root / "records" / "quotes" / f"{source_id}.yaml",
                      dump_canonical({"source_id": source_id, "quotes": quotes}))
        for e in range(n_events):
            event_no += 1
            cited = quotes[e * QUOTES_PER_EVENT:(e + 1) * QUOTES_PER_EVENT]
            write_text(root / "records" / "events" / f"E{event_no:06d}.yaml",
                       _event(rng, event_no, source_id, extra_places))
            write_text(root / "records" / "evidence" / f"E{event_no:06d}.yaml", _evidence(event_no, source_id, cited))
    return root


def _capture(rng: random.Random, s: int, n_quotes: int) -> tuple[str, list[tuple[int, int, str]]]:
    parts = [f"SYNTHETIC capture {s} generated for benchmarks; not a news report.\n\n"]
    length = len(parts[0])
    spans = []
    for _ in range(n_quotes):
        quote = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + ","
        start = length + 1
        para = f"“{quote}” said {rng.choice(SPEAKERS)}.\n\n"
        spans.append((start, start + len(quote), quote))
        parts.append(para)
        length += len(para)
    return "".join(parts), spans


def _source(source_id: str, capture: str, digest: str) -> str:
    reason = "SYNTHETIC source: no such fact."
    return dump_canonical({
        "source_id": source_id, "record_status": "reviewed", "capture_path": capture, "capture_sha256": digest,
        "publisher": "SYNTHETIC publisher", "title": f"SYNTHETIC capture {source_id}",
        "publication_date_start": "2020-12-31", "publication_date_end": "2020-12-31",
        "publication_date_precision": "day", "publication_date_basis": "stated",
        "derivation": "original", "independence_group": source_id, "is_truncated_by_publisher": False,
        "is_machine_paraphrase": False, "rights_note": "SYNTHETIC text generated for benchmarks; never released.",
        "notes": "SYNTHETIC source for benchmarks.",
        "unknown_reasons": {f: reason for f in ("capture_url", "credits", "original_publisher", "original_publisher_basis",
                                                 "original_title", "original_title_basis", "original_url",
                                                 "original_date_start", "original_date_end", "original_date_precision",
                                                 "original_date_basis", "reviewed_by")}})


def _event(rng: random.Random, n: int, source_id: str, extra_places: list[str]) -> str:
    month = rng.randint(1, 12)
    last = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    count = rng.randint(1, 40)
    return dump_canonical({
        "event_id": f"E{n:06d}", "record_status": "reviewed",
        "summary": f"SYNTHETIC event {n} generated for benchmarks; not a reported act.",
        "record_kind": "aggregate", "event_type": "banishment", "target": "family_of_absent_person",
        "claim_status": "reported", "claim_status_reason": "SYNTHETIC.",
        "date_start": f"2020-{month:02d}-01", "date_end": f"2020-{month:02d}-{last:02d}",
        "date_precision": "month", "date_basis": "stated", "place_id": rng.choice(REAL_PLACES),
        "origin_place_id": rng.choice(REAL_PLACES), "destination_place_id": rng.choice(extra_places),
        "location_precision": "county_or_city", "count_best": count, "count_unit": "families",
        "count_words": f"{count} families", "perpetrator": "unknown", "absent_person": "unknown",
        "source_ids": [source_id]})


FACTS = ("event_type", "target", "claim_status", "date_start", "date_end", "date_precision", "place_id",
         "origin_place_id", "destination_place_id", "location_precision", "count_best")


def _evidence(n: int, source_id: str, quotes: list[dict[str, object]]) -> str:
    """One inferred entry per coded fact, each on one of the event's quotations in turn."""
    entries = []
    for i, field in enumerate(FACTS):
        q = quotes[i % len(quotes)]
        entries.append({"evidence_id": f"V{n * len(FACTS) + i:08d}", "record_status": "reviewed", "coded_field": field,
                        "evidence_basis": "inferred", "source_id": source_id, "start_offset": q["start_offset"],
                        "end_offset": q["end_offset"], "text": q["text"], "reasoning": "SYNTHETIC evidence."})
    return dump_canonical({"event_id": f"E{n:06d}", "evidence": entries})
