"""Six articles written for these tests in the styles of English news on North Korea (a radio
service, a Seoul-based outlet's source report, a specialist site, a news agency's dispatch, a
daily's exclusive, an NGO report). They are invented, not captures, and name no private person.
With each, what a careful coder finds in it, written before the rules were changed:

- dates: {words: (date_start, date_end)} by the codebook (bounds, never midpoints; words in a
  quotation against the day its speaker spoke when the article says so; seasons are
  meteorological: spring March-May, summer June-August, autumn September-November, winter
  December-February; "last summer" is the most recent summer ended before the report, "this
  spring" the spring of the report's year up to the report; a relative past date ends at the
  report at the latest; "over the past two years" runs from that day two years before);
- places: [(words as printed, id)]: a curated place_id, `geonames:<id>`, `iso:<code>`,
  `unknown` (a place name the gazetteer lacks, to be flagged) or `none` (words that name no place
  of an act: "Pyongyang has denied" is the government, "Sunam-dong" a neighbourhood, not a town);
- counts: {words: bounds} ({} words only; None: no count at all, e.g. a population, interviewees
  of a survey, ages, money)."""

from __future__ import annotations

from typing import Any

Dates = dict[str, tuple[str, str]]
Places = list[tuple[str, str]]
Counts = dict[str, Any]

