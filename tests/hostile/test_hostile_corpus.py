"""A corpus of hostile and broken contributions: each one is refused, located, and changes nothing.

Every case is one small mutation of a copy of the miniature fixture (which validates and builds
cleanly): a text substitution, a file written byte by byte, or a file, link, folder or pipe added.
For each case `nkcp validate` and `nkcp build` both exit 1 and print `file:line: [code]` for the
expected file, line and code; the build leaves the previous `build/` and `datapackage.json`
byte-identical. Together with tests/test_bad_inputs.py (33 cases in the same style, not repeated
here) this is the project's list of refused inputs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import MINI, REPO, run_cli

EVENT = "records/events/E0001.yaml"
QUOTES = "records/quotes/mini-source.yaml"
SOURCE = "sources/mini-source.yaml"
PLACE = "records/places/pyongyang.yaml"
EVIDENCE = "records/evidence/E0001.yaml"
REGION = "records/places/countryside.yaml"
CAPTURE = "captures/mini.txt"

Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    file: str
    line: int
    code: str


# --------------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------------
def sub(file: str, old: str, new: str) -> Mutation:
    """Replace text that occurs exactly once in the file."""

    def mutate(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"fixture text {old!r} must occur once in {file}"
        path.write_bytes(text.replace(old, new).encode("utf-8", "surrogatepass"))

    return mutate


def sub_bytes(file: str, old: bytes, new: bytes) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / file
        data = path.read_bytes()
        assert data.count(old) == 1, f"fixture bytes {old!r} must occur once in {file}"
        path.write_bytes(data.replace(old, new))

    return mutate


def transform(file: str, fn: Callable[[bytes], bytes]) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / file
        path.write_bytes(fn(path.read_bytes()))

    return mutate


def put(file: str, data: str | bytes) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(root: Path) -> None:
        for m in mutations:
            m(root)

    return mutate


def outside(root: Path) -> Path:
    """A folder next to the repository copy, i.e. outside it."""
    folder = root.parent / "outside"
    folder.mkdir(exist_ok=True)
    return folder


def symlink_capture_out(root: Path) -> None:
    target = outside(root) / "mini.txt"
    shutil.copyfile(root / CAPTURE, target)  # same bytes, same checksum: only the link is wrong
    (root / CAPTURE).unlink()
    (root / CAPTURE).symlink_to(target)


def symlink_record_out(root: Path) -> None:
    target = outside(root) / "evil.yaml"
    shutil.copyfile(root / PLACE, target)
    (root / "records/places/evil.yaml").symlink_to(target)


def symlink_folder_out(root: Path) -> None:
    target = outside(root) / "places"
    shutil.move(root / "records/places", target)
    (root / "records/places").symlink_to(target, target_is_directory=True)


def captures_folder_symlink_out(root: Path) -> None:
    target = outside(root) / "captures"
    shutil.move(root / "captures", target)
    (root / "captures").symlink_to(target, target_is_directory=True)


def second_source_reusing_quote_ids(root: Path) -> None:
    """A second sidecar and quotations file, valid on their own, whose quote IDs repeat the first's."""
    for folder in ("sources", "records/quotes"):
        text = (root / folder / "mini-source.yaml").read_text(encoding="utf-8")
        (root / folder / "mini-two.yaml").write_text(text.replace("source_id: mini-source", "source_id: mini-two"),
                                                    encoding="utf-8")


def capture_not_utf8(root: Path) -> None:
    capture = root / CAPTURE
    data = capture.read_bytes().replace(b"A fictional", b"A fict\xffonal")
    capture.write_bytes(data)
    sub(SOURCE, "capture_sha256: 1d4f7e8cfa187e127fc599543e13f8a5272af380380236fb210dc74b49aa7c1b",
        f"capture_sha256: {hashlib.sha256(data).hexdigest()}")(root)


def capture_is_folder(root: Path) -> None:
    (root / CAPTURE).unlink()
    (root / CAPTURE).mkdir()


def record_is_folder(root: Path) -> None:
    (root / "records/events/E0002.yaml").mkdir()


def record_is_fifo(root: Path) -> None:
    os.mkfifo(root / "records/events/E0002.yaml")


def record_name_not_utf8(root: Path) -> None:
    folder = os.fsencode(root / "records/events")
    with open(folder + b"/E\xff.yaml", "wb") as fh:
        fh.write((root / EVENT).read_bytes())


