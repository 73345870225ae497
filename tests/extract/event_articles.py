"""Six articles written for the event-type tests in the styles of English news on the families of
North Koreans who left (a radio service's informant story, a Seoul outlet's source report, a news
agency's brief, an analysis site's scoop, a human rights group's report, a defector's testimony).
They are invented, not captures: no sentence comes from a publisher, and nobody inside North Korea
is named. With each, the acts a careful coder would code from it, written before the rules were
changed for them: the event types with their claim status (codebook: a source that calls its own
claim unconfirmed or hearsay gives a rumour), and the types a draft may also propose as a rumour
(feared or threatened acts, which the drafts keep visible as rumours but a coder need not code).
General sentences about how the system works are no act of the article."""

from __future__ import annotations

# (source id, text, {event type: claim status} to code, {event types a draft may add as a rumour})
EVENT_ARTICLES: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("test-rfa-style-diplomats",
     "North Korean authorities have ordered the families of three diplomats who defected while posted in Europe "
     "to move out of Pyongyang, a source in the capital told RFA’s Korean Service.\n\n"
     "“The city people’s committee ordered the parents, wives and grown children of the three men to pack their "
     "belongings and move out of Pyongyang within ten days,” said the source, who requested anonymity for security "
     "reasons. “Their apartments were handed to other officials the same week.”\n\n"
     "Banishing the relatives of defectors from the capital has long been a tool of the regime, which treats the "
     "families of those who flee as politically unreliable. Under the guilt-by-association system, up to three "
     "generations can be punished for one person’s escape.\n\n"
     "The source said the families were loaded onto trucks at night and resettled in a mining village in North "
     "Hamgyong province, where they must report to the local police every Monday.\n\n"
     "The father of one diplomat, a retired university lecturer, lost his party membership before the move, and "
     "his pension was cut off, according to the source.\n\n"
     "“In the village, officials come to their door at night, shout at them and take whatever they like. It is "
     "harassment, plain and simple,” the source said. “The neighbors have been told not to speak to them.”\n\n"
     "A second source, in Hamhung, said he had heard that the drivers who worked for the diplomats were questioned "
     "for days, but he could not confirm it.\n\n"
     "Residents of the capital fear that anyone who kept in touch with the diplomats may be arrested next. So far, "
     "none of the diplomats’ colleagues have been detained, the first source said.\n\n"
     "RFA was unable to independently verify the reports.\n",
     {"eviction": "reported", "banishment": "reported", "surveillance_or_watchlisting": "reported",
      "economic_or_social_sanction": "reported", "other_collective_punishment": "reported",
      "interrogation_or_summons": "rumour"},
     {"arrest_or_detention"}),
    ("test-dailynk-style-hyesan-crackdown",
     "A crackdown on the families of defectors has intensified in Hyesan, Ryanggang province, since the beginning "
     "of the year, Daily NK has learned.\n\n"
     "According to a source in the province, the provincial security bureau has drawn up a new list of households "
     "with a member who left for China or South Korea, and officers now inspect those homes without warning. “They "
     "turn the house upside down looking for a Chinese phone,” the source told Daily NK on March 3.\n\n"
     "The arrests of relatives began in late January. Two sisters of a woman who reached Seoul last year were "
     "hauled off to the bureau’s holding cells and held for over a month, the source said. Their mother was forced "
     "to pay 3,000 yuan before they were let go.\n\n"
     "Other families have been called to the bureau one at a time and told to phone their relatives abroad and "
     "urge them to come home. “They put the phone in your hand and stand behind you,” the source said.\n\n"
     "Security agents also warned the families that they would be sent to the mountains if anyone else crossed "
     "the river.\n\n"
     "The source said the measures are part of a nationwide campaign to stop defections ahead of a party "
     "meeting. In North Korea, the families of defectors are routinely labelled hostile elements and kept on "
     "watch lists for decades, and many are eventually sent to prison camps.\n\n"
     "A second source in Hyesan said some relatives had been publicly criticized at inminban meetings, though it "
     "was not clear how many.\n\n"
     "So far there is no sign that any of the families have been sent to a political prison camp, the source "
     "added.\n",
     {"surveillance_or_watchlisting": "reported", "arrest_or_detention": "reported", "extortion": "reported",
      "forced_contact": "reported", "threat": "reported", "public_denunciation": "reported"},
     {"banishment"}),
    ("test-yonhap-style-soldier",
     "SEOUL, Sept. 14 (Yonhap) -- North Korea has sent the relatives of a soldier who defected across the "
     "inter-Korean border last month to a political prison camp, a South Korean intelligence official said "
     "Thursday.\n\n"
     "The soldier’s parents and two younger brothers were taken from their home in Kaesong in late August, and the "
     "family has not been seen since, the official told reporters on condition of anonymity.\n\n"
     "\"We believe the family was sent to a kwanliso in South Pyongan province,\" the official said. \"His uncle, a "
     "local party official, has been arrested, interrogated and stripped of his post.\"\n\n"
     "The Unification Ministry said it was aware of the report but declined to comment on intelligence matters.\n\n"
     "The defection was the first by a frontline soldier in two years. North Korea is known to punish the "
     "families of defectors, particularly soldiers and officials, by sending them to remote areas or prison "
     "camps, and by barring their children from the army and universities.\n\n"
     "Analysts said the harsh response was meant to deter further desertions. \"Pyongyang wants every soldier on "
     "the front line to know what will happen to his family,\" said a researcher at a state-run institute in "
     "Seoul.\n\n"
     "North Korea’s state media have not mentioned the defection. The North has in the past denied that it "
     "punishes relatives of defectors, calling such reports a smear campaign.\n\n"
     "South Korea’s military said it had seen no unusual troop movements along the border since the defection. "
     "The soldier is being questioned by authorities in the South, a routine procedure for all defectors.\n",
     {"political_prison_camp": "reported", "arrest_or_detention": "reported",
      "interrogation_or_summons": "reported", "economic_or_social_sanction": "reported"},
     set()),
    ("test-nknews-style-seafood-workers",
     "Relatives of North Korean workers who fled a seafood plant in Russia’s Far East have been driven out of the "
     "port city of Chongjin, NK News has learned, in the latest sign that Pyongyang is tightening the screws on "
     "the families of those who abandon overseas postings.\n\n"
     "The banishment of at least four households was ordered by the North Hamgyong provincial party committee "
     "in early May, according to a person with knowledge of the matter who spoke on condition of anonymity.\n\n"
     "The families were moved to a collective farm in the hills of Orang county, the person said, and their "
     "children were pulled out of school.\n\n"
     "The workers’ wives had earlier been grilled for hours by Ministry of State Security officers, who demanded "
     "to know whether they had been told of the escape plan.\n\n"
     "Experts say the punishment of family members is meant as a deterrent. “Collective punishment is a core part "
     "of how the system keeps people in line,” said a former official who now lives in Seoul. “Everyone knows that "
     "if you leave, your family pays.”\n\n"
     "Not all relatives were affected. The person said the workers’ siblings in Pyongyang had not been touched, "
     "apparently because they held posts in the military.\n\n"
     "NK News could not independently verify the claims. North Korea typically sends more than a hundred "
     "thousand workers abroad, and their earnings are a key source of foreign currency for the state.\n\n"
     "In a similar case in 2017, relatives of restaurant workers who defected from China were reportedly sent to "
     "a prison camp, though the claim was never confirmed.\n",
     {"banishment": "reported", "economic_or_social_sanction": "reported", "interrogation_or_summons": "reported"},
     {"political_prison_camp", "eviction"}),
    ("test-ngo-style-report",
     "A Seoul-based human rights group on Wednesday released a report documenting what it called systematic "
     "reprisals against the families of North Koreans who have fled since the border reopened.\n\n"
     "Based on interviews with 58 defectors who arrived in the South over the past two years, the report found "
     "that relatives in 41 cases had been summoned for questioning by state security, and that in 12 cases at "
     "least one family member had been detained. Seven families were forcibly relocated from border towns to "
     "inland farming areas, it said.\n\n"
     "“Families described nightly visits, constant intimidation and insults from neighborhood unit heads,” said "
     "Park Ji-won, a researcher who led the study. “Some were made to attend meetings where their own children "
     "were condemned as traitors.”\n\n"
     "In three cases, interviewees said relatives had been sent to a political prison camp, though the group "
     "said it could not verify those accounts.\n\n"
     "The report also found that children of defectors were routinely barred from joining the army or entering "
     "university, closing off the main routes to advancement in the North. Several interviewees said officials had threatened "
     "to send their parents to the countryside unless they came back.\n\n"
     "North Korea’s state media have called such reports fabrications. The Korean Central News Agency said last "
     "month that no citizen is punished for the crimes of another.\n\n"
     "The Ministry of Unification said it would review the findings and share them with the United Nations. The "
     "group urged Seoul to raise the issue at the next session of the UN Human Rights Council.\n",
     {"interrogation_or_summons": "reported", "arrest_or_detention": "reported", "banishment": "reported",
      "other_collective_punishment": "reported", "public_denunciation": "reported",
      "political_prison_camp": "rumour", "economic_or_social_sanction": "reported", "threat": "reported"},
     set()),
    ("test-testimony-style-mother",
     "I left North Korea in the winter of 2019, crossing the Tumen River near Musan with the help of a broker. "
     "I did not tell my mother I was going, because I knew what would happen to her if she knew.\n\n"
     "It was two years before I could reach her on a broker’s phone. She told me that after I left, security "
     "agents came to the house almost every day for a month. They asked her where I had gone, who had helped me "
     "and whether I had called. She told them I had gone to find work in China.\n\n"
     "Then they took my younger brother away. He was held at the county security office for 40 days and beaten. "
     "When he came home he had lost his job at the mine, and nobody in the village would marry him because our "
     "family was now a traitor family.\n\n"
     "My mother is old and sick. The inminban head still comes every week and writes down who visits the house. "
     "Local officials also made her write a letter to me, asking me to come home and promising I would be "
     "forgiven.\n\n"
     "I know other families had it worse. A woman from my neighborhood whose daughter went to South Korea was "
     "sent to a farm deep in the mountains with her husband. I do not know if that is true; I only heard it from "
     "my mother.\n\n"
     "People ask me if I regret leaving. They never arrested my mother, and for that I am grateful. But every "
     "time I call, I wonder who else is listening.\n\n"
     "This testimony was collected by a human rights group in Seoul in 2024 and has been edited for length.\n",
     {"interrogation_or_summons": "reported", "arrest_or_detention": "reported",
      "economic_or_social_sanction": "reported", "surveillance_or_watchlisting": "reported",
      "forced_contact": "reported", "banishment": "rumour"},
     set()),
]

