"""Counts: how many families, people or things, as low/best/high with the words as reported.

A plain number is the best count with no range ("30 families", "three cases"); a qualifier
gives only the bound its words allow ("more than 30" low 31, "at least seven" low 7, "as many
as 50" high 50, "fewer than ten" high 9; "about 30" stays the best count as reported); a range gives low and high
with no best ("between 30,000 and 50,000"); a vague multitude gives the range its words allow
and no best ("dozens" is at least two dozen and under a hundred, "tens of thousands" is 20,000
to 99,999); "several families" is words with no number at all; a share ("not even half") has no
number of people, only a fraction. A `count_not` rule says the words before a number make it
no count (a city "home to 650,000 people", "a survey of 120 defectors"). Never a midpoint. The expressions are rules
(`rules/counts.yaml`); the unit comes from the counted noun (`count_unit` rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nkcp.extract.text import Document, Proposal, overlap_free
from nkcp.rules import Rule, RuleSet, count_hit

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
          "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100, "a dozen": 12,
          "dozen": 12}
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# The range a vague multitude allows: at least two of the unit, fewer than ten of the next
# ("several" of a unit: at least three of it, fewer than ten).
_MULTITUDES = {"dozens": (24, 99), "several dozen": (36, 119), "several hundred": (300, 999),
               "several thousand": (3000, 9999), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
               "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
               "millions": (2_000_000, 9_999_999)}
# What a qualifier allows, as offsets from its number for the low and the high bound
# ("more than 30" allows 31 and up; "fewer than ten" at most 9; "as many as 50" at most 50).
_BOUNDS = {"more than": (1, None), "over": (1, None), "upwards of": (1, None), "at least": (0, None),
           "no fewer than": (0, None), "no less than": (0, None), "as many as": (None, 0), "up to": (None, 0),
           "no more than": (None, 0), "at most": (None, 0), "nearly": (None, 0), "almost": (None, 0),
           "fewer than": (None, -1), "less than": (None, -1), "under": (None, -1)}
_SHARES = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "two-thirds": 2 / 3, "three-quarters": 0.75}


@dataclass(frozen=True)
class Count:
    low: int | None
    best: int | None
    high: int | None
    unit: str | None
    share_low: float | None = None
    share_high: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("low", "best", "high"):
            val = getattr(self, key)
            if val is not None:
                out[f"count_{key}"] = val
        if self.unit:
            out["count_unit"] = self.unit
        for key in ("share_low", "share_high"):
            share = getattr(self, key)
            if share is not None:
                out[key] = round(share, 4)
        return out


def number(text: str) -> int | None:
    """A number written in digits (with thousands commas, decimals and 'million') or in words
    (hyphenated tens: "twenty-five"; "a dozen"; "three hundred", "twenty-five thousand")."""
    t = text.lower().strip()
    if " and " in t:  # "three hundred and fifty"
        hundreds, rest = (number(x) for x in t.split(" and ", 1))
        return hundreds + rest if hundreds and rest and hundreds % 100 == 0 and rest < 100 else None
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)(?:\s+(hundred|thousand|million))?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        return round(value * _MULTIPLIERS.get(m.group(2) or "", 1))
    parts = t.replace("-", " ").split()
    times = 1
    if len(parts) > 1 and parts[-1] in _MULTIPLIERS and " ".join(parts) not in _WORDS:
        times, parts = _MULTIPLIERS[parts[-1]], parts[:-1]
    if parts == ["a"]:
        return times
    if " ".join(parts) in _WORDS:
        return _WORDS[" ".join(parts)] * times
    if len(parts) == 2 and parts[0] in _WORDS and parts[1] in _WORDS and _WORDS[parts[0]] >= 20 and _WORDS[parts[1]] < 10:
        return (_WORDS[parts[0]] + _WORDS[parts[1]]) * times
    return None


def _unit(noun: str | None, units: list[Rule], hits: dict[str, int]) -> str | None:
    if not noun:
        return None
    for rule in units:
        if rule.regex.search(noun):
            count_hit(hits, rule)
            return str(rule.get("count_unit"))
    return None


def _count(rule: Rule, g: dict[str, str], unit: str | None) -> Count | None:
    how = str(rule.get("resolve"))
    if how == "number":
        n = number(g["n"])
        return Count(None, n, None, unit) if n is not None else None
    if how == "approximate":
        n = number(g["n"])
        if n is None:
            return None
        q = " ".join(g.get("approx", "").lower().split())
        low, high = _BOUNDS.get(q, (None, None))
        if low is None and high is None:
            return Count(None, n, None, unit)  # "about 30": the best count as reported, no invented range
        return Count(n + low if low is not None else None, None, n + high if high is not None else None, unit)
    if how == "range":
        low, high = number(g["low"]), number(g["high"])
        if low is None or high is None or low > high:
            return None
        return Count(low, None, high, unit)
    if how == "multitude":
        low, high = _MULTITUDES[re.sub(r"\s+", " ", g["q"].lower())]
        return Count(low, None, high, unit)
    if how == "share":
        share = _SHARES.get(g["share"].lower())
        if share is None:
            m = re.match(r"(\d+)", g["share"])
            share = int(m.group(1)) / 100 if m else None
        if share is None:
            return None
        q = g.get("approx", "").lower()
        if q in ("not even", "less than", "fewer than", "under", "below"):
            return Count(None, None, None, unit, None, share)
        if q in ("more than", "over", "at least"):
            return Count(None, None, None, unit, share, None)
        return Count(None, None, None, unit, share, share)
    return Count(None, None, None, unit)  # "vague": words only


def find_counts(doc: Document, rules: RuleSet, hits: dict[str, int]) -> list[Proposal]:
    """Every count expression; where matches overlap, the rule earlier in the file wins."""
    units, nots = rules.of("count_unit"), rules.of("count_not")
    found: list[Proposal] = []
    for rule in rules.of("count"):
        for m in rule.regex.finditer(doc.text):
            stop = next((r for r in nots if r.regex.search(doc.text[max(0, m.start() - 40):m.start()])), None)
            if stop is not None:  # "home to 650,000 people", "a survey of 120 defectors"
                count_hit(hits, stop)
                continue
            groups = {k: doc.flat(m.start(k), m.end(k)) for k, v in m.groupdict().items() if v is not None}
            unit = str(rule.get("count_unit")) if rule.get("count_unit") else _unit(groups.get("unit"), units, hits)
            count = _count(rule, groups, unit)
            if count is None:
                continue
            value: dict[str, Any] = {"count_words": doc.flat(m.start(), m.end()), **count.as_dict()}
            if groups.get("unit"):
                value["noun"] = groups["unit"]
            found.append(Proposal("count", rule.id, m.start(), m.end(), value["count_words"], value))
    kept = overlap_free(found)
    for p in kept:
        hits[p.rule_id] = hits.get(p.rule_id, 0) + 1
    return kept
