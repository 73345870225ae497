"""Typed values kept between records (records.parse_record): the same answer as typing anew,
problems reported every time, and nothing carried over from another schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import MINI, REPO, run_cli

from nkcp import records
from nkcp.problems import Problems
from nkcp.records.parse import parse_file_text
from nkcp.schema.model import load_schema

REG = load_schema(REPO)
TABLES = {table.records: table for table in REG.tables.values()}
FILES = sorted([*REPO.glob("records/*/*.yaml"), *MINI.glob("records/*/*.yaml")])
EVENT = (MINI / "records/events/E0001.yaml").read_text(encoding="utf-8")


def _rows(path: Path) -> list[tuple[object, ...]]:
    """A file's rows, each value with its type (True == 1 == 1.0, but a kept value must be the same)."""
    problems = Problems()
    table = TABLES[f"records/{path.parent.name}"]
    rows = parse_file_text(path.read_text(encoding="utf-8"), "x.yaml", path.stem, table, REG, problems)
    assert not problems, problems.as_text()
    return [(r.table, r.line, {k: (type(v), v) for k, v in r.values.items()}, r.lines) for r in rows]


def test_kept_values_give_the_rows_typing_anew_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    real_parse_value = records.parse_value

    def counted(*args: Any) -> Any:
        calls[0] += 1
        return real_parse_value(*args)

    monkeypatch.setattr(records, "parse_value", counted)
    monkeypatch.setattr(records, "KEPT_TEXT", -1)  # nothing is short enough to keep
    anew = [_rows(path) for path in FILES]
    typed_anew, calls[0] = calls[0], 0
    monkeypatch.setattr(records, "KEPT_TEXT", 64)
    REG.kept("typed scalars").clear()
    assert [_rows(path) for path in FILES] == anew
    calls[0] = 0
    assert [_rows(path) for path in FILES] == anew
    assert calls[0] < typed_anew / 2  # the second time most values came from the kept ones
    monkeypatch.setattr(records, "KEPT_MAX", 5)  # emptied again and again, between files
    assert [_rows(path) for path in FILES] == anew
    most_in_a_file = max(sum(len(values) for _, _, values, _ in rows) for rows in anew)
    assert 0 < len(REG.kept("typed scalars")) <= 5 + most_in_a_file


def test_a_wrong_value_is_reported_in_every_record() -> None:
    text = EVENT.replace("event_type: banishment", "event_type: banishmnet")
    for _ in range(2):
        problems = Problems()
        parse_file_text(text, "x.yaml", "E0001", TABLES["records/events"], REG, problems)
        assert [p.line for p in problems.items if p.code == "unknown-value"] == [5]


def test_a_value_kept_under_one_schema_is_typed_again_under_a_changed_one(mini_repo: Path) -> None:
    code, out = run_cli("validate", "--no-cache", "--root", str(mini_repo))
    assert code == 0, out  # event_type: banishment was typed and kept
    vocab = mini_repo / "schema" / "vocabularies.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("  banishment:", "  internal_exile:"),
                     encoding="utf-8")
    code, out = run_cli("validate", "--no-cache", "--root", str(mini_repo))
    assert code == 1
    assert "records/events/E0001.yaml:5: [unknown-value]" in out
