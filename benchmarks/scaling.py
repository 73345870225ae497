"""Time nkcp's commands against the budgets in docs/performance.md and print a pass/fail table.

Real data (this repository): `nkcp validate`, `nkcp build` (into a copy in a temporary folder, so
the committed build/ is untouched) and `nkcp --help`, medians of 5. Per synthetic size
(benchmarks/synthetic.py: seed 1, marked SYNTHETIC, written to benchmarks/.synthetic/, ignored by
git): a cold `nkcp validate` beside the time PyYAML's C parser takes only to compose the same
record files in one process, `nkcp validate` after one file is edited (a new edit before each run),
and `nkcp build`. Up to 10k events validate is a median (3 cold, 5 edited); all else is one run.

Every command runs as `python -m nkcp` in a fresh process: wall time around the process, peak RSS
of the child from os.wait4. Every input file is read once, untimed, before each run (this machine
evicts its page cache eagerly). Children write bytecode to benchmarks/.synthetic/pycache (this
machine sets PYTHONDONTWRITEBYTECODE=1) and each command gets one untimed run first.

    PYTHONPATH=src python benchmarks/scaling.py                        # 1k and 10k
    PYTHONPATH=src python benchmarks/scaling.py --sizes 1000 10000 100000 --json out.json
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".synthetic"
sys.path.insert(0, str(REPO / "src"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
ENV["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
INPUTS = ("records", "sources", "captures", "schema", "build", "datapackage.json")
RECORD_FOLDERS = ("sources", "records/places", "records/quotes", "records/events", "records/evidence")
GIB = 2**30
LOAD = os.getloadavg()  # another process on a 2-core machine changes every figure

# Run as `python -c PARSE_ONLY ROOT`: the seconds libyaml's C parser takes to compose every record
# file into nodes (what nkcp's YAML reader does first), files read beforehand, one untimed call first.
PARSE_ONLY = f"""
import sys, time, yaml
from pathlib import Path
root = Path(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for d in {RECORD_FOLDERS!r} for p in sorted((root / d).glob("*.yaml"))]
yaml.compose(texts[0], Loader=yaml.CSafeLoader)
started = time.perf_counter()
for text in texts:
    yaml.compose(text, Loader=yaml.CSafeLoader)
print(time.perf_counter() - started, len(texts))
"""


def warm(root: Path) -> None:
    """Read every input file (and nkcp's source) once, so that a run times the work, not the disk."""
    for path in [*(root / name for name in INPUTS), REPO / "src" / "nkcp"]:
        for file in [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []:
            if file.is_file():
                file.read_bytes()


def run(args: list[str], root: Path) -> tuple[float, int, float, str]:
    """Wall seconds, peak RSS in bytes, CPU seconds (user + system) and stdout of `python ARGS` in a
    fresh process (exit 0 required). Wall much above CPU means something else held the cores."""
    warm(root)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], stdout=out, stderr=err, env=ENV, cwd=root)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} (in {root}) exited {proc.returncode}:\n{err.read().decode()[-3000:]}")
        return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, out.read().decode()


def nkcp(root: Path, *args: str, repeat: int = 1, before: Callable[[int], object] | None = None) -> dict[str, Any]:
    """Median wall and CPU time and largest peak RSS of `nkcp ARGS` over `repeat` runs; `before(i)`
    runs before run i (untimed), e.g. to edit a file."""
    runs = []
    for i in range(repeat):
        if before is not None:
            before(i)
        runs.append(run(["-m", "nkcp", *args], root)[:3])
    return {"s": statistics.median(w for w, _, _ in runs), "cpu": statistics.median(c for _, _, c in runs),
            "rss": max(r for _, r, _ in runs), "runs": [w for w, _, _ in runs]}


