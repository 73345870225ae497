"""Property-based tests: random mutations of real records are accepted unchanged or refused with
located problems, and never raise.

Mutations are made at two levels, to the miniature fixture's records and to the curated records
of the repository (copied once per module, so work in progress elsewhere is not touched):

- bytes: characters, YAML indicators, YAML 1.1 words, control, bidi and zero-width characters
  and raw bytes inserted, spans deleted, lines duplicated, swapped or re-indented;
- values: a field set to a random value (text, integers of any size, booleans, floats, dates,
  lists, mappings, vocabulary values), removed, or an unknown field added; the record is then
  written by the canonical writer.

After each mutation `validate` must return. Either every problem has a path, a line >= 1 and a
code (and the three report formats render, with one line or object per problem), or nothing is
wrong, the file is canonical, and for value mutations the parsed record equals the record that
was written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import MINI, REPO

from nkcp.io.yaml_nodes import dump_canonical
from nkcp.records.canonical import canonical_text_of, rows_by_file
from nkcp.records.parse import canonical_record
from nkcp.records.run import validate
from nkcp.schema.model import load_schema

REG = load_schema(REPO)
FOLDERS = {t.records: t for t in REG.tables.values()}
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def record_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for folder in FOLDERS for p in (root / folder).glob("*.yaml"))


MINI_FILES = record_files(MINI)
REAL_FILES = record_files(REPO)

TOKENS = [":", ": ", "- ", "? ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!", "!!python/object:os.system ", "|",
          ">", "'", '"', "%", "@", "`", "~", "<<: ", "---\n", "...\n", "%YAML 1.1\n", "\n", "  ", "\t", "\r", "\r\n",
          "\x00", "\x1b", "\x85", "\u2028", "\u202e", "\u200b", "\ufeff", "\u0301", "é", "평", "yes", "no", "on",
          "off", "010", "0x1F", "1_000", "2020-06", "2021-05-01", "1:20", ".inf", ".nan", "null", "=", "+", "-",
          "=cmd|' /C calc'!A0", "9" * 30, "\\u202e", '"\\0"']

_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _copy(src: Path, dst: Path) -> Path:
    for name in ("schema", "sources", "records", "captures"):
        if (src / name).is_dir():
            shutil.copytree(src / name, dst / name, ignore=shutil.ignore_patterns("golden"))
    if not (dst / "schema").is_dir():
        shutil.copytree(REPO / "schema", dst / "schema")
    return dst


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(MINI, tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(REPO, tmp_path_factory.mktemp("real"))


class Edited:
    """Write a file for one example and put the original back afterwards."""

    def __init__(self, root: Path, rel: str, data: bytes) -> None:
        self.path, self.data = root / rel, data
        self.original = self.path.read_bytes()

    def __enter__(self) -> Edited:
        self.path.write_bytes(self.data)
        return self

    def __exit__(self, *exc: object) -> None:
        self.path.write_bytes(self.original)


def outcome(root: Path, rel: str) -> tuple[bool, Any]:
    """Validate; assert the problems are located. Returns (accepted, corpus)."""
    corpus, problems = validate(root)
    for p in problems:
        assert p.path and p.line >= 1 and CODE.match(p.code), p
    reported = list(problems)
    for report in (problems.as_text(), problems.as_github()):  # one line per problem, printable
        assert len(report.encode("utf-8").splitlines()) == len(reported)
    assert len(json.loads(problems.as_json().encode("utf-8"))) == len(reported)
    if problems:
        return False, corpus
    assert canonical_text_of(rows_by_file(corpus).get(rel, []), REG) == (root / rel).read_text(encoding="utf-8")
    return True, corpus


# --------------------------------------------------------------------------------------------
# Byte-level mutations
# --------------------------------------------------------------------------------------------
@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["insert", "insert-bytes", "delete", "duplicate-line", "swap-lines", "indent"]))
        lines = data.split(b"\n")
        if op == "insert":
            at = draw(st.integers(0, len(data)))
            token = draw(st.sampled_from(TOKENS) | st.text(min_size=1, max_size=4))
            data = data[:at] + token.encode("utf-8") + data[at:]
        elif op == "insert-bytes":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
        elif op == "delete" and data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + data[at + draw(st.integers(1, 12)):]
        elif op == "duplicate-line":
            i = draw(st.integers(0, len(lines) - 1))
            data = b"\n".join(lines[: i + 1] + lines[i:])
        elif op == "swap-lines" and len(lines) > 2:
            i = draw(st.integers(0, len(lines) - 2))
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
            data = b"\n".join(lines)
        elif op == "indent":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = (b"  " + lines[i]) if draw(st.booleans()) else lines[i][1:]
            data = b"\n".join(lines)
    return data


def check_bytes(root: Path, rel: str, data: Any) -> None:
    mutated = data.draw(byte_mutation((root / rel).read_bytes()))
    with Edited(root, rel, mutated):
        outcome(root, rel)


@_SETTINGS
@given(data=st.data(), rel=st.sampled_from(MINI_FILES))
def test_byte_mutations_of_fixture(mini: Path, data: st.DataObject, rel: str) -> None:
    check_bytes(mini, rel, data)


@settings(_SETTINGS, max_examples=40)
@given(data=st.data(), rel=st.sampled_from(REAL_FILES or MINI_FILES))
def test_byte_mutations_of_curated_records(real: Path, data: st.DataObject, rel: str) -> None:
    check_bytes(real, rel, data)


# --------------------------------------------------------------------------------------------
# Value-level mutations
# --------------------------------------------------------------------------------------------
VOCABULARY = sorted({v for voc in REG.vocabularies.values() for v in voc.values})
WORDS = st.from_regex(r"\A[A-Za-z][A-Za-z0-9 ,.'()]{0,30}[A-Za-z.]\Z")
SCALARS = (st.text(max_size=20) | WORDS | st.sampled_from(VOCABULARY + TOKENS) | st.integers(-(2**70), 2**70)
           | st.integers(0, 500) | st.booleans() | st.floats(allow_nan=False, allow_infinity=False)
           | st.dates(dt.date(1, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat))
VALUES = SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(st.sampled_from(list(REG.fields)) | WORDS, WORDS,
                                                                    max_size=2)


@st.composite
def value_mutation(draw: st.DrawFn, text: str, rel: str) -> tuple[dict[str, Any], dict[str, Any]]:
    doc: dict[str, Any] = yaml.safe_load(text)  # a trusted fixture or curated file
    table = FOLDERS[rel.rsplit("/", 1)[0]]
    record = draw(st.sampled_from(doc[table.name])) if table.grouped_by else doc
    op = draw(st.sampled_from(["set", "set", "set", "delete", "add"]))
    if op == "add":
        record[draw(st.sampled_from(list(REG.fields)) | WORDS)] = draw(VALUES)
    elif op == "delete":
        del record[draw(st.sampled_from(sorted(record)))]
    else:
        record[draw(st.sampled_from(sorted(record)))] = draw(VALUES)
    return doc, record


def check_values(root: Path, rel: str, data: Any) -> None:
    table = FOLDERS[rel.rsplit("/", 1)[0]]
    doc, record = data.draw(value_mutation((root / rel).read_text(encoding="utf-8"), rel))
    with Edited(root, rel, dump_canonical(doc).encode("utf-8")):
        accepted, corpus = outcome(root, rel)
        if not accepted:
            return
        rows = [r for r in corpus.rows[table.name] if r.path == rel]
        parsed = [canonical_record(r, REG) for r in rows]
        written = doc[table.name] if table.grouped_by else [doc]
        assert parsed == written, "accepted, but the record read back differs from the record written"
        assert record in written


@settings(_SETTINGS, max_examples=80)
@given(data=st.data(), rel=st.sampled_from(MINI_FILES))
def test_value_mutations_of_fixture(mini: Path, data: st.DataObject, rel: str) -> None:
    check_values(mini, rel, data)


@settings(_SETTINGS, max_examples=40)
@given(data=st.data(), rel=st.sampled_from(REAL_FILES or MINI_FILES))
def test_value_mutations_of_curated_records(real: Path, data: st.DataObject, rel: str) -> None:
    check_values(real, rel, data)


def test_unchanged_records_are_accepted(mini: Path) -> None:
    """The baseline the properties start from: the fixture copy validates cleanly."""
    for rel in MINI_FILES:
        assert outcome(mini, rel)[0], rel

