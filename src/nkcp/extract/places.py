"""Places: gazetteer names in every spelling, the admin word beside them, and unknown names flagged.

The gazetteer is `records/places`: every place's name, McCune-Reischauer and Revised
Romanization names (also with diacritics and apostrophes stripped, as news prints them), Hangul
name and aliases. Behind it stands the reference layer (`records/reference_places`): the GeoNames
towns and ISO 3166-2:KP subdivisions not yet curated, matched only where no curated name is, and
not where a `place_stopword` or `place_not` rule says the words are no place (a homonym, an
organisation, a person, the other Korea). A name found in the text proposes the places that carry it; an administrative
word after it ("Sinwon county", "South Hwanghae province") narrows homonyms to the right kind of
place; a larger place right after it ("Chongjin, North Hamgyong province", "Chaeryong county here
in South Hwanghae") is checked against the gazetteer's parent chain. A capitalised place-like
name that the gazetteer does not know is flagged with the nearest known names (rapidfuzz).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from nkcp.extract.text import Document, Proposal
from nkcp.problems import suggest
from nkcp.records import reference_places as reference
from nkcp.rules import Rule, RuleSet, count_hit

_ADMIN_CLASSES = {"province": ("province", "capital_city"), "county": ("county",), "city": ("city", "capital_city"),
                  "village": ("village",), "part_of_city": ("part_of_city",)}


@dataclass(frozen=True)
class Place:
    place_id: str
    name: str
    feature_class: str
    parent_place_id: str | None
    labels: tuple[str, ...]


fold = reference.fold  # strip diacritics and apostrophes, as English news prints McCune-Reischauer names


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


class Gazetteer:
    """Labels -> places, and each place's parent chain; the reference layer's labels apart."""

    def __init__(self, places: Iterable[Place], rows: Iterable[dict[str, Any]] = ()):
        self.places = {p.place_id: p for p in places}
        self.rows = list(rows)
        self.by_label: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}  # key -> label as written (first seen)
        for place in self.places.values():
            for label in place.labels:
                key = _key(label)
                self.labels.setdefault(key, label)
                ids = self.by_label.setdefault(key, [])
                if place.place_id not in ids:
                    ids.append(place.place_id)
        self.references = {r.ident: r for r in reference.uncurated(self.rows)}
        self.record_ids = reference.place_ids(list(self.references.values()), self.rows)
        self.reference_labels: dict[str, str] = {}
        self.by_reference_label: dict[str, list[str]] = {}
        for ref in self.references.values():
            self.places[ref.ident] = Place(ref.ident, ref.name, ref.feature_class, None, ref.labels)
            for label in ref.labels:
                key = _key(label)
                if key not in self.labels:  # a curated name is never read as a reference place
                    self.reference_labels.setdefault(key, label)
                    ids = self.by_reference_label.setdefault(key, [])
                    if ref.ident not in ids:
                        ids.append(ref.ident)
        self._compiled: dict[tuple[str, str], re.Pattern[str]] = {}

    def record_id(self, place_id: str) -> str:
        """The place_id of a record: a curated id as it is, a reference place's draft id."""
        return self.record_ids.get(place_id, place_id)

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> Gazetteer:
        rows = list(rows)
        places = []
        for v in rows:
            raw = [v.get("name"), v.get("name_mr"), v.get("name_rr"), v.get("name_hangul"), *(v.get("aliases") or [])]
            labels: list[str] = []  # a river is also "the Yalu" (and so "the Yalu River", the longer match)
            for label in [str(x) for x in raw if x]:
                river = re.sub(r"^(.+) River$", r"the \1", label) if v.get("feature_class") == "river" else ""
                for variant in (label, fold(label), re.sub(r"^the\s+", "", label), river, river and f"the {label}"):
                    if variant and variant not in labels:
                        labels.append(variant)
            places.append(Place(str(v["place_id"]), str(v.get("name") or v["place_id"]), str(v.get("feature_class")),
                                v.get("parent_place_id"), tuple(labels)))
        return cls(places, rows)

    def ancestors(self, place_id: str) -> list[str]:
        out: list[str] = []
        current = self.places.get(place_id)
        while current is not None and current.parent_place_id and current.parent_place_id not in out:
            out.append(current.parent_place_id)
            current = self.places.get(current.parent_place_id)
        return out

    def finditer(self, rule: Rule, doc: Document, layer: str = "curated") -> Iterator[re.Match[str]]:
        """Matches of a gazetteer rule, its {names} slot filled with every label of the layer
        (curated or geonames), compiled once."""
        if (rule.id, layer) not in self._compiled:
            labels = self.labels if layer == "curated" else self.reference_labels
            self._compiled[(rule.id, layer)] = rule.compile_names(labels.values())
        return self._compiled[(rule.id, layer)].finditer(doc.text)

    def lookup(self, text: str, layer: str = "curated") -> list[str]:
        return (self.by_label if layer == "curated" else self.by_reference_label).get(_key(text), [])