# (source id, report date, text, dates, places, counts)
DATED: list[tuple[str, str, str, Dates, Places, Counts]] = [
    ("test-2023-06-radio-chongjin", "2023-06-22",
     "Authorities in Ch\u2019\u014fngjin have banished five members of one family to Paegam county in Ryanggang "
     "province after their son crossed the Tumen River last summer, a resident of the city told RFA\u2019s Korean "
     "Service on Tuesday.\n\n"
     "\u201cSecurity officials came for them early this year, in February, and between 20 and 30 families in the "
     "neighbourhood were questioned,\u201d said the resident, who requested anonymity to speak freely. \u201cSince "
     "April, nearly 30 households in Onsong-dong have been put on a watch list.\u201d\n\n"
     "The resident said the family had been warned several times. A handful of neighbours tried to help, but police "
     "told them to stay away. About 40 percent of the residents of the district are now under some form of "
     "surveillance, the source estimated.\n\n"
     "A second source, a trader in Hoery\u014fng, said dozens of households there had been summoned between March "
     "and May. \u201cThree hundred and fifty people attended a meeting on the 17th, where officers read out the names "
     "of those who left,\u201d the trader said.\n\n"
     "Pyongyang has denied that it punishes families for the acts of relatives. The city, home to 650,000 people, "
     "lies on the coast of the East Sea.\n\n"
     "In a survey of 120 defectors published in the autumn of 2022, most said relatives had been punished.\n",
     {"last summer": ("2022-06-01", "2022-08-31"), "Tuesday": ("2023-06-20", "2023-06-20"),
      "early this year": ("2023-01-01", "2023-03-31"), "February": ("2023-02-01", "2023-02-28"),
      "Since April": ("2023-04-01", "2023-06-20"), "between March and May": ("2023-03-01", "2023-05-31"),
      "on the 17th": ("2023-06-17", "2023-06-17"), "the autumn of 2022": ("2022-09-01", "2022-11-30")},
     [("Ch\u2019\u014fngjin", "chongjin"), ("Paegam county", "unknown"), ("Ryanggang province", "ryanggang"),
      ("Tumen River", "unknown"), ("Onsong-dong", "none"), ("Hoery\u014fng", "hoeryong"), ("Pyongyang", "none")],
     {"five members": {"count_best": 5}, "between 20 and 30 families": {"count_low": 20, "count_high": 30},
      "nearly 30 households": {"count_high": 30}, "A handful of neighbours": {},
      "dozens of households": {"count_low": 24, "count_high": 99},
      "Three hundred and fifty people": {"count_best": 350}, "650,000 people": None, "120 defectors": None}),
    ("test-2022-11-source-hyesan", "2022-11-25",
     "A family in Hyesan, Yangkang Province, was evicted from its home late last month after a relative who "
     "defected to South Korea sent money through a broker, a source in the province reported.\n\n"
     "According to the source, officers from the Ministry of State Security first summoned the family in early "
     "October and ordered them out of their apartment on the 27th. The family of four was sent to a village in "
     "Pochon county, near the Yalu.\n\n"
     "\u201cOver the past two years, several dozen families in the city have been moved like this,\u201d the source "
     "said. \u201cPeople here say the authorities want to frighten the roughly 80 households whose relatives live in "
     "the South.\u201d\n\n"
     "Another source in Ryanggang Province said that after the border was sealed in early 2020, at least 15 people "
     "from Hyesan had been sent to labor camps. Authorities have also fined families 3,000 yuan for phone calls to "
     "China.\n\n"
     "The reports could not be confirmed independently. Earlier this month, a 52-year-old woman in the city was "
     "detained after her son\u2019s call was intercepted, the source added. She is still held, and her two daughters, "
     "aged 19 and 23, have been barred from university.\n\n"
     "The crackdown follows a campaign that ran from March to May this year in border areas.\n",
     {"late last month": ("2022-10-21", "2022-10-31"), "early October": ("2022-10-01", "2022-10-10"),
      "on the 27th": ("2022-10-27", "2022-10-27"), "Over the past two years": ("2020-11-25", "2022-11-25"),
      "early 2020": ("2020-01-01", "2020-03-31"), "Earlier this month": ("2022-11-01", "2022-11-25"),
      "from March to May this year": ("2022-03-01", "2022-05-31")},
     [("Hyesan", "geonames:2043837"), ("Yangkang Province", "ryanggang"), ("South Korea", "south-korea"),
      ("Pochon county", "unknown"), ("Yalu", "yalu-river"), ("Ryanggang Province", "ryanggang"),
      ("China", "china")],
     {"family of four": {"count_best": 4}, "several dozen families": {"count_low": 36, "count_high": 119},
      "roughly 80 households": {"count_best": 80}, "at least 15 people": {"count_low": 15},
      "3,000 yuan": None, "52-year-old woman": None, "two daughters": {"count_best": 2}, "19 and 23": None}),
    ("test-2024-03-site-deserters", "2024-03-14",
     "North Korean authorities have sent the relatives of at least a dozen soldiers who deserted last winter to "
     "remote mining areas, according to a report published Wednesday by a Seoul-based human rights group.\n\n"
     "The group said it interviewed 47 defectors between 2021 and 2023, and that 62% of them described the "
     "punishment of relatives. It documented 118 cases across the northern provinces, most in North Hamgyong and "
     "along the Tumen River.\n\n"
     "In one case, a couple and their children from Hoeryeong were moved to Musan county in January. Another 12 "
     "to 15 families from Onsong were placed under surveillance earlier this month, the report said.\n\n"
     "\u201cPyongyang insists that no such policy exists,\u201d said the group\u2019s director, adding that the "
     "government had ignored questions sent in mid-February.\n\n"
     "The claims could not be verified. The report, which the group said drew on interviews conducted over the "
     "past 18 months, also describes an order of the Ministry of Social Security read out at factories.\n",
     {"Wednesday": ("2024-03-13", "2024-03-13"), "last winter": ("2023-12-01", "2024-02-29"),
      "between 2021 and 2023": ("2021-01-01", "2023-12-31"), "in January": ("2024-01-01", "2024-01-31"),
      "earlier this month": ("2024-03-01", "2024-03-14"), "mid-February": ("2024-02-11", "2024-02-20"),
      "over the past 18 months": ("2022-09-14", "2024-03-14")},
     [("North Hamgyong", "north-hamgyong"), ("Tumen River", "unknown"), ("Hoeryeong", "hoeryong"),
      ("Musan county", "geonames:2042738"), ("Onsong", "geonames:2042267"), ("Pyongyang", "none")],
     {"at least a dozen soldiers": {"count_low": 12}, "47 defectors": None, "118 cases": {"count_best": 118},
      "12 to 15 families": {"count_low": 12, "count_high": 15}}),
    ("test-2021-06-agency-sinuiju", "2021-06-22",
     "SEOUL, June 22 (Yonhap) -- North Korea has banished nearly 30 families of defectors from border towns in "
     "North Pyongan Province to inland areas since April, a government source here said Tuesday.\n\n"
     "The families, from Sinuiju and Uiju county, were moved in two waves in late April and early May, the source "
     "said on condition of anonymity. Hundreds of residents were made to watch as the families left.\n\n"
     "The move came after five members of one family crossed the Yalu River into China in the spring of last "
     "year, the source added.\n\n"
     "The unification ministry said it was aware of the reports but declined to comment. Annual arrivals of "
     "defectors in the South fell sharply last year, according to ministry data.\n\n"
     "Pyongyang has long rejected such reports as fabrications. A U.N. report said between 100,000 and 120,000 "
     "people were held in political prison camps.\n",
     {"June 22": ("2021-06-22", "2021-06-22"), "since April": ("2021-04-01", "2021-06-22"),
      "Tuesday": ("2021-06-22", "2021-06-22"), "late April": ("2021-04-21", "2021-04-30"),
      "early May": ("2021-05-01", "2021-05-10"), "the spring of last year": ("2020-03-01", "2020-05-31"),
      "last year": ("2020-01-01", "2020-12-31")},
     [("North Pyongan Province", "north-pyongan"), ("Sinuiju", "sinuiju"), ("Uiju county", "geonames:2039623"),
      ("Yalu River", "yalu-river"), ("China", "china"), ("Pyongyang", "none")],
     {"nearly 30 families": {"count_high": 30}, "Hundreds of residents": {"count_low": 200, "count_high": 999},
      "five members": {"count_best": 5},
      "between 100,000 and 120,000 people": {"count_low": 100_000, "count_high": 120_000}}),
    ("test-2025-09-daily-samjiyon", "2025-09-08",
     "North Korea has stepped up the punishment of families of defectors in Ryanggang Province this year, the "
     "newspaper learned Sunday, with a handful of families from Samjiyon expelled to mountain villages this "
     "summer.\n\n"
     "According to a source familiar with North Korean affairs, a family of three who lived in Hyesan\u2019s "
     "Masan-dong was sent to Unhung county in mid-July after a relative reached South Korea. Officers had searched "
     "the home on Aug. 2, the source said.\n\n"
     "\u201cFrom June to August, several hundred residents were called to public criticism sessions,\u201d the source "
     "said. \u201cThose who refused were threatened with losing their rations.\u201d At least 40 people have been "
     "detained since the spring, the source added.\n\n"
     "The campaign was ordered in the spring of 2024 and has been enforced more strictly over the past year, the "
     "source said. Pyongyang has not commented. The province, home to about 720,000 people, borders China along the "
     "Yalu.\n\n"
     "A government official in Seoul said Monday that three hundred and twelve defectors had arrived in the first "
     "half of the year, most of them women in their 40s.\n",
     {"this year": ("2025-01-01", "2025-09-08"), "Sunday": ("2025-09-07", "2025-09-07"),
      "this summer": ("2025-06-01", "2025-08-31"), "mid-July": ("2025-07-11", "2025-07-20"),
      "Aug. 2": ("2025-08-02", "2025-08-02"), "From June to August": ("2025-06-01", "2025-08-31"),
      "since the spring": ("2025-03-01", "2025-09-08"), "the spring of 2024": ("2024-03-01", "2024-05-31"),
      "over the past year": ("2024-09-08", "2025-09-08"), "Monday": ("2025-09-08", "2025-09-08")},
     [("Ryanggang Province", "ryanggang"), ("Samjiyon", "geonames:2041442"), ("Hyesan", "geonames:2043837"),
      ("Masan-dong", "none"), ("Unhung county", "unknown"), ("South Korea", "south-korea"), ("Pyongyang", "none"),
      ("China", "china"), ("Yalu", "yalu-river")],
     {"a handful of families": {}, "family of three": {"count_best": 3},
      "several hundred residents": {"count_low": 300, "count_high": 999}, "At least 40 people": {"count_low": 40},
      "about 720,000 people": None, "three hundred and twelve defectors": {"count_best": 312}}),
    ("test-2024-12-ngo-border", "2024-12-10",
     "Families Left Behind: Collective Punishment in the Northern Border Provinces\n\n"
     "Between 2020 and 2024, our researchers recorded testimony from 86 North Koreans now living in South Korea. "
     "This report summarises that testimony; it names no one who remains in the North.\n\n"
     "In Hoery\u014fng and Musan, interviewees described dozens of households being placed under surveillance in "
     "the autumn of 2023. One interviewee said that between 20 and 30 families in her village in Y\u014fnsa county "
     "were summoned over three days in late September 2023.\n\n"
     "A man from Ch\u2019\u014fngjin said his mother and two sisters were sent to a farm in Ky\u014fngs\u014fng county "
     "in the summer of 2022. Another said that several dozen relatives of soldiers who crossed into China were "
     "interrogated from November 2022 to February 2023.\n\n"
     "Most interviewees were aged between 25 and 45, and most left between 2018 and 2019. Brokers\u2019 fees rose "
     "to between 8,000 and 12,000 dollars, they said. Interviews took place from January to October this year.\n\n"
     "Pyongyang has denied the existence of collective punishment before the UN Human Rights Council.\n",
     {"Between 2020 and 2024": ("2020-01-01", "2024-12-31"), "the autumn of 2023": ("2023-09-01", "2023-11-30"),
      "late September 2023": ("2023-09-21", "2023-09-30"), "the summer of 2022": ("2022-06-01", "2022-08-31"),
      "from November 2022 to February 2023": ("2022-11-01", "2023-02-28"),
      "between 2018 and 2019": ("2018-01-01", "2019-12-31"),
      "from January to October this year": ("2024-01-01", "2024-10-31")},
     [("South Korea", "south-korea"), ("Hoery\u014fng", "hoeryong"), ("Musan", "geonames:2042738"),
      ("Y\u014fnsa county", "geonames:2038902"), ("Ch\u2019\u014fngjin", "chongjin"),
      ("Ky\u014fngs\u014fng county", "geonames:2042987"), ("China", "china"), ("Pyongyang", "none")],
     {"86 North Koreans": None, "dozens of households": {"count_low": 24, "count_high": 99},
      "between 20 and 30 families": {"count_low": 20, "count_high": 30}, "two sisters": {"count_best": 2},
      "several dozen relatives": {"count_low": 36, "count_high": 119}, "between 25 and 45": None,
      "between 8,000 and 12,000": None}),
]


