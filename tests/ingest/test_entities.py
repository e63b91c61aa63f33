"""Entities within one article: offices named by title resolve to their holder on the article's date."""

import pytest

from newsgraph.ingest.pipeline import extract
from newsgraph.model import Article

pytestmark = pytest.mark.slow


def _people(body, date):
    ex = extract(Article(body=body, source="offices.txt", date=date))
    return {e.name: e for e in ex.entities if e.type == "Person"}, ex


def test_the_prime_minister_is_the_holder_on_the_article_date():
    body = (
        "Tory MPs met in Westminster on Monday.\n"
        "The Prime Minister wrote to the party chairman, Lena Brook, asking her to stay on.\n"
        "The PM later spoke to reporters."
    )
    people, ex = _people(body, "2023-02-06")
    assert {"The Prime Minister", "The PM"} <= set(people["Rishi Sunak"].aliases)
    (letter,) = [e for e in ex.events if e.category == "write_to"]
    assert letter.agents == [people["Rishi Sunak"].id]
    people, _ = _people(body, "2021-04-29")
    assert "Boris Johnson" in people and "Rishi Sunak" not in people


def test_a_named_holder_takes_the_title_and_a_former_holder_needs_a_name():
    body = (
        "Nadhim Zahawi defended his record in a letter to Tory MPs.\n"
        "The former chancellor said he would stay in Parliament.\n"
        "The education secretary said schools would get more money."
    )
    people, _ = _people(body, "2023-01-29")
    assert "The former chancellor" in people["Nadhim Zahawi"].aliases
    assert "The education secretary" in people["Gillian Keegan"].aliases
    # No named former chancellor: the description stays unresolved rather than guessed.
    people, _ = _people("The former chancellor said he would stay on as an MP in Parliament.", "2023-01-29")
    assert not people


def test_a_former_holder_is_the_one_named_last_before_the_description():
    """Two former prime ministers in one story: 'the former prime minister' is the one the text has
    just named, not whichever left office last."""
    body = (
        "An inquiry asked for the diaries of Boris Johnson on Monday.\n"
        "Notes taken by the former prime minister while in office fill 24 notebooks.\n"
        "Liz Truss, who followed him, has handed over her messages."
    )
    people, _ = _people(body, "2023-06-01")
    assert "the former prime minister" in people["Boris Johnson"].aliases
    assert "the former prime minister" not in people["Liz Truss"].aliases
    # Named only after it: the first of them the text names.
    body = (
        "The former prime minister said he would appear before the inquiry.\n"
        "Boris Johnson and Liz Truss both held the office during the pandemic's aftermath."
    )
    people, _ = _people(body, "2023-06-01")
    assert "The former prime minister" in people["Boris Johnson"].aliases


def test_an_office_abroad_or_followed_by_a_name_is_left_alone():
    people, _ = _people("The prime minister of Canada said trade talks would resume in Ottawa.", "2023-02-06")
    assert "Rishi Sunak" not in people
    people, _ = _people("The prime minister said talks with Ottawa would resume next week.", "2023-02-06")
    assert not people  # nothing in the article places it in the UK
    people, _ = _people("Prime Minister Boris Johnson said the NHS would be protected.", "2023-02-06")
    assert set(people) == {"Boris Johnson"}


def test_the_education_secretary_of_a_story_from_scotland_is_not_englands():
    # education is devolved: the UK office (the gazetteer's) needs a word of England in the article
    body = "Teachers in Scotland walked out on Thursday. The education secretary urged them to return to talks."
    people, _ = _people(body, "2022-11-24")
    assert "Gillian Keegan" not in people
    body = "Teachers in England walked out on Thursday. The education secretary urged them to return to talks."
    people, _ = _people(body, "2022-11-24")
    assert "The education secretary" in people["Gillian Keegan"].aliases


def test_a_story_opening_on_a_description_names_the_person_just_after():
    body = (
        "Harbour council plans new ferry\n\n"
        "The head of transport at a struggling council has resigned, it was announced on Monday.\n"
        "Labour councillor Ada Moss is leaving the cabinet of Northgate Borough Council after four years.\n"
        "Lena Brook will take over the transport brief."
    )
    people, ex = _people(body, "2024-03-04")
    assert "The head of transport" in people["Ada Moss"].aliases
    (resign,) = [e for e in ex.events if e.category == "resign" and e.sentence == 1]
    names = {e.id: e.name for e in ex.entities}
    assert [names[a] for a in resign.agents] == ["Ada Moss"]
    assert [names[p] for p in resign.patients] == ["Northgate Borough Council"]  # the council of the post


def test_an_opening_that_names_someone_keeps_its_descriptions_apart():
    body = (
        "Ada Moss said the head of transport at the council had resigned.\n"
        "Lena Brook, the council's finance chief, said the post would be filled."
    )
    people, _ = _people(body, "2024-03-04")
    assert not any("head of transport" in a for p in people.values() for a in p.aliases)


