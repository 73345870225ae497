"""The CLI's surface: every command says what it does in --help, and the README's table of
commands lists exactly the commands the CLI has."""

from __future__ import annotations

import re

import pytest
import typer
import typer.main
from tests.conftest import REPO, run_cli

from nkcp.cli import app

COMMANDS = sorted([c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
                  + [f"{g.name} {c.name}" for g in app.registered_groups for c in g.typer_instance.registered_commands])


def _click(command: str) -> typer.core.TyperCommand:
    node = typer.main.get_command(app)
    for part in command.split():  # a group's command: "place search"
        node = node.commands[part]  # type: ignore[attr-defined]
    return node  # type: ignore[return-value]


def test_the_cli_has_commands() -> None:
    assert {"validate", "build", "check-package", "release"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_and_each_of_its_options_has_help(command: str) -> None:
    click_command = _click(command)
    assert (click_command.help or "").strip(), command
    for param in click_command.params:
        if param.name != "help":
            assert (getattr(param, "help", "") or "").strip(), f"{command}: {param.name} has no help"
    code, output = run_cli(*command.split(), "--help")
    assert code == 0
    assert click_command.help.strip().split("\n")[0][:40] in " ".join(output.split()), command


def test_the_readme_lists_exactly_the_commands_of_the_cli() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Commands"):]
    table = table[:table.index("\n## ", 1)]
    listed = sorted(re.findall(r"^\| `nkcp ([a-z-]+(?: [a-z-]+)?)` \|", table, flags=re.M))
    assert listed == COMMANDS


def test_top_level_help_lists_every_command() -> None:
    code, output = run_cli("--help")
    assert code == 0
    for command in COMMANDS:
        assert re.search(rf"^\s+{re.escape(command.split()[0])}\s+\S", output, flags=re.M), command