# A further paragraph for each article, with the coder's findings, written after the rules above
# were changed and before they were run on it: how the changes carry to words they were not written on.
FRESH: list[tuple[str, Dates, Places, Counts]] = [
    ("Local officials began compiling lists of relatives in the fall of 2021, the resident said. Since late last "
     "year, more than a hundred residents have been made to attend weekly lectures, and seven families from Musan "
     "were sent to Ky\u014fngs\u014fng county at the end of May. A group of 15 to 20 brokers was detained this spring "
     "along the Tumen, the trader said, adding that he had paid 2,000 yuan to avoid questioning. Officials in "
     "Hoeryong and Onsong were told to report every week.\n",
     {"the fall of 2021": ("2021-09-01", "2021-11-30"), "Since late last year": ("2022-10-01", "2023-06-22"),
      "the end of May": ("2023-05-21", "2023-05-31"), "this spring": ("2023-03-01", "2023-05-31")},
     [("Musan", "geonames:2042738"), ("Ky\u014fngs\u014fng county", "geonames:2042987"), ("Tumen", "unknown"),
      ("Hoeryong", "hoeryong"), ("Onsong", "geonames:2042267")],
     {"more than a hundred residents": {"count_low": 101}, "seven families": {"count_best": 7},
      "15 to 20 brokers": {"count_low": 15, "count_high": 20}, "2,000 yuan": None}),
    ("Last week, a team from the provincial prosecutor\u2019s office arrived in Hyesan to review the cases of some 60 "
     "families, the source said. In the spring of 2021 the same office expelled two households from the city to a "
     "mining village in Kapsan county, and between January and March of this year it questioned a dozen brokers. "
     "A resident said that roughly half of the families on the list had relatives in China.\n",
     {"Last week": ("2022-11-14", "2022-11-20"), "the spring of 2021": ("2021-03-01", "2021-05-31"),
      "between January and March of this year": ("2022-01-01", "2022-03-31")},
     [("Hyesan", "geonames:2043837"), ("Kapsan county", "geonames:2043531"), ("China", "china")],
     {"some 60 families": {"count_best": 60}, "two households": {"count_best": 2},
      "a dozen brokers": {"count_best": 12}, "roughly half of": {}}),
    ("The group said that in the first three months of last year alone, 23 people from Hoeryong were sent to "
     "political prison camps, and that families in Chongjin had been watched since the summer of 2021. It "
     "estimated that between 150 and 200 relatives in North Hamgyong Province have been punished since 2020, a "
     "figure drawn from a sample of 300 households.\n",
     {"the first three months of last year": ("2023-01-01", "2023-03-31"),
      "since the summer of 2021": ("2021-06-01", "2024-03-14"), "since 2020": ("2020-01-01", "2024-03-14")},
     [("Hoeryong", "hoeryong"), ("Chongjin", "chongjin"), ("North Hamgyong Province", "north-hamgyong")],
     {"23 people": {"count_best": 23}, "between 150 and 200 relatives": {"count_low": 150, "count_high": 200},
      "300 households": None}),
    ("The source said a further 40 to 50 residents of Sakju county had been questioned over the past three weeks, "
     "and that officials plan to finish the relocations by the end of July. In early spring, two smugglers from "
     "Manpo were arrested near the Yalu, he said.\n",
     {"over the past three weeks": ("2021-06-01", "2021-06-22"), "the end of July": ("2021-07-21", "2021-07-31"),
      "early spring": ("2021-03-01", "2021-05-31")},
     [("Sakju county", "unknown"), ("Manpo", "geonames:2042893"), ("Yalu", "yalu-river")],
     {"40 to 50 residents": {"count_low": 40, "count_high": 50}, "two smugglers": {"count_best": 2}}),
    ("In a separate case, the source said, police in Kimhyongjik county detained a mother and her three children "
     "in late August after a call abroad was traced. Some 90 households there have been ordered to report to the "
     "security office since the start of the summer.\n",
     {"late August": ("2025-08-21", "2025-08-31"), "since the start of the summer": ("2025-06-01", "2025-09-08")},
     [("Kimhyongjik county", "unknown")],
     {"three children": {"count_best": 3}, "Some 90 households": {"count_best": 90}}),
    ("Eleven interviewees said relatives had been moved to Sinhung county in South Hamgyong province last winter. "
     "Seven of them said the moves took place in mid-January 2023. A further 14 said officials demanded between "
     "500 and 1,000 dollars from each family for the return of confiscated documents in the autumn.\n",
     {"last winter": ("2023-12-01", "2024-02-29"), "mid-January 2023": ("2023-01-11", "2023-01-20"),
      "in the autumn": ("2024-09-01", "2024-11-30")},
     [("Sinhung county", "unknown"), ("South Hamgyong province", "iso:KP-08")],
     {"Eleven interviewees": None, "between 500 and 1,000": None}),
]
