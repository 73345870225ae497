"""One bad input per check: `nkcp validate` exits 1 and names the file, line and error code.

Each case edits one file of a fresh copy of the miniature fixture (which validates cleanly) by
a text substitution, so the expected line is the line of the substituted text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import run_cli

EVENT = "records/events/E0001.yaml"
QUOTES = "records/quotes/mini-source.yaml"
SOURCE = "sources/mini-source.yaml"
PLACE = "records/places/pyongyang.yaml"
EVIDENCE = "records/evidence/E0001.yaml"

# (id, file, old text, new text, error code, line of the error)
CASES = [
    ("unknown-field", EVENT, "summary:", "sumary:", "unknown-field", 3),
    ("unknown-vocabulary-value", EVENT, "event_type: banishment", "event_type: exile", "unknown-value", 5),
    ("missing-required-field", EVENT, "target: residents\n", "", "missing-field", 1),
    ("bad-id-format", EVENT, "event_id: E0001", "event_id: E1", "bad-format", 1),
    ("file-name-mismatch", EVENT, "event_id: E0001", "event_id: E0002", "file-name", 1),
    ("dangling-place", EVENT, "destination_place_id: countryside", "destination_place_id: countrysid",
     "dangling-reference", 17),
    ("dangling-source", EVENT, "source_ids: [mini-source]", "source_ids: [mini-sourc]", "dangling-reference", 25),
    ("unknown-coded-field", EVIDENCE, "coded_field: count_best", "coded_field: count_bst", "unknown-value", 100),
    ("date-order", EVENT, "date_start: '2021-05-01'\ndate_end: '2021-05-31'",
     "date_start: '2021-05-31'\ndate_end: '2021-05-01'", "date-order", 10),
    ("impossible-date", EVENT, "date_end: '2021-05-31'", "date_end: '2021-02-30'", "bad-date", 11),
    ("month-as-date", EVENT, "date_end: '2021-05-31'", "date_end: '2021-05'", "bad-date", 11),
    ("precision-disagrees", EVENT, "date_precision: month", "date_precision: day", "date-precision", 12),
    ("date-after-publication", EVENT, "date_start: '2021-05-01'\ndate_end: '2021-05-31'\ndate_precision: month",
     "date_start: '2021-07-01'\ndate_end: '2021-07-31'\ndate_precision: month", "date-after-publication", 11),
    ("count-order", EVENT, "count_best: 12", "count_low: 20\ncount_best: 12", "count-order", 19),
    ("negative-count", EVENT, "count_best: 12", "count_best: -1", "out-of-range", 19),
    ("banishment-without-destination", EVENT, "destination_place_id: countryside\n", "",
     "banishment-without-destination", 5),
    ("no-sources", EVENT, "source_ids: [mini-source]\n", "", "missing-field", 1),
    ("derived-field-given", EVENT, "notes:", "source_count: 3\nnotes:", "derived-field", 26),
    ("derived-voice-given", EVIDENCE, "  text: 12 families\n", "  text: 12 families\n  voice: speech\n", "derived-field", 106),
    ("missing-reason", SOURCE, "  credits: The fixture has no byline.\n", "", "missing-reason", 1),
    ("reason-for-filled-field", SOURCE, "  credits: The fixture has no byline.",
     "  credits: The fixture has no byline.\n  title: Not unknown.", "reason-for-filled-field", 25),
    ("capture-checksum", SOURCE, "capture_sha256: 1d4f", "capture_sha256: 0d4f", "capture-checksum", 4),
    ("capture-missing", SOURCE, "captures/mini.txt", "captures/missing.txt", "capture-missing", 3),
    ("quote-not-verbatim", QUOTES, "text: They were told nothing,", "text: They were told everything,",
     "quote-not-verbatim", 20),
    ("offsets-outside-capture", QUOTES, "end_offset: 213", "end_offset: 99999", "bad-offsets", 18),
    ("bad-iso-code", PLACE, "iso_3166_2_code: KP-01", "iso_3166_2_code: KP-11", "bad-iso-code", 11),
    ("geonames-id-unknown", PLACE, "geonames_id: 1871859", "geonames_id: 999999999", "unknown-geonames-id", 12),
    ("coordinate-off-map", PLACE, "geonames_id: 1871859", "geonames_id: 2037886", "coordinate-off-map", 12),
    ("duplicate-key", EVENT, "summary:", "notes: x\nsummary:", "duplicate-key", 27),
    ("yaml-1.1-boolean", QUOTES, "is_cut_by_publisher: false\n  is_from_paraphrased_copy: false\n"
     "  is_possibly_altered: false\n- quote_id: Q0002",
     "is_cut_by_publisher: no\n  is_from_paraphrased_copy: false\n  is_possibly_altered: false\n- quote_id: Q0002",
     "wrong-type", 13),
    ("yaml-1.1-string-trap", EVENT, "date_words: In May", "date_words: no", "yaml-implicit-type", 14),
    ("not-canonical", EVENT, "other_event_types: [eviction]", "other_event_types:\n- eviction", "not-canonical", 6),
    ("duplicate-id", QUOTES, "quote_id: Q0002", "quote_id: Q0001", "duplicate-id", 16),
    ("formula-like-text", EVENT, "notes: Year", "notes: =Year", "formula-like-text", 26),
]


@pytest.mark.parametrize(("file", "old", "new", "code", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_located(mini_repo: Path, file: str, old: str, new: str, code: str, line: int) -> None:
    path = mini_repo / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text {old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    exit_code, output = run_cli("validate", "--root", str(mini_repo))
    assert exit_code == 1, output
    assert f"{file}:{line}: [{code}]" in output, output


def test_clean_fixture_validates(mini_repo: Path) -> None:
    exit_code, output = run_cli("validate", "--root", str(mini_repo))
    assert exit_code == 0, output
    assert "no problems" in output


def test_every_error_reported_at_once(mini_repo: Path) -> None:
    event = mini_repo / EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("event_type: banishment", "event_type: exile")
                     .replace("target: residents", "target: families"), encoding="utf-8")
    quotes = mini_repo / QUOTES
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("told nothing,", "told everything,"),
                      encoding="utf-8")
    exit_code, output = run_cli("validate", "--root", str(mini_repo))
    assert exit_code == 1
    found = re.findall(r"^(\S+):(\d+): \[([a-z-]+)\]", output, flags=re.M)
    assert {(f, c) for f, _, c in found} >= {(EVENT, "unknown-value"), (QUOTES, "quote-not-verbatim")}
    assert sum(1 for _, _, c in found if c == "unknown-value") == 2


def test_a_quotes_file_with_no_quotation_is_reported(mini_repo: Path) -> None:
    """An empty list gives no row, so without this nothing else would look at the file."""
    (mini_repo / "records" / "quotes" / "other-source.yaml").write_text("source_id: other-source\nquotes: []\n",
                                                                         encoding="utf-8")
    exit_code, output = run_cli("validate", "--root", str(mini_repo))
    assert exit_code == 1, output
    assert "records/quotes/other-source.yaml:2: [empty-value] the list 'quotes' is empty" in output, output


def test_unknown_place_hint_names_nearest_gazetteer_place(mini_repo: Path) -> None:
    event = mini_repo / EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("place_id: pyongyang\norigin",
                                                               "place_id: phyeongyang\norigin"), encoding="utf-8")
    exit_code, output = run_cli("validate", "--root", str(mini_repo))
    assert exit_code == 1
    assert "[dangling-reference] place_id 'phyeongyang'" in output
    assert "nearest gazetteer places: pyongyang (Phyeongyang)" in output


def test_draft_record_refused_by_build(mini_repo: Path) -> None:
    event = mini_repo / EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("record_status: reviewed", "record_status: draft"),
                     encoding="utf-8")
    exit_code, output = run_cli("build", "--root", str(mini_repo))
    assert exit_code == 1
    assert f"{EVENT}:2: [draft-record]" in output
    assert not (mini_repo / "build").exists()
