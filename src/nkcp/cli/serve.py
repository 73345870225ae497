"""`nkcp serve`: browse the build in Datasette, for readers who install the `[serve]` extra."""

from __future__ import annotations

from typing import Annotated

import typer

from nkcp.cli.common import RootOption, app, open_repo


@app.command()
def serve(
    root: RootOption = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port on 127.0.0.1 to serve on.")] = 8001,
) -> None:
    """Browse the build in Datasette on 127.0.0.1, read-only: tables, full-text search, a map, canned queries."""
    from nkcp.outputs.datasette import METADATA_FILE
    from nkcp.outputs.serve import HOST, missing_packages
    from nkcp.outputs.serve import serve as run
    from nkcp.outputs.sqlite import DATABASE_FILE
    from nkcp.paths import BUILD_DIR

    missing = missing_packages()
    if missing:
        typer.echo(f"error: nkcp serve needs Datasette and its map plugins ({', '.join(missing)} not installed); "
                   "install them with: pip install 'nk-collective-punishment[serve]'", err=True)
        raise typer.Exit(1)
    repo = open_repo(root)
    absent = [f"{BUILD_DIR}/{name}" for name in (DATABASE_FILE, METADATA_FILE) if not (repo / BUILD_DIR / name).is_file()]
    if absent:
        typer.echo(f"error: {' and '.join(absent)} not found: run 'nkcp build' first", err=True)
        raise typer.Exit(1)
    typer.echo(f"serving {BUILD_DIR}/{DATABASE_FILE} read-only at http://{HOST}:{port}/ (Ctrl-C stops)", err=True)
    run(repo, port)