def synthetic(size: int) -> Path:
    from synthetic import generate  # benchmarks/synthetic.py, beside this file

    root = WORK / str(size)
    digest = hashlib.sha256(Path(generate.__code__.co_filename).read_bytes()).hexdigest()[:12]
    stamp = f"{size} events, seed 1, synthetic.py {digest}\n"
    marker = root / ".generated"
    if not marker.exists() or marker.read_text(encoding="utf-8") != stamp:
        started = time.perf_counter()
        generate(root, size, template=REPO)  # its default template (three folders up) is not the repo
        marker.write_text(stamp, encoding="utf-8")
        print(f"  generated {size} events in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return root


def bench_real() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for args in (["validate"], ["--help"]):
        nkcp(REPO, *args)  # untimed: first run writes bytecode
    out["validate"] = nkcp(REPO, "validate", repeat=5)
    out["help"] = nkcp(REPO, "--help", repeat=5)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", ".venv", ".synthetic", "__pycache__"))
        nkcp(copy, "build")
        out["build"] = nkcp(copy, "build", repeat=5)
    return out


def bench_size(size: int) -> dict[str, Any]:
    root = synthetic(size)
    small = size <= 10_000
    parse_s, files = run(["-c", PARSE_ONLY, str(root)], root)[3].split()
    row: dict[str, Any] = {"events": size, "record_files": int(files), "parse_s": float(parse_s)}
    if small:
        nkcp(root, "validate")  # untimed: first reads (at 100k this would cost minutes)
    row["validate"] = nkcp(root, "validate", repeat=3 if small else 1)
    event = root / "records" / "events" / "E000001.yaml"
    original = event.read_text(encoding="utf-8")
    summary = "SYNTHETIC event 1 generated"
    assert summary in original
    try:
        row["edited"] = nkcp(root, "validate", repeat=5 if small else 1, before=lambda i: event.write_text(
            original.replace(summary, f"SYNTHETIC event 1 edit {i} generated"), encoding="utf-8"))
    finally:
        event.write_text(original, encoding="utf-8")
    row["build"] = nkcp(root, "build")
    return row


def table(real: dict[str, Any], rows: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, pass/FAIL/'') for every figure; times are wall, CPU in brackets."""
    def line(name: str, value: float, unit: str, limit: float | None = None, target: str = "",
             cpu: float | None = None) -> tuple[str, str, str, str]:
        shown = f"{value / GIB:.2f} GiB" if unit == "GiB" else f"{value:.2f} {unit}".rstrip()
        shown += "" if cpu is None else f" (CPU {cpu:.2f} s)"
        return name, shown, target, "" if limit is None else "pass" if value <= limit else "FAIL"

    def timed(name: str, d: dict[str, Any], limit: float | None, target: str) -> tuple[str, str, str, str]:
        return line(name, d["s"], "s", limit, target, d["cpu"])

    out = [timed("real data: `nkcp validate` (median of 5)", real["validate"], 1.0, "< 1 s"),
           timed("real data: `nkcp build` (median of 5)", real["build"], 3.0, "< 3 s"),
           timed("real data: `nkcp --help` (median of 5)", real["help"], 0.25, "< 0.25 s")]
    by_size = {r["events"]: r for r in rows}
    for n, r in by_size.items():
        k, ten, big = f"{n:,} events", n == 10_000, n >= 100_000
        out += [line(f"{k}: PyYAML C parser, compose the {r['record_files']:,} record files only", r["parse_s"], "s"),
                timed(f"{k}: cold `nkcp validate`", r["validate"], None, ""),
                line(f"{k}: cold `nkcp validate` / parse only", r["validate"]["s"] / r["parse_s"], "x",
                     4.0 if ten else None, "<= 4x" if ten else ""),
                timed(f"{k}: `nkcp validate` after one file edited", r["edited"], 1.5 if ten else None,
                      "< 1.5 s" if ten else ""),
                timed(f"{k}: `nkcp build`", r["build"], 40.0 if ten else None, "< 40 s" if ten else "")]
        out += [line(f"{k}: peak RSS of `nkcp {what}`", r[what]["rss"], "GiB", 2 * GIB if big else None,
                     "< 2 GiB" if big else "") for what in ("validate", "build")]
    if 10_000 in by_size and 100_000 in by_size:
        for what in ("validate", "build"):
            ratio = by_size[100_000][what]["s"] / by_size[10_000][what]["s"]
            out.append(line(f"100k / 10k: `nkcp {what}` wall time", ratio, "x", 12.0, "<= 12x"))
    return out


def load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


def header(args: list[str]) -> list[str]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True, text=True).stdout
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    return [f"- finished: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            f"- machine: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.platform()}",
            f"- Python {platform.python_version()}; load average before the run {load(LOAD)}, after {load(os.getloadavg())}",
            f"- commit: {commit}{' (src/ had uncommitted changes)' if dirty else ''}",
            f"- command: `PYTHONPATH=src python benchmarks/scaling.py {' '.join(args)}`".replace("  ", " ")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="synthetic event counts")
    parser.add_argument("--json", type=Path, help="also write every figure and run to this file")
    args = parser.parse_args()
    real = bench_real()
    rows = []
    for size in args.sizes:
        print(f"  {size} events...", file=sys.stderr)
        rows.append(bench_size(size))
    lines = table(real, rows)
    print("\n".join(header(sys.argv[1:])), "", "| figure | value | target | result |", "|---|---|---|---|", sep="\n")
    print("\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in lines))
    if args.json:
        args.json.write_text(json.dumps({"real": real, "sizes": rows, "table": lines}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
