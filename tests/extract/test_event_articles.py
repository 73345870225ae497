"""Drafted event types on six invented articles (tests/extract/event_articles.py), against the acts a
careful coder codes from them. Each article's drafts are held type by type, with the claim status;
the whole set holds a floor on recall and precision of the drafted types, printed per article by
benchmarks/event_types.py."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.extract.event_articles import EVENT_ARTICLES

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


@pytest.mark.parametrize(("source_id", "text", "coded", "may_add"), EVENT_ARTICLES, ids=[a[0] for a in EVENT_ARTICLES])
def test_the_drafted_types_of_an_article(ctx: Context, source_id: str, text: str, coded: dict[str, str],
                                         may_add: set[str]) -> None:
    drafted = drafted_types(ctx, source_id, text)
    assert set(drafted) >= set(coded)
    assert set(drafted) - set(coded) <= may_add
    assert {t: c for t, c in drafted.items() if t in coded} == coded
