"""Every code snippet in the README runs: Python snippets in a subprocess, R snippets with Rscript."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from tests.conftest import REPO

BLOCKS = re.findall(r"```(python|r)\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_snippets_for_pandas_polars_duckdb_and_r() -> None:
    text = "\n".join(code for _, code in BLOCKS)
    for needle in ("nkcp.load(", "import polars", "import duckdb", "nkcp_read("):
        assert needle in text


@pytest.mark.parametrize(("lang", "code"), BLOCKS, ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(BLOCKS)])
def test_snippet_runs(lang: str, code: str) -> None:
    command = [sys.executable, "-c", code] if lang == "python" else ["Rscript", "-e", code]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip(), "a snippet should print something"
