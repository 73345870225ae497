"""What the dataset card says, computed from the built tables: places, counts, and each event's rows.

Nothing here is typed in: every count is counted from the tables, every coordinate is the
gazetteer's (an event whose place has none is listed with the gazetteer's reason instead), and
every definition is the schema's.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from nkcp.schema.model import Schema

Row = dict[str, Any]


@dataclass(frozen=True)
class Place:
    """A gazetteer row as the map needs it; lon and lat are None when the gazetteer has no point."""

    place_id: str
    name: str
    lon: float | None
    lat: float | None
    represents: str  # coordinate_represents: what the point stands for
    source: str  # coordinate_source
    reason: str  # why there is no point (the gazetteer's unknown_reasons), when there is none

    @property
    def located(self) -> bool:
        return self.lon is not None and self.lat is not None


@dataclass
class EventCard:
    """One event with everything its page shows."""

    row: Row
    place: Place | None
    origin: Place | None
    destination: Place | None
    parts: list[str] = field(default_factory=list)
    evidence: list[Row] = field(default_factory=list)
    quotes: list[Row] = field(default_factory=list)
    sources: list[Row] = field(default_factory=list)

    @property
    def event_id(self) -> str:
        return str(self.row["event_id"])

    @property
    def drawn(self) -> bool:
        """Drawn on the map: a place with a point, and not retracted."""
        return self.place is not None and self.place.located and self.row.get("record_status") != "retracted"


@dataclass
class Card:
    meta: dict[str, Any]
    events: list[EventCard]
    places: dict[str, Place]
    sources: list[Row]
    counts: dict[str, list[tuple[str, int, str]]]  # table name -> (value, count, definition)
    rows: dict[str, int]


def _place(row: Row) -> Place:
    reasons = json.loads(row.get("unknown_reasons") or "{}")
    reason = next((reasons[k] for k in ("latitude", "longitude", "geonames_id") if reasons.get(k)),
                  "the gazetteer records no coordinate for this place")
    located = row.get("latitude") is not None and row.get("longitude") is not None
    return Place(str(row["place_id"]), str(row["name"]), row.get("longitude") if located else None,
                 row.get("latitude") if located else None, str(row.get("coordinate_represents") or ""),
                 str(row.get("coordinate_source") or ""), "" if located else str(reason))


def year_of(row: Row) -> str:
    """The year an event is counted in: of its latest bound, since an earliest bound is often unknown."""
    end = row.get("date_end")
    return str(end)[:4] if end else "undated"


def _counted(rows: list[Row], key: Any, reg: Schema, vocabulary: str | None) -> list[tuple[str, int, str]]:
    counts = Counter(key(r) for r in rows)
    if vocabulary:
        vocab = reg.vocabularies[vocabulary]
        return [(value, counts[value], vocab.definition(value)) for value in vocab.values if counts[value]]
    return [(value, counts[value], "") for value in sorted(counts)]


def card_facts(rows: dict[str, list[Row]], reg: Schema, meta: dict[str, Any]) -> Card:
    """The card's facts from the tables' rows (as pyarrow's `to_pylist` gives them)."""
    places = {str(r["place_id"]): _place(r) for r in rows["locations"]}
    by_event: dict[str, list[Row]] = {}
    for r in rows["evidence"]:
        by_event.setdefault(str(r["event_id"]), []).append(r)
    quotes = {str(q["quote_id"]): q for q in rows["quotes"]}
    sources = {str(s["source_id"]): s for s in rows["sources"]}
    events = sorted(rows["events"], key=lambda r: str(r["event_id"]))
    parts: dict[str, list[str]] = {}
    for e in events:
        if e.get("parent_event_id"):
            parts.setdefault(str(e["parent_event_id"]), []).append(str(e["event_id"]))
    cards = []
    for e in events:
        evidence = by_event.get(str(e["event_id"]), [])
        quote_ids = [str(item).split("=")[0] for item in e.get("evidence") or []]
        cards.append(EventCard(
            e, places.get(str(e.get("place_id") or "")), places.get(str(e.get("origin_place_id") or "")),
            places.get(str(e.get("destination_place_id") or "")),
            parts=parts.get(str(e["event_id"]), []),
            evidence=sorted(evidence, key=lambda r: str(r["evidence_id"])),
            quotes=[quotes[q] for q in quote_ids if q in quotes],
            sources=[sources[s] for s in (e.get("source_ids") or []) if s in sources]))
    counts = {
        "event type": _counted(events, lambda r: r["event_type"], reg, "event_type"),
        "record kind": _counted(events, lambda r: r["record_kind"], reg, "record_kind"),
        "claim status": _counted(events, lambda r: r["claim_status"], reg, "claim_status"),
        "year of the latest bound (date_end)": _counted(events, year_of, reg, None),
        "location precision": _counted(events, lambda r: r["location_precision"], reg, "location_precision"),
        "publisher of the captured articles": _counted(rows["sources"], lambda r: r["publisher"], reg, None),
        "derivation of the captured articles": _counted(rows["sources"], lambda r: r["derivation"], reg, "source_derivation"),
        "publication year of the captured articles": _counted(
            rows["sources"], lambda r: str(r["publication_date_start"])[:4] if r.get("publication_date_start") else "undated",
            reg, None),
    }
    return Card(meta, cards, places, sorted(rows["sources"], key=lambda r: str(r["source_id"])), counts,
                {name: len(table_rows) for name, table_rows in rows.items()})
