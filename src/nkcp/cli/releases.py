"""`nkcp` commands on releases: cut, compare, cite and download them."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from nkcp.cli.common import Format, RootOption, app, open_repo, report

Bump = enum.Enum("Bump", {"major": "major", "minor": "minor", "patch": "patch"}, type=str)


@app.command()
def release(
    root: RootOption = None,
    bump: Annotated[Optional[Bump], typer.Option("--bump", help="Bump level (default: the smallest the changes allow).")] = None,
    version: Annotated[Optional[str], typer.Option("--version", help="Explicit version, e.g. 1.2.0.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Release date YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Cut a release: check the bump against the previous release, write version, citation, CHANGELOG and archive."""
    from nkcp.problems import InputError
    from nkcp.release.registry import ReleaseError
    from nkcp.release.release import cut_release

    repo = open_repo(root)
    try:
        result = cut_release(repo, bump.value if bump else None, version, date)
    except ReleaseError as exc:
        typer.echo(f"release refused: {exc}", err=True)
        raise typer.Exit(1) from exc
    except InputError as exc:
        report(exc.problems, Format.text)
        typer.echo("release refused: the build does not validate", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"released {result.version}: {result.archive.relative_to(repo)} ({result.size} bytes, sha256 {result.sha256})\n"
               + (f"cut from commit {result.commit}, committed and tagged {result.tag}" if result.commit
                  else "not a git work tree: no commit recorded, no tag made"))
    if result.diff is not None:
        typer.echo(result.diff.as_text())


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="A release archive (.tar.gz) or a folder with datapackage.json.")],
    new: Annotated[Path, typer.Argument(help="Another release archive or folder (e.g. the checkout, for the current build).")],
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
) -> None:
    """Show per table the IDs added, retracted and changed (each value before and after), and the smallest allowed bump."""
    import tempfile

    from nkcp.release.diff import diff_packages
    from nkcp.release.registry import open_package

    with tempfile.TemporaryDirectory() as tmp:
        packages = [open_package(path, Path(tmp) / str(i)) for i, path in enumerate((old, new))]
        if None in packages:
            typer.echo(f"error: {(old, new)[packages.index(None)]} is neither a release archive nor a folder with "
                       "datapackage.json", err=True)
            raise typer.Exit(2)
        result = diff_packages(*packages)  # type: ignore[arg-type]
    typer.echo(result.as_json() if fmt is Format.json else result.as_text())
    if result.missing_ids():
        raise typer.Exit(1)


class CiteFormat(str, enum.Enum):
    apa = "apa"
    bibtex = "bibtex"
    cff = "cff"


@app.command()
def cite(
    fmt: Annotated[CiteFormat, typer.Option("--format", help="apa, bibtex or cff.")] = CiteFormat.apa,
    version: Annotated[Optional[str], typer.Option(
        "--version", help="Cite this released version instead of the installed one.")] = None,
) -> None:
    """Print a citation of the installed (or given) version of the dataset."""
    from nkcp.release import citation
    from nkcp.release.registry import load_release_index

    meta = citation.package_metadata(None)
    if version is not None:
        releases = load_release_index(None)["releases"]
        if version not in releases:
            typer.echo(f"error: {version} is not a released version", err=True)
            raise typer.Exit(1)
        meta = {**meta, "version": version, "date_released": releases[version].get("date")}
    typer.echo(citation.cite(meta, fmt.value))


@app.command()
def download(
    version: Annotated[Optional[str], typer.Option("--version", help="Release to fetch (default: the latest).")] = None,
    base_url: Annotated[Optional[str], typer.Option(
        "--base-url", help="Where archives are published ({version} is replaced); or NKCP_BASE_URL.")] = None,
    cache: Annotated[Optional[Path], typer.Option(
        "--cache", help="Cache folder (default: NKCP_CACHE or the user cache).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again even if the cache holds the release.")] = False,
) -> None:
    """Download a release (checked against its SHA-256), unpack it into the cache and print where it is.

    The releases that exist are read from registry.json at the base URL (cached for offline use);
    a cached release is checked against its SHA256SUMS on every use."""
    from nkcp.release.download import DownloadError, fetch

    try:
        package = fetch(version, base_url, cache, force=force)
    except DownloadError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(str(package.root))
