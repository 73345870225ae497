"""The card's fixed sentences: the dataset's known biases and what counts as an event.

Each restates a rule written elsewhere (README "How to read the data honestly", records/README.md,
the vocabularies), kept here once so that the static card and the release archive's README say
the same thing.
"""

BIASES = (
    "Few outlets: every event comes from English-language news reports, most of them from a handful "
    "of outlets (Radio Free Asia, Daily NK and their republications).",
    "Informants inside North Korea cannot be named or checked; the outlets' own caveats are kept in "
    "the records' notes and in claim_status.",
    "A republication or a machine rewrite of a story is not a new witness: sources.independence_group "
    "ties copies to their original, and events.independent_group_count counts groups, not articles.",
    'Hedged words ("word going round", "may be") are coded as rumours, not reports.',
)

INCLUSION = (
    "An event is a reported act of collective punishment in North Korea against the family of a person "
    "who left the country, or a reported policy or practice of it, coded only from what its sources say "
    "(records/README.md); an act the sources present as part of a larger one is its own event with a parent.",
    "Every coded fact has at least one evidence span: the verbatim words of a source, located by character "
    "offsets in a capture whose SHA-256 is recorded, stated or inferred with the reasoning.",
    "Dates are inclusive bounds (date_start, date_end) with a precision, never invented midpoints; "
    "an empty cell means unknown, with the reason in unknown_reasons.",
    "Counts are as reported (count_low, count_best, count_high); the count of a part can be inside its "
    "parent's (is_count_in_parent), so sum only where that is not true.",
    "No names of private people inside North Korea; a group of fewer than 10 families or people is located "
    "no more precisely than its county.",
)
