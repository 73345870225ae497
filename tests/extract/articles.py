"""Three articles written for these tests in the style of English news on North Korea (a radio
service's informant story, a Seoul-based outlet's source report, a news agency's brief). They are
invented, not captures: no sentence comes from a publisher. With each, what a reader finds in it:
every place (the spelling as printed and the place it names: a curated place_id, `geonames:<id>`
or `iso:<code>`) and every count of people or things (the words and their bounds)."""

from __future__ import annotations

from typing import Any

# Each article: source id, text, places [(words as printed, [ids])], counts {words: bounds}.
ARTICLES: list[tuple[str, str, list[tuple[str, list[str]]], dict[str, dict[str, Any]]]] = [
    ("test-2021-03-musan-banished",
     "Authorities have banished the families of at least seven people who fled to China, sending them from "
     "Musan county to remote farms in Chagang province, a resident of North Hamgyong told reporters.\n\n"
     "\u201cMore than 30 households in Musan were put on a list, and as many as 50 people were questioned by the "
     "security department,\u201d the resident said. \u201cDozens of households were moved in March.\u201d\n\n"
     "Officers from the Ministry of People's Security also summoned three relatives of a defector from Onsong, "
     "according to the source, a 45-year-old trader who spoke to reporters on 12 March 2021. She said she paid "
     "500 yuan in bribes. The Kanggye Medical College and the Hamhung University of Chemical Industry sent "
     "students to help, she added.\n",
     [("China", ["china"]), ("Musan county", ["geonames:2042738"]), ("Chagang province", ["iso:KP-04"]),
      ("North Hamgyong", ["north-hamgyong"]), ("Musan", ["geonames:2042738"]), ("Onsong", ["geonames:2042267"])],
     {"at least seven people": {"count_low": 7}, "More than 30 households": {"count_low": 31},
      "as many as 50 people": {"count_high": 50}, "Dozens of households": {"count_low": 24, "count_high": 99},
      "three relatives": {"count_best": 3}, "students": None}),
    ("test-2022-06-hamhung-summons",
     "North Korean police in Hamhung have summoned about twenty-five families whose sons crossed the border, "
     "a source in South Hamgyong province said Thursday.\n\n"
     "\u201cFewer than ten officers came, but hundreds of people in Sinpo watched,\u201d the source said. A second "
     "source in South Pyongan said a dozen workers from Kaechon were detained for three days, and that two or three "
     "cases are heard each week.\n\n"
     "Kim Anju, a 38-year-old worker, was sent to the coast. A ski resort in South Korea's Gangwon province "
     "reopened in 2019, and the third family on the list moved north in 2020. Call +82-2-1234-5678 for details.\n",
     [("Hamhung", ["geonames:1877449"]), ("South Hamgyong province", ["iso:KP-08"]), ("Sinpo", ["geonames:2040959"]),
      ("South Pyongan", ["iso:KP-02"]), ("Kaechon", ["geonames:1876401"]), ("South Korea", ["south-korea"])],
     {"about twenty-five families": {"count_best": 25}, "Fewer than ten officers": {"count_high": 9},
      "hundreds of people": {"count_low": 200, "count_high": 999}, "a dozen workers": {"count_best": 12},
      "two or three cases": {"count_low": 2, "count_high": 3}}),
    ("test-2023-01-border-crackdown",
     "Security agents in Hyesan and Manpo have detained between 20 and 30 smugglers since January, with up to "
     "200 traders questioned across Ryanggang, a government source said, while Kanggye and Rason reported "
     "several arrests.\n\n"
     "\u201cSome 1,500 people in Nampo were made to attend a public trial,\u201d the source told the agency, adding "
     "that tens of thousands of North Koreans work abroad. Four families in Wonsan were evicted, the Pyongyang "
     "Times did not report.\n",
     [("Hyesan", ["geonames:2043837"]), ("Manpo", ["geonames:2042893"]), ("Ryanggang", ["ryanggang"]),
      ("Kanggye", ["geonames:2043572"]), ("Rason", ["iso:KP-13"]), ("Nampo", ["geonames:1873757"]),
      ("Wonsan", ["geonames:1866923"])],
     {"between 20 and 30 smugglers": {"count_low": 20, "count_high": 30}, "up to 200 traders": {"count_high": 200},
      "several arrests": {}, "Some 1,500 people": {"count_best": 1500},
      "tens of thousands of North Koreans": {"count_low": 20_000, "count_high": 99_999},
      "Four families": {"count_best": 4}}),
]
