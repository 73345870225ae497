"""Shared fixtures for the extraction tests: the rules that run by default (the reviewed ones in
rules/, as `nkcp extract` runs them without --include-proposed) with the real gazetteer, and a
helper that runs the extraction on an invented article with a given reference date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from tests.conftest import MINI, REPO

from nkcp.extract.engine import Context, Extraction, SourceFacts, extract, load_context
from nkcp.problems import Problems


@pytest.fixture(scope="session")
def ctx() -> Context:
    problems = Problems()
    context = load_context(REPO, problems)
    assert not problems, problems.as_text()
    return context


def run_on(ctx: Context, text: str, ref: tuple[str, str] | None = ("2021-04-16", "2021-04-16"),
           paraphrase: bool = False) -> Extraction:
    """Extract an invented article whose report date is `ref` (inclusive bounds)."""
    reference = (dt.date.fromisoformat(ref[0]), dt.date.fromisoformat(ref[1])) if ref else None
    return extract(text, SourceFacts("invented-article", "captures/invented.txt", reference, paraphrase), ctx)


@pytest.fixture
def extract_repo(tmp_path: Path) -> Path:
    """The miniature repository with the real schema and rules, for the `nkcp extract` command."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copytree(REPO / "rules", root / "rules")
    return root
