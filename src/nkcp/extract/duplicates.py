"""Likely duplicates: does a new capture republish or rewrite one already in the repository?

Texts are cut into words (the `duplicate` rule's pattern), lower-cased, and compared as sets of
overlapping word n-grams ("shingles", Broder 1997). The figure is containment: the share of the
smaller text's shingles found in the other, which stays high for a rewrite that cuts or reorders
paragraphs but keeps the quotations word for word (a machine paraphrase keeps the quotations
too). Jaccard resemblance is reported beside it. A capture at or above the rule's threshold is
flagged with the capture it resembles; the reviewer decides derivation and independence group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nkcp.extract.text import Proposal
from nkcp.rules import Rule, count_hit


@dataclass(frozen=True)
class Known:
    """A capture already in the repository, by its source id."""

    source_id: str
    capture_path: str
    shingles: frozenset[tuple[str, ...]]


def shingles(text: str, rule: Rule) -> frozenset[tuple[str, ...]]:
    words = rule.regex.findall(text.lower())
    size = int(rule.get("shingle"))
    return frozenset(zip(*(words[i:] for i in range(size)), strict=False))


def index(captures: Iterable[tuple[str, str, str]], rule: Rule) -> list[Known]:
    """Shingle sets of known captures, given as (source_id, capture_path, text)."""
    return [Known(sid, path, shingles(text, rule)) for sid, path, text in captures]


def similarity(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> tuple[float, float]:
    """(containment of the smaller in the larger, Jaccard resemblance)."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / min(len(a), len(b)), common / len(a | b)


def find_duplicates(text: str, known: list[Known], rule: Rule, skip_path: str | None,
                    hits: dict[str, int]) -> list[Proposal]:
    """Every known capture the text resembles at or above the threshold, most similar first."""
    mine = shingles(text, rule)
    threshold = float(rule.get("threshold"))
    out = []
    for other in known:
        if other.capture_path == skip_path:
            continue
        containment, jaccard = similarity(mine, other.shingles)
        if containment >= threshold:
            out.append(Proposal("duplicate", rule.id, 0, len(text), "", {
                "resembles": other.source_id, "capture_path": other.capture_path,
                "containment": round(containment, 3), "jaccard": round(jaccard, 3)}))
            count_hit(hits, rule)
    return sorted(out, key=lambda p: (-float(p.value["containment"]), str(p.value["resembles"])))
