"""A newcomer's whole path for an article nobody here has seen, each step as they would type it:
add the capture, extract drafts (several captures in one call), find a place, review, accept,
validate, build, explain. Through the real CLI on the miniature repository with the real rules;
the article is a fixture written in the genre's style, never a capture of the dataset."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from tests.conftest import REPO, run_cli
from tests.test_accept import ARTICLES, _review_by_hand

ARTICLE = REPO / "tests" / "fixtures" / "articles" / "onsong-families.txt"
SOURCE = "example-2023-03-14-onsong-families"


def _add(repo: Path, path: Path, source_id: str, date: str) -> str:
    code, output = run_cli("add", str(path), "--root", str(repo), "--source-id", source_id,
                           "--url", f"https://example.org/news/{source_id}", "--publisher", "Example News",
                           "--derivation", "original", "--not-truncated", "--not-machine-paraphrase",
                           "--title", "Families of defectors banished from border county, sources say", "--date", date)
    assert code == 0, output
    return re.search(r"wrote (captures/\S+\.txt)", output).group(1)  # type: ignore[union-attr]


def test_an_unseen_article_from_capture_to_a_built_release(mini_repo: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "rules", mini_repo / "rules")
    capture = _add(mini_repo, ARTICLE, SOURCE, "2023-03-14")
    other_id = next(iter(ARTICLES))
    other = tmp_path / "other.txt"
    other.write_text(ARTICLES[other_id], encoding="utf-8")
    other_capture = _add(mini_repo, other, other_id, "2022-04-11")

    code, output = run_cli("extract", capture, other_capture, "--root", str(mini_repo))  # both in one call
    assert code == 0, output
    assert output.count("wrote drafts/") == 2
    assert "relative dates resolved against the publication date, 2023-03-14" in output
    drafts = mini_repo / "drafts" / SOURCE
    events = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((drafts / "events").glob("*.yaml"))]
    by_type = {e["event_type"]: e for e in events}
    # What the article reports: a banishment last month of at least five families from Onsong,
    # summonses by the Ministry of State Security, surveillance; not the arrest it denies.
    assert by_type["banishment"]["date_start"] == "2023-02-01" and by_type["banishment"]["date_end"] == "2023-02-28"
    assert by_type["banishment"]["count_low"] == 5 and by_type["banishment"]["count_unit"] == "families"
    assert by_type["banishment"]["origin_place_id"] == "onsong"
    assert by_type["interrogation_or_summons"]["perpetrator"] == "ministry_of_state_security"
    assert "surveillance_or_watchlisting" in by_type and "arrest_or_detention" not in by_type
    place = yaml.safe_load((drafts / "places" / "onsong.yaml").read_text(encoding="utf-8"))
    assert place["geonames_id"] and "Onsong" in place["aliases"] + [place["name"]]

    code, output = run_cli("place", "search", "Onsŏng", "--root", str(mini_repo))  # any spelling finds it
    assert code == 0 and "Onsong" in output, output
    code, output = run_cli("review", SOURCE, "--root", str(mini_repo))
    assert code == 0 and "[[" in output and "--accept" in output, output

    # The reviewer corrects what the rules got wrong: the families went "to remote farms", not to the
    # province Onsong lies in, so the destination is the coarsest place the words allow, the country.
    banishment = next(p for p in sorted((drafts / "events").glob("*.yaml")) if "banishment" in p.read_text(encoding="utf-8"))
    data = yaml.safe_load(banishment.read_text(encoding="utf-8"))
    data["destination_place_id"] = "north-korea"
    banishment.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    evidence = drafts / "evidence" / banishment.name
    ev = yaml.safe_load(evidence.read_text(encoding="utf-8"))
    text = ARTICLE.read_text(encoding="utf-8")
    for entry in ev["evidence"]:
        if entry["coded_field"] == "destination_place_id":
            start = text.index("to remote farms")
            entry.update(start_offset=start, end_offset=start + len("to remote farms"), text="to remote farms",
                         evidence_basis="inferred", reasoning="Farms somewhere in North Korea: the article does not say where.")
    evidence.write_text(yaml.safe_dump(ev, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for source_id in (SOURCE, other_id):
        _review_by_hand(mini_repo, source_id)
        code, output = run_cli("review", source_id, "--accept", "--reviewer", "A. Newcomer", "--root", str(mini_repo))
        assert code == 0, output

    assert run_cli("validate", "--root", str(mini_repo)) == (0, "ok: no problems found\n")
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    built = (mini_repo / "build" / "events.csv").read_text(encoding="utf-8")
    assert SOURCE in built and "onsong" in built
    event_id = next(line.split(",")[0] for line in built.splitlines() if "onsong" in line and "banishment" in line)
    code, output = run_cli("explain", event_id, "--root", str(mini_repo))
    assert code == 0 and "at least five families" in output, output
