"""Event rules on short articles we wrote: what is an event, who did it, and what is not one."""

import pytest

from newsgraph.ingest.pipeline import extract
from newsgraph.model import Article

pytestmark = pytest.mark.slow


# Misses of the shipped model since it also learns from training/written (it scores better on the
# dev corpus's held-out folds, but gets these constructions of ours wrong): kept as strict
# expected failures, so a model that gets them right again makes the suite say so. Three more were
# won back when that set's weight fell to 0.4 (stop 42), and the demand of two sayings in one sentence
# with stop 45's model (trigger threshold 0.4, split subjects read from their head).
WRITTEN_SET_MISS = "missed by the model trained with training/written (issue 13, stop 41; still at weight 0.4)"


def _events(body, date="2024-03-05"):
    ex = extract(Article(body=body, source="rules.txt", date=date))
    names = {e.id: e.name for e in ex.entities}
    return [(e.category, [names[a] for a in e.agents], [names[p] for p in e.patients], e) for e in ex.events]


def test_a_headline_gives_no_events_the_body_does():
    body = (
        "Water Workers Union demands halt to river permits\n\n"
        "The Water Workers Union has urged the Water Standards Agency to halt new permits."
    )
    found = _events(body)
    demands = [e for e in found if e[0] == "demand"]
    assert len(demands) == 1 and demands[0][3].sentence == 1


def test_a_death_is_one_event_however_often_it_is_mentioned():
    body = (
        "The death of farmer Owen Hale shocked the valley.\n"
        "An inquest into the death of Mr Hale opened on Monday.\n"
        "Campaigners said the death of Mr Hale should never have happened."
    )
    deaths = [e for e in _events(body) if e[0] == "die"]
    assert [(d[2], d[3].sentence) for d in deaths] == [(["Owen Hale"], 0)]


def test_a_meeting_needs_someone_met():
    body = (
        "Northgate Borough Council used its reserves to meet gaps in the budget.\n"
        "Council leader Ada Moss met Lena Brook of the Water Standards Agency on Friday."
    )
    meetings = [e for e in _events(body) if e[0] == "meet"]
    assert [(m[1], m[2]) for m in meetings] == [(["Ada Moss"], ["Lena Brook"])]


def test_a_letter_needs_an_addressee_or_it_is_only_a_quotation():
    body = (
        "“The permits must stop,” the Water Workers Union wrote, referring to a report by Ada Moss.\n"
        "The Water Workers Union wrote to the Water Standards Agency on Monday.\n"
        "Ada Moss said she would be writing to councils this week.\n"
        "The letter, signed by Lena Brook, said permits had to stop."
    )
    letters = [e for e in _events(body) if e[0] == "write_to"]
    assert [(w[1], w[2], w[3].sentence) for w in letters] == [
        (["Water Workers Union"], ["Water Standards Agency"], 1),
        (["Ada Moss"], [], 2),  # an addressee that is no named actor still makes a letter
    ]


def test_what_someone_only_could_do_is_not_an_event():
    body = "“The review gives us the opportunity to appoint a new chief executive,” Ada Moss said."
    assert not [e for e in _events(body) if e[0] == "appoint_succeed"]


def test_what_is_said_by_means_of_a_letter_is_the_letter():
    body = (
        "The Water Workers Union and the Rail Staff Union have warned of a “serious risk to the health and safety "
        "of staff” if permits continue, in a letter sent to the Water Standards Agency."
    )
    assert sorted(e[0] for e in _events(body)) == ["write_to"]


def test_a_saying_alongside_an_apology_is_the_apology():
    body = "Ada Moss has apologised but says she will not resign after inspectors raised concerns about safety."
    found = {e[0]: e[3] for e in _events(body)}
    assert set(found) == {"respond", "resign"}  # no statement beside the apology
    assert found["resign"].modality == "negated"


def test_a_saying_added_by_a_participle_is_its_own_event():
    body = "On Sunday Ada Moss wrote to Lena Brook, saying that her conduct had been unacceptable."
    found = sorted((e[0], e[1], e[2]) for e in _events(body))
    assert found == [("criticise", ["Ada Moss"], ["Lena Brook"]), ("write_to", ["Ada Moss"], ["Lena Brook"])]


