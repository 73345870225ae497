"""What an event claims must follow from what it records: corroboration from its sources, a count
of none from words that say a number, the main act from the severity order.

The number of independent source groups is computed from the sources an event cites and their
independence_group, as the build derives it (outputs/derive.py); nothing a record says about it
is trusted.
"""

from __future__ import annotations

import re

from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row
from nkcp.schema.model import Schema

COUNTS = ("count_low", "count_best", "count_high")
# Words that state a number, a count of none included ("no families", "none"); "several" is not one.
NUMBER_WORDS = re.compile(
    r"\b(zero|none|no|nil|nobody|nothing|single|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundreds?|thousands?|millions?|dozens?|couple|pair)\b", re.IGNORECASE)


def independent_groups(event: Row, sources: dict[str, Row]) -> set[str]:
    """The independence groups of the sources an event cites (those that exist)."""
    return {str(sources[s].get("independence_group")) for s in event.get("source_ids") or [] if s in sources}


def states_a_number(words: str) -> bool:
    return bool(re.search(r"\d", words) or NUMBER_WORDS.search(words))


def check_claims(corpus: Corpus, reg: Schema, index: dict[str, dict[str, Row]], problems: Problems) -> None:
    severity = {name: int(spec["severity"]) for name, spec in reg.vocabularies["event_type"].values.items()}
    for row in corpus.rows.get("events", []):
        eid = row.get("event_id")
        if row.get("claim_status") == "corroborated":
            groups = independent_groups(row, index.get("sources", {}))
            if len(groups) < 2:
                problems.add(row.path, row.line_of("claim_status"), "corroboration-unsupported",
                             f"{eid} is 'corroborated', but its sources are {len(groups)} independent group(s)"
                             f" ({', '.join(sorted(groups)) or 'none'})",
                             "corroborated needs sources of two or more independence groups; code it 'reported'")
        words = str(row.get("count_words") or "")
        for name in COUNTS:
            if row.get(name) == 0 and not states_a_number(words):
                problems.add(row.path, row.line_of(name), "zero-count-without-number",
                             f"{eid} {name} is 0, but its count_words ({words or 'none'}) state no number",
                             "omit the count when the source gives none; 0 needs words such as 'no families'")
        _check_types(row, severity, problems)


def _check_types(row: Row, severity: dict[str, int], problems: Problems) -> None:
    main, others = row.get("event_type"), row.get("other_event_types") or []
    if main is None:
        return
    if main in others:
        problems.add(row.path, row.line_of("other_event_types"), "event-type-repeated",
                     f"other_event_types repeats the event_type {main!r}",
                     "list each act once: the main one in event_type, the rest in other_event_types")
    worst = min(others, key=lambda t: severity.get(t, len(severity)), default=main)
    if severity.get(worst, len(severity)) < severity.get(main, len(severity)):
        problems.add(row.path, row.line_of("event_type"), "event-type-not-most-severe",
                     f"event_type {main!r} (severity {severity[main]}) is less severe than {worst!r} "
                     f"(severity {severity[worst]}) in other_event_types",
                     f"make {worst!r} the event_type and list {main!r} among other_event_types")
