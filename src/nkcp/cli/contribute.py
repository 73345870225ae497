"""`nkcp` commands for a contributor's new article: add its capture, find places, extract drafts, review them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nkcp.cli.common import Format, RootOption, app, open_repo, report


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

    repo = open_repo(root)
    facts = Facts(source_id, url, publisher, derivation, truncated, machine_paraphrase, title, credits)
    written, problems = add_article(repo, file, facts, date)
    if written is None:
        report(problems, Format.text)
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

    lines = search_report(open_repo(root), name)
    typer.echo("\n".join(lines) if lines else f"no place is spelt like {name!r}", err=not lines)
    if not lines:
        raise typer.Exit(1)


@place_app.command("add")
def place_add(ident: Annotated[str, typer.Argument(help="A GeoNames id (2042267) or an ISO 3166-2:KP code (KP-04).")],
              root: RootOption = None) -> None:
    """Write a draft place record for a North Korean place of the reference data not yet curated, into records/places/."""
    from nkcp.records.reference_places import add_place

    written, problems = add_place(open_repo(root), ident)
    if written is None:
        report(problems, Format.text)
        raise typer.Exit(1)
    typer.echo(f"wrote {written} (record_status: draft)")
    typer.echo("next: check its names against a source, fill what the reference data left empty, set record_status: reviewed")


@app.command("extract")
def extract_(
    captures: Annotated[Optional[list[Path]], typer.Argument(
        help="Captures to extract; each one's sidecar (sources/<source_id>.yaml) must exist.")] = None,
    root: RootOption = None,
    include_proposed: Annotated[bool, typer.Option(
        "--include-proposed", help="Also run rules whose status is still 'proposed'.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing drafts of this capture.")] = False,
    check_rules: Annotated[bool, typer.Option("--check-rules", help="Instead: test the rules' examples, list rules that match "
                                              "nothing, and score the reviewed rules on the curated records.")] = False,
) -> None:
    """Run the extraction rules over captures and write draft records to drafts/<source_id>/ for review."""
    from nkcp.extract.run import extract_captures, rules_report

    repo = open_repo(root)
    if check_rules:
        scores, problems = rules_report(repo)
        for line in scores.lines():
            typer.echo(line)
        if problems:
            report(problems, Format.text)
            raise typer.Exit(1)
        return
    if not captures:
        typer.echo("error: give a capture (captures/<file>.txt) or --check-rules", err=True)
        raise typer.Exit(2)
    failed = False
    for drafts, problems in extract_captures(repo, captures, include_proposed, force):
        if drafts is None or not drafts.files:
            report(problems, Format.text)
            failed = True
            continue
        rel = drafts.folder.relative_to(repo).as_posix()
        typer.echo(f"wrote {rel}/: {drafts.quotes} draft quotations, {drafts.events} draft events, proposals.yaml "
                   f"({'reviewed and proposed' if include_proposed else 'reviewed'} rules)")
        typer.echo(drafts.reference)
        if problems:
            typer.echo("to fix during review (besides record_status: draft):", err=True)
            typer.echo(problems.as_text(), err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
def review(
    source_id: Annotated[str, typer.Argument(help="Source whose drafts to show (drafts/<source_id>/).")],
    accept: Annotated[bool, typer.Option(
        "--accept", help="Move the reviewed drafts into records/ with the next free IDs.")] = False,
    reviewer: Annotated[Optional[str], typer.Option(
        "--reviewer", help="With --accept: who reviewed them (recorded in the sidecar's reviewed_by).")] = None,
    root: RootOption = None,
) -> None:
    """Show each draft beside the capture text it came from; with --accept, move reviewed drafts into records/."""
    from nkcp.extract.accept import accept_drafts
    from nkcp.extract.review import review_text

    repo = open_repo(root)
    if accept:
        accepted, problems = accept_drafts(repo, source_id, reviewer or "")
        if accepted is None:
            report(problems, Format.text)
            typer.echo("nothing moved: records/ and the drafts are as they were", err=True)
            raise typer.Exit(1)
        for draft, record in accepted.moved.items():
            typer.echo(f"{draft} -> {record}")
        if renamed := [f"{old}->{new}" for old, new in accepted.renumbered.items() if old != new]:
            typer.echo("renumbered: " + ", ".join(renamed))
        typer.echo(f"recorded {reviewer} in reviewed_by of {source_id}; next: nkcp validate, then nkcp build")
        return
    text, problems = review_text(repo, source_id)
    if not text:
        report(problems, Format.text)
        raise typer.Exit(1)
    typer.echo(text)
    if problems:
        typer.echo("still to fix (besides record_status: draft):", err=True)
        typer.echo(problems.as_text(), err=True)