def test_a_statement_introducing_a_quote_is_the_quote():
    body = (
        "Lena Brook, general secretary of the Water Workers Union, issued the following statement:\n\n"
        "“We are calling on the Water Standards Agency to halt new permits at once.”"
    )
    found = _events(body)
    assert [(e[0], e[1]) for e in found] == [("demand", ["Lena Brook"])]


def test_whose_decision_it_is_acts_and_a_retold_resignation_keeps_its_body():
    body = (
        "Ada Moss is to quit her position as chief executive of the Water Standards Agency.\n"
        "The agency said Ms Moss told its board on Monday of her decision to stand down in the summer."
    )
    resigns = [e for e in _events(body) if e[0] == "resign"]
    assert [(r[1], r[2], r[3].sentence) for r in resigns] == [
        (["Ada Moss"], ["Water Standards Agency"], 0),
        (["Ada Moss"], ["Water Standards Agency"], 1),
    ]
    assert not [e for e in _events(body) if e[0] == "statement"]  # the saying only sources the resignation


def test_an_appointment_in_the_passive_without_an_appointer_joins_the_newcomer_to_the_body():
    body = "Lena Brook is to be appointed to the Northgate Harbour Board, the council announced."
    found = [e for e in _events(body) if e[0] == "appoint_succeed"]
    assert [(e[1], e[2]) for e in found] == [(["Lena Brook"], ["Northgate Harbour Board"])]


def test_a_subject_pronoun_goes_on_with_the_last_sentences_subject():
    body = (
        "Northgate Police has been put into special measures by the Water Standards Agency.\n"
        "It has been rated inadequate in every area by the Policing Standards Board.\n"
        "Harbour University said the fine was unfair.\n"
        "They accused the Water Standards Agency of a vindictive campaign."
    )
    found = _events(body)
    assert (["Policing Standards Board"], ["Northgate Police"]) in [(e[1], e[2]) for e in found if e[0] == "rate_judge"]
    criticisms = [(e[1], e[2]) for e in found if e[0] == "criticise"]
    assert criticisms == [(["Harbour University"], ["Water Standards Agency"])]


def test_an_incoming_office_holder_begins_a_term_at_the_body_the_gazetteer_gives_the_office():
    body = (
        "Ofsted confirmed its plans on Monday.\n"
        "Sir Martyn Oliver, who begins his term of office in January, met union leaders on Friday."
    )
    found = [e for e in _events(body, date="2023-12-11") if e[0] == "appoint_succeed"]
    assert [(e[1], e[2], e[3].date) for e in found] == [(["Martyn Oliver"], ["Ofsted"], "2024-01")]


def test_courts_declare_judges_point_out_and_parties_respond_to_rulings():
    body = (
        "The Court of Appeal declared the Northgate Borough Council policy unlawful.\n"
        "Giving the judgment, Mrs Justice Ada Moss pointed out that the council had been warned.\n"
        "The council said the ruling would leave it unable to act."
    )
    found = {(e[0], tuple(e[1])) for e in _events(body)}
    assert ("legal_action", ("Court of Appeal",)) in found
    assert ("respond", ("Northgate Borough Council",)) in found


def test_a_judge_pointing_out_a_fault_is_an_event_of_hers():
    body = (
        "The Court of Appeal declared the Northgate Borough Council policy unlawful.\n"
        "Giving the judgment, Mrs Justice Ada Moss pointed out that the council had been warned."
    )
    assert {e[0] for e in _events(body) if e[1] == ["Ada Moss"]} & {"statement", "criticise"}


def test_a_ruling_told_by_verb_and_noun_is_one_event_and_the_giver_of_a_verdict_acts():
    body = (
        "The High Court has ruled that the Northgate Borough Council scheme is lawful in a verdict delivered today.\n"
        "Giving the court's verdict, Mrs Justice Ada Moss said the council had acted properly."
    )
    legal = [(e[1], e[3].trigger, e[3].sentence) for e in _events(body) if e[0] == "legal_action"]
    assert legal == [(["High Court"], "ruled", 0), (["Ada Moss"], "verdict", 1)]


