"""The `nkcp` command: a thin typer layer, one library call per verb.

Heavy libraries (pandas, pyarrow, pandera, frictionless) are imported inside the commands that
need them, never at start-up, so `nkcp --help` stays fast.
"""

from __future__ import annotations

import enum
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(help="Build and check the nk-collective-punishment dataset.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)

RootOption = Annotated[
    Optional[Path], typer.Option("--root", help="Repository root (default: found from the current directory).")]


class Format(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"


def _root(root: Path | None) -> Path:
    from nkcp.paths import repo_root

    try:
        return repo_root(root)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _report(problems: object, fmt: Format) -> None:
    from nkcp.problems import Problems

    assert isinstance(problems, Problems)
    if fmt is Format.json:
        typer.echo(problems.as_json())
    elif fmt is Format.github:
        typer.echo(problems.as_github())
    else:
        typer.echo(problems.as_text(), err=True)
        typer.echo(f"{len(problems)} problem(s) found", err=True)


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders to report on (default: all).")] = None,
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """Check the curated inputs without writing anything; list every problem as file:line: [code] message."""
    from nkcp.build import validate as run

    repo = _root(root)
    _, problems = run(repo, [p.resolve() for p in paths] if paths else None)
    if problems:
        _report(problems, fmt)
        raise typer.Exit(1)
    if fmt is Format.json:
        typer.echo("[]")
    elif fmt is Format.text:
        typer.echo("ok: no problems found", err=True)


@app.command()
def build(
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Format of problem reports.")] = Format.text,
) -> None:
    """Validate everything, then write build/ and datapackage.json (or nothing, on any problem)."""
    from nkcp.build import build as run
    from nkcp.problems import InputError

    repo = _root(root)
    started = time.perf_counter()
    try:
        result = run(repo)
    except InputError as exc:
        _report(exc.problems, fmt)
        typer.echo("build refused: the previous build/ and datapackage.json are unchanged", err=True)
        raise typer.Exit(1) from exc
    rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
    typer.echo(f"built {len(result.files)} files in {time.perf_counter() - started:.2f} s: rows {rows}")


@app.command("format")
def format_(
    root: RootOption = None,
    check: Annotated[bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")] = False,
) -> None:
    """Rewrite curated YAML files in canonical form (key order, quoting, layout)."""
    repo = _root(root)
    if check:
        from nkcp.build import validate as run

        _, problems = run(repo)
        bad = sorted({p.path for p in problems if p.code == "not-canonical"})
        for path in bad:
            typer.echo(f"{path}: not canonical")
        raise typer.Exit(1 if bad else 0)
    from nkcp.build import format_files

    for path in format_files(repo):
        typer.echo(f"formatted {path}")


@app.command()
def codebook(root: RootOption = None) -> None:
    """Print the Markdown codebook generated from schema/."""
    from nkcp.registry import load_registry
    from nkcp.targets import codebook_markdown

    typer.echo(codebook_markdown(load_registry(_root(root))))
