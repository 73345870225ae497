"""Held-out extraction benchmark: the rules on ten articles nobody tuned them to.

Runs the extraction exactly as `nkcp extract` does (the reviewed rules, `--include-proposed`
adds the proposed ones; the real gazetteer; relative dates against the publication date) on each
article in benchmarks/heldout/ and compares with its hand-coded gold file
(benchmarks/heldout/README.md says how the gold is coded). The figures follow
src/nkcp/extract/metrics.py where they fit:

- quotations: a gold quotation is recalled when a proposed speech segment overlaps it; a
  segment is precise when it overlaps one (inside a quoted title or label it is an error; over an
  ambiguous quotation only, it is not counted);
- places: a gold place is found when a place proposal over its words resolves to it (its
  place_id, or a gazetteer place of the same canonical name) or, for a place not in the
  gazetteer, when an unknown-place proposal flags it; a place proposal over a non-place is false;
- dates: every date proposed over a dated act's words lies within the gold bounds;
- counts: a count proposed over the words has exactly the gold low/best/high; one proposed over
  a number that counts no targets (an age, a year, money) is false;
- event types: a gold event is fitted when an event of its type is drafted (as `nkcp extract`
  drafts them); a drafted event whose act cue lies in a denied, feared or hypothetical act is an
  error, and the figure is fitted / (gold events + errors).

    python benchmarks/heldout.py [--root PATH] [--only NAME] [--include-proposed] [--details]

--details lists every miss with the gold words: whoever tunes the rules should not read them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkcp.extract import metrics
from nkcp.extract.draft import draft_events, draft_quotes
from nkcp.extract.engine import Context, Extraction, SourceFacts, extract, load_context
from nkcp.extract.text import Span
from nkcp.io.files import read_text
from nkcp.io.yaml_nodes import key_path_line, load_yaml_plain
from nkcp.problems import Problems

FOLDER = Path("benchmarks") / "heldout"
LISTS = {"quotations": "text", "ambiguous_quotations": "text", "not_quotations": "text", "places": "words",
         "not_places": "words", "dates": "words", "counts": "words", "not_counts": "words", "events": "words",
         "not_events": "words"}
FIGURES = ("quotes", "precise", "places", "dates", "counts", "events")


class Unusable(Exception):
    """A gold file is wrong, or the engine lacks an output the scorer needs."""


def need(obj: Any, name: str, what: str) -> Any:
    """A field of an engine output, or a clear error naming it (the engine changed under the scorer)."""
    if isinstance(obj, dict):
        if name not in obj:
            raise Unusable(f"the engine's {what} has no field {name!r}, which benchmarks/heldout.py needs: "
                           "update the scorer to the engine's new output")
        return obj[name]
    if not hasattr(obj, name):
        raise Unusable(f"the engine's {what} has no attribute {name!r}, which benchmarks/heldout.py needs: "
                       "update the scorer to the engine's new output")
    return getattr(obj, name)


@dataclass
class Score:
    """Numerators and denominators of one article (or, summed, of all), and what went wrong."""

    name: str
    quotes_gold: int = 0
    quotes_recalled: int = 0
    quotes_proposed: int = 0
    quotes_precise: int = 0
    places_gold: int = 0
    places_found: int = 0
    places_false: int = 0
    places_flagged: int = 0  # found only as an unknown place (not in the gazetteer), flagged for review
    dates_gold: int = 0
    dates_within: int = 0
    counts_gold: int = 0
    counts_equal: int = 0
    counts_false: int = 0
    events_gold: int = 0
    events_fitted: int = 0
    events_false: int = 0
    events_cued: int = 0
    cues_false: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for key, value in vars(other).items():
            if isinstance(value, (int, float)) and key != "name":
                setattr(self, key, getattr(self, key) + value)
        self.misses += other.misses

    def fraction(self, figure: str) -> tuple[int, int]:
        return {"quotes": (self.quotes_recalled, self.quotes_gold),
                "precise": (self.quotes_precise, self.quotes_proposed),
                "places": (self.places_found, self.places_gold),
                "dates": (self.dates_within, self.dates_gold),
                "counts": (self.counts_equal, self.counts_gold),
                "events": (self.events_fitted, self.events_gold + self.events_false),
                "cues": (self.events_cued, self.events_gold + self.cues_false)}[figure]


def load_gold(path: Path, root: Path) -> tuple[dict[str, Any], str]:
    """A gold file and its article; every problem at once, with file and line."""
    rel = path.relative_to(root).as_posix()
    gold = load_yaml_plain(path)
    problems: list[str] = []
    if not isinstance(gold, dict):
        raise Unusable(f"{rel}:1: a gold file is a mapping (benchmarks/heldout/README.md)")
    article = path.parent / str(gold.get("article", ""))
    if not gold.get("article") or not article.is_file():
        raise Unusable(f"{rel}:{key_path_line(path, ('article',))}: article {gold.get('article')!r} is not a file beside it")
    text = read_text(article)
    if not isinstance(gold.get("publication_date"), str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", gold["publication_date"]):
        problems.append(f"{rel}:{key_path_line(path, ('publication_date',))}: publication_date must be a quoted ISO date")
    for key, word_key in LISTS.items():
        for i, item in enumerate(gold.get(key) or []):
            words = item.get(word_key) if isinstance(item, dict) else None
            if not isinstance(words, str) or not metrics.locate(text, words):
                problems.append(f"{rel}:{key_path_line(path, (key, i))}: {key}[{i}].{word_key} {words!r} is not "
                                f"words of {article.name}: copy them from the article (quoted, as a string)")
    for i, count in enumerate(gold.get("counts") or []):
        if not all(k in count for k in ("unit", "low", "best", "high")):
            problems.append(f"{rel}:{key_path_line(path, ('counts', i))}: counts[{i}] needs unit, low, best and high "
                            "(null where the words give none)")
    for i, date in enumerate(gold.get("dates") or []):
        if not all(isinstance(date.get(k), str) for k in ("start", "end")):
            problems.append(f"{rel}:{key_path_line(path, ('dates', i))}: dates[{i}] needs start and end as quoted ISO dates")
    if problems:
        raise Unusable("\n".join(problems))
    return gold, text


def located(text: str, items: list[dict[str, Any]] | None, key: str = "words") -> list[tuple[dict[str, Any], list[Span]]]:
    """Each gold item with every place its words stand in the article."""
    return [(item, metrics.locate(text, str(item[key]))) for item in items or []]


def spans(text: str, items: list[dict[str, Any]] | None, key: str = "words") -> list[list[Span]]:
    return [where for _, where in located(text, items, key)]


def touches(span: Span, where: list[Span]) -> bool:
    return any(span.overlaps(s) for s in where)


def score_quotes(ex: Extraction, gold: dict[str, Any], text: str, sc: Score) -> None:
    segments = need(ex, "segments", "extraction")
    proposed = [Span(need(segments[i], "start", "quotation segment"), segments[i].end) for i in ex.speech()]
    labels = [s for group in spans(text, gold.get("not_quotations"), "text") for s in group]
    ambiguous = [s for group in spans(text, gold.get("ambiguous_quotations"), "text") for s in group]
    usable = [p for p in proposed if not any(p.inside(s) for s in labels)]
    for item, where in located(text, gold.get("quotations"), "text"):
        sc.quotes_gold += 1
        if any(touches(p, where) for p in usable):
            sc.quotes_recalled += 1
        else:
            sc.misses.append(f"quotation missed: {item['text'][:60]!r}")
    wanted = [s for group in spans(text, gold.get("quotations"), "text") for s in group]
    for p in proposed:
        if any(p.inside(s) for s in labels):
            sc.quotes_proposed += 1
            sc.misses.append(f"quotation from a title or label: {ex.doc.flat(p.start, p.end)[:60]!r}")
        elif touches(p, wanted):
            sc.quotes_proposed += 1
            sc.quotes_precise += 1
        elif not touches(p, ambiguous):
            sc.quotes_proposed += 1
            sc.misses.append(f"quotation not in the gold: {ex.doc.flat(p.start, p.end)[:60]!r}")


def canon(name: str) -> str:
    """A place name compared loosely: no diacritics, apostrophes, case, notes in brackets or unit words."""
    flat = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    flat = re.sub(r"\(.*?\)|['’]", "", flat).lower()
    return " ".join(re.sub(r"\b(?:county|province|district|city|do|gun)\b|-", " ", flat).split())


def resolves(ctx: Context, place_ids: list[str], item: dict[str, Any]) -> bool:
    if item.get("place_id") in place_ids:
        return True
    places = need(ctx.gazetteer, "places", "gazetteer")
    wanted = canon(str(item["canonical"]))
    for pid in place_ids:
        place = places.get(pid)
        if place is not None and any(canon(label) == wanted for label in (place.name, *place.labels)):
            return True
    return False


def score_places(ex: Extraction, ctx: Context, gold: dict[str, Any], text: str, sc: Score) -> None:
    known = [(Span(p.start, p.end), list(need(p.value, "place_ids", "place proposal"))) for p in need(ex, "places", "extraction")]
    unknown = [Span(p.start, p.end) for p in need(ex, "unknown_places", "extraction")]
    false_where = [s for group in spans(text, gold.get("not_places")) for s in group]
    for item, where in located(text, gold.get("places")):
        sc.places_gold += 1
        where = [w for w in where if not any(w.inside(f) for f in false_where)]
        over = [ids for span, ids in known if touches(span, where)]
        if any(resolves(ctx, ids, item) for ids in over):
            sc.places_found += 1
        elif not item.get("place_id") and not over and any(touches(u, where) for u in unknown):
            sc.places_found += 1  # not in the gazetteer, and flagged as an unknown place for review
            sc.places_flagged += 1
        else:
            got = "; ".join(",".join(ids) for ids in over) or "nothing proposed"
            sc.misses.append(f"place missed: {item['words']!r} ({item['canonical']}): {got}")
    for span, ids in known:
        if touches(span, false_where):
            sc.places_false += 1
            sc.misses.append(f"false place: {ex.doc.flat(span.start, span.end)!r} -> {','.join(ids)}")


def within(day: dt.date | None, low: dt.date, high: dt.date) -> bool:
    return day is None or low <= day <= high


def score_dates(ex: Extraction, gold: dict[str, Any], text: str, sc: Score) -> None:
    hits = need(ex, "dates", "extraction")
    for item, where in located(text, gold.get("dates")):
        sc.dates_gold += 1
        low, high = dt.date.fromisoformat(item["start"]), dt.date.fromisoformat(item["end"])
        over = [h for h in hits if touches(Span(need(h, "start", "date hit"), h.end), where)]
        resolved = [need(h, "resolved", "date hit") for h in over]
        if over and all(r is not None and within(r.start, low, high) and within(r.end, low, high) for r in resolved):
            sc.dates_within += 1
        else:
            got = "; ".join(f"{h.words!r} -> {r.start}..{r.end}" if r else f"{h.words!r} unresolved"
                            for h, r in zip(over, resolved, strict=True)) or "no date proposed"
            sc.misses.append(f"date: {item['words']!r} gold {low}..{high}, {got}")


def bounds(value: dict[str, Any]) -> tuple[Any, Any, Any]:
    return value.get("count_low"), value.get("count_best"), value.get("count_high")


def score_counts(ex: Extraction, gold: dict[str, Any], text: str, sc: Score) -> None:
    proposed = [(Span(c.start, c.end), bounds(need(c, "value", "count proposal"))) for c in need(ex, "counts", "extraction")]
    proposed = [(s, b) for s, b in proposed if b != (None, None, None)]
    for item, where in located(text, gold.get("counts")):
        sc.counts_gold += 1
        want = (item["low"], item["best"], item["high"])
        over = [b for s, b in proposed if touches(s, where)]
        if want in over:
            sc.counts_equal += 1
        else:
            got = "; ".join(f"low/best/high {b}" for b in over) or "no count proposed"
            sc.misses.append(f"count: {item['words']!r} gold {want}, {got}")
    for item, where in located(text, gold.get("not_counts")):
        for s, b in proposed:
            if touches(s, where):
                sc.counts_false += 1
                sc.misses.append(f"false count: {item['words']!r} -> {b}")


def draft(ex: Extraction, ctx: Context) -> list[dict[str, Any]]:
    """The events `nkcp extract` would draft for the article (nothing is written)."""
    _, quote_ids = draft_quotes(ex, ctx, 1)
    return draft_events(ex, ctx, quote_ids, 1)


def score_events(ex: Extraction, events: list[dict[str, Any]], gold: dict[str, Any], text: str, sc: Score) -> None:
    drafted = {str(need(e, "event_type", "drafted event")) for e in events}
    cues = [(Span(c.start, c.end), c.value.get("event_type")) for c in need(ex, "cues", "extraction")]
    cues = [(span, etype) for span, etype in cues if etype]
    for item, where in located(text, gold.get("events")):
        sc.events_gold += 1
        fitting = {item["type"], *(item.get("also_fits") or [])}
        if fitting & drafted:
            sc.events_fitted += 1
        else:
            sc.misses.append(f"event type not drafted: {item['type']} ({item['words'][:50]!r})")
        if any(etype in fitting and touches(span, where) for span, etype in cues):
            sc.events_cued += 1
    denied = located(text, gold.get("not_events"))
    for item, where in denied:
        for span, etype in cues:
            if touches(span, where):
                sc.cues_false += 1
                what = item["why"].split()[0].strip(",")
                sc.misses.append(f"act cue on a {what} act: {etype} {ex.doc.flat(span.start, span.end)!r}")
    for event in events:
        cues = [Span(v["start_offset"], v["end_offset"]) for v in need(event, "evidence_entries", "drafted event")
                if v.get("coded_field") == "event_type"]
        for item, where in denied:
            if any(touches(c, where) for c in cues):
                sc.events_false += 1
                sc.misses.append(f"event drafted on a {item['why'].split()[0].strip(',')} act: {event['event_type']} "
                                 f"({item['words'][:50]!r})")
                break


def score_article(path: Path, root: Path, ctx: Context) -> Score:
    gold, text = load_gold(path, root)
    day = dt.date.fromisoformat(gold["publication_date"])
    facts = SourceFacts(f"heldout-{path.name.split('.')[0]}", (path.parent / gold["article"]).relative_to(root).as_posix(),
                        (day, day))
    sc = Score(path.name.removesuffix(".gold.yaml"))
    started = time.process_time()
    ex = extract(text, facts, ctx)
    events = draft(ex, ctx)
    sc.seconds = time.process_time() - started
    score_quotes(ex, gold, text, sc)
    score_places(ex, ctx, gold, text, sc)
    score_dates(ex, gold, text, sc)
    score_counts(ex, gold, text, sc)
    score_events(ex, events, gold, text, sc)
    return sc


def cell(num: int, den: int) -> str:
    return f"{num}/{den} {metrics.ratio(num, den):.2f}"


def report(scores: list[Score], details: bool) -> None:
    head = (f"{'article':44} {'quote recall':>13} {'precision':>13} {'places':>12} {'false pl':>8} {'dates':>12} "
            f"{'counts':>12} {'false ct':>8} {'event types':>12} {'ev err':>6} {'act cues':>12} {'cue err':>7} {'ms':>6}")
    print(head)
    print("-" * len(head))
    total = Score("all")
    for sc in scores:
        total.add(sc)
    for sc in [*scores, total]:
        print(f"{sc.name:44} {cell(*sc.fraction('quotes')):>13} {cell(*sc.fraction('precise')):>13} "
              f"{cell(*sc.fraction('places')):>12} {sc.places_false:>8} {cell(*sc.fraction('dates')):>12} "
              f"{cell(*sc.fraction('counts')):>12} {sc.counts_false:>8} {cell(*sc.fraction('events')):>12} "
              f"{sc.events_false:>6} {cell(*sc.fraction('cues')):>12} {sc.cues_false:>7} {sc.seconds * 1000:>6.1f}")
    print(f"\nplaces = resolved to the right gazetteer place, or flagged as an unknown place when the gazetteer "
          f"lacks it ({total.places_flagged} of the {total.places_found} found were only flagged);")
    print("event types = fitted / (gold events + events drafted on denied, feared or hypothetical acts), drafted as "
          "`nkcp extract` drafts them;\nact cues = gold events with an act cue of a fitting type over their words / "
          "(gold events + act cues on denied, feared or hypothetical acts), whether or not an event is drafted from them;\n"
          "counts = proposed low/best/high equal to the gold; whatever the engine does not propose counts as missed; "
          "ms = CPU time to extract and draft.")
    if details:
        for sc in scores:
            for miss in sc.misses:
                print(f"  {sc.name}: {miss}")
    else:
        print("(--details lists every miss with the gold words; do not read them if you tune the rules)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--only", help="score one article (its file name without .txt)")
    parser.add_argument("--include-proposed", action="store_true", help="also run rules still proposed")
    parser.add_argument("--details", action="store_true", help="list every miss (shows the gold words)")
    args = parser.parse_args()
    root = args.root.resolve()
    golds = sorted((root / FOLDER).glob("*.gold.yaml"))
    if args.only:
        golds = [g for g in golds if g.name == f"{args.only}.gold.yaml"]
    if not golds:
        print(f"error: no gold file {args.only or '*'}.gold.yaml in {root / FOLDER}", file=sys.stderr)
        sys.exit(1)
    problems = Problems()
    ctx = load_context(root, problems, args.include_proposed)
    if problems:
        print(problems.as_text(), file=sys.stderr)
        sys.exit(1)
    reviewed = sum(r.status == "reviewed" for r in ctx.rules)
    print(f"rules run: {len(ctx.rules)} ({reviewed} reviewed, {len(ctx.rules) - reviewed} proposed); "
          f"{len(golds)} held-out articles")
    extract("Warm up: the gazetteer pattern is compiled once.", SourceFacts("warm-up", "warm-up.txt", None), ctx)
    scores: list[Score] = []
    errors: list[str] = []
    for path in golds:
        try:
            scores.append(score_article(path, root, ctx))
        except Unusable as exc:
            errors.append(str(exc))
    if errors:
        print("\n".join(f"error: {e}" for e in errors), file=sys.stderr)
        sys.exit(1)
    report(scores, args.details)


if __name__ == "__main__":
    main()
