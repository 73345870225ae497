"""The `validate` and `format` verbs: every curated input read, typed and checked, nothing written."""

from __future__ import annotations

from pathlib import Path

from nkcp.problems import Problems
from nkcp.records.canonical import load_checked
from nkcp.records.checks import check_corpus
from nkcp.records.parse import Corpus
from nkcp.records.published import check_published
from nkcp.rules import claim_cues
from nkcp.schema.model import Schema, load_schema


def validate(root: Path, paths: list[Path] | None = None, reg: Schema | None = None) -> tuple[Corpus, Problems]:
    """Check every curated input (read-only). With paths, report only problems in those files.

    Every file is checked every time, because a change to one file can break another (a
    reference, a duplicate ID)."""
    reg = reg or load_schema(root)
    problems = Problems()
    corpus = load_checked(root, reg, problems)
    check_corpus(root, corpus, reg, problems, claim_cues(root, reg, problems))
    check_published(root, corpus, reg, problems)
    if paths:
        wanted = {p.resolve().relative_to(root.resolve()).as_posix() for p in paths}
        problems = Problems([p for p in problems.items if any(
            p.path == w or p.path.startswith(w.rstrip("/") + "/") for w in wanted)])
    return corpus, problems
