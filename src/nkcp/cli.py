"""The `nkcp` command: a thin typer layer, one library call per verb.

Heavy libraries (pandas, pyarrow, pandera, frictionless) are imported inside the commands that
need them, never at start-up, so `nkcp --help` stays fast.
"""

from __future__ import annotations

import enum
import os
import time
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


def _root(root: Path | None) -> Path:
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
        _report(exc.problems, Format.text)
        typer.echo("the schema files must be fixed first", err=True)
        raise typer.Exit(1) from exc
    return repo


def _report(problems: Problems, fmt: Format) -> None:
    if fmt is Format.json:
        typer.echo(problems.as_json())
    elif fmt is Format.github:
        typer.echo(problems.as_github())
    else:
        typer.echo(problems.as_text(), err=True)
        typer.echo(f"{len(problems)} problem(s) found", err=True)


def _finish(problems: Problems, fmt: Format, ok: str) -> None:
    """Report the problems and exit 1, or say that there are none (an empty list in JSON)."""
    if problems:
        _report(problems, fmt)
        raise typer.Exit(1)
    if fmt is Format.json:
        typer.echo("[]")
    elif fmt is Format.text:
        typer.echo(ok, err=True)


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders to report on (default: all).")] = None,
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """Check the curated inputs without writing anything; list every problem as file:line: [code] message."""
    from nkcp.outputs.run import interrupted_builds
    from nkcp.records.run import validate as run

    repo = _root(root)
    for name in interrupted_builds(repo):
        typer.echo(f"warning: {name}/ was left by a build that was killed; build/ and datapackage.json may mix two "
                   "builds: run 'nkcp build' (or 'git checkout -- build datapackage.json')", err=True)
    _, problems = run(repo, [p.resolve() for p in paths] if paths else None)
    _finish(problems, fmt, "ok: no problems found")


@app.command()
def build(
    root: RootOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="Format of problem reports.")] = Format.text,
) -> None:
    """Validate, then write build/ and datapackage.json, proved by pandera and Frictionless (nothing on any problem)."""
    from nkcp.outputs.run import build as run
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

    repo = _root(root)
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

    path = package if package is not None else _root(root) / PACKAGE_FILE
    folder = os.path.relpath(path.parent)  # problems name files as the user would reach them from here
    problems = run(path, prefix="" if folder == "." else folder + "/")
    _finish(problems, fmt, f"ok: {path} and its files pass")


@app.command("format")
def format_(
    root: RootOption = None,
    check: Annotated[bool, typer.Option("--check", help="Only list files that are not canonical; exit 1 if any.")] = False,
) -> None:
    """Rewrite curated YAML files in canonical form (key order, quoting, layout)."""
    from nkcp.records.canonical import format_files, unformatted_files

    repo = _root(root)
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

    typer.echo(codebook_markdown(load_schema(_root(root))))


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

    repo = _root(root)
    try:
        result = cut_release(repo, bump.value if bump else None, version, date)
    except ReleaseError as exc:
        typer.echo(f"release refused: {exc}", err=True)
        raise typer.Exit(1) from exc
    except InputError as exc:
        _report(exc.problems, Format.text)
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