def test_a_generic_title_with_no_holder_is_the_person_the_story_is_about():
    body = (
        "Ada Moss is to stand down as chief executive of the Water Standards Agency.\n"
        "Ms Moss told staff on Monday that she would leave in the summer.\n"
        "Council leader Lena Brook said the outgoing agency chief had served the region well.\n"
        "The agency boss is understood to have told ministers last year."
    )
    people, _ = _people(body, "2024-03-04")
    assert {"the outgoing agency chief", "The agency boss"} <= set(people["Ada Moss"].aliases)
    assert not any("chief" in a for a in people["Lena Brook"].aliases)


def test_courts_named_after_towns_and_forces_with_and_in_their_name_are_one_actor():
    body = (
        "Ada Moss was sentenced at Bristol Crown Court on Thursday.\n"
        "Avon and Somerset Police launched an investigation in 2021."
    )
    _, ex = _people(body, "2024-02-09")
    orgs = {e.name for e in ex.entities if e.type == "Organisation"}
    assert {"Bristol Crown Court", "Avon and Somerset Police"} <= orgs
    assert not {"Bristol", "Avon", "Somerset", "Crown Court"} & {e.name for e in ex.entities}


def test_a_capitalised_plural_at_the_start_of_a_sentence_is_no_actor():
    body = "Jeremy Hunt told MPs the cuts were fair.\nUnions representing nurses said they would strike."
    people, ex = _people(body, "2022-11-17")
    assert {e.name for e in ex.entities} == {"Jeremy Hunt"}


def test_a_council_named_after_a_town_that_is_also_a_word_is_one_actor():
    _, ex = _people("Reading Borough Council, which ran the school, apologised to the family.", "2023-11-28")
    assert [e.name for e in ex.entities if e.type == "Organisation"] == ["Reading Borough Council"]


def test_an_institution_keeps_its_name_without_the_town_the_ner_glued_on():
    from newsgraph.ingest.entities import _located
    from newsgraph.ingest.nlp import load_pipeline

    nlp, _ = load_pipeline()
    doc = nlp("She was head of Northgate Primary School in Harbourside until 2022.")
    glued = doc[4:9]  # what the NER sometimes returns
    assert glued.text == "Northgate Primary School in Harbourside"
    assert _located(glued).text == "Northgate Primary School"
    assert _located(nlp("the Centre for Research in Education")[1:6]) is None


def test_a_one_word_name_described_as_a_company_is_an_organisation():
    body = (
        "Freshway, one of the largest supermarket chains, has apologised to customers.\n"
        "The company said it had fallen short."
    )
    _, ex = _people(body, "2024-06-11")
    freshway = next(e for e in ex.entities if e.name == "Freshway")
    assert freshway.type == "Organisation" and "The company" in freshway.aliases


def test_acts_and_the_pandemic_are_not_people():
    body = (
        "Lena Brook said the Illegal Migration Act would be tested in court.\n"
        "In his reply, Omar Reyes listed the Covid vaccine among his achievements."
    )
    _, ex = _people(body, "2023-11-15")
    kinds = {e.name: e.type for e in ex.entities}
    assert (
        kinds.get("Illegal Migration Act", "Document") == "Document"
        and kinds.get("Migration Act", "Document") == "Document"
    )
    assert kinds.get("COVID-19", "Other") == "Other" and "Covid" not in kinds


# ---- the trained entity layer (newsgraph/data/model.json) ----------------------------------------


def test_a_country_acting_as_a_state_is_its_government_and_its_capital_stands_for_it():
    body = (
        "Canada recalled its ambassador from Venezuela on Monday after a row over fishing rights.\n"
        "Ottawa said the decision was taken after talks in Caracas failed. Canada also imposed sanctions."
    )
    _, ex = _people(body, "2024-03-04")
    government = next(e for e in ex.entities if e.name == "Government of Canada")
    assert government.type == "Organisation" and {"Canada", "Ottawa"} <= set(government.aliases)
    assert not {"Canada", "Ottawa"} & {e.name for e in ex.entities}
    assert {e.name: e.type for e in ex.entities}["Caracas"] == "Place"  # a place where talks were held


def test_a_capital_or_country_that_acts_is_its_government_whatever_the_ner_took_it_for():
    # The NER reads "Baku" and "Montevideo" here as people, and "Kazakhstan" as no actor at all: the
    # gazetteer knows them for a capital and a country, so each is its country's government.
    body = (
        "Border talks between Armenia and Azerbaijan stalled in Geneva on Tuesday.\n"
        "Baku wanted the framework signed before the end of the year, a diplomat said. Yerevan insisted "
        "that the border commission finish its survey first.\n"
        "Montevideo also said it would send observers. Kazakhstan had offered to host the next round."
    )
    _, ex = _people(body, "2024-11-12")
    names = {e.name: e for e in ex.entities}
    for government, forms in (
        ("Government of Azerbaijan", {"Baku"}),
        ("Government of Armenia", {"Yerevan"}),
        ("Government of Uruguay", {"Montevideo"}),
        ("Government of Kazakhstan", {"Kazakhstan"}),
    ):
        assert names[government].type == "Organisation" and forms <= set(names[government].aliases), government
    assert not {"Baku", "Yerevan", "Montevideo", "Kazakhstan"} & set(names)
    assert names["Geneva"].type == "Place"  # where the talks were, no actor


