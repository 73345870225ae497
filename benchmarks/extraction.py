"""Extraction rules against the hand-curated records, and extraction speed.

Runs the rules that `nkcp extract` runs by default (the reviewed ones in rules/; --include-proposed
adds the proposed ones) on each capture that has a sidecar, compares
the proposals with the curated records (src/nkcp/extract/metrics.py defines each figure) and
prints the figures per capture, then times the extraction on the same captures: the rules alone
in this process, and `nkcp extract` as a contributor runs it (a new process per article, start-up,
reading the rules and the records, checking the sidecar and writing and checking the drafts), on
a copy of the repository so the checkout's drafts/ is untouched.
tests/extract/test_floors.py holds the floors on the same figures; speed is only measured here.

    python benchmarks/extraction.py [--root PATH] [--rounds N] [--include-proposed]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nkcp.extract import metrics
from nkcp.extract.engine import SourceFacts, extract, load_context
from nkcp.io.files import read_text
from nkcp.problems import Problems


def _pct(num: int, den: int) -> str:
    return f"{num}/{den} {metrics.ratio(num, den):.2f}"


def figures(root: Path, include_proposed: bool) -> metrics.Report:
    problems = Problems()
    ctx = load_context(root, problems, include_proposed)
    if problems:
        print(problems.as_text(), file=sys.stderr)
        sys.exit(1)
    reviewed = sum(r.status == "reviewed" for r in ctx.rules)
    print(f"rules run: {len(ctx.rules)} ({reviewed} reviewed, {len(ctx.rules) - reviewed} proposed)")
    report = metrics.run(root, ctx)
    head = (f"{'capture':42} {'quote recall':>14} {'precision':>14} {'exact':>6} {'speakers':>14} {'places':>12} "
            f"{'dates':>12}  duplicates")
    print(head)
    print("-" * len(head))
    for f in [*report.captures, report.total()]:
        print(f"{f.source_id:42} {_pct(f.quotes_recalled, f.quotes_curated):>14} "
              f"{_pct(f.quotes_precise, f.quotes_proposed):>14} {f.quotes_exact:>6} "
              f"{_pct(f.speakers_correct, f.speakers_checked):>14} {_pct(f.places_found, f.places_curated):>12} "
              f"{_pct(f.dates_within, f.dates_checked):>12}  {', '.join(f.duplicates) if f.source_id != 'all' else ''}")
    print(f"\n{'capture':42} {'event types found':>18} {'fitting':>14} {'claims':>14}")
    for f in [*report.captures, report.total()]:
        print(f"{f.source_id:42} {_pct(f.types_found, f.types_curated):>18} {_pct(f.types_found, f.types_drafted):>14} "
              f"{_pct(f.claims_fitting, f.types_found):>14}")
    found, total = report.places_by_event
    print(f"\nplaces, every event's places proposed in a capture it cites (the floor): {_pct(found, total)}")
    print(f"places, per capture (above, stricter): {report.place_recall_per_capture():.3f}")
    total_fig = report.total()
    for label, items in (("missed quotations", total_fig.missed_quotes), ("extra quotations", total_fig.extra_quotes),
                         ("wrong speakers", total_fig.wrong_speakers), ("places missed per capture", total_fig.missed_places),
                         ("event places missed", report.missed_event_places), ("dates outside bounds", total_fig.date_failures),
                         ("event types missed", total_fig.missed_types), ("event types extra", total_fig.extra_types),
                         ("claims firmer than curated", total_fig.wrong_claims)):
        for item in items:
            print(f"  {label}: {item}")
    return report


def speed(root: Path, rounds: int, include_proposed: bool) -> None:
    ctx = load_context(root, Problems(), include_proposed)
    items = [(read_text(root / path), SourceFacts.from_row(row)) for path, row in sorted(ctx.sources.items())]
    sizes = [len(text.encode("utf-8")) for text, _ in items]
    for text, facts in items:  # warm up: compile the gazetteer pattern
        extract(text, facts, ctx)
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(10):
            for text, facts in items:
                extract(text, facts, ctx)
        best = min(best, (time.process_time() - started) / (10 * len(items)))
    print(f"\nspeed: {1 / best:.0f} articles/s/core ({best * 1000:.2f} ms CPU per article, best of {rounds} rounds "
          f"over {len(items)} captures of {min(sizes) / 1000:.1f}-{max(sizes) / 1000:.1f} KB, mean "
          f"{sum(sizes) / len(sizes) / 1000:.1f} KB)")


def cli_speed(root: Path, rounds: int) -> None:
    """Wall and CPU time of `nkcp extract --force` in a fresh process: one capture per call, then all
    captures in one call (the rules and records read once), best of `rounds` each."""
    nkcp = Path(sys.executable).parent / "nkcp"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        for name in ("schema", "rules", "records", "sources", "captures"):
            shutil.copytree(root / name, copy / name)
        captures = sorted((copy / "captures").glob("*.txt"))

        def best(paths: list[Path]) -> tuple[float, float]:
            wall = cpu = float("inf")
            for _ in range(rounds):
                before, started = os.times(), time.perf_counter()
                done = subprocess.run([str(nkcp), "extract", *map(str, paths), "--root", str(copy), "--force"],
                                      capture_output=True, text=True)
                after = os.times()
                if done.returncode != 0:
                    sys.exit(f"nkcp extract failed:\n{done.stderr}")
                wall = min(wall, time.perf_counter() - started)
                cpu = min(cpu, after.children_user + after.children_system - before.children_user - before.children_system)
            return wall, cpu

        singles = [best([capture]) for capture in captures]
        for capture, (wall, cpu) in zip(captures, singles, strict=True):
            print(f"  nkcp extract {capture.name}: {wall:.3f} s wall, {cpu:.3f} s CPU (best of {rounds})")
        wall, cpu = best(captures)
        print(f"nkcp extract, one capture per call: {sum(w for w, _ in singles) / len(singles):.3f} s wall, "
              f"{sum(c for _, c in singles) / len(singles):.3f} s CPU per article on average")
        print(f"nkcp extract, all {len(captures)} in one call: {wall / len(captures):.3f} s wall, "
              f"{cpu / len(captures):.3f} s CPU per article (budget 0.3 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--include-proposed", action="store_true", help="also run rules still proposed")
    args = parser.parse_args()
    figures(args.root, args.include_proposed)
    speed(args.root, args.rounds, args.include_proposed)
    cli_speed(args.root, min(args.rounds, 5))


if __name__ == "__main__":
    main()