@app.command()
def add(
    file: Annotated[Path, typer.Argument(help="The article's text, saved as a UTF-8 text file.")],
    source_id: Annotated[str, typer.Option("--source-id", help="The new source's id, e.g. rfa-2021-05-04-exile.")],
    url: Annotated[str, typer.Option("--url", help="Where the article was published.")],
    publisher: Annotated[str, typer.Option("--publisher", help="Who published the captured page.")],
    derivation: Annotated[str, typer.Option("--derivation", help="How the text came to be (codebook: source_derivation).")],
    truncated: Annotated[bool, typer.Option("--truncated/--not-truncated", help="Whether the publisher's page lost text.")],
    machine_paraphrase: Annotated[bool, typer.Option(
        "--machine-paraphrase/--not-machine-paraphrase", help="Whether a paraphraser swapped its words.")],
    title: Annotated[Optional[str], typer.Option("--title", help="The headline as printed.")] = None,
    credits: Annotated[Optional[str], typer.Option("--credits", help="Byline and credits as printed.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Publication date YYYY-MM-DD, as printed.")] = None,
    root: RootOption = None,
) -> None:
    """Add an article: write its capture to captures/ (named by its SHA-256) and a draft sidecar to sources/."""
    from nkcp.records.add import Facts, add_article

    repo = _root(root)
    facts = Facts(source_id, url, publisher, derivation, truncated, machine_paraphrase, title, credits)
    written, problems = add_article(repo, file, facts, date)
    if written is None:
        _report(problems, Format.text)
        raise typer.Exit(1)
    typer.echo(f"wrote {written[0]} and {written[1]} (record_status: draft)")
    typer.echo(f"next: check the sidecar against the article, then 'nkcp extract {written[0]}'")


place_app = typer.Typer(help="Find places in the curated gazetteer and the reference data.", no_args_is_help=True)
app.add_typer(place_app, name="place")


@place_app.command("search")
def place_search(name: Annotated[str, typer.Argument(help="Any spelling: English, McCune-Reischauer, RR, Hangul.")],
                 root: RootOption = None) -> None:
    """Find a place by any spelling: curated places, then GeoNames towns and ISO 3166-2:KP provinces not yet curated."""
    from nkcp.records.places import search_report

    lines = search_report(_root(root), name)
    typer.echo("\n".join(lines) if lines else f"no place is spelt like {name!r}", err=not lines)
    if not lines:
        raise typer.Exit(1)


@app.command("extract")
def extract_(
    capture: Annotated[Optional[Path], typer.Argument(
        help="Capture to extract; its sidecar (sources/<source_id>.yaml) must exist.")] = None,
    root: RootOption = None,
    include_proposed: Annotated[bool, typer.Option(
        "--include-proposed", help="Also run rules whose status is still 'proposed'.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing drafts of this capture.")] = False,
    check_rules: Annotated[bool, typer.Option("--check-rules", help="Instead: test the rules' examples, list rules that match "
                                              "nothing, and score the reviewed rules on the curated records.")] = False,
) -> None:
    """Run the extraction rules over a capture and write draft records to drafts/<source_id>/ for review."""
    from nkcp.extract.run import extract_capture, rules_report

    repo = _root(root)
    if check_rules:
        report, problems = rules_report(repo)
        for line in report.lines():
            typer.echo(line)
        if problems:
            _report(problems, Format.text)
            raise typer.Exit(1)
        return
    if capture is None:
        typer.echo("error: give a capture (captures/<file>.txt) or --check-rules", err=True)
        raise typer.Exit(2)
    drafts, problems = extract_capture(repo, capture, include_proposed, force)
    if drafts is None or not drafts.files:
        _report(problems, Format.text)
        raise typer.Exit(1)
    rel = drafts.folder.relative_to(repo).as_posix()
    typer.echo(f"wrote {rel}/: {drafts.quotes} draft quotations, {drafts.events} draft events, proposals.yaml "
               f"({'reviewed and proposed' if include_proposed else 'reviewed'} rules)")
    typer.echo(drafts.reference)
    if problems:
        typer.echo("to fix during review (besides record_status: draft):", err=True)
        typer.echo(problems.as_text(), err=True)


@app.command()
def review(
    source_id: Annotated[str, typer.Argument(help="Source whose drafts to show (drafts/<source_id>/).")],
    root: RootOption = None,
) -> None:
    """Show each draft record beside the capture text it came from, with the rules behind its values."""
    from nkcp.extract.review import review_text

    text, problems = review_text(_root(root), source_id)
    if not text:
        _report(problems, Format.text)
        raise typer.Exit(1)
    typer.echo(text)
    if problems:
        typer.echo("still to fix (besides record_status: draft):", err=True)
        typer.echo(problems.as_text(), err=True)