def test_a_capital_named_only_as_where_something_happens_stays_a_place():
    # Hungary acts, so it is its government; Budapest is only where the deal was signed, so it stays
    # a place, not another name of that government. Seoul is warned and so stands for its state.
    body = (
        "Serbia and Hungary signed a pipeline deal in Budapest on Monday.\n"
        "Hungary said the pipeline would be finished by 2027. Talks had been held in Budapest since March.\n"
        "China summoned the South Korean ambassador after a speech warning Seoul over its policy."
    )
    _, ex = _people(body, "2024-11-12")
    names = {e.name: e for e in ex.entities}
    assert "Hungary" in names["Government of Hungary"].aliases
    assert "Budapest" not in names["Government of Hungary"].aliases
    assert names["Budapest"].type == "Place"
    assert "Seoul" in names["Government of South Korea"].aliases


@pytest.mark.parametrize(
    ("body", "bloc", "forms"),
    [
        (
            "ECOWAS envoys arrived in Bamako on Monday. The Economic Community of West African States "
            "wants elections next year, and the bloc said it would lift sanctions once a date is set.",
            "Economic Community of West African States",
            {"ECOWAS", "the bloc"},
        ),
        (
            "Nato defence ministers met in Brussels on Thursday. The alliance agreed to raise spending, "
            "a spokesman said.",
            "NATO",
            {"Nato", "The alliance"},
        ),
    ],
)
def test_an_international_bloc_is_one_actor_by_its_name_its_acronym_and_the_bloc(body, bloc, forms):
    ex = extract(Article(body=body, source="bloc.txt", date="2024-06-03"))
    names = {e.name: e for e in ex.entities}
    assert names[bloc].type == "Organisation"
    assert forms <= set(names[bloc].aliases)


@pytest.mark.parametrize(
    ("sentence", "form", "ministry"),
    [
        (
            "China's foreign ministry summoned the ambassador on Monday.",
            "China's foreign ministry",
            "Ministry of Foreign Affairs of China",
        ),
        (
            "Beijing's foreign ministry summoned the ambassador on Monday.",
            "Beijing's foreign ministry",
            "Ministry of Foreign Affairs of China",
        ),
        (
            "The Russian defence ministry denied the report on Monday.",
            "Russian defence ministry",
            "Ministry of Defence of Russia",
        ),
        (
            "Jordan's Ministry of Interior said on Monday it would review the case.",
            "Jordan's Ministry of Interior",
            "Ministry of Interior of Jordan",
        ),
        (
            "Vietnam's Ministry of Industry and Trade declined to comment on Monday.",
            "Vietnam's Ministry of Industry and Trade",
            "Ministry of Industry and Trade of Vietnam",
        ),
    ],
)
def test_a_countrys_ministry_named_by_its_portfolio_is_that_ministry(sentence, form, ministry):
    ex = extract(Article(body=sentence + " Officials declined to say more.", source="m.txt", date="2024-06-03"))
    names = {e.name: e for e in ex.entities}
    assert names[ministry].type == "Organisation" and form in names[ministry].aliases
    assert not any(form in e.aliases for e in ex.entities if e.name != ministry)


def test_a_ministry_of_no_country_named_is_left_to_the_rest_of_the_pipeline():
    ex = extract(Article(body="The foreign ministry said on Monday it had summoned the envoy.", source="m.txt"))
    assert not [e.name for e in ex.entities if e.name.startswith("Ministry of")]


def test_a_name_the_article_gives_with_mr_or_ms_is_a_person_whatever_the_ner_says():
    # Names of no common English shape, which the NER and the vectors take for bodies; "Mr Fall's
    # campaign" and "Ms Nyambura" say they are people.
    body = (
        "A regional court ordered a recount on Friday in the mayoral vote won by Babacar Fall, the candidate "
        "of the ruling alliance. Mr Fall's campaign said it would appeal.\n"
        "The ruling strips Rimantas Žukauskas of the seat. Mr Žukauskas, 58, denied any wrongdoing."
    )
    ex = extract(Article(body=body, source="hon.txt", date="2024-06-03"))
    types = {e.name: e.type for e in ex.entities}
    assert types.get("Babacar Fall") == "Person" and types.get("Rimantas Žukauskas") == "Person"


def test_the_government_is_the_one_of_the_country_the_article_is_about():
    # No word of the UK's (the UK Government's `context`): "the government" and "ministers" are New
    # Zealand's, the country the article names most, not the UK Government the gazetteer defaults to.
    body = (
        "The government has ordered a review of school funding in New Zealand after protests in Wellington.\n"
        "Education minister Erica Stanford said the review would report by June. New Zealand teachers "
        "said ministers had ignored them for months, and Australia was watching."
    )
    _, ex = _people(body, "2025-03-02")
    names = {e.name: e for e in ex.entities}
    assert "UK Government" not in names
    assert {"The government", "ministers"} <= set(names["Government of New Zealand"].aliases)
    assert names["Government of New Zealand"].type == "Organisation" and names["New Zealand"].type == "Place"
    # One word of the UK's, and the same phrases are the UK Government's again.
    _, uk = _people(body.replace("after protests", "after protests in Westminster and"), "2025-03-02")
    assert {"The government", "ministers"} <= set(next(e for e in uk.entities if e.name == "UK Government").aliases)
    assert "Government of New Zealand" not in {e.name for e in uk.entities}


