"""A new article from capture to drafts through the real CLI (`nkcp add`, then `nkcp extract`) in
a copy of the miniature repository with the real rules. The three articles are written for these
tests in the styles of RFA, Daily NK and Yonhap; they are not real articles and never captures of
the dataset. They exercise acts in narration and in quotations, denied acts (not drafted),
feared and rumoured acts (drafted only as rumours), quoted names and borrowed phrases (not
speech), speakers ("police have told residents that", "a worried resident", "the resident
added"), the day of speaking and a planned date."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import REPO, run_cli

RFA_STYLE = (
    "North Korean authorities have expelled from the party several officials in Pyongyang whose relatives fled "
    "to the South, a source in the capital told RFA on June 18.\n\n"
    "Party members whose brothers or sisters defected were stripped of party membership at a meeting early this "
    "month, the source said. Their families were not exiled, but their phones have been wiretapped since spring.\n\n"
    "“The security department called them in one by one and forced them to sign a pledge to report any call from "
    "abroad,” said the source, who requested anonymity for safety reasons.\n\n"
    "A worried resident of the capital told RFA that she had not slept since her nephew left. “I was questioned "
    "by the police for three days in May,” she said.\n\n"
    "“Nobody has come for us yet, but everyone is afraid,” the resident added.\n\n"
    "Police have told residents that “every household must report visitors to the inminban head.”\n\n"
    "A public trial of the brokers will be held on June 25 in the city stadium, the first source said on Monday, "
    "adding that so far no one has been punished.\n\n"
    "Residents fear they may be sent to the countryside if another family leaves.\n")

DAILYNK_STYLE = (
    "Families of defectors in Pyongyang have been placed under surveillance, Daily NK has learned.\n\n"
    "“Security agents have been monitoring the houses of defector families around the clock since the beginning "
    "of the month,” a source in Pyongyang told Daily NK on the 12th. “Two women were picked up by the police "
    "last week.”\n\n"
    "The source said there is word going round that the families will be banished to remote villages, though "
    "no order has been given.\n\n"
    "A resident who gave her name as “Choi” said the local people’s committee had summoned the relatives of "
    "those who left.\n\n"
    "The agents searched homes for “anything that could link them to the South” and left without a word.\n")

YONHAP_STYLE = (
    "SEOUL, June 22 (Yonhap) -- North Korea has dismissed from their posts dozens of officials in Pyongyang "
    "whose relatives defected to the South, a South Korean government official said Tuesday.\n\n"
    "\"Those officials were not arrested, but they were removed from their posts and sent to work at farms,\" "
    "the official told reporters on condition of anonymity.\n\n"
    "The Unification Ministry said it could not confirm the report. A ministry spokesperson added that the "
    "government \"is closely watching the situation.\"\n\n"
    "The North denied that the families had been punished.\n")

NKNEWS_STYLE = (
    "Authorities in Pyongyang have begun sending the relatives of soldiers who deserted their units to labor "
    "camps, two sources inside the country told NK News this week.\n\n"
    "“Three families were taken away by Ministry of State Security agents last month,” one source said, adding "
    "that their houses were sealed the next morning. “Nobody knows where they are now.”\n\n"
    "The second source said the families had not been formally charged.\n\n"
    "Residents worry that more arrests may follow after the anniversary celebrations, the first source said.\n")

JOONGANG_STYLE = (
    "The North Korean regime has ordered the families of workers who fled from a restaurant in China to move out "
    "of Pyongyang, according to a report by a Seoul-based human rights group on Thursday.\n\n"
    "The report said the relatives were struck off the capital’s residency register in March and relocated to "
    "rural areas.\n\n"
    "“They were given three days to leave,” said Kim Young-ja, a researcher at the group who conducted the "
    "interviews. “Some were also expelled from the Workers’ Party.”\n\n"
    "Kim added that none of the relatives had been sent to political prison camps, as far as the group could "
    "confirm. The families “will live under watch for the rest of their lives,” she said.\n")


def _extract(root: Path, tmp_path: Path, source_id: str, text: str) -> dict[str, Any]:
    """`nkcp add` the article as published on 2021-06-23, `nkcp extract` it, and read the drafts."""
    article = tmp_path / f"{source_id}.txt"
    article.write_text(text, encoding="utf-8")
    code, output = run_cli("add", str(article), "--root", str(root), "--source-id", source_id,
                           "--url", f"https://example.org/news/{source_id}", "--publisher", "Example News",
                           "--derivation", "original", "--not-truncated", "--not-machine-paraphrase",
                           "--date", "2021-06-23")
    assert code == 0, output
    capture = next(p for p in (root / "captures").iterdir() if p.read_text(encoding="utf-8") == text)
    code, output = run_cli("extract", f"captures/{capture.name}", "--root", str(root))
    assert code == 0, output
    folder = root / "drafts" / source_id
    quotes = yaml.safe_load((folder / "quotes" / f"{source_id}.yaml").read_text(encoding="utf-8"))["quotes"]
    events = {}
    for path in sorted((folder / "events").glob("*.yaml")):
        event = yaml.safe_load(path.read_text(encoding="utf-8"))
        event["evidence"] = yaml.safe_load((folder / "evidence" / path.name).read_text(encoding="utf-8"))["evidence"]
        events[event["event_type"]] = event
    proposals = yaml.safe_load((folder / "proposals.yaml").read_text(encoding="utf-8"))["proposals"]
    return {"text": text, "quotes": quotes, "events": events, "proposals": proposals, "output": output}


@pytest.fixture
def repo(mini_repo: Path) -> Path:
    shutil.copytree(REPO / "rules", mini_repo / "rules")
    return mini_repo


def _cited(drafts: dict[str, Any], event: dict[str, Any], field: str) -> list[str]:
    """The texts cited for a field, each checked against the capture's characters."""
    out = []
    for entry in event["evidence"]:
        assert entry["text"] == drafts["text"][entry["start_offset"]:entry["end_offset"]].replace("\n", " ")
        if entry["coded_field"] == field:
            out.append(entry["text"])
    return out


