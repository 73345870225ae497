"""`nkcp explain`: each coded fact of an event beside the words of the sources behind it.

For reviewers checking an event and for readers who doubt a value: every field that needs
evidence, its value (or why it is empty), and each evidence span with its basis, voice,
location in the capture and reasoning.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from nkcp.records.evidence import span_voice
from nkcp.records.parse import Corpus
from nkcp.schema.model import Schema


def explanation(corpus: Corpus, reg: Schema, event_id: str) -> dict[str, Any] | None:
    """The event's facts with their evidence as plain data (None when there is no such event)."""
    event = next((r for r in corpus.rows.get("events", []) if r.get("event_id") == event_id), None)
    if event is None:
        return None
    entries = [r for r in corpus.rows.get("evidence", []) if r.get("event_id") == event_id]
    quotes = corpus.rows.get("quotes", [])
    reasons = event.get("unknown_reasons") or {}
    facts = []
    for name in reg.vocabularies["evidence_field"].values:
        spans = []
        for row in (r for r in entries if r.get("coded_field") == name):
            voice, qid = span_voice(row, [q for q in quotes if q.get("source_id") == row.get("source_id")])
            spans.append({"evidence_id": row.get("evidence_id"), "basis": row.get("evidence_basis"),
                          "voice": voice, "quote_id": qid, "source_id": row.get("source_id"),
                          "start_offset": row.get("start_offset"), "end_offset": row.get("end_offset"),
                          "text": row.get("text"), "reasoning": row.get("reasoning"),
                          "record_status": row.get("record_status")})
        facts.append({"field": name, "value": _plain(event.get(name)), "empty_because": reasons.get(name),
                      "evidence": spans})
    return {"event_id": event_id, "record_status": event.get("record_status"), "summary": event.get("summary"),
            "source_ids": event.get("source_ids") or [], "facts": facts}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_text(data: dict[str, Any]) -> str:
    lines = [f"{data['event_id']} ({data['record_status']}): {data['summary']}",
             f"sources: {', '.join(data['source_ids'])}", ""]
    for fact in data["facts"]:
        value = fact["value"]
        if value in (None, []):
            lines.append(f"{fact['field']}: empty" + (f" ({fact['empty_because']})" if fact["empty_because"] else ""))
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{fact['field']} = {shown}" + ("" if fact["evidence"] else "   NO EVIDENCE"))
        for span in fact["evidence"]:
            where = f"speech {span['quote_id']}" if span["voice"] == "speech" else span["voice"]
            lines.append(f"  {span['evidence_id']} {span['basis']}, {where}, {span['source_id']} "
                         f"[{span['start_offset']}:{span['end_offset']}]")
            lines.append(f"    “{span['text']}”")
            if span["reasoning"]:
                lines.append(f"    reasoning: {span['reasoning']}")
    return "\n".join(lines)


def event_ids(corpus: Corpus) -> list[str]:
    return sorted(str(r.get("event_id")) for r in corpus.rows.get("events", []))

