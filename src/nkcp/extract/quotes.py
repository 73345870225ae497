"""Quotations: pair the quotation marks of each paragraph into segments, then tell speech from terms.

The news convention for a quotation that runs over paragraphs is an opening mark with no closing
mark at the end of each paragraph and a new opening mark at the start of the next: each
paragraph is one segment, and a later segment continues the one before (`continues_quote_id`).
An opening mark left open at the end of a paragraph runs to the end of the paragraph; if it
stops mid-sentence the publisher probably cut the text, and then the next paragraph starts a
new quotation even if it opens with a mark (a continued paragraph ends on a full sentence).
Single marks are not paired: in these outlets they nest inside double marks (kept inside the
outer segment) or stand in headlines and as apostrophes. Which marks open, close or toggle, and
every decision about continuation, cuts, stray marks and scare quotes, are rules in
`rules/quotes.yaml`; this module only applies them in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from nkcp.extract.text import Document, Span
from nkcp.rules import Rule, RuleSet, count_hit


@dataclass
class Segment:
    """One quotation segment: the words inside the marks (trimmed), and what decided it."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None
    paragraph: int
    rule_id: str
    continues: int | None = None  # index of the previous segment of the same quotation
    cut_rule: str | None = None  # the quotation stops mid-sentence where the paragraph ends
    stray_rule: str | None = None  # a stray closing mark was absorbed
    kind: str = "speech"  # speech | term | title
    class_rule: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def words(self, doc: Document) -> int:
        return len(doc.text[self.start:self.end].split())


def _trim(doc: Document, start: int, end: int) -> tuple[int, int]:
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return start, end


def _tokens(doc: Document, para: Span, marks: list[Rule]) -> list[tuple[int, str, Rule]]:
    """(offset, role, rule) for every quotation mark in the paragraph; role is open/close/toggle."""
    out = []
    for rule in marks:
        for m in rule.regex.finditer(doc.text, para.start, para.end):
            ch = m.group()
            role = "toggle" if rule.get("toggle") else "open" if ch == rule.get("open") else "close"
            out.append((m.start(), role, rule))
    return sorted(out, key=lambda t: t[0])


def find_segments(doc: Document, rules: RuleSet, hits: dict[str, int]) -> list[Segment]:
    """Every quotation segment of the document, in order, with continuations and cuts marked."""
    marks = rules.of("quote_mark")
    continuation = rules.of("quote_continuation")
    cuts = rules.of("quote_cut")
    strays = rules.of("quote_stray")
    after_rules = [r for r in rules.of("attribution") if r.get("context") == "after"]
    segments: list[Segment] = []
    left_open: Segment | None = None
    for p_index, para in enumerate(doc.paragraphs):
        para_text = doc.text[para.start:para.end]
        if left_open is not None and _mark_cut(doc, left_open, cuts, hits):
            left_open = None  # a paragraph cut mid-sentence is not continued by the next one
        reopened = next((r for r in continuation if r.regex.search(para_text)), None) if left_open else None
        if left_open is not None and reopened is None:
            _mark_cut(doc, left_open, cuts, hits)
        first_new = len(segments)
        open_at: tuple[int, Rule] | None = None
        last_closed: Segment | None = None
        for pos, role, rule in _tokens(doc, para, marks):
            if role == "open" or (role == "toggle" and open_at is None):
                if open_at is not None:  # a new opening mark while open: the previous one was never closed
                    _emit(doc, segments, open_at, pos, None, p_index)
                open_at = (pos, rule)
            elif open_at is not None:
                last_closed, open_at = _emit(doc, segments, open_at, pos, pos, p_index), None
            elif last_closed is not None and last_closed.close_mark is not None:
                _absorb_stray(doc, last_closed, pos, strays, after_rules, hits)
        if open_at is not None:
            _emit(doc, segments, open_at, para.end, None, p_index)
        if reopened is not None and left_open is not None and len(segments) > first_new:
            segments[first_new].continues = segments.index(left_open)
            count_hit(hits, reopened)
        left_open = None
        if len(segments) > first_new and segments[-1].close_mark is None:
            left_open = segments[-1]
    if left_open is not None:
        _mark_cut(doc, left_open, cuts, hits)
    by_id = {r.id: r for r in marks}
    for seg in segments:
        count_hit(hits, by_id[seg.rule_id])
    return segments