def extra_quote(quote_id: str, status: str) -> str:
    return (f"- quote_id: {quote_id}\n  record_status: {status}\n  start_offset: 190\n  end_offset: 213\n"
            "  text: They were told nothing,\n  speaker_words: the source\n  informant_id: mini-capital-source\n"
            "  informant_type: resident\n  evidentiary_basis: unclear\n  is_speaker_inferred: false\n"
            "  is_cut_by_publisher: false\n  is_from_paraphrased_copy: false\n  is_possibly_altered: false\n")


def append(file: str, text: str) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / file
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return mutate


def ghost_quotes(root: Path) -> None:
    text = (root / QUOTES).read_text(encoding="utf-8")
    text = text.replace("source_id: mini-source", "source_id: ghost-source").replace("Q000", "Q010")
    (root / "records/quotes/ghost-source.yaml").write_text(text, encoding="utf-8")


def billion_laughs() -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\nnotes:"


NOTES = "notes: Year taken from the publication date."
NESTED_MAPPINGS = "notes:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(12)) + " " * 13 + "b\n"
# The top-level mapping is depth 1; the mapping opened on line 26 + k is depth k + 1, and the
# first one deeper than 1 + 8 levels (io.MAX_YAML_DEPTH) is on line 26 + 9.
NESTED_FIRST_TOO_DEEP = 26 + 9

# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------
CASES = [
    # --- YAML structure and safe loading ------------------------------------------------------
    Case("alias-bomb", sub(EVENT, "notes:", billion_laughs()), EVENT, 26, "yaml-alias"),
    Case("alias-reuse", both(sub(EVENT, "count_words: 12 families", "count_words: &w 12 families"),
                             sub(EVENT, NOTES, "notes: *w")), EVENT, 26, "yaml-alias"),
    Case("merge-key", sub(EVENT, "notes:", "<<: {notes: x}\nnotes:"), EVENT, 26, "yaml-key"),
    Case("python-object-tag", sub(EVENT, NOTES, "notes: !!python/object/apply:os.system ['touch pwned']"),
         EVENT, 26, "yaml-tag"),
    Case("local-tag", sub(EVENT, "summary: Twelve", "summary: !include Twelve"), EVENT, 3, "yaml-tag"),
    Case("tag-directive", transform(EVENT, lambda b: b"%TAG !x! tag:evil.example,2024:\n---\n"
                                    + b.replace(b"event_id: E0001", b"event_id: !x!id E0001")),
         EVENT, 3, "yaml-tag"),
    Case("binary-tag", sub(EVENT, NOTES, "notes: !!binary aGVsbG8="), EVENT, 26, "yaml-tag"),
    Case("deep-flow-nesting", sub(EVENT, NOTES, "notes: " + "[" * 100_000 + "]" * 100_000),
         EVENT, 26, "yaml-too-deep"),
    Case("deep-block-nesting", sub(EVENT, NOTES + "\n", NESTED_MAPPINGS), EVENT, NESTED_FIRST_TOO_DEEP,
         "yaml-too-deep"),
    Case("complex-key", sub(EVENT, "notes:", "? [a, b]\n: x\nnotes:"), EVENT, 26, "yaml-key"),
    Case("integer-key", sub(EVENT, "notes:", "1: x\nnotes:"), EVENT, 26, "yaml-key"),
    Case("second-document", append(EVENT, "---\nevent_id: E0002\n"), EVENT, 27, "yaml-syntax"),
    Case("syntax-error", sub(EVENT, "summary: Twelve families", "summary: Twelve: families"),
         EVENT, 3, "yaml-syntax"),
    Case("empty-file", put(EVENT, ""), EVENT, 1, "empty-file"),
    Case("top-level-list", put(EVENT, "- event_id: E0001\n"), EVENT, 1, "wrong-type"),
    # --- bytes, encodings, characters ---------------------------------------------------------
    Case("file-too-large", sub(EVENT, NOTES, "notes: " + "x" * 1_000_001), EVENT, 1, "file-too-large"),
    Case("invalid-utf8", sub_bytes(EVENT, b"Twelve", b"Tw\xffelve"), EVENT, 3, "invalid-utf8"),
    Case("overlong-utf8", sub_bytes(EVENT, b"Twelve", b"Tw\xc0\xafelve"), EVENT, 3, "invalid-utf8"),
    Case("encoded-surrogate", sub_bytes(EVENT, b"Twelve", b"Tw\xed\xa0\x80elve"), EVENT, 3, "invalid-utf8"),
    Case("byte-order-mark", transform(EVENT, lambda b: b"\xef\xbb\xbf" + b), EVENT, 1, "byte-order-mark"),
    Case("utf16-file", transform(EVENT, lambda b: b.decode("utf-8").encode("utf-16")), EVENT, 1, "invalid-utf8"),
    Case("crlf", transform(EVENT, lambda b: b.replace(b"\n", b"\r\n")), EVENT, 1, "crlf"),
    Case("lone-cr", sub(EVENT, "summary: Twelve families", "summary: Twelve\rfamilies"),
         EVENT, 3, "control-character"),
    Case("nul-byte", sub_bytes(EVENT, b"Twelve", b"Twe\x00lve"), EVENT, 3, "control-character"),
    Case("ansi-escape", sub(EVENT, "summary: Twelve", "summary: \x1b[31mTwelve"), EVENT, 3, "control-character"),
    Case("c1-control", sub(EVENT, "summary: Twelve", "summary: Twelve\x85"), EVENT, 3, "control-character"),
    Case("tab", sub(EVENT, "summary: Twelve families", "summary: Twelve\tfamilies"), EVENT, 3, "control-character"),
    Case("line-separator", sub(EVENT, "summary: Twelve families", "summary: Twelve\u2028families"),
         EVENT, 3, "control-character"),
    Case("escaped-nul", sub(EVENT, NOTES, 'notes: "Year\\0"'), EVENT, 26, "control-character"),
    Case("escaped-ansi", sub(EVENT, NOTES, 'notes: "\\e[2JYear"'), EVENT, 26, "control-character"),
    Case("escaped-noncharacter", sub(EVENT, NOTES, 'notes: "Year\\uFFFF"'), EVENT, 26, "control-character"),
    Case("escaped-tab-in-key", sub(EVENT, "notes:", '"no\\ttes":'), EVENT, 26, "control-character"),
    Case("bidi-override", sub(EVENT, "summary: Twelve", "summary: \u202eTwelve"), EVENT, 3, "invisible-character"),
    Case("bidi-isolate", sub(QUOTES, "speaker_words: the source", "speaker_words: the \u2066source\u2069"),
         QUOTES, 21, "invisible-character"),
    Case("zero-width-space", sub(PLACE, "name: Pyongyang", "name: Pyong\u200byang"), PLACE, 3, "invisible-character"),
    Case("zero-width-no-break-space", sub(EVENT, "date_words: In May", "date_words: In\ufeffMay"),
         EVENT, 14, "invisible-character"),
    Case("escaped-bidi-override", sub(EVENT, NOTES, 'notes: "\\u202eYear"'), EVENT, 26, "invisible-character"),
    Case("non-nfc", sub(PLACE, "name_mr: P'yŏngyang", "name_mr: P'yo\u0306ngyang"), PLACE, 5, "not-nfc"),
    Case("non-nfc-hangul-jamo", sub(PLACE, "name_hangul: 평양", "name_hangul: " + unicodedata.normalize("NFD", "평양")),
         PLACE, 4, "not-nfc"),
    Case("escaped-non-nfc", sub(EVENT, NOTES, 'notes: "Year e\\u0301"'), EVENT, 26, "not-nfc"),
    # --- YAML 1.1 traps -----------------------------------------------------------------------
    Case("yaml11-on-boolean", sub(QUOTES, "  is_speaker_inferred: false\n  is_cut_by_publisher: false\n"
                                  "  is_from_paraphrased_copy: false\n  is_possibly_altered: false\n- quote_id: Q0002",
                                  "  is_speaker_inferred: on\n  is_cut_by_publisher: false\n"
                                  "  is_from_paraphrased_copy: false\n  is_possibly_altered: false\n- quote_id: Q0002"),
         QUOTES, 12, "wrong-type"),
    Case("yaml11-octal", sub(EVENT, "count_best: 12", "count_best: 010"), EVENT, 19, "wrong-type"),
    Case("yaml11-hex", sub(EVENT, "count_best: 12", "count_best: 0xC"), EVENT, 19, "wrong-type"),
    Case("yaml11-underscore-int", sub(EVENT, "count_best: 12", "count_best: 1_2"), EVENT, 19, "wrong-type"),
    Case("yaml11-sexagesimal", sub(EVENT, "count_words: 12 families", "count_words: 1:20"),
         EVENT, 21, "yaml-implicit-type"),
    Case("yaml11-infinity", sub(EVENT, "count_words: 12 families", "count_words: .inf"),
         EVENT, 21, "yaml-implicit-type"),
    Case("yaml11-timestamp-in-text", sub(EVENT, "date_words: In May", "date_words: 2021-05-01"),
         EVENT, 14, "yaml-implicit-type"),
    Case("yaml11-unquoted-month", sub(EVENT, "date_end: '2021-05-31'", "date_end: 2021-05"), EVENT, 11, "bad-date"),
    Case("yaml11-tilde-null", sub(EVENT, NOTES, "notes: ~"), EVENT, 26, "empty-value"),
    Case("unquoted-date-not-canonical", sub(EVENT, "date_start: '2021-05-01'", "date_start: 2021-05-01"),
         EVENT, 10, "not-canonical"),
    Case("float-for-integer", sub(EVENT, "count_best: 12", "count_best: 12.0"), EVENT, 19, "wrong-type"),
    Case("quoted-integer", sub(EVENT, "count_best: 12", "count_best: '12'"), EVENT, 19, "wrong-type"),
    Case("integer-over-int64", sub(EVENT, "count_best: 12", "count_best: " + "1" + "0" * 30), EVENT, 19, "out-of-range"),
    Case("integer-5000-digits", sub(EVENT, "count_best: 12", "count_best: " + "9" * 5000), EVENT, 19, "out-of-range"),
    # --- unknown fields, unknown values, wrong shapes -----------------------------------------
    Case("unknown-field-in-quote", sub(QUOTES, "speaker_words: the source", "speaker_word: the source"),
         QUOTES, 21, "unknown-field"),
    Case("unknown-top-level-key", sub(QUOTES, "source_id: mini-source\n", "source_id: mini-source\nextra: x\n"),
         QUOTES, 2, "unknown-field"),
    Case("unknown-reason-field", sub(SOURCE, "  credits: The", "  credit: The"), SOURCE, 25, "unknown-field"),
    Case("reason-with-line-break", sub(SOURCE, "  credits: The fixture has no byline.",
                                       '  credits: "The fixture\\nhas no byline."'), SOURCE, 28, "whitespace"),
    Case("vocabulary-wrong-case", sub(EVENT, "event_type: banishment", "event_type: Banishment"),
         EVENT, 5, "unknown-value"),
    Case("vocabulary-list-item", sub(EVENT, "other_event_types: [eviction]", "other_event_types: [eviction, exiled]"),
         EVENT, 6, "unknown-value"),
    Case("vocabulary-trailing-space", sub(EVENT, "event_type: banishment", "event_type: 'banishment '"),
         EVENT, 5, "whitespace"),
    Case("list-for-scalar", sub(EVENT, "event_type: banishment", "event_type: [banishment]"), EVENT, 5, "wrong-type"),
    Case("mapping-for-scalar", sub(EVENT, "summary: Twelve families", "summary: {a: b}\nnotes_: Twelve families"),
         EVENT, 3, "wrong-type"),
    # --- identifiers and references -----------------------------------------------------------
    Case("retracted-id-reused", append(QUOTES, extra_quote("Q0003", "retracted") + extra_quote("Q0003", "reviewed")),
         QUOTES, 42, "retracted-id-reused"),
    Case("duplicate-id-across-files", second_source_reusing_quote_ids, "records/quotes/mini-two.yaml", 3,
         "duplicate-id"),
    Case("duplicate-key-in-list-item", sub(QUOTES, "speaker_words: the source\n",
                                           "speaker_words: the source\n  text: They were told nothing,\n"),
         QUOTES, 22, "duplicate-key"),
    Case("dangling-parent-place", sub(REGION, "parent_place_id: north-korea", "parent_place_id: north-korae"),
         REGION, 6, "dangling-reference"),
    Case("dangling-continuation", sub(QUOTES, "  text: They were told nothing,\n",
                                      "  text: They were told nothing,\n  continues_quote_id: Q0009\n"),
         QUOTES, 21, "dangling-reference"),
    Case("dangling-parent-event", sub(EVENT, "date_start:", "parent_event_id: E0099\ndate_start:"),
         EVENT, 10, "dangling-reference"),
    Case("own-parent", sub(EVENT, "date_start:", "parent_event_id: E0001\ndate_start:"), EVENT, 10, "bad-parent"),
    Case("quotes-of-unknown-source", ghost_quotes, "records/quotes/ghost-source.yaml", 1, "dangling-reference"),
    Case("evidence-span-past-capture-end", sub(EVIDENCE, "  end_offset: 97\n", "  end_offset: 9700\n"),
         EVIDENCE, 103, "bad-offsets"),
    Case("evidence-homoglyph", sub(EVIDENCE, "  text: 12 families\n", "  text: 12 fаmilies\n"),
         EVIDENCE, 105, "evidence-not-verbatim"),
    Case("evidence-of-unknown-event", sub(EVIDENCE, "event_id: E0001\n", "event_id: E0099\n"),
         EVIDENCE, 1, "dangling-reference"),
    # --- quotations and captures --------------------------------------------------------------
    Case("quote-off-by-one", sub(QUOTES, "end_offset: 213", "end_offset: 212"), QUOTES, 20, "quote-not-verbatim"),
    Case("quote-homoglyph", sub(QUOTES, "text: They were told", "text: They were tоld"), QUOTES, 20,
         "quote-not-verbatim"),
    Case("quote-offsets-inverted", sub(QUOTES, "start_offset: 190", "start_offset: 250"), QUOTES, 18, "bad-offsets"),
    Case("quote-negative-offset", sub(QUOTES, "start_offset: 190", "start_offset: -1"), QUOTES, 18, "out-of-range"),
    Case("capture-tampered", sub(CAPTURE, "12 families", "13 families"), SOURCE, 4, "capture-checksum"),
    Case("capture-symlink-out", symlink_capture_out, SOURCE, 3, "path-escape"),
    Case("captures-folder-symlink-out", captures_folder_symlink_out, SOURCE, 3, "path-escape"),
    Case("capture-path-traversal", sub(SOURCE, "capture_path: captures/mini.txt",
                                       "capture_path: captures/../../etc/passwd.txt"), SOURCE, 3, "bad-format"),
    Case("capture-path-absolute", sub(SOURCE, "capture_path: captures/mini.txt", "capture_path: /etc/passwd"),
         SOURCE, 3, "bad-format"),
    Case("capture-not-utf8", capture_not_utf8, SOURCE, 3, "invalid-utf8"),
    Case("capture-is-folder", capture_is_folder, SOURCE, 3, "capture-missing"),
    Case("checksum-uppercase", sub(SOURCE, "capture_sha256: 1d4f7e8cfa", "capture_sha256: 1D4F7E8CFA"),
         SOURCE, 4, "bad-format"),
    # --- files and folders --------------------------------------------------------------------
    Case("record-symlink-out", symlink_record_out, "records/places/evil.yaml", 1, "path-escape"),
    Case("records-folder-symlink-out", symlink_folder_out, "records/places", 1, "not-a-folder"),
    Case("record-is-folder", record_is_folder, "records/events/E0002.yaml", 1, "not-a-file"),
    Case("record-is-fifo", record_is_fifo, "records/events/E0002.yaml", 1, "not-a-file"),
    Case("record-wrong-extension", put("records/events/E0002.YAML", "event_id: E0002\n"),
         "records/events/E0002.YAML", 1, "file-name"),
    Case("record-name-with-line-break", put("records/events/E0002\n.yaml", "event_id: E0002\n"),
         "records/events/E0002\\n.yaml", 1, "file-name"),
    Case("record-name-not-utf8", record_name_not_utf8, "records/events/E\\udcff.yaml", 1, "file-name"),
    # --- dates, counts, places ----------------------------------------------------------------
    Case("year-zero", sub(EVENT, "date_start: '2021-05-01'", "date_start: '0000-05-01'"), EVENT, 10, "bad-date"),
    Case("source-dates-inverted", sub(SOURCE, "publication_date_start: '2021-06-15'",
                                      "publication_date_start: '2021-06-16'"), SOURCE, 7, "date-order"),
    Case("count-high-below-best", sub(EVENT, "count_best: 12", "count_best: 12\ncount_high: 5"),
         EVENT, 19, "count-order"),
    Case("count-without-unit", sub(EVENT, "count_unit: families\n", ""), EVENT, 1, "missing-field"),
    Case("typed-coordinate", sub(PLACE, "coordinate_represents:", "latitude: 39.03\ncoordinate_represents:"),
         PLACE, 13, "derived-field"),
    Case("subdivision-of-other-country", sub(PLACE, "iso_3166_2_code: KP-01", "iso_3166_2_code: CN-BJ"),
         PLACE, 11, "bad-iso-code"),
    # --- text that spreadsheets would run ----------------------------------------------------
    Case("formula-plus", sub(EVENT, "summary: Twelve", "summary: +Twelve"), EVENT, 3, "formula-like-text"),
    Case("formula-minus", sub(EVENT, NOTES, "notes: '-2+3 families'"), EVENT, 26, "formula-like-text"),
    Case("formula-at", sub(QUOTES, "speaker_words: the source", "speaker_words: '@SUM(1+1)'"),
         QUOTES, 21, "formula-like-text"),
    Case("formula-in-list", sub(PLACE, "aliases: [Phyeongyang]", "aliases: ['=HYPERLINK(\"http://x\")']"),
         PLACE, 7, "formula-like-text"),
    Case("formula-behind-space", sub(EVENT, NOTES, "notes: ' =1+1'"), EVENT, 26, "whitespace"),
]