# Three more, written after the rules were changed for the six above and measured before any further
# change (recall 8/14, as with the rules before: the changes had not carried to their wording); the
# rules were then widened for their gaps too (death in a detention facility, confiscation, call
# records, a travel ban, "told that if", made to apologize in front of villagers).
FRESH_ARTICLES: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("test-joongang-style-boat-soldiers",
     "Families of North Korean soldiers who crossed into the South by boat last spring have been exiled to remote "
     "islands off the west coast, according to a source cited by a Seoul-based monitoring group on Tuesday.\n\n"
     "The group said the soldiers’ parents were first detained for two weeks by the military security command, "
     "which accused them of failing to report their sons’ plans. After their release, the parents and siblings "
     "were stripped of their residence permits in Haeju and ordered to relocate.\n\n"
     "“The mothers were dragged to a meeting hall and forced to apologize in front of hundreds of villagers,” the "
     "source was quoted as saying.\n\n"
     "Authorities also confiscated the families’ houses and farmland, the group said.\n\n"
     "The Ministry of Unification declined to comment. A ministry official said the government was trying to "
     "verify the report.\n\n"
     "In the North, soldiers who defect are considered traitors, and their relatives typically face punishment "
     "under the guilt-by-association system. Many lose their jobs and are barred from joining the party.\n\n"
     "The group said it could not confirm whether any of the relatives had been sent to a prison camp.\n\n"
     "The defections were the first by sea in several years. Two of the soldiers have since spoken publicly "
     "about their escape, saying they had planned it for months.\n",
     {"banishment": "reported", "arrest_or_detention": "reported", "eviction": "reported",
      "public_denunciation": "reported", "economic_or_social_sanction": "reported"},
     {"political_prison_camp"}),
    ("test-rfa-style-sinuiju-smugglers",
     "Police in Sinuiju have begun questioning the relatives of smugglers who fled to China after a border "
     "crackdown, sources in North Pyongan province told RFA.\n\n"
     "“Every day, two or three families are taken to the police station and interrogated about where their "
     "relatives went and who helped them,” a resident of the city said.\n\n"
     "The resident said the police had also seized mobile phones from the families and now check their call "
     "records every week.\n\n"
     "Another source said the authorities had imposed a travel ban on the relatives, who can no longer leave the "
     "city without a permit.\n\n"
     "“They are told that if their relatives don’t come back within a month, the whole family will be exiled to "
     "the countryside,” the source said.\n\n"
     "A woman whose brother fled last month was fired from her job at a textile factory, the second source said. "
     "Not all families have been targeted, the source added, and those with connections in the party have so far "
     "been left alone.\n\n"
     "RFA could not independently confirm the reports.\n",
     {"interrogation_or_summons": "reported", "surveillance_or_watchlisting": "reported",
      "other_collective_punishment": "reported", "threat": "reported", "economic_or_social_sanction": "reported"},
     {"banishment"}),
    ("test-dailynk-style-death-in-custody",
     "A man whose son defected to South Korea died in a detention facility in Chongjin last month after weeks of "
     "interrogation, a source in North Hamgyong province told Daily NK.\n\n"
     "The man, in his sixties, was taken into custody by state security agents in early spring after "
     "investigators discovered that he had received money from his son through a broker.\n\n"
     "“They beat him to make him confess who the broker was,” the source said. “His family was not told he had "
     "died until a week later.”\n\n"
     "The man’s wife and daughter-in-law were also summoned to the security office several times and had their "
     "remaining savings confiscated, the source said. The broker has since been arrested.\n\n"
     "Deaths in custody are rarely reported by state media, and families are usually warned not to speak about "
     "them.\n",
     {"death_in_custody_or_execution": "reported", "arrest_or_detention": "reported",
      "interrogation_or_summons": "reported", "economic_or_social_sanction": "reported"},
     set()),
]
