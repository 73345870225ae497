"""io's reading of record files: read_bytes gives every byte up to the limit whatever the file's
recorded size says; the ASCII shortcut of check_text_file judges every byte as the full checks
do; the lines kept by parse_canonical read the same and stay bounded."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

from nkcp.io.files import read_bytes
from nkcp.io.yaml_nodes import decode_curated_text, parse_yaml
from nkcp.problems import Problems


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_read_bytes_stops_at_the_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f.yaml"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    assert read_bytes(path, 100) == data[:100]
    assert read_bytes(path) == data


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a file whose size fstat reports as 0")
def test_read_bytes_reads_past_a_stale_size() -> None:
    """/proc files report size 0 but hold text: stands for a file that grew after its fstat."""
    whole = Path("/proc/self/mountinfo").read_bytes()
    assert len(whole) > 1
    got = read_bytes(Path("/proc/self/mountinfo"), 1_000_000)
    assert len(got) > 1 and got.splitlines()[0] == whole.splitlines()[0]
    assert read_bytes(Path("/proc/self/mountinfo"), 10) == whole[:10]


@pytest.mark.parametrize("byte", range(128))
def test_every_ascii_byte_is_judged_as_on_the_full_path(byte: int) -> None:
    """Printable ASCII and LF skip the line-by-line checks; every other byte must still reach them."""
    raw = b"summary: a" + bytes([byte]) + b"b\n"
    problems = Problems()
    text = decode_curated_text(raw, "x.yaml", problems)
    if 0x20 <= byte < 0x7F or byte == 0x0A:
        assert text == raw.decode("ascii") and not problems
    else:
        assert text is None
        assert problems.codes() == {"control-character"}  # a CR inside a line too


class _CountedPattern:
    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.calls = pattern, 0

    def fullmatch(self, text: str) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.fullmatch(text)


def test_lines_kept_by_the_canonical_parser_read_the_same_and_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(REPO.glob("records/*/*.yaml"))]
    lines = sum(text.count("\n") for text in texts)
    counted = _CountedPattern(io._CANONICAL_LINE)
    monkeypatch.setattr(io, "_CANONICAL_LINE", counted)
    io._SEEN_LINES.clear()
    for text in texts:
        assert io.parse_canonical(text) == parse_yaml(text, "x.yaml", Problems())
    counted.calls = 0
    for text in texts:
        assert io.parse_canonical(text) == parse_yaml(text, "x.yaml", Problems())
    assert counted.calls < lines / 2  # the second time most lines came from the kept ones
    monkeypatch.setattr(io, "_SEEN_MAX", 7)  # emptied again and again, between files
    for text in texts:
        assert io.parse_canonical(text) == parse_yaml(text, "x.yaml", Problems())
    assert 0 < len(io._SEEN_LINES) <= 7 + max(text.count("\n") for text in texts)


def test_the_first_characters_written_out_are_pyyamls() -> None:
    """io.py writes out the first characters PyYAML's resolver has rules for, so that reading
    canonical files needs no import of yaml; here they are held to PyYAML's own table."""
    import yaml

    table = yaml.resolver.Resolver.yaml_implicit_resolvers
    assert None not in table  # no rule for every first character, which the set could not say
    assert frozenset(k for k in table if k) == io._RESOLVED_FIRST
