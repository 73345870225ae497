"""Cue phrases: words that name an act ("banished", "summoning"), the organ that did it ("security
department") or the source's own doubt ("just a rumor").

Each cue rule carries the code it proposes (`event_type`, `perpetrator` with its basis, or
`claim_status`). A cue is a proposal for a reviewer, not a coding: "security department" is
mapped to the police ministry with basis `inferred`, as the codebook says, and the reviewer
decides whether the act was done to the families of people who left.

An act is not always reported where it is named: "were not exiled" denies it, "fear they may be
sent" only fears it. Every act cue is therefore given its scope, from the `cue_scope` rules: a
trigger ("not", "no one", "fear", "may be", "rumor ... that") standing before the cue in the
same clause, at most the rule's `window` words away, with no `cue_scope_end` word (a comma,
"but", "that", a quotation mark, a sentence end) between them; a few triggers stand after the
cue ("a public trial ... will be held"). A denied act is not drafted; a
feared or hedged one is at most a rumour (the rule's `claim_status`), never a report; an act said
of the system in general ("are routinely sent") in the outlet's narration is background, not
drafted either (in a quotation it is an informant's account of a practice, and drafted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nkcp.extract.text import Document, Proposal, Span
from nkcp.rules import Rule, RuleSet, count_hit

_LOOK_BACK = 200  # characters before a cue searched for a scope trigger (a clause is shorter)
DEFAULT_WINDOW = 6
SCOPES = ("denied", "general", "hedged")  # denied or general (background): not drafted; hedged: the rule's claim_status at most


def find_cues(doc: Document, rules: RuleSet, hits: dict[str, int]) -> list[Proposal]:
    scopes, ends = rules.of("cue_scope"), rules.of("cue_scope_end")
    out: list[Proposal] = []
    for rule in rules.of("cue"):
        for m in rule.regex.finditer(doc.text):
            value = dict(rule.value)
            if "event_type" in value:
                value.update(scope_of(doc.text, m.start(), m.end(), scopes, ends, hits))
            out.append(Proposal("cue", rule.id, m.start(), m.end(), doc.flat(m.start(), m.end()), value))
            count_hit(hits, rule)
    return sorted(out, key=lambda p: (p.start, p.end, p.rule_id))


def scope_of(text: str, start: int, end: int, scopes: list[Rule], ends: list[Rule], hits: dict[str, int]) -> dict[str, Any]:
    """The scope of the act cue at `start`-`end`: the first scope rule (file order) whose trigger
    stands before it in the same clause (or after it, for rules with `context: after`: "a public
    trial ... will be held"), as {scope, scope_rule, scope_start[, scope_claim_status]}; {} when stated."""
    base = max(0, start - _LOOK_BACK)
    before, after = text[base:start], text[end:end + _LOOK_BACK]
    for rule in scopes:
        if rule.get("context") == "after":
            m = rule.regex.search(after)
            between = after[:m.start()] if m else ""
            at = start
        else:
            m = max(rule.regex.finditer(before), key=lambda found: found.start(), default=None)  # the nearest trigger
            between = before[m.end():] if m else ""
            at = base + m.start() if m else start
        if m is None or len(between.split()) > int(rule.get("window", DEFAULT_WINDOW)):
            continue
        stop = next((e for e in ends if e.regex.search(between)), None)
        if stop is not None:  # "did not say why they were banished": the trigger's clause ended
            count_hit(hits, stop)
            continue
        count_hit(hits, rule)
        found: dict[str, Any] = {"scope": rule.get("scope"), "scope_rule": rule.id, "scope_start": at}
        if rule.get("claim_status"):
            found["scope_claim_status"] = rule.get("claim_status")
        if rule.get("context") == "after":
            found["scope_end"] = end + m.end()
        return found
    return {}


# Which acts a draft rests on
CERTAINTY = ("rumour", "reported_vaguely", "reported")  # weakest first: a draft takes the weakest its words allow


@dataclass(frozen=True)
class Act:
    """An act cue a draft event may rest on: the cue, the speech segment or narrated sentence it
    stands in (`unit`, where the draft looks for the date, place, count and perpetrator), and the
    claim status its scope allows (None when it is stated)."""

    cue: Proposal
    unit: Span
    claim: str | None

    @property
    def scope_span(self) -> Span:
        """The words from the scope trigger to the end of the cue ("fear they may be sent")."""
        return Span(int(self.cue.value.get("scope_start", self.cue.start)), int(self.cue.value.get("scope_end", self.cue.end)))


def acts_by_type(doc: Document, speech: list[Span], other_quotes: list[Span], found: list[Proposal],
                 ) -> tuple[dict[str, list[Act]], list[Proposal]]:
    """The acts of each event type, in text order, and the denied act cues left out.

    Cues anywhere in the article count, inside a speech segment or in the outlet's own narration,
    but not inside scare-quoted terms or titles. An act said in general ("are routinely sent") is
    the outlet's background in its narration, but an informant's account of a practice when quoted.
    A type with a stated act rests on its stated acts only; a type named only in feared or hedged
    words rests on those, as a rumour at most. A
    `fallback` act ("punished") counts only when no act of a named kind is stated (a feared
    exile does not hide "the relatives were punished")."""
    by_type: dict[str, list[Act]] = {}
    denied: list[Proposal] = []
    for cue in found:
        etype = cue.value.get("event_type")
        if not etype or any(cue.span.inside(q) for q in other_quotes):
            continue
        said = next((s for s in speech if cue.span.inside(s)), None)
        scope = cue.value.get("scope")
        if scope == "denied" or (scope == "general" and said is None):  # the outlet's background: no act
            denied.append(cue)
            continue
        unit = said or doc.sentence_of(cue.start)
        claim = cue.value.get("scope_claim_status", "rumour") if scope == "hedged" else None
        same = by_type.setdefault(str(etype), [])
        if not any(a.cue.span.overlaps(cue.span) for a in same):  # two rules on the same words: one act
            same.append(Act(cue, unit, claim))
    if any(a.claim is None and not a.cue.value.get("fallback") for acts in by_type.values() for a in acts):
        # a stated act of a named kind: "punished" is then that act told again, or the system in general
        kept = {t: [a for a in acts if not a.cue.value.get("fallback")] for t, acts in by_type.items()}
        by_type = {t: acts for t, acts in kept.items() if acts}
    for etype, acts in by_type.items():
        stated = [a for a in acts if a.claim is None]
        by_type[etype] = stated or acts
    return by_type, denied


def claim_of(found: list[Proposal], spans: list[Span], acts: list[Act]) -> tuple[str, list[tuple[Span, str]]]:
    """The weakest claim status the words allow, with the spans (and rules) that limit it: a
    rumour or hedge cue inside the cited spans, or the scope of the acts themselves (feared,
    hedged). Every such span must be evidence of claim_status (records/README.md, Evidence)."""
    hedges = [(c.span, c.rule_id, str(c.value["claim_status"])) for c in found
              if c.value.get("claim_status") and any(c.span.inside(s) for s in spans)]
    hedges += [(a.scope_span, str(a.cue.value["scope_rule"]), a.claim) for a in acts if a.claim]
    if not hedges:
        return "reported", []
    return min((h[2] for h in hedges), key=CERTAINTY.index), [(h[0], h[1]) for h in hedges]
