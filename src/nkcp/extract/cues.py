"""Cue phrases: words that name an act ("banished", "summoning"), the organ that did it ("security
department") or the source's own doubt ("just a rumor").

Each cue rule carries the code it proposes (`event_type`, `perpetrator` with its basis, or
`claim_status`). A cue is a proposal for a reviewer, not a coding: "security department" is
mapped to the police ministry with basis `inferred`, as the codebook says, and the reviewer
decides whether the act was done to the families of people who left.
"""

from __future__ import annotations

from nkcp.extract.text import Document, Proposal
from nkcp.rules import RuleSet, count_hit


def find_cues(doc: Document, rules: RuleSet, hits: dict[str, int]) -> list[Proposal]:
    out: list[Proposal] = []
    for rule in rules.of("cue"):
        for m in rule.regex.finditer(doc.text):
            out.append(Proposal("cue", rule.id, m.start(), m.end(), doc.flat(m.start(), m.end()), dict(rule.value)))
            count_hit(hits, rule)
    return sorted(out, key=lambda p: (p.start, p.end, p.rule_id))
