"""Field-level evidence: each check breaks on one bad entry of the miniature fixture, with the exact
located error; the build publishes the evidence table; `nkcp explain` shows it."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import REPO, run_cli

EVENT = "records/events/E0001.yaml"
EVIDENCE = "records/evidence/E0001.yaml"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path) -> list[str]:
    code, output = run_cli("validate", "--root", str(root))
    assert code == 1, output
    return [line for line in output.splitlines() if "[" in line and ": [" in line]


def entry(block_of: str, root: Path) -> str:
    """The text of one evidence entry (from its `- evidence_id:` line to the next)."""
    text = (root / EVIDENCE).read_text(encoding="utf-8")
    start = text.index(f"- evidence_id: {block_of}\n")
    end = text.find("\n- evidence_id:", start + 1)
    return text[start:end + 1 if end >= 0 else len(text)]


def test_a_coded_fact_without_evidence_is_refused(mini_repo: Path) -> None:
    edit(mini_repo, EVIDENCE, entry("V0012", mini_repo), "")
    assert problems(mini_repo) == [
        f"{EVENT}:19: [missing-evidence] E0001 count_best (12) has no evidence "
        f"(hint: add an entry with coded_field: count_best to {EVIDENCE})"]


def test_a_span_that_is_not_verbatim_is_refused(mini_repo: Path) -> None:
    edit(mini_repo, EVIDENCE, "  text: the countryside\n", "  text: the country side\n")
    assert problems(mini_repo) == [
        f"{EVIDENCE}:88: [evidence-not-verbatim] V0010: text differs from the capture at offsets 126-141 "
        "(hint: the capture has 'the countryside' there)"]


def test_a_span_in_a_capture_the_event_does_not_cite_is_refused(mini_repo: Path) -> None:
    # a second, independent source with its own capture, cited by no event
    # (its own bytes: two sidecars of one capture are refused, so a line is added at the end)
    other = (mini_repo / "captures" / "mini.txt").read_bytes() + b"\nAnother desk's copy.\n"
    (mini_repo / "captures" / "other.txt").write_bytes(other)
    sidecar = (mini_repo / "sources" / "mini-source.yaml").read_text(encoding="utf-8")
    (mini_repo / "sources" / "other-source.yaml").write_text(
        sidecar.replace("source_id: mini-source", "source_id: other-source")
        .replace("captures/mini.txt", "captures/other.txt").replace("mini-group", "other-group")
        .replace(hashlib.sha256((mini_repo / "captures" / "mini.txt").read_bytes()).hexdigest(),
                 hashlib.sha256(other).hexdigest()), encoding="utf-8")
    edit(mini_repo, EVIDENCE, entry("V0008", mini_repo),
         entry("V0008", mini_repo).replace("source_id: mini-source", "source_id: other-source"))
    assert problems(mini_repo) == [
        f"{EVIDENCE}:69: [evidence-uncited-source] V0008: other-source is not among the source_ids of E0001 "
        "(hint: take the span from a capture the event cites, or add the source to its source_ids)"]


def test_stated_words_missing_from_the_span_are_refused(mini_repo: Path) -> None:
    edit(mini_repo, EVENT, "count_words: 12 families", "count_words: 12 families from Pyongyang")
    assert problems(mini_repo) == [
        f"{EVIDENCE}:105: [stated-words-not-in-span] V0012: basis stated, but the span does not contain the "
        "count_words of E0001 ('12 families from Pyongyang') "
        "(hint: give the span that holds those words, or basis inferred with the reasoning)"]


def test_words_with_an_ellipsis_are_found_in_order() -> None:
    from nkcp.records.evidence import words_in_span

    assert words_in_span("families of workers ... went missing", "families of workers sent abroad went missing")
    assert not words_in_span("went missing ... families of workers", "families of workers sent abroad went missing")


def test_an_inference_without_reasoning_is_refused(mini_repo: Path) -> None:
    edit(mini_repo, EVIDENCE, "  reasoning: The place of the act is the city the families were sent from.\n", "")
    assert problems(mini_repo) == [
        f"{EVIDENCE}:92: [missing-reasoning] V0011: basis inferred, but no reasoning says how location_precision "
        "follows from the span (hint: write the reasoning (and any date arithmetic) under reasoning:)"]


def test_evidence_for_an_empty_field_and_a_cited_source_without_spans_are_refused(mini_repo: Path) -> None:
    edit(mini_repo, EVIDENCE, "  coded_field: count_best\n", "  coded_field: count_low\n")
    found = problems(mini_repo)
    assert f"{EVIDENCE}:100: [evidence-for-empty-field] V0012 supports count_low of E0001, which has no value " \
           "(hint: remove the entry, or code the value)" in found
    assert f"{EVENT}:19: [missing-evidence] E0001 count_best (12) has no evidence " \
           f"(hint: add an entry with coded_field: count_best to {EVIDENCE})" in found


def _hedged_capture(root: Path) -> tuple[int, int]:
    """Append a hedged sentence to the fixture's capture (offsets before it stay) and re-record its hash."""
    capture = root / "captures" / "mini.txt"
    text = capture.read_text(encoding="utf-8")
    sentence = "It is said that the families were sent away for good."
    capture.write_text(text + "\n\n" + sentence, encoding="utf-8")
    digest = hashlib.sha256(capture.read_bytes()).hexdigest()
    sidecar = root / "sources" / "mini-source.yaml"
    old = next(line for line in sidecar.read_text(encoding="utf-8").splitlines() if line.startswith("capture_sha256:"))
    edit(root, "sources/mini-source.yaml", old, f"capture_sha256: {digest}")
    start = len(text) + 2
    return start, start + len(sentence)


