"""Drafted event types on nine invented articles (tests/extract/event_articles.py), against the acts a
careful coder codes from them. Each article's drafts are held type by type, with the claim status;
the whole set holds a floor on recall and precision of the drafted types, printed per article by
benchmarks/event_types.py."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.extract.event_articles import EVENT_ARTICLES, FRESH_ARTICLES

from nkcp.extract.draft import draft_events, draft_quotes
from nkcp.extract.engine import Context, SourceFacts, extract


def drafted_types(ctx: Context, source_id: str, text: str) -> dict[str, str]:
    """The draft events of an article published on 2025-09-14: event type -> claim status."""
    day = dt.date(2025, 9, 14)
    ex = extract(text, SourceFacts(source_id, f"captures/{source_id}.txt", (day, day), False), ctx)
    _, ids = draft_quotes(ex, ctx, 1)
    return {str(e["event_type"]): str(e["claim_status"]) for e in draft_events(ex, ctx, ids, 1)}


def score(drafted: dict[str, str], coded: dict[str, str], may_add: set[str]) -> tuple[int, int, int, int]:
    """(coded types drafted, coded types, drafted types that fit, drafted types): a drafted type fits
    when it is coded, or is one a draft may add as a rumour and is drafted as one."""
    found = sum(1 for t in coded if t in drafted)
    fitting = sum(1 for t, c in drafted.items() if t in coded or (t in may_add and c == "rumour"))
    return found, len(coded), fitting, len(drafted)


def test_the_drafted_types_of_the_nine_articles(ctx: Context) -> None:
    totals = [0, 0, 0, 0, 0]
    for source_id, text, coded, may_add in EVENT_ARTICLES + FRESH_ARTICLES:
        drafted = drafted_types(ctx, source_id, text)
        found, n_coded, fitting, n_drafted = score(drafted, coded, may_add)
        claims = sum(1 for t, c in coded.items() if drafted.get(t) == c)
        assert found >= n_coded - 1 and fitting >= n_drafted - 1, (source_id, drafted)  # at most one miss, one extra
        totals = [a + b for a, b in zip(totals, (found, n_coded, fitting, n_drafted, claims), strict=True)]
    found, n_coded, fitting, n_drafted, claims = totals
    assert n_coded == 47 and n_drafted >= 45
    assert found / n_coded >= 0.9 and fitting / n_drafted >= 0.9 and claims / found >= 0.9


@pytest.mark.parametrize(("sentence", "drafted"), [
    ("The committee ordered the parents, wives and grown children of the three men to move out of Pyongyang.",
     {"eviction": "reported"}),
    ("In North Korea, the families of defectors are routinely sent to prison camps.", {}),
    ("“These days the families of defectors are routinely sent to prison camps,” a source told Daily NK.",
     {"political_prison_camp": "reported"}),
    ("North Korea is known to send the families of defectors to prison camps.", {}),
    ("The report found that their children were routinely barred from joining the army.",
     {"economic_or_social_sanction": "reported"}),
    ("So far, none of the diplomats’ colleagues have been detained.", {}),
    ("There is no sign that any of the families have been sent to a political prison camp.", {}),
    ("The drivers were questioned for days, he said, but he could not confirm it.",
     {"interrogation_or_summons": "rumour"}),
    ("Officials come to their door at night; it is harassment.", {"other_collective_punishment": "reported"}),
    ("Agents warned the families that they would be sent to the mountains.",
     {"threat": "reported", "banishment": "rumour"}),
    ("Their mother was forced to pay 3,000 yuan before they were let go.", {"extortion": "reported"}),
    ("Then they took my younger brother away. He was held at the county security office for 40 days.",
     {"arrest_or_detention": "reported"}),
    ("My father told me not to call him until March.", {}),
    ("The relatives of the soldier were punished. Residents fear they may be exiled too.",
     {"other_collective_punishment": "reported", "banishment": "rumour"}),
])
def test_a_sentence_drafts_its_acts(ctx: Context, sentence: str, drafted: dict[str, str]) -> None:
    assert drafted_types(ctx, "test-sentence", sentence) == drafted


def test_a_dateline_dates_the_report_not_the_act(ctx: Context) -> None:
    text = ("SEOUL, Sept. 14 (Yonhap) -- North Korea has sent the relatives of a defector to a political prison "
            "camp, an official said Thursday.\n")
    day = dt.date(2025, 9, 14)
    ex = extract(text, SourceFacts("test-dateline", "captures/test-dateline.txt", (day, day), False), ctx)
    _, ids = draft_quotes(ex, ctx, 1)
    (event,) = draft_events(ex, ctx, ids, 1)
    assert "Sept. 14" in [h.words for h in ex.dates]
    assert (event.get("date_start"), str(event["date_end"]), event["date_precision"]) == (None, "2025-09-11", "before_report")
