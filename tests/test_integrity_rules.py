"""The integrity rules of the adversarial review: each is broken in several ways on a built copy of
the miniature fixture, through the real CLI. `nkcp validate` exits 1 with the exact located
message, and `nkcp build` refuses too, leaving build/ and datapackage.json byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tests.conftest import run_cli

EVENT = "records/events/E0001.yaml"
EVIDENCE = "records/evidence/E0001.yaml"
QUOTES = "records/quotes/mini-source.yaml"
SOURCE = "sources/mini-source.yaml"
PYONGYANG = "records/places/pyongyang.yaml"
COUNTRYSIDE = "records/places/countryside.yaml"
NORTH_KOREA = "records/places/north-korea.yaml"
CAPTURE = "captures/mini.txt"


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    """The miniature fixture, built once so that a refused build can be seen to change nothing."""
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    return mini_repo


def snapshot(root: Path) -> dict[str, bytes]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "build").rglob("*") if p.is_file()}
    files["datapackage.json"] = (root / "datapackage.json").read_bytes()
    return files


def refused(root: Path, before: dict[str, bytes]) -> list[str]:
    """The located problems of validate (exit 1); build must refuse with them and write nothing."""
    code, output = run_cli("validate", "--root", str(root))
    assert code == 1, output
    lines = [line for line in output.splitlines() if ": [" in line]
    code, built = run_cli("build", "--root", str(root))
    assert code == 1, built
    assert all(line in built for line in lines), built
    assert snapshot(root) == before
    return lines


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, rel: str, text: str, after: str = "") -> int:
    """The line of the first occurrence of text in a file (after another text, if given)."""
    content = (root / rel).read_text(encoding="utf-8")
    at = content.index(text, content.index(after) if after else 0)
    return content.count("\n", 0, at) + 1


def fmt(root: Path) -> None:
    code, output = run_cli("format", "--root", str(root))
    assert code == 0, output


def add_source(root: Path, source_id: str, capture: bytes | None = None, group: str = "mini-group",
               path: str | None = None) -> None:
    """A second sidecar, copied from mini-source, of its own capture (or of the path given)."""
    rel = path or f"captures/{source_id}.txt"
    if capture is not None:
        (root / rel).write_bytes(capture)
    digest = hashlib.sha256((root / rel).read_bytes()).hexdigest() if (root / rel).is_file() else "0" * 64
    sidecar = (root / SOURCE).read_text(encoding="utf-8")
    old_digest = hashlib.sha256((root / CAPTURE).read_bytes()).hexdigest()
    (root / "sources" / f"{source_id}.yaml").write_text(
        sidecar.replace("source_id: mini-source", f"source_id: {source_id}")
        .replace(f"capture_path: {CAPTURE}", f"capture_path: {rel}").replace(old_digest, digest)
        .replace("independence_group: mini-group", f"independence_group: {group}"), encoding="utf-8")


def retract(root: Path, rel: str, after: str = "") -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    at = text.index(after) if after else 0
    path.write_text(text[:at] + text[at:].replace("record_status: reviewed", "record_status: retracted", 1),
                    encoding="utf-8")


def second_event(root: Path, **changes: str) -> None:
    """E0002, a copy of E0001 and its evidence, with field lines replaced (then formatted)."""
    text = (root / EVENT).read_text(encoding="utf-8").replace("event_id: E0001", "event_id: E0002")
    for old, new in changes.items():
        text = text.replace(old, new)
    (root / "records/events/E0002.yaml").write_text(text, encoding="utf-8")
    (root / "records/evidence/E0002.yaml").write_text(
        (root / EVIDENCE).read_text(encoding="utf-8").replace("event_id: E0001", "event_id: E0002")
        .replace("evidence_id: V00", "evidence_id: V10"), encoding="utf-8")
    fmt(root)


# --- (1) a record that stands cites a retracted one ------------------------------------------------

def test_a_retracted_place_still_cited_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    retract(repo, COUNTRYSIDE)
    assert refused(repo, before) == [
        f"{EVENT}:17: [retracted-reference] destination_place_id names 'countryside', which is retracted "
        "(hint: cite a record that stands, or retract this one too)"]


def test_a_retracted_parent_place_is_refused_for_each_child(repo: Path) -> None:
    before = snapshot(repo)
    retract(repo, NORTH_KOREA)
    lines = refused(repo, before)
    for rel, line in ((COUNTRYSIDE, 6), (PYONGYANG, 9)):
        assert (f"{rel}:{line}: [retracted-reference] parent_place_id names 'north-korea', which is retracted "
                "(hint: cite a record that stands, or retract this one too)") in lines


def test_a_retracted_source_still_cited_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    retract(repo, SOURCE)
    lines = refused(repo, before)
    hint = "(hint: cite a record that stands, or retract this one too)"
    assert f"{EVENT}:25: [retracted-reference] source_ids names 'mini-source', which is retracted {hint}" in lines
    assert f"{QUOTES}:1: [retracted-reference] source_id names 'mini-source', which is retracted {hint}" in lines
    line = line_of(repo, EVIDENCE, "source_id: mini-source")
    assert f"{EVIDENCE}:{line}: [retracted-reference] source_id names 'mini-source', which is retracted {hint}" in lines


def test_a_retracted_quotation_still_continued_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, QUOTES, "  speaker_words: the source\n", "  speaker_words: the source\n  continues_quote_id: Q0001\n")
    fmt(repo)
    retract(repo, QUOTES)  # the first quotation, Q0001
    line = line_of(repo, QUOTES, "continues_quote_id")
    assert (f"{QUOTES}:{line}: [retracted-reference] continues_quote_id names 'Q0001', which is retracted "
            "(hint: cite a record that stands, or retract this one too)") in refused(repo, before)


def test_a_retracted_parent_event_is_refused(repo: Path) -> None:
    """The evidence of the retracted event is part of it, not a citation: only the child is refused."""
    before = snapshot(repo)
    second_event(repo, **{"notes:": "parent_event_id: E0001\nnotes:"})
    retract(repo, EVENT)
    line = line_of(repo, "records/events/E0002.yaml", "parent_event_id")
    assert refused(repo, before) == [
        f"records/events/E0002.yaml:{line}: [retracted-reference] parent_event_id names 'E0001', "
        "which is retracted (hint: cite a record that stands, or retract this one too)"]


def test_a_retracted_record_may_cite_a_retracted_one(mini_repo: Path) -> None:
    retract(mini_repo, COUNTRYSIDE)
    retract(mini_repo, EVENT)
    _, output = run_cli("validate", "--root", str(mini_repo))
    assert "retracted-reference] destination_place_id" not in output


# --- (2) a parent that is the record itself, or a cycle of parents -------------------------------

def test_a_place_that_is_its_own_parent_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, PYONGYANG, "parent_place_id: north-korea", "parent_place_id: pyongyang")
    assert refused(repo, before) == [
        f"{PYONGYANG}:9: [bad-parent] place pyongyang cannot be its own parent "
        "(hint: name the place it lies in, or omit parent_place_id)"]


def test_a_cycle_of_place_parents_is_refused_for_each_place_on_it(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, NORTH_KOREA, "feature_class: country\n", "feature_class: country\nparent_place_id: pyongyang\n")
    fmt(repo)
    lines = refused(repo, before)
    hint = "(hint: a chain of parent_place_id must end at a place without a parent)"
    line = line_of(repo, NORTH_KOREA, "parent_place_id")
    assert (f"{NORTH_KOREA}:{line}: [parent-cycle] the parents of place north-korea lead back to it: "
            f"north-korea -> pyongyang -> north-korea {hint}") in lines
    assert (f"{PYONGYANG}:9: [parent-cycle] the parents of place pyongyang lead back to it: "
            f"pyongyang -> north-korea -> pyongyang {hint}") in lines
    assert not any(COUNTRYSIDE in line for line in lines)  # it leads into the cycle, it is not on it


def test_a_three_place_cycle_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, PYONGYANG, "parent_place_id: north-korea", "parent_place_id: countryside")
    edit(repo, NORTH_KOREA, "feature_class: country\n", "feature_class: country\nparent_place_id: pyongyang\n")
    fmt(repo)
    assert (f"{COUNTRYSIDE}:6: [parent-cycle] the parents of place countryside lead back to it: "
            "countryside -> north-korea -> pyongyang -> countryside "
            "(hint: a chain of parent_place_id must end at a place without a parent)") in refused(repo, before)


def test_an_event_that_is_its_own_parent_and_a_cycle_of_events_are_refused(repo: Path) -> None:
    before = snapshot(repo)
    second_event(repo, **{"notes:": "parent_event_id: E0001\nnotes:"})
    edit(repo, EVENT, "notes:", "parent_event_id: E0002\nnotes:")
    fmt(repo)
    line = line_of(repo, EVENT, "parent_event_id")
    assert (f"{EVENT}:{line}: [parent-cycle] the parents of event E0001 lead back to it: E0001 -> E0002 -> E0001 "
            "(hint: a chain of parent_event_id must end at a event without a parent)") in refused(repo, before)
    edit(repo, EVENT, "parent_event_id: E0002", "parent_event_id: E0001")
    assert (f"{EVENT}:{line}: [bad-parent] event E0001 cannot be its own parent "
            "(hint: name the event it lies in, or omit parent_event_id)") in refused(repo, before)


# --- (3) a place in another country than its parent ------------------------------------------------

@pytest.mark.parametrize(("rel", "old", "new", "expected"), [
    (COUNTRYSIDE, "country_code: KP", "country_code: CN",
     [f"{COUNTRYSIDE}:7: [parent-in-other-country] countryside is in CN, its parent north-korea in KP"]),
    (NORTH_KOREA, "country_code: KP", "country_code: KR",
     [f"{COUNTRYSIDE}:7: [parent-in-other-country] countryside is in KP, its parent north-korea in KR",
      f"{PYONGYANG}:10: [parent-in-other-country] pyongyang is in KP, its parent north-korea in KR"]),
], ids=["child-elsewhere", "parent-elsewhere"])
def test_a_place_in_another_country_than_its_parent_is_refused(repo: Path, rel: str, old: str, new: str,
                                                                expected: list[str]) -> None:
    before = snapshot(repo)
    edit(repo, rel, old, new)
    lines = refused(repo, before)
    hint = " (hint: a place lies inside its parent: fix the country_code or the parent_place_id)"
    for line in expected:
        assert line + hint in lines


# --- (4) a banishment to where it started ------------------------------------------------------

@pytest.mark.parametrize("types", ["event_type: banishment\nother_event_types: [eviction]",
                                   "event_type: arrest_or_detention\nother_event_types: [banishment, eviction]"],
                         ids=["main-type", "other-type"])
def test_a_banishment_to_its_origin_is_refused(repo: Path, types: str) -> None:
    before = snapshot(repo)
    edit(repo, EVENT, "event_type: banishment\nother_event_types: [eviction]", types)
    edit(repo, EVENT, "destination_place_id: countryside", "destination_place_id: pyongyang")
    assert (f"{EVENT}:17: [same-origin-and-destination] a banishment's destination_place_id 'pyongyang' is its "
            "origin_place_id (hint: a banishment moves people elsewhere: give the place they were sent to)"
            ) in refused(repo, before)


# --- (5) two sidecars of one capture -----------------------------------------------------------

@pytest.mark.parametrize(("path", "same_path"), [(CAPTURE, True), ("captures/copy.txt", False)],
                         ids=["same-path", "same-bytes"])
def test_two_sidecars_of_one_capture_are_refused(repo: Path, path: str, same_path: bool) -> None:
    before = snapshot(repo)
    if not same_path:
        (repo / path).write_bytes((repo / CAPTURE).read_bytes())
    add_source(repo, "other-source", path=path)
    lines = refused(repo, before)
    digest = hashlib.sha256((repo / CAPTURE).read_bytes()).hexdigest()
    hint = " (hint: one capture is one source: cite that source instead of adding a second sidecar)"
    rel = "sources/other-source.yaml"
    sha = (f"{rel}:4: [duplicate-capture] capture_sha256 '{digest}' is also the capture_sha256 of mini-source "
           f"({SOURCE}:4){hint}")
    assert sha in lines
    by_path = [line for line in lines if "capture_path" in line]
    assert by_path == ([f"{rel}:3: [duplicate-capture] capture_path '{path}' is also the capture_path of "
                        f"mini-source ({SOURCE}:3){hint}"] if same_path else [])


# --- (6) corroborated from fewer than two independent groups -------------------------------------

def test_corroborated_from_one_source_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, EVENT, "claim_status: reported", "claim_status: corroborated")
    assert (f"{EVENT}:8: [corroboration-unsupported] E0001 is 'corroborated', but its sources are 1 independent "
            "group(s) (mini-group) (hint: corroborated needs sources of two or more independence groups; "
            "code it 'reported')") in refused(repo, before)


@pytest.mark.parametrize(("group", "refused_too"), [("mini-group", True), ("other-group", False)],
                         ids=["two-sources-one-group", "two-groups"])
def test_corroboration_counts_groups_not_sources(repo: Path, group: str, refused_too: bool) -> None:
    before = snapshot(repo)
    add_source(repo, "other-source", (repo / CAPTURE).read_bytes() + b"\nA rewrite.\n", group=group)
    edit(repo, EVENT, "claim_status: reported", "claim_status: corroborated")
    edit(repo, EVENT, "source_ids: [mini-source]", "source_ids: [mini-source, other-source]")
    lines = refused(repo, before)  # other-source has no evidence span either way
    assert any("[corroboration-unsupported] E0001 is 'corroborated', but its sources are 1 independent group(s)"
               in line for line in lines) is refused_too


# --- (7) a count of none without words that state a number ---------------------------------------

@pytest.mark.parametrize(("edits", "field", "words"), [
    ([("count_words: 12 families", "count_words: several families")], "count_best", "several families"),
    ([("count_words: 12 families\n", "")], "count_best", "none"),
    ([("count_best: 0", "count_low: 0\ncount_best: 12"), ("count_words: 12 families", "count_words: some families")],
     "count_low", "some families"),
], ids=["several", "no-words", "zero-low"])
def test_a_zero_count_without_number_words_is_refused(repo: Path, edits: list[tuple[str, str]], field: str,
                                                      words: str) -> None:
    before = snapshot(repo)
    edit(repo, EVENT, "count_best: 12", "count_best: 0")
    for old, new in edits:
        edit(repo, EVENT, old, new)
    line = line_of(repo, EVENT, f"{field}:")
    assert (f"{EVENT}:{line}: [zero-count-without-number] E0001 {field} is 0, but its count_words ({words}) state "
            "no number (hint: omit the count when the source gives none; 0 needs words such as 'no families')"
            ) in refused(repo, before)


def test_number_words_are_recognised() -> None:
    from nkcp.records.claims import states_a_number

    assert states_a_number("no families") and states_a_number("none of them") and states_a_number("3 people")
    assert not states_a_number("several families") and not states_a_number("many") and not states_a_number("")


# --- (8) the main act is the most severe, and is not repeated ------------------------------------

@pytest.mark.parametrize(("types", "main", "worst", "severities"), [
    ("event_type: eviction\nother_event_types: [banishment]", "eviction", "banishment", (5, 4)),
    ("event_type: threat\nother_event_types: [eviction, arrest_or_detention]", "threat", "arrest_or_detention",
     (8, 3)),
], ids=["one-other", "worst-of-several"])
def test_a_main_type_less_severe_than_another_is_refused(repo: Path, types: str, main: str, worst: str,
                                                         severities: tuple[int, int]) -> None:
    before = snapshot(repo)
    edit(repo, EVENT, "event_type: banishment\nother_event_types: [eviction]", types)
    assert (f"{EVENT}:5: [event-type-not-most-severe] event_type {main!r} (severity {severities[0]}) is less "
            f"severe than {worst!r} (severity {severities[1]}) in other_event_types (hint: make {worst!r} the "
            f"event_type and list {main!r} among other_event_types)") in refused(repo, before)


def test_a_main_type_repeated_among_the_others_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, EVENT, "other_event_types: [eviction]", "other_event_types: [banishment, eviction]")
    assert refused(repo, before) == [
        f"{EVENT}:6: [event-type-repeated] other_event_types repeats the event_type 'banishment' "
        "(hint: list each act once: the main one in event_type, the rest in other_event_types)"]


# --- (9) an original published after its republication -------------------------------------------

@pytest.mark.parametrize(("start", "end"), [("2021-06-16", "2021-06-16"), ("2022-01-01", "2022-12-31")],
                         ids=["a-day-later", "a-year-later"])
def test_an_original_after_its_republication_is_refused(repo: Path, start: str, end: str) -> None:
    before = snapshot(repo)
    precision = "day" if start == end else "year"
    edit(repo, SOURCE, "original_date_start: '2021-06-15'\noriginal_date_end: '2021-06-15'\n"
         "original_date_precision: day",
         f"original_date_start: '{start}'\noriginal_date_end: '{end}'\noriginal_date_precision: {precision}")
    assert (f"{SOURCE}:15: [original-after-republication] original_date_start {start} is after "
            "publication_date_end 2021-06-15: the original cannot appear after this copy of it "
            "(hint: check both dates: a republication is never older than its original)") in refused(repo, before)


# --- (10) quotation flags against their source ----------------------------------------------------

def test_a_quotation_from_a_paraphrased_copy_of_an_unparaphrased_source_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, QUOTES, "  is_from_paraphrased_copy: false\n  is_possibly_altered: false\n- quote_id: Q0002",
         "  is_from_paraphrased_copy: true\n  is_possibly_altered: false\n- quote_id: Q0002")
    assert refused(repo, before) == [
        f"{QUOTES}:14: [paraphrase-flag-mismatch] Q0001: is_from_paraphrased_copy is true, but mini-source has "
        "is_machine_paraphrase false (hint: a quotation is from a paraphrased copy exactly when its source is one)"]


def test_quotations_of_a_paraphrased_source_must_say_so(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, SOURCE, "is_machine_paraphrase: false", "is_machine_paraphrase: true")
    lines = refused(repo, before)
    for qid, line in (("Q0001", 14), ("Q0002", 27)):
        assert (f"{QUOTES}:{line}: [paraphrase-flag-mismatch] {qid}: is_from_paraphrased_copy is false, but "
                "mini-source has is_machine_paraphrase true (hint: a quotation is from a paraphrased copy exactly "
                "when its source is one)") in lines


@pytest.mark.parametrize("truncated", [False, True], ids=["source-not-truncated", "source-truncated"])
def test_a_quotation_cut_by_the_publisher_needs_a_truncated_source(repo: Path, truncated: bool) -> None:
    before = snapshot(repo)
    edit(repo, QUOTES, "  is_cut_by_publisher: false\n  is_from_paraphrased_copy: false\n  is_possibly_altered: "
         "false\n- quote_id: Q0002", "  is_cut_by_publisher: true\n  is_from_paraphrased_copy: false\n  "
         "is_possibly_altered: false\n- quote_id: Q0002")
    if truncated:
        edit(repo, SOURCE, "is_truncated_by_publisher: false", "is_truncated_by_publisher: true")
        code, output = run_cli("validate", "--root", str(repo))
        assert code == 0, output
        return
    assert refused(repo, before) == [
        f"{QUOTES}:13: [cut-without-truncation] Q0001: is_cut_by_publisher is true, but mini-source is not "
        "is_truncated_by_publisher (hint: mark the source is_truncated_by_publisher: true, or the quotation false)"]


# --- (11) a GeoNames id names the place it is given for ------------------------------------------

WONSAN = 1866923  # Wŏnsan, KP: in the right country, but not Pyongyang


def test_a_geonames_id_of_another_place_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, PYONGYANG, "geonames_id: 1871859", f"geonames_id: {WONSAN}")
    assert refused(repo, before) == [
        f"{PYONGYANG}:12: [geonames-name-mismatch] GeoNames {WONSAN} is 'Wŏnsan', which is none of the names of "
        "pyongyang (hint: check the id; if it is right, add the GeoNames name to aliases)"]


def test_a_geonames_id_in_another_country_is_refused_by_name_too(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, PYONGYANG, "geonames_id: 1871859", "geonames_id: 2037886")
    lines = refused(repo, before)
    assert any(line.startswith(f"{PYONGYANG}:12: [coordinate-off-map] GeoNames 2037886") for line in lines)
    assert any(line.startswith(f"{PYONGYANG}:12: [geonames-name-mismatch] GeoNames 2037886") for line in lines)


def test_a_geonames_id_without_a_country_code_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, PYONGYANG, "country_code: KP\n", "")
    assert (f"{PYONGYANG}:11: [missing-field] a place with a geonames_id needs 'country_code' (GeoNames says KP)"
            in refused(repo, before))


def test_names_match_after_normalising(mini_repo: Path) -> None:
    """An alias written with a hyphen and no diacritic names Wŏnsan; validate then accepts the id."""
    edit(mini_repo, PYONGYANG, "geonames_id: 1871859", f"geonames_id: {WONSAN}")
    edit(mini_repo, PYONGYANG, "aliases: [Phyeongyang]", "aliases: [Phyeongyang, WON-SAN]")
    code, output = run_cli("validate", "--root", str(mini_repo))
    assert code == 0, output
    from nkcp.records.places import normal_name

    assert normal_name("P’yŏng-yang") == normal_name("Pyong Yang") == normal_name("pyŏngyang") == "pyongyang"


# --- (12) invisible characters -------------------------------------------------------------------

@pytest.mark.parametrize(("rel", "old", "new", "message"), [
    (EVENT, "summary: Twelve", "summary: Twel\u00adve", "3: [invisible-character] invisible character U+00AD "
     "(SOFT HYPHEN) at column 14"),
    (EVENT, "notes: Year", "notes: \u061cYear", "26: [invisible-character] invisible character U+061C "
     "(ARABIC LETTER MARK) at column 8"),
    (PYONGYANG, "name: Pyongyang", "name: Pyongyang\U000e0041", "3: [invisible-character] invisible character "
     "U+E0041 (TAG LATIN CAPITAL LETTER A) at column 16"),
    (PYONGYANG, "aliases: [Phyeongyang]", "aliases: [Phyeongyang, \u3164]", "7: [invisible-character] invisible "
     "character U+3164 (HANGUL FILLER) at column 24"),
    (PYONGYANG, "name_hangul: 평양", "name_hangul: 평\uffa0양", "4: [invisible-character] invisible character "
     "U+FFA0 (HALFWIDTH HANGUL FILLER) at column 15"),
    (EVENT, "notes: Year", "notes: Ye\ufdd0ar", "26: [invisible-character] invisible character U+FDD0 (unnamed) "
     "at column 10"),
    (EVENT, "notes: Year taken from the publication date.", 'notes: "Year\\u00ad taken from the publication date."',
     "26: [invisible-character] value holds invisible character U+00AD (SOFT HYPHEN) (written as an escape)"),
    (QUOTES, "speaker_words: the source", "speaker_words: the\u200b source", "21: [invisible-character] invisible "
     "character U+200B (ZERO WIDTH SPACE) at column 21"),
], ids=["soft-hyphen", "arabic-letter-mark", "tag-character", "hangul-filler", "halfwidth-hangul-filler",
        "noncharacter", "escaped-soft-hyphen", "zero-width-space-in-a-quotation-record"])
def test_invisible_characters_are_refused(repo: Path, rel: str, old: str, new: str, message: str) -> None:
    before = snapshot(repo)
    edit(repo, rel, old, new)
    assert f"{rel}:{message} (hint: remove it: it can hide or reorder text)" in refused(repo, before)


def test_an_invisible_character_in_a_quotation_that_the_capture_lacks_is_not_verbatim(repo: Path) -> None:
    before = snapshot(repo)
    edit(repo, QUOTES, "text: They were told nothing,", "text: They were told no\u00adthing,")
    assert refused(repo, before) == [
        f"{QUOTES}:20: [quote-not-verbatim] Q0002: text differs from the capture at offsets 190-213 "
        "(hint: the capture has 'They were told nothing,' there)"]


# A tail for the capture with the characters that the verbatim fields may hold where the capture does.
TAIL = "\n“Soft\u00adhyphen, x\u0301y and \U0001f468\u200d\U0001f469 too,” the source said.\n"


def with_tail(root: Path) -> str:
    """Append TAIL to the capture (offsets before it unchanged), update the sidecar; the new capture text."""
    old = (root / CAPTURE).read_bytes()
    new = old + TAIL.encode("utf-8")
    (root / CAPTURE).write_bytes(new)
    edit(root, SOURCE, hashlib.sha256(old).hexdigest(), hashlib.sha256(new).hexdigest())
    return new.decode("utf-8")


def add_quote(root: Path, capture: str, start: int, end: int) -> None:
    text = (root / QUOTES).read_text(encoding="utf-8")
    block = text[text.index("- quote_id: Q0002"):]
    value = capture[start:end].replace("'", "''")
    (root / QUOTES).write_text(text + block.replace("Q0002", "Q0003").replace("start_offset: 190", f"start_offset: {start}")
                               .replace("end_offset: 213", f"end_offset: {end}")
                               .replace("text: They were told nothing,", f"text: '{value}'"), encoding="utf-8")


def add_span(root: Path, capture: str, start: int, end: int) -> None:
    text = (root / EVIDENCE).read_text(encoding="utf-8")
    value = capture[start:end].replace("'", "''")
    (root / EVIDENCE).write_text(
        text + "- evidence_id: V0099\n  record_status: reviewed\n  coded_field: count_best\n  evidence_basis: inferred\n"
        f"  source_id: mini-source\n  start_offset: {start}\n  end_offset: {end}\n  text: '{value}'\n"
        "  reasoning: A test span.\n", encoding="utf-8")


def test_invisible_characters_where_the_capture_has_them_are_verbatim(mini_repo: Path) -> None:
    capture = with_tail(mini_repo)
    start = capture.index("Soft")
    end = capture.index(" too,") + len(" too,")
    add_quote(mini_repo, capture, start, end)
    add_span(mini_repo, capture, start, end)
    fmt(mini_repo)
    assert "\u00ad" in (mini_repo / QUOTES).read_text(encoding="utf-8")
    code, output = run_cli("validate", "--root", str(mini_repo))
    assert code == 0, output


# --- (13) a span that cuts a character in two ----------------------------------------------------

@pytest.mark.parametrize(("start_at", "end_at", "side", "char", "offset_delta"), [
    ("Soft", "x", "ends", "U+0301 (COMBINING ACUTE ACCENT)", 1),
    ("\u0301", " too,", "starts", "U+0301 (COMBINING ACUTE ACCENT)", 0),
    ("Soft", "\u200d", "ends", "U+200D (ZERO WIDTH JOINER)", 1),
    ("\U0001f469", " too,", "starts", "U+200D (ZERO WIDTH JOINER)", 0),
], ids=["end-before-combining-mark", "start-at-combining-mark", "end-after-joiner", "start-after-joiner"])
@pytest.mark.parametrize("kind", ["quote", "evidence"])
def test_a_span_that_splits_a_character_is_refused(repo: Path, kind: str, start_at: str, end_at: str, side: str,
                                                   char: str, offset_delta: int) -> None:
    before = snapshot(repo)
    capture = with_tail(repo)
    start = capture.index(start_at)
    end = capture.index(end_at) + offset_delta
    at = start if side == "starts" else end
    (add_quote if kind == "quote" else add_span)(repo, capture, start, end)
    rel, label = (QUOTES, "Q0003") if kind == "quote" else (EVIDENCE, "V0099")
    after = "Q0003" if kind == "quote" else "V0099"
    line = line_of(repo, rel, "start_offset" if side == "starts" else "end_offset", after=after)
    assert (f"{rel}:{line}: [split-grapheme] {label}: the span {start}-{end} {side} inside a character: {char} "
            f"joins offsets {at - 1} and {at} (hint: move the offset so the whole character, with its marks or "
            "joiners, is in or out)") in refused(repo, before)


# --- (14) a list item holding the CSV list separator ---------------------------------------------

@pytest.mark.parametrize(("new", "line"), [
    ("aliases: [Phyeongyang; Pyongyang-si]", 7),
    ("aliases: ['Phyeongyang;Pyongyang-si']", 7),
    ("aliases:\n- Phyeongyang\n- Pyongyang-si;Heijo", 9),
], ids=["flow", "quoted", "block"])
def test_a_list_item_with_the_list_separator_is_refused(repo: Path, new: str, line: int) -> None:
    before = snapshot(repo)
    edit(repo, PYONGYANG, "aliases: [Phyeongyang]", new)
    item = new.split("[", 1)[-1].rstrip("]").strip("'") if "[" in new else "Pyongyang-si;Heijo"
    assert (f"{PYONGYANG}:{line}: [separator-in-list-item] 'aliases': item {item!r} holds ';', which separates "
            "list items in the CSV (hint: split it into two items, or write it without ';')") in refused(repo, before)


# --- (15) YAML 1.1 single-letter booleans -------------------------------------------------------

@pytest.mark.parametrize(("rel", "old", "new", "message"), [
    (EVENT, "date_words: In May", "date_words: y", "14: [yaml-implicit-type] 'date_words': unquoted 'y' is read as "
     "a boolean by YAML 1.1 parsers (hint: quote it: 'y')"),
    (EVENT, "notes: Year taken from the publication date.", "notes: N", "26: [yaml-implicit-type] 'notes': unquoted "
     "'N' is read as a boolean by YAML 1.1 parsers (hint: quote it: 'N')"),
    (PYONGYANG, "aliases: [Phyeongyang]", "aliases: [Phyeongyang, n]", "7: [yaml-implicit-type] 'aliases': unquoted "
     "'n' is read as a boolean by YAML 1.1 parsers (hint: quote it: 'n')"),
    (QUOTES, "  is_speaker_inferred: false\n  is_cut_by_publisher: false\n  is_from_paraphrased_copy: false\n"
     "  is_possibly_altered: false\n- quote_id: Q0002", "  is_speaker_inferred: Y\n  is_cut_by_publisher: false\n"
     "  is_from_paraphrased_copy: false\n  is_possibly_altered: false\n- quote_id: Q0002",
     "12: [wrong-type] 'is_speaker_inferred' must be true or false, not 'Y' (hint: yes/no/on/off are YAML 1.1 "
     "booleans and are not accepted)"),
], ids=["y-string", "N-string", "n-list-item", "Y-boolean"])
def test_single_letter_yaml_booleans_are_refused(repo: Path, rel: str, old: str, new: str, message: str) -> None:
    before = snapshot(repo)
    edit(repo, rel, old, new)
    assert f"{rel}:{message}" in refused(repo, before)


def test_a_quoted_single_letter_is_text_and_canonical(mini_repo: Path) -> None:
    edit(mini_repo, EVENT, "notes: Year taken from the publication date.", "notes: 'n'")
    code, output = run_cli("validate", "--root", str(mini_repo))
    assert code == 0, output
    from nkcp.io.yaml_nodes import dump_canonical

    assert dump_canonical({"notes": "y", "aliases": ["N"]}) == "notes: 'y'\naliases: ['N']\n"
