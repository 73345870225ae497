"""The io layer: bounded reads, the text hazards judged alike on raw lines and on escaped values,
the canonical writer read back by libyaml as the same values, and atomic output replacement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.conftest import MINI, REPO

from nkcp.io.files import read_bytes, replace_outputs, write_bytes
from nkcp.io.yaml_nodes import decode_curated_text, dump_canonical, parse_yaml, text_hazards
from nkcp.problems import Problems


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_read_bytes_stops_at_the_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f.yaml"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    assert read_bytes(path, 100) == data[:100]
    assert read_bytes(path) == data


@pytest.mark.parametrize("byte", range(128))
def test_every_ascii_byte_is_judged(byte: int) -> None:
    raw = b"summary: a" + bytes([byte]) + b"b\n"
    problems = Problems()
    text = decode_curated_text(raw, "x.yaml", problems)
    if 0x20 <= byte < 0x7F or byte == 0x0A:
        assert text == raw.decode("ascii") and not problems
    else:
        assert text is None
        assert problems.codes() == {"control-character"}  # a CR inside a line too


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\x00", "\t", "\u2028", "e\u0301"])
def test_a_hazard_is_the_same_raw_or_escaped(char: str) -> None:
    raw_codes = [code for code, _, _ in text_hazards(f"a{char}b", escaped=False)]
    escaped = Problems()
    parse_yaml(f'summary: "a{char.encode("unicode_escape").decode()}b"\n', "x.yaml", escaped)
    assert raw_codes and sorted(escaped.codes()) == sorted(raw_codes)


def test_canonical_files_read_back_as_written() -> None:
    """dump_canonical writes only YAML that libyaml reads as the values dumped."""
    files = sorted([*REPO.glob("records/*/*.yaml"), *REPO.glob("sources/*.yaml"), *MINI.glob("records/*/*.yaml")])
    assert len(files) > 20
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert yaml.safe_load(dump_canonical(data)) == data, path
    tricky = {"a": ["x, y", "no", "010", "2020-06", "a: b", "#c", "'q'", "[z]"], "b": "yes", "c": " lead", "d": "-x"}
    assert yaml.safe_load(dump_canonical(tricky)) == tricky


def test_replace_outputs_moves_every_file_and_leaves_no_staged_one(tmp_path: Path) -> None:
    staging, root = tmp_path / "staging", tmp_path / "root"
    write_bytes(root / "build" / "a.csv", b"old")
    for rel in ("build/a.csv", "build/b.csv", "datapackage.json"):
        write_bytes(staging / rel, rel.encode())
    replace_outputs(staging, root, ["build/a.csv", "build/b.csv", "datapackage.json"])
    assert (root / "build" / "a.csv").read_bytes() == b"build/a.csv"
    assert (root / "datapackage.json").read_bytes() == b"datapackage.json"
    assert not [p for p in staging.rglob("*") if p.is_file()]


def test_the_written_out_format_character_ranges_are_this_pythons() -> None:
    import sys
    import unicodedata

    from nkcp.io.yaml_nodes import CF_RANGES

    written = {c for a, b in CF_RANGES for c in range(a, b + 1)}
    assert written == {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}, (
        f"Unicode {unicodedata.unidata_version}: write out the Cf ranges anew in io/yaml_nodes.py")