def test_the_government_of_an_article_that_names_no_country_is_the_gazetteers():
    body = "The government has delayed its plan for new grammar schools.\nMinisters said the plan would return in May."
    _, ex = _people(body, "2025-03-02")
    (gov,) = [e for e in ex.entities if e.type == "Organisation"]
    assert gov.name == "UK Government" and {"The government", "Ministers"} <= set(gov.aliases)


def test_the_government_of_a_nation_the_article_names_is_no_uk_government():
    # "Wales" and "MPs" are words of the UK Government's context, but the article names the Welsh
    # Government, and the phrases the rules gave the UK Government are its own.
    body = (
        "Teachers in Wales will strike next month, the NEU said on Monday.\n"
        "The Welsh Government said it had made a fair offer and urged the union to return to talks.\n"
        "Labour MPs in Cardiff said the government should raise its offer.\n"
        "A spokesperson said ministers would meet the union on Friday."
    )
    _, ex = _people(body, "2025-03-02")
    names = {e.name: e for e in ex.entities}
    assert "UK Government" not in names
    assert {"the government", "ministers"} <= set(names["Welsh Government"].aliases)


def test_the_government_is_the_other_government_the_article_names_unless_it_names_the_uk():
    # "MPs" is a word of the UK's context and of Australia's parliament: the article names the
    # Australian Government and no name of the UK, so "the government" and "ministers" are Australia's.
    body = (
        "Nurses in Sydney walked out on Tuesday, the union said.\n"
        "The Australian Government said the pay rise it had offered was generous.\n"
        "Labor MPs said the government had broken its promise, and ministers refused to comment."
    )
    _, ex = _people(body, "2025-03-02")
    names = {e.name: e for e in ex.entities}
    assert "UK Government" not in names
    assert {"the government", "ministers"} <= set(names["Government of Australia"].aliases)
    # A name of the UK in the article, and the phrases stay the UK Government's.
    _, uk = _people(body.replace("Nurses in Sydney", "Nurses in Sydney, like those in Britain,"), "2025-03-02")
    uk_names = {e.name: e for e in uk.entities}
    assert {"the government", "ministers"} <= set(uk_names["UK Government"].aliases)
    assert "the government" not in uk_names["Government of Australia"].aliases


def test_parties_of_other_countries_are_organisations_by_their_short_names_too():
    # The NER takes "Fianna Fáil" and "Fine Gael" for people and "New Zealand First" for a country.
    body = (
        "SDLP leader Colum Eastwood said Fianna Fáil and Fine Gael had ignored the north.\n"
        "New Zealand First leader Winston Peters agreed, and NZ First would say so in Wellington."
    )
    _, ex = _people(body, "2025-03-02")
    kinds = {e.name: e.type for e in ex.entities}
    for party in ("Social Democratic and Labour Party", "Fianna Fáil", "Fine Gael", "New Zealand First"):
        assert kinds.get(party) == "Organisation", (party, kinds)
    aliases = {e.name: set(e.aliases) for e in ex.entities}
    assert "SDLP" in aliases["Social Democratic and Labour Party"] and "NZ First" in aliases["New Zealand First"]
    assert {"Colum Eastwood", "Winston Peters"} <= {n for n, k in kinds.items() if k == "Person"}


def test_a_leaders_administration_is_a_body_named_so_and_the_administration_is_it():
    # The NER takes "Trump" before "administration" for an organisation of its own; the phrase is the body.
    body = (
        "Westbrook University said on Monday it would not meet demands made by the Trump administration.\n"
        "The administration froze $2 billion in grants hours later, and the Trump administration said more "
        "cuts were possible."
    )
    _, ex = _people(body, "2025-04-14")
    names = {e.name: e for e in ex.entities}
    assert "Trump" not in names
    admin = names["Trump administration"]
    assert admin.type == "Organisation" and "The administration" in admin.aliases
    assert len(admin.mentions) == 3


def test_an_administration_whose_leaders_name_the_trained_layer_gave_a_description_is_still_the_body():
    # The description layer ties "The Trump administration" to the body the NER made of "Trump"; that
    # mention is no sign that "Trump" names something other than the administration.
    body = (
        "Westbrook University said on Monday it would not give in to the Trump administration's demands.\n"
        "The Trump administration had sent the storied college a list of demands this month. The Trump "
        "administration said the old college must comply."
    )
    _, ex = _people(body, "2025-04-14")
    names = {e.name: e for e in ex.entities}
    assert "Trump" not in names, sorted(names)
    assert len(names["Trump administration"].mentions) == 3


