"""The floors the issue sets, measured on the rule set that runs by default (reviewed rules only)
against the hand-curated records of the five captures (src/nkcp/extract/metrics.py defines each
figure; benchmarks/extraction.py prints them per capture). Denominators are checked too, so a
floor can never be met by measuring nothing."""

from __future__ import annotations

import pytest
from tests.conftest import REPO

from nkcp.extract import metrics
from nkcp.extract.engine import Context, load_context
from nkcp.problems import Problems

AMN, EXPRESS = "amn-2020-07-12-pyongyang-exile", "express-scraper-2020-07-pyongyang-exile"


@pytest.fixture(scope="module")
def report() -> metrics.Report:
    return metrics.run(REPO)  # no context given: the default run, reviewed rules only


def test_the_figures_use_the_default_rule_set(ctx: Context) -> None:
    problems = Problems()
    default = load_context(REPO, problems)
    assert not problems, problems.as_text()
    assert default.rules.rules and all(r.status == "reviewed" for r in default.rules)
    assert [r.id for r in ctx.rules] == [r.id for r in default.rules]


def test_floors(report: metrics.Report) -> None:
    total = report.total()
    curated = sum(1 for _ in load_context(REPO, Problems()).quotes)
    assert total.quotes_curated == curated and curated >= 50
    assert total.dates_checked >= 8 and report.places_by_event[1] >= 15
    assert report.quote_recall() >= 0.95, total.missed_quotes
    assert report.quote_precision() >= 0.90, total.extra_quotes
    assert report.speaker_accuracy() >= 0.90, total.wrong_speakers
    assert report.place_recall() >= 0.95, report.missed_event_places
    assert report.dates_within() >= 0.90, total.date_failures


def test_every_capture_is_measured(report: metrics.Report) -> None:
    assert len(report.captures) == 5
    assert all(f.quotes_curated > 0 and f.quotes_recalled > 0 for f in report.captures)


def test_the_republished_pair_is_flagged_with_its_similarity(report: metrics.Report) -> None:
    threshold = float(load_context(REPO, Problems()).rules.of("duplicate")[0].get("threshold"))
    flagged = {sid: {d.value["resembles"]: d.value["containment"] for d in ex.duplicates}
               for sid, ex in report.extractions.items()}
    assert set(flagged[AMN]) == {EXPRESS} and set(flagged[EXPRESS]) == {AMN}
    assert flagged[AMN][EXPRESS] >= threshold and flagged[EXPRESS][AMN] >= threshold
    assert all(not found for sid, found in flagged.items() if sid not in (AMN, EXPRESS))
    dup = report.extractions[AMN].duplicates[0]
    assert dup.rule_id == "duplicate-word-shingles" and dup.start < dup.end