def _absorb_stray(doc: Document, seg: Segment, pos: int, strays: list[Rule], after_rules: list[Rule],
                  hits: dict[str, int]) -> None:
    """A closing mark with no opening mark: if the words since the last closing mark are no
    attribution and a stray rule accepts them, the earlier closing mark was the stray one."""
    assert seg.close_mark is not None
    between = doc.text[seg.close_mark + 1:pos]
    if any(r.regex.search(between) for r in after_rules):
        return
    for rule in strays:
        if rule.regex.search(between):
            seg.end = _trim(doc, seg.start, pos)[1]
            seg.close_mark = pos
            seg.stray_rule = rule.id
            count_hit(hits, rule)
            return


def _emit(doc: Document, segments: list[Segment], open_at: tuple[int, Rule], end: int, close: int | None,
          p_index: int) -> Segment | None:
    pos, rule = open_at
    start, stop = _trim(doc, pos + 1, end)
    if start >= stop:
        return None
    seg = Segment(start, stop, pos, close, p_index, rule.id)
    segments.append(seg)
    return seg


def _mark_cut(doc: Document, seg: Segment, cuts: list[Rule], hits: dict[str, int]) -> bool:
    """Mark an unclosed segment that stops mid-sentence as cut; True when it does."""
    if seg.cut_rule is not None:
        return True
    tail = doc.text[seg.start:seg.end]
    for rule in cuts:
        if rule.regex.search(tail):
            seg.cut_rule = rule.id
            count_hit(hits, rule)
            return True
    return False


# Speech, term or title
@dataclass(frozen=True)
class Contexts:
    """The text a class rule looks at, for one segment."""

    quote: str
    before: str
    after: str
    between: str | None  # text since the previous segment's closing mark, same sentence only


def contexts(doc: Document, segments: list[Segment], i: int) -> Contexts:
    seg = segments[i]
    sentence = doc.sentence_of(seg.open_mark)
    start = sentence.start
    prev = segments[i - 1] if i > 0 else None
    between = None
    if prev is not None and prev.close_mark is not None and prev.close_mark >= sentence.start \
            and prev.paragraph == seg.paragraph:
        start = prev.close_mark + 1
        between = doc.text[start:seg.open_mark]
    after = ""
    if seg.close_mark is not None:
        end_sentence = doc.sentence_of(seg.close_mark)
        stop = end_sentence.end
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        if nxt is not None and nxt.open_mark < stop:
            stop = nxt.open_mark
        after = doc.text[seg.close_mark + 1:stop]
    return Contexts(doc.text[seg.start:seg.end], doc.text[start:seg.open_mark], after, between)


def classify(doc: Document, segments: list[Segment], attributed: set[int], rules: RuleSet,
             hits: dict[str, int]) -> None:
    """Set each segment's kind (speech, term or title) and the rule that decided it.

    Class rules run in file order and the first that applies decides; a rule marked
    `unless_attributed` is skipped when a speaker stands next to the segment (`attributed`), and
    `max_words` limits a rule to short quotations, which is where scare quotes live. A segment no
    rule claims is speech. A continuation segment takes the kind of the segment it continues.
    """
    class_rules = rules.of("quote_class")
    for i, seg in enumerate(segments):
        if seg.continues is not None:
            prev = segments[seg.continues]
            seg.kind, seg.class_rule = prev.kind, prev.class_rule
            continue
        ctx = contexts(doc, segments, i)
        words = seg.words(doc)
        for rule in class_rules:
            limit = rule.get("max_words")
            if (limit is not None and words > int(limit)) or (rule.get("unless_attributed") and i in attributed):
                continue
            text = {"quote": ctx.quote, "before": ctx.before, "after": ctx.after,
                    "between": ctx.between}.get(str(rule.get("context")))
            if text is None or not rule.regex.search(text):
                continue
            count_hit(hits, rule)
            cls = str(rule.get("class"))
            seg.class_rule = rule.id
            seg.kind = segments[i - 1].kind if cls == "inherit" else "speech" if cls == "named_speech" else cls
            break