def _snapshot(root: Path) -> dict[str, bytes]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "build").rglob("*") if p.is_file()}
    files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    return files


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The miniature fixture, built once: each case starts from a copy with build/ in place."""
    root = tmp_path_factory.mktemp("built") / "repo"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
    shutil.copytree(REPO / "schema", root / "schema")
    exit_code, output = run_cli("build", "--root", str(root))
    assert exit_code == 0, output
    return root


@pytest.fixture
def repo(built_mini: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(built_mini, root, symlinks=True)
    return root


def test_corpus_is_large_enough() -> None:
    from tests.test_bad_inputs import CASES as LOCATED

    ids = [c.id for c in CASES]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {c[0] for c in LOCATED}, "a case repeats one of tests/test_bad_inputs.py"
    assert len(CASES) + len(LOCATED) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_and_located(repo: Path, case: Case) -> None:
    before = _snapshot(repo)
    case.mutate(repo)
    expected = f"{case.file}:{case.line}: [{case.code}]"

    exit_code, output = run_cli("validate", "--root", str(repo))
    assert exit_code == 1, output
    assert expected in output, output

    exit_code, output = run_cli("build", "--root", str(repo))
    assert exit_code == 1, output
    assert expected in output, output
    assert _snapshot(repo) == before
    assert not list(repo.glob(".nkcp-staging-*"))


def test_alias_bomb_report_is_bounded(repo: Path) -> None:
    """10 anchors and 81 aliases: the first 20 are listed (repeats on one line shown once), then
    one line counts the other 71, and nothing is composed."""
    sub(EVENT, "notes:", billion_laughs())(repo)
    exit_code, output = run_cli("validate", "--root", str(repo), "--format", "json")
    assert exit_code == 1
    aliases = [p for p in json.loads(output) if p["code"] == "yaml-alias"]
    assert {p["line"] for p in aliases} == {1, 26, 27, 28}
    assert [p["message"] for p in aliases if p["line"] == 1] == [
        "71 more anchors and aliases in this file are not listed"]


def test_tag_never_constructs(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A python/object tag is reported, and the command it names is never run."""
    monkeypatch.chdir(repo)
    sub(EVENT, NOTES, "notes: !!python/object/apply:os.system ['touch pwned']")(repo)
    exit_code, output = run_cli("build", "--root", str(repo))
    assert exit_code == 1
    assert f"{EVENT}:26: [yaml-tag]" in output
    assert not (repo / "pwned").exists()


