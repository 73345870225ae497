"""The extractors on invented articles in the style of English news on North Korea (none of
these sentences is from a capture): quotation segments, speech against scare quotes, speakers,
places, counts and cues, each proposal carrying its rule."""

from __future__ import annotations

import pytest
from tests.extract.conftest import run_on

from nkcp.extract.engine import Context, Extraction, proposals

RFA_STYLE = (
    "Authorities in North Hamgyong province have summoned the families of workers who went missing "
    "in Russia, a source in the province told RFA’s Korean Service on Monday.\n\n"
    "“The security department called in 12 families in Chongjin last week and ordered them to phone "
    "their sons in Russia,” the source said. “Those who refused were threatened.\n\n"
    "“Nobody here believes the workers will come back,” the source added, asking not to be named.\n\n"
    "State media has taken to calling such workers “traitors” in recent weeks.\n\n"
    "Another source, a trader in Sinuiju, said that similar summonses began in early March.\n\n"
    "“Relatives of people who left are watched day and night,” said the second source. "
    "“I know of two or three families who were sent to remote mountain areas.”\n\n"
    "According to the source, the inminban heads must report every visitor.\n"
)


def _quotes(ex: Extraction) -> list[str]:
    return [ex.doc.flat(ex.segments[i].start, ex.segments[i].end) for i in ex.speech()]


def _speaker(ex: Extraction, text_start: str) -> int | None:
    for i in ex.speech():
        if ex.doc.text[ex.segments[i].start:].startswith(text_start):
            return ex.speakers.speaker_of.get(i)
    raise AssertionError(f"no quotation starts with {text_start!r}")


def test_quotations_continuations_and_terms(ctx: Context) -> None:
    ex = run_on(ctx, RFA_STYLE)
    assert _quotes(ex) == [
        "The security department called in 12 families in Chongjin last week and ordered them to phone "
        "their sons in Russia,",
        "Those who refused were threatened.",
        "Nobody here believes the workers will come back,",
        "Relatives of people who left are watched day and night,",
        "I know of two or three families who were sent to remote mountain areas.",
    ]
    second, third = ex.speech()[1], ex.speech()[2]
    assert ex.segments[third].continues == second  # unclosed paragraph, next one reopens
    terms = [ex.doc.flat(s.start, s.end) for s in ex.segments if s.kind == "term"]
    assert terms == ["traitors"]


def test_speakers_are_resolved_through_the_article(ctx: Context) -> None:
    ex = run_on(ctx, RFA_STYLE)
    first = _speaker(ex, "The security")
    assert first is not None
    assert _speaker(ex, "Those who") == first  # inferred: no attribution beside it
    assert _speaker(ex, "Nobody") == first
    second = _speaker(ex, "Relatives")
    assert second is not None and second != first
    assert _speaker(ex, "I know") == second  # same paragraph as the second source's quotation
    words = [e.words for e in ex.speakers.entities]
    assert words[first] == "a source in the province"
    assert words[second].startswith("Another source, a trader in Sinuiju")
    assert ex.speakers.entities[first].speech_date is not None  # "told RFA ... on Monday"


def test_dates_resolve_against_the_speaker_and_the_report(ctx: Context) -> None:
    ex = run_on(ctx, RFA_STYLE)  # report dated Friday 16 April 2021
    found = {h.words: h.resolved for h in ex.dates}
    monday = found["on Monday"]
    assert monday is not None and (monday.start, monday.end) == (monday.start, monday.start)
    assert str(monday.start) == "2021-04-12"
    last_week = found["last week"]  # spoken on Monday 12 April: the week before that
    assert last_week is not None and (str(last_week.start), str(last_week.end)) == ("2021-04-05", "2021-04-11")
    march = found["early March"]
    assert march is not None
    assert (str(march.start), str(march.end), march.precision) == ("2021-03-01", "2021-03-10", "part_of_month")
    recent = found["in recent weeks"]
    assert recent is not None and recent.start is None and str(recent.end) == "2021-04-16"