def test_a_government_named_by_its_countrys_adjective_or_its_leader():
    body = (
        "The Kenyan government withdrew the finance bill after protests in Nairobi.\n"
        "President William Ruto said the government would listen to young people."
    )
    _, ex = _people(body, "2024-06-26")
    names = {e.name: e for e in ex.entities}
    assert "UK Government" not in names  # "the government" is Kenya's too
    assert {"Kenyan government", "the government"} <= set(names["Government of Kenya"].aliases)
    # a leader the article names; not a party ("the Labour government" is no body of its own)
    _, au = _people("Scott Morrison lost the election. The Morrison government had promised tax cuts.", "2022-05-22")
    assert {"Scott Morrison", "Morrison government"} <= {e.name for e in au.entities}
    _, uk = _people("The Labour government will review the policy, Labour said on Tuesday.", "2025-03-02")
    assert not [e for e in uk.entities if e.name.endswith("government")]
    # a body whose own name ends in the word is that body
    _, us = _people("The Federal Aviation Administration fined SpaceX on Tuesday.", "2024-09-17")
    assert not [e for e in us.entities if e.name.endswith(" administration")]


def test_a_definite_description_names_the_body_the_article_names():
    body = (
        "Brightwater Energy was fined £2m on Tuesday for overcharging customers.\n"
        "The company said it would appeal the decision."
    )
    _, ex = _people(body, "2024-03-04")
    (org,) = [e for e in ex.entities if e.type == "Organisation"]
    assert org.name == "Brightwater Energy" and "The company" in org.aliases


def test_a_first_name_or_a_surname_alone_is_the_person_the_article_names():
    body = (
        "Maria Okonjo, the chief executive of Harbour Housing, resigned on Friday.\n"
        "Okonjo said the board had lost confidence in her. Maria said she was proud of her work."
    )
    people, _ = _people(body, "2024-03-04")
    assert set(people) == {"Maria Okonjo"} and {"Okonjo", "Maria"} <= set(people["Maria Okonjo"].aliases)


def test_a_surname_two_people_share_is_the_one_the_story_introduced_first():
    body = (
        "Harbour Housing sacked its chief executive, Daniel Okafor, on Friday.\n"
        "The board said Okafor had hidden the accounts from it.\n"
        "His brother, Samuel Okafor, who also worked at the firm, left in March.\n"
        "Okafor said he would appeal."
    )
    people, _ = _people(body, "2024-03-04")
    assert {"Daniel Okafor", "Samuel Okafor"} <= set(people)
    assert "Okafor" in people["Daniel Okafor"].aliases
    assert "Okafor" not in people["Samuel Okafor"].aliases


def test_a_family_name_written_first_is_the_short_form():
    body = "Lee Min-ho, the leader of the Harbour Party, met the mayor on Tuesday.\nLee said the talks had gone well."
    people, _ = _people(body, "2024-03-04")
    assert set(people) == {"Lee Min-ho"} and "Lee" in people["Lee Min-ho"].aliases


def test_a_title_standing_alone_is_no_actor():
    body = "Councillor Jane Hollis said the plan would cost too much.\nCouncillor said nothing more."
    _, ex = _people(body, "2024-03-04")
    assert [e.name for e in ex.entities if e.type in ("Person", "Organisation")] == ["Jane Hollis"]


def test_a_name_span_stops_at_a_bracket_and_loses_a_leading_preposition():
    from newsgraph.ingest.entities import _trim, strip_name
    from newsgraph.ingest.nlp import load_pipeline

    nlp, _ = load_pipeline()
    doc = nlp("The story was first reported per Harbour Today on Monday.")
    assert _trim(doc[5:8]).text == "Harbour Today"
    doc = nlp("“We will not stop,” said Joe Brennan),’’he added.")
    assert strip_name(doc[8:10].text) == "Joe Brennan"  # "Brennan),’’he" is one token


def test_the_canonical_name_is_the_spelling_the_article_uses_most():
    body = (
        "The coroner, Heidi Conner, opened the inquest on Monday.\n"
        "Heidi Connor said the school had been under great pressure.\n"
        "Heidi Connor will give her conclusions next week."
    )
    people, _ = _people(body, "2024-03-04")
    assert set(people) == {"Heidi Connor"} and "Heidi Conner" in people["Heidi Connor"].aliases


@pytest.mark.parametrize(
    "forms, name",
    [
        (["Northfield College's principal", "Dana Okafor", "Okafor"], "Dana Okafor"),
        (["Ofsted’s new chief inspector", "Martyn Oliver"], "Martyn Oliver"),
        (["Conan O'Brien", "O'Brien"], "Conan O'Brien"),  # an apostrophe inside a name is no possessive
    ],
)
def test_a_possessive_description_linked_to_a_person_is_never_their_name(forms, name):
    from newsgraph.ingest.entities import Cluster

    assert Cluster("Person", forms=list(forms)).name == name


@pytest.mark.parametrize(
    "type_, forms, name",
    [
        # a description that opens a sentence is capitalised, and longer than the name
        ("Person", ["Ms Okafor", "The letter"], "Ms Okafor"),
        ("Person", ["Its chief executive", "Dr Lund"], "Dr Lund"),
        ("Organisation", ["The water company", "Hale"], "Hale"),
        ("Organisation", ["The water company"], "The water company"),  # no name: the description stays
    ],
)
def test_a_description_opening_a_sentence_is_not_the_name_of_an_actor_with_one(type_, forms, name):
    from newsgraph.ingest.entities import Cluster

    assert Cluster(type_, forms=list(forms)).name == name


