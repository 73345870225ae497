"""Benchmark: build and validate synthetic repositories of growing size, and the real dataset.

Prints, per size, the wall time and peak memory of `nkcp build` (which checks the written package
with our own check), the wall time of `nkcp build --frictionless` (with --peer), the share of
each phase, the time of `nkcp validate` cold (no cache), warm, after an edit of one file that
leaves references alone, after an edit of a reference, and of `nkcp validate FILE`; the time
reading the record files alone takes (read, typed and proved canonical a field at a time, in one
process, against estimates for libyaml's parse and the full path); and, on the same built tables, `nkcp check-package` against
`frictionless validate`, the peer (with --peer), both as a user runs them and, apart from
starting Python and importing, as the checks alone in one process. Every measurement runs
in a fresh process (so imports and peak memory are its own), after every input file has been
read once, untimed (see warm()). The short ones (the real dataset's, and validation with a
cache, and `check-package`) are the median of five runs, each edit run after a new edit;
`frictionless validate` is the median of three runs up to 10k events; the others are one run.

Synthetic repositories (src/nkcp/synthetic.py: seeded, marked SYNTHETIC everywhere, never
released) are written to benchmarks/.synthetic/, which git ignores.

    python benchmarks/scaling.py                       # 1k and 10k
    python benchmarks/scaling.py --sizes 1000 10000 100000 --peer
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = REPO / "benchmarks" / ".synthetic"
BIN = Path(sys.executable).parent


def child(op: str, root: Path, extra: str) -> None:
    """Run one measurement in this process and print it as JSON (called through --child)."""
    started = time.perf_counter()
    out: dict[str, object] = {}
    if op == "build":
        from nkcp.build import build

        result = build(root, frictionless=extra == "frictionless")
        out["phases"] = result.seconds
        out["rows"] = result.rows
    elif op == "yaml":
        from nkcp.canonical_rows import canonical_rows

        from nkcp.io.yaml_nodes import parse_yaml
        from nkcp.problems import Problems
        from nkcp.records.canonical import check_file_format
        from nkcp.records.parse import parse_file_text
        from nkcp.schema.model import load_schema

        reg = load_schema(root)
        tables = {table.records: table for table in reg.tables.values()}
        files = [(p.stem, tables[p.parent.relative_to(root).as_posix()], p.read_text(encoding="utf-8"))
                 for p in [*sorted(root.glob("records/*/*.yaml")), *sorted(root.glob("sources/*.yaml"))]]
        sample = files[::10]  # every tenth file: events, quotes, places and sources in proportion
        for stem, table, text in sample[:100]:  # first calls and kept values, untimed, for both paths
            parse_file_text(text, "x", stem, table, reg, Problems())
        t0 = time.perf_counter()
        fast = [canonical_rows(text, "x", stem, table, reg) for stem, table, text in files]
        t1 = time.perf_counter()
        for _, _, text in sample:
            parse_yaml(text, "x", Problems())
        t2 = time.perf_counter()
        for stem, table, text in sample:
            problems = Problems()
            check_file_format("x", text, parse_file_text(text, "x", stem, table, reg, problems), reg, problems)
        t3 = time.perf_counter()
        out.update(files=len(files), canonical_rows_s=t1 - t0, fallbacks=sum(rows is None for rows in fast),
                   libyaml_s_estimate=(t2 - t1) * len(files) / len(sample),
                   full_path_s_estimate=(t3 - t2) * len(files) / len(sample))
    elif op == "checks":  # the checks alone, after imports and a first untimed run of ours
        from frictionless import Package
        from nkcp.package_check import check_package

        descriptor = root / "datapackage.json"
        problems = check_package(descriptor)
        assert not problems, problems.items
        ours = []
        for _ in range(3):
            t0 = time.perf_counter()
            check_package(descriptor)
            ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        report = Package(str(descriptor)).validate()
        out.update(ours_s=statistics.median(ours), frictionless_s=time.perf_counter() - t0, valid=report.valid)
    out["wall_s"] = time.perf_counter() - started
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["children_peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out))


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    return wall, proc.stdout


def measure(op: str, root: Path, extra: str = "") -> dict[str, object]:
    warm(root)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", op, str(root), extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    sampler = threading.Thread(target=_sample_memory, args=(proc, peak), daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"measuring {op} failed:\n{stderr}")
    data: dict[str, object] = json.loads(stdout.strip().splitlines()[-1])
    data["process_wall_s"] = wall
    data["tree_pss_peak_mib"] = peak[0] / 1024
    return data


def _sample_memory(proc: subprocess.Popen[str], peak: list[int]) -> None:
    """The largest total PSS (KiB) of the process and its children, sampled every 250 ms (reading
    smaps_rollup walks page tables, so more often slows the measured process down). PSS
    shares pages between the processes that hold them, so pages a forked child still shares
    with its parent count once, unlike a sum of each process's peak RSS."""
    while proc.poll() is None:
        total = 0
        pending = [proc.pid]
        while pending:
            pid = pending.pop()
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # the process just ended
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(c) for c in (task / "children").read_text().split()]
        peak[0] = max(peak[0], total)
        time.sleep(0.25)


