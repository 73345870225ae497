"""The real curated records: they validate, are canonical, and the committed build is what they
generate. Also the coverage promises of the first five captures, checked on the built tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from tests.conftest import REPO

from nkcp.io.yaml_nodes import dump_canonical
from nkcp.outputs.run import build
from nkcp.records.parse import canonical_record
from nkcp.records.run import validate
from nkcp.schema.model import load_schema

GENERATED = ("build", "datapackage.json")


def _table(name: str) -> dict[str, dict[str, object]]:
    rows = pq.read_table(REPO / "build" / f"{name}.parquet").to_pylist()
    key = {"events": "event_id", "quotes": "quote_id", "sources": "source_id", "locations": "place_id",
           "evidence": "evidence_id"}[name]
    return {str(r[key]): r for r in rows}


def test_real_records_validate() -> None:
    _, problems = validate(REPO)
    assert not problems, problems.as_text()


def test_every_record_file_is_canonical() -> None:
    reg = load_schema(REPO)
    corpus, _ = validate(REPO)
    by_file: dict[str, list] = {}
    for rows in corpus.rows.values():
        for row in rows:
            by_file.setdefault(row.path, []).append(row)
    assert by_file
    for rel, rows in by_file.items():
        table = reg.tables[rows[0].table]
        if table.grouped_by:
            data = {table.grouped_by: rows[0].values[table.grouped_by],
                    table.name: [canonical_record(r, reg) for r in rows]}
        else:
            data = canonical_record(rows[0], reg)
        assert dump_canonical(data) == (REPO / rel).read_text(encoding="utf-8"), rel


def test_committed_build_equals_a_fresh_build(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "datapackage.json", "__pycache__", ".nkcp-*", "*.egg-info", ".*cache*"))
    build(copy)
    for rel in [p.relative_to(REPO) for p in (REPO / "build").rglob("*") if p.is_file()] + [Path("datapackage.json")]:
        assert (copy / rel).read_bytes() == (REPO / rel).read_bytes(), f"{rel} drifted: run nkcp build"
    assert sorted(p.relative_to(copy) for p in (copy / "build").rglob("*")) == \
        sorted(p.relative_to(REPO) for p in (REPO / "build").rglob("*"))


def test_captures_are_the_shared_captures_byte_for_byte() -> None:
    sources = _table("sources")
    assert len(sources) == 5
    for source in sources.values():
        from nkcp.io.files import sha256_file

        assert sha256_file(REPO / str(source["capture_path"])) == source["capture_sha256"]


def test_000_and_001_are_one_independence_group() -> None:
    sources = _table("sources")
    groups = {s["capture_path"]: s["independence_group"] for s in sources.values()}
    assert groups["captures/000_280cf06f8c694938.txt"] == groups["captures/001_2d75d0225da8cc45.txt"]
    assert len(set(groups.values())) == 4


def test_june_2020_exile_is_sourced_by_both_copies_but_one_witness() -> None:
    event = _table("events")["E0001"]
    assert event["event_type"] == "banishment"
    assert (event["origin_place_id"], event["destination_place_id"]) == ("pyongyang", "hwanghae-mountain-areas")
    assert event["count_best"] == 30
    assert (str(event["date_start"]), str(event["date_end"])) == ("2020-06-01", "2020-06-30")
    assert event["source_count"] == 2
    assert event["independent_group_count"] == 1


def test_children_of_the_june_exile() -> None:
    events = _table("events")
    children = {e["event_id"] for e in events.values() if e["parent_event_id"] == "E0001"}
    assert len(children) >= 3
    dests = {events[c]["destination_place_id"] for c in children}
    assert {"chaeryong-county", "sinkye-county"} <= dests


def test_rumour_is_coded_as_rumour() -> None:
    rumours = [e for e in _table("events").values() if e["claim_status"] == "rumour"]
    assert rumours
    assert all("dailynk-2014-02-rumours-of-exile" in str(e["source_ids"]) for e in rumours)


def test_paraphrased_copy_quotes_are_flagged() -> None:
    quotes = _table("quotes").values()
    from_004 = [q for q in quotes if q["source_id"] == "reporteram-2020-06-22-visa-overstayers"]
    assert from_004
    assert all(q["is_from_paraphrased_copy"] for q in from_004)
    others = [q for q in quotes if q["source_id"] != "reporteram-2020-06-22-visa-overstayers"]
    assert others
    assert not any(q["is_from_paraphrased_copy"] for q in others)


def test_truncated_quotes_are_flagged_only_in_002() -> None:
    cut = [q for q in _table("quotes").values() if q["is_cut_by_publisher"]]
    assert cut
    assert {q["source_id"] for q in cut} == {"dailynk-2014-02-rumours-of-exile"}


def test_every_event_has_evidence_and_every_unknown_has_a_reason() -> None:
    evidence = _table("evidence").values()
    for event_id, event in _table("events").items():
        assert {e["coded_field"] for e in evidence if e["event_id"] == event_id} >= {"event_type", "claim_status"}
        assert event["source_ids"]
    reg = load_schema(REPO)
    for name in ("events", "sources", "locations", "quotes"):
        for row in _table(name).values():
            reasons = json.loads(str(row["unknown_reasons"]))
            for f in reg.table_fields(name):
                if f.reason_if_empty and row[f.name] is None:
                    assert reasons.get(f.name), (name, f.name)


@pytest.mark.parametrize("place", ["pyongyang", "sinwon-county", "chaeryong-county", "sinuiju", "chongjin",
                                   "hoeryong"])
def test_korean_places_have_coordinates_from_geonames_inside_north_korea(place: str) -> None:
    row = _table("locations")[place]
    assert row["country_code"] == "KP"
    assert 37.5 < float(row["latitude"]) < 43.1 and 124.1 < float(row["longitude"]) < 130.8
    assert str(row["coordinate_source"]).startswith(f"GeoNames {row['geonames_id']} ")


def test_villages_without_geonames_have_no_coordinates() -> None:
    for place in ("ryongwol-village", "changgom-village", "sinkye-county"):
        row = _table("locations")[place]
        assert row["latitude"] is None and row["geonames_id"] is None
