"""The six invented articles of tests/extract/dated_articles.py against what a careful coder
finds in them: every date resolved to the coder's bounds, every place to the coder's place (or
flagged as unknown, or not proposed where the words name no place of an act), every count to the
coder's bounds and no count where there is none. Each figure has a floor (issue 20's goals:
places 0.90, dates 0.90, counts 0.85); the misses are printed when a floor fails."""

from __future__ import annotations

import pytest
from tests.extract.conftest import run_on
from tests.extract.dated_articles import DATED, FRESH

from nkcp.extract.engine import Context, Extraction

_BOUNDS = ("count_low", "count_best", "count_high")


def _dates(ex: Extraction, gold: dict[str, tuple[str, str]]) -> list[str]:
    """A gold date is right when a date found inside its words (or around them) has its bounds."""
    def bounds(w: str) -> list[tuple[str | None, str | None]]:
        return [(r.start.isoformat() if r.start else None, r.end.isoformat() if r.end else None)
                for h in ex.dates if (h.words in w or w in h.words) and (r := h.resolved) is not None]
    return [f"date {w!r}: {bounds(w)} not {b}" for w, b in gold.items() if b not in bounds(w)]


def _places(ex: Extraction, gold: list[tuple[str, str]]) -> list[str]:
    misses = []
    for words, ident in gold:
        props = [p for p in ex.places if words in ex.doc.flat(p.start, p.end)]
        unknown = [p for p in ex.unknown_places if words.startswith(p.value["name"])]
        if ident == "none":
            if props:
                misses.append(f"place {words!r} proposed as {props[0].value['place_ids']}, names no place here")
        elif ident == "unknown":
            if props or not unknown:
                misses.append(f"place {words!r} not flagged as unknown ({[p.value['place_ids'] for p in props]})")
        elif not any(p.value["place_ids"] == [ident] for p in props):
            misses.append(f"place {words!r}: {[p.value['place_ids'] for p in props]} not [{ident!r}]")
    return misses


def _counts(ex: Extraction, gold: dict[str, dict[str, int] | None]) -> list[str]:
    found = {p.text: {k: p.value[k] for k in _BOUNDS if k in p.value} for p in ex.counts}
    misses = []
    for words, bounds in gold.items():
        hits = [b for t, b in found.items() if words in t]
        if bounds is None:
            if any(hits):
                misses.append(f"count {words!r} proposed as {hits}, is no count")
        elif bounds not in hits:
            misses.append(f"count {words!r}: {hits or 'nothing'} not {bounds}")
    return misses


def score(ctx: Context, part: str = "all") -> dict[str, tuple[int, int, list[str]]]:
    """For dates, places and counts: items right, items in the gold, and the misses; of the
    articles with their further paragraph ("all"), of the first part alone ("first") or of the
    further paragraphs' findings alone ("fresh", each read in its whole article)."""
    out: dict[str, tuple[int, int, list[str]]] = {"dates": (0, 0, []), "places": (0, 0, []), "counts": (0, 0, [])}
    for (source_id, ref, first, dates, places, counts), (more, d2, p2, c2) in zip(DATED, FRESH, strict=True):
        text = first if part == "first" else f"{first}\n{more}"
        if part == "fresh":
            dates, places, counts = d2, p2, c2
        elif part == "all":
            dates, places, counts = {**dates, **d2}, places + p2, {**counts, **c2}
        ex = run_on(ctx, text, (ref, ref))
        for kind, misses, total in (("dates", _dates(ex, dates), len(dates)), ("places", _places(ex, places), len(places)),
                                    ("counts", _counts(ex, counts), len(counts))):
            right, n, all_misses = out[kind]
            out[kind] = (right + total - len(misses), n + total, all_misses + [f"{source_id}: {m}" for m in misses])
    return out


@pytest.mark.parametrize(("kind", "floor"), [("dates", 0.90), ("places", 0.90), ("counts", 0.85)])
def test_the_dated_articles_reach_the_goals(ctx: Context, kind: str, floor: float) -> None:
    right, total, misses = score(ctx)[kind]
    assert right / total >= floor, "\n".join(misses)


if __name__ == "__main__":  # figures and misses: python -m tests.extract.test_dated_articles
    from tests.extract.conftest import ctx as _ctx

    context = _ctx.__wrapped__()  # type: ignore[attr-defined]
    for part in ("first", "fresh", "all"):
        for kind, (right, total, misses) in score(context, part).items():
            print(f"{part} {kind}: {right}/{total} {right / total:.2f}")
            print("\n".join(f"  {m}" for m in misses))