@pytest.mark.parametrize(
    "opening, place",
    [
        ("OTTAWA - The Competition Bureau fined", "OTTAWA"),
        ("OTTAWA (Wire Service) - The Competition Bureau fined", "OTTAWA"),
        ("OTTAWA, March 4 -- The Competition Bureau fined", "OTTAWA"),
        ("OTTAWA: The Competition Bureau fined", "OTTAWA"),
        ("Bureau fines grocer\n\nOTTAWA — The Competition Bureau fined", "OTTAWA"),
    ],
)
def test_a_dateline_is_found_in_its_usual_forms(opening, place):
    from newsgraph.ingest.nlp import datelines

    ((start, end, body),) = datelines(opening)
    assert opening[start:end] == place and opening[body:].startswith("The Competition Bureau")


@pytest.mark.parametrize("opening", ["NHS: A plan for winter", "The BBC - a broadcaster", "Canada - The state"])
def test_a_label_or_a_sentence_is_no_dateline(opening):
    from newsgraph.ingest.nlp import datelines

    assert datelines(opening) == []


def test_a_dateline_is_where_the_story_was_filed_not_an_actor_of_its_first_sentence():
    body = (
        "OTTAWA - The Competition Bureau fined a grocery chain on Monday for misleading price claims.\n"
        "Canada also imposed new labelling rules on the sector."
    )
    _, ex = _people(body, "2024-03-04")
    types = {e.name: e.type for e in ex.entities}
    assert types.get("Ottawa", types.get("OTTAWA")) == "Place"
    states = [e for e in ex.entities if e.type == "Organisation" and {"Ottawa", "OTTAWA"} & {e.name, *e.aliases}]
    assert states == []  # the capital in a dateline is no state
    fine = next(ev for ev in ex.events if ev.trigger.lower().startswith("fine"))
    assert fine.agents == [next(e.id for e in ex.entities if e.name == "Competition Bureau")]


def test_styles_titles_and_letters_are_no_part_of_a_persons_name():
    from newsgraph.ingest.entities import core_person_name

    assert core_person_name("Rt Hon Alan Whitby MP") == "Alan Whitby"
    assert core_person_name("Councilwoman Ines Marlow") == "Ines Marlow"
    assert core_person_name("Dame Petra Hollis DBE") == "Petra Hollis"
    # two words stay: a title or honorific with a surname is all the name there is
    assert core_person_name("Justice Fancourt") == "Justice Fancourt" and core_person_name("Ms Perry") == "Ms Perry"
    body = (
        "The committee's report was sent to the Rt Hon Alan Whitby MP on Tuesday.\n"
        "Carla Dunmore OBE, who chairs the trust, said the findings were clear.\n"
        "Mr Whitby said he would reply to Ms Dunmore within a month."
    )
    people, ex = _people(body, "2024-03-05")
    assert set(people) == {"Alan Whitby", "Carla Dunmore"}
    assert {"Alan Whitby MP", "Mr Whitby"} <= set(people["Alan Whitby"].aliases)
    assert {"Carla Dunmore OBE", "Ms Dunmore"} <= set(people["Carla Dunmore"].aliases)
    assert not [e.name for e in ex.entities if "Hon" in e.name.split()]  # no actor "Rt Hon"


def test_a_role_in_apposition_is_the_persons_role_and_form():
    body = (
        "Ms Okafor, the environment minister, said the plan would be published in the autumn.\n"
        "The letter went to Ana Ruiz, the lawyer.\n"
        "Tom Hale, a local campaigner, said the river was dying."
    )
    people, _ = _people(body, "2024-05-01")
    assert people["Ms Okafor"].roles == ["environment minister"]
    assert "the environment minister" in people["Ms Okafor"].aliases
    assert people["Ana Ruiz"].roles == ["lawyer"] and "the lawyer" in people["Ana Ruiz"].aliases
    assert people["Tom Hale"].roles == []  # a campaigner is no office


def test_a_description_in_apposition_is_a_form_of_the_actor_it_describes():
    body = (
        "Wen Lihua, the Chinese consul general in Manchester, said the visit would go ahead.\n"
        "The housing trust's chief executive, Priya Natarajan, said rents would rise.\n"
        "Brackwell, the discount retailer, said it would close 40 shops."
    )
    ex = extract(Article(body=body, source="appos.txt", date="2024-05-01"))
    forms = {e.name: {a.lower() for a in e.aliases} for e in ex.entities}
    assert "the chinese consul general in manchester" in forms["Wen Lihua"]
    assert "the housing trust's chief executive" in forms["Priya Natarajan"]
    assert "the discount retailer" in forms["Brackwell"]
    # The phrase stops at the name, the comma and the clause: no form holds a name or a verb.
    assert not [f for fs in forms.values() for f in fs if "said" in f or "priya" in f]


def test_a_thing_or_another_beside_a_name_is_no_form_of_it():
    body = (
        "Another writer, Ravi Shah, returned the award on Monday.\n"
        "Ravi Shah, a former teacher who had won it in 2015, said he was ashamed."
    )
    people, _ = _people(body, "2024-05-01")
    (person,) = people.values()
    assert person.name == "Ravi Shah"  # no description becomes the name
    assert "a former teacher" in person.aliases  # the description stops before its clause
    assert not [a for a in person.aliases if "writer" in a.lower() or "who" in a.split()]