def test_counts_places_and_cues(ctx: Context) -> None:
    ex = run_on(ctx, RFA_STYLE)
    counts = {c.text: c.value for c in ex.counts}
    assert counts["12 families"]["count_best"] == 12
    assert (counts["two or three families"]["count_low"], counts["two or three families"]["count_high"]) == (2, 3)
    places = {p.text: p.value["place_ids"] for p in ex.places}
    assert places["North Hamgyong province"] == ["north-hamgyong"]
    assert places["Chongjin"] == ["chongjin"]
    assert places["Sinuiju"] == ["sinuiju"]
    assert places["remote mountain areas"] == ["remote-mountain-areas"]
    cues = {(c.text, c.rule_id) for c in ex.cues}
    assert {("summoned", "cue-summons"), ("ordered them to phone", "cue-forced-contact"),
            ("threatened", "cue-threat"), ("security department", "cue-perp-security-department"),
            ("inminban", "cue-perp-inminban")} <= cues
    security = next(c for c in ex.cues if c.rule_id == "cue-perp-security-department")
    assert security.value == {"perpetrator": "police_ministry", "basis": "inferred"}


def test_every_proposal_names_its_rule_and_span(ctx: Context) -> None:
    ex = run_on(ctx, RFA_STYLE)
    ids = {r.id for r in ctx.rules}
    items = proposals(ex)
    assert {p.kind for p in items} >= {"quote", "speaker", "date", "count", "place", "cue"}
    for p in items:
        assert p.rule_id in ids
        assert 0 <= p.start < p.end <= len(RFA_STYLE)
        if p.kind != "duplicate":
            assert p.text == ex.doc.flat(p.start, p.end)


DAILY_NK_STYLE = (
    "“Inspectors came to every house with a list of families whose relatives are in the South,” "
    "a source in Ryanggang Province reported to Daily NK on the 9th. “They told us ‘the Party "
    "knows everything’ and that [the families] would be moved to the interior.\n\n"
    "The source said the inspections had made residents reluctant to use phones.\n\n"
    "“People are afraid to talk about it. Even the inminban head said she had been warned and\n\n"
    "Kim Jin Hyok is a defector who writes for Daily NK.\n"
)


def test_nested_quotations_brackets_and_cut_paragraphs(ctx: Context) -> None:
    ex = run_on(ctx, DAILY_NK_STYLE, ref=("2015-06-10", "2015-06-12"))
    quotes = _quotes(ex)
    assert quotes[1] == ("They told us ‘the Party knows everything’ and that [the families] would be moved to "
                         "the interior.")
    assert quotes[2] == "People are afraid to talk about it. Even the inminban head said she had been warned and"
    cut = ex.segments[ex.speech()[2]]
    assert cut.cut_rule == "quote-cut-mid-sentence" and cut.continues is None
    assert len({ex.speakers.speaker_of[i] for i in ex.speech()}) == 1
    day = next(h.resolved for h in ex.dates if h.words == "on the 9th")
    assert day is not None and str(day.start) == "2015-06-09"


@pytest.mark.parametrize(("sentence", "kind"), [
    ("Officials now call them “human garbage,” a defector in Seoul said.", "speech"),
    ("Residents whose relatives fled are labelled “hostile elements” in local records.", "term"),
    ("The so-called “songbun” system ranks every family.", "term"),
    ("Daily NK published “Hyesan Families Brace for Exile” last spring.", "title"),
    ("Kim Yo Jong called the activists “scum” in a statement.", "speech"),
    ("The new policy has been “far harsher” than before, according to the official.", "speech"),
])
def test_speech_or_scare_quotes(ctx: Context, sentence: str, kind: str) -> None:
    ex = run_on(ctx, sentence)
    assert [s.kind for s in ex.segments] == [kind]


def test_a_stray_closing_mark_does_not_split_a_quotation(ctx: Context) -> None:
    text = ("“If the families are sent away,” the rest of the village will be too afraid to speak,” "
            "a farmer in Chaeryong county told RFA.")
    ex = run_on(ctx, text)
    assert _quotes(ex) == ["If the families are sent away,” the rest of the village will be too afraid to speak,"]
    assert ex.segments[0].stray_rule == "quote-stray-closing-mark"
    assert ex.speakers.entities[ex.speakers.speaker_of[0]].words == "a farmer in Chaeryong county"


