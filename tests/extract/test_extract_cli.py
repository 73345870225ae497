"""`nkcp extract` end to end on an invented article in the miniature repository: drafts are
written with every proposal's rule and span, `nkcp validate` ignores drafts/ but refuses draft
records moved into records/ until a person sets record_status, and the real duplicate pair is
reported in proposals.yaml."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import yaml
from tests.conftest import REPO, run_cli

ARTICLE = ("Families of workers who stayed in China have been banished, a source in North Pyongan province "
           "told RFA on Tuesday.\n\n“In May, 12 families were banished from Pyongyang to the countryside by the "
           "security department,” the source said. “Nobody told them where they were going.”\n")


def _add_capture(root: Path, source_id: str, text: str) -> str:
    rel = f"captures/{source_id}.txt"
    (root / rel).write_text(text, encoding="utf-8")
    sidecar = (root / "sources" / "mini-source.yaml").read_text(encoding="utf-8")
    sidecar = sidecar.replace("source_id: mini-source", f"source_id: {source_id}").replace("captures/mini.txt", rel)
    sidecar = re.sub(r"capture_sha256: \w+", "capture_sha256: " + hashlib.sha256(text.encode()).hexdigest(), sidecar)
    (root / "sources" / f"{source_id}.yaml").write_text(sidecar, encoding="utf-8")
    return rel


def test_drafts_are_refused_until_reviewed(extract_repo: Path) -> None:
    rel = _add_capture(extract_repo, "invented-source", ARTICLE)
    code, output = run_cli("extract", rel, "--root", str(extract_repo))
    assert code == 0, output
    folder = extract_repo / "drafts" / "invented-source"
    proposals = yaml.safe_load((folder / "proposals.yaml").read_text(encoding="utf-8"))
    assert proposals["rules"] == "reviewed only"
    rule_ids = {p["rule"] for p in proposals["proposals"]}
    assert {"quote-mark-curly-double", "cue-banishment", "count-number", "date-month"} <= rule_ids
    for p in proposals["proposals"]:
        assert 0 <= p["start"] < p["end"] <= len(ARTICLE)
    assert run_cli("validate", "--root", str(extract_repo))[0] == 0  # drafts/ is not read
    moved = []
    places = sorted((folder / "places").glob("*.yaml"))  # North Pyongan: an ISO province the mini repo lacks
    for table in ("quotes", "events", "evidence", "places"):
        for draft in sorted((folder / table).glob("*.yaml")):
            text = draft.read_text(encoding="utf-8")
            assert "record_status: draft" in text
            moved.append(extract_repo / "records" / table / draft.name)
            moved[-1].parent.mkdir(exist_ok=True)
            moved[-1].write_text(text, encoding="utf-8")
    assert len(moved) == 3 + len(places)
    code, output = run_cli("validate", "--root", str(extract_repo))
    assert code == 1
    refused = re.findall(r"^(records/\S+):\d+: \[draft-record\]", output, re.M)
    assert sorted(set(refused)) == sorted(p.relative_to(extract_repo).as_posix() for p in moved)
    entries = (folder / "evidence" / moved[2].name).read_text(encoding="utf-8").count("- evidence_id:")
    assert entries >= 5  # the act, target, claim, date and place at least, each with the rule's span
    assert len(refused) == 3 + entries + len(places)  # two quotations, one event, its evidence entries, draft places
    for path in moved:
        path.write_text(path.read_text(encoding="utf-8").replace("record_status: draft", "record_status: reviewed"),
                        encoding="utf-8")
    code, output = run_cli("validate", "--root", str(extract_repo))
    assert code == 0, output


def test_extract_refuses_to_overwrite_drafts(extract_repo: Path) -> None:
    rel = _add_capture(extract_repo, "invented-source", ARTICLE)
    assert run_cli("extract", rel, "--root", str(extract_repo))[0] == 0
    code, output = run_cli("extract", rel, "--root", str(extract_repo))
    assert code == 1 and "[drafts-exist]" in output
    assert run_cli("extract", rel, "--root", str(extract_repo), "--force")[0] == 0


def test_the_duplicate_pair_is_in_the_proposals(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for folder in ("schema", "rules", "records", "sources", "captures"):
        shutil.copytree(REPO / folder, root / folder)
    capture = next(p for p in sorted((root / "captures").glob("000_*.txt")))
    code, output = run_cli("extract", capture.relative_to(root).as_posix(), "--root", str(root))
    assert code == 0, output
    proposals = yaml.safe_load(
        (root / "drafts" / "amn-2020-07-12-pyongyang-exile" / "proposals.yaml").read_text(encoding="utf-8"))
    dups = [p for p in proposals["proposals"] if p["kind"] == "duplicate"]
    assert [(d["rule"], d["resembles"]) for d in dups] == [
        ("duplicate-word-shingles", "express-scraper-2020-07-pyongyang-exile")]
    assert 0.2 <= dups[0]["containment"] <= 1


def test_an_invalid_sidecar_is_refused_before_drafting(extract_repo: Path) -> None:
    """A sidecar with a wrong date would resolve "on Tuesday" against nothing: nothing is drafted."""
    rel = _add_capture(extract_repo, "invented-source", ARTICLE)
    sidecar = extract_repo / "sources" / "invented-source.yaml"
    text = sidecar.read_text(encoding="utf-8")
    date = re.search(r"publication_date_start: '?([0-9-]+)'?", text)
    assert date is not None
    sidecar.write_text(text.replace(date.group(0), "publication_date_start: 2020-13-45"), encoding="utf-8")
    code, output = run_cli("extract", rel, "--root", str(extract_repo))
    assert code == 1
    assert "sources/invented-source.yaml:" in output and "[bad-date]" in output
    assert "[invalid-sidecar] the capture's sidecar has the problems above, so nothing is drafted" in output
    assert not (extract_repo / "drafts" / "invented-source").exists()


def test_extract_says_which_date_relative_dates_were_resolved_against(extract_repo: Path) -> None:
    rel = _add_capture(extract_repo, "invented-source", ARTICLE)
    code, output = run_cli("extract", rel, "--root", str(extract_repo))
    assert code == 0, output
    assert re.search(r"relative dates resolved against the (original report's|publication) date, [0-9-]+", output), output
    assert "(sources/invented-source.yaml)" in output or "in sources/invented-source.yaml)" in output
