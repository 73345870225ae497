"""`nkcp add`: a new capture and its draft sidecar, so a contributor never names, hashes or
types a sidecar by hand.

A capture is the article's text as published, byte for byte but for line ends (CR LF and CR
become LF, so offsets mean the same on every machine). What is not an article's text is refused:
an empty file, bytes that are not UTF-8 text, and HTML (save the page's text, not its source).
The file is named `NNN_<first 16 hex digits of its SHA-256>.txt`, NNN the next number in
`captures/`. The sidecar holds what the options give; every field that may be unknown and is
not given is left out with the reason in `unknown_reasons`, and the record stays a draft until
a person has reviewed it against the article (records/README.md, "Sources").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from nkcp.io.files import read_bytes, sha256_bytes, write_bytes, write_text
from nkcp.io.yaml_nodes import dump_canonical
from nkcp.problems import Problems
from nkcp.records.parse import Row, canonical_record, parse_file_text, record_plan
from nkcp.schema.model import Schema, load_schema

_HTML = re.compile(rb"<(!doctype|html|head|body|div|p|span|script|table|a|br|img)[\s>/]", re.IGNORECASE)
_NUMBERED = re.compile(r"^([0-9]{3,})_[0-9a-f]{16}\.txt$")
NOT_GIVEN = "Not given when the capture was added (nkcp add): fill it from the article, or say here why it is unknown."


@dataclass
class Facts:
    """What the contributor states about the article (the options of `nkcp add`)."""

    source_id: str
    url: str
    publisher: str
    derivation: str
    is_truncated_by_publisher: bool
    is_machine_paraphrase: bool
    title: str | None = None
    credits: str | None = None
    date: dt.date | None = None


def add_article(root: Path, file: Path, facts: Facts, date: str | None) -> tuple[tuple[str, str] | None, Problems]:
    """`nkcp add`: the options checked, then the capture and sidecar written (or nothing, and why)."""
    problems = Problems()
    if date is not None:
        try:
            facts.date = dt.date.fromisoformat(date)
        except ValueError:
            problems.add("--date", 1, "bad-date", f"{date!r} is not a date YYYY-MM-DD", "give it as printed, e.g. 2021-05-04")
    if not file.is_file():
        problems.add(str(file), 1, "capture-missing", f"{file} is not a file", "give the saved article's text file")
    if problems:
        return None, problems
    return add_capture(root, file, facts, load_schema(root), problems), problems


def article_text(data: bytes, shown: str, problems: Problems) -> bytes | None:
    """The capture's bytes with line ends normalised, or None (and the reason) when it is no article's text."""
    if b"\x00" in data:
        problems.add(shown, 1, "capture-not-text", "the file holds NUL bytes: it is binary, not an article's text",
                     "save the article's text as a UTF-8 .txt file")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(shown, data[: exc.start].count(b"\n") + 1, "capture-not-text",
                     f"bytes at offset {exc.start} are not UTF-8 text", "save the article's text as UTF-8")
        return None
    if not text.strip():
        problems.add(shown, 1, "capture-empty", "the file holds no text", "save the article's text into it")
        return None
    html = _HTML.search(data)
    if html:
        problems.add(shown, data[: html.start()].count(b"\n") + 1, "capture-is-html",
                     f"the file holds HTML ({html.group(0).decode()!r}): a capture is the article's text",
                     "copy the article's text from the page (without site navigation), or save the page as text")
        return None
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def add_capture(root: Path, source: Path, facts: Facts, reg: Schema, problems: Problems) -> tuple[str, str] | None:
    """Write the capture and its draft sidecar; return their paths, or None with the problems."""
    data = article_text(read_bytes(source), str(source), problems)
    sidecar = f"sources/{facts.source_id}.yaml"
    if (root / sidecar).exists():
        problems.add(sidecar, 1, "sidecar-exists", f"{sidecar} already exists", "choose another --source-id")
    captures = root / "captures"
    existing = sorted(p for p in captures.iterdir() if p.is_file()) if captures.is_dir() else []
    if data is None or problems:
        return None
    digest = sha256_bytes(data)
    same = [p for p in existing if sha256_bytes(read_bytes(p)) == digest]
    if same:
        problems.add(str(source), 1, "capture-exists", f"this text is already captured as captures/{same[0].name}",
                     "a capture is added once; cite that capture's source instead")
        return None
    number = 1 + max((int(m.group(1)) for p in existing if (m := _NUMBERED.match(p.name))), default=-1)
    capture = f"captures/{number:03d}_{digest[:16]}.txt"
    row = Row("sources", sidecar, 1, sidecar_values(facts, capture, digest, reg))
    text = dump_canonical(canonical_record(row, reg))
    parse_file_text(text, sidecar, facts.source_id, reg.tables["sources"], reg, problems)  # checked before writing
    if problems:
        return None
    write_bytes(root / capture, data)
    write_text(root / sidecar, text)
    return capture, sidecar


def sidecar_values(facts: Facts, capture: str, digest: str, reg: Schema) -> dict[str, object]:
    values: dict[str, object] = {
        "source_id": facts.source_id, "record_status": "draft", "capture_path": capture, "capture_sha256": digest,
        "capture_url": facts.url, "publisher": facts.publisher, "derivation": facts.derivation,
        "independence_group": facts.source_id, "is_truncated_by_publisher": facts.is_truncated_by_publisher,
        "is_machine_paraphrase": facts.is_machine_paraphrase,
        "rights_note": (f"Copyrighted by its publisher, {facts.publisher}. The dataset carries only short, attributed "
                        "quotations (and coded facts with a link); the capture is kept in the repository for "
                        "verification only and is never released."),
        "notes": ("Added with nkcp add. Independence group: its own until a reviewer finds a capture of the same "
                  "reporting and informants."),
    }
    if facts.title:
        values["title"] = facts.title
    if facts.credits:
        values["credits"] = facts.credits
    if facts.date:
        values.update(publication_date_start=facts.date, publication_date_end=facts.date,
                      publication_date_precision="day", publication_date_basis="stated")
    explainable = record_plan(reg.tables["sources"], reg).explainable
    reasons = {name: NOT_GIVEN for name in explainable if name not in values}
    values["unknown_reasons"] = {**reasons, "reviewed_by": "Not reviewed yet: nkcp review --accept records who reviewed it."}
    return values
