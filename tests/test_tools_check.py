"""`nkcp` checks every tool of the `[tools]` extra before it starts (nkcp/__main__.py): the list
it checks names a module of each distribution the extra requires, so a new tool cannot be
forgotten there and fail later with a traceback on a reader's install."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import REPO

from nkcp.__main__ import TOOLS


def test_the_start_up_check_covers_every_tool_of_the_extra() -> None:
    extra = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]["tools"]
    wanted = {re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].lower().replace("_", "-") for req in extra}
    owners = packages_distributions()
    checked = {dist.lower().replace("_", "-") for name in TOOLS for dist in owners.get(name.split(".")[0], [])}
    assert wanted - checked == set()
