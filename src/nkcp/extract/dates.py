"""Dates: find date expressions and resolve them to inclusive bounds with a precision and a basis.

Relative expressions ("In June", "on the 17th", "Tuesday", "last month", "late last year") are
resolved against a reference: the day the speaker spoke when the article says so ("told RFA on
June 18") for words inside that speaker's quotations, else the date of the original report (or
of the capture when the original's is unknown), both taken from the capture's sidecar. A
reference known only within bounds widens the result instead of picking a day. A month or day
without a year is the most recent one on or before the reference; after "until" or "by" it is
the nearest one either way; after words of a plan ("will be held on", the `future` scope) the
next one on or after the reference. A resolved past date never runs past the reference (an act
cannot follow the report), and bounds are never midpoints. The expressions are rules
(`rules/dates.yaml`); each names its resolver here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from nkcp.extract.text import Document, Proposal, overlap_free
from nkcp.rules import Rule, RuleSet, count_hit

Day = dt.date
_MONTHS = {m.lower()[:3]: i for i, m in enumerate(calendar.month_name) if m}
_WEEKDAYS = {d.lower()[:3]: i for i, d in enumerate(calendar.day_name)}
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "a couple of": 2}
_VAGUE = {"a few": (2, 5), "few": (2, 5), "several": (3, 9), "some": (2, 9)}
_SCOPE_WINDOW = 48  # characters before a date searched by the date_scope rules


@dataclass(frozen=True)
class Resolved:
    """Inclusive bounds (start may be open for 'before the report'), precision and basis."""

    start: Day | None
    end: Day | None
    precision: str
    basis: str

    def as_dict(self) -> dict[str, str]:
        out = {"precision": self.precision, "basis": self.basis}
        if self.start is not None:
            out["date_start"] = self.start.isoformat()
        if self.end is not None:
            out["date_end"] = self.end.isoformat()
        return out


Reference = tuple[Day, Day]


@dataclass
class DateHit:
    """A date expression found by a rule; resolved later, once the reference is known."""

    start: int
    end: int
    words: str
    rule: Rule
    groups: dict[str, str]
    scope: str | None = None
    resolved: Resolved | None = None
    reference: str = "document"  # document | speaker
    spoken: bool = False  # the day a speaker spoke ("told RFA on June 18"), set by the engine

    def proposal(self) -> Proposal:
        value: dict[str, object] = {"reference": self.reference}
        if self.spoken:
            value["spoken"] = True
        if self.scope:
            value["scope"] = self.scope
        if self.resolved is not None:
            value.update(self.resolved.as_dict())
        return Proposal("date", self.rule.id, self.start, self.end, self.words, value)


def month_end(year: int, month: int) -> Day:
    return Day(year, month, calendar.monthrange(year, month)[1])


def precision_for(start: Day, end: Day) -> str:
    """The narrowest precision of the vocabulary that agrees with the bounds."""
    span = (end - start).days
    if span == 0:
        return "day"
    if start.day == 1 and end == month_end(start.year, start.month):
        return "month"
    if (start.year, start.month) == (end.year, end.month):
        return "part_of_month" if span > 6 else "days"
    if span <= 6:
        return "days"
    if span <= 92:
        return "season"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return "year"
    return "years"


def find_dates(doc: Document, rules: RuleSet, hits: dict[str, int]) -> list[DateHit]:
    """Every date expression, the first rule (in file order) winning where matches overlap."""
    found: list[tuple[Proposal, DateHit]] = []
    for rule in rules.of("date"):
        for m in rule.regex.finditer(doc.text):
            hit = DateHit(m.start(), m.end(), doc.flat(m.start(), m.end()), rule,
                          {k: v for k, v in m.groupdict().items() if v is not None})
            found.append((Proposal("date", rule.id, m.start(), m.end(), hit.words), hit))
    kept = {id(p) for p in overlap_free([p for p, _ in found])}
    out = [h for p, h in found if id(p) in kept]
    scopes = rules.of("date_scope")
    for hit in out:
        count_hit(hits, hit.rule)
        before = doc.text[max(0, hit.start - _SCOPE_WINDOW):hit.start]
        for rule in scopes:
            if rule.regex.search(before):
                hit.scope = str(rule.get("scope"))
                count_hit(hits, rule)
                break
    return sorted(out, key=lambda h: h.start)


def resolve(hit: DateHit, ref: Reference | None) -> Resolved | None:
    """Bounds for the expression against the reference bounds (None when it cannot be resolved).

    The expression is resolved against the earliest and the latest reference day and the two
    results are joined, so an uncertain reference widens the bounds instead of choosing a day.
    """
    name = str(hit.rule.get("resolve"))
    if ref is None:
        return None if name in _RELATIVE else _RESOLVERS[name](hit, None)
    func = _RELATIVE.get(name) or _RESOLVERS[name]
    first, last = func(hit, ref[0]), func(hit, ref[1])
    if first is None or last is None:
        return None
    start = None if first.start is None or last.start is None else min(first.start, last.start)
    end = None if first.end is None or last.end is None else max(first.end, last.end)
    past = first.basis == "stated_relative" and hit.rule.get("direction") != "future" and hit.scope not in ("until", "future")
    if past and end is not None:
        end = min(end, ref[1])
    if hit.scope == "since" and start is not None:
        end = ref[1]
    if start is not None and end is not None and start > end:
        return None
    precision = "before_report" if start is None or end is None else precision_for(start, end)
    return Resolved(start, end, precision, first.basis)


# Resolvers: each takes the hit and one reference day (None for absolute dates)
def _month(hit: DateHit) -> int:
    return _MONTHS[hit.groups["month"].lower()[:3]]


def _year(hit: DateHit, ref: Day | None, month: int, day: int = 0) -> int | None:
    """The year of a month (day 0) or of a day given without one, from the reference and the scope."""
    if "year" in hit.groups:
        return int(hit.groups["year"])
    if ref is None:
        return None
    if hit.scope == "future":  # "will be held on June 25" ("in June"): the next such day (month) from the reference
        return ref.year if (month, day) >= (ref.month, ref.day if day else 0) else ref.year + 1
    past = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    if hit.scope == "until" or hit.rule.get("direction") == "nearest":
        future = past + 1
        if abs((Day(future, month, 1) - ref).days) < abs((Day(past, month, 1) - ref).days):
            return future
    return past


def _day_of(hit: DateHit, ref: Day | None) -> Resolved | None:
    month = _month(hit) if "month" in hit.groups else None
    day = int(hit.groups["day"])
    if month is None:  # "on the 17th": the most recent 17th
        if ref is None:
            return None
        year, month = (ref.year, ref.month) if day <= ref.day else _previous_month(ref)
        if hit.scope == "future":
            year, month = (ref.year, ref.month) if day >= ref.day else _next_month(ref)
    else:
        found = _year(hit, ref, month, day)
        if found is None:
            return None
        year = found
    try:
        d = Day(year, month, day)
    except ValueError:
        return None
    return Resolved(d, d, "day", "stated" if "year" in hit.groups else "stated_relative")


def _previous_month(ref: Day) -> tuple[int, int]:
    return (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)


def _next_month(ref: Day) -> tuple[int, int]:
    return (ref.year, ref.month + 1) if ref.month < 12 else (ref.year + 1, 1)


def _month_of(hit: DateHit, ref: Day | None) -> Resolved | None:
    month = _month(hit)
    year = _year(hit, ref, month)
    if year is None:
        return None
    start, end = Day(year, month, 1), month_end(year, month)
    start, end = _part_of(hit, start, end)
    return Resolved(start, end, "month", "stated" if "year" in hit.groups else "stated_relative")


def _part_of(hit: DateHit, start: Day, end: Day) -> tuple[Day, Day]:
    """The part of the month or year the hit names (its `part` group, else its rule's `part`), if any.

    Early/mid/late (and beginning/middle/end) of a month: thirds; of a year: the first or last
    quarter for early/late, the first or last month for 'the beginning/end of' (the codebook reads
    "the beginning of the year" as inside one month), June to August for the middle."""
    part = hit.groups.get("part") or hit.rule.get("part")
    if not part:
        return start, end
    p = re.sub(r"^the\s+", "", str(part).lower())
    key = "early" if p.startswith(("early", "begin", "start")) else "late" if p.startswith(("late", "end")) else "mid"
    if start.month == end.month:
        ranges = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}
        a, b = ranges[key]
        return start.replace(day=a), start.replace(day=b)
    year = start.year
    if p.startswith(("begin", "start")):
        return Day(year, 1, 1), Day(year, 1, 31)
    if p.startswith("end"):
        return Day(year, 12, 1), Day(year, 12, 31)
    if key == "early":
        return Day(year, 1, 1), Day(year, 3, 31)
    if key == "late":
        return Day(year, 10, 1), Day(year, 12, 31)
    return Day(year, 6, 1), Day(year, 8, 31)


def _year_of(hit: DateHit, ref: Day | None) -> Resolved | None:
    rel = (hit.groups.get("rel") or "").lower()
    if "year" in hit.groups:
        year, basis = int(hit.groups["year"]), "stated"
    elif ref is None:
        return None
    else:
        year, basis = ref.year + (-1 if "last" in rel or "past" in rel else 1 if "next" in rel else 0), "stated_relative"
    start, end = Day(year, 1, 1), Day(year, 12, 31)
    if "month" in hit.groups:
        month = _month(hit)
        start, end = Day(year, month, 1), month_end(year, month)
    start, end = _part_of(hit, start, end)
    return Resolved(start, end, "year", basis)


def _relative_month(hit: DateHit, ref: Day) -> Resolved | None:
    rel = (hit.groups.get("rel") or "this").lower()
    year, month = ref.year, ref.month
    if "last" in rel or "past" in rel:
        year, month = _previous_month(ref)
    elif "next" in rel:
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    start, end = Day(year, month, 1), month_end(year, month)
    start, end = _part_of(hit, start, end)
    return Resolved(start, end, "month", "stated_relative")


def _relative_week(hit: DateHit, ref: Day) -> Resolved | None:
    monday = ref - dt.timedelta(days=ref.weekday())
    rel = (hit.groups.get("rel") or "this").lower()
    if "last" in rel or "past" in rel:
        return Resolved(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "days", "stated_relative")
    return Resolved(monday, monday + dt.timedelta(days=6), "days", "stated_relative")


def _weekday(hit: DateHit, ref: Day) -> Resolved | None:
    target = _WEEKDAYS[hit.groups["weekday"].lower()[:3]]
    back = (ref.weekday() - target) % 7
    if back == 0 and "last" in (hit.groups.get("rel") or "").lower():
        back = 7
    d = ref - dt.timedelta(days=back)
    if hit.scope == "future":  # "will be held on Friday": the next Friday after the reference
        d = ref + dt.timedelta(days=(target - ref.weekday()) % 7 or 7)
    return Resolved(d, d, "day", "stated_relative")


def _relative_day(hit: DateHit, ref: Day) -> Resolved | None:
    word = hit.groups.get("word", "today").lower()
    back = 2 if "before" in word else 1 if "yesterday" in word or "last night" in word else 0
    d = ref - dt.timedelta(days=back)
    return Resolved(d, d, "day", "stated_relative")


def _ago(hit: DateHit, ref: Day) -> Resolved | None:
    n_word = hit.groups["n"].lower()
    low, high = _VAGUE.get(n_word, (0, 0))
    if not high:
        n = int(n_word) if n_word.isdigit() else _SMALL.get(n_word, 0)
        if not n:
            return None
        low = high = n
    unit = hit.groups["unit"].lower()
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit.rstrip("s")]
    start, end = ref - dt.timedelta(days=high * days + (days - 1 if days > 1 else 0)), ref - dt.timedelta(days=low * days)
    return Resolved(start, end, "days", "stated_relative")


def _before_report(hit: DateHit, ref: Day) -> Resolved | None:
    return Resolved(None, ref, "before_report", "stated_relative")


def _iso(hit: DateHit, ref: Day | None) -> Resolved | None:
    try:
        d = Day(int(hit.groups["year"]), int(hit.groups["mnum"]), int(hit.groups["day"]))
    except ValueError:
        return None
    return Resolved(d, d, "day", "stated")


_SEASONS = {"spr": 3, "sum": 6, "aut": 9, "fal": 9, "win": 12}  # first month; each season lasts three


def _season_in(hit: DateHit, year: int) -> tuple[Day, Day]:
    """The season of a year (a winter is named by the year its December falls in)."""
    first = _SEASONS[hit.groups["season"].lower()[:3]]
    last_year, last = (year + 1, 2) if first == 12 else (year, first + 2)
    return Day(year, first, 1), month_end(last_year, last)


def _season_of_year(hit: DateHit, ref: Day | None) -> Resolved | None:
    """A season of a stated or relative year (the autumn of 2022, the spring of last year)."""
    if "year" in hit.groups:
        return Resolved(*_season_in(hit, int(hit.groups["year"])), "season", "stated")
    if ref is None:
        return None
    rel = hit.groups.get("rel", "this").lower()
    year = ref.year + (-1 if rel == "last" else 1 if rel == "next" else 0)
    return Resolved(*_season_in(hit, year), "season", "stated_relative")


def _season(hit: DateHit, ref: Day) -> Resolved | None:
    """Last summer: the most recent one ended before the reference; this (or the) summer: the most
    recent one begun on or before it; next summer: the first one begun after it."""
    rel = (hit.groups.get("rel") or "this").lower()
    year = ref.year + 1
    while _season_in(hit, year)[0] > ref:
        year -= 1
    if "last" in rel and _season_in(hit, year)[1] >= ref:
        year -= 1
    if "next" in rel:
        year += 1
    return Resolved(*_season_in(hit, year), "season", "stated_relative")


def _span(hit: DateHit, ref: Day | None) -> Resolved | None:
    """From one month or year to another (between 2021 and 2023, from March to May this year): the
    end's year as stated, else the most recent such month on or before the reference."""
    if "month" not in hit.groups:
        first_year, last_year = int(hit.groups["year"]), int(hit.groups["year2"])
        return Resolved(Day(first_year, 1, 1), Day(last_year, 12, 31), "years", "stated") if first_year <= last_year else None
    first, last = _month(hit), _MONTHS[hit.groups["month2"].lower()[:3]]
    stated = "year2" in hit.groups or "year" in hit.groups
    if "year2" in hit.groups:
        end_year = int(hit.groups["year2"])
    elif "rel" in hit.groups and ref is not None:
        end_year = ref.year + (-1 if hit.groups["rel"].lower() == "last" else 0)
    elif ref is not None:
        end_year = ref.year if last <= ref.month else ref.year - 1
    else:
        return None
    start_year = int(hit.groups["year"]) if "year" in hit.groups else end_year - (first > last)
    start, end = Day(start_year, first, 1), month_end(end_year, last)
    return Resolved(start, end, precision_for(start, end), "stated" if stated else "stated_relative") if start <= end else None


def _past(hit: DateHit, ref: Day) -> Resolved | None:
    """Over the past two years (the past 18 months, the last year): from that day back to the reference."""
    n_word = (hit.groups.get("n") or "one").lower()
    n = int(n_word) if n_word.isdigit() else _VAGUE.get(n_word, (0, _SMALL.get(n_word, 0)))[1]
    unit = hit.groups["unit"].lower().rstrip("s")
    if not n:
        return None
    if unit in ("day", "week"):
        start = ref - dt.timedelta(days=n * (7 if unit == "week" else 1))
    else:
        months = ref.year * 12 + ref.month - 1 - n * {"month": 1, "year": 12, "decade": 120}[unit]
        year, month = divmod(months, 12)
        start = Day(year, month + 1, min(ref.day, calendar.monthrange(year, month + 1)[1]))
    return Resolved(start, ref, precision_for(start, ref), "stated_relative")


# Resolvers that work without a reference day (for dates stated in full) and those that need one.
_RESOLVERS: dict[str, Callable[[DateHit, Day | None], Resolved | None]] = {
    "day": _day_of, "month": _month_of, "year": _year_of, "iso": _iso, "season_of_year": _season_of_year, "span": _span}
_RELATIVE: dict[str, Callable[[DateHit, Day], Resolved | None]] = {
    "relative_month": _relative_month, "relative_week": _relative_week, "weekday": _weekday,
    "relative_day": _relative_day, "ago": _ago, "before_report": _before_report, "season": _season, "past": _past}
RESOLVERS = ("day", "month", "year", *_RELATIVE, "iso", "season_of_year", "span")
