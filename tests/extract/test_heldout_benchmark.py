"""The held-out benchmark script keeps running (on one article, so it cannot rot), and its gold files
and engine checks fail with clear messages; its figures are not asserted here (the script prints them)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from tests.conftest import REPO

SCRIPT = REPO / "benchmarks" / "heldout.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("heldout_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_runs_on_one_article() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--only", "01_rfa_hyesan_exile", "--details"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [line.split()[0] for line in done.stdout.splitlines() if line[:3] in ("01_", "all")]
    assert rows == ["01_rfa_hyesan_exile", "all"]
    assert "quote recall" in done.stdout and "event types" in done.stdout


def test_every_gold_file_loads() -> None:
    heldout = _module()
    golds = sorted((REPO / "benchmarks" / "heldout").glob("*.gold.yaml"))
    assert len(golds) == 10
    for path in golds:
        gold, text = heldout.load_gold(path, REPO)
        assert text and gold["quotations"]


def test_gold_words_not_in_the_article_are_refused_with_file_and_line(tmp_path: Path) -> None:
    heldout = _module()
    folder = tmp_path / "benchmarks" / "heldout"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("Thirty families were exiled last month, a resident said.\n", encoding="utf-8")
    (folder / "a.gold.yaml").write_text(
        "article: a.txt\npublication_date: '2024-03-14'\nquotations: []\ncounts:\n"
        "  - words: forty families\n    unit: families\n    low: null\n    best: 40\n    high: null\n"
        "dates:\n  - words: last month\n    start: '2024-02-01'\n", encoding="utf-8")
    with pytest.raises(heldout.Unusable) as err:
        heldout.load_gold(folder / "a.gold.yaml", tmp_path)
    message = str(err.value)
    assert "benchmarks/heldout/a.gold.yaml:5: counts[0].words 'forty families' is not words of a.txt" in message
    assert "a.gold.yaml:11: dates[0] needs start and end" in message


def test_a_missing_engine_field_is_named() -> None:
    heldout = _module()
    with pytest.raises(heldout.Unusable, match="the engine's count proposal has no field 'count_best'"):
        heldout.need({}, "count_best", "count proposal")
