"""Positions in a capture: paragraphs, sentences outside quotations, and what every proposal shares.

All offsets are Python string offsets into the capture as read (Unicode code points), the same
convention as the quotes table (`records.evidence.span_text`). Paragraphs are separated by blank lines;
a line break inside a paragraph is only a wrapped line. Sentences are found on a masked copy of
the text in which quoted words are blanked, so a full stop inside a quotation never ends the
sentence that carries its attribution.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from nkcp.records.evidence import span_text

_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
# A sentence ends at . ! ? (optionally followed by a closing mark) and white space, before a
# capital, an opening mark or a digit; common abbreviations do not end sentences.
_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$"
                           r"|\b(?:Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|No|Gen|Lt|Col|Sgt|Rep|Sen|Gov|Prof|vs|etc)\.$")
MASK = "□"
_NOT_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def inside(self, other: Span) -> bool:
        return other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class Proposal:
    """One thing a rule proposes: what, which rule, where (a character span) and the values."""

    kind: str
    rule_id: str
    start: int
    end: int
    text: str
    value: dict[str, Any] = field(default_factory=dict)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class Document:
    """A capture's text with its paragraphs; quotations are masked once the quote finder has run."""

    def __init__(self, text: str):
        self.text = text
        self.paragraphs: list[Span] = []
        pos = 0
        for m in _BLANK_LINES.finditer(text):
            self._add_paragraph(pos, m.start())
            pos = m.end()
        self._add_paragraph(pos, len(text))
        self.masked = text
        self.sentences: list[Span] = []

    def _add_paragraph(self, start: int, end: int) -> None:
        chunk = self.text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if start + lead < end - trail:
            self.paragraphs.append(Span(start + lead, end - trail))

    def flat(self, start: int, end: int) -> str:
        """Text between offsets as the quotes table stores it (line breaks as spaces)."""
        return span_text(self.text, start, end)

    def mask(self, spans: list[Span]) -> None:
        """Blank the quoted words (marks stay) and split sentences on the masked text."""
        pieces, pos = [], 0
        for s in sorted(spans, key=lambda x: x.start):
            if s.start < pos:
                continue
            pieces += [self.text[pos:s.start], _NOT_SPACE.sub(MASK, self.text[s.start:s.end])]
            pos = s.end
        self.masked = "".join(pieces) + self.text[pos:]
        self.sentences = []
        for para in self.paragraphs:
            start = para.start
            for m in _SENTENCE_END.finditer(self.masked, para.start, para.end):
                if _ABBREVIATION.search(self.masked, max(start, m.start() - 8), m.start() + 1):
                    continue
                self.sentences.append(Span(start, m.end()))
                start = m.end()
            if start < para.end:
                self.sentences.append(Span(start, para.end))
        self._sentence_starts = [s.start for s in self.sentences]

    def sentence_of(self, offset: int) -> Span:
        i = max(bisect_right(self._sentence_starts, offset) - 1, 0)
        return self.sentences[i]


def overlap_free(proposals: list[Proposal]) -> list[Proposal]:
    """Keep the first proposal of any overlapping group (proposals come in rule order)."""
    kept: list[Proposal] = []
    for p in proposals:
        if not any(p.span.overlaps(k.span) for k in kept):
            kept.append(p)
    return sorted(kept, key=lambda p: (p.start, p.end))
