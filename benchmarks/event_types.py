"""Drafted event types on the invented articles of tests/extract/event_articles.py: per article,
how many coded types a draft event has (recall) and how many drafted types fit (precision), with
the types missed and the extra ones. tests/extract/test_event_articles.py holds them.

    python benchmarks/event_types.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.extract.event_articles import EVENT_ARTICLES, FRESH_ARTICLES  # noqa: E402
from tests.extract.test_event_articles import drafted_types, score  # noqa: E402

from nkcp.extract.engine import Context, load_context  # noqa: E402
from nkcp.problems import Problems  # noqa: E402


def main() -> None:
    problems = Problems()
    ctx = load_context(REPO, problems)
    if problems:
        print(problems.as_text(), file=sys.stderr)
        sys.exit(1)
    print("the six articles the rules were improved on:")
    table(ctx, EVENT_ARTICLES)
    print("\nthree more, written after (first measured before any further change):")
    table(ctx, FRESH_ARTICLES)


def table(ctx: Context, articles: list[tuple[str, str, dict[str, str], set[str]]]) -> None:
    totals = [0, 0, 0, 0, 0]
    print(f"{'article':40} {'recall':>10} {'precision':>10} {'claims':>8}")
    for source_id, text, coded, may_add in articles:
        drafted = drafted_types(ctx, source_id, text)
        found, n_coded, fitting, n_drafted = score(drafted, coded, may_add)
        claims = sum(1 for t, c in coded.items() if drafted.get(t) == c)
        for i, v in enumerate((found, n_coded, fitting, n_drafted, claims)):
            totals[i] += v
        print(f"{source_id:40} {found:>4}/{n_coded:<5} {fitting:>4}/{n_drafted:<5} {claims:>3}/{found:<4}")
        for t in sorted(set(coded) - set(drafted)):
            print(f"    missed {t} ({coded[t]})")
        for t in sorted(set(drafted) - set(coded)):
            print(f"    extra  {t} ({drafted[t]}){' (may be added as a rumour)' if t in may_add else ''}")
        for t in sorted(t for t in coded if t in drafted and drafted[t] != coded[t]):
            print(f"    claim  {t}: drafted {drafted[t]}, coded {coded[t]}")
    found, n_coded, fitting, n_drafted, claims = totals
    print(f"{'all':40} {found:>4}/{n_coded:<5} {fitting:>4}/{n_drafted:<5} {claims:>3}/{found:<4}")
    print(f"recall {found / n_coded:.2f}, precision {fitting / n_drafted:.2f}, claims {claims / max(found, 1):.2f}")


if __name__ == "__main__":
    main()