def test_a_court_acting_in_a_relative_clause_through_its_judgement():
    body = "Judges upheld the judgement delivered by the Court of Appeal which declared the Harbour Act unlawful."
    legal = [e[1] for e in _events(body) if e[0] == "legal_action"]
    assert legal == [["Court of Appeal"]]


def test_a_phrase_is_not_made_of_a_verb_elsewhere_in_the_sentence():
    body = (
        "Mr Justice Omar Reyes heard the case in the High Court.\n"
        "The case was brought after Lena Brook sued the publisher for damages, claiming journalists at its "
        "titles were linked to phone hacking."
    )
    found = [(e[1], e[3].trigger) for e in _events(body) if e[0] == "legal_action" and e[3].sentence == 1]
    assert found == [(["Lena Brook"], "sued")]


def test_two_sayings_in_one_sentence_are_classified_by_their_own_words():
    body = (
        "Harbour mayor Ada Moss said the report described the “worst failings ever seen in a water company” "
        "and said the Water Standards Agency needed to intervene now."
    )
    found = {e[0]: (e[1], e[2]) for e in _events(body)}
    assert set(found) == {"criticise", "demand"}
    assert found["criticise"][0] == ["Ada Moss"]
    assert found["demand"] == (["Ada Moss"], ["Water Standards Agency"])


def test_a_saying_that_reports_a_demand_is_not_a_second_demand():
    body = (
        "Lena Brook, chief executive of the Harbour Schools Trust, said the trust has requested "
        "an urgent meeting with the Water Standards Agency."
    )
    demands = [(e[1], e[2], e[3].trigger) for e in _events(body) if e[0] == "demand"]
    assert demands == [(["Harbour Schools Trust"], ["Water Standards Agency"], "requested")]


def test_conditions_and_what_a_demand_asks_for_are_not_events():
    body = (
        "River permits should be halted until after the Water Standards Agency has published a new code, "
        "the Water Workers Union said today.\n"
        "The report called on the agency to publish a plan by 7 February, setting out how it will respond."
    )
    found = {(e[0], e[3].sentence) for e in _events(body)}
    assert ("publish_report", 0) not in found and ("respond", 1) not in found
    assert ("demand", 0) in found


def test_inverted_speakers_spokespeople_and_criticism_of_the_decision_reported():
    body = (
        "Harbour Press's purchase of Coast Radio has been blocked by the Water Standards Agency.\n"
        "“The purchase would reduce choice for listeners,” stated the Water Standards Agency.\n"
        "Harbour Press said it will appeal the decision.\n"
        "“This decision reflects a flawed understanding of radio,” said a company spokesperson."
    )
    found = [(e[0], e[1], e[2]) for e in _events(body)]
    assert ("statement", ["Water Standards Agency"]) in [(c, a) for c, a, _ in found]  # about the purchase, or nothing
    assert ("legal_action", ["Harbour Press"], ["Water Standards Agency"]) in found
    assert ("criticise", ["Harbour Press"], ["Water Standards Agency"]) in found


def test_a_grade_is_not_a_demand_and_a_sacking_with_no_one_named_is_still_news():
    body = (
        "Harbour Hospitals Trust's rating was downgraded to requires improvement by the Care Quality Commission.\n"
        "Former chief executive Ada Moss was sacked for gross misconduct in 2012.\n"
        "Lena Brook has criticised the trust's board after she was suspended last week."
    )
    found = [(e[0], e[1], e[2]) for e in _events(body)]
    assert not [f for f in found if f[0] == "demand"]
    assert ("other", [], ["Ada Moss"]) in found
    assert ("other", [], ["Lena Brook"]) in found  # 'she' in a clause under the main one is its subject


def test_a_signed_letter_speaks_for_its_signers_and_talks_about_something_to_someone_are_meetings():
    body = (
        "The Water Workers Union (WWU) and the Rail Staff Union (RSU) wrote to the Water Standards Agency.\n"
        "“It is our conclusion that river permits are untenable and should be halted until the actions advised by "
        "the inspector are undertaken by the agency,” the letter, signed by general secretaries Ada Moss (WWU) and "
        "Lena Brook (RSU), reads.\n"
        "“We have spoken about our concerns to the new chair, Omar Reyes,” Ms Moss said."
    )
    found = [(e[0], e[1], e[2]) for e in _events(body)]
    assert ("meet", ["Ada Moss"], ["Omar Reyes"]) in found
    demands = [(c, sorted(a)) for c, a, _ in found if c == "demand"]
    assert demands and {"Ada Moss", "Lena Brook"} <= set(demands[0][1])


