"""Provenance flags that must agree between a quotation and the copy it was taken from, and the
dates of an original and its republication.

A quotation taken from a machine-paraphrased copy is marked as such exactly when its source is
one; a quotation can only be cut by the publisher where the publisher's page lost text; an
original cannot have been published after the copy that republishes it.
"""

from __future__ import annotations

from nkcp.problems import Problems
from nkcp.records.parse import Corpus, Row


def check_provenance(corpus: Corpus, index: dict[str, dict[str, Row]], problems: Problems) -> None:
    for row in corpus.rows.get("sources", []):
        original, published = row.get("original_date_start"), row.get("publication_date_end")
        if original is not None and published is not None and original > published:
            problems.add(row.path, row.line_of("original_date_start"), "original-after-republication",
                         f"original_date_start {original} is after publication_date_end {published}: "
                         "the original cannot appear after this copy of it",
                         "check both dates: a republication is never older than its original")
    for row in corpus.rows.get("quotes", []):
        source = index.get("sources", {}).get(row.get("source_id") or "")
        if source is None:
            continue
        qid, sid = row.get("quote_id"), source.get("source_id")
        paraphrased, copied = bool(source.get("is_machine_paraphrase")), row.get("is_from_paraphrased_copy")
        if copied is not None and copied != paraphrased:
            problems.add(row.path, row.line_of("is_from_paraphrased_copy"), "paraphrase-flag-mismatch",
                         f"{qid}: is_from_paraphrased_copy is {str(copied).lower()}, but {sid} has "
                         f"is_machine_paraphrase {str(paraphrased).lower()}",
                         "a quotation is from a paraphrased copy exactly when its source is one")
        if row.get("is_cut_by_publisher") and not source.get("is_truncated_by_publisher"):
            problems.add(row.path, row.line_of("is_cut_by_publisher"), "cut-without-truncation",
                         f"{qid}: is_cut_by_publisher is true, but {sid} is not is_truncated_by_publisher",
                         "mark the source is_truncated_by_publisher: true, or the quotation false")
