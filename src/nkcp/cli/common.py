"""What every `nkcp` command shares: the typer app, the --root option, reporting problems and exiting."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from nkcp.problems import Problems

app = typer.Typer(help="Build and check the nk-collective-punishment dataset.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


def _version(value: bool) -> None:
    if value:
        from nkcp import TOOLS_VERSION, __version__

        typer.echo(f"nk-collective-punishment {__version__} (the data release this install carries), tools {TOOLS_VERSION}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the data release and tools versions, then exit.")] = False,
) -> None:
    """Build and check the nk-collective-punishment dataset."""


RootOption = Annotated[
    Optional[Path], typer.Option("--root", help="Repository root (default: found from the current directory).")]


class Format(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


def open_repo(root: Path | None) -> Path:
    """The repository, once its schema files are proved well-formed (reported once, located, never a traceback)."""
    from nkcp.paths import repo_root
    from nkcp.problems import InputError
    from nkcp.schema.model import load_schema

    try:
        repo = repo_root(root)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        load_schema(repo)
    except InputError as exc:
        report(exc.problems, Format.text)
        typer.echo("the schema files must be fixed first", err=True)
        raise typer.Exit(1) from exc
    return repo


def report(problems: Problems, fmt: Format) -> None:
    if fmt is Format.json:
        typer.echo(problems.as_json())
    elif fmt is Format.github:
        typer.echo(problems.as_github())
    else:
        typer.echo(problems.as_text(), err=True)
        typer.echo(f"{len(problems)} problem(s) found", err=True)


def finish(problems: Problems, fmt: Format, ok: str) -> None:
    """Report the problems and exit 1, or say that there are none (an empty list in JSON)."""
    if problems:
        report(problems, fmt)
        raise typer.Exit(1)
    if fmt is Format.json:
        typer.echo("[]")
    elif fmt is Format.text:
        typer.echo(ok, err=True)
