"""Training the entity layer: deterministic, and what it saves loads back the same."""

from pathlib import Path

import pytest

from newsgraph.errors import ConfigError
from newsgraph.evaluate.crossval import load_examples
from newsgraph.evaluate.entity_training import fit_entity_model
from newsgraph.evaluate.training import parse
from newsgraph.ingest.entity_model import EntityModel, load_entity_model
from newsgraph.ingest.pipeline import Extractor, Settings
from newsgraph.ingest.trained import TrainedModel

pytestmark = pytest.mark.slow

OWN = Path(__file__).resolve().parents[1] / "data"


def test_the_same_gold_gives_the_same_model_bytes_and_it_loads_back(tmp_path):
    extractor = Extractor(Settings(model="rules"))
    examples = load_examples(OWN / "gold", OWN / "articles")
    parse(examples, extractor)
    first = fit_entity_model(examples, extractor).to_json()
    assert fit_entity_model(examples, extractor).to_json() == first
    model = EntityModel.from_json(first)
    assert model.types and model.descriptions and model.anaphora  # our few articles may merge nothing
    assert model.meta["articles"] == len(examples) > 0 and model.to_json() == first
    path = tmp_path / "model.json"
    path.write_text(TrainedModel(entities=model).to_json(), encoding="utf-8")
    assert load_entity_model(str(path)).to_json() == first


def test_rules_alone_and_a_wrong_file():
    assert load_entity_model("rules") is None
    assert load_entity_model() is not None  # the shipped model
    with pytest.raises(ConfigError, match="not a newsgraph entity model"):
        EntityModel.from_json('{"format": "newsgraph-event-model/1"}')
