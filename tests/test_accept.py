"""`nkcp review SOURCE --accept`: reviewed drafts move into records/ with the next free IDs, every
reference renumbered with them and the reviewer recorded; anything not reviewed moves nothing.
Through the real CLI on the miniature repository, from `nkcp add` to `nkcp build`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from tests.conftest import REPO, run_cli

# Written for this test in the style of the genre; not real articles, never captures of the dataset.
ARTICLES = {
    "test-2022-hyesan-exile": (
        "Families of three residents who fled to China were expelled from Hyesan last month, a source in Ryanggang "
        "province told reporters.\n\n\u201cThe police arrested the father first and then sent the family away,\u201d the "
        "source said. \u201cNobody knows where they went.\u201d\n\n"
        "\u201cPeople are afraid to talk about it,\u201d the source added.\n"),
    "test-2022-musan-summons": (
        "Security officials in Musan summoned the relatives of a defector for questioning in early March, a resident of "
        "North Hamgyong province said.\n\n\u201cThey were interrogated for two days and told to stop the calls to "
        "Seoul,\u201d the resident said.\n"),
}


def _reviewed(value: Any) -> Any:
    """What a reviewer's edit does to the fields this test needs: draft words replaced, status set."""
    if isinstance(value, dict):
        return {k: ("reviewed" if k == "record_status" else _reviewed(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_reviewed(v) for v in value]
    if isinstance(value, str) and re.search(r"\bDraft(:| from| placeholder)", value):
        return "Checked against the capture by the test's reviewer."
    return value


def _review_by_hand(repo: Path, source_id: str) -> None:
    for path in [repo / "sources" / f"{source_id}.yaml", *sorted((repo / "drafts" / source_id).rglob("*.yaml"))]:
        if path.name != "proposals.yaml":
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(yaml.safe_dump(_reviewed(data), allow_unicode=True, sort_keys=False), encoding="utf-8")


def _add_and_extract(repo: Path, tmp_path: Path, source_id: str) -> None:
    article = tmp_path / f"{source_id}.txt"
    article.write_text(ARTICLES[source_id], encoding="utf-8")
    code, output = run_cli("add", str(article), "--root", str(repo), "--source-id", source_id,
                           "--url", f"https://example.org/news/{source_id}", "--publisher", "Example News",
                           "--derivation", "original", "--not-truncated", "--not-machine-paraphrase",
                           "--title", "A test report", "--date", "2022-04-11")
    assert code == 0, output
    capture = re.search(r"wrote (captures/\S+\.txt)", output).group(1)  # type: ignore[union-attr]
    code, output = run_cli("extract", capture, "--root", str(repo))
    assert code == 0, output


def _tree(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}


def _ids(folder: Path, pattern: str) -> list[str]:
    return sorted(m for p in folder.rglob("*.yaml") for m in re.findall(pattern, p.read_text(encoding="utf-8")))


def test_reviewed_drafts_become_records_with_the_next_free_ids(mini_repo: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "rules", mini_repo / "rules")
    first, second = ARTICLES
    _add_and_extract(mini_repo, tmp_path, first)
    _add_and_extract(mini_repo, tmp_path, second)  # its draft IDs continue after the first's
    first_events = _ids(mini_repo / "drafts" / first / "events", r"event_id: (E\d+)")
    second_events = _ids(mini_repo / "drafts" / second / "events", r"event_id: (E\d+)")
    assert first_events and second_events and max(first_events) < min(second_events)
    for source_id in ARTICLES:
        _review_by_hand(mini_repo, source_id)

    code, output = run_cli("review", second, "--accept", "--reviewer", "R. Second", "--root", str(mini_repo))
    assert code == 0, output
    code, output = run_cli("review", first, "--accept", "--reviewer", "R. First", "--root", str(mini_repo))
    assert code == 0, output
    # The first source's drafts, accepted last, were renumbered past the second's records.
    assert "renumbered: " in output and f"{first_events[0]}->" in output
    events = mini_repo / "records" / "events"
    accepted_first = sorted(p.stem for p in events.iterdir() if first in p.read_text(encoding="utf-8"))
    assert accepted_first and min(accepted_first) > max(second_events)
    for event_id in accepted_first:  # the evidence went with its event, under its new id
        evidence = yaml.safe_load((mini_repo / "records" / "evidence" / f"{event_id}.yaml").read_text(encoding="utf-8"))
        assert evidence["event_id"] == event_id and all(v["record_status"] == "reviewed" for v in evidence["evidence"])
    quotes = yaml.safe_load((mini_repo / "records" / "quotes" / f"{first}.yaml").read_text(encoding="utf-8"))["quotes"]
    continued = [q for q in quotes if q.get("continues_quote_id")]
    assert all(q["continues_quote_id"] in {p["quote_id"] for p in quotes} for q in continued)
    sidecar = yaml.safe_load((mini_repo / "sources" / f"{first}.yaml").read_text(encoding="utf-8"))
    assert sidecar["reviewed_by"] == ["R. First"] and "reviewed_by" not in sidecar["unknown_reasons"]
    assert not (mini_repo / "drafts" / first).exists() and not (mini_repo / "drafts" / second).exists()
    assert run_cli("validate", "--root", str(mini_repo)) == (0, "ok: no problems found\n")
    code, output = run_cli("build", "--root", str(mini_repo))
    assert code == 0, output
    assert "R. First" in (mini_repo / "build" / "sources.csv").read_text(encoding="utf-8")


def test_nothing_moves_until_every_draft_is_reviewed(mini_repo: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "rules", mini_repo / "rules")
    source_id = next(iter(ARTICLES))
    _add_and_extract(mini_repo, tmp_path, source_id)
    before = _tree(mini_repo)
    code, output = run_cli("review", source_id, "--accept", "--reviewer", "R. Eviewer", "--root", str(mini_repo))
    assert code == 1
    assert f"sources/{source_id}.yaml:2: [not-reviewed]" in output
    assert re.search(rf"drafts/{source_id}/events/E\d+\.yaml:\d+: \[not-reviewed\]", output)
    assert "nothing moved" in output and _tree(mini_repo) == before

    _review_by_hand(mini_repo, source_id)
    quotes = mini_repo / "drafts" / source_id / "quotes" / f"{source_id}.yaml"
    data = yaml.safe_load(quotes.read_text(encoding="utf-8"))
    data["quotes"][0]["notes"] = "Draft from rule quote-said: left as the rules wrote it."
    quotes.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = _tree(mini_repo)
    code, output = run_cli("review", source_id, "--accept", "--reviewer", "R. Eviewer", "--root", str(mini_repo))
    assert code == 1 and "[draft-text]" in output and "notes still holds" in output
    assert _tree(mini_repo) == before
    code, output = run_cli("review", source_id, "--accept", "--root", str(mini_repo))
    assert code == 1 and "[no-reviewer]" in output and _tree(mini_repo) == before


def test_a_draft_that_breaks_a_rule_of_the_records_moves_nothing(mini_repo: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "rules", mini_repo / "rules")
    source_id = next(iter(ARTICLES))
    _add_and_extract(mini_repo, tmp_path, source_id)
    _review_by_hand(mini_repo, source_id)
    event = sorted((mini_repo / "drafts" / source_id / "events").glob("*.yaml"))[0]
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data["event_type"] = "banishmnet"
    event.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = _tree(mini_repo)
    code, output = run_cli("review", source_id, "--accept", "--reviewer", "R. Eviewer", "--root", str(mini_repo))
    assert code == 1
    line = next(n for n, text in enumerate(event.read_text(encoding="utf-8").splitlines(), 1) if "banishmnet" in text)
    assert f"drafts/{source_id}/events/{event.stem}.yaml:{line}: [unknown-value]" in output, output
    assert "did you mean: banishment" in output
    assert _tree(mini_repo) == before
