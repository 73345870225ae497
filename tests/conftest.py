"""Shared fixtures: the real repository, and a disposable copy of the miniature fixture source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nkcp.cli import app

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the validation and download caches of the test run out of the user's cache directory."""
    os.environ["NKCP_CACHE"] = str(tmp_path_factory.mktemp("nkcp-cache"))


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """A complete little repository (schema from the real one, records from the fixture)."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("golden"))
    shutil.copytree(REPO / "schema", root / "schema")
    return root


def run_cli(*args: str) -> tuple[int, str]:
    """Run the nkcp command in-process; return exit code and everything it printed."""
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output
