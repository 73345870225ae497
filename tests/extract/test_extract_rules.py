"""The rule files: every rule loads, every example behaves as stated, examples are not copied
from the captures, broken rules are reported with file and line, unused rules are listed, the
check prints the figures of src/nkcp/extract/metrics.py, and only reviewed rules run by default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import REPO, run_cli

from nkcp.extract import metrics
from nkcp.extract.run import rules_report
from nkcp.problems import Problems
from nkcp.rules import KINDS, Rule, example_failures, load_all_rules, load_rules
from nkcp.schema.model import load_schema

_PROBLEMS = Problems()
RULES = list(load_all_rules(REPO, load_schema(REPO), _PROBLEMS))


def test_rule_files_load_without_problems() -> None:
    assert not _PROBLEMS, _PROBLEMS.as_text()
    assert len(RULES) >= 80
    assert {r.kind for r in RULES} == set(KINDS)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule: Rule) -> None:
    assert example_failures(rule) == []


def _windows(text: str, size: int = 8) -> set[str]:
    words = re.findall(r"[\w’']+", text.lower().replace("’", "'"))
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def test_examples_are_not_copied_from_captures() -> None:
    captured: set[str] = set()
    for path in sorted((REPO / "captures").glob("*.txt")):
        captured |= _windows(path.read_text(encoding="utf-8"))
    copied = [(r.id, ex) for r in RULES for ex in r.must_match + r.must_not_match if _windows(ex) & captured]
    assert copied == []


def test_reviewed_rules_name_a_reviewer() -> None:
    assert all(r.reviewer for r in RULES if r.status == "reviewed")


BAD_RULES = """rules:
- id: cue-good
  kind: cue
  status: reviewed
  reviewer: Test Reviewer
  reason: Matches arrests.
  pattern: '\\\\barrested\\\\b'
  value: {event_type: arrest_or_detention}
  must_match: [he was arrested]
  must_not_match: [he was released]
- id: cue-wrong-example
  kind: cue
  status: proposed
  reason: An example that does not match.
  pattern: '\\\\bexiled\\\\b'
  value: {event_type: banishment}
  must_match: [they were banished]
  must_not_match: [they stayed]
- id: cue-bad-regex
  kind: cue
  status: proposed
  reason: Does not compile.
  pattern: '(unclosed'
  value: {event_type: threat}
  must_match: [x]
  must_not_match: [w]
- id: cue-bad-vocabulary
  kind: cue
  status: reviewed
  reason: Unknown code and no reviewer.
  pattern: 'x'
  value: {event_type: exile}
  must_match: [x]
  must_not_match: [w]
  colour: red
"""


def _rules_repo(root: Path, text: str) -> None:
    (root / "rules").mkdir()
    (root / "rules" / "test.yaml").write_text(text, encoding="utf-8")


def test_broken_rules_are_reported_with_file_line_and_code(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "schema").symlink_to(REPO / "schema")
    _rules_repo(root, BAD_RULES)
    problems = Problems()
    rules = load_all_rules(root, load_schema(root), problems)
    found = {(p.line, p.code) for p in problems}
    assert found == {(23, "rule-bad-pattern"), (29, "rule-reviewer"), (32, "rule-bad-value"), (35, "rule-unknown-field")}
    assert [r.id for r in rules] == ["cue-good", "cue-wrong-example"]
    assert example_failures(next(r for r in rules if r.id == "cue-wrong-example")) == [
        "does not match the must_match example 'they were banished'"]


def test_check_rules_command_lists_failures_and_unused_rules(extract_repo: Path) -> None:
    (extract_repo / "rules" / "zz-test.yaml").write_text(BAD_RULES.split("- id: cue-bad-regex")[0], encoding="utf-8")
    code, output = run_cli("extract", "--check-rules", "--root", str(extract_repo))
    assert code == 1
    assert "rules/zz-test.yaml:11: [rule-example] rule cue-wrong-example does not match" in output
    assert "rules/zz-test.yaml:2: rule cue-good (cue) matches nothing in any capture" in output
    assert "rule quote-mark-curly-double" not in output  # the fixture capture has curly quotes


_FIGURE = re.compile(r"^  (?P<name>[a-z ]+): (?P<num>\d+)/(?P<den>\d+) = (?P<ratio>\d\.\d{3})$", re.M)


def _printed_figures(output: str) -> dict[str, tuple[int, int, float]]:
    return {m["name"]: (int(m["num"]), int(m["den"]), float(m["ratio"])) for m in _FIGURE.finditer(output)}


def _metrics_figures(report: metrics.Report) -> dict[str, tuple[int, int, float]]:
    """The overall figures as metrics computes them, rounded as printed."""
    t = report.total()
    return {"quotation recall": (t.quotes_recalled, t.quotes_curated, round(report.quote_recall(), 3)),
            "quotation precision": (t.quotes_precise, t.quotes_proposed, round(report.quote_precision(), 3)),
            "speaker accuracy": (t.speakers_correct, t.speakers_checked, round(report.speaker_accuracy(), 3)),
            "place recall": (*report.places_by_event, round(report.place_recall(), 3)),
            "place recall per capture": (t.places_found, t.places_curated, round(report.place_recall_per_capture(), 3)),
            "dates within bounds": (t.dates_within, t.dates_checked, round(report.dates_within(), 3)),
            "event types found": (t.types_found, t.types_curated, round(report.type_recall(), 3)),
            "event types fitting": (t.types_found, t.types_drafted, round(report.type_precision(), 3)),
            "claim status fitting": (t.claims_fitting, t.types_found, round(metrics.ratio(t.claims_fitting, t.types_found), 3))}


@pytest.fixture(scope="module")
def real_figures() -> dict[str, tuple[int, int, float]]:
    figures = _metrics_figures(metrics.run(REPO))
    assert figures["quotation recall"][1] >= 50  # measured on the real captures, not on nothing
    return figures


def test_rules_report_carries_the_metrics_figures(real_figures: dict[str, tuple[int, int, float]]) -> None:
    report, problems = rules_report(REPO)
    assert not problems, problems.as_text()
    lines = report.lines()
    reviewed = sum(r.status == "reviewed" for r in report.rules)
    assert lines[0] == f"{len(report.rules)} rules ({reviewed} reviewed), run on 5 captures"
    assert lines[1:1 + len(report.unused)] == [
        f"{r.path}:{r.line}: rule {r.id} ({r.kind}) matches nothing in any capture" for r in report.unused]
    assert _printed_figures("\n".join(lines)) == real_figures


def test_check_rules_command_prints_the_metrics_figures(real_figures: dict[str, tuple[int, int, float]]) -> None:
    code, output = run_cli("extract", "--check-rules", "--root", str(REPO))
    assert code == 0, output
    assert "reviewed rules against the curated records of 5 captures" in output
    assert _printed_figures(output) == real_figures


def test_rules_that_match_nothing_are_listed(extract_repo: Path) -> None:
    report, problems = rules_report(extract_repo)
    assert not problems
    unused = {r.id for r in report.unused}
    assert report.captures == 1
    assert "cue-execution" in unused
    assert not {"quote-mark-curly-double", "speaker-after-np-verb", "date-month", "count-number"} & unused


def test_only_reviewed_rules_run_by_default(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "schema").symlink_to(REPO / "schema")
    _rules_repo(root, BAD_RULES.split("- id: cue-bad-regex")[0])
    reg = load_schema(root)
    assert [r.id for r in load_rules(root, reg, Problems())] == ["cue-good"]
    assert [r.id for r in load_rules(root, reg, Problems(), include_proposed=True)] == ["cue-good", "cue-wrong-example"]
