"""The benchmarks' synthetic repository stays a valid one, so the figures measure validation of
good records, not the reporting of a problem in every file (as when a field was added to the
schema and not to the generator)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic


def test_a_small_synthetic_repository_validates_and_builds(tmp_path: Path) -> None:
    root = synthetic.generate(tmp_path / "syn", 20)
    assert run_cli("validate", "--root", str(root)) == (0, "ok: no problems found\n")
    code, output = run_cli("build", "--root", str(root))
    assert code == 0, output