def find_places(doc: Document, gazetteer: Gazetteer, rules: RuleSet, hits: dict[str, int]) -> list[Proposal]:
    """Gazetteer names in the text, longest first, curated before reference, with admin words and
    containing places; then ISO 3166-2:KP subdivisions by romanization key."""
    from nkcp.extract.reference import find_iso, is_not_place

    found: list[Proposal] = []
    taken: list[tuple[int, int]] = []
    for layer in ("curated", "geonames"):
        labels = gazetteer.labels if layer == "curated" else gazetteer.reference_labels
        for rule in rules.of("place_gazetteer"):
            for m in gazetteer.finditer(rule, doc, layer):
                text = m.group("place") if "place" in m.re.groupindex else m.group()
                start = m.start("place") if "place" in m.re.groupindex else m.start()
                end = start + len(text)
                label = labels.get(_key(text), "")
                if label[:1].isupper() and not text[:1].isupper():
                    continue
                if any(start < b and a < end for a, b in taken):
                    continue
                if is_not_place(doc, start, end, rules, hits, stopwords=layer != "curated"):
                    continue
                value: dict[str, Any] = {"place_ids": list(gazetteer.lookup(text, layer))}
                if layer != "curated":
                    value["layer"] = layer
                found.append(admin_words(doc, gazetteer, rule.id, start, end, value, rules, hits))
                taken.append((start, found[-1].end))
                count_hit(hits, rule)
    found += find_iso(doc, gazetteer, rules, hits, taken)
    found.sort(key=lambda p: p.start)
    _containing(doc, gazetteer, found, rules, hits)
    for p in found:
        drafts = [gazetteer.record_id(i) for i in p.value["place_ids"] if i in gazetteer.references]
        if drafts:
            p.value["draft_place_ids"] = drafts
    return found


def admin_words(doc: Document, gazetteer: Gazetteer, rule_id: str, start: int, end: int, value: dict[str, Any],
                rules: RuleSet, hits: dict[str, int]) -> Proposal:
    """The place proposal, extended over an administrative word right after the name, which
    narrows homonyms to places of that class."""
    ids = value["place_ids"]
    for admin in rules.of("place_admin"):
        am = admin.regex.match(doc.text[end:end + 40])
        if am:
            end += am.end()
            value["admin_words"] = am.group("admin")
            value["admin_rule"] = admin.id
            classes = _ADMIN_CLASSES.get(str(admin.get("feature_class")), ())
            narrowed = [i for i in ids if gazetteer.places[i].feature_class in classes]
            if narrowed:
                value["place_ids"] = narrowed
            elif "layer" not in value:  # a reference town named with "county" is drafted as the county
                value["admin_disagrees"] = True
            count_hit(hits, admin)
            break
    return Proposal("place", rule_id, start, end, doc.flat(start, end), value)


def _containing(doc: Document, gazetteer: Gazetteer, found: list[Proposal], rules: RuleSet,
                hits: dict[str, int]) -> None:
    """Record a larger place named right after a place, and whether the gazetteer agrees."""
    contexts = rules.of("place_context")
    for first, second in pairwise(found):
        between = doc.text[first.end:second.start]
        rule = next((r for r in contexts if r.regex.fullmatch(between)), None)
        if rule is None:
            continue
        outer = second.value["place_ids"]
        agree = [i for i in first.value["place_ids"] if any(o in gazetteer.ancestors(i) for o in outer)]
        first.value["within"] = outer
        first.value["within_rule"] = rule.id
        if agree:
            first.value["place_ids"] = agree
        elif "layer" not in first.value:  # a reference place has no parent chain to disagree with
            first.value["within_disagrees"] = True
        count_hit(hits, rule)


def find_unknown_places(doc: Document, gazetteer: Gazetteer, known: list[Proposal], rules: RuleSet,
                        hits: dict[str, int]) -> list[Proposal]:
    """Capitalised place-like names that are not in the gazetteer, with the nearest known names."""
    stop = rules.of("place_stopword")
    shapes = rules.of("place_shape")
    labels = sorted(set(gazetteer.labels.values()) | set(gazetteer.reference_labels.values()))
    out: list[Proposal] = []
    seen: set[tuple[int, int]] = set()
    for rule in rules.of("place_unknown"):
        for m in rule.regex.finditer(doc.text):
            name = m.group("name")
            start, end = m.start("name"), m.end("name")
            if ((start, end) in seen or any(p.start <= start < p.end for p in known) or gazetteer.lookup(name)
                    or gazetteer.lookup(name, "geonames") or reference.iso_codes_spelt(name)):
                continue
            stopped = next((s for s in stop if s.regex.search(name)), None)
            if stopped is not None:
                count_hit(hits, stopped)
                continue
            shape = next((s for s in shapes if s.regex.search(name.lower())), None)  # shape rules are lower-case
            if rule.get("shape") and shape is None:
                continue
            if rule.get("shape") and shape is not None:
                count_hit(hits, shape)
            seen.add((start, end))
            hint = suggest(name, labels, "nearest gazetteer names")
            out.append(Proposal("unknown_place", rule.id, m.start(), m.end(), doc.flat(m.start(), m.end()),
                                {"name": name, "nearest": hint.split(": ", 1)[1].split(", ") if hint else []}))
            count_hit(hits, rule)
    return sorted(out, key=lambda p: p.start)