def test_unknown_place_names_are_flagged_with_the_nearest_known(ctx: Context) -> None:
    """Onsong and Hyesan are GeoNames towns not yet curated: proposed from the reference layer, not
    flagged; a name neither layer knows is flagged with the nearest names of both."""
    ex = run_on(ctx, "Families from Onsong county and a trader from Hoeryung were questioned in Hyesan, "
                     "and a broker from Kangye.")
    flagged = {p.value["name"]: p.value["nearest"] for p in ex.unknown_places}
    assert set(flagged) == {"Hoeryung", "Kangye"}
    assert "Hoeryong" in flagged["Hoeryung"] or "Hoeryoung" in flagged["Hoeryung"]
    assert "Kanggye" in flagged["Kangye"]
    found = {p.text: p.value["place_ids"] for p in ex.places}
    assert found == {"Onsong county": ["geonames:2042267"], "Hyesan": ["geonames:2043837"]}


def test_spellings_and_admin_context(ctx: Context) -> None:
    text = ("A source in Yanggang told us of exiles from P’yŏngyang to Sinwon-ni, and then to Chaeryong county, "
            "South Hwanghae province, while anti-Pyongyang leaflets were burned.")
    ex = run_on(ctx, text)
    found = [(p.text, p.value["place_ids"]) for p in ex.places]
    assert found == [("Yanggang", ["ryanggang"]), ("P’yŏngyang", ["pyongyang"]), ("Sinwon-ni", ["sinwon-county"]),
                     ("Chaeryong county", ["chaeryong-county"]), ("South Hwanghae province", ["south-hwanghae"])]
    chaeryong = ex.places[3]
    assert chaeryong.value["within"] == ["south-hwanghae"] and "within_disagrees" not in chaeryong.value


def test_the_date_and_count_forms_of_the_issue(ctx: Context) -> None:
    text = ("In June, 30 families were sent away. Four families left on June 7. Dozens of households moved on "
            "the 17th. Not even half of the workers returned Tuesday. Tens of thousands of defectors left last "
            "month. Estimates fall between 30,000 and 50,000. It began at the beginning of this year, or late "
            "last year, or in 2019.")
    ex = run_on(ctx, text, ref=("2020-07-10", "2020-07-10"))  # a Friday
    found = {h.words: h.resolved for h in ex.dates}
    expected = {"In June": ("2020-06-01", "2020-06-30", "month"), "June 7": ("2020-06-07", "2020-06-07", "day"),
                "on the 17th": ("2020-06-17", "2020-06-17", "day"), "Tuesday": ("2020-07-07", "2020-07-07", "day"),
                "last month": ("2020-06-01", "2020-06-30", "month"),
                "the beginning of this year": ("2020-01-01", "2020-01-31", "month"),
                "late last year": ("2019-10-01", "2019-12-31", "season"), "2019": ("2019-01-01", "2019-12-31", "year")}
    got = {w: (str(r.start), str(r.end), r.precision) for w, r in found.items() if r is not None}
    assert {w: got.get(w) or got.get(w.removeprefix("In ").removeprefix("in ")) for w in expected} == expected
    counts = {c.text: {k: v for k, v in c.value.items() if k.startswith(("count_", "share_"))} for c in ex.counts}
    assert counts["30 families"] == {"count_words": "30 families", "count_best": 30, "count_unit": "families"}
    assert counts["Four families"]["count_best"] == 4
    assert (counts["Dozens of households"]["count_low"], counts["Dozens of households"]["count_high"]) == (24, 99)
    assert counts["Not even half of"] == {"count_words": "Not even half of", "share_high": 0.5}
    assert counts["Tens of thousands of defectors"]["count_low"] == 20000
    assert (counts["between 30,000 and 50,000"]["count_low"], counts["between 30,000 and 50,000"]["count_high"]) == \
        (30000, 50000)
