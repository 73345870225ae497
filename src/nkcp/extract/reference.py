"""The reference layer in extraction: ISO 3166-2:KP subdivisions found by romanization key, the
rules that say a name is no place, and the draft place records of the reference places found.

pycountry names the provinces in the North's own romanization (Hamkyeongpukto, Jakangto), which
news never prints; a `place_iso` rule finds candidate names ("North Hamgyong", "Chagang-do") and
their romanization key is compared with the ISO names' keys, a direction word included. A
`place_not` rule looks at the words right before or after a reference name and says it is part
of something that is no place here: an organisation, a person's name, a place of the other Korea.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nkcp.extract.text import Document, Proposal
from nkcp.records.reference_places import place_record, romanization_key
from nkcp.rules import RuleSet, count_hit

if TYPE_CHECKING:
    from nkcp.extract.engine import Context, Extraction
    from nkcp.extract.places import Gazetteer

_FEATURE = {"county": "county", "city": "city", "province": "province"}


def is_not_place(doc: Document, start: int, end: int, rules: RuleSet, hits: dict[str, int],
                 stopwords: bool = True) -> bool:
    """Whether a `place_not` rule (or, for a reference name, a stopword) says the name at
    start-end is no place; a curated name is never a stopword, but can name an organisation."""
    name = doc.text[start:end]
    for rule in rules.of("place_stopword") if stopwords else []:
        if rule.regex.search(name):
            count_hit(hits, rule)
            return True
    for rule in rules.of("place_not"):
        before = rule.get("context") == "before"
        words = doc.text[max(0, start - 60):start] if before else doc.text[end:end + 60]
        if rule.regex.search(words):
            count_hit(hits, rule)
            return True
    return False


def find_iso(doc: Document, gazetteer: Gazetteer, rules: RuleSet, hits: dict[str, int],
             taken: list[tuple[int, int]]) -> list[Proposal]:
    """Candidate names whose romanization key (with their direction word) is an ISO subdivision's."""
    from nkcp.extract.places import admin_words

    keys: dict[tuple[str, str], list[str]] = {}
    for ref in gazetteer.references.values():
        for key in ref.keys:
            keys.setdefault(key, []).append(ref.ident)
    found: list[Proposal] = []
    for rule in rules.of("place_iso"):
        for m in rule.regex.finditer(doc.text):
            direction = (m.group("dir") or "").lower().removesuffix("ern") if "dir" in m.re.groupindex else ""
            ids = keys.get((direction, romanization_key(m.group("name"))))
            start, end = m.start(), m.end()
            if not ids or any(start < b and a < end for a, b in taken) or is_not_place(doc, start, end, rules, hits):
                continue
            value: dict[str, Any] = {"place_ids": list(ids), "layer": "iso-3166-2"}
            found.append(admin_words(doc, gazetteer, rule.id, start, end, value, rules, hits))
            taken.append((start, found[-1].end))
            count_hit(hits, rule)
    return found


def draft_places(ex: Extraction, ctx: Context) -> list[dict[str, Any]]:
    """One draft place record per reference place proposed without doubt (a single id), with the
    spellings met in the text; a homonym stays in proposals.yaml for the reviewer to choose."""
    gaz = ctx.gazetteer
    met: dict[str, list[str]] = {}
    admin: dict[str, str] = {}
    for p in ex.places:
        ids = p.value["place_ids"]
        if len(ids) == 1 and ids[0] in gaz.references:
            name = ex.doc.text[p.start:p.end]
            words = p.value.get("admin_words")
            name = name[: len(name) - len(words)].rstrip(" -") if words else name
            met.setdefault(ids[0], []).append(" ".join(name.split()))
            if words:
                admin.setdefault(ids[0], str(p.value.get("admin_rule")))
    out = []
    for ident, spellings in met.items():
        ref = gaz.references[ident]
        record = place_record(ref, gaz.record_id(ident), gaz.rows, spellings,
                              f"nkcp extract, {ex.source.source_id}")
        rule = next((r for r in ctx.rules.of("place_admin") if r.id == admin.get(ident)), None)
        feature = _FEATURE.get(str(rule.get("feature_class"))) if rule is not None else None
        if feature and feature != record["feature_class"] and ref.geonames_id:
            record["feature_class"] = feature
            record["coordinate_represents"] = "county_seat" if feature == "county" else "city_point"
            record["notes"] = record["notes"][:-1] + (f"; feature_class {feature} from the admin word after the "
                                                      f"name ({rule.id if rule else ''}): GeoNames gives a town.")
        out.append(record)
    return out