def test_the_name_an_acronym_in_brackets_defines_is_one_actor():
    body = (
        "The general secretary of the Scottish Institute of Piping (SIP) criticised the offer.\n"
        "Earlier the Northern Federation of Retired Ferry Workers (NFRFW) said it would ballot.\n"
        "Ministers and the Department for Harbours, Canals and Waterways (DHCW) met on Tuesday.\n"
        "SIP and the NFRFW will meet the DHCW again next week."
    )
    ex = extract(Article(body=body, source="acronyms.txt", date="2024-05-01"))
    orgs = {e.name: set(e.aliases) for e in ex.entities if e.type == "Organisation"}
    assert "SIP" in orgs["Scottish Institute of Piping"]
    assert "NFRFW" in orgs["Northern Federation of Retired Ferry Workers"]
    assert "DHCW" in orgs["Department for Harbours, Canals and Waterways"]
    names = {e.name for e in ex.entities}
    assert not names & {"Scotland", "Scottish Institute of", "Canals and Waterways", "Earlier"}


@pytest.mark.parametrize(
    ("short", "before", "expected"),
    [
        ("EIS", "the Educational Institute of Scotland ", "Educational Institute of Scotland "),
        ("DfE", "said the Department for Education ", "Department for Education "),
        ("UKRI", "The head of UK Research and Innovation ", "UK Research and Innovation "),
        ("CDU", "out of the crisis, Schnieder ", None),
    ],
)
def test_long_form_start_matches_every_letter_right_to_left(short, before, expected):
    from newsgraph.ingest.entities import long_form_start

    start = long_form_start(short, before)
    assert (before[start:] if start is not None else None) == expected


def test_a_name_ending_in_a_word_of_a_class_of_bodies_is_an_organisation_whatever_the_ner_said():
    body = (
        "Brackley Water will appeal against the £2 million fine the regulator imposed on Monday.\n"
        "Brackley Water said the spills had been caused by heavy rain.\n"
        "The company has spent £5 million on new storm tanks since 2022."
    )
    ex = extract(Article(body=body, source="brackley.txt", date="2025-01-10"))
    [water] = [e for e in ex.entities if e.name == "Brackley Water"]
    assert water.type == "Organisation"
    assert "The company" in water.aliases


def test_a_description_the_anaphora_model_doubts_links_only_to_a_clear_actor():
    from newsgraph.ingest.pipeline import Extractor

    ex = Extractor()
    body = (
        "TikTok was fined £12m by the Information Commissioner on Tuesday for misusing children's data.\n"
        "The platform said it disagreed with the decision and would appeal."
    )
    saved = dict(ex.entity_model.thresholds)

    def aliases(**thresholds):
        ex.entity_model.thresholds.update(thresholds)
        try:
            found = ex.from_doc(Article(source="x.txt", body=body, date="2024-03-04"), ex.nlp(body))
        finally:
            ex.entity_model.thresholds.clear()
            ex.entity_model.thresholds.update(saved)
        return next(e for e in found.entities if e.name == "TikTok").aliases

    assert "The platform" in aliases()
    # the anaphora model's own threshold out of reach: only the ranking model's strong score links
    assert "The platform" in aliases(description=1.1, description_floor=0.0, description_strong=0.0)
    assert "The platform" not in aliases(description=1.1, description_floor=0.0, description_strong=1.1)
    assert "The platform" not in aliases(description=1.1, description_floor=1.1, description_strong=0.0)


def test_plural_class_nouns_stay_groups_and_descriptions_see_the_bodies_named_before():
    from newsgraph.ingest import entity_model
    from newsgraph.ingest.pipeline import Extractor

    body = (
        "The NEU and the NAHT wrote to Ofsted on Monday about the inspections.\n"
        "The unions said the watchdog had ignored their warnings."
    )
    _, ex = _people(body, "2024-03-04")
    assert not [e for e in ex.entities if "The unions" in e.aliases]  # the event stage splits a group
    extractor = Extractor()
    ents, _, _ = extractor.raw_events(Article(body=body, source="x.txt", date="2024-03-04"), extractor.nlp(body))
    (watchdog,) = [d for d in entity_model.descriptions(ents) if d.text == "the watchdog"]
    feats = entity_model.anaphora_features(ents, watchdog, extractor.entity_model.centroids, {})
    assert feats["class_named_before"] == 1.0  # Ofsted, an inspectorate, is named before it
    assert 0.0 < feats["nearest_name_cos"] <= 1.0


def test_a_description_led_by_a_possessive_leaves_the_possessive_to_its_owner():
    """'its former boss' linked to the boss: the description is the boss's mention, but 'its' stays
    free for the body it stands for (a resignation's patient is found through it)."""
    from newsgraph.ingest.entities import ArticleEntities
    from newsgraph.ingest.pipeline import Extractor, Settings

    extractor = Extractor(Settings(), model="rules")
    doc = extractor.nlp("Harbour Housing was fined on Monday. Its former boss Daniel Okafor resigned in May.")
    ents = ArticleEntities(doc, extractor.gazetteer, "2024-03-04", model=None)
    (okafor,) = [c for c in ents.clusters if c.name == "Daniel Okafor"]
    its = next(t for t in doc if t.text == "Its")
    ents._assign(okafor, doc[its.i : its.i + 3], "Its former boss")
    assert "Its former boss" in okafor.forms
    assert ents.at(its.i) is not okafor and ents.at(its.i + 2) is okafor


