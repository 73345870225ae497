"""Record typing (records/parse.py): values typed from the raw YAML by the schema, so YAML 1.1
surprises, unknown or derived fields, and unexplained empty fields are reported with their line."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import MINI, REPO

from nkcp.problems import Problems
from nkcp.records.parse import parse_file_text
from nkcp.schema.model import load_schema

REG = load_schema(REPO)
EVENT = (MINI / "records/events/E0001.yaml").read_text(encoding="utf-8")
EVENTS = REG.tables["events"]


def _parse(text: str) -> tuple[dict[str, object], Problems]:
    problems = Problems()
    rows = parse_file_text(text, "records/events/E0001.yaml", "E0001", EVENTS, REG, problems)
    return (rows[0].values if rows else {}), problems


def test_the_fixture_event_is_typed() -> None:
    values, problems = _parse(EVENT)
    assert not problems, problems.as_text()
    assert values["date_start"] == dt.date(2021, 5, 1)
    assert values["count_best"] == 12 and type(values["count_best"]) is int
    assert values["event_type"] == "banishment"
    assert values["source_ids"] == ["mini-source"]


@pytest.mark.parametrize(("old", "new", "code"), [
    ("count_best: 12", "count_best: 012", "wrong-type"),  # octal in YAML 1.1
    ("count_best: 12", "count_best: '12'", "wrong-type"),  # a quoted number is text
    ("date_words: In May", "date_words: 2021", "yaml-implicit-type"),  # a number where text is meant
    ("date_words: In May", "date_words: on", "yaml-implicit-type"),  # a YAML 1.1 boolean where text is meant
    ("date_end: '2021-05-31'", "date_end: '2021-05'", "bad-date"),
    ("summary:", "sumary:", "unknown-field"),
    ("notes:", "source_count: 3\nnotes:", "derived-field"),
])
def test_a_wrong_value_is_reported_at_its_line(old: str, new: str, code: str) -> None:
    assert EVENT.count(old) == 1
    text = EVENT.replace(old, new)
    _, problems = _parse(text)
    line = text[: text.index(new)].count("\n") + 1
    assert (code, line) in {(p.code, p.line) for p in problems.items}, problems.as_text()


def test_unknown_field_names_the_nearest() -> None:
    _, problems = _parse(EVENT.replace("summary:", "sumary:"))
    assert any("did you mean: summary" in p.hint for p in problems.items), problems.as_text()


def test_every_wrong_value_of_a_record_is_reported_at_once() -> None:
    text = EVENT.replace("event_type: banishment", "event_type: banishmnet").replace("count_best: 12", "count_best: 012")
    _, problems = _parse(text)
    assert {"unknown-value", "wrong-type"} <= problems.codes()