def nkcp(*args: str, env: dict[str, str]) -> float:
    root = Path(args[args.index("--root") + 1]) if "--root" in args else None
    if root is not None:
        warm(root)
    return run([str(BIN / "nkcp"), *args], env)[0]


def warm(root: Path) -> None:
    """Read every input file once, untimed, so that a measurement times the work and not the
    disk: this machine evicts its page cache eagerly, and reading a 100k-event repository from
    disk took 15 s where reading it from memory took 2.6 s (RESULTS.md gives both)."""
    for folder in ("records", "sources", "captures", "schema", "build"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                path.read_bytes()


REPEAT = 5


def median(timed: Callable[[int], float]) -> float:
    """The median of REPEAT runs (each given its index): on this machine one run of the same
    command varies by up to half its time, which decides a sub-second figure."""
    return statistics.median(timed(i) for i in range(REPEAT))


def synthetic(size: int) -> Path:
    from nkcp.synthetic import generate

    root = SYNTHETIC / str(size)
    marker = root / ".generated"
    if not marker.exists():
        started = time.perf_counter()
        generate(root, size)
        marker.write_text(f"{size} events, seed 1\n", encoding="utf-8")
        print(f"  generated {size} events in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return root


def bench_size(size: int, peer: bool) -> dict[str, object]:
    root = synthetic(size)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NKCP_CACHE": cache}
        row: dict[str, object] = {"events": size}
        row["validate_cold_s"] = nkcp("validate", "--root", str(root), env=env)  # also fills the cache
        row["validate_nocache_s"] = nkcp("validate", "--no-cache", "--root", str(root), env=env)
        row["validate_nocache_serial_s"] = nkcp("validate", "--no-cache", "--root", str(root),
                                                env={**env, "NKCP_JOBS": "1"})
        time.sleep(2.1)  # let the files written by the generator leave the racy window
        nkcp("validate", "--root", str(root), env=env)
        row["validate_warm_s"] = median(lambda _: nkcp("validate", "--root", str(root), env=env))
        event = root / "records" / "events" / "E000001.yaml"
        original = event.read_text(encoding="utf-8")
        summary = "SYNTHETIC event 1 generated"

        def edited(i: int, *named: str) -> float:  # each run follows a new edit of the summary
            new = f"SYNTHETIC event 1 (edit {i}{' named' if named else ''}) generated"
            event.write_text(original.replace(summary, new), encoding="utf-8")
            return nkcp("validate", "--root", str(root), *named, env=env)

        def reference_edited(i: int) -> float:  # each run changes the reference, back or forth
            event.write_text(_change_reference(original) if i % 2 == 0 else original, encoding="utf-8")
            return nkcp("validate", "--root", str(root), env=env)

        try:
            assert summary in original
            row["validate_one_edit_s"] = median(edited)
            row["validate_one_file_arg_s"] = median(lambda i: edited(i, str(event)))
            row["validate_reference_edit_s"] = median(reference_edited)
        finally:
            event.write_text(original, encoding="utf-8")
    row["build"] = measure("build", root)
    row["yaml"] = measure("yaml", root)
    row["check_package_s"] = median(lambda _: nkcp("check-package", "--root", str(root), env=os.environ.copy()))
    if peer:
        row["build_frictionless_s"] = nkcp("build", "--frictionless", "--root", str(root), env=os.environ.copy())
        warm(root)
        peer_runs = 3 if size <= 10_000 else 1  # 4 s a run at 10k, 23 s at 100k
        row["frictionless_peer_s"] = statistics.median(
            run([str(BIN / "frictionless"), "validate", str(root / "datapackage.json")])[0] for _ in range(peer_runs))
        row["checks"] = measure("checks", root)
    return row


def _change_reference(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("origin_place_id: "):
            lines[i] = "origin_place_id: " + ("sinuiju" if line != "origin_place_id: sinuiju" else "chongjin")
    return "\n".join(lines)


def bench_real() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", ".git", "benchmarks", "*.egg-info"))
        env = {**os.environ, "NKCP_CACHE": tmp + "/cache"}
        help_s = median(lambda _: nkcp("--help", env=env))
        build_s = median(lambda _: nkcp("build", "--root", str(root), env=env))
        nkcp("validate", "--root", str(root), env=env)
        validate_s = median(lambda _: nkcp("validate", "--root", str(root), env=env))
        check_s = median(lambda _: nkcp("check-package", "--root", str(root), env=env))
        peer_s = statistics.median(run([str(BIN / "frictionless"), "validate", str(root / "datapackage.json")])[0]
                                   for _ in range(3))
        checks = measure("checks", root)
    return {"help_s": help_s, "build_s": build_s, "validate_warm_s": validate_s, "check_package_s": check_s,
            "frictionless_peer_s": peer_s, "checks": checks}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {platform.platform()}"


def report(real: dict[str, object], rows: list[dict[str, object]]) -> str:
    out = [f"machine: {machine()}", "",
           f"real dataset: nkcp --help {real['help_s']:.2f} s, cold build {real['build_s']:.2f} s, "
           f"validate (warm) {real['validate_warm_s']:.2f} s, check-package {real['check_package_s']:.2f} s, "
           f"frictionless validate {real['frictionless_peer_s']:.2f} s", ""]
    out.append("| events | build wall | `build --frictionless` "
               "| build memory: peak PSS of all processes (peak RSS: process + largest child) "
               "| validate cold | validate --no-cache (one process) "
               "| validate warm | one file edited | `validate FILE` | reference edited "
               "| `check-package` | frictionless validate | frictionless / check-package |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        b = row["build"]
        assert isinstance(b, dict)
        peer = f"{row['frictionless_peer_s']:.2f} s" if "frictionless_peer_s" in row else "not run"
        ratio = (f"{round(float(str(row['frictionless_peer_s'])), 2) / round(float(str(row['check_package_s'])), 2):.1f}x"
                 if "frictionless_peer_s" in row else "")  # of the figures printed, so that readers get the same
        with_peer = f"{row['build_frictionless_s']:.2f} s" if "build_frictionless_s" in row else "not run"
        out.append(f"| {row['events']} | {b['process_wall_s']:.2f} s | {with_peer} "
                   f"| {b['tree_pss_peak_mib']:.0f} MiB "
                   f"({b['peak_mib']:.0f} + {b['children_peak_mib']:.0f}) "
                   f"| {row['validate_cold_s']:.2f} s | {row['validate_nocache_s']:.2f} s "
                   f"({row['validate_nocache_serial_s']:.2f} s) | {row['validate_warm_s']:.2f} s "
                   f"| {row['validate_one_edit_s']:.2f} s | {row['validate_one_file_arg_s']:.2f} s "
                   f"| {row['validate_reference_edit_s']:.2f} s | {row['check_package_s']:.2f} s | {peer} | {ratio} |")
    out += ["", "build phases (wall s, share of the in-process build time):"]
    for row in rows:
        b = row["build"]
        assert isinstance(b, dict)
        phases = b["phases"]
        total = sum(phases.values())
        shares = ", ".join(f"{k} {v:.2f} ({v / total:.0%})" for k, v in phases.items())
        y = row["yaml"]
        assert isinstance(y, dict)
        out.append(f"- {row['events']} events: {shares}; record files alone, in one process: read, typed and proved "
                   f"canonical a field at a time {y['canonical_rows_s']:.2f} s over {y['files']} files "
                   f"({y['fallbacks']} fall back); libyaml's parse alone would take ~{y['libyaml_s_estimate']:.2f} s, "
                   f"the full path (libyaml, typing, writing back) ~{y['full_path_s_estimate']:.2f} s")
    out += ["", "the checks alone, in one process after its imports (ours: median of 3 after a first run; "
            "Frictionless's Package.validate: one run):"]
    for label, checks in [("real dataset", real["checks"]), *((f"{row['events']} events", row.get("checks"))
                                                               for row in rows)]:
        if isinstance(checks, dict):
            out.append(f"- {label}: ours {checks['ours_s']:.3f} s, Frictionless {checks['frictionless_s']:.2f} s "
                       f"({checks['frictionless_s'] / checks['ours_s']:.0f}x)"
                       + ("" if checks["valid"] else "; Frictionless found the package INVALID"))
    if len(rows) > 1:
        out.append("")
    for first, last in itertools.pairwise(rows):  # the goal is on each step (10k -> 100k at most 12x)
        fb, lb = first["build"], last["build"]
        assert isinstance(fb, dict) and isinstance(lb, dict)
        ratio = float(lb["process_wall_s"]) / float(fb["process_wall_s"])
        out.append(f"growth of build wall time {first['events']} -> {last['events']} events: {ratio:.1f}x "
                   f"for {int(str(last['events'])) / int(str(first['events'])):.0f}x the events")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--peer", action="store_true",
                        help="also run frictionless validate and build --frictionless (slow at 100k)")
    parser.add_argument("--child", nargs=3, metavar=("OP", "ROOT", "EXTRA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.child[2])
        return
    compiled = compile_modules()
    real = bench_real()
    rows = [bench_size(size, args.peer) for size in args.sizes]
    print(report(real, rows))
    print(compiled)


def compile_modules() -> str:
    """Compile nkcp's modules to bytecode once, as pip does when it installs a package (and as
    Python does at a first import, unless told not to write bytecode).

    Why: this machine sets PYTHONDONTWRITEBYTECODE=1, so an editable install's modules were
    compiled from source in every measured command (about 0.03 s of a check-package, more for
    commands that import more), while Frictionless, installed by pip, ran from bytecode. Python
    still reads bytecode that exists under that setting; it only does not write it."""
    import compileall

    import nkcp

    package = Path(nkcp.__file__).parent
    compileall.compile_dir(package, quiet=1)
    said = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return (f"nkcp's modules compiled to bytecode before measuring ({package}); "
            f"PYTHONDONTWRITEBYTECODE={said!r} in this environment")


if __name__ == "__main__":
    main()