@pytest.mark.parametrize("where", ["committed", "mini"])
def test_no_csv_cell_starts_a_formula(built_mini: Path, where: str) -> None:
    """The protection for CSV consumers is the refusal above, not escaping on output (README.md):
    so no cell of a built CSV, other than a plain number, begins with = + - @ tab or CR."""
    root = REPO if where == "committed" else built_mini
    tables = sorted((root / "build").glob("*.csv"))
    assert len(tables) == 5
    number = re.compile(r"-?[0-9]+(\.[0-9]+)?")
    for table in tables:
        with table.open(encoding="utf-8", newline="") as fh:
            cells = [cell for row in csv.reader(fh) for cell in row]
        assert cells
        assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number.fullmatch(c)] == []


def test_report_lines_cannot_be_forged_by_file_names(repo: Path) -> None:
    """A file name with a line break is shown escaped, so every report line is one problem."""
    put("records/events/E0002\nE0001.yaml:1: [fake] all good.yaml", "x: 1\n")(repo)
    exit_code, output = run_cli("validate", "--root", str(repo))
    assert exit_code == 1
    assert "records/events/E0002\\nE0001.yaml:1: [fake] all good.yaml:1: [file-name]" in output
    assert not any(line.startswith("E0001.yaml") for line in output.splitlines())
