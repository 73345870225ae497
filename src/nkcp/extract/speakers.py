"""Speakers: find attributions, then resolve each speaker phrase to one informant of the article.

English news names an informant once with an indefinite description ("a source in North Pyongan
province told RFA") and then refers back to them ("the source said", "he said", "said the
source, who requested anonymity", "according to the source"); a second informant is "another
source" and later "the second source". Resolution follows that convention: an indefinite
phrase introduces a new anonymous informant; an ordinal picks the n-th anonymous informant; a
definite phrase picks the most recent anonymous informant, or the most recent one with the same
noun ("the official") when the noun is specific; "he"/"she" the most recent person; "it" the
most recent organisation; a name the informant of that name. Plural phrases ("sources said")
and the outlet itself ("RFA reported") name no single informant. A quotation with no attribution
beside it takes the most recently mentioned informant (`is_speaker_inferred`). The phrase
patterns are rules (`rules/speakers.yaml`); only the bookkeeping is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nkcp.extract.quotes import Segment, contexts
from nkcp.extract.text import Document
from nkcp.rules import Rule, RuleSet, count_hit

_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "fifth": 5, "5th": 5}
_CLAUSE = re.compile(r",\s*(?:who|whose|a|an|the)\b|\s+who\b")


@dataclass
class Phrase:
    """What a speaker phrase says about its referent."""

    ref: str  # plural | outlet | pronoun | ordinal | indefinite | definite | name
    ref_rule: str
    start_trim: int  # characters stripped from the front (connectives)
    heads: set[str] = field(default_factory=set)
    generic: bool = True
    ordinal: int | None = None
    pronoun: str | None = None
    name: str | None = None
    surname: str | None = None


@dataclass
class Mention:
    """A speaker phrase found by an attribution rule, with what it was resolved to."""

    start: int
    end: int
    words: str
    rule_id: str
    context: str  # after | before | sentence | named
    phrase: Phrase | None = None
    segment: int | None = None
    entity: int | None = None


@dataclass
class Entity:
    """One informant (or organisation) of the article."""

    index: int
    words: str
    anonymous: bool
    person: bool
    plural: bool = False
    heads: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    speech_date: object | None = None  # a dates.Resolved, set by the engine


@dataclass
class SpeakerResult:
    mentions: list[Mention]
    entities: list[Entity]
    speaker_of: dict[int, int]  # segment index -> entity index
    mention_of: dict[int, Mention]  # segment index -> attached mention, when one stands beside it


def analyse(words: str, rules: RuleSet, hits: dict[str, int]) -> Phrase | None:
    """Classify a speaker phrase with the `speaker_reference` and `speaker_head` rules."""
    trim = 0
    text = words
    refs = rules.of("speaker_reference")
    for rule in refs:
        if rule.get("ref") == "strip":
            m = rule.regex.search(text)
            if m and m.start() == 0:
                trim += m.end()
                text = text[m.end():]
                count_hit(hits, rule)
    core = _CLAUSE.split(text, maxsplit=1)[0]
    phrase: Phrase | None = None
    for rule in refs:
        ref = str(rule.get("ref"))
        if ref in ("strip", "surname"):
            continue
        m = rule.regex.search(core)
        if not m:
            continue
        count_hit(hits, rule)
        phrase = Phrase(ref, rule.id, trim)
        groups = m.groupdict()
        if groups.get("ordinal"):
            phrase.ordinal = _ORDINALS.get(groups["ordinal"].lower(), -1)
        if groups.get("pronoun"):
            phrase.pronoun = groups["pronoun"].lower()
        if groups.get("name"):
            phrase.name = groups["name"]
        break
    if phrase is None:
        return None
    for rule in rules.of("speaker_head"):
        for m in rule.regex.finditer(text):
            phrase.heads.add(m.group("head").lower().rstrip("s"))
            if not rule.get("generic"):
                phrase.generic = False
            count_hit(hits, rule)
    for rule in refs:
        if rule.get("ref") == "surname":
            m = rule.regex.search(text)
            if m and m.groupdict().get("name"):
                phrase.surname = m.group("name")
                count_hit(hits, rule)
    return phrase


def _np_mention(doc: Document, rule: Rule, m: re.Match[str], offset: int, context: str) -> Mention:
    start, end = offset + m.start("np"), offset + m.end("np")
    return Mention(start, end, doc.flat(start, end), rule.id, context)


def find_mentions(doc: Document, segments: list[Segment], rules: RuleSet,
                  hits: dict[str, int]) -> tuple[list[Mention], dict[int, Mention]]:
    """Every attribution in the text; the ones standing beside a quotation are attached to it.

    Beside means: right after the closing mark, right before the opening mark, or (for a
    quotation with neither) a singular speaker elsewhere in the same sentence ("according to
    the source"). Phrases are analysed here so that plural and outlet phrases attach to nothing.
    """
    attribution = rules.of("attribution")
    after = [r for r in attribution if r.get("context") == "after"]
    before = [r for r in attribution if r.get("context") == "before"]
    sentence = [r for r in attribution if r.get("context") == "sentence"]
    named = [r for r in rules.of("quote_class") if r.get("class") == "named_speech"]
    attached: dict[int, Mention] = {}
    for i, seg in enumerate(segments):
        ctx = contexts(doc, segments, i)
        found: Mention | None = None
        if seg.close_mark is not None and ctx.after:
            base = seg.close_mark + 1
            found = _first(doc, after, ctx.after, base, "after", hits)
        if found is None and ctx.before:
            base = seg.open_mark - len(ctx.before)
            found = _first(doc, named, ctx.before, base, "named", hits) or \
                _first(doc, before, ctx.before, base, "before", hits)
        if found is not None:
            found.phrase = analyse(found.words, rules, hits)
            if found.phrase is not None and found.phrase.ref != "outlet":
                attached[i] = found
    free: list[Mention] = []
    for sent in doc.sentences:
        text = doc.masked[sent.start:sent.end]
        for rule in sentence:
            for m in rule.regex.finditer(text):
                if m.group("np"):
                    mention = _np_mention(doc, rule, m, sent.start, "sentence")
                    mention.phrase = analyse(mention.words, rules, hits)
                    free.append(mention)
                    count_hit(hits, rule)
    mentions = list(attached.values())
    for mention in free:
        if any(mention.start < a.end and a.start < mention.end for a in mentions):
            continue
        mentions.append(mention)
        if mention.phrase is None or mention.phrase.ref in ("plural", "outlet"):
            continue
        for i, seg in enumerate(segments):
            if i not in attached and seg.continues is None and doc.sentence_of(seg.open_mark).start \
                    <= mention.start < doc.sentence_of(seg.open_mark).end:
                attached[i] = mention
    mentions.sort(key=lambda x: (x.start, x.end))
    return mentions, attached


def _first(doc: Document, rules: list[Rule], text: str, base: int, context: str,
           hits: dict[str, int]) -> Mention | None:
    for rule in rules:
        m = rule.regex.search(text)
        if m and m.groupdict().get("np"):
            count_hit(hits, rule)
            return _np_mention(doc, rule, m, base, context)
    return None


class _Resolver:
    """Entities of one article and the order in which they were last mentioned."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.recent: list[int] = []  # entity indexes, most recent last

    def touch(self, index: int) -> int:
        if index in self.recent:
            self.recent.remove(index)
        self.recent.append(index)
        return index

    def new(self, words: str, anonymous: bool, person: bool, plural: bool = False) -> int:
        self.entities.append(Entity(len(self.entities), words, anonymous, person, plural))
        return len(self.entities) - 1

    def latest(self, test: object = None) -> int | None:
        for index in reversed(self.recent):
            e = self.entities[index]
            if test is None or test(e):  # type: ignore[operator]
                return index
        return None

    def resolve(self, mention: Mention, attached: bool) -> int | None:
        p = mention.phrase
        if p is None or p.ref == "outlet" or (p.ref == "plural" and not attached):
            return None
        words = mention.words[p.start_trim:].strip(" ,")
        if p.ref == "plural":
            index = self.new(words, False, False, plural=True)
        elif p.ref == "pronoun":
            if p.pronoun in ("he", "she"):
                found = self.latest(lambda e: e.person and not e.plural)
            elif p.pronoun == "it":
                found = self.latest(lambda e: not e.person and not e.plural)
            else:
                found = self.latest(lambda e: e.plural)
            index = found if found is not None else self.new(words, True, p.pronoun != "it")
        elif p.ref == "ordinal":
            anonymous = [e.index for e in self.entities if e.anonymous]
            if p.ordinal is not None and 0 < p.ordinal <= len(anonymous):
                index = anonymous[p.ordinal - 1]
            elif p.ordinal == -1 and len(anonymous) > 1:  # "the other source"
                latest = self.latest(lambda e: e.anonymous)
                index = next(a for a in reversed(anonymous) if a != latest)
            else:
                index = self.new(words, True, True)
        elif p.ref == "indefinite":
            index = self.new(words, True, True)
        elif p.ref == "definite":
            found = None
            if not p.generic:
                found = self.latest(lambda e: bool(e.heads & p.heads))
            if found is None:
                found = self.latest(lambda e: e.anonymous)
            index = found if found is not None else self.new(words, True, True)
        else:  # name
            name = p.name or words
            found = self.latest(lambda e: name in e.names or any(name in n.split() for n in e.names))
            index = found if found is not None else self.new(words, False, len(name.split()) == 1 or not p.generic)
            self.entities[index].names.add(name)
        entity = self.entities[index]
        entity.heads |= p.heads
        if p.surname:
            entity.names.add(p.surname)
        if p.pronoun in ("he", "she"):
            entity.person = True
        return self.touch(index)


def resolve(segments: list[Segment], mentions: list[Mention], attached: dict[int, Mention]) -> SpeakerResult:
    """Resolve mentions in text order, then give every speech segment its speaker."""
    resolver = _Resolver()
    attached_ids = {id(m) for m in attached.values()}
    for mention in mentions:
        mention.entity = resolver.resolve(mention, id(mention) in attached_ids)
    for i, mention in attached.items():
        mention.segment = i
    speaker_of: dict[int, int] = {}
    mention_of: dict[int, Mention] = {}
    roots: dict[int, list[int]] = {}
    for i in range(len(segments)):
        root = i
        while segments[root].continues is not None:
            root = segments[root].continues  # type: ignore[assignment]
        roots.setdefault(root, []).append(i)
    for chain in roots.values():
        chain_mentions = [attached[i] for i in chain if i in attached and attached[i].entity is not None]
        entity = chain_mentions[0].entity if chain_mentions else None
        if entity is None:
            entity = _latest_before(mentions, segments[chain[0]].open_mark)
        for i in chain:
            if i in attached and attached[i].entity is not None:
                mention_of[i] = attached[i]
            if entity is not None:
                speaker_of[i] = entity
    return SpeakerResult(mentions, resolver.entities, speaker_of, mention_of)


def _latest_before(mentions: list[Mention], offset: int) -> int | None:
    """The entity most recently mentioned before the offset (plural groups excluded)."""
    best: Mention | None = None
    for m in mentions:
        if m.start < offset and m.entity is not None and (m.phrase is None or m.phrase.ref != "plural"):
            best = m
    return best.entity if best is not None else None
