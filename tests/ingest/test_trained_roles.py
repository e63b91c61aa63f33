"""The trained role layer on top of the rules: an event the rules leave without a patient takes the
one the role model is sure of, by the same threshold as for the events the model makes itself."""

from __future__ import annotations

import numpy as np
import pytest

from newsgraph.ingest.events.classifier import EventModel
from newsgraph.ingest.linear import LinearModel
from newsgraph.ingest.pipeline import Extractor, Settings
from newsgraph.ingest.trained import TrainedModel
from newsgraph.model import Article

TEXT = (
    "Union leader Ada Brennick criticised the ferry company in a statement.\n"
    "The Harbour Workers Union hit back at Glaswick Ferries, saying the offer was an insult.\n"
)


def _model(patient_threshold: float) -> TrainedModel:
    # Triggers: no opinion (every rule event stands, no new one reaches the trigger threshold).
    triggers = LinearModel(["criticise", "none", "statement"], ["pos=VERB"], np.zeros((3, 1)), np.zeros(3))
    # Roles: the rules' agent is the agent; another organisation is the patient.
    roles = LinearModel(
        ["agent", "none", "patient"],
        ["rule_agent", "type=Organisation"],
        np.array([[5.0, 0.0], [0.0, 0.0], [-5.0, 3.0]]),
        np.zeros(3),
    )
    events = EventModel(triggers, roles)
    events.thresholds["patient"] = patient_threshold
    return TrainedModel(events=events)


@pytest.fixture(scope="module")
def parsed():
    rules = Extractor(Settings(), model="rules")
    return rules.nlp(TEXT)


def _statement(extractor: Extractor, doc) -> list:
    extraction = extractor.from_doc(Article(body=TEXT, source="roles.txt", date="2025-03-05"), doc)
    return [ev for ev in extraction.events if ev.category == "statement"]


def test_the_rules_alone_leave_the_saying_without_a_patient(parsed):
    (said,) = _statement(Extractor(Settings(), model="rules"), parsed)
    assert said.agents == ["organisation:harbour-workers-union"] and said.patients == []


def test_the_role_model_gives_it_the_patient_it_is_sure_of(parsed):
    (said,) = _statement(Extractor(Settings(), model=_model(0.5)), parsed)
    assert said.agents == ["organisation:harbour-workers-union"]
    assert said.patients == ["organisation:glaswick-ferries"]


def test_not_when_it_is_less_sure_than_its_threshold(parsed):
    (said,) = _statement(Extractor(Settings(), model=_model(0.99)), parsed)
    assert said.patients == []


# What an event is done to is often named only in the sentence before ("Glaswick Ferries cut …. The
# union hit back, saying …"): the actors of the two sentences before the trigger's are candidates too,
# marked by how far back they stand, and the role model learns when one of them is the patient.
EARLIER = (
    "Glaswick Ferries cut its night crossings on Monday.\n"
    "The Harbour Workers Union hit back, saying the decision was an insult.\n"
)
FAR = (
    "Glaswick Ferries cut its night crossings on Monday.\n"
    "Passengers queued at the harbour for hours.\n"
    "Some waited until the morning.\n"
    "The Harbour Workers Union hit back, saying the decision was an insult.\n"
)


def _outside_model() -> TrainedModel:
    triggers = LinearModel(["criticise", "none", "statement"], ["pos=VERB"], np.zeros((3, 1)), np.zeros(3))
    roles = LinearModel(  # the rules' agent is the agent; an organisation of the sentence before, the patient
        ["agent", "none", "patient"],
        ["rule_agent", "outside=1"],
        np.array([[5.0, 0.0], [0.0, 0.0], [-5.0, 3.0]]),
        np.zeros(3),
    )
    return TrainedModel(events=EventModel(triggers, roles))


def _said(text: str, model) -> list:
    extractor = Extractor(Settings(), model=model)
    extraction = extractor.from_doc(Article(body=text, source="roles.txt", date="2025-03-05"), extractor.nlp(text))
    return [ev for ev in extraction.events if ev.category == "statement"]


def test_an_actor_of_the_sentence_before_may_be_the_patient():
    (rules,) = _said(EARLIER, "rules")
    assert rules.patients == []
    (said,) = _said(EARLIER, _outside_model())
    assert said.agents == ["organisation:harbour-workers-union"]
    assert said.patients == ["organisation:glaswick-ferries"]


def _candidates(text: str):
    from newsgraph.ingest.events.role_candidates import actor_candidates

    extractor = Extractor(Settings(), model="rules")
    article = Article(body=text, source="roles.txt", date="2025-03-05")
    _, ex, raw = extractor.raw_events(article, extractor.nlp(text))
    (said,) = [ev for ev in raw if ev.category == "statement"]
    found = actor_candidates(ex, said.trigger, "statement", (said.agents, said.patients))
    return ex, said, {c.cluster.name: c for c in found}


def test_the_candidates_say_how_far_back_an_actor_stands():
    from newsgraph.ingest.events.role_candidates import pair_features

    ex, said, found = _candidates(EARLIER)
    assert found["Glaswick Ferries"].outside == 1 and found["Harbour Workers Union"].outside == 0
    features = pair_features(ex, said.trigger, "statement", found["Glaswick Ferries"])
    assert features["outside=1"] == 1.0 and "unmentioned" not in features


def test_not_an_actor_three_sentences_back():
    _, _, found = _candidates(FAR)
    assert set(found) == {"Harbour Workers Union"}


# A verb whose own subject names no actor ("inspectors") has a doer the article does not name: the
# role model must not hand the act to another actor of the sentence.
UNNAMED = "Councillor Bea Fenwick quit on Monday after inspectors warned the Harlow Housing Trust about its repairs.\n"
NAMED = "Councillor Bea Fenwick quit on Monday after she warned the Harlow Housing Trust about its repairs.\n"


def _warning_model() -> TrainedModel:
    # Triggers: "warn" is a criticism, whatever the rules say; nothing else is an event.
    triggers = LinearModel(["criticise", "none"], ["lemma=warn"], np.array([[10.0], [0.0]]), np.array([-5.0, 0.0]))
    # Roles: an actor before the trigger is its agent, one after it the patient.
    roles = LinearModel(
        ["agent", "none", "patient"],
        ["after", "before"],
        np.array([[-5.0, 5.0], [0.0, 0.0], [5.0, -5.0]]),
        np.zeros(3),
    )
    events = EventModel(triggers, roles)
    events.thresholds["keep"] = 0.5  # the rules' statement of "warned" gives way to the criticism
    return TrainedModel(events=events)


def _criticisms(text: str) -> list:
    extractor = Extractor(Settings(), model=_warning_model())
    extraction = extractor.from_doc(Article(body=text, source="warned.txt", date="2025-03-05"), extractor.nlp(text))
    return [ev for ev in extraction.events if ev.category == "criticise"]


def test_a_model_event_whose_subject_names_no_actor_is_not_given_one():
    assert _criticisms(UNNAMED) == []


def test_the_same_event_stands_when_its_subject_is_the_actor():
    (warned,) = _criticisms(NAMED)
    assert warned.agents == ["person:bea-fenwick"]
    assert warned.patients == ["organisation:harlow-housing-trust"]


def test_a_subject_the_parser_splits_in_two_still_names_its_actor():
    # the md parser makes both "opposition" and "Democrats" subjects of "warned"
    (warned,) = _criticisms("The opposition Liberal Democrats warned the Harlow Housing Trust about its repairs.\n")
    assert warned.agents == ["organisation:liberal-democrats"]