def _add_entry(root: Path, vid: str, field: str, start: int, end: int, text: str) -> None:
    path = root / EVIDENCE
    path.write_text(path.read_text(encoding="utf-8") + (
        f"- evidence_id: {vid}\n  record_status: reviewed\n  coded_field: {field}\n  evidence_basis: stated\n"
        f"  source_id: mini-source\n  start_offset: {start}\n  end_offset: {end}\n  text: {text}\n"), encoding="utf-8")


def test_hedged_words_must_show_in_the_claim_evidence_and_bound_the_claim(mini_repo: Path) -> None:
    shutil.copytree(REPO / "rules", mini_repo / "rules")  # the claim cues of rules/cues.yaml
    start, end = _hedged_capture(mini_repo)
    _add_entry(mini_repo, "V0013", "event_type", start, end, "It is said that the families were sent away for good.")
    assert problems(mini_repo) == [
        f"{EVENT}:8: [claim-overstated] E0001 is 'reported', but its evidence says 'It is said' (cue-hedged) "
        "(hint: code it 'reported_vaguely' or weaker, or explain in claim_status_reason and take a span without "
        "the hedge)",
        f"{EVIDENCE}:113: [hedge-not-in-claim-evidence] V0013's span says 'It is said' (cue-hedged), but no "
        "claim_status evidence of E0001 shows it (hint: add the span with those words as evidence of claim_status)"]
    # the answer: show the hedge as evidence of the claim, and code the claim no stronger than it allows
    _add_entry(mini_repo, "V0014", "claim_status", start, end, "It is said that the families were sent away for good.")
    edit(mini_repo, EVENT, "claim_status: reported\n", "claim_status: reported_vaguely\n")
    code, output = run_cli("validate", "--root", str(mini_repo))
    assert code == 0, output


def test_a_small_group_is_not_located_precisely(mini_repo: Path) -> None:
    edit(mini_repo, EVENT, "count_best: 12", "count_best: 4")
    edit(mini_repo, EVENT, "location_precision: county_or_city", "location_precision: exact_site")
    found = problems(mini_repo)
    assert f"{EVENT}:18: [small-group-located-too-precisely] E0001: 4 families located at 'exact_site' " \
           "(hint: locate fewer than 10 families or people no more precisely than their county)" in found


def test_a_count_in_the_parents_needs_a_parent_counted_in_the_same_unit(mini_repo: Path) -> None:
    edit(mini_repo, EVENT, "notes: Year", "is_count_in_parent: true\nnotes: Year")
    assert f"{EVENT}:26: [bad-count-in-parent] E0001: is_count_in_parent needs a count and a parent event " \
           "counted in the same unit" in problems(mini_repo)


def test_the_build_publishes_the_evidence_table(mini_repo: Path) -> None:
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    with (mini_repo / "build" / "evidence.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12
    by_id = {r["evidence_id"]: r for r in rows}
    assert (by_id["V0012"]["voice"], by_id["V0012"]["inside_quote_id"]) == ("speech", "Q0001")
    assert by_id["V0012"]["text"] == "12 families"
    package = json.loads((mini_repo / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "evidence")
    keys = {fk["reference"]["resource"] for fk in resource["schema"]["foreignKeys"]}
    assert keys == {"events", "sources", "quotes"}
    with (mini_repo / "build" / "events.csv").open(encoding="utf-8", newline="") as fh:
        event = next(csv.DictReader(fh))
    assert event["evidence"] == "Q0001=act+date+place+destination+count+target+claim_status"
    assert "evidence" in (mini_repo / "build" / "CODEBOOK.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_explain_shows_each_fact_beside_its_evidence(mini_repo: Path, fmt: str) -> None:
    code, output = run_cli("explain", "E0001", "--root", str(mini_repo), "--format", fmt)
    assert code == 0, output
    if fmt == "json":
        data = json.loads(output)
        count = next(f for f in data["facts"] if f["field"] == "count_best")
        assert count["value"] == 12
        assert [(s["evidence_id"], s["text"], s["voice"]) for s in count["evidence"]] == [
            ("V0012", "12 families", "speech")]
        assert next(f for f in data["facts"] if f["field"] == "count_low")["evidence"] == []
    else:
        assert "count_best = 12\n  V0012 stated, speech Q0001, mini-source [86:97]\n    “12 families”" in output
        assert "reasoning: 'In May' in a report published on 2021-06-15 is May 2021" in output


def test_explain_names_the_nearest_event_for_an_unknown_one(mini_repo: Path) -> None:
    code, output = run_cli("explain", "E0002", "--root", str(mini_repo))
    assert code == 1
    assert "error: no event E0002 (nearest: E0001)" in output