def test_an_rfa_style_article(repo: Path, tmp_path: Path) -> None:
    drafts = _extract(repo, tmp_path, "test-2021-rfa-style", RFA_STYLE)
    events = drafts["events"]
    assert {t: e["claim_status"] for t, e in events.items()} == {
        "economic_or_social_sanction": "reported", "surveillance_or_watchlisting": "reported",
        "other_collective_punishment": "reported", "interrogation_or_summons": "reported",
        "public_denunciation": "rumour", "banishment": "rumour"}
    # acts from the narration and from the quotations, each cited with its rule's words
    assert _cited(drafts, events["economic_or_social_sanction"], "event_type") == [
        "expelled from the party", "stripped of party membership"]
    assert _cited(drafts, events["other_collective_punishment"], "event_type") == ["forced them to sign"]
    # "were not exiled" is denied, "fear they may be sent" only feared: a rumour, with its words
    banishment = events["banishment"]
    assert "'exiled'" in banishment["notes"] and "scope-negation" in banishment["notes"]
    assert _cited(drafts, banishment, "claim_status") == ["may be sent", "fear they may be sent to the countryside"]
    assert _cited(drafts, banishment, "event_type") == ["sent to the countryside"]
    # "no one has been punished" is denied: no generic punishment beside the pledge
    assert "'punished'" in events["other_collective_punishment"]["notes"]
    # a planned trial is no report, and its date resolves forward from the report
    trial = events["public_denunciation"]
    assert (str(trial["date_start"]), str(trial["date_end"])) == ("2021-06-25", "2021-06-25")
    assert _cited(drafts, trial, "claim_status") == ["public trial of the brokers will"]
    # the day of speaking bounds an act named in the same sentence; "in May" dates the questioning
    sanction = events["economic_or_social_sanction"]
    assert (str(sanction["date_start"]), str(sanction["date_end"])) == ("2021-06-01", "2021-06-10")
    summons = events["interrogation_or_summons"]
    assert (str(summons["date_start"]), str(summons["date_end"])) == ("2021-05-01", "2021-05-31")
    spoken = {p["text"] for p in drafts["proposals"] if p["kind"] == "date" and p.get("spoken")}
    assert spoken == {"June 18", "on Monday"}
    # speakers: the source, a worried resident (twice, "she said" and "the resident added"), the police
    speakers = [(q["text"][:20], q["speaker_words"], q["informant_id"]) for q in drafts["quotes"]]
    assert [s[:2] for s in speakers] == [
        ("The security departm", "the source, who requested anonymity for safety reasons"),
        ("I was questioned by ", "she"), ("Nobody has come for ", "the resident"),
        ("every household must", "Police")]
    assert speakers[1][2] == speakers[2][2] != speakers[0][2]
    assert len({s[2] for s in speakers}) == 3


