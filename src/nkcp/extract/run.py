"""What the `nkcp extract` verb does, as library calls: extract one capture into drafts, or check
the rules (examples, which rules match nothing in any capture, and how well the reviewed rules
reproduce the curated records).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nkcp.extract import metrics
from nkcp.extract.draft import Drafts, write_drafts
from nkcp.extract.engine import Context, SourceFacts, extract, load_context
from nkcp.io.files import read_bytes, read_text, sha256_bytes
from nkcp.problems import Problems
from nkcp.records.parse import Row, load_file
from nkcp.rules import Rule, check_rules, load_all_rules
from nkcp.schema.model import load_schema


@dataclass
class RulesReport:
    rules: list[Rule] = field(default_factory=list)
    unused: list[Rule] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    captures: int = 0
    figures: metrics.Report | None = None  # the reviewed rules against the curated records

    def lines(self) -> list[str]:
        """What `nkcp extract --check-rules` prints: the rules, those that match nothing, the figures."""
        reviewed = sum(r.status == "reviewed" for r in self.rules)
        out = [f"{len(self.rules)} rules ({reviewed} reviewed), run on {self.captures} captures"]
        out += [f"{r.path}:{r.line}: rule {r.id} ({r.kind}) matches nothing in any capture" for r in self.unused]
        if self.figures is not None:
            out.append(f"reviewed rules against the curated records of {len(self.figures.captures)} captures "
                       "(src/nkcp/extract/metrics.py defines each figure):")
            out += [f"  {name}: {num}/{den} = {metrics.ratio(num, den):.3f}" for name, num, den in figures(self.figures)]
        return out


def figures(report: metrics.Report) -> list[tuple[str, int, int]]:
    """The overall figures of a metrics report as (name, numerator, denominator)."""
    t = report.total()
    return [("quotation recall", t.quotes_recalled, t.quotes_curated),
            ("quotation precision", t.quotes_precise, t.quotes_proposed),
            ("speaker accuracy", t.speakers_correct, t.speakers_checked),
            ("place recall", *report.places_by_event),
            ("place recall per capture", t.places_found, t.places_curated),
            ("dates within bounds", t.dates_within, t.dates_checked),
            ("event types found", t.types_found, t.types_curated),
            ("event types fitting", t.types_found, t.types_drafted),
            ("claim status fitting", t.claims_fitting, t.types_found)]


def extract_captures(root: Path, captures: list[Path], include_proposed: bool = False,
                     force: bool = False) -> list[tuple[Drafts | None, Problems]]:
    """Extract each capture into its drafts, reading the rules and the records once for all."""
    problems = Problems()
    ctx = load_context(root, problems, include_proposed)
    if problems:
        return [(None, problems)]
    return [extract_capture(root, capture, include_proposed, force, ctx) for capture in captures]


def extract_capture(root: Path, capture: Path, include_proposed: bool = False,
                    force: bool = False, ctx: Context | None = None) -> tuple[Drafts | None, Problems]:
    """Extract one capture (which must have a sidecar in sources/) into drafts/<source_id>/;
    `ctx` is the rules and records when the caller has read them already."""
    problems = Problems()
    if not capture.is_absolute() and (root / capture).is_file():
        capture = root / capture  # a path relative to the repository (captures/<file>.txt)
    try:
        rel = capture.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        problems.add(str(capture), 1, "capture-outside", f"{capture} is not inside the repository {root}",
                     "copy the capture into captures/ first")
        return None, problems
    if not (root / rel).is_file():
        problems.add(rel, 1, "capture-missing", f"{rel} does not exist")
        return None, problems
    if ctx is None:
        ctx = load_context(root, problems, include_proposed)
        if problems:
            return None, problems
    row = ctx.sources.get(rel)
    if row is None:
        problems.add(rel, 1, "no-sidecar", f"no sidecar in sources/ has capture_path {rel}",
                     "write sources/<source_id>.yaml for the capture first (records/README.md, Sources)")
        return None, problems
    reg = load_schema(root)
    own = Problems()  # the sidecar on its own: a wrong date there would give relative dates wrong bounds
    load_file(root, root / row.path, reg.tables["sources"], reg, own)
    if own:
        problems.extend(own)
        problems.add(row.path, 1, "invalid-sidecar", "the capture's sidecar has the problems above, so nothing is drafted",
                     "fix the sidecar (nkcp validate shows the same problems), then extract again")
        return None, problems
    raw = read_bytes(root / rel)
    if row.get("capture_sha256") and sha256_bytes(raw) != row.get("capture_sha256"):
        problems.add(row.path, row.line_of("capture_sha256"), "capture-checksum",
                     f"{rel} does not match the SHA-256 in its sidecar", "captures are never edited")
        return None, problems
    if not ctx.rules.rules:
        problems.add("rules", 1, "no-reviewed-rules", "no rule is reviewed, so none runs",
                     "review rules (status: reviewed, reviewer: ...) or pass --include-proposed")
        return None, problems
    facts = SourceFacts.from_row(row)
    ex = extract(raw.decode("utf-8"), facts, ctx)
    drafts = write_drafts(root, ex, ctx, reg, include_proposed, force)
    drafts.reference = reference_note(row)
    problems.extend(drafts.problems)
    return drafts, problems


def reference_note(row: Row) -> str:
    """Which date relative dates ("last week", "on Tuesday") were resolved against, in words."""
    for prefix, what in (("original_date", "the original report's date"), ("publication_date", "the publication date")):
        start, end = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
        if start is not None and end is not None:
            bounds = str(start) if start == end else f"{start} to {end}"
            return f"relative dates resolved against {what}, {bounds} ({prefix}_start/_end in {row.path})"
    return f"relative dates got no bounds: {row.path} gives neither an original nor a publication date"


def rules_report(root: Path) -> tuple[RulesReport, Problems]:
    """Check every rule (proposed too), run its examples, and run all rules on every capture that
    has a sidecar: a rule that matches nothing in any of them is reported. The figures are those
    the floors are set on: the reviewed rules only, whatever problems the rules have."""
    problems = Problems()
    reg = load_schema(root)
    everything = load_all_rules(root, reg, Problems())
    ctx = load_context(root, problems, include_proposed=True)
    check_rules(ctx.rules, problems)  # every example of every rule, proposed ones too
    report = RulesReport(rules=list(everything))
    for path, row in sorted(ctx.sources.items()):
        if not (root / path).is_file():
            continue
        ex = extract(read_text(root / path), SourceFacts.from_row(row), ctx)
        report.captures += 1
        for rule_id, count in ex.hits.items():
            report.hits[rule_id] = report.hits.get(rule_id, 0) + count
    report.unused = [r for r in report.rules if not report.hits.get(r.id)]
    report.figures = metrics.run(root, load_context(root, Problems()))  # its problems are already in `problems`
    return report, problems
