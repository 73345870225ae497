"""The one-pass parser of canonical files (io.parse_canonical) against libyaml (io.parse_yaml).

Its result is used only when the rows it gives write back to the same text; these tests hold
that guard to its promise: whenever the fast path accepts a text, the full path gives the same
rows, lines and all, and no problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.conftest import MINI, REPO

from nkcp import io
from nkcp.canonical_rows import canonical_rows
from nkcp.problems import Problems
from nkcp.records import parse_file_text
from nkcp.registry import load_registry

REG = load_registry(REPO)
FILES = sorted([*REPO.glob("records/*/*.yaml"), *REPO.glob("sources/*.yaml"),
                *MINI.glob("records/*/*.yaml"), *MINI.glob("sources/*.yaml")])
TABLES = {table.records: table for table in REG.tables.values()}


def _table(path: Path) -> str:
    return "sources" if path.parent.name == "sources" else f"records/{path.parent.name}"


def _slow(text: str, path: Path) -> tuple[list[tuple[object, ...]], Problems]:
    problems = Problems()
    rows = parse_file_text(text, "x.yaml", path.stem, TABLES[_table(path)], REG, problems)
    return [(r.table, r.line, r.values, r.lines) for r in rows], problems


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_curated_file_reads_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = io.parse_canonical(text)
    assert fast is not None, "curated files are canonical"
    assert fast == io.parse_yaml(text, "x.yaml", Problems())


_WORDS = st.sampled_from(["no", "on", "010", "2020-06", "1:20", ".inf", "~", "null", "a: b", "x #y", "'q'",
                          "it's", "- x", "@x", "[a]", "{b}", "*ref", "&a", "!tag", "%", "|", ">", "ok",
                          "Sinŭiju", "신의주", "", " ", ",", ", ", "\"", "#", "true", "0x1F", "1e3", "2020-06-07"])
_TEXT = st.lists(_WORDS, max_size=4).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), path=st.sampled_from(FILES))
def test_whenever_the_fast_path_accepts_the_full_path_agrees(data: st.DataObject, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    i = data.draw(st.integers(0, len(lines) - 2))
    key, sep, _ = lines[i].partition(": ")
    if sep and data.draw(st.booleans()):
        lines[i] = key + sep + data.draw(_TEXT)
    else:
        lines[i] = data.draw(st.sampled_from(["", "  ", "# c", "---", lines[i] + " ", "x: [a, 'b, c']",
                                              lines[i].lstrip(), "  " + lines[i], lines[i]]))
    text = "\n".join(lines)
    table = TABLES[_table(path)]
    fast = canonical_rows(text, "x.yaml", path.stem, table, REG)
    if fast is None:
        return
    rows, problems = _slow(text, path)
    assert not problems, problems.as_text()
    assert [(r.table, r.line, r.values, r.lines) for r in fast] == rows


def test_deep_indentation_is_left_to_the_full_parser() -> None:
    text = "".join("  " * i + "a:\n" for i in range(900)) + "  " * 900 + "a: b\n"
    assert io.parse_canonical(text) is None
    problems = Problems()
    assert io.parse_yaml(text, "x.yaml", problems) is None
    assert "yaml-too-deep" in problems.codes()


@pytest.mark.parametrize("item", ["Pyongyang, the capital", "P [old]", "a{b}", "x]"])
def test_flow_list_items_with_flow_indicators_are_quoted(item: str) -> None:
    import yaml

    text = io.dump_canonical({"aliases": [item, "plain"]})
    assert yaml.safe_load(text) == {"aliases": [item, "plain"]}


_PIECES = st.sampled_from([*":?,[]{}#&*!|>'\"%@`- \\", "a", "b", "ŏ", "1", ":?", ": ", " #", "''", "- ", "? "])
_INDICATORS = st.lists(_PIECES, min_size=1, max_size=5).map("".join)


@settings(max_examples=1500, deadline=None)
@given(items=st.lists(_INDICATORS, min_size=1, max_size=3), text=_INDICATORS)
@example(items=["a:?b"], text="a")
def test_what_the_writer_writes_libyaml_reads_as_written(items: list[str], text: str) -> None:
    """The canonical check rests on this: libyaml reads what dump_canonical writes as the values
    written, in flow lists (where a colon before ? once broke it) and on a key's line."""
    import yaml

    data = {"aliases": items, "notes": text}
    assert yaml.load(io.dump_canonical(data), Loader=yaml.CSafeLoader) == data