def test_a_word_and_the_centroids_compare_as_numpy_sums_them_once_widened():
    import math

    import numpy as np

    from newsgraph.ingest import entity_model

    rng = np.random.default_rng(7)
    centroid = rng.standard_normal(300).astype(np.float32)  # as a model file's centroids load
    other = centroid[::-1].copy()
    centroids = {"desc:Person": centroid, "desc:Other": other, "name:Person": centroid}

    def cosine(word, c):  # each centroid widened, summed by NumPy, divided by its length
        wide = c.astype(np.float64)
        return float(np.add.reduce(word * wide)) / math.sqrt(float(np.add.reduce(wide * wide)))

    for _ in range(200):
        word = rng.standard_normal(300)
        word /= np.linalg.norm(word)
        expected = [("Person", cosine(word, centroid)), ("Other", cosine(word, other))]
        assert entity_model._similarities(word, centroids, "desc:") == expected
        assert entity_model._similarities(word, centroids, "desc:") == expected  # from the cached matrix
    single = rng.standard_normal(300).astype(np.float32)
    assert entity_model._similarities(single, centroids, "name:") == [("Person", cosine(single, centroid))]
    assert entity_model._similarities(None, centroids, "desc:") == [("Person", 0.0), ("Other", 0.0)]
    assert entity_model._similarities(word, centroids, "first:") == []


def test_the_mets_headquarters_stands_for_the_met_not_for_scotland():
    _, ex = _people("Scotland Yard said the inquiry into the leak would continue.", "2024-03-04")
    (met,) = ex.entities
    assert (met.name, met.type, met.aliases) == ("Metropolitan Police", "Organisation", ["Scotland Yard"])


def test_a_union_the_ner_takes_for_a_person_is_the_union_the_gazetteer_knows():
    body = "Train drivers from Aslef will strike on Friday.\nThe Aslef union said the offer was an insult."
    _, ex = _people(body, "2024-03-04")
    (aslef,) = ex.entities
    assert (aslef.name, aslef.type) == ("Aslef", "Organisation") and "The Aslef union" in aslef.aliases


def test_a_name_written_with_either_apostrophe_is_one_actor():
    """The packaged gazetteer writes "Information Commissioner's Office"; an article writing it with
    a typographic apostrophe and then "the ICO" names one actor, under the gazetteer's name."""
    body = (
        "A games studio was fined £2m by the Information Commissioner\u2019s Office on Tuesday.\n"
        "The ICO said the studio had kept players' data for too long.\n"
        "The studio said it would appeal against the fine."
    )
    ex = extract(Article(body=body, source="apostrophe.txt", date="2024-05-07"))
    (ico,) = [e for e in ex.entities if "ICO" in (e.name, *e.aliases) or "Commissioner" in e.name]
    assert ico.name == "Information Commissioner's Office" and ico.type == "Organisation"
    assert {"Information Commissioner\u2019s Office", "ICO"} <= set(ico.aliases)


@pytest.mark.parametrize("written", ["the US", "the U.S.", "the USA", "America"])
def test_a_country_goes_out_under_the_gazetteers_name_however_written(written):
    """One country is one node across articles: a place the article names only "US" or "U.S." is
    the United States (its own form kept as an alias); a capital stays the city."""
    body = f"Flights to {written} were halted on Monday, the airline said.\nFlights to Washington resume on Friday."
    ex = extract(Article(body=body, source="country.txt", date="2024-05-07"))
    places = {e.id: e for e in ex.entities if e.type == "Place"}
    assert places["place:united-states"].name == "United States"
    assert written.removeprefix("the ").rstrip(".") in {a.rstrip(".") for a in places["place:united-states"].aliases}
    assert "place:washington" in places


@pytest.mark.parametrize(
    ("body", "full", "short"),
    [
        (
            "The dealer Inês da Costa denied the claim. Ms da Costa said the sale was legal.",
            "Inês da Costa",
            "Ms da Costa",
        ),
        (
            "Annelies van der Berg chairs the board. Mrs Van der Berg said it would meet again.",
            "Annelies van der Berg",
            "Mrs Van der Berg",
        ),
        (
            "Councilman Rubén de Anda refused to resign on Monday. De Anda said he would stay.",
            "Rubén de Anda",
            "De Anda",
        ),
    ],
)
def test_a_surname_with_its_particles_is_the_person_the_full_name_names(body, full, short):
    """'da Costa', 'Van der Berg', 'De Anda' are surnames (particles and a word), not full names of
    other people: they join the full name that ends with them, whatever case the particle takes."""
    ex = extract(Article(body=body, source="particles.txt", date="2024-05-07"))
    people = [e for e in ex.entities if e.type == "Person"]
    assert [(e.name, short in e.aliases) for e in people] == [(full, True)]