@pytest.mark.xfail(reason=WRITTEN_SET_MISS + ": the RSU is a third agent beside its own signer", strict=True)
def test_a_signed_letter_demands_in_its_signers_names_alone():
    body = (
        "The Water Workers Union (WWU) and the Rail Staff Union (RSU) wrote to the Water Standards Agency.\n"
        "“It is our conclusion that river permits are untenable and should be halted until the actions advised by "
        "the inspector are undertaken by the agency,” the letter, signed by general secretaries Ada Moss (WWU) and "
        "Lena Brook (RSU), reads."
    )
    found = [(e[0], sorted(e[1])) for e in _events(body) if e[0] == "demand"]
    assert found == [("demand", ["Ada Moss", "Lena Brook"])]


def test_called_for_x_to_be_paused_asks_x():
    body = "The Water Workers Union has called for Water Standards Agency inspections to be paused."
    found = [(e[0], e[1], e[2]) for e in _events(body)]
    assert found == [("demand", ["Water Workers Union"], ["Water Standards Agency"])]


def test_court_outcomes_denials_and_arrests():
    body = (
        "Omar Reyes was jailed for six years at Northgate Crown Court on Friday.\n"
        "Harbour Press denied the allegations.\n"
        "The Court of Appeal overturned the ruling against Lena Brook.\n"
        "Northgate Police arrested Ada Moss on Monday."
    )
    found = {(e[0], tuple(e[1]), tuple(e[2])) for e in _events(body)}
    assert ("legal_action", (), ("Omar Reyes",)) in found
    assert ("respond", ("Harbour Press",)) in {(c, a) for c, a, _ in found}
    assert ("legal_action", ("Court of Appeal",), ("Lena Brook",)) in found
    assert ("other", ("Northgate Police",), ("Ada Moss",)) in found


@pytest.mark.xfail(
    reason="the role model gives Omar Reyes patient 0.203 against the 0.2 threshold (0.193 on stop 49's model and "
    "gazetteer): this test stood on a margin of .007, and stop 50's retraining crossed it",
    strict=True,
)
def test_a_denial_of_unattributed_allegations_answers_no_one():
    body = (
        "Omar Reyes was jailed for six years at Northgate Crown Court on Friday.\nHarbour Press denied the allegations."
    )
    assert ("respond", ["Harbour Press"], []) in [(e[0], e[1], e[2]) for e in _events(body)]


def test_the_firm_its_boss_and_its_spokesman_are_the_company_the_article_names():
    body = (
        "Severn Vale Water has been fined £2 million by Ofwat.\n"
        "The firm plans to appeal against the decision, a spokesman said.\n"
        "Last year, its former boss Ada Moss resigned after it emerged she had received a bonus."
    )
    found = {(e[0], tuple(e[1]), tuple(e[2])) for e in _events(body)}
    assert ("legal_action", ("Severn Vale Water",), ("Ofwat",)) in found
    assert ("resign", ("Ada Moss",), ("Severn Vale Water",)) in found


def test_a_death_told_by_a_verb_names_who_died_and_when():
    body = (
        "Headteacher Lena Brook died in January 2023.\n"
        "The review follows the death of teacher Omar Reyes, who took his own life in March 2022."
    )
    deaths = [(e[1], e[2], e[3].date, e[3].trigger) for e in _events(body, date="2024-09-02") if e[0] == "die"]
    assert deaths == [([], ["Lena Brook"], "2023-01", "died"), ([], ["Omar Reyes"], "2022-03", "took his own life")]


