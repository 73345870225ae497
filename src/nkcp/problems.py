"""Located problems: one record per thing wrong with the inputs, collected and reported together.

Validation never stops at the first error: every check appends to a `Problems` list, and the CLI
prints them all as `file:line: [code] message` before exiting 1 (the congress-legislators and
pandera lazy-validation style). Codes are stable slugs so that tests, CI annotations and
contributors can rely on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

# Every problem code, with what it means in one line. A test holds this complete: each code the
# source reports is here, and each code here is reported somewhere. A code ending in "-" is a
# prefix: the rest of the code is the error type of the library that found it.
CODES: dict[str, str] = {
    # reading files
    "byte-order-mark": "The file starts with a UTF-8 byte-order mark.",
    "control-character": "Text holds a control character (a tab included) or a Unicode line separator.",
    "crlf": "A line ends with CR LF instead of LF.",
    "empty-file": "The file holds no YAML document.",
    "file-name": "The file name holds characters other than A-Z a-z 0-9 . _ -.",
    "file-too-large": "The file is larger than a curated file may be.",
    "invalid-utf8": "The file's bytes are not valid UTF-8.",
    "invisible-character": "Text holds a format character (Cf), a Hangul filler or a noncharacter outside a verbatim span.",
    "not-a-file": "A path in a records folder is a folder, device or pipe, not a regular file.",
    "not-a-folder": "A table's folder of records is a file or a link, not a folder.",
    "missing-folder": "A table's folder of records is missing.",
    "hidden-file": "A hidden file lies in a record folder, where the build never reads it.",
    "stray-file": "A file lies in records/ outside every table's folder, where the build never reads it.",
    "unreadable": "A file or folder cannot be read (its permissions).",
    "published-record-missing": "A record published in the committed build or the last release has no file any more.",
    "bad-release-index": "The registry of releases cannot be read.",
    "release-archive-missing": "The archive of the last release is missing, so published IDs cannot be checked.",
    "not-nfc": "Text is not in Unicode normalization form NFC.",
    # YAML
    "duplicate-key": "A mapping holds the same key twice.",
    "yaml-alias": "The file uses YAML anchors or aliases.",
    "yaml-implicit-type": "An unquoted value that YAML 1.1 reads as another type (a date, a boolean such as y or no, a number).",
    "yaml-key": "A mapping key is not a plain string (a merge key or a complex key).",
    "yaml-syntax": "The file is not valid YAML.",
    "yaml-tag": "The file uses a YAML tag.",
    "yaml-too-deep": "The YAML nests deeper than a record can.",
    "not-canonical": "The file is not in canonical form (nkcp format writes it so).",
    # record fields
    "bad-date": "A date is not written YYYY-MM-DD.",
    "bad-format": "A value does not match its field's pattern.",
    "derived-field": "A record gives a value that the build computes.",
    "duplicate-value": "A list field holds the same value twice.",
    "empty-value": "A value, or a list of records, is empty where it may not be.",
    "formula-like-text": "Text begins with a character that spreadsheets run as a formula.",
    "missing-field": "A required field has no value.",
    "missing-reason": "An empty field that must be explained has no entry in unknown_reasons.",
    "out-of-range": "A number is outside its field's bounds.",
    "reason-for-filled-field": "The unknown_reasons of a record explain a field that has a value.",
    "too-long": "Text is longer than its field allows.",
    "unknown-field": "A record holds a key that is not a field of its table.",
    "unknown-value": "A value is not in its field's vocabulary.",
    "separator-in-list-item": "An item of a list holds the CSV list separator, so the published list would split it.",
    "whitespace": "Text has leading or trailing whitespace or a line break.",
    "wrong-type": "A value has the wrong YAML type (a list for a scalar, a mapping for a list).",
    # records together
    "bad-continuation": "A quotation continues one that is not an earlier segment of the same source.",
    "bad-iso-code": "A country or subdivision code is not an ISO 3166 code.",
    "bad-offsets": "Quotation offsets are not a span inside the capture.",
    "bad-parent": "A place or an event names itself as its parent.",
    "banishment-without-destination": "A banishment names no origin or destination place.",
    "coordinate-off-map": "A GeoNames place lies in another country than its record says.",
    "count-order": "Counts do not satisfy low <= best <= high.",
    "dangling-reference": "A reference names a record that does not exist.",
    "date-after-publication": "An act is dated after its sources were published.",
    "date-order": "A start date is after its end date.",
    "date-precision": "A date's precision does not fit its bounds.",
    "draft-record": "A record is still a draft; the build takes reviewed records only.",
    "duplicate-id": "Two records have the same ID.",
    "path-escape": "A capture path is a symlink or lies outside the repository.",
    "quote-not-verbatim": "A quotation's text differs from the capture at its offsets.",
    "retracted-id-reused": "A new record takes the ID of a retracted one; IDs are never reused.",
    "unknown-geonames-id": "No GeoNames place has this ID.",
    # references, places, claims, provenance
    "retracted-reference": "A record that stands cites a retracted one.",
    "parent-cycle": "A chain of parents (places or events) leads back to where it started.",
    "parent-in-other-country": "A place's country_code differs from its parent's.",
    "same-origin-and-destination": "A banishment's destination is its origin.",
    "duplicate-capture": "Two source sidecars name the same capture path or the same capture SHA-256.",
    "geonames-name-mismatch": "A GeoNames ID names a place none of whose names is a name of the record.",
    "corroboration-unsupported": "An event is corroborated, but its sources are fewer than two independent groups.",
    "zero-count-without-number": "A count is 0, but its count_words state no number.",
    "event-type-not-most-severe": "The main event_type is less severe than one of the other_event_types.",
    "event-type-repeated": "The other_event_types of an event repeat its event_type.",
    "original-after-republication": "A source's original is dated after the source's own publication.",
    "paraphrase-flag-mismatch": "A quotation's is_from_paraphrased_copy differs from its source's is_machine_paraphrase.",
    "cut-without-truncation": "A quotation is cut by the publisher, but its source is not marked truncated.",
    "split-grapheme": "A quotation or evidence span starts or ends inside a character (its combining mark or joiner).",
    # evidence of events
    "claim-overstated": "An event claims more certainty than the hedged words of its evidence allow.",
    "evidence-for-empty-field": "An evidence entry supports a field of its event that has no value.",
    "evidence-not-verbatim": "An evidence span's text differs from the capture at its offsets.",
    "evidence-uncited-source": "An evidence span lies in a capture that its event does not cite.",
    "hedge-not-in-claim-evidence": "A span holds hedged words that the claim_status evidence does not show.",
    "missing-evidence": "A coded fact of an event has no evidence entry.",
    "missing-reasoning": "An inferred evidence entry does not say how the value follows from the span.",
    "source-without-evidence": "An event cites a source that none of its evidence spans comes from.",
    "stated-words-not-in-span": "A stated evidence span does not contain the event's words for the field.",
    "bad-count-in-parent": "A count said to be part of its parent's has no count or parent in the same unit.",
    "small-group-located-too-precisely": "A small group of families or people is located so precisely it could be identified.",
    # schema files
    "schema-invalid": "A schema file holds an unknown key or a value of the wrong kind.",
    "schema-unknown-name": "A schema file names a field or vocabulary that no schema file defines.",
    # written packages
    "frictionless-": "Frictionless found this error in a written package (the rest is its error type).",
    "frictionless-package-error": "Frictionless could not open the package's descriptor.",
    "parquet-checksum": "A Parquet file's size or SHA-256 differs from what datapackage.json states.",
    "parquet-differs-from-csv": "A Parquet file does not hold the same table as its CSV.",
    "parquet-unreadable": "A Parquet file cannot be read.",
    "write-failed": "The build could not write its outputs (a full disk, a size limit, permissions).",
    "schema-violation": "A built table fails its pandera schema.",
    # extraction
    "capture-checksum": "A capture does not match the SHA-256 in its sidecar.",
    "capture-missing": "A capture file does not exist.",
    "capture-outside": "A capture path lies outside the repository.",
    "drafts-exist": "Drafts of this capture exist already (use --force to overwrite).",
    "no-drafts": "No drafts exist for this source.",
    "not-reviewed": "A draft or its sidecar is not yet record_status: reviewed, so accepting moves nothing.",
    "draft-text": "A reviewed draft still holds the drafting rules' words ('Draft: ...'), not the reviewer's.",
    "no-reviewer": "Accepting drafts (nkcp review --accept) needs the reviewer's name.",
    "record-exists": "Accepting the drafts would overwrite a file in records/.",
    "no-reviewed-rules": "No extraction rule is reviewed, so none runs.",
    "no-rules": "There are no rule files.",
    "capture-empty": "The file given to nkcp add holds no text.",
    "capture-exists": "The text given to nkcp add is already a capture.",
    "capture-is-html": "The file given to nkcp add holds HTML, not an article's text.",
    "capture-not-text": "The file given to nkcp add is binary or not UTF-8 text.",
    "sidecar-exists": "The sidecar nkcp add would write already exists.",
    "invalid-sidecar": "The capture's sidecar has problems, so `nkcp extract` drafts nothing from it.",
    "no-sidecar": "No source sidecar names this capture (or the source of these drafts).",
    "rule-bad-id": "A rule ID is not lower-case words joined by '-'.",
    "rule-bad-kind": "A rule has an unknown kind.",
    "rule-bad-pattern": "A rule's pattern does not compile or lacks a slot its kind needs.",
    "rule-bad-status": "A rule's status is not proposed or reviewed.",
    "rule-bad-value": "A rule's value or setting is not one it may have.",
    "rule-duplicate-id": "Two rules have the same ID.",
    "rule-example": "A rule does not match one of its examples, or matches a counter-example.",
    "rule-examples": "A rule's examples are missing or not a list of strings.",
    "rule-file": "A rule file is not a mapping with a list of rules.",
    "rule-missing-field": "A rule lacks a required field.",
    "rule-reviewer": "A reviewed rule names no reviewer.",
    "rule-unknown-field": "A rule holds an unknown field.",
}


def title(code: str) -> str:
    """The one-line meaning of a problem code (a prefix code covers the codes it begins)."""
    if code in CODES:
        return CODES[code]
    return next((t for c, t in CODES.items() if c.endswith("-") and code.startswith(c)), "")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, located in a file (path relative to the repository) and line (1-based)."""

    path: str
    line: int
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}: [{self.code}] {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass
class Problems:
    """An append-only collection of problems, kept in a stable, sorted order for reporting."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, code: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, max(line, 1), code, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.items)))

    def codes(self) -> set[str]:
        return {p.code for p in self.items}

    def as_text(self) -> str:
        return "\n".join(p.format() for p in self)

    def as_json(self) -> str:
        """A JSON list of {file, line, code, message, hint}, one object per problem."""
        return json.dumps([{"file": p.path, "line": p.line, "code": p.code, "message": p.message, "hint": p.hint}
                           for p in self], ensure_ascii=False, indent=2)

    def as_github(self) -> str:
        """GitHub Actions workflow commands, one `::error` annotation per line, escaped as the
        Actions toolkit does (core/src/command.ts): `%`, CR and LF everywhere, and also `:` and
        `,` in the properties, so a file name cannot end the property list or forge a line."""
        out = []
        for p in self:
            msg = _escape_data(p.message + (f" (hint: {p.hint})" if p.hint else ""))
            out.append(f"::error file={_escape_property(p.path)},line={p.line},title={_escape_property(p.code)}::{msg}")
        return "\n".join(out)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class InputError(Exception):
    """Raised when inputs have problems; carries all of them."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems)} problem(s) in the inputs")
        self.problems = problems


def suggest(value: str, choices: Sequence[str], lead: str = "nearest", limit: int = 3) -> str:
    """A hint naming the closest known names to an unknown one (rapidfuzz), or "" when none is close."""
    if not choices or not value:
        return ""
    from rapidfuzz import fuzz, process, utils

    found = process.extract(value, list(choices), scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=60)
    names = [str(match[0]) for match in found]
    return f"{lead}: {', '.join(names)}" if names else ""
