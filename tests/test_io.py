"""io.read_bytes with a limit: every byte up to the limit, whatever the file's recorded size says."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nkcp import io


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_read_bytes_stops_at_the_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f.yaml"
    data = bytes(i % 251 for i in range(size))
    path.write_bytes(data)
    assert io.read_bytes(path, 100) == data[:100]
    assert io.read_bytes(path) == data


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a file whose size fstat reports as 0")
def test_read_bytes_reads_past_a_stale_size() -> None:
    """/proc files report size 0 but hold text: stands for a file that grew after its fstat."""
    whole = Path("/proc/self/mountinfo").read_bytes()
    assert len(whole) > 1
    got = io.read_bytes(Path("/proc/self/mountinfo"), 1_000_000)
    assert len(got) > 1 and got.splitlines()[0] == whole.splitlines()[0]
    assert io.read_bytes(Path("/proc/self/mountinfo"), 10) == whole[:10]
