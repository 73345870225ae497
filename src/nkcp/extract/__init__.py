"""Extraction rules: draft records from a new article, for a person to review.

`nkcp extract CAPTURE` runs the hand-reviewed rules in `rules/*.yaml` over a capture and writes
draft quotations, draft events and a list of every proposal (with the id of the rule and the
character span that produced it) into `drafts/<source_id>/`. Nothing here decides a fact: the
drafts carry `record_status: draft`, which the build refuses until a person has checked them.

Modules, one concern each: `rules` (loading and testing the rule files), `text` (paragraphs,
sentences, quotation masks), `quotes`, `speakers`, `places`, `dates`, `counts`, `cues`,
`duplicates` (the extractors), `engine` (runs them in order), `draft` (records and proposals
files), `metrics` (comparison with the hand-curated records).
"""
