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
