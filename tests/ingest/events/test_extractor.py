"""The extractor takes a category's behaviour from the taxonomy the lexicon was read against."""

import dataclasses

import pytest

from newsgraph.ingest.entities import ArticleEntities
from newsgraph.ingest.events import EventExtractor, load_lexicon
from newsgraph.ingest.events.dating import event_date
from newsgraph.ingest.gazetteer import load_gazetteer
from newsgraph.ingest.nlp import load_pipeline
from newsgraph.model import Article

pytestmark = pytest.mark.slow

DATE = "2024-03-05"


def _events(body, category, **rules):
    """(category, agents, patients, date) of each event, with `rules` changed for `category`."""
    lexicon = load_lexicon()
    kinds = {**lexicon.categories, category: dataclasses.replace(lexicon.categories[category], **rules)}
    lexicon = dataclasses.replace(lexicon, categories=kinds)
    nlp, _info = load_pipeline()
    doc = nlp(body)
    ents = ArticleEntities(doc, load_gazetteer(), DATE)
    article = Article(body=body, source="rules.txt", date=DATE)
    return [
        (ev.category, [a.name for a in ev.agents], [p.name for p in ev.patients], event_date(article, ev, kinds)[0])
        for ev in EventExtractor(doc, ents, lexicon).events()
    ]


def test_needs_patient_decides_whether_a_meeting_with_no_one_met_is_an_event():
    body = "Northgate Borough Council used its reserves to meet gaps in the budget."
    assert _events(body, "meet") == []
    assert _events(body, "meet", needs_patient="never") == [("meet", ["Northgate Borough Council"], [], DATE)]


def test_compound_is_agent_decides_whether_the_compound_of_a_noun_trigger_acts():
    body = "The Ofsted inspection of Caversham Primary School lasted two days."
    assert _events(body, "inspect") == [("inspect", ["Ofsted"], ["Caversham Primary School"], DATE)]
    assert _events(body, "inspect", compound_is_agent=False) == []


def test_always_past_reads_the_date_of_an_event_told_in_the_present_as_past():
    body = "Owen Hale's death in June is a tragedy, the family says."
    assert _events(body, "die") == [("die", [], ["Owen Hale"], "2023-06")]
    assert _events(body, "die", always_past=False) == [("die", [], ["Owen Hale"], "2024-06")]
