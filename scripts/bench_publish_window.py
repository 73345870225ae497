"""Measure the moment in which a reader sees build/ and datapackage.json from different builds.

Publishing swaps build/ and then datapackage.json, each atomically (src/nkcp/publish.py); between
the end of the first swap and the end of the second the outputs are mixed. This script publishes
staged copies of the miniature fixture's outputs back and forth N times and prints the length of
that window (from the return of the first swap to the return of the second), and of the whole
publish step. Usage: python scripts/bench_publish_window.py [N]
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from nkcp import io, publish
from nkcp.cli import app

REPO = Path(__file__).resolve().parent.parent


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(REPO / "tests/fixtures/mini", root, ignore=shutil.ignore_patterns("golden"))
        shutil.copytree(REPO / "schema", root / "schema")
        app(["build", "--root", str(root)], standalone_mode=False)
        versions = []
        for i in range(2):  # two distinct output sets to alternate between
            v = Path(tmp) / f"v{i}"
            shutil.copytree(root / "build", v / "build")
            shutil.copy(root / "datapackage.json", v / "datapackage.json")
            (v / "build" / "CODEBOOK.md").write_text(f"version {i}\n")
            (v / "datapackage.json").write_text(f'{{"version": {i}}}\n')
            versions.append(v)

        marks: list[int] = []
        original = io.swap_into_place

        def timed(new: Path, target: Path) -> None:
            original(new, target)
            marks.append(time.perf_counter_ns())

        io.swap_into_place = timed  # type: ignore[assignment]
        windows, totals = [], []
        for i in range(n):
            staging = publish.new_staging(root)
            shutil.copytree(versions[i % 2] / "build", staging / "build")
            shutil.copy(versions[i % 2] / "datapackage.json", staging / "datapackage.json")
            marks.clear()
            started = time.perf_counter_ns()
            with publish.lock(root):
                publish.publish(staging, root)
            totals.append(time.perf_counter_ns() - started)
            windows.append(marks[1] - marks[0])
        exchange = io.exchange(root / "build", root / "build")  # same path: a no-op that says if supported
        print(f"renameat2(RENAME_EXCHANGE) available: {exchange}")
        print(f"publishes: {n}")
        print(f"mixed window (us): median {statistics.median(windows) / 1e3:.1f}, "
              f"max {max(windows) / 1e3:.1f}")
        print(f"whole publish incl. digests and fsyncs (ms): median {statistics.median(totals) / 1e6:.2f}, "
              f"max {max(totals) / 1e6:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