def test_a_daily_nk_style_article(repo: Path, tmp_path: Path) -> None:
    drafts = _extract(repo, tmp_path, "test-2021-dailynk-style", DAILYNK_STYLE)
    # the quoted name and the borrowed phrase are not quotations
    assert [q["text"][:25] for q in drafts["quotes"]] == ["Security agents have been", "Two women were picked up "]
    terms = {p["text"] for p in drafts["proposals"] if p["kind"] == "quote" and p["class"] == "term"}
    assert terms == {"Choi", "anything that could link them to the South"}
    events = drafts["events"]
    assert {t: e["claim_status"] for t, e in events.items()} == {
        "surveillance_or_watchlisting": "reported", "arrest_or_detention": "reported", "banishment": "rumour",
        "interrogation_or_summons": "reported"}
    assert _cited(drafts, events["banishment"], "claim_status") == [
        "word going round", "word going round that the families will be banished"]
    # "last week" inside the quotation is resolved against the day the source spoke, the 12th
    arrest = events["arrest_or_detention"]
    assert (str(arrest["date_start"]), str(arrest["date_end"])) == ("2021-05-31", "2021-06-06")
    assert arrest["perpetrator"] == "police_ministry"
    assert events["interrogation_or_summons"]["perpetrator"] == "local_peoples_committee"


def test_a_yonhap_style_article(repo: Path, tmp_path: Path) -> None:
    drafts = _extract(repo, tmp_path, "test-2021-yonhap-style", YONHAP_STYLE)
    events = drafts["events"]
    # "were not arrested" and "denied that the families had been punished" draft nothing
    assert list(events) == ["economic_or_social_sanction"]
    assert _cited(drafts, events["economic_or_social_sanction"], "event_type") == ["dismissed from", "removed from"]
    assert [(q["text"][:15], q["speaker_words"]) for q in drafts["quotes"]] == [
        ("Those officials", "the official"), ("is closely watc", "A ministry spokesperson")]
    assert drafts["quotes"][0]["informant_id"] != drafts["quotes"][1]["informant_id"]
    spoken = [p for p in drafts["proposals"] if p["kind"] == "date" and p.get("spoken")]
    assert [(p["text"], p["date_start"]) for p in spoken] == [("Tuesday", "2021-06-22")]
    denied = {p["text"]: p["scope_rule"] for p in drafts["proposals"] if p.get("scope") == "denied"}
    assert denied == {"arrested": "scope-negation", "punished": "scope-denial"}


def test_an_nk_news_style_article(repo: Path, tmp_path: Path) -> None:
    drafts = _extract(repo, tmp_path, "test-2021-nknews-style", NKNEWS_STYLE)
    events = drafts["events"]
    # labour camps in the narration, the taking away in a quotation; "more arrests may follow" is feared only
    assert {t: e["claim_status"] for t, e in events.items()} == {
        "political_prison_camp": "reported", "arrest_or_detention": "reported"}
    arrest = events["arrest_or_detention"]
    assert _cited(drafts, arrest, "event_type") == ["taken away by"]
    assert arrest["perpetrator"] == "ministry_of_state_security"
    assert (str(arrest["date_start"]), str(arrest["date_end"])) == ("2021-05-01", "2021-05-31")
    feared = [p for p in drafts["proposals"] if p["kind"] == "cue" and p.get("text") == "arrests"]
    assert [(p["scope"], p["scope_rule"]) for p in feared] == [("hedged", "scope-fear")]


def test_a_joongang_style_article(repo: Path, tmp_path: Path) -> None:
    drafts = _extract(repo, tmp_path, "test-2021-joongang-style", JOONGANG_STYLE)
    events = drafts["events"]
    # none sent to camps: no camp event; a future watch is a rumour at most
    assert {t: e["claim_status"] for t, e in events.items()} == {
        "eviction": "reported", "banishment": "reported", "economic_or_social_sanction": "reported",
        "surveillance_or_watchlisting": "rumour"}
    assert _cited(drafts, events["eviction"], "event_type") == [
        "ordered the families of workers who fled from a restaurant in China to move out of Pyongyang",
        "struck off the capital’s residency register"]
    assert [(q["text"][:12], q["speaker_words"]) for q in drafts["quotes"]] == [
        ("They were gi", "Kim Young-ja, a researcher at the group who conducted the interviews"),
        ("Some were al", "Kim Young-ja, a researcher at the group who conducted the interviews"),
        ("will live un", "she")]
    assert len({q["informant_id"] for q in drafts["quotes"]}) == 1
