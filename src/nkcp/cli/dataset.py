"""`nkcp` commands on the curated records and the built package: validate, build, explain, check, format, codebook."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from nkcp.cli.common import Format, RootOption, app, finish, open_repo, report


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders to report on (default: all).")] = None,
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """Check the curated inputs without writing anything; list every problem as file:line: [code] message."""
    from nkcp.outputs.run import interrupted_builds
    from nkcp.records.run import validate as run

    repo = open_repo(root)
    for name in interrupted_builds(repo):
        typer.echo(f"warning: {name}/ was left by a build that was killed; build/ and datapackage.json may mix two "
                   "builds: run 'nkcp build' (or 'git checkout -- build datapackage.json')", err=True)
    _, problems = run(repo, [p.resolve() for p in paths] if paths else None)
    finish(problems, fmt, "ok: no problems found")


@app.command()
def build(
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Format of problem reports.")] = Format.text,
) -> None:
    """Validate, then write build/ and datapackage.json, proved by pandera and Frictionless (nothing on any problem)."""
    from nkcp.outputs.run import build as run
    from nkcp.problems import InputError

    repo = open_repo(root)
    started = time.perf_counter()
    try:
        result = run(repo)
    except InputError as exc:
        report(exc.problems, fmt)
        typer.echo("build refused: the previous build/ and datapackage.json are unchanged", err=True)
        raise typer.Exit(1) from exc
    rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
    typer.echo(f"built {len(result.files)} files in {time.perf_counter() - started:.2f} s: rows {rows}")


@app.command()
def explain(
    event_id: Annotated[str, typer.Argument(help="The event to explain, e.g. E0001.")],
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """Show each coded fact of an event beside the words of the sources behind it (its evidence)."""
    from nkcp.problems import suggest
    from nkcp.records.explain import as_json, as_text, event_ids, explanation
    from nkcp.records.run import validate as run
    from nkcp.schema.model import load_schema

    repo = open_repo(root)
    reg = load_schema(repo)
    corpus, problems = run(repo, reg=reg)
    data = explanation(corpus, reg, event_id)
    if data is None:
        typer.echo(f"error: no event {event_id}" + (f" ({hint})" if (hint := suggest(event_id, event_ids(corpus))) else ""),
                   err=True)
        raise typer.Exit(1)
    typer.echo(as_json(data) if fmt is Format.json else as_text(data))
    if problems:
        typer.echo(f"warning: the records have {len(problems)} problem(s); run 'nkcp validate'", err=True)


@app.command("check-package")
def check_package(
    package: Annotated[Optional[Path], typer.Argument(
        help="A datapackage.json: of a build, a release or a download (default: the repository's).")] = None,
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """Check a data package's files against its descriptor with Frictionless, and each Parquet file against its CSV."""
    from nkcp.outputs.verify import check_package as run
    from nkcp.paths import PACKAGE_FILE

    path = package if package is not None else open_repo(root) / PACKAGE_FILE
    folder = os.path.relpath(path.parent)  # problems name files as the user would reach them from here
    problems = run(path, prefix="" if folder == "." else folder + "/")
    finish(problems, fmt, f"ok: {path} and its files pass")


@app.command("format")
def format_(
    root: RootOption = None,
    check: Annotated[bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")] = False,
) -> None:
    """Rewrite curated YAML files in canonical form (key order, quoting, layout)."""
    from nkcp.records.canonical import format_files, unformatted_files

    repo = open_repo(root)
    if check:
        bad = unformatted_files(repo)
        for path in bad:
            typer.echo(f"{path}: not canonical")
        raise typer.Exit(1 if bad else 0)
    for path in format_files(repo):
        typer.echo(f"formatted {path}")


@app.command()
def codebook(root: RootOption = None) -> None:
    """Print the Markdown codebook generated from schema/."""
    from nkcp.schema.export import codebook_markdown
    from nkcp.schema.model import load_schema

    typer.echo(codebook_markdown(load_schema(open_repo(root))))
