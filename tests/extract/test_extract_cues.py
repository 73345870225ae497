"""Act cues and their scope, quoted names and borrowed phrases, speakers and the day of speaking,
on invented sentences in the style of English news on North Korea (none is from a capture)."""

from __future__ import annotations

import pytest
from tests.extract.conftest import run_on

from nkcp.extract.draft import draft_events, draft_quotes
from nkcp.extract.engine import Context, Extraction


def _acts(ex: Extraction) -> list[tuple[str, str | None, str | None]]:
    return [(c.text, c.value.get("scope"), c.value.get("scope_claim_status")) for c in ex.cues if "event_type" in c.value]


def _events(ctx: Context, ex: Extraction) -> dict[str, str]:
    _, ids = draft_quotes(ex, ctx, 1)
    return {str(e["event_type"]): str(e["claim_status"]) for e in draft_events(ex, ctx, ids, 1)}


@pytest.mark.parametrize(("sentence", "act", "scope", "claim"), [
    ("The families of the two soldiers were not exiled, the source said.", "exiled", "denied", None),
    ("So far no one has been punished for the escape.", "punished", "denied", None),
    ("The ministry denied that the relatives had been arrested.", "arrested", "denied", None),
    ("None of the households were evicted from their homes.", "evicted", "denied", None),
    ("Residents fear they may be sent to the countryside next.", "sent to the countryside", "hedged", "rumour"),
    ("A rumor has spread in the market that the families were banished.", "banished", "hedged", "rumour"),
    ("The relatives were reportedly arrested in the spring.", "arrested", "hedged", "reported_vaguely"),
    ("If the families were all sent into exile, the town would empty.", "sent into exile", "hedged", "rumour"),
    ("The officer threatened to banish the whole family.", "banish", "hedged", "rumour"),
    ("A public trial of the smugglers will be held in the stadium.", "public trial", "hedged", "rumour"),
    ("None of the wives had been sent to political prison camps, as far as the group knew.", "political prison camps",
     "denied", None),
    ("Those who have not returned are being watched around the clock.", "watched around the clock", None, None),
    ("The families were not told why they were banished.", "banished", None, None),
    ("Not only were the families banished, their houses were sealed.", "banished", None, None),
])
def test_an_act_is_stated_denied_or_hedged(ctx: Context, sentence: str, act: str, scope: str | None,
                                           claim: str | None) -> None:
    ex = run_on(ctx, sentence)
    assert (act, scope, claim) in _acts(ex), _acts(ex)


def test_cues_of_the_field_are_found_in_narration(ctx: Context) -> None:
    text = ("Her husband was stripped of his party membership and both brothers were dismissed from their posts. "
            "One cousin was picked up by state security agents, and the family's phones were wiretapped. "
            "The relatives were forced to sign a pledge, and two households were expelled from the border areas.")
    assert _events(ctx, run_on(ctx, text)) == {
        "economic_or_social_sanction": "reported", "arrest_or_detention": "reported",
        "surveillance_or_watchlisting": "reported", "other_collective_punishment": "reported", "eviction": "reported"}


def test_a_denied_act_is_not_drafted_and_a_feared_one_only_as_a_rumour(ctx: Context) -> None:
    text = ("The families were questioned, but they were not arrested. "
            "Residents fear the families may be sent into internal exile before winter.")
    assert _events(ctx, run_on(ctx, text)) == {"interrogation_or_summons": "reported", "banishment": "rumour"}


def test_a_stated_act_outweighs_a_feared_one_of_its_type(ctx: Context) -> None:
    text = ("Two families were banished to remote villages in March. "
            "Others fear they may be banished too.")
    assert _events(ctx, run_on(ctx, text)) == {"banishment": "reported"}


def test_generic_punishment_is_drafted_only_when_no_act_is_named(ctx: Context) -> None:
    assert _events(ctx, run_on(ctx, "The relatives of the soldier were punished.")) == {
        "other_collective_punishment": "reported"}
    assert _events(ctx, run_on(ctx, "The relatives of the soldier were punished and later arrested.")) == {
        "arrest_or_detention": "reported"}


def test_cues_in_scare_quotes_and_titles_are_no_acts(ctx: Context) -> None:
    text = "State media calls the camps “re-education centres” and the plan “Operation Exile Banished Forever.”"
    assert _events(ctx, run_on(ctx, text)) == {}


@pytest.mark.parametrize(("sentence", "kind"), [
    ("A resident who gave her name as “Choi” told Daily NK that the inspections continued.", "term"),
    ("Agents searched every home for “anything that could link them to the South” before dawn.", "term"),
    ("A source told Daily NK, “Agents searched every home before dawn.”", "speech"),
])
def test_quoted_names_and_borrowed_phrases_are_not_speech(ctx: Context, sentence: str, kind: str) -> None:
    ex = run_on(ctx, sentence)
    assert [s.kind for s in ex.segments] == [kind]


def test_police_and_a_named_expert_with_an_apposition_are_speakers(ctx: Context) -> None:
    text = ("Local police have told residents that “anyone who hides a phone will answer for it.”\n\n"
            "“The families are isolated,” Lee Min-ho, a researcher at a state-run institute in Seoul, added.\n\n"
            "“They were given a week to leave,” said Choi Min-su, a lawyer who represents defector families.")
    ex = run_on(ctx, text)
    words = [ex.speakers.entities[ex.speakers.speaker_of[i]].words for i in ex.speech()]
    assert words == ["Local police", "Lee Min-ho, a researcher at a state-run institute in Seoul",
                     "Choi Min-su, a lawyer who represents defector families"]


def test_the_day_of_speaking_is_attached_to_the_speech_verb(ctx: Context) -> None:
    text = ("A source in Hyesan said families were exiled in May.\n\n"
            "Another source told RFA on June 18 that two more families had left.")
    ex = run_on(ctx, text, ("2021-06-23", "2021-06-23"))
    spoken = {h.words: h.spoken for h in ex.dates}
    assert spoken == {"May": False, "June 18": True}
    entities = {e.words: e.speech_date for e in ex.speakers.entities}
    assert entities["A source in Hyesan"] is None
    said = entities["Another source"]
    assert said is not None and (said.start.isoformat(), said.end.isoformat()) == ("2021-06-18", "2021-06-18")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("sentence", "day"), [
    ("A public trial will be held on June 25 in the stadium.", "2021-06-25"),
    ("A public trial was held on June 25 in the stadium.", "2020-06-25"),
    ("The inspection is scheduled to begin in March.", "2022-03-01"),
    ("The brokers will be tried on Friday.", "2021-06-25"),
])
def test_a_planned_date_resolves_forward(ctx: Context, sentence: str, day: str) -> None:
    ex = run_on(ctx, sentence, ("2021-06-23", "2021-06-23"))  # a Wednesday
    (hit,) = ex.dates
    assert hit.resolved is not None and hit.resolved.start is not None
    assert hit.resolved.start.isoformat() == day


def test_an_open_start_is_not_cited(ctx: Context) -> None:
    ex = run_on(ctx, "Recently, two families were banished to remote villages, the source said.")
    _, ids = draft_quotes(ex, ctx, 1)
    (event,) = draft_events(ex, ctx, ids, 1)
    assert "date_start" not in event and str(event["date_end"]) == "2021-04-16"
    cited = [e["coded_field"] for e in event["evidence_entries"]]
    assert "date_start" not in cited and {"date_end", "date_precision"} <= set(cited)
