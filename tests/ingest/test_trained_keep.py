"""Which rule events stand: a rule event of a category stands while the trigger model gives that
category its `keep.CATEGORY` threshold (else the common `keep`). The rules make a statement of every
attributed saying, the gold only of those that are the news: a statement the model doubts goes."""

from __future__ import annotations

import numpy as np

from newsgraph.ingest.events.classifier import EventModel
from newsgraph.ingest.linear import LinearModel
from newsgraph.ingest.pipeline import Extractor, Settings
from newsgraph.ingest.trained import TrainedModel
from newsgraph.model import Article

TEXT = (
    "Union leader Ada Brennick criticised Glaswick Ferries on Monday.\n"
    "The Harbour Workers Union said the talks would resume on Friday.\n"
)


def _model(**thresholds: float) -> TrainedModel:
    # No opinion: every category, none included, at 1/3; nothing new reaches the trigger threshold.
    triggers = LinearModel(["criticise", "none", "statement"], ["pos=VERB"], np.zeros((3, 1)), np.zeros(3))
    events = EventModel(triggers)
    events.thresholds.update({k.replace("_", "."): v for k, v in thresholds.items()})
    return TrainedModel(events=EventModel.from_json(events.to_json()))  # as a model file keeps them


def _categories(model) -> list[str]:
    extractor = Extractor(Settings(), model=model)
    extraction = extractor.from_doc(Article(body=TEXT, source="keep.txt", date="2025-03-05"), extractor.nlp(TEXT))
    return sorted(ev.category for ev in extraction.events)


def test_the_rules_make_a_statement_and_a_criticism():
    assert _categories("rules") == ["criticise", "statement"]


def test_a_statement_the_model_gives_less_than_its_keep_threshold_goes():
    assert _categories(_model(keep_statement=0.5)) == ["criticise"]


def test_one_it_gives_its_threshold_stands_and_other_categories_follow_the_common_keep():
    assert _categories(_model(keep_statement=0.3)) == ["criticise", "statement"]
    assert _categories(_model(keep=0.5, keep_statement=0.3)) == ["statement"]


def test_the_keep_threshold_of_a_category_falls_back_on_the_common_one():
    model = _model(keep=0.1, keep_statement=0.2).events
    assert model.keep_threshold("statement") == 0.2 and model.keep_threshold("criticise") == 0.1