def test_an_object_pronoun_is_not_its_clauses_subject_and_maybes_are_not_events():
    body = (
        "Ada Moss was sentenced on Thursday.\n"
        "Judge Omar Reyes told her she had shown a callous disregard for residents.\n"
        "Northgate Borough Council has warned it may have to issue a section 114 notice.\n"
        "The Care Quality Commission said it would publish a review of the case."
    )
    found = {(e[0], tuple(e[1]), tuple(e[2])): e[3] for e in _events(body)}
    assert ("criticise", ("Omar Reyes",), ("Ada Moss",)) in found
    assert not [k for k in found if k[0] == "publish_report" and k[1] == ("Northgate Borough Council",)]
    review = [v for k, v in found.items() if k[0] == "publish_report"]
    assert [r.modality for r in review] == ["planned"]


def test_a_death_is_whose_it_is_and_the_telling_that_says_when_stands():
    body = (
        "An inquest into the death of farmer Owen Hale opened on Monday.\n"
        "Coroner Ada Moss is examining whether the crash caused Mr Hale's death on 8 January."
    )
    deaths = [(e[1], e[2], e[3].date, e[3].sentence) for e in _events(body, date="2024-03-05") if e[0] == "die"]
    assert deaths == [([], ["Owen Hale"], "2024-01-08", 1)]


def test_a_second_act_hung_inside_what_was_said_is_the_speakers_and_a_published_response_counts():
    body = (
        "Lena Brook said the changes did not go far enough and called on the Water Standards Agency to act.\n"
        "The Water Standards Agency has published its response to the Harbour Review."
    )
    found = {(e[0], tuple(e[1])) for e in _events(body)}
    assert ("demand", ("Lena Brook",)) in found
    assert ("respond", ("Water Standards Agency",)) in found


def test_a_finding_is_against_whoever_did_it_and_her_school_is_not_her():
    body = (
        "Mr Justice Omar Reyes heard the claim brought by Lena Brook against Harbour Press.\n"
        "The judge also ruled that Ms Brook's phone was probably hacked “to a modest extent” by the publisher.\n"
        "Coroner Ada Moss said Ms Brook's health declined after her school was judged inadequate by Ofsted."
    )
    found = [(e[0], e[1], e[2]) for e in _events(body, date="2023-12-15")]
    assert ("criticise", ["Omar Reyes"], ["Harbour Press"]) in found
    assert not [f for f in found if f[0] == "rate_judge" and "Lena Brook" in f[2]]


def test_would_in_the_second_half_of_what_was_said_is_planned():
    body = "The Water Standards Agency said it had closed the plant and would publish a review of the case."
    (review,) = [e[3] for e in _events(body) if e[0] == "publish_report"]
    assert review.modality == "planned"


def test_we_in_a_quote_whose_speaker_is_described_by_that_quote_ends():
    # The spokesperson's body is looked up through what they said ("We reject …"), and "We" through
    # the spokesperson: this sent the extractor round in a circle until Python's stack ran out.
    body = (
        "Attorney General Maria Lopez of Oregon sued a timber company on Monday, accusing it of misleading "
        "buyers about its logging, according to a statement from her office.\n\n"
        "\u201cNorthwood Timber takes its duty to the forests seriously. We reject the claims made today by the "
        "Oregon Attorney General\u2019s office,\u201d a spokesperson for the logging business told the Portland "
        "Ledger. \u201cNorthwood will keep working with our foresters to plant more trees than we cut.\u201d\n\n"
        "Lopez previously sued a paper mill in 2021."
    )
    found = _events(body)
    assert ("legal_action", ["Maria Lopez"]) in [(c, a) for c, a, _p, _e in found]


def test_a_subject_the_parser_splits_in_two_is_read_from_its_head():
    # The md parser makes "opposition" and "Democrats" two subjects of "urged"; the hand rules read
    # the one next to the verb (checked without the trained layer, which could find the doer itself).
    from newsgraph.ingest.pipeline import Extractor, Settings

    body = "The opposition Liberal Democrats urged the mayor, Rosa Quint, to publish the audit.\n"
    rules = Extractor(Settings(), model="rules")
    doc = rules.nlp(body)
    assert [t.text for t in doc if t.dep_ == "nsubj"] == ["opposition", "Democrats"]
    ex = rules.from_doc(Article(body=body, source="rules.txt", date="2024-03-05"), doc)
    assert [(e.category, e.agents, e.patients) for e in ex.events] == [
        ("demand", ["organisation:liberal-democrats"], ["person:rosa-quint"])
    ]
